"""Export of an audit search: CSV with formulas defused, JSON lines for a SIEM, streamed, POST only, audited."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from oversight.views import export
from tests.conftest import sign_in_client
from tests.referrals.factories import make_referral


def download(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def export_csv(client, query="", **person):
    return client.post(reverse("audit:export_csv") + query, person)


def export_jsonl(client, query="", **person):
    return client.post(reverse("audit:export_jsonl") + query, person)


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_is_an_attachment_of_the_search(supervisor, officer, make_user):
    other = make_user(Role.PREVENT_OFFICER)
    record(by=officer, action="user.viewed", target=other)
    record(by=officer, action="auth.signed_out")
    record(by=other, action="auth.signed_out")
    response = export_csv(supervisor, f"?user={officer.pk}")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(download(response))
    assert [row["action"] for row in rows] == ["auth.signed_out", "user.viewed"]  # newest first
    assert {row["user_id"] for row in rows} == {str(officer.pk)}
    assert rows[0]["user_name"] == officer.full_name and rows[0]["user_roles"] == "prevent_officer"
    assert response["X-Export-Truncated"] == "false"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(supervisor, officer, start):
    formula = f'{start}HYPERLINK("http://evil.example","click")'
    record(by=officer, action="case.viewed", reason=formula)
    rows = csv_rows(download(export_csv(supervisor, f"?user={officer.pk}")))
    assert rows[0]["reason"] == "'" + formula


def test_csv_cells_that_are_safe_are_left_alone():
    assert export.csv_cell("Covering a colleague") == "Covering a colleague"
    assert export.csv_cell("a=b") == "a=b"
    assert export.csv_cell(None) == ""
    assert export.csv_cell({"b": 1, "a": "=x"}) == '{"a":"=x","b":1}'
    assert export.csv_cell(-1) == "'-1"


def test_jsonl_export_is_one_parseable_event_per_line(supervisor, officer, make_user):
    partner = make_user(Role.REFERRER)
    case = make_referral(partner).case
    record(by=officer, action="case.viewed", target=case, reason="Triage")
    response = export_jsonl(supervisor, f"?user={officer.pk}")
    assert response["Content-Disposition"].endswith('.jsonl"')
    lines = download(response).splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == 1
    event = events[0]
    assert event["action"] == "case.viewed" and event["user_id"] == officer.pk
    assert event["case_id"] == str(case.pk) and event["case_reference"] == case.reference
    assert event["record_type"] == "cases.case" and event["reason"] == "Triage"
    written = AuditEvent.objects.get(action="case.viewed", actor=officer)
    assert event["occurred_at"] == written.occurred_at.isoformat() and event["id"] == written.pk
    assert isinstance(event["details"], dict) and "hash" in event and "seq" in event


def test_the_export_is_audited_before_it_is_sent(supervisor, officer):
    record(by=officer, action="auth.signed_out")
    response = export_jsonl(supervisor, f"?user={officer.pk}&action=auth.signed_out")
    exported = AuditEvent.objects.get(action="audit.exported")  # written before the first byte
    assert exported.actor == supervisor.user and exported.details["format"] == "jsonl"
    assert exported.details["criteria"] == ["action", "user_id"]
    assert exported.details["filters"] == {"user_id": officer.pk, "action": "auth.signed_out"}
    assert exported.details["truncated"] is False
    download(response)
    export_csv(supervisor)
    assert AuditEvent.objects.filter(action="audit.exported", details__format="csv").count() == 1


def test_a_person_export_holds_their_cases_events_with_the_terms_protected(supervisor, officer, make_user):
    partner = make_user(Role.REFERRER)
    case = make_referral(partner, surname="Distinctivename", forenames="Ann").case
    other = make_referral(partner, surname="Smith", forenames="John").case
    record(by=officer, action="case.viewed", target=case)
    record(by=officer, action="case.viewed", target=other)
    rows = csv_rows(download(export_csv(supervisor, name="Ann Distinctivename")))
    assert {row["case_reference"] for row in rows} == {case.reference}
    exported = AuditEvent.objects.get(action="audit.exported")
    stored = " ".join(str(getattr(exported, field.attname)) for field in AuditEvent._meta.concrete_fields)
    assert "Distinctivename" not in stored and len(exported.details["terms_hash"]) == 32
    assert exported.details["criteria"] == ["name"] and exported.details["matched_case_ids"] == [str(case.pk)]


def test_a_big_export_stops_at_the_limit_and_says_so(supervisor, officer, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 3)
    for number in range(5):
        record(by=officer, action="auth.signed_out", number=number)
    response = export_csv(supervisor, f"?user={officer.pk}")
    assert response["X-Export-Truncated"] == "true"
    assert [json.loads(row["details"])["number"] for row in csv_rows(download(response))] == [4, 3, 2]
    assert AuditEvent.objects.get(action="audit.exported").details["truncated"] is True


def test_exports_need_post_with_a_csrf_token(make_user):
    supervisor = make_user(Role.SUPERVISOR)
    client = sign_in_client(Client(enforce_csrf_checks=True), supervisor)
    assert client.get(reverse("audit:export_csv")).status_code == 405
    assert client.post(reverse("audit:export_csv")).status_code == 403
    assert client.post(reverse("audit:export_jsonl")).status_code == 403
    # With the token the search page gives, it works.
    page = client.get(reverse("audit:search")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert client.post(reverse("audit:export_csv"), {"csrfmiddlewaretoken": token}).status_code == 200
    assert not AuditEvent.objects.filter(action="audit.exported", details__format="jsonl").exists()


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.SYSTEM_ADMIN, Role.SUPPORT_PROVIDER])
def test_only_supervisors_may_export(signed_in, role):
    client = signed_in(role)
    assert export_csv(client).status_code == 403
    assert export_jsonl(client).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_an_export_with_bad_filters_shows_the_errors_and_sends_nothing(supervisor):
    response = export_csv(supervisor, "?from_day=31&from_month=2&from_year=2026")
    assert response.status_code == 200 and not response.streaming
    assert "Date from must be a real date" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?user=%C2%B2", "Select a user from the list"),  # "²": isdigit() yet not a number int() reads
        ("?user=999999999999", "Select a user from the list"),
        ("?to_day=31&to_month=12&to_year=9999", "Date to must be between 1900 and 2100"),
        ("?from_day=1&from_month=1&from_year=0001", "Date from must be between 1900 and 2100"),
        ("?from_day=%D9%A3&from_month=1&from_year=2026", "Date from must be a real date"),  # an Arabic-Indic 3
    ],
)
def test_an_export_with_filters_out_of_range_shows_the_error_and_sends_nothing(supervisor, query, message):
    for response in (export_csv(supervisor, query), export_jsonl(supervisor, query)):
        assert response.status_code == 200 and not response.streaming
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.exported").exists()

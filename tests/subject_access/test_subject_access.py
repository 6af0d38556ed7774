"""Subject access: everything held about one person is found, withheld where exempt, generated, released and kept."""

import datetime
import io
import json
import re
import threading
import time
import zipfile

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from notifications.models import Notification
from subject_access import bundle, selectors, services
from subject_access.models import Exemption, SubjectAccessRequest
from tests.subject_access.factories import (
    CHECK_NOTE,
    DOCUMENT,
    FORENAMES,
    NOTE,
    SURNAME,
    confirmed_request,
    person_everywhere,
)

S = SubjectAccessRequest.Status


@pytest.fixture
def records(make_user):
    return person_everywhere(make_user)


def generated(sar, django_capture_on_commit_callbacks):
    """Queue generation and run the task as the worker would (eagerly, after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.request_generation(sar, by=sar.requested_by)
    return SubjectAccessRequest.objects.get(pk=sar.pk)


def given_to_person(sar) -> tuple[dict, bytes, zipfile.ZipFile]:
    archive = zipfile.ZipFile(bundle.folder_path(sar.export_folder) / bundle.BUNDLE)
    data = json.loads(archive.read(f"{sar.reference}.json"))
    return data, archive.read(f"{sar.reference}.pdf"), archive


def every_value(data) -> str:
    return json.dumps(data)


def test_the_export_holds_every_record_about_the_person_and_nothing_about_anyone_else(
    records, django_capture_on_commit_callbacks
):
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    assert sar.status == S.READY
    data, pdf, archive = given_to_person(sar)
    keys = {item["key"] for section in data["sections"] for item in section["items"]}
    text = every_value(data)
    first, second, case = records["first"], records["second"], records["case"]

    # Both referrals, with their answers as given, labelled by the form's questions.
    assert {f"referral-{first.pk}", f"referral-{second.pk}"} <= keys
    assert {f"answers-{first.pk}-the-person", f"answers-{second.pk}-concerns"} <= keys
    assert SURNAME in text and "Has been sharing violent material." in text and "Surname" in text
    # The document: listed, and its own bytes in the ZIP.
    attachment = records["attachment"]
    assert f"attachment-{attachment.pk}" in keys
    (entry,) = [f for s in data["sections"] for i in s["items"] for f in i["files"]]
    assert entry["name"] == "screenshot.pdf" and archive.read(entry["path"]) == DOCUMENT
    # The case (and the repeat referral's merged case), checks, assessment, decision, notes.
    assert f"case-{case.pk}" in keys and f"case-{second.case.pk}" in keys
    assert CHECK_NOTE in text and NOTE in text
    assert "Vulnerable to grooming." in text and "Needs multi-agency support." in text
    # Panel, support plan, consent, provider grant, progress, feedback shared.
    assert "December panel" in text and "Weekly mentoring" in text and "Attended the first session." in text
    assert any(key.startswith("consent-") for key in keys) and f"grant-{records['grant'].pk}" in keys
    assert "Support is in place." in text
    # Disclosures from the audit trail: to whom (organisation and role, never a staff member's name).
    disclosures = next(s for s in data["sections"] if s["key"] == "disclosures")["items"]
    whats = {field["value"] for item in disclosures for field in item["fields"] if field["label"] == "What"}
    assert {
        "Shared with a support provider",
        "Listed for a Channel panel meeting (shared with its members)",
        "Update shared with the referring organisation",
    } <= whats
    recipients = " ".join(f["value"] for item in disclosures for f in item["fields"] if f["label"] == "To")
    assert records["provider"].organisation.name in recipients and "Support provider" in recipients
    assert records["panel_member"].organisation.name in recipients
    assert records["provider"].full_name not in every_value(disclosures)
    # Someone else's referral is not in it.
    assert str(records["stranger"].pk) not in text
    # The PDF is a PDF, built from the same data.
    assert pdf.startswith(b"%PDF")
    assert data["schema"] == "prevent-subject-access/1" and data["request"]["reference"] == sar.reference
    assert sar.progress_total > 0 and sar.progress_done == sar.progress_total


def test_the_search_finds_linked_referrals_and_keeps_only_a_hash_of_the_terms(records):
    sar = confirmed_request(records["supervisor"], records)
    assert {str(records["first"].pk), str(records["second"].pk)} <= set(sar.candidate_referral_ids)
    assert str(records["stranger"].pk) not in sar.candidate_referral_ids
    assert set(sar.case_ids) == {str(records["case"].pk), str(records["second"].case_id)} - {"None"} | {
        str(records["case"].pk)
    }
    event = AuditEvent.objects.get(action="subject_access.requested")
    assert event.details["terms_hash"] == sar.terms_hash and int(sar.terms_hash, 16)
    for event in AuditEvent.objects.filter(action__startswith="subject_access."):
        assert SURNAME not in json.dumps(event.details) and FORENAMES not in event.reason


def test_only_referrals_offered_can_be_confirmed(records):
    from django.core.exceptions import ValidationError

    sar = confirmed_request(records["supervisor"], records)
    with pytest.raises(ValidationError):
        services.confirm_records(sar, by=records["supervisor"], referral_ids=[records["stranger"].pk])
    with pytest.raises(ValidationError):
        services.confirm_records(sar, by=records["supervisor"], referral_ids=[])


def test_withheld_items_and_fields_are_left_out_of_what_the_person_gets_and_kept_in_the_internal_record(
    records, django_capture_on_commit_callbacks
):
    supervisor = records["supervisor"]
    sar = generated(confirmed_request(supervisor, records), django_capture_on_commit_callbacks)
    check_key = f"check-{records['case'].checks.get().pk}"
    about_you = f"answers-{records['first'].pk}-about-you"
    services.withhold(
        sar, by=supervisor, item_key=check_key, field="", exemption=Exemption.INVESTIGATION, note="Live operation."
    )
    services.withhold(
        sar,
        by=supervisor,
        item_key=about_you,
        field="Your full name",
        exemption=Exemption.THIRD_PARTY,
        note="Referrer.",
    )
    sar.refresh_from_db()
    assert sar.status == S.STALE
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.release(sar, by=supervisor)  # the files predate the withholding
    sar = generated(sar, django_capture_on_commit_callbacks)
    data, _, _ = given_to_person(sar)
    text = every_value(data)
    assert CHECK_NOTE not in text and check_key not in text
    about = next(i for sec in data["sections"] for i in sec["items"] if i["key"] == about_you)
    labels = [field["label"] for field in about["fields"]]
    assert "Your full name" not in labels and "Your organisation" in labels  # only the one field went
    assert "suggested_exemption" not in text
    internal = every_value(services.snapshot(sar))
    assert CHECK_NOTE in internal and "Rita Referrer" in internal
    applied = AuditEvent.objects.filter(action="subject_access.exemption_applied", target_id=str(sar.pk))
    assert sorted(applied.values_list("details__exemption", flat=True)) == ["investigation", "third_party"]

    services.release(sar, by=supervisor)
    sar.refresh_from_db()
    assert sar.status == S.RELEASED and sar.released_by == supervisor
    released = AuditEvent.objects.get(action="subject_access.released", target_id=str(sar.pk))
    assert released.details == {"withheld": 2, "late": False}


def test_an_item_not_in_the_export_cannot_be_withheld(records, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.withhold(sar, by=records["supervisor"], item_key="note-999999", field="", exemption="crime", note="x")


def test_the_requesting_supervisor_is_told_when_the_export_is_ready(records, django_capture_on_commit_callbacks):
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    notice = Notification.objects.get(kind=Notification.Kind.SUBJECT_ACCESS_READY)
    assert notice.recipient == records["supervisor"] and notice.reference == sar.reference
    assert notice.link == reverse("subject_access:detail", args=[sar.pk])


def test_the_task_is_given_the_request_id_only(records, django_capture_on_commit_callbacks):
    from celery.signals import before_task_publish

    from tests.notifications.conftest import celery_broker

    published = []

    def capture(sender=None, body=None, **kwargs):
        if sender == "subject_access.tasks.generate_export":
            published.append(body)

    sar = confirmed_request(records["supervisor"], records)
    before_task_publish.connect(capture, weak=False)
    try:
        with celery_broker("memory://"), django_capture_on_commit_callbacks(execute=True):
            services.request_generation(sar, by=records["supervisor"])
    finally:
        before_task_publish.disconnect(capture)
    (body,) = published
    assert list(body[0]) == [] and body[1] == {"request_id": str(sar.pk)}
    # Running it twice does the work once.
    from subject_access import tasks

    assert tasks.generate_export(request_id=str(sar.pk)) == S.READY
    assert tasks.generate_export(request_id=str(sar.pk)) == "skipped"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 15), datetime.date(2026, 4, 15)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(received, due):
    assert services.due_date(received) == due


def test_a_request_past_its_due_date_is_flagged_overdue_until_released(
    records, signed_in, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))
    sar = confirmed_request(records["supervisor"], records, received_on=datetime.date(2026, 3, 1))
    assert sar.due_on == datetime.date(2026, 4, 1)
    assert not selectors.is_overdue(sar)
    listed = signed_in(user=records["supervisor"]).get(reverse("subject_access:list")).content.decode()
    assert "Overdue" not in listed
    time_machine.move_to(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC))
    assert selectors.is_overdue(sar)
    listed = signed_in(user=records["supervisor"]).get(reverse("subject_access:list")).content.decode()
    assert "Overdue" in listed
    sar = generated(sar, django_capture_on_commit_callbacks)
    assert not selectors.is_overdue(services.release(sar, by=records["supervisor"]))


def test_released_exports_are_deleted_after_the_keeping_period(
    records, django_capture_on_commit_callbacks, settings, time_machine
):
    settings.SUBJECT_ACCESS_KEEP_DAYS = 30
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    services.release(sar, by=records["supervisor"])
    folder = bundle.folder_path(sar.export_folder)
    assert folder.exists()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=29))
    assert services.delete_expired_exports() == 0 and folder.exists()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    assert services.delete_expired_exports() == 1
    sar.refresh_from_db()
    assert not folder.exists() and sar.exports_deleted_at is not None and sar.export_folder == ""
    assert AuditEvent.objects.filter(action="subject_access.exports_deleted", target_id=str(sar.pk)).exists()
    assert services.delete_expired_exports() == 0


def test_erasing_the_person_deletes_their_exports_and_notes(records, django_capture_on_commit_callbacks):
    supervisor = records["supervisor"]
    sar = generated(confirmed_request(supervisor, records), django_capture_on_commit_callbacks)
    key = f"note-{records['case'].notes.get().pk}"
    services.withhold(sar, by=supervisor, item_key=key, field="", exemption="crime", note=f"About {SURNAME}.")
    folder = bundle.folder_path(sar.export_folder)
    other = confirmed_request(supervisor, records)
    assert services.forget_person_exports([], [records["stranger"].pk]) == 0
    assert services.forget_person_exports([records["case"].pk], []) == 2
    sar.refresh_from_db()
    assert not folder.exists() and sar.note == "" and sar.withholdings.get().note == ""
    assert sar.withholdings.get().exemption == "crime"  # the decision stays, its words go
    assert other.pk != sar.pk


def test_an_export_read_while_the_person_is_erased_does_not_outlive_the_erasure(make_user, records, monkeypatch):
    from cases.models import Case
    from privacy import erasure
    from subject_access import export

    supervisor = records["supervisor"]
    sar = services.request_generation(confirmed_request(supervisor, records), by=supervisor)
    approver = make_user(Role.SUPERVISOR)
    collect = export.collect

    def erase_part_way(request, **kwargs):
        """The erasure commits while the task is reading (on PostgreSQL it waits for this row otherwise)."""
        case = Case.objects.get(pk=records["case"].pk)
        erasure.erase_case(case, rule="channel-6-years", requested_by=supervisor, approved_by=approver)
        return collect(request, **kwargs)

    monkeypatch.setattr(export, "collect", erase_part_way)
    before = set(bundle.root().iterdir()) if bundle.root().exists() else set()

    sar = services.run_generation(sar.pk)

    assert sar.status == S.FAILED and sar.export_folder == ""
    assert set(bundle.root().iterdir()) == before  # the folder written after the erasure is gone again
    assert not Notification.objects.filter(kind=Notification.Kind.SUBJECT_ACCESS_READY).exists()
    failed = AuditEvent.objects.get(action="subject_access.generation_failed", target_id=str(sar.pk))
    assert failed.details["error"] == services.RECORDS_ERASED


def waited_for_a_lock(seconds=30) -> bool:
    """Say whether another session of this test database came to wait for a lock within the time."""
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    with connection.cursor() as cursor:
        for _ in range(seconds * 10):
            cursor.execute(sql)
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.1)
    return False


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: two connections racing (SQLite has one writer)"
)
@pytest.mark.django_db(transaction=True)
def test_a_generation_finishing_while_an_erasure_commits_waits_for_it_and_keeps_nothing(make_user, monkeypatch):
    from cases.models import Case
    from privacy import erasure
    from subject_access import tasks

    monkeypatch.setattr(tasks.generate_export, "delay", lambda **kwargs: None)  # the worker below runs it
    records = person_everywhere(make_user)
    supervisor, approver = records["supervisor"], make_user(Role.SUPERVISOR)
    sar = services.request_generation(confirmed_request(supervisor, records), by=supervisor)
    written, erasing = threading.Event(), threading.Event()
    write_bundle = bundle.write_bundle

    def write_then_wait(*args, **kwargs):
        """Hold the worker between writing its files and finishing, while the erasure runs."""
        write_bundle(*args, **kwargs)
        written.set()
        erasing.wait(30)

    monkeypatch.setattr(bundle, "write_bundle", write_then_wait)
    outcome = {}

    def generate():
        try:
            outcome["sar"] = services.run_generation(sar.pk)
        finally:
            connection.close()

    before = set(bundle.root().iterdir()) if bundle.root().exists() else set()
    worker = threading.Thread(target=generate)
    worker.start()
    try:
        assert written.wait(60)
        with transaction.atomic():
            case = Case.objects.get(pk=records["case"].pk)
            erasure.erase_case(case, rule="channel-6-years", requested_by=supervisor, approved_by=approver)
            erasing.set()
            # Commit only once the worker, its files written, waits in _finish for this erasure's lock on the request.
            assert waited_for_a_lock(), "the generation never waited for the erasure"
    finally:
        erasing.set()
        worker.join(60)

    sar = outcome["sar"]
    assert sar.status == S.FAILED and sar.export_folder == ""
    assert set(bundle.root().iterdir()) == before  # the folder written while the erasure ran is gone
    assert not Notification.objects.filter(kind=Notification.Kind.SUBJECT_ACCESS_READY).exists()


# --- views --------------------------------------------------------------------------------------


def test_the_new_request_page_searches_by_post_and_keeps_what_was_typed_on_error(records, signed_in):
    client = signed_in(user=records["supervisor"])
    url = reverse("subject_access:new")
    response = client.post(url, {"name": f"{FORENAMES} {SURNAME}", "received_on_day": "31", "received_on_month": "2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date received must include a year" in page
    assert 'name="received_on_day" value="31"' in page
    assert f'value="{FORENAMES} {SURNAME}"' in page
    assert not SubjectAccessRequest.objects.exists()
    response = client.post(
        url, {"name": "", "received_on_day": "1", "received_on_month": "3", "received_on_year": "2026"}
    )
    assert "Enter at least one thing to search for" in response.content.decode()


def test_a_supervisor_records_a_request_and_confirms_the_records(records, signed_in):
    client = signed_in(user=records["supervisor"])
    today = timezone.localdate()
    response = client.post(
        reverse("subject_access:new"),
        {
            "name": f"{FORENAMES} {SURNAME}",
            "received_on_day": today.day,
            "received_on_month": today.month,
            "received_on_year": today.year,
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("subject_access:records", args=[sar.pk])
    assert SURNAME not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert records["first"].reference in page and records["second"].reference in page and SURNAME in page
    response = client.post(response["Location"], {"referrals": [str(records["first"].pk)]})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == S.CONFIRMED and sar.referral_ids == [str(records["first"].pk)]


def test_other_roles_cannot_reach_subject_access(records, signed_in, django_capture_on_commit_callbacks):
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    for role in [Role.PREVENT_OFFICER, Role.REFERRER, Role.SYSTEM_ADMIN]:
        client = signed_in(role)
        assert client.get(reverse("subject_access:download", args=[sar.pk])).status_code == 403
        assert client.get(reverse("subject_access:list")).status_code == 403
    assert not AuditEvent.objects.filter(action="subject_access.downloaded").exists()


def test_downloading_the_bundle_is_audited(records, signed_in, django_capture_on_commit_callbacks):
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    client = signed_in(user=records["supervisor"])
    response = client.get(reverse("subject_access:download", args=[sar.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"{sar.reference}.pdf" in archive.namelist()
    assert AuditEvent.objects.filter(action="subject_access.downloaded", target_id=str(sar.pk)).count() == 1


def test_the_withhold_page_keeps_the_choice_on_error_and_applies_the_exemption(
    records, signed_in, django_capture_on_commit_callbacks
):
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)
    client = signed_in(user=records["supervisor"])
    key = f"note-{records['case'].notes.get().pk}"
    url = reverse("subject_access:withhold", args=[sar.pk, key])
    response = client.post(url, {"scope": "__whole__", "exemption": "crime"})
    assert response.status_code == 200 and "Explain why the exemption applies" in response.content.decode()
    assert re.search(r"value=\"crime\"[^>]*checked", response.content.decode())
    response = client.post(url, {"scope": "__whole__", "exemption": "crime", "note": "Ongoing."})
    assert response.status_code == 302
    assert sar.withholdings.get().item_key == key
    assert client.get(reverse("subject_access:withhold", args=[sar.pk, "note-0"])).status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(records, signed_in, django_assert_max_num_queries):
    client = signed_in(user=records["supervisor"])
    confirmed_request(records["supervisor"], records)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("subject_access:list"))
    for _ in range(5):
        confirmed_request(records["supervisor"], records)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("subject_access:list"))


def test_the_progress_page_shows_a_progress_bar_while_generating(records, signed_in):
    sar = confirmed_request(records["supervisor"], records)
    services.request_generation(sar, by=records["supervisor"])  # queued: no commit, so no worker ran
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(progress_done=3, progress_total=12)
    page = signed_in(user=records["supervisor"]).get(reverse("subject_access:progress", args=[sar.pk]))
    assert '<progress id="sar-progress-bar"' in page.content.decode() and 'value="3"' in page.content.decode()
    assert "3 of 12 records and files done" in page.content.decode()


def test_a_case_file_given_outside_the_team_is_listed_as_a_disclosure_by_its_purpose_without_the_note(
    records, django_capture_on_commit_callbacks
):
    from cases import case_file

    note = "For DS Example at CTP North East."
    case_file.disclose_case_file(records["case"], by=records["supervisor"], purpose="ct_handover", note=note)
    sar = generated(confirmed_request(records["supervisor"], records), django_capture_on_commit_callbacks)

    data, _, _ = given_to_person(sar)
    disclosures = next(s for s in data["sections"] if s["key"] == "disclosures")["items"]
    (item,) = [i for i in disclosures if i["title"] == "Case file given outside the Prevent team"]
    assert {f["label"]: f["value"] for f in item["fields"]}["To"] == "Hand-over to counter-terrorism policing"
    assert note not in every_value(data) and "DS Example" not in every_value(data)
    internal = bundle.read_internal(sar.export_folder)
    (offered,) = [i for s in internal["sections"] for i in s["items"] if i["key"] == item["key"]]
    assert offered["suggested_exemption"] == "investigation"

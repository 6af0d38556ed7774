"""The supervisors' audit screens: search, a case's access history, a user's activity."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from core.paging import page_size
from tests.oversight.helpers import officer_views, person_search, search, shown, span
from tests.referrals.factories import make_referral

# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.SYSTEM_ADMIN])
def test_only_supervisors_may_use_the_audit_screens(role, signed_in, partner):
    client = signed_in(role)
    case = make_referral(partner).case
    assert search(client).status_code == 403
    assert person_search(client, name="Alex Example").status_code == 403
    assert client.get(reverse("audit:case_history", args=[case.pk])).status_code == 403
    assert client.get(reverse("audit:user_activity", args=[partner.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


def test_the_menu_shows_audit_to_supervisors_only(signed_in):
    oversight = reverse("pages:section", args=["oversight"])
    supervisor, officer = signed_in(Role.SUPERVISOR), signed_in(Role.PREVENT_OFFICER)
    assert f'href="{oversight}"' in supervisor.get(reverse("pages:home")).content.decode()
    assert 'href="/audit/"' in supervisor.get(oversight).content.decode()
    assert f'href="{oversight}"' not in officer.get(reverse("pages:home")).content.decode()
    assert officer.get(oversight).status_code == 404


def test_the_case_page_links_supervisors_to_its_access_history(signed_in, partner):
    case = make_referral(partner).case
    history = reverse("audit:case_history", args=[case.pk])
    assert history in signed_in(Role.SUPERVISOR).get(reverse("cases:detail", args=[case.pk])).content.decode()
    officer = signed_in(Role.PREVENT_OFFICER)
    assert history not in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()


# --- filters -------------------------------------------------------------------------------------


def test_filter_by_user_shows_only_that_users_events(supervisor, make_user):
    one, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    record(by=one, action="user.viewed", target=other)
    record(by=other, action="user.viewed", target=one)
    events = shown(search(supervisor, user=one.pk))
    assert events and {event.actor_id for event in events} == {one.pk}
    assert f'<option value="{one.pk}" selected>' in search(supervisor, user=one.pk).content.decode()


def test_filter_by_case_reference_shows_that_cases_events_only(supervisor, signed_in, partner):
    case, other = make_referral(partner).case, make_referral(partner).case
    officer = officer_views(signed_in, case)
    officer_views(signed_in, other)
    events = shown(search(supervisor, case_reference=case.reference.lower()))
    assert events and {event.case_id for event in events} == {case.pk}
    assert any(event.actor_id == officer.pk and event.action == "case.viewed" for event in events)
    # A referral's reference finds the case it joined.
    referral = case.referrals.get()
    assert {event.case_id for event in shown(search(supervisor, case_reference=referral.reference))} == {case.pk}


def test_an_unknown_case_reference_is_an_error_that_keeps_what_was_typed(supervisor):
    response = search(supervisor, case_reference="PR-NOTHERE")
    page = response.content.decode()
    assert response.status_code == 200 and response.context["page"] is None
    assert "There is no case or referral with this reference" in page and 'value="PR-NOTHERE"' in page
    assert "(error)" in page.split("</title>")[0]


def test_filter_by_action(supervisor, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    record(by=officer, action="user.viewed", target=officer)
    record(by=officer, action="auth.signed_out")
    assert {event.action for event in shown(search(supervisor, action="auth.signed_out"))} == {"auth.signed_out"}
    assert "Select an action from the list" in search(supervisor, action="no.such").content.decode()


def test_filter_by_date_range_includes_the_whole_last_day(supervisor, make_user, time_machine):
    officer = make_user(Role.PREVENT_OFFICER)
    for day in (1, 10, 20):
        time_machine.move_to(datetime(2026, 3, day, 23, 30, tzinfo=UTC))  # 23:30 UTC: still that day in London
        record(by=officer, action="auth.signed_out", day=day)
    time_machine.move_to(datetime(2026, 3, 25, 12, tzinfo=UTC))
    events = shown(search(supervisor, user=officer.pk, **span("5 3 2026", "10 3 2026")))
    assert [event.details["day"] for event in events] == [10]
    events = shown(search(supervisor, user=officer.pk, from_day="2", from_month="3", from_year="2026"))
    assert [event.details["day"] for event in events] == [20, 10]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"from_day": "31", "from_month": "2", "from_year": "2026"}, "Date from must be a real date"),
        ({"from_day": "1", "from_year": "2026"}, "Date from must include a month"),
        ({"to_day": "x", "to_month": "3", "to_year": "2026"}, "Date to must be a real date"),
        ({"to_day": "1", "to_month": "3", "to_year": "26"}, "Year must include 4 numbers"),
        ({"to_day": "31", "to_month": "12", "to_year": "9999"}, "Date to must be between 1900 and 2100"),
        ({"from_day": "1", "from_month": "1", "from_year": "0001"}, "Date from must be between 1900 and 2100"),
        ({"from_day": "²", "from_month": "3", "from_year": "2026"}, "Date from must be a real date"),
        ({"to_day": "1", "to_month": "٣", "to_year": "2026"}, "Date to must be a real date"),
        (
            span("9 3 2026", "8 3 2026"),
            "Date to must be the same as or after date from",
        ),
    ],
)
def test_bad_dates_are_clear_errors_that_keep_what_was_typed(supervisor, typed, message):
    response = search(supervisor, **typed)
    page = response.content.decode()
    assert response.status_code == 200 and response.context["page"] is None
    assert page.count(message) == 2  # in the error summary and beside the date
    for name, value in typed.items():
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', page), name
    assert not AuditEvent.objects.filter(action="audit.searched").exists()


@pytest.mark.parametrize("typed", ["²", "١٢", "-1", "1.5", "999999999999"])
def test_a_user_that_is_not_a_plain_id_is_an_error(supervisor, typed):
    response = search(supervisor, user=typed)
    assert response.status_code == 200 and response.context["page"] is None
    assert response.content.decode().count("Select a user from the list") == 2
    assert not AuditEvent.objects.filter(action="audit.searched").exists()


# --- the person referred -------------------------------------------------------------------------


def test_person_search_finds_their_cases_events_without_opening_the_case(supervisor, signed_in, partner):
    case = make_referral(partner, surname="Khan", forenames="Mohammed").case
    make_referral(partner, surname="Smith", forenames="John")
    officer = officer_views(signed_in, case)
    viewed_before = AuditEvent.objects.filter(action="case.viewed").count()
    response = person_search(supervisor, name="Muhammad Kahn")  # another spelling
    assert response.context["matched"] == [(case.pk, case.reference)]
    events = shown(response)
    assert any(e.actor_id == officer.pk and e.action == "case.viewed" and e.case_id == case.pk for e in events)
    assert {event.case_id for event in events} == {case.pk}
    page = response.content.decode()
    assert case.reference in page and reverse("audit:case_history", args=[case.pk]) in page
    # Nothing of the case beyond its reference, and the case was not opened.
    assert "sharing violent material" not in page
    assert AuditEvent.objects.filter(action="case.viewed").count() == viewed_before
    assert not AuditEvent.objects.filter(action="case.viewed", actor=supervisor.user).exists()


def test_person_search_by_date_of_birth_and_with_other_filters(supervisor, signed_in, partner):
    born = date(2009, 3, 27)
    case = make_referral(partner, surname="Novak", forenames="Ava", dob_known="exact", date_of_birth=born).case
    other = make_referral(partner, surname="Novak", forenames="Ava").case  # born 2010 (factory)
    officer_views(signed_in, case)
    response = person_search(supervisor, dob_day="27", dob_month="3", dob_year="2009")
    assert response.context["matched"] == [(case.pk, case.reference)]
    response = person_search(supervisor, name="Ava Novak")
    assert sorted(response.context["matched"]) == sorted([(case.pk, case.reference), (other.pk, other.reference)])
    # Combined with a filter in the URL: only that action.
    response = person_search(supervisor, "?action=case.viewed", name="Ava Novak")
    assert {event.action for event in shown(response)} == {"case.viewed"}
    assert {event.case_id for event in shown(response)} == {case.pk}


def test_person_search_with_no_match_shows_nothing(supervisor, partner):
    make_referral(partner, surname="Khan", forenames="Mohammed")
    record(by=partner, action="auth.signed_out")
    response = person_search(supervisor, name="Zebedee Quartermaine")
    assert response.context["matched"] == [] and shown(response) == []
    assert "No case matches this person" in response.content.decode()


def test_person_search_errors_keep_what_was_typed(supervisor):
    page = person_search(supervisor, name="Khan", dob_day="30", dob_month="2", dob_year="2009").content.decode()
    assert "Enter a first and a last name" in page and "Date of birth must be a real date" in page
    assert 'value="Khan"' in page and re.search(r'name="dob_day"[^>]*value="30"', page)
    assert "Enter a name or a date of birth" in person_search(supervisor).content.decode()


def test_the_search_is_audited_with_person_terms_protected(supervisor, signed_in, partner):
    case = make_referral(partner, surname="Distinctivename", forenames="Ann").case
    officer_views(signed_in, case)
    terms = {"name": "Ann Distinctivename", "dob_day": "2", "dob_month": "1", "dob_year": "2010"}
    person_search(supervisor, "?action=case.viewed", **terms)
    event = AuditEvent.objects.get(action="audit.searched")
    stored = " ".join(str(getattr(event, field.attname)) for field in AuditEvent._meta.concrete_fields).lower()
    assert "distinctivename" not in stored and "2010-01-02" not in stored and "ann" not in stored.split()
    assert event.actor == supervisor.user and len(event.details["terms_hash"]) == 32
    assert event.details["criteria"] == ["action", "name", "date_of_birth"]
    assert event.details["filters"] == {"action": "case.viewed"}
    assert event.details["shown"] == 0 and event.details["matched_case_ids"] == []
    # The same terms give the same code (so a search can be found again), other terms another.
    person_search(supervisor, "?action=case.viewed", **terms)
    person_search(supervisor, name="Bob Other")
    hashes = [e.details["terms_hash"] for e in AuditEvent.objects.filter(action="audit.searched").order_by("pk")]
    assert hashes[0] == hashes[1] != hashes[2]


def test_the_same_person_searched_by_an_officer_and_in_the_audit_gives_the_same_terms_hash(supervisor, signed_in):
    officer = signed_in(Role.PREVENT_OFFICER)
    officer.post(
        reverse("cases:search"),
        {
            "name": "Ann  Distinctivename",
            "date_of_birth_day": "2",
            "date_of_birth_month": "1",
            "date_of_birth_year": "2010",
        },
    )
    person_search(supervisor, name="ann distinctivename", dob_day="2", dob_month="1", dob_year="2010")
    officer.post(reverse("cases:search"), {"name": "Ann Distinctivename"})
    person_search(supervisor, name="Ann Distinctivename")
    officers = [e.details["terms_hash"] for e in AuditEvent.objects.filter(action="person.searched").order_by("pk")]
    audits = [e.details["terms_hash"] for e in AuditEvent.objects.filter(action="audit.searched").order_by("pk")]
    assert officers == audits and officers[0] != officers[1]


def test_a_case_search_is_audited_against_that_case(supervisor, partner):
    case = make_referral(partner).case
    search(supervisor, case_reference=case.reference)
    event = AuditEvent.objects.get(action="audit.searched")
    assert event.case_id == case.pk and event.details["filters"] == {"case_id": str(case.pk)}


def test_person_terms_never_reach_a_url(supervisor, partner):
    case = make_referral(partner, surname="Khan", forenames="Mohammed").case
    for number in range(page_size() + 5):
        record(by=partner, action="referral.viewed", case=case, number=number)
    page = person_search(supervisor, name="Mohammed Khan").content.decode()
    links = " ".join(re.findall(r'(?:href|action)="([^"]*)"', page))
    assert "Khan" not in links and "Mohammed" not in links
    # The next page is asked for by POST, the terms in the form's body.
    assert re.search(r'<form method="post" action="\?after=[^"]+">', page)
    # A name in the query string is not a filter: the person search is POST only.
    response = search(supervisor, name="Mohammed Khan")
    assert response.context["matched"] is None and len(shown(response)) == page_size()

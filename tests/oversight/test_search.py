"""The supervisors' audit screens: search, a case's access history, a user's activity."""

import base64
import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audit import actions
from audit.models import AuditEvent
from audit.services import record
from oversight.selectors import PAGE_SIZE, STAFF_CACHE_KEY
from tests.referrals.factories import make_referral

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_staff_list():
    """The user filter's list is cached for a minute: each test makes its own users."""
    cache.delete(STAFF_CACHE_KEY)  # not clear(): on Redis that empties every test worker's cache
    yield
    cache.delete(STAFF_CACHE_KEY)  # not clear(): on Redis that empties every test worker's cache


@pytest.fixture
def supervisor(signed_in):
    return signed_in(Role.SUPERVISOR)


@pytest.fixture
def partner(make_user):
    return make_user(Role.REFERRER)


def shown(response) -> list[AuditEvent]:
    """The events on the page, in order (what the table shows)."""
    return list(response.context["page"].events)


def span(since: str, until: str) -> dict:
    """The date boxes as typed: span("5 3 2026", "10 3 2026")."""
    typed = {}
    for prefix, text in (("from", since), ("to", until)):
        typed.update(zip([f"{prefix}_day", f"{prefix}_month", f"{prefix}_year"], text.split(), strict=True))
    return typed


def search(client, **filters):
    return client.get(reverse("audit:search"), filters)


def person_search(client, query="", **terms):
    return client.post(reverse("audit:search") + query, terms)


def officer_views(signed_in, case):
    """An officer who may open the case opens it, as in the service (writes case.viewed)."""
    officer = signed_in(Role.PREVENT_OFFICER)
    from cases import services

    services.assign(case, to=officer.user, by=officer.user)
    assert officer.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return officer.user


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
    assert 'href="/audit/"' in signed_in(Role.SUPERVISOR).get(reverse("pages:home")).content.decode()
    assert 'href="/audit/"' not in signed_in(Role.PREVENT_OFFICER).get(reverse("pages:home")).content.decode()


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
    officer.post(reverse("cases:search"), {"name": "Ann  Distinctivename", "date_of_birth": "2010-01-02"})
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
    for number in range(PAGE_SIZE + 5):
        record(by=partner, action="referral.viewed", case=case, number=number)
    page = person_search(supervisor, name="Mohammed Khan").content.decode()
    links = " ".join(re.findall(r'(?:href|action)="([^"]*)"', page))
    assert "Khan" not in links and "Mohammed" not in links
    # The next page is asked for by POST, the terms in the form's body.
    assert re.search(r'<form method="post" action="\?after=[^"]+">', page)
    # A name in the query string is not a filter: the person search is POST only.
    response = search(supervisor, name="Mohammed Khan")
    assert response.context["matched"] is None and len(shown(response)) == PAGE_SIZE


# --- pages ---------------------------------------------------------------------------------------


def test_pages_follow_cursors_without_gaps_or_repeats(supervisor, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    for number in range(2 * PAGE_SIZE + 20):
        record(by=officer, action="auth.signed_out", number=number)
    numbers, cursor, pages = [], None, []
    while True:
        response = search(supervisor, user=officer.pk, **({"after": cursor} if cursor else {}))
        page = response.context["page"]
        pages.append(page)
        numbers += [event.details["number"] for event in page.events]
        if not page.older:
            break
        assert f"after={page.older}" in response.content.decode()
        cursor = page.older
    assert [len(page.events) for page in pages] == [PAGE_SIZE, PAGE_SIZE, 20]
    assert numbers == list(range(2 * PAGE_SIZE + 20))[::-1]
    # "Newer" goes back a page exactly.
    back = search(supervisor, user=officer.pk, before=pages[2].newer).context["page"]
    assert back.events == pages[1].events and back.newer
    top = search(supervisor, user=officer.pk, before=back.newer).context["page"]
    assert top.events == pages[0].events and top.newer is None and top.first


def test_a_persons_events_over_several_cases_page_without_gaps_or_repeats(supervisor, partner, make_user):
    cases = [make_referral(partner, surname="Khan", forenames="Mohammed").case for _ in range(3)]
    officer = make_user(Role.PREVENT_OFFICER)
    for number in range(PAGE_SIZE + 30):
        record(by=officer, action="case.viewed", case=cases[number % 3], number=number)
    seen, query, pages = [], "?action=case.viewed", 0
    with CaptureQueriesContext(connection) as captured:
        while True:
            page = person_search(supervisor, query, name="Mohammed Khan").context["page"]
            seen += [event.details["number"] for event in page.events]
            pages += 1
            if not page.older:
                break
            query = f"?action=case.viewed&after={page.older}"
    assert pages == 2 and seen == list(range(PAGE_SIZE + 30))[::-1]
    if connection.vendor == "postgresql":  # each case read on its own index, then merged
        assert any("UNION" in query["sql"] for query in captured.captured_queries)


def test_a_bad_cursor_starts_at_the_newest(supervisor, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    record(by=officer, action="auth.signed_out")
    for cursor in ("nonsense", "bm90fGF8Y3Vyc29y", "%%%"):
        response = search(supervisor, user=officer.pk, after=cursor)
        assert response.status_code == 200 and len(shown(response)) == 1


def encoded(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        "9999-12-31T23:59:59-14:00|1",  # past year 9999 in UTC
        "0001-01-01T00:00:00+14:00|1",  # before year 1 in UTC
        "1800-01-01T00:00:00+00:00|1",
        "2026-01-01T00:00:00+00:00|99999999999999999999999",  # past a 64-bit id
        "2026-01-01T00:00:00+00:00|-99999999999999999999999",
        "2026-01-01T00:00:00+00:00|²",
    ],
)
def test_a_cursor_out_of_range_starts_at_the_newest_on_every_screen(supervisor, make_user, raw):
    officer = make_user(Role.PREVENT_OFFICER)
    case_id = uuid.uuid4()
    record(by=officer, action="case.viewed", case=case_id)
    for direction in ("after", "before"):
        for url in (
            reverse("audit:search"),
            reverse("audit:user_activity", args=[officer.pk]),
            reverse("audit:case_history", args=[case_id]),
        ):
            response = supervisor.get(url, {direction: encoded(raw)})
            assert response.status_code == 200, (url, direction)
            assert response.context["page"].first and len(shown(response)) >= 1


def queries_for(django_assert_max_num_queries, client, method, url, data=None, limit=20) -> int:
    with django_assert_max_num_queries(limit) as captured:
        assert getattr(client, method)(url, data or {}).status_code == 200
    return len(captured.captured_queries)


def test_each_page_runs_a_fixed_number_of_queries(supervisor, make_user, partner, django_assert_max_num_queries):
    officer = make_user(Role.PREVENT_OFFICER)
    case = make_referral(partner, surname="Khan", forenames="Mohammed").case
    record(by=officer, action="case.viewed", target=case)
    pages = [
        ("get", reverse("audit:search"), {}),
        ("get", reverse("audit:search"), {"case_reference": case.reference, "action": "case.viewed"}),
        ("post", reverse("audit:search") + "?action=case.viewed", {"name": "Mohammed Khan"}),
        ("get", reverse("audit:case_history", args=[case.pk]), {}),
        ("get", reverse("audit:user_activity", args=[officer.pk]), {}),
    ]
    search(supervisor)  # fills the cached staff list
    few = [queries_for(django_assert_max_num_queries, supervisor, *page) for page in pages]
    # Many more events, by many users, about many cases (each with its own reference to show).
    for _ in range(PAGE_SIZE + 10):
        record(by=make_user(Role.PREVENT_OFFICER), action="case.viewed", target=make_referral(partner).case)
        record(by=officer, action="case.viewed", target=case)
    for page, count in zip(pages, few, strict=True):
        assert queries_for(django_assert_max_num_queries, supervisor, *page, limit=count) == count, page
    assert max(few) <= 12


# --- one case, one user --------------------------------------------------------------------------


def test_case_history_shows_who_saw_the_case_without_opening_it(supervisor, signed_in, partner):
    case, other = make_referral(partner).case, make_referral(partner).case
    officer = officer_views(signed_in, case)
    officer_views(signed_in, other)
    response = supervisor.get(reverse("audit:case_history", args=[case.pk]))
    events = shown(response)
    assert {event.case_id for event in events} == {case.pk}
    assert any(event.actor_id == officer.pk and event.action == "case.viewed" for event in events)
    page = response.content.decode()
    assert case.reference in page and officer.full_name in page and "Case viewed" in page
    assert "sharing violent material" not in page
    assert not AuditEvent.objects.filter(action="case.viewed", actor=supervisor.user).exists()
    viewed = AuditEvent.objects.get(action="audit.case_history_viewed")
    assert viewed.actor == supervisor.user and viewed.case_id == case.pk and viewed.details["shown"] == len(events)


def test_case_history_outlives_the_case(supervisor, make_user):
    gone = uuid.uuid4()
    record(by=make_user(Role.PREVENT_OFFICER), action="case.viewed", case=gone)
    response = supervisor.get(reverse("audit:case_history", args=[gone]))
    assert response.status_code == 200 and "Case no longer held" in response.content.decode()
    assert supervisor.get(reverse("audit:case_history", args=[uuid.uuid4()])).status_code == 404


def test_user_activity_shows_that_users_events_only(supervisor, make_user):
    officer, other = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    record(by=officer, action="user.viewed", target=other)
    record(by=other, action="user.viewed", target=officer)
    response = supervisor.get(reverse("audit:user_activity", args=[officer.pk]))
    assert [event.actor_id for event in shown(response)] == [officer.pk]
    assert officer.full_name in response.content.decode() and "Prevent officer" in response.content.decode()
    viewed = AuditEvent.objects.get(action="audit.user_activity_viewed")
    assert viewed.target_id == str(officer.pk) and viewed.details["shown"] == 1
    assert supervisor.get(reverse("audit:user_activity", args=[999999])).status_code == 404


def test_rows_show_time_user_roles_action_case_record_address_and_reason(supervisor, make_user, partner):
    officer = make_user(Role.PREVENT_OFFICER)
    case = make_referral(partner).case
    record(by=officer, action="case.viewed", target=case, reason="Covering for a colleague")
    row = search(supervisor, user=officer.pk).context["rows"][0]
    assert row["user"] == officer.full_name and row["roles"] == "Prevent officer"
    assert row["action"] == "Case viewed" and row["case"] == case.reference
    assert row["record_type"] == "Case" and row["record_id"] == str(case.pk)
    assert row["reason"] == "Covering for a colleague" and row["when"]


# --- the action list -----------------------------------------------------------------------------

ACTION_LITERAL = re.compile(r'"([a-z_]+\.[a-z_]+)"')
CONSTANT = re.compile(r'^([A-Z_]+) = "([a-z_]+\.[a-z_]+)"$')


def actions_written(source: str) -> set[str]:
    """The audit actions a module writes: literals after `action=`, and constants it passes as the action."""
    constants = dict(CONSTANT.findall(line)[0] for line in source.splitlines() if CONSTANT.match(line))
    written = set()
    for line in source.splitlines():
        if re.search(r"\baction ?=", line) and "filter(" not in line:
            after = re.split(r"\baction ?=", line, maxsplit=1)[1]
            written.update(ACTION_LITERAL.findall(after))
            written.update(value for name, value in constants.items() if re.search(rf"\b{name}\b", after))
    return written


def test_every_action_written_in_the_code_has_a_label():
    apps = [path.parent for path in ROOT.glob("*/apps.py")]
    written = set()
    for app in apps:
        for path in app.rglob("*.py"):
            if "migrations" not in path.parts:
                written |= actions_written(path.read_text())
    assert {"case.viewed", "auth.sign_in_failed", "audit.searched"} <= written, "the scan is broken"
    assert sorted(written - set(actions.LABELS)) == [], "add these to audit/actions.py LABELS"


def test_case_history_and_person_search_include_the_list_pages_that_showed_the_case(supervisor, signed_in, partner):
    case, other = make_referral(partner).case, make_referral(partner).case
    other_partner_case = make_referral(partner, forenames="Quentin", surname="Ravensworth").case
    officer = signed_in(Role.PREVENT_OFFICER)
    assert officer.get(reverse("cases:queue")).status_code == 200  # one event, naming all three cases
    listing = AuditEvent.objects.get(action="case.queue_viewed")
    assert set(listing.details["case_ids"]) == {str(case.pk), str(other.pk), str(other_partner_case.pk)}

    history = shown(supervisor.get(reverse("audit:case_history", args=[case.pk])))
    assert listing in history
    found = shown(person_search(supervisor, name="Quentin Ravensworth"))
    assert [event.pk for event in found].count(listing.pk) == 1

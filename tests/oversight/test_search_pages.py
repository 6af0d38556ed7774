"""The audit search's keyset pages, one case's access history and one user's activity."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import record
from core import cursors
from core.paging import page_size
from tests.oversight.helpers import officer_views, person_search, search, shown
from tests.referrals.factories import make_referral

# --- pages ---------------------------------------------------------------------------------------


def test_pages_follow_cursors_without_gaps_or_repeats(supervisor, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    for number in range(2 * page_size() + 20):
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
    assert [len(page.events) for page in pages] == [page_size(), page_size(), 20]
    assert numbers == list(range(2 * page_size() + 20))[::-1]
    # "Newer" goes back a page exactly.
    back = search(supervisor, user=officer.pk, before=pages[2].newer).context["page"]
    assert back.events == pages[1].events and back.newer
    top = search(supervisor, user=officer.pk, before=back.newer).context["page"]
    assert top.events == pages[0].events and top.newer is None and top.first


def test_a_persons_events_over_several_cases_page_without_gaps_or_repeats(supervisor, partner, make_user):
    cases = [make_referral(partner, surname="Khan", forenames="Mohammed").case for _ in range(3)]
    officer = make_user(Role.PREVENT_OFFICER)
    for number in range(page_size() + 30):
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
    assert pages == 2 and seen == list(range(page_size() + 30))[::-1]
    if connection.vendor == "postgresql":  # each case read on its own index, then merged
        assert any("UNION" in query["sql"] for query in captured.captured_queries)


def test_a_bad_cursor_starts_at_the_newest(supervisor, make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    record(by=officer, action="auth.signed_out")
    for cursor in ("nonsense", "bm90fGF8Y3Vyc29y", "%%%"):
        response = search(supervisor, user=officer.pk, after=cursor)
        assert response.status_code == 200 and len(shown(response)) == 1


def signed(raw: str) -> str:
    """A cursor signed as the search signs its own, with made-up keys: the signature alone must not let it in."""
    moment, pk = raw.split("|")
    return cursors.signer("oversight.events").sign_object([moment, int(pk) if pk.isascii() else pk])


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
            response = supervisor.get(url, {direction: signed(raw)})
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
    for _ in range(page_size() + 10):
        record(by=make_user(Role.PREVENT_OFFICER), action="case.viewed", target=make_referral(partner).case)
        record(by=officer, action="case.viewed", target=case)
    search(supervisor)  # the staff list may have expired while the events were made on a loaded machine
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


def test_case_history_opens_with_a_summary_per_person_with_their_grounds(supervisor, signed_in, partner, make_user):
    from cases import break_glass

    case = make_referral(partner).case
    officer = officer_views(signed_in, case)
    reader = make_user(Role.PREVENT_OFFICER)
    case.refresh_from_db()  # now in the officer's caseload
    break_glass.open_with_reason(case, by=reader, reason_code="safeguarding", reason="Urgent safeguarding call.")
    record(by=reader, action="case.viewed", target=case)
    with CaptureQueriesContext(connection) as queries:
        from oversight.selectors import who_saw

        viewers = who_saw(case.pk)
    assert len(queries.captured_queries) == 2
    by_name = {viewer.name: viewer for viewer in viewers}
    assert by_name[officer.full_name].grounds == "Caseload or role"
    assert by_name[officer.full_name].roles == "Prevent officer"
    assert by_name[reader.full_name].grounds == "Break-glass: Urgent safeguarding risk"
    assert by_name[reader.full_name].count >= 1
    assert supervisor.user.full_name not in by_name  # reading the trail is not reading the case
    assert set(by_name) == {partner.full_name, officer.full_name, reader.full_name}
    body = supervisor.get(reverse("audit:case_history", args=[case.pk])).content.decode()
    assert "Who saw this case: 3 people" in body  # the referrer who sent it, the officer, the reader
    assert reader.full_name in body and "Break-glass: " in body


def test_searching_for_case_viewed_finds_a_providers_views_too(supervisor, signed_in, partner, make_user):
    case = make_referral(partner).case
    officer = officer_views(signed_in, case)
    provider = make_user(Role.SUPPORT_PROVIDER)
    record(by=provider, action="case.viewed_by_provider", target=case, sections=["needs"])
    record(by=officer, action="case.note_added", target=case)
    response = search(supervisor, case_reference=case.reference, action="case.viewed")
    assert {(event.actor_id, event.action) for event in shown(response)} == {
        (officer.pk, "case.viewed"),
        (provider.pk, "case.viewed_by_provider"),
    }


def test_the_reason_column_says_why_for_reads_under_a_grant_and_a_providers_share(supervisor, signed_in, partner):
    from cases import break_glass

    case = make_referral(partner).case
    officer_views(signed_in, case)
    reader = signed_in(Role.PREVENT_OFFICER)
    case.refresh_from_db()  # in the first officer's caseload, so outside the reader's
    break_glass.open_with_reason(case, by=reader.user, reason_code="safeguarding", reason="Urgent safeguarding call.")
    assert reader.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    provider = signed_in(Role.SUPPORT_PROVIDER)
    record(by=provider.user, action="case.viewed_by_provider", target=case, sections=["needs"])
    record(by=reader.user, action="referral.viewed", target=case, break_glass_id=1)  # an older row: no reason kept
    reasons = {
        (row["user"], row["action"]): row["reason"]
        for row in search(supervisor, case_reference=case.reference).context["rows"]
    }
    assert reasons[(reader.user.full_name, "Case viewed")] == "Break-glass: Urgent safeguarding risk"
    assert (
        reasons[(provider.user.full_name, "Case viewed by support provider")] == "Support provider: the sections shared"
    )
    assert reasons[(reader.user.full_name, "Referral viewed")] == "Break-glass"

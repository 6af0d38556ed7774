"""Supervisors review break-glass access; every page read under a grant names it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from cases import break_glass, intake, selectors, services
from cases.models import Case
from tests.cases.test_break_glass import (  # noqa: F401 - the fixtures and helpers of the module these tests were split from
    SURNAME,
    WHY,
    case,
    checked,
    detail_url,
    events,
    grant,
    owned_case,
    reason_url,
    team,
)
from tests.referrals.factories import make_referral


def review_url(access):
    return reverse("cases:break_glass_review", args=[access.pk])


QUEUE = reverse("cases:break_glass_queue")


def test_a_supervisor_marks_an_access_appropriate_and_it_is_audited(case, team, signed_in):
    access = grant(case, team["officer"])
    boss = signed_in(user=team["supervisor"])
    listing = boss.get(QUEUE)
    body = listing.content.decode()
    assert listing.status_code == 200
    for shown in (team["officer"].full_name, case.reference, "Covering for an absent colleague", WHY):
        assert shown in body, shown
    assert SURNAME not in body
    (listed,) = events("break_glass.listed", actor=team["supervisor"])
    assert listed.details["ids"] == [str(access.pk)] and listed.details["case_ids"] == [str(access.case_id)]

    page = boss.get(review_url(access))
    assert page.status_code == 200 and WHY in page.content.decode()
    assert events("break_glass.viewed", actor=team["supervisor"], target_id=str(access.pk)).exists()
    response = boss.post(review_url(access), {"verdict": "appropriate", "note": ""}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "marked appropriate" in response.content.decode()

    access.refresh_from_db()
    assert (access.verdict, access.reviewed_by, access.review_note) == ("appropriate", team["supervisor"], "")
    assert access.reviewed_at is not None
    event = events("break_glass.reviewed").get()
    assert event.actor == team["supervisor"] and event.case_id == case.pk and event.target_id == str(access.pk)
    officer_id = team["officer"].pk
    assert event.details == {"verdict": "appropriate", "reviewed_user_id": officer_id, "reason_code": "covering"}
    assert list(selectors.break_glass_to_review(team["supervisor"])) == []
    assert list(selectors.break_glass_reviewed(team["supervisor"])) == [access]
    reviewed = boss.get(QUEUE + "?show=reviewed").content.decode()
    assert "Appropriate" in reviewed and team["supervisor"].full_name in reviewed


def test_not_appropriate_needs_a_note_and_keeps_what_was_chosen(case, team, signed_in):
    access = grant(case, team["officer"])
    boss = signed_in(user=team["supervisor"])
    response = boss.post(review_url(access), {"verdict": "inappropriate", "note": "  "})
    body = response.content.decode()
    assert response.status_code == 200 and "Explain why the access was not appropriate" in body
    assert checked(body, "inappropriate")
    access.refresh_from_db()
    assert access.reviewed_at is None and not events("break_glass.reviewed").exists()
    response = boss.post(review_url(access), {"verdict": "", "note": "Something I typed"})
    assert "Select whether the access was appropriate" in response.content.decode()
    assert "Something I typed" in response.content.decode()

    boss.post(review_url(access), {"verdict": "inappropriate", "note": "Not covering: the owner was at work."})
    access.refresh_from_db()
    assert access.verdict == "inappropriate" and access.review_note == "Not covering: the owner was at work."
    assert events("break_glass.reviewed").get().reason == ""  # the note stays on the grant, not in the trail


def test_an_access_is_reviewed_once(case, team):
    access = grant(case, team["officer"])
    break_glass.review_access(access, by=team["supervisor"], verdict="appropriate")
    with pytest.raises(ValidationError, match="already reviewed this access"):
        break_glass.review_access(access, by=team["second_supervisor"], verdict="inappropriate", note="No.")
    access.refresh_from_db()
    assert access.reviewed_by == team["supervisor"] and events("break_glass.reviewed").count() == 1


def test_a_supervisor_cannot_review_their_own_access(case, team, signed_in):
    from django.contrib.auth.models import Group

    access = grant(case, team["officer"])
    promoted = team["officer"]
    promoted.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    promoted = type(promoted).objects.get(pk=promoted.pk)  # fresh permission cache
    with pytest.raises(PermissionDenied):
        break_glass.review_access(access, by=promoted, verdict="appropriate")
    client = signed_in(user=promoted)
    assert "Your own: another supervisor reviews it" in client.get(QUEUE).content.decode()
    assert client.get(review_url(access)).status_code == 403
    assert client.post(review_url(access), {"verdict": "appropriate"}).status_code == 403
    access.refresh_from_db()
    assert access.reviewed_at is None and not events("break_glass.reviewed").exists()
    break_glass.review_access(access, by=team["supervisor"], verdict="appropriate")


def test_only_supervisors_review_break_glass(case, team, signed_in):
    access = grant(case, team["officer"])
    for user in (team["officer"], team["owner"]):
        client = signed_in(user=user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(review_url(access)).status_code == 403
        assert client.post(review_url(access), {"verdict": "appropriate"}).status_code == 403
        with pytest.raises(PermissionDenied):
            break_glass.review_access(access, by=user, verdict="appropriate")
    assert not selectors.visible_break_glass(team["officer"]).exists()
    assert signed_in(user=team["supervisor"]).get(reverse("cases:break_glass_review", args=[999999])).status_code == 404


def test_the_review_queue_lists_oldest_first_and_reviewed_separately(team, signed_in, clock):
    first, second, third = (owned_case(team) for _ in range(3))
    accesses = []
    for target in (first, second, third):
        accesses.append(grant(target, team["officer"]))
        clock.shift(60)
    break_glass.review_access(accesses[1], by=team["supervisor"], verdict="appropriate")
    boss = signed_in(user=team["supervisor"])
    assert boss.get(QUEUE).context["rows"] == [accesses[0], accesses[2]]
    assert boss.get(QUEUE + "?show=reviewed").context["rows"] == [accesses[1]]


def test_the_review_queue_runs_a_fixed_number_of_queries_and_pages(
    team, signed_in, settings, django_assert_max_num_queries
):
    settings.PAGE_SIZE = 5
    boss = signed_in(user=team["supervisor"])
    grant(owned_case(team), team["officer"])
    # Session, user, device, permissions and the unread-notices count of every page; then the count, the page
    # (with officer, case and reviewer joined) and one audit INSERT for all its rows.
    with django_assert_max_num_queries(8) as few:
        boss.get(QUEUE)
    for _ in range(11):
        grant(owned_case(team), team["colleague"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = boss.get(QUEUE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        last = boss.get(QUEUE + "?page=3")
    assert len(first.context["rows"]) == 5 and len(last.context["rows"]) == 2
    assert "page=2" in first.content.decode()
    assert first.context["page"].paginator.count == 12


def test_a_grant_does_not_let_its_holder_decide_on_a_possible_repeat_referral(team):
    from referrals.models import ReferralLink

    first = owned_case(team)
    later = make_referral(team["partner"], surname=SURNAME).case
    later = services.assign(later, to=team["owner"], by=team["supervisor"])
    link = ReferralLink.objects.get(referral__case=later)
    grant(later, team["officer"])
    with pytest.raises(PermissionDenied):
        intake.decide_link(link, by=team["officer"], same_person=False)
    link.refresh_from_db()
    assert link.status == ReferralLink.Status.SUGGESTED and first.pk != later.pk
    intake.decide_link(link, by=team["owner"], same_person=False)  # the case's own officer may


# Every read under a grant names it, as the case page does.

READ_UNDER_A_GRANT = {
    "cases:detail",
    "cases:download_document",
    "cases:record_check",
    "cases:assess",
    "cases:decide",
    "cases:support_plan",
    "cases:consent",
    "cases:grant",
    "cases:review",
    "cases:meeting",
    "referrals:detail",
    "referrals:download",
}


def test_every_page_an_officer_opens_under_a_grant_names_the_grant_in_its_audit_events(make_user):
    """Walk every page twice, before and after the grants: what only the grants open must name them."""
    from tests.audit.test_read_audit import events_of
    from tests.conftest import sign_in_client
    from tests.test_access_matrix import MATRIX, build

    reader = make_user(Role.PREVENT_OFFICER)
    data = build(reader, make_user, with_case_records=True, with_break_glass=True)
    # The referral's case is new and unassigned (in everyone's caseload): give it an officer of its own.
    services.assign(data["case"], to=make_user(Role.PREVENT_OFFICER), by=make_user(Role.SUPERVISOR))
    outside = [data["case"], data["shared_case"], data["case_with_review"], data["agenda_item"].case]
    client = sign_in_client(Client(), reader)
    made = {None: None}  # some builders make a record (a tombstone): once each
    pages = {}
    for name, (method, kwargs_for, _) in sorted(MATRIX.items()):
        if method == "get":
            if kwargs_for not in made:
                made[kwargs_for] = kwargs_for(data)
            pages[name] = reverse(name, kwargs=made[kwargs_for])

    def walk():
        """Yield each page's audit events about the outside cases, with the ids of the cases each names."""
        for name, url in pages.items():
            response = client.get(url)
            if response.status_code != 200:
                continue
            for event in events_of(response):
                about = ({str(event.case_id)} | set(event.details.get("case_ids", []))) & set(grants)
                if about:
                    yield name, event, about

    grants = {str(case.pk): None for case in outside}
    without = {name for name, _, _ in walk()}
    assert without == {"cases:queue", "referrals:received"}  # triage facts of every case, grant or none
    grants = {str(case.pk): grant(Case.objects.get(pk=case.pk), reader).pk for case in outside}
    read = set()
    for name, event, about in walk():
        if name in without:
            assert "break_glass_id" not in event.details and "break_glass_ids" not in event.details
            continue
        read.add(name)
        granted = sorted(grants[case_id] for case_id in about)
        if "case_ids" in event.details:
            assert event.details.get("break_glass_ids") == granted, (name, event.action, event.details)
        else:
            assert event.details.get("break_glass_id") == granted[0], (name, event.action, event.details)
    assert read == READ_UNDER_A_GRANT


def test_a_page_of_ones_own_caseload_names_no_grant_even_while_one_is_held(case, team, signed_in):
    grant(case, team["officer"])
    services.assign(case, to=team["officer"], by=team["supervisor"])
    officer = signed_in(user=team["officer"])
    assert officer.get(reverse("cases:record_check", args=[case.pk])).status_code == 200
    assert officer.get(reverse("referrals:detail", args=[case.referrals.get().pk])).status_code == 200
    for action in ("case.viewed", "referral.viewed"):
        assert "break_glass_id" not in events(action, actor=team["officer"]).get().details


def test_the_acknowledgement_of_a_referral_an_officer_entered_names_the_grant_once_the_case_is_not_theirs(
    team, signed_in
):
    from tests.referrals.factories import make_draft

    on_behalf = {"organisation": team["partner"].organisation, "channel": "phone"}
    referral = intake.submit_referral(make_draft(team["officer"], **on_behalf), by=team["officer"])
    case = services.assign(referral.case, to=team["owner"], by=team["supervisor"])
    officer = signed_in(user=team["officer"])
    assert officer.get(reverse("referrals:submitted", args=[referral.pk])).status_code == 404
    access = grant(case, team["officer"])
    assert officer.get(reverse("referrals:submitted", args=[referral.pk])).status_code == 200
    viewed = events("referral.acknowledgement_viewed", actor=team["officer"]).get()
    assert viewed.details == {"break_glass_id": access.pk}

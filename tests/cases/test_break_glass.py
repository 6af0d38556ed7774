"""Break-glass: an officer opens a case outside their caseload with a reason, for a while; supervisors review it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import break_glass, selectors, services
from cases.models import BreakGlass, Case
from tests.referrals.factories import make_referral

SURNAME = "Quenneville"  # the person's name: never on the reason page
WHY = "Covering for DC Amos while she is on leave; the family called the front desk."


@pytest.fixture
def team(make_user):
    return {
        "owner": make_user(Role.PREVENT_OFFICER),
        "officer": make_user(Role.PREVENT_OFFICER),
        "colleague": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "second_supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


def owned_case(team, **person) -> Case:
    """A case assigned to its own officer: outside everyone else's caseload."""
    case = make_referral(team["partner"], surname=SURNAME, **person).case
    return services.assign(case, to=team["owner"], by=team["supervisor"])


@pytest.fixture
def case(team):
    return owned_case(team)


def reason_url(case):
    return reverse("cases:reason", args=[case.pk])


def detail_url(case):
    return reverse("cases:detail", args=[case.pk])


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def checked(body, value) -> bool:
    """Whether the radio with this value is chosen on the page."""
    return re.search(rf'value="{value}"\s*checked', body) is not None


def grant(case, user, code=BreakGlass.Reason.COVERING, reason=WHY):
    return break_glass.open_with_reason(case, by=user, reason_code=code, reason=reason)


# The officer's side.


def test_an_officer_gives_a_reason_reads_the_case_and_is_refused_again_once_the_grant_expires(
    case, team, signed_in, settings, clock
):
    settings.BREAK_GLASS_MINUTES = 10  # shorter than the 15-minute idle sign-out, so the session survives
    officer = signed_in(user=team["officer"])

    response = officer.get(detail_url(case))
    assert response.status_code == 302 and response["Location"] == reason_url(case)
    assert not events("case.viewed", actor=team["officer"]).exists()

    page = officer.get(reason_url(case))
    body = page.content.decode()
    assert page.status_code == 200 and "Why do you need to open this case?" in body
    assert case.reference in body
    for hidden in (SURNAME, "sharing violent material", team["owner"].full_name, "NR1 1AA"):
        assert hidden not in body, hidden
    assert "10 minutes" in body
    asked = events("break_glass.asked", actor=team["officer"]).get()
    assert asked.case_id == case.pk and asked.reason == "" and asked.details == {}

    response = officer.post(reason_url(case), {"reason_code": "covering", "reason": WHY}, follow=True)
    assert [url for url, _ in response.redirect_chain] == [detail_url(case)]
    assert response.status_code == 200 and response.context["case"] == case
    assert "A supervisor will review your reason" in response.content.decode()

    access = BreakGlass.objects.get()
    assert (access.user, access.case, access.reason_code, access.reason) == (team["officer"], case, "covering", WHY)
    assert access.expires_at - access.granted_at == timedelta(minutes=10)
    assert access.reviewed_at is None
    chain = list(AuditEvent.objects.filter(actor=team["officer"], case_id=case.pk).order_by("id"))
    assert [event.action for event in chain] == ["break_glass.asked", "case.break_glass", "case.viewed"]
    _, broke, viewed = chain
    assert broke.request_id != viewed.request_id  # the grant's request, then the case page it redirects to
    assert broke.reason == "Covering for an absent colleague" and broke.target_id == str(case.pk)
    assert WHY not in str(broke.details)  # the words stay on the grant, which goes with the case
    assert broke.details["reason_code"] == "covering" and broke.details["break_glass_id"] == access.pk
    assert viewed.details == {"referral_ids": [str(case.referrals.get().pk)], "break_glass_id": access.pk}

    # While the grant lasts the case opens at once, each opening audited as usual.
    assert officer.get(detail_url(case)).status_code == 200
    assert officer.get(reason_url(case))["Location"] == detail_url(case)
    assert events("case.viewed", actor=team["officer"]).count() == 2

    clock.shift(10 * 60 + 1)
    response = officer.get(detail_url(case))
    assert response.status_code == 302 and response["Location"] == reason_url(case)
    assert officer.get(reason_url(case)).status_code == 200
    assert events("case.viewed", actor=team["officer"]).count() == 2
    assert case not in selectors.openable_cases(team["officer"])


def test_a_grant_lasts_an_hour_by_default(case, team):
    access = grant(case, team["officer"])
    assert access.expires_at - access.granted_at == timedelta(minutes=60)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": WHY}, "Select why you need to open this case"),
        ({"reason_code": "safeguarding", "reason": "   "}, "Explain why you need to open this case"),
        ({"reason_code": "made_up", "reason": WHY}, "Select a valid choice"),
        ({"reason_code": "other", "reason": "x" * 1001}, "Explain why in 1000 characters or fewer"),
    ],
)
def test_a_missing_or_bad_reason_is_explained_and_what_was_typed_is_kept(case, team, signed_in, data, message):
    officer = signed_in(user=team["officer"])
    response = officer.post(reason_url(case), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and "govuk-error-summary" in body and "(error)" in body
    if data.get("reason", "").strip():
        assert data["reason"] in body
    if data.get("reason_code") in BreakGlass.Reason.values:
        assert checked(body, data["reason_code"])
    assert not BreakGlass.objects.exists()
    assert not events("case.break_glass").exists() and not events("case.viewed", actor=team["officer"]).exists()
    assert officer.get(detail_url(case)).status_code == 302


def test_the_service_refuses_a_reason_it_cannot_accept(case, team):
    with pytest.raises(ValidationError) as refused:
        break_glass.open_with_reason(case, by=team["officer"], reason_code="nope", reason=" ")
    assert set(refused.value.message_dict) == {"reason_code", "reason"}
    assert not BreakGlass.objects.exists()


def test_a_grant_is_for_one_officer_and_one_case(case, team, signed_in):
    other_case = owned_case(team)
    grant(case, team["officer"])
    officer, colleague = signed_in(user=team["officer"]), signed_in(user=team["colleague"])
    assert officer.get(detail_url(case)).status_code == 200
    assert officer.get(detail_url(other_case))["Location"] == reason_url(other_case)
    assert colleague.get(detail_url(case))["Location"] == reason_url(case)
    assert set(selectors.openable_cases(team["officer"]).filter(pk__in=[case.pk, other_case.pk])) == {case}
    assert not selectors.openable_cases(team["colleague"]).filter(pk__in=[case.pk, other_case.pk]).exists()


def test_the_openable_cases_stay_one_query_with_grants(case, team, django_assert_num_queries):
    grant(case, team["officer"])
    with django_assert_num_queries(1):
        assert case.pk in [c.pk for c in selectors.openable_cases(team["officer"])]


def test_a_grant_also_opens_the_cases_referral(case, team, signed_in):
    referral_url = reverse("referrals:detail", args=[case.referrals.get().pk])
    officer = signed_in(user=team["officer"])
    assert officer.get(referral_url).status_code == 404
    grant(case, team["officer"])
    assert officer.get(referral_url).status_code == 200


def test_a_grant_lets_an_officer_read_a_case_but_not_act_as_its_officer(case, team, signed_in):
    case = services.move(case, by=team["owner"], action="start_gathering")
    grant(case, team["officer"])
    officer = signed_in(user=team["officer"])
    page = officer.get(detail_url(case))
    assert page.status_code == 200
    assert page.context["moves"] == [] and not page.context["can_work"] and not page.context["can_take"]
    assert officer.get(reverse("cases:record_check", args=[case.pk])).status_code == 200  # reading the page
    version = {"version": case.version}
    writes = [
        ("cases:move", {**version, "action": "start_assessment"}),
        ("cases:add_note", {"text": "Seen."}),
        ("cases:record_check", {"kind": "other", "result": "no_trace"}),
        ("cases:assign", {**version, "to": "me"}),
        ("cases:assess", version),
        ("cases:decide", version),
    ]
    for name, data in writes:
        assert officer.post(reverse(name, args=[case.pk]), data).status_code == 403, name
    referral = case.referrals.get()
    assert officer.post(reverse("cases:feedback", args=[case.pk, referral.pk]), {"feedback": "Hi"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_note(case, by=team["officer"], text="Seen.")
    case.refresh_from_db()
    assert (case.status, case.assigned_to, case.notes.count()) == (Case.Status.GATHERING, team["owner"], 0)


def test_officers_need_no_reason_for_their_caseload_and_supervisors_for_any_case(case, team, signed_in):
    unassigned = make_referral(team["partner"]).case
    for client, target in [
        (signed_in(user=team["owner"]), case),
        (signed_in(user=team["officer"]), unassigned),
        (signed_in(user=team["supervisor"]), case),
    ]:
        assert client.get(reason_url(target))["Location"] == detail_url(target)
        assert client.get(detail_url(target)).status_code == 200
    for user, target in [(team["owner"], case), (team["supervisor"], case), (team["officer"], unassigned)]:
        with pytest.raises(PermissionDenied):
            grant(target, user)
    assert not BreakGlass.objects.exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.SYSTEM_ADMIN, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER])
def test_nobody_outside_the_prevent_team_is_offered_a_reason_page(case, signed_in, role):
    client = signed_in(role)
    assert client.get(detail_url(case)).status_code == 403
    assert client.get(reason_url(case)).status_code == 403
    assert client.post(reason_url(case), {"reason_code": "other", "reason": WHY}).status_code == 403
    assert not BreakGlass.objects.exists()
    with pytest.raises(PermissionDenied):
        grant(case, client.user)


def test_an_unknown_or_merged_case_is_not_found(case, team, signed_in):
    import uuid

    officer = signed_in(user=team["officer"])
    assert officer.get(reverse("cases:reason", args=[uuid.uuid4()])).status_code == 404
    Case.objects.filter(pk=case.pk).update(status=Case.Status.MERGED)
    assert officer.get(reason_url(case)).status_code == 404


# The supervisors' side.


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
    assert not selectors.break_glass_accesses(team["officer"]).exists()
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
    team, signed_in, monkeypatch, django_assert_max_num_queries
):
    from cases.views import break_glass as views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
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
    from referrals import services as referral_services
    from referrals.models import ReferralLink

    first = owned_case(team)
    later = make_referral(team["partner"], surname=SURNAME).case
    later = services.assign(later, to=team["owner"], by=team["supervisor"])
    link = ReferralLink.objects.get(referral__case=later)
    grant(later, team["officer"])
    with pytest.raises(PermissionDenied):
        referral_services.decide_link(link, by=team["officer"], same_person=False)
    link.refresh_from_db()
    assert link.status == ReferralLink.Status.SUGGESTED and first.pk != later.pk
    referral_services.decide_link(link, by=team["owner"], same_person=False)  # the case's own officer may


# Every read under a grant names it, as the case page does.

READ_UNDER_A_GRANT = {
    "cases:detail",
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
    from referrals import services as referral_services
    from tests.referrals.factories import make_draft

    on_behalf = {"organisation": team["partner"].organisation, "channel": "phone"}
    referral = referral_services.submit_referral(make_draft(team["officer"], **on_behalf), by=team["officer"])
    case = services.assign(referral.case, to=team["owner"], by=team["supervisor"])
    officer = signed_in(user=team["officer"])
    assert officer.get(reverse("referrals:submitted", args=[referral.pk])).status_code == 404
    access = grant(case, team["officer"])
    assert officer.get(reverse("referrals:submitted", args=[referral.pk])).status_code == 200
    viewed = events("referral.acknowledgement_viewed", actor=team["officer"]).get()
    assert viewed.details == {"break_glass_id": access.pk}

"""Break-glass: an officer opens a case outside their caseload with a reason, for a while; supervisors review it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
    # Each read under the grant says why on its own row: the reason chosen, never the officer's words.
    assert viewed.reason == "Break-glass: Covering for an absent colleague"

    # While the grant lasts the case opens at once, each opening audited as usual.
    assert officer.get(detail_url(case)).status_code == 200
    assert officer.get(reason_url(case))["Location"] == detail_url(case)
    assert events("case.viewed", actor=team["officer"]).count() == 2

    clock.shift(10 * 60 + 1)
    response = officer.get(detail_url(case))
    assert response.status_code == 302 and response["Location"] == reason_url(case)
    assert officer.get(reason_url(case)).status_code == 200
    assert events("case.viewed", actor=team["officer"]).count() == 2
    assert case not in selectors.visible_openable_cases(team["officer"])


def test_a_grant_lasts_an_hour_by_default(case, team):
    access = grant(case, team["officer"])
    assert access.expires_at - access.granted_at == timedelta(minutes=60)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": WHY}, "Select why you need to open this case"),
        ({"reason_code": "safeguarding", "reason": "   "}, "Explain why you need to open this case"),
        ({"reason_code": "made_up", "reason": WHY}, "Select a valid choice"),
        ({"reason_code": "other", "reason": "x" * 1001}, "Your explanation must be 1,000 characters or fewer"),
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
    assert set(selectors.visible_openable_cases(team["officer"]).filter(pk__in=[case.pk, other_case.pk])) == {case}
    assert not selectors.visible_openable_cases(team["colleague"]).filter(pk__in=[case.pk, other_case.pk]).exists()


def test_the_openable_cases_stay_one_query_with_grants(case, team, django_assert_num_queries):
    grant(case, team["officer"])
    with django_assert_num_queries(1):
        assert case.pk in [c.pk for c in selectors.visible_openable_cases(team["officer"])]


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
    actions = page.context["actions"]
    assert actions.moves == () and not actions.record_check and not actions.take
    assert not actions.write and not actions.change_support
    body = page.content.decode()
    assert "Share feedback" not in body and "Add note" not in body  # no button it could not use
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

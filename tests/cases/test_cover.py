"""Cover: a colleague officer opens and works an absent officer's cases while the cover lasts, audited as cover."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import cover, permissions, selectors, services
from cases.models import Case, Cover
from notifications.models import Notification
from tests.referrals.factories import make_referral

DAY = datetime.timedelta(days=1)


@pytest.fixture
def team(make_user):
    return {
        "away": make_user(Role.PREVENT_OFFICER),
        "colleague": make_user(Role.PREVENT_OFFICER),
        "other": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


def owned_case(team, owner="away") -> Case:
    case = make_referral(team["partner"]).case
    return services.assign(case, to=team[owner], by=team["supervisor"])


def set_cover(team, *, by=None, days=7, starts=0, colleague="colleague", note="Annual leave") -> Cover:
    today = timezone.localdate()
    return cover.set_cover(
        team["away"],
        colleague=team[colleague],
        starts_on=today + starts * DAY,
        ends_on=today + (starts + days) * DAY,
        note=note,
        by=by or team["away"],
    )


# Services.


def test_setting_cover_saves_it_audits_it_and_tells_the_colleague(team):
    made = set_cover(team)

    assert made.officer == team["away"] and made.colleague == team["colleague"] and made.ended_at is None
    event = AuditEvent.objects.get(action="cover.set")
    assert event.actor == team["away"] and event.target_id == str(made.pk)
    assert event.details["officer_id"] == team["away"].pk and event.details["colleague_id"] == team["colleague"].pk
    notice = Notification.objects.get(kind=Notification.Kind.COVER_SET)
    assert notice.recipient == team["colleague"] and notice.reference == f"COVER-{made.pk}"
    assert notice.link == reverse("cases:covers")


def test_a_supervisor_sets_cover_for_an_officer_who_is_told_too(team):
    made = set_cover(team, by=team["supervisor"])
    told = set(Notification.objects.filter(kind=Notification.Kind.COVER_SET).values_list("recipient", flat=True))
    assert made.created_by == team["supervisor"] and told == {team["away"].pk, team["colleague"].pk}


def test_an_officer_cannot_set_cover_for_another_officer(team):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        cover.set_cover(team["away"], colleague=team["colleague"], starts_on=today, ends_on=today, by=team["other"])
    assert not Cover.objects.exists()


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("ends_on", {"ends": -1}, "The end date must be the same as or after the start date"),
        ("colleague", {"colleague": "away"}, "an officer cannot cover for themselves"),
        ("colleague", {"colleague": "partner"}, "Select a colleague who is a Prevent officer"),
        ("colleague", {"colleague": "supervisor"}, "Select a colleague who is a Prevent officer"),
        ("starts_on", {"starts": -1}, "The start date must be today or in the future"),
    ],
)
def test_cover_breaking_a_rule_is_refused_with_a_message_by_the_field(team, field, change, message):
    today = timezone.localdate()
    starts_on = today + change.get("starts", 0) * DAY
    with pytest.raises(ValidationError) as refused:
        cover.set_cover(
            team["away"],
            colleague=team[change.get("colleague", "colleague")],
            starts_on=starts_on,
            ends_on=starts_on + change.get("ends", 3) * DAY,
            by=team["away"],
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not Cover.objects.exists() and not AuditEvent.objects.filter(action="cover.set").exists()


def test_overlapping_cover_for_the_same_officer_is_refused_but_the_next_week_is_fine(team):
    set_cover(team, days=6)
    with pytest.raises(ValidationError) as refused:
        set_cover(team, starts=6, days=3, colleague="other")
    assert "already set" in refused.value.message_dict["starts_on"][0]
    set_cover(team, starts=7, days=3, colleague="other")
    assert Cover.objects.count() == 2


def test_ending_cover_early_audits_it_tells_the_other_officer_and_closes_the_cases_again(team):
    case = owned_case(team)
    made = set_cover(team)
    assert permissions.can_open(team["colleague"], case)

    cover.end_cover(made, by=team["away"])

    made.refresh_from_db()
    assert made.ended_by == team["away"] and made.ended_at is not None
    assert AuditEvent.objects.filter(action="cover.ended", target_id=str(made.pk), actor=team["away"]).exists()
    ended = Notification.objects.get(kind=Notification.Kind.COVER_ENDED)
    assert ended.recipient == team["colleague"]
    assert not permissions.can_open(team["colleague"], case)
    assert not selectors.visible_openable_cases(team["colleague"]).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError):
        cover.end_cover(made, by=team["supervisor"])


def test_either_officer_or_a_supervisor_ends_cover_and_nobody_else(team):
    made = set_cover(team)
    with pytest.raises(PermissionDenied):
        cover.end_cover(made, by=team["other"])
    with pytest.raises(PermissionDenied):
        cover.end_cover(made, by=team["partner"])
    assert all(permissions.can_end_cover(team[who], made) for who in ("away", "colleague", "supervisor"))
    cover.end_cover(made, by=team["colleague"])
    assert Notification.objects.get(kind=Notification.Kind.COVER_ENDED).recipient == team["away"]


# Who opens what: `can_open` and `visible_openable_cases`.


def test_the_colleague_opens_and_works_covered_cases_only_while_the_cover_lasts(team, time_machine):
    case = owned_case(team)
    later = set_cover(team, starts=2, days=3)
    colleague = team["colleague"]
    assert not permissions.can_open(colleague, case)  # not started yet

    time_machine.move_to(timezone.now() + 2 * DAY)
    assert permissions.can_open(colleague, case) and permissions.works_on(colleague, case)
    assert selectors.visible_openable_cases(colleague).filter(pk=case.pk).exists()
    assert not permissions.can_open(team["other"], case)

    time_machine.move_to(timezone.now() + 4 * DAY)  # past the end date: it ended by itself
    assert Cover.objects.get(pk=later.pk).ended_at is None
    assert not permissions.can_open(colleague, case) and not permissions.works_on(colleague, case)
    assert not selectors.visible_openable_cases(colleague).filter(pk=case.pk).exists()


def test_the_colleague_does_not_open_the_cases_of_whoever_the_absent_officer_covers(team):
    others_case = owned_case(team, owner="other")
    cover.set_cover(
        team["other"],
        colleague=team["away"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        by=team["other"],
    )
    set_cover(team)
    assert permissions.can_open(team["away"], others_case)
    assert not permissions.can_open(team["colleague"], others_case)


def test_a_teammates_new_case_opens_without_break_glass_but_not_once_it_is_worked(team):
    from accounts import services as accounts

    north = accounts.create_team(by=None, name="North")
    for who in ("away", "colleague"):
        accounts.set_team(team[who], team=north, by=None)
    case = Case.objects.select_related("assigned_to").get(pk=owned_case(team).pk)
    mate = type(team["colleague"]).objects.get(pk=team["colleague"].pk)
    assert permissions.can_open(mate, case) and not permissions.works_on(mate, case)
    assert not permissions.can_open(team["other"], case)
    case = services.move(case, by=team["away"], action="start_gathering")
    assert not permissions.can_open(mate, case)


def test_can_open_and_the_openable_selector_agree_over_a_mixed_set_of_cases(team):
    from accounts import services as accounts

    north = accounts.create_team(by=None, name="North")
    accounts.set_team(team["away"], team=north, by=None)
    accounts.set_team(team["other"], team=north, by=None)
    cases = [
        make_referral(team["partner"]).case,  # new, unassigned
        owned_case(team),  # the absent officer's new case
        services.move(owned_case(team), by=team["away"], action="start_gathering"),
        owned_case(team, owner="other"),
        services.move(owned_case(team, owner="colleague"), by=team["colleague"], action="start_gathering"),
    ]
    set_cover(team)
    User = type(team["away"])
    for who in ("away", "colleague", "other", "supervisor", "partner"):
        user = User.objects.get(pk=team[who].pk)
        openable = set(selectors.visible_openable_cases(user).values_list("pk", flat=True))
        for case in cases:
            fresh = Case.objects.select_related("assigned_to").get(pk=case.pk)
            assert permissions.can_open(user, fresh) == (case.pk in openable), (who, case.status)
        covering = permissions.covered_officers(user)
        for case in cases:
            fresh = Case.objects.select_related("assigned_to").get(pk=case.pk)
            assert permissions.can_open(user, fresh, covering=covering) == permissions.can_open(user, fresh)

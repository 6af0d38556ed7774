"""What the case page offers each role in each state: `cases.permissions.case_actions`, the page's one rule."""

import pytest

from accounts.models import Role
from cases import permissions, services
from cases.models import Case
from tests.referrals.factories import make_referral

S = Case.Status
# (status, role) -> the flags that are on; every other flag is off. "owner" is the case's officer.
EXPECTED = {
    (S.NEW, "owner"): {"write", "moves"},
    (S.NEW, "other"): set(),  # assigned to another: read only under break-glass
    (S.NEW, "supervisor"): {"write", "moves", "assign"},
    (S.GATHERING, "owner"): {"write", "moves", "record_check"},
    (S.GATHERING, "other"): set(),
    (S.GATHERING, "supervisor"): {"write", "moves", "assign", "record_check"},
    (S.ASSESSMENT, "owner"): {"write", "record_check", "assess", "decide"},
    (S.ASSESSMENT, "other"): set(),
    (S.ASSESSMENT, "supervisor"): {"write", "assign", "record_check", "assess", "decide"},
    (S.AWAITING_SIGN_OFF, "owner"): {"write"},
    (S.AWAITING_SIGN_OFF, "supervisor"): {"write", "assign", "sign_off"},
    (S.SUPPORT, "owner"): {"write", "moves", "change_support", "show_support"},
    (S.SUPPORT, "other"): {"show_support"},
    (S.SUPPORT, "supervisor"): {"write", "moves", "assign", "change_support", "show_support"},
    (S.CHANNEL, "owner"): {"write", "moves", "list_for_panel"},
    (S.CHANNEL, "supervisor"): {"write", "moves", "assign", "list_for_panel"},
    (S.CLOSURE_PENDING, "owner"): {"write"},
    (S.CLOSURE_PENDING, "supervisor"): {"write", "assign", "sign_off"},
    (S.CLOSED, "owner"): {"write", "moves"},
    (S.CLOSED, "other"): set(),
    (S.CLOSED, "supervisor"): {"write", "moves", "assign"},
}
FLAGS = ["write", "take", "assign", "record_check", "assess", "decide", "sign_off", "change_support"]
FLAGS += ["list_for_panel", "show_support"]


@pytest.fixture
def people(make_user):
    return {
        "owner": make_user(Role.PREVENT_OFFICER),
        "other": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


@pytest.mark.parametrize(("status", "role"), list(EXPECTED), ids=[f"{s}-{r}" for s, r in EXPECTED])
def test_the_case_page_offers_each_role_what_it_may_do_in_each_state(people, status, role):
    case = services.assign(make_referral(people["partner"]).case, to=people["owner"], by=people["supervisor"])
    case.status = status  # only the rule is under test here: the moves into each state have their own tests
    pending = status == S.AWAITING_SIGN_OFF
    actions = permissions.case_actions(
        people[role], case, restricted=False, decision_pending=pending, assessed=True, has_support=False
    )
    on = {flag for flag in FLAGS if getattr(actions, flag)} | ({"moves"} if actions.moves else set())
    assert on == EXPECTED[(status, role)]
    assert actions.next_steps == bool(on & {"moves", "record_check", "assess", "sign_off"})


def test_an_unassigned_new_case_may_be_taken_by_an_officer(people):
    case = make_referral(people["partner"]).case
    actions = permissions.case_actions(
        people["other"], case, restricted=False, decision_pending=False, assessed=False, has_support=False
    )
    assert actions.take and not actions.assign


def test_the_decision_waits_for_an_assessment(people):
    case = services.assign(make_referral(people["partner"]).case, to=people["owner"], by=people["supervisor"])
    case.status = S.ASSESSMENT
    actions = permissions.case_actions(
        people["owner"], case, restricted=False, decision_pending=False, assessed=False, has_support=False
    )
    assert actions.assess and not actions.decide


def test_a_restricted_case_offers_nothing_but_still_shows_its_support(people):
    case = services.assign(make_referral(people["partner"]).case, to=people["owner"], by=people["supervisor"])
    case.status = S.SUPPORT
    actions = permissions.case_actions(
        people["supervisor"], case, restricted=True, decision_pending=False, assessed=True, has_support=True
    )
    assert actions == permissions.CaseActions(show_support=True)
    assert not actions.next_steps


def test_support_once_given_is_shown_after_the_case_leaves_support(people):
    case = services.assign(make_referral(people["partner"]).case, to=people["owner"], by=people["supervisor"])
    case.status = S.CLOSED
    actions = permissions.case_actions(
        people["owner"], case, restricted=False, decision_pending=False, assessed=True, has_support=True
    )
    assert actions.show_support and not actions.change_support


@pytest.mark.parametrize("decision", ["pending", "adopted", "not_adopted"])
def test_a_panel_decision_is_offered_only_while_the_item_waits_for_one(people, make_user, decision):
    from cases.models import AgendaItem

    item = AgendaItem(decision=decision)
    for user in (people["owner"], make_user(Role.PANEL_MEMBER)):
        assert permissions.can_record_panel_decision(user, item) == (decision == "pending")
    assert not permissions.can_record_panel_decision(people["partner"], item)

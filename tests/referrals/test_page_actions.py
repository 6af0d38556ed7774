"""What the advice and referral pages offer: `referrals.permissions.advice_actions` and `can_decide_link`."""

import pytest

from accounts.models import Role
from referrals import permissions
from referrals.models import AdviceRequest, ReferralLink

A = AdviceRequest.Status
# (status, who) -> the flags on; every other flag is off. The partner is the one who asked.
EXPECTED = {
    (A.OPEN, "team"): {"reply", "ask_for_referral", "close"},
    (A.OPEN, "partner"): {"reply"},
    (A.ANSWERED, "team"): {"reply", "ask_for_referral", "close"},
    (A.ANSWERED, "partner"): {"reply"},
    (A.REFERRAL_ASKED, "team"): {"reply", "close"},
    (A.REFERRAL_ASKED, "partner"): {"reply", "asked_to_refer", "start_referral"},
    (A.CLOSED, "team"): set(),
    (A.CLOSED, "partner"): set(),
}
FLAGS = ["asked_to_refer", "start_referral", "reply", "ask_for_referral", "close"]


@pytest.fixture
def people(make_user):
    return {"team": make_user(Role.PREVENT_OFFICER), "partner": make_user(Role.REFERRER)}


@pytest.mark.parametrize(("status", "who"), list(EXPECTED), ids=[f"{s}-{w}" for s, w in EXPECTED])
def test_the_advice_page_offers_each_side_what_it_may_do(people, status, who):
    item = AdviceRequest(status=status, asked_by=people["partner"])
    actions = permissions.advice_actions(people[who], item, referral_started=False)
    assert {flag for flag in FLAGS if getattr(actions, flag)} == EXPECTED[(status, who)]


def test_a_referral_is_started_from_advice_once(people):
    item = AdviceRequest(status=A.REFERRAL_ASKED, asked_by=people["partner"])
    actions = permissions.advice_actions(people["partner"], item, referral_started=True)
    assert actions.asked_to_refer and not actions.start_referral


def test_phone_advice_cannot_be_turned_into_a_request_for_a_referral(people):
    item = AdviceRequest(status=A.ANSWERED, asked_by=None)
    assert not permissions.advice_actions(people["team"], item, referral_started=False).ask_for_referral


@pytest.mark.parametrize("status", list(ReferralLink.Status))
def test_only_a_suggested_link_is_decided_and_only_by_the_team(people, status):
    link = ReferralLink(status=status)
    assert permissions.can_decide_link(people["team"], link) == (status == ReferralLink.Status.SUGGESTED)
    assert not permissions.can_decide_link(people["partner"], link)

import pytest

from accounts.models import Role
from cases import intake
from referrals import advice, selectors
from tests.referrals.factories import make_draft, make_referral


@pytest.fixture
def world(make_user):
    """Two partner organisations, each with a sent referral and a draft, and an advice request."""
    author = make_user(Role.REFERRER)
    colleague = make_user(Role.REFERRER, organisation=author.organisation)
    outsider = make_user(Role.REFERRER)
    return {
        "author": author,
        "colleague": colleague,
        "outsider": outsider,
        "sent": make_referral(author),
        "draft": make_draft(author),
        "colleagues_draft": make_draft(colleague),
        "elsewhere": make_referral(outsider),
        "question": advice.ask_advice(by=author, question="Worried."),
    }


def test_the_prevent_team_sees_every_sent_referral_and_no_ones_draft(world, make_user):
    for role in (Role.PREVENT_OFFICER, Role.SUPERVISOR):
        seen = set(selectors.visible_referrals(make_user(role)))
        assert seen == {world["sent"], world["elsewhere"]}


def test_a_partner_sees_their_organisations_sent_referrals_and_only_their_own_drafts(world):
    assert set(selectors.visible_referrals(world["author"])) == {world["sent"], world["draft"]}
    assert set(selectors.visible_referrals(world["colleague"])) == {world["sent"], world["colleagues_draft"]}
    assert set(selectors.visible_referrals(world["outsider"])) == {world["elsewhere"]}


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER])
def test_administrators_providers_and_panel_members_see_no_referrals_or_advice(world, make_user, role):
    user = make_user(role)
    assert not selectors.visible_referrals(user).exists()
    assert not selectors.visible_attachments(user).exists()
    assert not selectors.visible_advice_requests(user).exists()
    assert not selectors.visible_received_referrals(user).exists()


def test_attachments_open_to_the_author_and_the_team_not_to_colleagues(world, make_user):
    from referrals import services
    from tests.referrals.factories import pdf

    draft = make_draft(world["author"])
    services.add_attachments(draft, by=world["author"], files=[pdf()])
    intake.submit_referral(draft, by=world["author"])
    assert selectors.visible_attachments(world["author"]).count() == 1
    assert selectors.visible_attachments(make_user(Role.PREVENT_OFFICER)).count() == 1
    assert selectors.visible_attachments(world["colleague"]).count() == 0
    assert selectors.visible_attachments(world["outsider"]).count() == 0


def test_advice_is_seen_by_the_person_who_asked_and_the_team(world, make_user):
    assert list(selectors.visible_advice_requests(world["author"])) == [world["question"]]
    assert not selectors.visible_advice_requests(world["colleague"]).exists()
    assert not selectors.visible_advice_requests(world["outsider"]).exists()
    assert list(selectors.visible_advice_requests(make_user(Role.SUPERVISOR))) == [world["question"]]

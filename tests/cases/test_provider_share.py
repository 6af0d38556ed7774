"""Which parts of a case a support provider may see: `cases.selectors.provider_share`, one test per rule."""

import pytest

from accounts.models import Role
from cases import selectors, support
from cases.models import Case
from tests.cases.support_factories import case_in_support, plan_support

ANSWERS = {
    "concerns": {"concerns": "the concern"},
    "needs": {"needs": ["housing"]},
    "contact-details": {"address": "1 High Street"},
    "person": {"name": "never shared"},
}


@pytest.fixture
def case(make_user):
    return plan_support(case_in_support(make_user))


def test_a_provider_sees_only_the_sections_of_their_grant(case, make_user):
    provider = make_user(Role.SUPPORT_PROVIDER)
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan", "needs"])
    share = selectors.provider_share(provider, case, answers=ANSWERS)
    assert share.sections == ["needs", "support_plan"]
    assert share.plan.support == "Weekly mentoring"
    assert share.needs == {"needs": ["housing"]}
    assert share.concerns is None and share.contact is None


def test_every_section_shares_its_own_answers_and_nothing_else(case, make_user):
    provider = make_user(Role.SUPPORT_PROVIDER)
    sections = ["concerns", "needs", "contact"]
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=sections)
    share = selectors.provider_share(provider, case, answers=ANSWERS)
    assert (share.concerns, share.needs, share.contact) == (
        ANSWERS["concerns"],
        ANSWERS["needs"],
        ANSWERS["contact-details"],
    )
    assert share.plan is None
    assert "never shared" not in repr(share)


def test_a_revoked_grant_shares_nothing(case, make_user):
    provider = make_user(Role.SUPPORT_PROVIDER)
    grant = support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    support.revoke_provider(grant, by=case.assigned_to)
    share = selectors.provider_share(provider, Case.objects.get(pk=case.pk), answers=ANSWERS)
    assert share.sections == [] and share.plan is None


def test_another_provider_and_the_team_are_shared_nothing(case, make_user):
    provider = make_user(Role.SUPPORT_PROVIDER)
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    for user in (make_user(Role.SUPPORT_PROVIDER), case.assigned_to):
        share = selectors.provider_share(user, case, answers=ANSWERS)
        assert share.sections == [] and share.plan is None


def test_a_restricted_case_shares_nothing(case, make_user):
    provider = make_user(Role.SUPPORT_PROVIDER)
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["support_plan"])
    case.restricted_at = case.received_at
    assert selectors.provider_share(provider, case, answers=ANSWERS).sections == []

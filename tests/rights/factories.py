"""Cases disclosed to providers and a panel, built through the services as the team would."""

import datetime

from accounts.models import Role
from cases import support
from cases.models import Case, Consent
from tests.cases.support_factories import case_in_support


def disclosed_case(make_user, *, partner=None):
    """A case listed for a panel (two members), adopted, with one provider's access and one ended access."""
    case = case_in_support(make_user, partner=partner, stop_at="channel")
    officer = case.assigned_to
    members = [make_user(Role.PANEL_MEMBER), make_user(Role.PANEL_MEMBER)]
    meeting = support.create_meeting(
        by=officer, meets_on=datetime.date(2026, 11, 5), title="November panel", members=members
    )
    item = support.list_case(meeting, case=case, by=officer)
    support.record_panel_decision(item, by=members[0], adopted=True)
    case = Case.objects.get(pk=case.pk)
    support.record_consent(case, by=officer, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PARENT, under_18=True)
    current, former = make_user(Role.SUPPORT_PROVIDER), make_user(Role.SUPPORT_PROVIDER)
    support.grant_provider(case, by=officer, provider=current, sections=["contact", "support_plan"])
    ended = support.grant_provider(case, by=officer, provider=former, sections=["needs"])
    support.revoke_provider(ended, by=officer)
    return Case.objects.get(pk=case.pk), {"panel": members, "provider": current, "former_provider": former}

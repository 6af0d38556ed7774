"""Partner areas: what the reports' area filter groups organisations by."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from audit.models import AuditEvent
from reports.models import PartnerArea


def test_the_command_puts_organisations_in_one_area_and_records_it(make_organisation, capsys):
    school = make_organisation(Organisation.Kind.PARTNER, name="Riverside Academy")
    call_command("partner_area", "North", organisation=["Riverside Academy"])
    call_command("partner_area", "South", organisation=["Riverside Academy"])
    assert list(school.partner_areas.values_list("name", flat=True)) == ["South"]
    assert AuditEvent.objects.filter(action="partner_area.changed").count() == 2
    call_command("partner_area")
    assert "South: Riverside Academy" in capsys.readouterr().out


def test_an_unknown_organisation_is_named_and_nothing_changes(db):
    with pytest.raises(CommandError, match="No organisation is called: Nowhere School"):
        call_command("partner_area", "North", organisation=["Nowhere School"])
    assert not PartnerArea.objects.exists()

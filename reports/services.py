"""Writes in reports: only the partner areas reports are filtered by (configuration, no personal data)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organisation, User
from audit.services import record
from reports.models import PartnerArea


@transaction.atomic
def set_partner_area(name: str, *, organisations: list[str], by: User | None = None) -> PartnerArea:
    """Create the area if needed and put these organisations (by exact name) in it, out of any other area."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter the area's name")
    found = list(Organisation.objects.filter(name__in=organisations))
    missing = sorted(set(organisations) - {organisation.name for organisation in found})
    if missing:
        raise ValidationError(f"No organisation is called: {', '.join(missing)}")
    area, _ = PartnerArea.objects.get_or_create(name=name)
    # One area per organisation, so a partner is never counted twice when the areas are compared.
    PartnerArea.organisations.through.objects.filter(organisation__in=found).exclude(partnerarea=area).delete()
    area.organisations.add(*found)
    record(by=by, action="partner_area.changed", target=area, organisation_ids=[org.pk for org in found])
    return area

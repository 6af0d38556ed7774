"""Person search for police roles: the repeat-referral keys, so spelling variants and aliases match.

Every criterion given must match (names by exact or alike-sounding keys, in either order); each is an
indexed lookup, and the whole search is one query. The search terms are audited only as a keyed hash.
"""

from datetime import date

from django import forms
from django.db.models import QuerySet

from accounts.auth import login_hash
from cases import permissions
from core.dates import DateField
from referrals import matching
from referrals.models import PersonKey, Referral


class SearchForm(forms.Form):
    name = forms.CharField(
        label="Name or alias", required=False, max_length=200, help_text="First and last name, in any order."
    )
    date_of_birth = DateField(label="Date of birth", example="27 3 2009", help_text="For example, 27 3 2009")
    birth_year = forms.IntegerField(
        label="Or year of birth",
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={"invalid": "Enter a year, like 2009"},
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=16)
    reference = forms.CharField(label="Referral or case reference", required=False, max_length=16)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from crispy_forms_gds.helper import FormHelper
        from crispy_forms_gds.layout import Field, Layout, Submit

        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"),
            Field("date_of_birth"),
            Field.text("birth_year", field_width=4),
            Field.text("postcode", field_width=10),
            Field.text("reference", field_width=10),
            Submit("search", "Search"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name and len(name.split()) < 2:
            raise forms.ValidationError("Enter a first and a last name")
        return name

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(field) for field in self.fields):
            raise forms.ValidationError("Enter at least one thing to search for")
        return cleaned


def terms_hash(terms: dict) -> str:
    """Return the keyed hash of person-search terms for the audit trail: one format on every screen that searches.

    Terms given are taken in name order, dates as ISO dates, spaces and case ignored; blank ones are left out. So
    the same person asked for by an officer and in the supervisors' audit search gives the same hash.
    """
    parts = []
    for key, value in sorted(terms.items()):
        if value is None or value == "":
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else " ".join(str(value).split())
        parts.append(f"{key}={text}")
    return login_hash("|".join(parts))


def _answers(data: dict) -> dict:
    words = (data.get("name") or "").split()
    person = {"surname": words[-1], "forenames": " ".join(words[:-1])} if len(words) >= 2 else {}
    if data.get("date_of_birth"):
        person["date_of_birth"] = data["date_of_birth"].isoformat()
    elif data.get("birth_year"):
        person["birth_year"] = data["birth_year"]
    return {"the-person": person, "contact-details": {"postcode": data.get("postcode") or ""}}


def split_restricted(found: list[Referral], user) -> tuple[list[Referral], int]:
    """Return the results this user is shown, and how many restricted ones were held back (all shown to supervisors)."""
    if permissions.can_supervise(user):
        return found, 0
    shown = [referral for referral in found if referral.restricted_at is None]
    return shown, len(found) - len(shown)


def search(data: dict, today: date | None = None) -> QuerySet[Referral]:
    """Return submitted referrals matching every criterion given, newest first."""
    keys = matching.keys_for(_answers(data), today)
    referrals = Referral.objects.exclude(status=Referral.Status.DRAFT).select_related("case", "organisation")
    criteria = [
        {PersonKey.Kind.NAME, PersonKey.Kind.SOUNDS_LIKE},
        {PersonKey.Kind.BIRTH_DATE} if data.get("date_of_birth") else {PersonKey.Kind.BIRTH_YEAR},
        {PersonKey.Kind.POSTCODE},
    ]
    for kinds in criteria:
        wanted = [(kind, value) for kind, value in keys if kind in kinds]
        if wanted:
            matches = PersonKey.objects.none()
            for kind, value in wanted:
                matches = matches | PersonKey.objects.filter(kind=kind, value=value)
            referrals = referrals.filter(pk__in=matches.values("referral_id"))
    reference = (data.get("reference") or "").strip().upper()
    if reference:
        referrals = referrals.filter(reference=reference) | referrals.filter(case__reference=reference)
    return referrals.order_by("-submitted_at")

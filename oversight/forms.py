"""The audit search's input: filters that may travel in a URL (GET), and the person referred (POST only); and the
alerts dashboard's filters and review note.

Dates are GOV.UK date inputs (day, month, year boxes): each problem is named ("Date from must include a
month"), and what was typed is kept.
"""

from datetime import date, datetime, time, timedelta

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from audit import actions
from audit.models import Alert
from core.dates import DateField, date_range
from core.forms import govuk_helper, whole_number
from core.notes import note_field
from oversight import selectors
from oversight.selectors import SHOW_ALL, SHOW_REVIEWED, SHOW_UNREVIEWED


class FilterForm(forms.Form):
    """The filters that are not personal data: they travel in the URL (GET), so pages can be linked."""

    user = forms.CharField(label="User", required=False, max_length=12)
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=16,
        help_text="Or a referral reference, for example PR-AB12CD34",
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *actions.choices()],
        error_messages={"invalid_choice": "Select an action from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named "from" and "to" (Python keywords, so not class attributes): the URL keeps from_day, to_year, ...
        self.fields["from"] = DateField(label="Date from", example="27 3 2026", help_text="For example, 27 3 2026")
        self.fields["to"] = DateField(label="Date to", help_text="Includes the whole day")
        self.case = None  # (id, reference) of the case asked for

    def clean_user(self) -> int | None:
        value = self.cleaned_data["user"]
        if not value:
            return None
        if whole_number(value) is None:
            raise forms.ValidationError("Select a user from the list")
        return whole_number(value)

    def clean_case_reference(self) -> str:
        reference = self.cleaned_data["case_reference"].strip().upper()
        if reference:
            self.case = selectors.case_by_reference(reference)
            if self.case is None:
                raise forms.ValidationError("There is no case or referral with this reference")
        return reference

    def clean(self):
        cleaned = super().clean()
        cleaned["date_from"], cleaned["date_to"] = date_range(self, "from", "to")
        return cleaned

    def criteria(self) -> dict:
        """The filters for oversight.selectors.filtered (call after is_valid())."""
        data = self.cleaned_data
        return {
            "actor_id": data.get("user"),
            "case_ids": [self.case[0]] if self.case else None,
            "action": data.get("action") or "",
            "since": _start_of(data["date_from"]) if data.get("date_from") else None,
            "before": _start_of(data["date_to"] + timedelta(days=1)) if data.get("date_to") else None,
        }

    def selects(self) -> dict:
        """The action drop-down's options with the chosen one marked, ready to print."""
        chosen = str(self["action"].value() or "")
        return {
            "action": [(value, label, value == chosen) for value, label in self.fields["action"].choices],
            "user": selectors.staff_select_options(str(self["user"].value() or "")),
        }


class PersonForm(forms.Form):
    """The person referred: sent by POST only (never in a URL or a log), audited as a keyed hash."""

    name = forms.CharField(
        label="Name or alias", required=False, max_length=200, help_text="First and last name, in any order."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The boxes are dob_day, dob_month and dob_year (sent by POST only).
        self.fields["dob"] = DateField(
            label="Date of birth",
            example="27 3 2009",
            help_text="For example, 27 3 2009",
            latest=timezone.localdate,
            too_late="Date of birth must be in the past",
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if name and len(name.split()) < 2:
            raise forms.ValidationError("Enter a first and a last name")
        return name

    def clean(self):
        cleaned = super().clean()
        born = cleaned["date_of_birth"] = cleaned.get("dob")
        if not self.errors and not cleaned.get("name") and not born:
            self.add_error("name", "Enter a name or a date of birth")
        return cleaned

    def terms(self) -> dict:
        """The search terms, for the keyed hash in the audit event (`cases.search.terms_hash`), never stored."""
        return {"name": self.cleaned_data.get("name", ""), "date_of_birth": self.cleaned_data.get("date_of_birth")}

    def criteria_names(self) -> list[str]:
        return [name for name in ("name", "date_of_birth") if self.cleaned_data.get(name)]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Rule", required=False, choices=[("", "All rules"), *Alert.Rule.choices])
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(SHOW_UNREVIEWED, "To review"), (SHOW_REVIEWED, "Reviewed"), (SHOW_ALL, "All alerts")],
    )

    def selects(self) -> list[dict]:
        """Each filter as a GOV.UK select: id, name, label and (value, label, chosen) options."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return [
            {
                "id": f"id_{name}",
                "name": name,
                "label": field.label,
                "options": [
                    (value, label, str(value) == (chosen.get(name) or field.choices[0][0]))
                    for value, label in field.choices
                ],
            }
            for name, field in self.fields.items()
        ]


class ReviewForm(forms.Form):
    note = note_field(
        "Review note",
        hint="What you found and what, if anything, you did about it.",
        required_message="Enter a note about what you found",
        rows=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("note"), submit="Mark as reviewed")

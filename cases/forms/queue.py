"""Forms of the case queue page: reassigning selected cases, and saving the filters under a name."""

import uuid

from django import forms
from django.core.exceptions import ValidationError

from cases.models.saved_filter import NAME_MAX_LENGTH
from cases.services import MAX_BULK_CASES
from core.forms import whole_number
from core.notes import reason_field


class SelectedCasesField(forms.Field):
    """The ticked cases, each sent as "<case id>:<version the page showed>"; cleaned to {case id: version}."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value) -> dict:
        selected = {}
        for item in value or []:
            case_id, _, version = str(item).partition(":")
            try:
                selected[uuid.UUID(case_id)] = int(version)
            except ValueError:
                raise ValidationError("Select cases from the queue") from None
        return selected

    def validate(self, value) -> None:
        if not value:
            raise ValidationError("Select at least one case to reassign")
        if len(value) > MAX_BULK_CASES:
            raise ValidationError(f"Select {MAX_BULK_CASES} cases or fewer")


class BulkReassignForm(forms.Form):
    """Which cases, to whom, and the one reason recorded on each."""

    cases = SelectedCasesField(label="Cases")
    # Checked against the team by the service, not the page's cached list (an officer added a minute ago counts).
    to = forms.CharField(label="Reassign to", error_messages={"required": "Select an officer"})
    reason = reason_field(
        "Why are you reassigning these cases?",
        hint="Recorded on each case's history. Do not include anything about the people referred.",
        required_message="Enter why you are reassigning these cases",
    )

    def clean_to(self) -> int:
        officer = whole_number(self.cleaned_data["to"])
        if officer is None:
            raise ValidationError("Select an officer from the list")
        return officer

    def selected_values(self) -> list[str]:
        """The ticked boxes as sent, to tick them again when the form is shown back."""
        return [str(value) for value in self.data.getlist("cases")] if self.is_bound else []


class SaveFilterForm(forms.Form):
    """A name for the queue's current filters."""

    name = forms.CharField(
        label="Name these filters",
        help_text="For example, 'My overdue cases'. Do not use people's names.",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter a name for these filters",
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )

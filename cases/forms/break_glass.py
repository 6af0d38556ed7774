"""Break-glass forms: the reason an officer gives to open a case outside their caseload, and the review."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from cases import break_glass
from cases.models import BreakGlass
from core.forms import govuk_helper
from core.notes import note_field, reason_field


class BreakGlassReasonForm(forms.Form):
    """Why an officer needs to open a case outside their caseload."""

    reason_code = forms.ChoiceField(
        label="Reason",
        choices=BreakGlass.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to open this case"},
    )
    reason = reason_field(
        "Explain why you need to open this case",
        hint="A supervisor will read this. Do not include more about the person than you need to.",
        required_message="Explain why you need to open this case",
        max_length=break_glass.REASON_MAX_LENGTH,
        what=break_glass.REASON_WHAT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("reason_code", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=break_glass.REASON_MAX_LENGTH),
            submit="Open the case",
        )


class BreakGlassReviewForm(forms.Form):
    """A supervisor's verdict on one break-glass access, with a note when it was not appropriate."""

    verdict = forms.ChoiceField(
        label="Was this access appropriate?",
        choices=BreakGlass.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = note_field(hint="Required if the access was not appropriate.", max_length=break_glass.NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("verdict", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, max_characters=break_glass.NOTE_MAX_LENGTH),
            submit="Save review",
        )

    def clean(self):
        data = super().clean()
        unexplained = data.get("verdict") == BreakGlass.Verdict.INAPPROPRIATE and not data.get("note")
        if unexplained and "note" not in self.errors:
            self.add_error("note", "Explain why the access was not appropriate")
        return data

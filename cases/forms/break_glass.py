"""Break-glass forms: the reason an officer gives to open a case outside their caseload, and the review."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError

from cases import break_glass
from cases.models import BreakGlass
from core.forms import govuk_helper


def _bounded(form, name: str, limit: int, message: str) -> str:
    # Checked here rather than with `maxlength`, so the character count shows and the text is kept as typed.
    value = form.cleaned_data.get(name, "").strip()
    if len(value) > limit:
        raise ValidationError(message)
    return value


class BreakGlassReasonForm(forms.Form):
    """Why an officer needs to open a case outside their caseload."""

    reason_code = forms.ChoiceField(
        label="Reason",
        choices=BreakGlass.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to open this case"},
    )
    reason = forms.CharField(
        label="Explain why you need to open this case",
        help_text="A supervisor will read this. Do not include more about the person than you need to.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain why you need to open this case"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("reason_code", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=break_glass.REASON_MAX_LENGTH),
            submit="Open the case",
        )

    def clean_reason(self):
        limit = break_glass.REASON_MAX_LENGTH
        return _bounded(self, "reason", limit, f"Explain why in {limit} characters or fewer")


class BreakGlassReviewForm(forms.Form):
    """A supervisor's verdict on one break-glass access, with a note when it was not appropriate."""

    verdict = forms.ChoiceField(
        label="Was this access appropriate?",
        choices=BreakGlass.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Required if the access was not appropriate.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("verdict", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, max_characters=break_glass.NOTE_MAX_LENGTH),
            submit="Save review",
        )

    def clean_note(self):
        limit = break_glass.NOTE_MAX_LENGTH
        return _bounded(self, "note", limit, f"Keep the note to {limit} characters or fewer")

    def clean(self):
        data = super().clean()
        unexplained = data.get("verdict") == BreakGlass.Verdict.INAPPROPRIATE and not data.get("note")
        if unexplained and "note" not in self.errors:
            self.add_error("note", "Explain why the access was not appropriate")
        return data

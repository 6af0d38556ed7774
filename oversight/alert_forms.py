"""Input for the alerts dashboard: its filters and the review note."""

from crispy_forms_gds.layout import Field
from django import forms

from audit.models import Alert
from oversight.alert_services import SHOW_ALL, SHOW_REVIEWED, SHOW_UNREVIEWED
from pages.forms import govuk_helper


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
    note = forms.CharField(
        label="Review note",
        help_text="What you found and what, if anything, you did about it.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter a note about what you found",
            "max_length": "The note must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("note"), submit="Mark as reviewed")

"""Cover: who is away, who covers their cases, from when to when."""

from django import forms

from accounts.models import Role, User
from cases import cover
from core.dates import DateField
from core.forms import govuk_fields, govuk_helper
from core.notes import note_field


def officer_choices() -> list[tuple[str, str]]:
    officers = User.objects.filter(is_active=True, groups__name=Role.PREVENT_OFFICER).distinct().order_by("full_name")
    return [(str(pk), name) for pk, name in officers.values_list("pk", "full_name")]


class CoverForm(forms.Form):
    """Name a colleague to cover an officer's cases; a supervisor also says which officer is away."""

    officer = forms.ChoiceField(
        label="Officer who is away",
        error_messages={
            "required": "Select the officer who is away",
            "invalid_choice": "Select an officer from the list",
        },
    )
    colleague = forms.ChoiceField(
        label="Colleague who will cover",
        help_text="They open and work the cases assigned to the officer who is away, while the cover lasts.",
        error_messages={
            "required": "Select the colleague who will cover",
            "invalid_choice": "Select a colleague from the list of Prevent officers",
        },
    )
    starts_on = DateField(
        label="Start date",
        what="The start date",
        example="14 12 2026",
        help_text="For example, 14 12 2026",
        required_message="Enter the start date",
    )
    ends_on = DateField(
        label="End date",
        what="The end date",
        example="24 12 2026",
        help_text="The last day of the cover. It ends by itself after this day.",
        required_message="Enter the end date",
    )
    note = note_field(
        "Note (optional)",
        hint="For example, annual leave. Do not name anyone referred.",
        max_length=cover.NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, officer: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Select an officer"), *officer_choices()]
        if officer is not None:
            # An officer names cover for their own cases only.
            del self.fields["officer"]
            self.fields["colleague"].choices = [(value, label) for value, label in choices if value != str(officer.pk)]
        else:
            self.fields["officer"].choices = choices
            self.fields["colleague"].choices = choices
        self.helper = govuk_helper(*govuk_fields(self), submit="Set up cover")

    def chosen(self, name: str) -> User | None:
        pk = self.cleaned_data.get(name)
        return User.objects.filter(pk=pk).first() if pk else None

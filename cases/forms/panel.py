"""Forms of a Channel panel meeting's record: the chair, attendance, summaries, minutes and actions.

Several appear on the one agenda page: each agenda item's forms carry a prefix (`item<id>`), so their fields'
ids, and the error summary's links to them, stay apart.
"""

from django import forms

from core.dates import DateField
from core.forms import govuk_fields, govuk_helper
from core.notes import NOTE_MAX_LENGTH, note_field

NAME_MAX_LENGTH = 200


def _helper(form, submit: str):
    helper = govuk_helper(*govuk_fields(form), submit=submit)
    helper.form_tag = False
    return helper


def _name(label: str, message: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=NAME_MAX_LENGTH, error_messages={"required": message})


class ChairForm(forms.Form):
    name = _name("Chair's name", "Enter the chair's name")
    agency = _name("Chair's agency", "Enter the chair's agency")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Save the chair")


class AttendeeForm(forms.Form):
    name = _name("Name", "Enter the person's name")
    agency = _name("Agency", "Enter their agency")
    attended = forms.ChoiceField(
        label="Did they attend?",
        choices=[("yes", "Attended"), ("no", "Sent apologies")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they attended or sent apologies"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Add to the attendance")


class SummaryForm(forms.Form):
    summary = note_field(
        "Summary for the panel",
        required_message="Enter a summary for the panel",
        hint="What the panel members read about the case. Leave out police-only information.",
        max_length=NOTE_MAX_LENGTH,
        what="The summary",
        rows=4,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Save the summary")


class MinutesForm(forms.Form):
    minutes = note_field(
        "Minutes", required_message="Enter the minutes", max_length=NOTE_MAX_LENGTH, what="The minutes", rows=4
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Save the minutes")


class ActionForm(forms.Form):
    description = note_field(
        "Action agreed", required_message="Enter the action", max_length=NOTE_MAX_LENGTH, what="The action", rows=2
    )
    owner_agency = _name("Agency that owns it", "Enter the agency")
    due_on = DateField(
        label="Due by",
        example="14 1 2027",
        help_text="For example, 14 1 2027",
        required_message="Enter the date the action is due by",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Add the action")

"""The short form before a case file is downloaded: who it is for, and a note naming the recipient."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError

from cases import case_file
from cases.models import CaseFileDisclosure
from core.forms import govuk_helper


class CaseFileForm(forms.Form):
    """Why a case file is downloaded: the purpose (and so the version) and who will receive it."""

    purpose = forms.ChoiceField(
        label="Who is the case file for?",
        help_text="The Channel panel pack leaves out what only the police see: the chronology, checks and "
        "deconfliction, the assessment, decisions other than the referral to Channel, sign-off notes, providers' "
        "access, reviews and officers' documents.",
        choices=CaseFileDisclosure.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the case file is for",
            "invalid_choice": "Select who the case file is for",
        },
    )
    note = forms.CharField(
        label="Who will receive it, and why?",
        help_text="For example the panel's chair and the meeting date, or the receiving officer and team. "
        "Kept with the case's disclosure record.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who will receive the case file and why"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("purpose", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, max_characters=case_file.NOTE_MAX_LENGTH),
            submit="Download the case file (PDF)",
        )

    def clean_note(self):
        # Checked here rather than with `maxlength`, so the character count shows and the text is kept as typed.
        note = self.cleaned_data.get("note", "").strip()
        if len(note) > case_file.NOTE_MAX_LENGTH:
            raise ValidationError(f"Keep the note to {case_file.NOTE_MAX_LENGTH} characters or fewer")
        if not note:
            raise ValidationError("Enter who will receive the case file and why")
        return note

"""An officer's document for a case: the file, a title and an optional description; the service checks the file."""

from crispy_forms_gds.layout import Field
from django import forms
from django.conf import settings

from cases.documents import TITLE_MAX_LENGTH
from core.forms import govuk_helper
from core.notes import NOTE_MAX_LENGTH, note_field


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        help_text="For example, Letter from the school, 3 March",
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    description = note_field(
        "Description (optional)", what="The description", hint="What the document is and where it came from."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"PDF, image, Word, Excel or PowerPoint document, or plain text, up to {settings.ATTACHMENT_MAX_MB}MB."
        )
        self.helper = govuk_helper(
            Field("file"),
            Field.text("title"),
            Field.textarea("description", max_characters=NOTE_MAX_LENGTH),
            submit="Upload document",
        )

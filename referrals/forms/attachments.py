"""The documents page: several files from one input; the service checks them by content."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.conf import settings


class ClearableFileInput(forms.ClearableFileInput):
    """Django's file input, taking several files. Same class name, so crispy-forms-gds styles it."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ClearableFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    """One or more files for the referral; the service checks type by content, size and count."""

    files = MultipleFileField(
        label="Upload files",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            f"PDF, image, Word, Excel or PowerPoint document, or plain text. Up to {settings.ATTACHMENT_MAX_MB}MB "
            f"each and {settings.ATTACHMENT_MAX_COUNT} files in all."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("files"))

"""Bounded free text: the reasons and notes people write for someone else to read.

One limit per kind of text, one message for going over it, used by the form and again by the service that
saves the text (a service can be called without a form).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# Why someone asks for, decides, corrects or restricts something: read by whoever approves or reviews it.
REASON_MAX_LENGTH = 2000
# A note kept with a request or a review (how a subject access request came, what a supervisor found).
NOTE_MAX_LENGTH = 5000
# A note in a case's own record: the chronology, a check, a sign-off, a support plan.
CASE_NOTE_MAX_LENGTH = 20000


def too_long(what: str, limit: int) -> str:
    """Return the message for text over its limit, like "The reason must be 2,000 characters or fewer"."""
    return f"{what} must be {limit:,} characters or fewer"


def bounded(text, *, field: str, limit: int, what: str, required_message: str = "") -> str:
    """Return the text stripped; raise a ValidationError on `field` if it is missing (when required) or too long."""
    text = (text or "").strip()
    if required_message and not text:
        raise ValidationError({field: required_message})
    if len(text) > limit:
        raise ValidationError({field: too_long(what, limit)})
    return text


class BoundedTextField(forms.CharField):
    """Free text checked for its length when sent, never cut off while typed.

    No `maxlength` attribute: the GOV.UK character count can show the limit, and text pasted over it is kept
    for the user to shorten. The limit is on `max_characters` for the layout.
    """

    def __init__(self, *, limit: int, what: str, **kwargs):
        super().__init__(**kwargs)
        self.max_characters = limit
        self.validators.append(MaxLengthValidator(limit, message=too_long(what, limit)))


def _text_field(label, *, required_message, hint, limit, what, rows) -> BoundedTextField:
    return BoundedTextField(
        label=label,
        help_text=hint,
        required=required_message is not None,
        limit=limit,
        what=what,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else {},
    )


def reason_field(
    label: str,
    *,
    required_message: str | None = None,
    hint: str = "",
    max_length: int = REASON_MAX_LENGTH,
    what: str = "The reason",
    rows: int = 4,
) -> BoundedTextField:
    """Return a reason field: required when given the message to show if it is left empty."""
    return _text_field(label, required_message=required_message, hint=hint, limit=max_length, what=what, rows=rows)


def note_field(
    label: str = "Note",
    *,
    required_message: str | None = None,
    hint: str = "",
    max_length: int = NOTE_MAX_LENGTH,
    what: str = "The note",
    rows: int = 3,
) -> BoundedTextField:
    """Return a note field: optional unless given the message to show if it is left empty."""
    return _text_field(label, required_message=required_message, hint=hint, limit=max_length, what=what, rows=rows)

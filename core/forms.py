"""GOV.UK layouts for forms: one place that knows which Design System component suits each widget."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms


def govuk_fields(form) -> list:
    """Lay out each field of the form with the GOV.UK component for its widget, in order."""
    fields = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            fields.append(name)
        elif isinstance(widget, forms.RadioSelect):
            fields.append(Field.radios(name, legend_size=Size.SMALL))
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            fields.append(Field.checkboxes(name, legend_size=Size.SMALL))
        elif isinstance(widget, forms.Textarea):
            fields.append(Field.textarea(name))
        elif isinstance(widget, forms.MultiWidget):
            fields.append(Field(name))
        elif isinstance(widget, forms.Select):
            fields.append(Field.select(name))
        else:
            fields.append(Field.text(name))
    return fields


def govuk_helper(*fields, submit: str) -> FormHelper:
    """A crispy-forms helper with these layout objects and one submit button."""
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def whole_number(value, *, digits: int = 9) -> int | None:
    """Return the number typed if it is 1 to `digits` ASCII digits, else None.

    Not `str.isdigit()`: it accepts "²" and other Unicode digits that `int()` then refuses (a 500), and
    any length, past what a database integer holds.
    """
    if isinstance(value, str) and re.fullmatch(rf"[0-9]{{1,{digits}}}", value):
        return int(value)
    return None


def error_list(*forms_) -> list[tuple[str, str]]:
    """(anchor id, message) for an error summary over one or more forms drawn by hand, in field order.

    A date input's anchor is its first wrong box (`core.dates` marks them).
    """
    found = []
    for form in forms_:
        for name in [*form.fields, "__all__"]:
            for message in form.errors.get(name, []):
                found.append((_anchor(form, name), message))
    return found


def _anchor(form, name: str) -> str:
    if name == "__all__":
        name = next(iter(form.fields))
    wrong = getattr(form.fields[name].widget, "wrong", None)
    if wrong:
        return f"id_{name}_" + next(part for part in ("day", "month", "year") if part in wrong)
    return f"id_{name}"

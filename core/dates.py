"""The GOV.UK date input: day, month and year boxes, messages that name what is wrong and say what to do.

Every date a person types is one `DateField`. The boxes are named `<name>_day`, `<name>_month` and `<name>_year`
(a GET form's querystring keeps those names); what was typed is shown again with the message, and only the
boxes that are wrong are marked.
"""

from datetime import date
from typing import NoReturn

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError

from core.forms import whole_number

PARTS = ("day", "month", "year")
ERROR_CLASS = "govuk-input--error"
# Years outside these are typing mistakes here, and near year 9999 the day after overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class DateWidget(DateInputWidget):
    """The three boxes, named and identified by their part, numeric keyboards, wrong boxes marked."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets_names = [f"_{part}" for part in PARTS]
        for box in self.widgets:
            box.attrs["inputmode"] = "numeric"
        self.wrong: set[str] = set()

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        own_id = context["widget"]["attrs"].get("id")
        for part, box in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            if own_id:
                box["attrs"]["id"] = f"{own_id}_{part}"
            classes = box["attrs"].get("class", "")
            if part in self.wrong and ERROR_CLASS not in classes:
                box["attrs"]["class"] = f"{classes} {ERROR_CLASS}".strip()
        return context


def _on(day):
    return day() if callable(day) else day


class DateField(DateInputField):
    """A GOV.UK date input for one date, with its own words in every message.

    `what` names the date in messages ("Date of birth must include a month"; the label by default).
    `earliest` and `latest` (a date, or a function returning one, so "today" is today) bound it, with
    `too_early`/`too_late` saying what to do.
    """

    widget = DateWidget

    def __init__(
        self,
        *,
        label: str,
        what: str | None = None,
        example: str = "",
        required_message: str | None = None,
        earliest=None,
        latest=None,
        too_early: str = "",
        too_late: str = "",
        **kwargs,
    ):
        kwargs.setdefault("required", required_message is not None)
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.what = what or label
        self.example = example
        self.earliest, self.latest = earliest, latest
        self.too_early, self.too_late = too_early, too_late
        if required_message:
            self.error_messages["required"] = required_message

    def real_date_message(self) -> str:
        return f"{self.what} must be a real date" + (f", like {self.example}" if self.example else "")

    def fail(self, message: str, parts=PARTS) -> NoReturn:
        """Mark these boxes wrong and raise the message (also used by forms for rules across fields)."""
        mark(self, parts, message)
        raise ValidationError(message)

    def clean(self, value):
        mark(self, (), "")
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        values = [str(part or "").strip() for part in (list(value or []) + ["", "", ""])[:3]]
        if not any(values):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [part for part, typed in zip(PARTS, values, strict=True) if not typed]
        if missing:
            self.fail(f"{self.what} must include a {' and '.join(missing)}", missing)
        numbers = dict(zip(PARTS, (whole_number(typed, digits=4) for typed in values), strict=True))
        if None in numbers.values():
            self.fail(self.real_date_message(), [part for part, number in numbers.items() if number is None])
        if len(values[2]) != 4:
            self.fail("Year must include 4 numbers", ["year"])
        typed = {part: number for part, number in numbers.items() if number is not None}
        try:
            day = date(typed["year"], typed["month"], typed["day"])
        except ValueError:
            self.fail(self.real_date_message(), ["day", "month"] if 1 <= typed["month"] <= 12 else ["month"])
        earliest, latest = _on(self.earliest), _on(self.latest)
        if earliest and day < earliest:
            self.fail(self.too_early or f"{self.what} must be the same as or after {earliest:%-d %B %Y}")
        if latest and day > latest:
            self.fail(self.too_late or f"{self.what} must be the same as or before {latest:%-d %B %Y}")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(f"{self.what} must be between {FIRST_YEAR} and {LAST_YEAR}", ["year"])
        self.validate(day)
        self.run_validators(day)
        return day


def mark(field: DateField, parts, message: str) -> None:
    """Remember which boxes are wrong, for both ways a date input is drawn (crispy-forms and the component)."""
    field.widget.wrong = set(parts)
    for part, box in zip(PARTS, field.fields, strict=True):
        box.widget.errors = [message] if part in field.widget.wrong else []


def date_range(form: forms.Form, start: str, end: str) -> tuple[date | None, date | None]:
    """Read a from-to pair of date fields after cleaning; an end before the start is an error on the end."""
    since, until = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if since and until and since > until:
        first, last = getattr(form.fields[start], "what", start), getattr(form.fields[end], "what", end)
        refuse(form, end, f"{last} must be the same as or after {first.lower()}")
    return since, until


def refuse(form: forms.Form, name: str, message: str) -> None:
    """Add an error to a whole date field from the form's own rules (a range, a period too long)."""
    field = form.fields[name]
    if isinstance(field, DateField):
        mark(field, PARTS, message)
    form.add_error(name, message)

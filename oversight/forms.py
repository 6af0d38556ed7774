"""The audit search's input: filters that may travel in a URL (GET), and the person referred (POST only); and the
alerts dashboard's filters and review note.

Dates are GOV.UK date inputs (day, month, year boxes): each problem is named ("Date from must include a
month"), and what was typed is kept.
"""

from datetime import date, datetime, time, timedelta

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from audit import actions
from audit.models import Alert
from core.forms import govuk_helper, whole_number
from core.notes import note_field
from oversight import selectors
from oversight.selectors import SHOW_ALL, SHOW_REVIEWED, SHOW_UNREVIEWED

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
# Dates outside these years are typing mistakes here, and near year 9999 the day after overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def date_part_field():
    """One box of a GOV.UK date input (day, month or year), read by `DateInputs`."""
    return forms.CharField(required=False, max_length=8, strip=True)


class DateInputs:
    """Read one GOV.UK date input (three boxes named <prefix>_day, _month, _year) from a form's data."""

    def __init__(self, form, prefix: str, label: str, hint: str):
        self.form, self.prefix, self.label, self.hint = form, prefix, label, hint
        self.message = ""
        self.wrong: set[str] = set()

    def clean(self) -> date | None:
        values = {part: (self.form.cleaned_data.get(f"{self.prefix}_{part}") or "") for part, _, _ in DATE_PARTS}
        missing = [part for part, _, _ in DATE_PARTS if not values[part]]
        if len(missing) == 3:
            return None
        if missing:
            self.error(f"{self.label} must include a {' and '.join(missing)}", missing)
            return None
        numbers = {part: whole_number(value, digits=4) for part, value in values.items()}
        if None in numbers.values():
            wrong = [part for part, number in numbers.items() if number is None]
            self.error(f"{self.label} must be a real date", wrong)
            return None
        if len(values["year"]) != 4:
            self.error("Year must include 4 numbers", ["year"])
            return None
        if not FIRST_YEAR <= numbers["year"] <= LAST_YEAR:
            self.error(f"{self.label} must be between {FIRST_YEAR} and {LAST_YEAR}", ["year"])
            return None
        try:
            return date(numbers["year"], numbers["month"], numbers["day"])
        except ValueError:
            self.error(f"{self.label} must be a real date", ["day", "month", "year"])
            return None

    def error(self, message: str, parts) -> None:
        self.message = message
        self.wrong = set(parts)
        first = next(part for part, _, _ in DATE_PARTS if part in self.wrong)
        self.form.add_error(f"{self.prefix}_{first}", message)

    def context(self) -> dict:
        """What the date input template needs: legend, hint, error and each box with what was typed."""
        boxes = []
        for part, label, width in DATE_PARTS:
            name = f"{self.prefix}_{part}"
            boxes.append(
                {
                    "name": name,
                    "id": f"id_{name}",
                    "label": label,
                    "width": width,
                    "value": self.form[name].value() or "",
                    "error": part in self.wrong,
                }
            )
        return {
            "id": f"id_{self.prefix}",
            "legend": self.label,
            "hint": self.hint,
            "error": self.message,
            "boxes": boxes,
        }


def date_range(date_from: DateInputs, date_to: DateInputs) -> tuple[date | None, date | None]:
    """Read a from-to pair of date inputs; an end before the start is an error on the end."""
    since, until = date_from.clean(), date_to.clean()
    if since and until and since > until:
        date_to.error(
            f"{date_to.label} must be the same as or after {date_from.label.lower()}", ["day", "month", "year"]
        )
    return since, until


def error_list(*forms_) -> list[tuple[str, str]]:
    """(anchor id, message) for an error summary over one or more forms, in field order."""
    found = []
    for form in forms_:
        for name in [*form.fields, "__all__"]:
            for message in form.errors.get(name, []):
                anchor = f"id_{name}" if name != "__all__" else f"id_{next(iter(form.fields))}"
                found.append((anchor, message))
    return found


class FilterForm(forms.Form):
    """The filters that are not personal data: they travel in the URL (GET), so pages can be linked."""

    user = forms.CharField(label="User", required=False, max_length=12)
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=16,
        help_text="Or a referral reference, for example PR-AB12CD34",
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *actions.choices()],
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    from_day, from_month, from_year = date_part_field(), date_part_field(), date_part_field()
    to_day, to_month, to_year = date_part_field(), date_part_field(), date_part_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_from = DateInputs(self, "from", "Date from", "For example, 27 3 2026")
        self.date_to = DateInputs(self, "to", "Date to", "Includes the whole day")
        self.case = None  # (id, reference) of the case asked for

    def clean_user(self) -> int | None:
        value = self.cleaned_data["user"]
        if not value:
            return None
        if whole_number(value) is None:
            raise forms.ValidationError("Select a user from the list")
        return whole_number(value)

    def clean_case_reference(self) -> str:
        reference = self.cleaned_data["case_reference"].strip().upper()
        if reference:
            self.case = selectors.case_by_reference(reference)
            if self.case is None:
                raise forms.ValidationError("There is no case or referral with this reference")
        return reference

    def clean(self):
        cleaned = super().clean()
        cleaned["date_from"], cleaned["date_to"] = date_range(self.date_from, self.date_to)
        return cleaned

    def criteria(self) -> dict:
        """The filters for oversight.selectors.filtered (call after is_valid())."""
        data = self.cleaned_data
        return {
            "actor_id": data.get("user"),
            "case_ids": [self.case[0]] if self.case else None,
            "action": data.get("action") or "",
            "since": _start_of(data["date_from"]) if data.get("date_from") else None,
            "before": _start_of(data["date_to"] + timedelta(days=1)) if data.get("date_to") else None,
        }

    def selects(self) -> dict:
        """The action drop-down's options with the chosen one marked, ready to print."""
        chosen = str(self["action"].value() or "")
        return {
            "action": [(value, label, value == chosen) for value, label in self.fields["action"].choices],
            "user": selectors.staff_select_options(str(self["user"].value() or "")),
        }


class PersonForm(forms.Form):
    """The person referred: sent by POST only (never in a URL or a log), audited as a keyed hash."""

    name = forms.CharField(
        label="Name or alias", required=False, max_length=200, help_text="First and last name, in any order."
    )
    dob_day, dob_month, dob_year = date_part_field(), date_part_field(), date_part_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth = DateInputs(self, "dob", "Date of birth", "For example, 27 3 2009")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if name and len(name.split()) < 2:
            raise forms.ValidationError("Enter a first and a last name")
        return name

    def clean(self):
        cleaned = super().clean()
        born = self.date_of_birth.clean()
        if born and born > timezone.localdate():
            self.date_of_birth.error("Date of birth must be in the past", ["day", "month", "year"])
        cleaned["date_of_birth"] = born
        if not self.errors and not cleaned.get("name") and not born:
            self.add_error("name", "Enter a name or a date of birth")
        return cleaned

    def terms(self) -> dict:
        """The search terms, for the keyed hash in the audit event (`cases.search.terms_hash`), never stored."""
        return {"name": self.cleaned_data.get("name", ""), "date_of_birth": self.cleaned_data.get("date_of_birth")}

    def criteria_names(self) -> list[str]:
        return [name for name in ("name", "date_of_birth") if self.cleaned_data.get(name)]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
    note = note_field(
        "Review note",
        hint="What you found and what, if anything, you did about it.",
        required_message="Enter a note about what you found",
        rows=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("note"), submit="Mark as reviewed")

"""The reports' filters: a period (GOV.UK date inputs) and a partner area. They travel in the URL (GET)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from core.dates import DateField, date_range, refuse
from core.forms import whole_number

# Longest period a report covers: longer is a typing mistake, and it bounds the work of one request.
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the service's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def __str__(self):
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def last_weeks(weeks: int, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today - timedelta(days=7 * weeks - 1), today)


def last_financial_year(today: date | None = None) -> Period:
    """The latest complete April-to-March year: the period of the published national statistics."""
    today = today or timezone.localdate()
    end_year = today.year if today.month >= 4 else today.year - 1
    return Period(date(end_year - 1, 4, 1), date(end_year, 3, 31))


class ReportFilterForm(forms.Form):
    area = forms.CharField(required=False, max_length=12)

    def __init__(self, data=None, *, areas, default: Period):
        # Nothing typed shows the period in use.
        super().__init__(data, initial={"from": default.start, "to": default.end})
        self.areas = {str(pk): name for pk, name in areas}
        self.default = default
        example = f"{default.start:%-d %-m %Y}"
        # Named "from" and "to" (Python keywords, so not class attributes): the URL keeps from_day, to_year, ...
        self.fields["from"] = DateField(label="Date from", example=example, help_text=f"For example, {example}")
        self.fields["to"] = DateField(label="Date to", help_text="Includes the whole day")
        self.area_id = None

    def clean_area(self) -> str:
        value = self.cleaned_data["area"]
        if value and (whole_number(value) is None or value not in self.areas):
            raise forms.ValidationError("Select a partner area from the list")
        self.area_id = int(value) if value else None
        return value

    def clean(self):
        cleaned = super().clean()
        since, until = date_range(self, "from", "to")
        if since and until and (until - since).days >= MAX_DAYS:
            refuse(self, "to", "The period must be 5 years or shorter")
        cleaned["date_from"], cleaned["date_to"] = since, until
        return cleaned

    def period(self) -> Period:
        """The period asked for (call after is_valid()); a missing end falls back to the default's."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("date_from") or self.default.start
        end = data.get("date_to") or (self.default.end if start <= self.default.end else start)
        return Period(start, end)

    def area_options(self) -> list[tuple[str, str, bool]]:
        chosen = str(self["area"].value() or "")
        return [("", "All areas", not chosen)] + [(pk, name, pk == chosen) for pk, name in self.areas.items()]

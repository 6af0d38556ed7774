"""The reports' filters: a period (GOV.UK date inputs) and a partner area. They travel in the URL (GET)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from core.forms import whole_number
from oversight.forms import DateInputs, date_part_field, date_range

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
    from_day, from_month, from_year = date_part_field(), date_part_field(), date_part_field()
    to_day, to_month, to_year = date_part_field(), date_part_field(), date_part_field()
    area = forms.CharField(required=False, max_length=12)

    def __init__(self, data=None, *, areas, default: Period):
        super().__init__(data)
        self.areas = {str(pk): name for pk, name in areas}
        self.default = default
        self.date_from = DateInputs(self, "from", "Date from", f"For example, {default.start:%-d %-m %Y}")
        self.date_to = DateInputs(self, "to", "Date to", "Includes the whole day")
        self.area_id = None

    def clean_area(self) -> str:
        value = self.cleaned_data["area"]
        if value and (whole_number(value) is None or value not in self.areas):
            raise forms.ValidationError("Select a partner area from the list")
        self.area_id = int(value) if value else None
        return value

    def clean(self):
        cleaned = super().clean()
        since, until = date_range(self.date_from, self.date_to)
        if since and until and (until - since).days >= MAX_DAYS:
            self.date_to.error("The period must be 5 years or shorter", ["day", "month", "year"])
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

    def date_inputs(self) -> tuple[dict, dict]:
        """The two date inputs, showing the period in use when nothing was typed."""
        if not self.is_bound:
            period = self.default
            for prefix, day in (("from", period.start), ("to", period.end)):
                for part in ("day", "month", "year"):
                    self.initial[f"{prefix}_{part}"] = str(getattr(day, part))
        return self.date_from.context(), self.date_to.context()

"""How a corrected value is read: the same rules for the form and for the service (the service is the gate)."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals.forms import GENDER_CHOICES
from rights.models import CORRECTABLE

DATE_FORMATS = (r"(\d{1,2})[ /.-](\d{1,2})[ /.-](\d{4})", r"(\d{4})-(\d{1,2})-(\d{1,2})")
SHORT, LONG = 500, 20000


def _date(text: str) -> str:
    """Return a typed date of birth as an ISO date, or raise a message saying how to type it."""
    for number, pattern in enumerate(DATE_FORMATS):
        found = re.fullmatch(pattern, text)
        if found:
            parts = [int(part) for part in found.groups()]
            day, month, year = parts if number == 0 else reversed(parts)
            try:
                born = date(year, month, day)
            except ValueError:
                break
            today = timezone.localdate()
            if not date(today.year - 120, 1, 1) <= born <= today:
                raise ValidationError("Date of birth must be in the past and within the last 120 years")
            return born.isoformat()
    raise ValidationError("Enter the date of birth as day, month and year, like 27 3 2009")


def _gender(text: str) -> str:
    for code, label in GENDER_CHOICES:
        if text.lower() in (code, label.lower()):
            return code
    raise ValidationError("Enter the gender as female, male, another gender or not known")


def clean_value(field: str, text: str) -> str:
    """Return the value to store for a correction of `field`, or raise a message saying what to type."""
    kind = CORRECTABLE[field].kind
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter the correct value")
    if kind in ("date", "gender", "postcode", "text"):
        text = " ".join(text.split())
    if kind == "date":
        return _date(text)
    if kind == "gender":
        return _gender(text)
    if kind == "postcode":
        text = text.upper()
        if len(text) > 16:
            raise ValidationError("Enter a postcode of 16 characters or fewer")
    limit = LONG if kind == "long" else SHORT
    if len(text) > limit:
        raise ValidationError(f"Enter the correct value in {limit:,} characters or fewer")
    return text

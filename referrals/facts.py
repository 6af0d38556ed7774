"""Reporting facts copied from a referral's answers at submission: an age band and a gender, nothing more.

Reports count these codes and never read the answers, so nobody handles personal data to produce them.
"""

from datetime import date, datetime

from django.utils import timezone

# The national statistics' age bands: (code, label, oldest age in the band; None for the last).
AGE_BANDS = [
    ("10_under", "10 or under", 10),
    ("11_15", "11 to 15", 15),
    ("16_17", "16 to 17", 17),
    ("18_20", "18 to 20", 20),
    ("21_30", "21 to 30", 30),
    ("31_40", "31 to 40", 40),
    ("41_over", "41 or over", None),
]
NOT_KNOWN = "not_known"
AGE_BAND_LABELS = {**{code: label for code, label, _ in AGE_BANDS}, NOT_KNOWN: "Not known"}
GENDER_LABELS = {"female": "Female", "male": "Male", "other": "Another gender", NOT_KNOWN: "Not known"}


def age_on(person: dict, day: date) -> int | None:
    """Return the person's age on that day from what the referrer knew: a date of birth, an age, or a year."""
    known = person.get("dob_known")
    try:
        if known == "exact" and person.get("date_of_birth"):
            born = date.fromisoformat(str(person["date_of_birth"]))
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if known == "age" and person.get("approximate_age") not in (None, ""):
            return int(person["approximate_age"])
        if known == "year" and person.get("birth_year") not in (None, ""):
            # The age they reach that year: a year of birth cannot say whether the birthday has passed.
            return day.year - int(person["birth_year"])
    except (TypeError, ValueError):
        return None
    return None


def under_18_on(person: dict, day: date) -> bool | None:
    """Say whether the person is under 18 on that day, when what is known settles it; None when it does not.

    An exact date of birth settles it; a year of birth does unless they turn 18 or 19 that year (the birthday
    may or may not have passed); an approximate age never does.
    """
    known = person.get("dob_known")
    if known == "exact":
        age = age_on(person, day)
        return None if age is None else age < 18
    if known == "year":
        reached = age_on(person, day)  # the age they reach this year: now it, or one less
        if reached is None:
            return None
        if reached <= 17:
            return True
        if reached - 1 >= 18:
            return False
    return None


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return NOT_KNOWN
    return next(code for code, _, oldest in AGE_BANDS if oldest is None or age <= oldest)


def reporting_facts(answers: dict, submitted_at: datetime) -> tuple[str, str]:
    """Return (age band, gender) codes for a referral submitted at that time."""
    person = answers.get("the-person") or {}
    gender = person.get("gender")
    return (
        age_band(age_on(person, timezone.localdate(submitted_at))),
        gender if gender in GENDER_LABELS else NOT_KNOWN,
    )

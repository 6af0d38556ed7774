"""Reads of rectifications and restrictions, and the police view of the person (answers with corrections)."""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case
from referrals.facts import GENDER_LABELS, age_on
from rights import permissions
from rights.models import CORRECTABLE, Rectification, Restriction


def rectifications(case) -> QuerySet[Rectification]:
    """Return the case's corrections, newest first."""
    return Rectification.objects.filter(case=case).select_related("rectified_by")


def latest_values(corrections: Iterable[Rectification]) -> dict[str, Rectification]:
    """Return, per field, the correction in force: the newest one."""
    latest: dict[str, Rectification] = {}
    for rectification in sorted(corrections, key=lambda item: item.rectified_at, reverse=True):
        latest.setdefault(rectification.field, rectification)
    return latest


def corrected(answers: dict, corrections: Iterable[Rectification]) -> dict:
    """Return a copy of a referral's answers with each correction in force superseding the answer given."""
    answers = copy.deepcopy(answers or {})
    for code, rectification in latest_values(corrections).items():
        where = CORRECTABLE[code]
        section = answers.setdefault(where.section, {})
        if not isinstance(section, dict):
            continue
        section[where.name] = rectification.value
        if code == "date_of_birth":
            # An exact date now known replaces the approximate age or year the referrer gave.
            section.update({"dob_known": "exact", "approximate_age": None, "birth_year": None})
    return answers


def police_answers(referral, corrections: Iterable[Rectification] | None = None) -> dict:
    """Return the answers as the police now hold them: the referrer's, with the case's corrections in force."""
    if referral.case_id is None:
        return referral.answers
    if corrections is None:
        corrections = rectifications(referral.case_id)
    return corrected(referral.answers, corrections)


def first_referral(case):
    """Return the case's first referral: the answers a correction supersedes."""
    return case.referrals.order_by("submitted_at").first()


def referred_value(referral, field: str) -> str:
    """Return the referrer's answer for a correctable field, as text ("" when not given)."""
    where = CORRECTABLE[field]
    return str(((referral.answers if referral else {}).get(where.section) or {}).get(where.name) or "")


def current_value(case, field: str) -> str:
    """Return what the police now hold for a field: its correction in force, else the first referral's answer."""
    latest = latest_values(rectifications(case)).get(field)
    return latest.value if latest is not None else referred_value(first_referral(case), field)


def history(case, *, with_replaced: bool = False, corrections: list[Rectification] | None = None) -> list[dict]:
    """Return each correction, newest first; with the value each replaced only when asked (supervisors' view).

    `corrections`, when given, are the case's `rectifications` already read (the case page reads them once).
    """
    corrections = list(rectifications(case)) if corrections is None else corrections
    first = first_referral(case) if corrections and with_replaced else None
    rows = []
    for index, rectification in enumerate(corrections):
        replaced = None
        if with_replaced:
            earlier = [item for item in corrections[index + 1 :] if item.field == rectification.field]
            replaced = earlier[0].value if earlier else referred_value(first, rectification.field)
        rows.append({"rectification": rectification, "replaced": replaced})
    return rows


def restriction_in_force(case) -> Restriction | None:
    """Return the case's restriction in force (none for a case that is not restricted, without a query)."""
    if case.restricted_at is None:
        return None
    return Restriction.objects.filter(case=case, lifted_at__isnull=True).select_related("restricted_by").first()


def visible_restrictions(user) -> QuerySet[Restriction]:
    """Return the restrictions in force with their cases, for supervisors only, most recent first."""
    if not permissions.can_list_restricted(user):
        return Restriction.objects.none()
    return (
        Restriction.objects.filter(lifted_at__isnull=True, case__restricted_at__isnull=False)
        .exclude(case__status=Case.Status.MERGED)
        .select_related("case", "restricted_by")
        .order_by("-restricted_at", "-id")
    )


@dataclass(frozen=True)
class PersonSummary:
    """Who the case is about, as the police hold it now (corrections in force): the top of the case page."""

    name: str
    other_names: str
    born: str  # "27 March 2009", "In 2010", "About 12 when referred", or ""
    age: str  # "17", "15 or 16", or ""
    gender: str
    address: str
    postcode: str
    school_or_occupation: str
    organisations: list[str]


def person_summary(
    case, referrals: list, today: date | None = None, *, corrections: list[Rectification] | None = None
) -> PersonSummary:
    """Summarise the person from the case's first referral with its corrections, and who referred them.

    `referrals` are the case's referrals, oldest first, with their organisations, and `corrections` its
    `rectifications`, when the page has them already.
    """
    today = today or timezone.localdate()
    first = referrals[0] if referrals else None
    if corrections is None:
        corrections = list(rectifications(case))
    answers = police_answers(first, corrections) if first else {}
    person = answers.get("the-person") or {}
    contact = answers.get("contact-details") or {}
    known = person.get("dob_known")
    born, age = "", ""
    if known == "exact" and person.get("date_of_birth"):
        born = date.fromisoformat(str(person["date_of_birth"])).strftime("%-d %B %Y")
        age = str(age_on(person, today))
    elif known == "year" and person.get("birth_year"):
        reached = age_on(person, today) or 0
        born, age = f"In {person['birth_year']}", f"{reached - 1} or {reached}" if reached > 0 else "Under 1"
    elif known == "age" and person.get("approximate_age") not in (None, ""):
        born = f"About {person['approximate_age']} when referred"
    organisations = list(dict.fromkeys(str(referral.organisation) for referral in referrals))
    return PersonSummary(
        name=" ".join(part for part in (person.get("forenames"), person.get("surname")) if part),
        other_names=person.get("aliases") or "",
        born=born,
        age=age,
        gender=GENDER_LABELS.get(person.get("gender") or "", ""),  # "unknown" is shown as "Not known"
        address=contact.get("address") or "",
        postcode=contact.get("postcode") or "",
        school_or_occupation=contact.get("school_or_occupation") or "",
        organisations=organisations,
    )

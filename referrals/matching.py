"""Repeat-referral matching: normalised keys about the person, looked up through one index.

Each referral stores a few keys (names, names that sound alike, date or year of birth, postcode).
A new referral's keys are looked up in one indexed query: candidates from the selective keys, then
their other keys. Earlier referrals that share a name key and one other key (or a date of birth and
a postcode) are suggested to the officer, with why.
"""

import unicodedata
from collections import defaultdict
from datetime import date

import jellyfish
from anyascii import anyascii
from django.db.models import Q
from django.utils import timezone

from referrals.models import PersonKey

WEIGHTS = {
    PersonKey.Kind.NAME: 50,
    PersonKey.Kind.SOUNDS_LIKE: 35,
    PersonKey.Kind.BIRTH_DATE: 40,
    PersonKey.Kind.BIRTH_YEAR: 15,
    PersonKey.Kind.POSTCODE: 25,
}
NAME_KINDS = {PersonKey.Kind.NAME, PersonKey.Kind.SOUNDS_LIKE}
SELECTIVE_KINDS = [*NAME_KINDS, PersonKey.Kind.BIRTH_DATE]
# A very common key (a shared postcode, a popular name) must not flood the officer's list.
MAX_CANDIDATES = 200


def normalise(text: str) -> str:
    """Lower-case Latin letters only, transliterated first: 'Zoë O'Brien-Smith' -> 'zoeobriensmith'.

    Transliterating before dropping what is not ASCII keeps letters NFKD cannot decompose ('Michał' ->
    'michal', not 'micha') and gives Cyrillic, Greek or Arabic names a key ('Михаил' -> 'mikhail') instead
    of an empty one. Changing this changes every stored key: `manage.py rebuild_person_keys` rebuilds them.
    """
    decomposed = unicodedata.normalize("NFKD", anyascii(unicodedata.normalize("NFC", text or "")))
    return "".join(char for char in decomposed if char.isalpha() and char.isascii()).lower()


def _name_pairs(answers: dict) -> list[tuple[str, str]]:
    person = answers.get("the-person", {})
    pairs = []
    first_names = (person.get("forenames") or "").split()
    if person.get("surname") and first_names:
        pairs.append((person["surname"], first_names[0]))
    for alias in (person.get("aliases") or "").replace(";", ",").replace("\n", ",").split(","):
        words = alias.split()
        if len(words) >= 2:
            pairs.append((words[-1], words[0]))
    return pairs


def _birth_years(person: dict, today: date) -> list[int]:
    if person.get("date_of_birth"):
        return [date.fromisoformat(person["date_of_birth"]).year]
    if person.get("birth_year"):
        return [int(person["birth_year"])]
    if person.get("approximate_age") is not None:
        year = today.year - int(person["approximate_age"])
        return [year - 1, year]
    return []


KEY_LENGTH = 100


def keys_for(answers: dict, today: date | None = None) -> set[tuple[str, str]]:
    """Return the (kind, value) keys that identify the person in these answers (each at most 100 characters)."""
    return {(kind, value[:KEY_LENGTH]) for kind, value in _keys(answers, today or timezone.localdate())}


def _keys(answers: dict, today: date) -> set[tuple[str, str]]:
    keys = set()
    for surname, forename in _name_pairs(answers):
        names = sorted([normalise(surname), normalise(forename)])
        if all(names):
            keys.add((PersonKey.Kind.NAME, "|".join(names)))
            # Two phonetic codes catch more spellings and transliterations than either alone.
            for code, algorithm in (("m", jellyfish.metaphone), ("n", jellyfish.nysiis)):
                sounds = "|".join(sorted(algorithm(name) for name in names))
                keys.add((PersonKey.Kind.SOUNDS_LIKE, f"{code}:{sounds}"))
    person = answers.get("the-person", {})
    if person.get("date_of_birth"):
        keys.add((PersonKey.Kind.BIRTH_DATE, person["date_of_birth"]))
    for year in _birth_years(person, today):
        keys.add((PersonKey.Kind.BIRTH_YEAR, str(year)))
    postcode = "".join((answers.get("contact-details", {}).get("postcode") or "").upper().split())
    if postcode:
        keys.add((PersonKey.Kind.POSTCODE, postcode))
    return keys


def find_matches(referral, keys: set[tuple[str, str]]) -> list[dict]:
    """Return earlier referrals that look like the same person: [{"referral_id", "score", "reasons"}]."""
    if not keys:
        return []
    by_kind = defaultdict(list)
    for kind, value in keys:
        by_kind[kind].append(value)
    wanted, selective = Q(), Q()
    for kind, values in by_kind.items():
        wanted |= Q(kind=kind, value__in=values)
        if kind in SELECTIVE_KINDS:
            selective |= Q(kind=kind, value__in=values)
    if not selective:
        return []
    # Candidates come only from the selective keys (names, exact date of birth); the common ones
    # (year of birth, postcode) then only confirm them, so they can never crowd out a real match.
    candidates = (
        PersonKey.objects.filter(selective)
        .exclude(referral_id=referral.pk)
        .values("referral_id")
        .distinct()[:MAX_CANDIDATES]
    )
    rows = PersonKey.objects.filter(wanted, referral_id__in=candidates).values_list("referral_id", "kind").distinct()
    kinds_by_referral = defaultdict(set)
    for referral_id, kind in rows:
        kinds_by_referral[referral_id].add(kind)
    matches = []
    for referral_id, kinds in kinds_by_referral.items():
        by_name = bool(kinds & NAME_KINDS)
        others = kinds - NAME_KINDS
        strong_without_name = {PersonKey.Kind.BIRTH_DATE, PersonKey.Kind.POSTCODE} <= kinds
        if (by_name and others) or strong_without_name:
            if PersonKey.Kind.NAME in kinds:
                kinds.discard(PersonKey.Kind.SOUNDS_LIKE)  # the stronger reason says it all
            reasons = sorted(kinds, key=lambda kind: -WEIGHTS[kind])
            matches.append(
                {
                    "referral_id": referral_id,
                    "score": min(100, sum(WEIGHTS[kind] for kind in kinds)),
                    "reasons": [PersonKey.Kind(kind).label for kind in reasons],
                }
            )
    return sorted(matches, key=lambda match: -match["score"])[:MAX_CANDIDATES]

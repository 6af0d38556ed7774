"""Keyset cursors: the last row's sort keys as an opaque, signed token for a "next page" link.

A cursor goes in a URL, so it carries sort keys only (dates, times, ids), never a name or anything
else about a person; it is signed, not encrypted. Each kind of page signs with its own salt, so a
cursor made for one list (or one sort order) is refused by another. A token that was altered, made
up, signed for another list or with an old SECRET_KEY decodes to None: the page starts again.
"""

import uuid
from datetime import UTC, date, datetime

from django.core import signing

# A time far outside these years is made up (and near year 1 or 9999 overflows when turned into UTC).
YEARS = (1900, 2100)
_BIGINT = 2**63
KINDS = (date, datetime, uuid.UUID, int)


def encode(keys, *, salt: str) -> str:
    """Return a signed token carrying these sort keys (each a date, an aware datetime, a UUID or an int)."""
    return signer(salt).sign_object([_plain(key) for key in keys])


def decode(token: str | None, kinds, *, salt: str) -> tuple | None:
    """Return the sort keys a token carries, as the kinds given (date, datetime, uuid.UUID, int), or None if bad."""
    if unknown := [kind for kind in kinds if kind not in KINDS]:
        raise TypeError(f"a cursor holds dates, datetimes, UUIDs and ints, not {unknown[0].__name__}")
    if not token:
        return None
    try:
        values = signer(salt).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if not isinstance(values, list) or len(values) != len(kinds):
        return None
    try:
        keys = tuple(_parse(value, kind) for value, kind in zip(values, kinds, strict=True))
    except (ValueError, TypeError, OverflowError):
        return None
    return None if any(key is None for key in keys) else keys


def signer(salt: str) -> signing.Signer:
    """Return the signer of one kind of page's cursors (SECRET_KEY, salted with the kind; "." needs no escaping)."""
    return signing.Signer(salt=f"core.cursors:{salt}", sep=".")


def _plain(key):
    if isinstance(key, date):  # a datetime too
        return key.isoformat()
    if isinstance(key, uuid.UUID):
        return str(key)
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    raise TypeError(f"a cursor holds dates, datetimes, UUIDs and ints, not {type(key).__name__}")


def _parse(value, kind):
    if kind is int:
        return value if type(value) is int and -_BIGINT <= value < _BIGINT else None
    if not isinstance(value, str):
        return None
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None or not YEARS[0] <= parsed.astimezone(UTC).year <= YEARS[1]:
            return None
        return parsed
    if kind is date:
        return date.fromisoformat(value)
    return uuid.UUID(value)

"""The proof-of-work check on public forms: ALTCHA, self-hosted (the `altcha` library; its widget vendored as static).

The browser fetches a challenge from `public:challenge`, solves it in a web worker and sends the answer in the
`altcha` field. The server checks the signature (keyed by SECRET_KEY), the expiry and that the answer was not used
before (kept in the cache until it expires). With JavaScript off nothing is sent: the form still works, under a
tighter rate limit (see public/views.py). Nothing here is personal data.
"""

import datetime
import hashlib
import logging

from altcha import create_challenge_v1, verify_solution_v1
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

ALGORITHM = "SHA-256"


class Result:
    SOLVED = "solved"  # a fresh, valid answer
    ABSENT = "absent"  # nothing sent (JavaScript off)
    REFUSED = "refused"  # forged, expired or used before


def _key() -> str:
    return salted_hmac("public.challenge", "altcha", algorithm="sha256").hexdigest()


def new_challenge() -> dict:
    """Return a challenge for the widget, as JSON: algorithm, challenge, maxNumber, salt, signature."""
    expires = timezone.now() + datetime.timedelta(minutes=settings.ALTCHA_MINUTES)
    challenge = create_challenge_v1(
        algorithm=ALGORITHM, max_number=settings.ALTCHA_MAX_NUMBER, hmac_key=_key(), expires=expires
    )
    return challenge.to_dict()


def check(payload: str) -> str:
    """Say whether a form came with a fresh, valid answer; an answer counts once."""
    if not payload:
        return Result.ABSENT
    try:
        valid, _ = verify_solution_v1(payload, _key(), check_expires=True)
    except Exception:  # noqa: BLE001 - whatever a forged payload makes the library raise, it is refused
        valid = False
    if not valid:
        return Result.REFUSED
    used = "altcha-used:" + hashlib.sha256(payload.encode()).hexdigest()
    try:
        first = cache.add(used, 1, timeout=settings.ALTCHA_MINUTES * 60)
    except Exception:  # noqa: BLE001 - a cache that is down lets the answer through once more (logged)
        logger.warning("ALTCHA replay not checked: the cache did not answer")
        first = True
    return Result.SOLVED if first else Result.REFUSED

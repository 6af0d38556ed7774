"""Rate limits on actions a scan or a runaway script could repeat: e-mails sent, searches, exports.

Each counts per signed-in user, except where the caller names what to count by: asking for a password reset
link (before signing in) counts per address typed, kept as a keyed hash, and per client address.

Counts live in the Django cache (django-ratelimit's fixed windows): Redis in production and CI, so every
worker shares them; local memory in the embedded run (`make run`), where there is one process. A cache
that does not answer lets the action through (logged): the limits stop abuse, they must not stop the
team working while Redis is down. Past a limit the view answers 429 with its own page, what was typed
kept, and `access.rate_limited` is audited (the limit's name and rate, never what was typed).
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import checks
from django.utils import timezone
from django_ratelimit.core import get_usage

from audit.services import record

logger = logging.getLogger(__name__)

PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


@dataclass(frozen=True)
class Limit:
    setting: str  # the setting holding the rate, as django-ratelimit writes it ("20/h")
    done: str  # what the user did too often, for the message: "sent 20 advice messages" ({s}/{es}: plural endings)
    refused: str  # what did not happen: "Your message was not sent."


LIMITS = {
    "advice_messages": Limit(
        "RATE_LIMIT_ADVICE_MESSAGES", "sent {count} advice message{s}", "Your message was not sent."
    ),
    "person_search": Limit("RATE_LIMIT_PERSON_SEARCH", "made {count} person search{es}", "Your search was not run."),
    "audit_search": Limit("RATE_LIMIT_AUDIT_SEARCH", "made {count} audit search{es}", "Your search was not run."),
    "audit_export": Limit("RATE_LIMIT_AUDIT_EXPORT", "made {count} audit export{s}", "Nothing was exported."),
    "password_reset_email": Limit(
        "RATE_LIMIT_PASSWORD_RESET_EMAIL",
        "asked for {count} password reset link{s} for this email address",
        "No link was sent.",
    ),
    "public_contact_address": Limit(
        "RATE_LIMIT_PUBLIC_CONTACT_ADDRESS", "sent {count} message{s} from this network", "Your message was not sent."
    ),
    "public_contact_unchecked": Limit(
        "RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED",
        "sent {count} message{s} without the automatic check from this network",
        "Your message was not sent.",
    ),
    "public_contact_all": Limit(
        "RATE_LIMIT_PUBLIC_CONTACT_ALL", "been sent {count} message{s} by everyone", "Your message was not sent."
    ),
    "password_reset_address": Limit(
        "RATE_LIMIT_PASSWORD_RESET_ADDRESS",
        "asked for {count} password reset link{s} from this network",
        "No link was sent.",
    ),
}


@dataclass(frozen=True)
class Refusal:
    """What to tell a user who went past a limit, and when they may try again."""

    message: str
    retry_after: int  # seconds
    retry_at: str  # local time, "15:42"


def _user(group, request) -> str:
    return str(request.user.pk)


RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def _period(rate: str) -> str:
    """Say a rate's period in words: "20/h" is "an hour", "5/10m" is "10 minutes"."""
    _, number, unit = RATE.match(rate).groups()
    name = PERIODS[unit]
    if number in ("", "1"):
        return f"an {name}" if name == "hour" else f"a {name}"
    return f"{number} {name}s"


@checks.register(checks.Tags.security)
def check_rates(app_configs, **kwargs):
    """A rate that cannot be read would let everything through: refuse to start with one."""
    return [
        checks.Error(
            f"{limit.setting} is {getattr(settings, limit.setting)!r}, not a rate such as '20/h' or '5/10m'",
            id="accounts.E001",
        )
        for limit in LIMITS.values()
        if not RATE.match(str(getattr(settings, limit.setting, "")))
    ]


def check(request, name: str, *, key: str | None = None) -> Refusal | None:
    """Count one use of a limited action by the signed-in user (or by `key`); past the limit, audit it, say what to do.

    `key` must already be free of personal data (a keyed hash, a client address): the cache holds it.
    """
    limit = LIMITS[name]
    rate = getattr(settings, limit.setting)
    count_by = _user if key is None else (lambda group, request: key)
    try:
        usage = get_usage(request, group=f"limit:{name}", key=count_by, rate=rate, increment=True)
    except Exception:  # noqa: BLE001 - a cache that is down (Redis) must not stop the team working
        logger.warning("Rate limit %s not checked: the cache did not answer", name)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    wait = max(int(usage["time_left"]), 1)
    retry_at = timezone.localtime(timezone.now() + timedelta(seconds=wait)).strftime("%H:%M")
    minutes = max(-(-wait // 60), 1)
    plural = "s" if usage["limit"] != 1 else ""
    done = limit.done.format(count=usage["limit"], s=plural, es=plural and "es")
    message = (
        f"{limit.refused} You have {done} within {_period(rate)}, the most allowed. Try again after {retry_at} "
        f"(in {minutes} minute{'s' if minutes != 1 else ''}). If your work needs more, tell your system administrator."
    )
    by = request.user if request.user.is_authenticated else None
    record(by=by, action="access.rate_limited", limit=name, rate=rate)
    return Refusal(message=message, retry_after=wait, retry_at=retry_at)


def too_many(response, refusal: Refusal | None):
    """Make a rendered page the answer to a refused action: 429, with when to try again (no refusal: as it is)."""
    if refusal is None:
        return response
    response.status_code = 429
    response["Retry-After"] = str(refusal.retry_after)
    return response

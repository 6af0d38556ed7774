import math
import time
from datetime import UTC, datetime

from django.conf import settings

from accounts import auth


def session_timeout(request):
    """Give a signed-in page what its timeout warning needs: how long the session has left, and its limits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    match = getattr(request, "resolver_match", None)
    absolute = datetime.fromtimestamp(auth.absolute_end(request.session), tz=UTC)
    return {
        "session_timeout": {
            "seconds_left": max(0, math.ceil(auth.session_ends_at(request.session) - time.time())),
            "warn_seconds": settings.SESSION_WARNING_SECONDS,
            "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
            "absolute_end": absolute,
            "kept_minutes": settings.KEPT_FORM_MINUTES,
            "keeps_typed_work": bool(match and getattr(match.func, "keeps_typed_work", False)),
        }
    }

"""How long this session has left, for the timeout warning; and a keep-alive that starts the idle limit again."""

import math
import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import auth, permissions
from accounts.access import allow_if


def _answer(request, ends_at: float) -> JsonResponse:
    now = time.time()
    absolute = auth.absolute_end(request.session)
    return JsonResponse(
        {
            "seconds_left": max(0, math.ceil(ends_at - now)),
            # Whether staying signed in can still give a whole idle period, or the absolute limit comes first.
            "extendable": absolute - now > settings.SESSION_IDLE_TIMEOUT.total_seconds(),
            "idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        }
    )


@allow_if(permissions.can_keep_session_alive)
@never_cache
@require_GET
def session_status(request):
    """Say how long this session has left, without counting the question as activity (the policy lets it by)."""
    return _answer(request, auth.session_ends_at(request.session))


@allow_if(permissions.can_keep_session_alive)
@never_cache
@require_POST
def keep_alive(request):
    """Start the idle limit again (never past the absolute limit) and say when the session now ends."""
    ends_at = auth.extend_session(request.session)
    if "application/json" in request.headers.get("Accept", ""):
        return _answer(request, ends_at)
    back = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe else settings.LOGIN_REDIRECT_URL)

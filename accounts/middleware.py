import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from accounts import auth


class SessionPolicyMiddleware:
    """End sessions that are idle too long, too old, or lack a second factor the account now needs."""

    # Write the session at most this often just to note activity.
    TOUCH_EVERY_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            why = self._reason_to_end(request)
            if why:
                auth.sign_out(request, reason=why)
                messages.info(request, self.MESSAGES[why])
                return redirect(settings.LOGIN_URL)
            now = time.time()
            if now - request.session.get(auth.LAST_SEEN_AT, 0) >= self.TOUCH_EVERY_SECONDS:
                request.session[auth.LAST_SEEN_AT] = now
        return self.get_response(request)

    MESSAGES = {
        "idle": "You were signed out because you had not done anything for a while. Sign in again to carry on.",
        "expired": "You were signed out because your session reached its time limit. Sign in again to carry on.",
        "second_factor": "Your account now needs two-factor sign-in. Sign in again to set it up.",
    }

    def _reason_to_end(self, request) -> str | None:
        now = time.time()
        session = request.session
        if now - session.get(auth.LAST_SEEN_AT, 0) > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            return "idle"
        if now - session.get(auth.SIGNED_IN_AT, 0) > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
            return "expired"
        if request.user.requires_mfa and not request.user.is_verified():
            return "second_factor"
        return None


class NoStoreMiddleware:
    """Tell browsers and proxies not to keep any signed-in page: no back-button peeks on a shared computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(settings.LOGIN_URL_PREFIX):
            response["Cache-Control"] = "private, no-store"
        return response

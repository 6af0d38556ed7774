import time

from django.conf import settings
from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts import auth, kept


class SessionPolicyMiddleware:
    """End sessions that are idle too long, too old, or lack a second factor the account now needs.

    A form sent as the session ends, to a page that keeps typed work, is kept for the user (accounts/kept.py)
    and given back on that page once they sign in again.
    """

    # Write the session at most this often just to note activity.
    TOUCH_EVERY_SECONDS = 30
    # Ends after which what was being sent is kept (a missing second factor is not the user's doing in a form).
    KEEPING = ("idle", "expired")

    def __init__(self, get_response):
        self.get_response = get_response
        self._status_path = ""

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if request.path == self.status_path():
                return self.get_response(request)  # reading the clock neither moves it nor ends the session
            why = self._reason_to_end(request)
            view = self._keeping_view(request) if request.method == "POST" else None
            asked = view is not None and kept.KEEP_FIELD in request.POST
            kept_form = None
            if view is not None and (why in self.KEEPING or asked) and self._csrf_ok(request, view):
                kept_form = kept.keep(request, by=user)
            if why:
                auth.sign_out(request, reason=why)
                kept_words = " " + self.KEPT.format(minutes=settings.KEPT_FORM_MINUTES) if kept_form else ""
                messages.info(request, self.MESSAGES[why] + kept_words)
                if kept_form:
                    kept.remember_in_session(request, kept_form)
                return redirect(settings.LOGIN_URL)
            if asked:  # the timeout dialog's last act, while another tab kept the session going: show it again
                if kept_form:
                    kept.remember_in_session(request, kept_form)
                return redirect(request.get_full_path())
            now = time.time()
            if now - request.session.get(auth.LAST_SEEN_AT, 0) >= self.TOUCH_EVERY_SECONDS:
                request.session[auth.LAST_SEEN_AT] = now
            if request.method == "GET" and kept.SESSION_KEY in request.session:
                given_back = kept.restore(request)
                if given_back:
                    messages.info(request, self.RESTORED + (f" {self.FILES}" if given_back.files_dropped else ""))
        return self.get_response(request)

    MESSAGES = {
        "idle": "You were signed out because you had not done anything for a while. Sign in again to carry on.",
        "expired": "You were signed out because your session reached its time limit. Sign in again to carry on.",
        "second_factor": "Your account now needs two-factor sign-in. Sign in again to set it up.",
    }
    KEPT = "What you had typed is kept for {minutes} minutes, not saved: sign in again to get it back."
    RESTORED = "You were signed out before your answers were saved. What you typed is shown again: check it, then save."
    FILES = "Files are not kept when you are signed out: choose any file again."

    def status_path(self) -> str:
        if not self._status_path:
            self._status_path = reverse("accounts:session_status")
        return self._status_path

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

    @staticmethod
    def _keeping_view(request):
        """The view this POST is for, if it keeps typed work (never the sign-in and account pages)."""
        if request.path.startswith(settings.LOGIN_URL_PREFIX):
            return None
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return None
        return view if getattr(view, "keeps_typed_work", False) else None

    def _csrf_ok(self, request, view) -> bool:
        """Keep only what the user's own page sent: the same CSRF check the view would have had."""
        return CsrfViewMiddleware(self.get_response).process_view(request, view, (), {}) is None


class NoStoreMiddleware:
    """Tell browsers and proxies not to keep any signed-in page: no back-button peeks on a shared computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(settings.LOGIN_URL_PREFIX):
            response["Cache-Control"] = "private, no-store"
        return response

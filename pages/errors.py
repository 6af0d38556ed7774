"""Error pages in the service's own layout. They never echo what was asked for."""

from django.conf import settings
from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "pages/400.html", status=400)


def csrf_failure(request, reason=""):
    """Explain an expired or foreign form without saying more than needed."""
    return render(request, "pages/csrf_failure.html", status=403)


def forbidden(request, exception=None):
    return render(request, "pages/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "pages/404.html", status=404)


def server_error(request):
    # No request context: whatever broke (the database, a session) must not break this page too.
    return render(None, "pages/500.html", {"service_name": settings.SERVICE_NAME}, status=500)

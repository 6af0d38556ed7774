"""Error pages in the service's own layout. They never echo what was asked for."""

from django.conf import settings
from django.shortcuts import render


def forbidden(request, exception=None):
    return render(request, "pages/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "pages/404.html", status=404)


def server_error(request):
    # No request context: whatever broke (the database, a session) must not break this page too.
    return render(None, "pages/500.html", {"service_name": settings.SERVICE_NAME}, status=500)

"""The service's own "Page not found", even where DEBUG is on (`make run`)."""

from django.conf import settings

from pages.errors import not_found

# Django's debug 404 page lists every URL pattern; it says this of itself.
DEBUG_PAGE_MARK = b"because you have <code>DEBUG = True</code>"


class ServiceNotFoundMiddleware:
    """Swap Django's debug "Page not found" (which lists every URL pattern) for the service's own page.

    Only where DEBUG is on: elsewhere Django already renders `handler404`. The inner middleware has already
    run, so a refused or missing record is audited as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and DEBUG_PAGE_MARK in getattr(response, "content", b""):
            return not_found(request)
        return response

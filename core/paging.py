"""One page size for every list, and the page of a list that a request asks for."""

from django.conf import settings
from django.core.paginator import Page, Paginator

DEFAULT_PAGE_SIZE = 50


def page_size() -> int:
    """Return how many rows a page of any list shows: settings.PAGE_SIZE, 50 if it is not set."""
    return getattr(settings, "PAGE_SIZE", DEFAULT_PAGE_SIZE)


def page_of(request, rows) -> Page:
    """Return the page of these rows that ?page= asks for: the first for a bad number, the last past the end."""
    return Paginator(rows, page_size()).get_page(request.GET.get("page"))

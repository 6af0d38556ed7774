import re

from django import template

from notifications import selectors, services

register = template.Library()
# A record's page (a path naming a record by its id or number): what notices point at. List pages never
# match, so they keep their pinned queries.
RECORD_PAGE = re.compile(r"/([0-9]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")


@register.inclusion_tag("notifications/includes/header_link.html", takes_context=True)
def notifications_link(context):
    """The link to the notification centre with the unread count: one indexed COUNT per page (cached).

    With notices unread, on a record's page, the ones pointing at it are marked read first: opening the
    record is reading them (one UPDATE, only then).
    """
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    unread = selectors.unread_count(user) if signed_in else 0
    request = context.get("request")
    if unread and request is not None and request.method == "GET" and RECORD_PAGE.search(request.path):
        unread -= services.mark_read_on_opening(request.path, by=user)
    return {"signed_in": signed_in, "unread": max(unread, 0)}

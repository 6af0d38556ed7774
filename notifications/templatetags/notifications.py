from django import template

from notifications import selectors, services

register = template.Library()


@register.inclusion_tag("notifications/includes/header_link.html", takes_context=True)
def notifications_link(context):
    """The link to the notification centre with the unread count: one indexed COUNT per page (cached).

    With notices unread, the ones pointing at this page are marked read first: opening the page is reading
    them (one UPDATE, only then).
    """
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    unread = selectors.unread_count(user) if signed_in else 0
    request = context.get("request")
    if unread and request is not None and request.method == "GET":
        unread -= services.mark_read_on_opening(request.path, by=user)
    return {"signed_in": signed_in, "unread": max(unread, 0)}

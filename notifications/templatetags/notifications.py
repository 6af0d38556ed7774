from django import template

from notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/includes/header_link.html", takes_context=True)
def notifications_link(context):
    """The link to the notification centre with the unread count: one indexed COUNT per page."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    return {"signed_in": signed_in, "unread": selectors.unread_count(user) if signed_in else 0}

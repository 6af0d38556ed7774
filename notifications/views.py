"""The notification centre. Notices hold a kind, a service reference and a link, never personal data,
so reading them is not audited; a user only ever sees their own."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from core.paging import page_of
from notifications import selectors, services
from notifications.forms import DAILY, PreferencesForm


def signed_in(user) -> bool:
    return user.is_authenticated


@require_GET
@allow_if(signed_in)
def notification_list(request):
    """List the user's notifications, newest first, a page at a time."""
    page = page_of(request, selectors.visible_notifications(request.user))
    return render(request, "notifications/list.html", {"page": page, "rows": page.object_list})


@require_POST
@allow_if(signed_in)
def mark_read(request, pk):
    """Mark one notification read and go where it points (only ever a path inside the service)."""
    notification = get_object_or_404(selectors.visible_notifications(request.user), pk=pk)
    services.mark_read(notification, by=request.user)
    if url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None) and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
@allow_if(signed_in)
def mark_all_read(request):
    count = services.mark_all_read(by=request.user)
    messages.success(request, "All notifications marked as read." if count else "You have no unread notifications.")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@allow_if(signed_in)
def preferences(request):
    """Choose which kinds come by e-mail and whether as a daily digest; security e-mails always come."""
    kinds = selectors.optional_kinds(request.user)
    preference = services.preference_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, kinds=kinds, initial=PreferencesForm.initial_for(preference, kinds))
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            by=request.user, emails_off=form.emails_off(), daily_digest=form.cleaned_data["frequency"] == DAILY
        )
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "security_kinds": selectors.security_kinds()}
    )

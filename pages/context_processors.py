from django.conf import settings
from django.urls import reverse

from accounts import permissions
from audit.permissions import can_review_audit
from cases import permissions as case_permissions
from referrals import permissions as referral_permissions


def service(request):
    """Give every page the service name and the navigation this user may follow."""
    user = request.user
    items = []
    if user.is_authenticated:
        items.append(("Home", reverse("pages:home")))
        if case_permissions.can_work_cases(user):
            items.append(("Case queue", reverse("cases:queue")))
        if referral_permissions.can_receive_referrals(user):
            items.append(("Referrals received", reverse("referrals:received")))
        if case_permissions.can_use_panel(user):
            items.append(("Channel panel", reverse("cases:meetings")))
        if case_permissions.can_review_break_glass(user):
            items.append(("Break-glass reviews", reverse("cases:break_glass_queue")))
        if case_permissions.is_provider(user):
            items.append(("Cases shared with you", reverse("cases:provided")))
        if referral_permissions.can_submit_referrals(user):
            items.append(("Referrals", reverse("referrals:list")))
        if referral_permissions.can_ask_advice(user) or referral_permissions.can_answer_advice(user):
            items.append(("Advice", reverse("referrals:advice_list")))
        if permissions.can_manage_accounts(user):
            items.append(("Users", reverse("accounts:user_list")))
            items.append(("Organisations", reverse("accounts:organisation_list")))
        if can_review_audit(user):
            items.append(("Audit", reverse("audit:search")))
        items.append(("Your account", reverse("accounts:security")))
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": "Prevent case referrals",
        "navigation": [{"text": text, "href": href, "current": request.path == href} for text, href in items],
    }

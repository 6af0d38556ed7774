from django.conf import settings
from django.urls import reverse

from accounts import permissions
from audit.permissions import can_review_audit
from cases import permissions as case_permissions
from privacy import permissions as privacy_permissions
from referrals import permissions as referral_permissions
from reports import permissions as report_permissions
from retention import permissions as retention_permissions
from subject_access.permissions import can_handle_subject_access


def service(request):
    """Give every page the service name and the navigation this user may follow."""
    # A request refused before authentication ran (a bad Host header) has no user: show no navigation.
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
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
            items.append(("Teams", reverse("accounts:teams")))
        if permissions.can_see_account_changes(user):
            items.append(("Account approvals", reverse("accounts:change_requests")))
        if can_review_audit(user):
            items.append(("Audit", reverse("audit:search")))
        if report_permissions.can_view_team_dashboard(user):
            items.append(("Dashboard", reverse("reports:team")))
        elif report_permissions.can_view_organisation_counts(user):
            items.append(("Your organisation's figures", reverse("reports:organisation")))
        if retention_permissions.can_review_retention(user):
            items.append(("Retention", reverse("retention:queue")))
        elif retention_permissions.can_manage_rules(user):
            items.append(("Retention rules", reverse("retention:rules")))
        elif privacy_permissions.can_view_tombstones(user):
            items.append(("Erased records", reverse("privacy:tombstones")))
        if can_handle_subject_access(user):
            items.append(("Subject access", reverse("subject_access:list")))
        items.append(("Your account", reverse("accounts:security")))
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_data": settings.DEMO_DATA_ALLOWED,
        "organisation_name": "Prevent case referrals",
        "navigation": [{"text": text, "href": href, "current": request.path == href} for text, href in items],
    }

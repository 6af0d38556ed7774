"""Each role is a Django Group holding its permissions; this keeps the groups in place.

Run after every `migrate` (like Django's own permissions), so a fresh or flushed database always has
them. Permissions added to a group by hand are kept: local teams can extend a role without code.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.models import Role

# "app_label.model.codename" for each permission a role holds.
POLICE = [
    "referrals.referral.receive_referrals",
    "referrals.referral.enter_referrals_for_partners",
    "referrals.advicerequest.answer_advice",
]
ROLE_PERMISSIONS = {
    Role.SYSTEM_ADMIN: ["accounts.user.manage_accounts", "retention.retentionrule.manage_retention_rules"],
    Role.REFERRER: ["referrals.referral.submit_referrals", "reports.partnerarea.view_organisation_counts"],
    Role.PREVENT_OFFICER: [*POLICE, "cases.case.work_cases", "reports.partnerarea.view_team_dashboard"],
    Role.SUPERVISOR: [
        *POLICE,
        "accounts.accountchangerequest.approve_account_changes",
        "cases.case.work_cases",
        "cases.case.supervise_cases",
        "audit.auditevent.review_audit",
        "subject_access.subjectaccessrequest.handle_subject_access",
        "privacy.tombstone.view_tombstones",
        "retention.retentionreview.review_retention",
        "retention.retentionrule.manage_retention_rules",
        "reports.partnerarea.view_team_dashboard",
        "reports.partnerarea.view_management_reports",
    ],
    Role.PANEL_MEMBER: ["cases.case.sit_on_panel"],
}


def _permission(label: str) -> Permission:
    app_label, model_name, codename = label.split(".")
    model = apps.get_model(app_label, model_name)
    content_type = ContentType.objects.get_for_model(model)
    name = dict(model._meta.permissions).get(codename, codename)
    return Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})[0]


def ensure_role_groups(**kwargs) -> None:
    """Create any missing role group and give it at least the permissions listed above."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.add(*[_permission(label) for label in ROLE_PERMISSIONS.get(role, [])])

"""Each role is a Django Group holding its permissions; this keeps the groups in place.

Run after every `migrate` (like Django's own permissions), so a fresh or flushed database always has
them. Permissions added to a group by hand are kept: local teams can extend a role without code.
"""

from django.contrib.auth.models import Group, Permission

from accounts.models import Role

ROLE_PERMISSIONS = {
    Role.SYSTEM_ADMIN: ["accounts.manage_accounts"],
}


def ensure_role_groups(**kwargs) -> None:
    """Create any missing role group and give it at least the permissions listed above."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        for label in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = label.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

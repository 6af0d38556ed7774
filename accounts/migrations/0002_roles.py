"""Create one group per role, holding the permissions of that role."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["referrer", "prevent_officer", "supervisor", "support_provider", "panel_member", "system_admin"]
PERMISSIONS = {"system_admin": ["manage_accounts"]}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; roles need them now.
    config = apps.get_app_config("accounts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        codenames = PERMISSIONS.get(role, [])
        group.permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]

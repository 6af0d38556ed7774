from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from accounts import limits  # noqa: F401 - registers the check of the rate limits' settings
        from accounts.models import AccountChangeRequest, Organisation, User
        from accounts.roles import ensure_role_groups

        # After Django's own post_migrate work, which makes the permissions the roles hold.
        post_migrate.connect(ensure_role_groups, sender=self)

        auditlog.register(Organisation)
        auditlog.register(AccountChangeRequest)
        auditlog.register(
            User,
            exclude_fields=["password", "last_login", "security_stamp"],
            m2m_fields={"groups"},
        )

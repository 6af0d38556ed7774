from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from auditlog.registry import auditlog
        from axes.signals import user_locked_out
        from django.db.models.signals import post_migrate

        from accounts import limits, notices  # noqa: F401 - registers the check of the rate limits' settings
        from accounts.models import AccountChangeRequest, Organisation, User
        from accounts.roles import ensure_role_groups

        # django-axes decides lockouts inside its own code: its signal is the only place to hear of one.
        user_locked_out.connect(notices.locked_out, dispatch_uid="notifications.locked_out")
        # After Django's own post_migrate work, which makes the permissions the roles hold.
        post_migrate.connect(ensure_role_groups, sender=self)

        auditlog.register(Organisation)
        auditlog.register(AccountChangeRequest)
        auditlog.register(
            User,
            exclude_fields=["password", "last_login", "security_stamp"],
            m2m_fields={"groups"},
        )

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from auditlog.registry import auditlog

        from accounts.models import Organisation, User

        auditlog.register(Organisation)
        auditlog.register(
            User,
            exclude_fields=["password", "last_login", "security_stamp"],
            m2m_fields={"groups"},
        )

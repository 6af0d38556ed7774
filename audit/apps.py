from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from django.db.models.signals import post_migrate

        from audit import checks  # noqa: F401  (registers the deploy checks)
        from audit.alert_schedule import ensure_alert_schedule
        from audit.chain_schedule import ensure_chain_schedule

        post_migrate.connect(ensure_chain_schedule, sender=self)
        post_migrate.connect(ensure_alert_schedule, sender=self)

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from django.db.models.signals import post_migrate

        from audit import checks  # noqa: F401  (registers the deploy checks)
        from config.beat import ensure_beat_rows

        # Every Celery beat row of every app, from the one table in config/beat.py.
        post_migrate.connect(ensure_beat_rows, sender=self, dispatch_uid="config.beat")

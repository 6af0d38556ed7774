from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Not domain behaviour: on SQLite, `flush` (between transactional tests) puts back the plain
        # append-only trigger of the history table; this puts back the erasure-aware one. Idempotent.
        post_migrate.connect(_reinstall_history_trigger, sender=self)


def _reinstall_history_trigger(using="default", **kwargs):
    from django.db import connections

    from privacy.triggers import reinstall_after_flush

    reinstall_after_flush(connections[using])

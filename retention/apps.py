from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention schedule and review"

    def ready(self):
        from django.db.models.signals import post_migrate

        from privacy.erasure import HOLD_CHECKS
        from retention.defaults import ensure_default_rules
        from retention.schedules import ensure_scan_schedule
        from retention.selectors import is_held

        post_migrate.connect(ensure_scan_schedule, sender=self)
        post_migrate.connect(ensure_default_rules, sender=self)
        # The erasure itself refuses a held record too, whoever calls it (belt and braces with our services).
        if is_held not in HOLD_CHECKS:
            HOLD_CHECKS.append(is_held)

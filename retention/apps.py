from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention schedule and review"

    def ready(self):
        from django.db.models.signals import post_migrate

        from retention.defaults import ensure_default_rules

        post_migrate.connect(ensure_default_rules, sender=self)

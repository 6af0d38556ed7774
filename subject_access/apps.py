from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self):
        from django.db.models.signals import post_migrate

        from subject_access.schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from cases.models import Case
        from cases.reference_data import ensure_assessment_templates

        auditlog.register(Case, exclude_fields=["version", "updated_at"])
        post_migrate.connect(ensure_assessment_templates, sender=self)

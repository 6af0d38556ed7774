from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "subject_access"
    verbose_name = "Subject access requests"

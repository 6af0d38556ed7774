from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "front_door"
    verbose_name = "The public front door"

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and advice"

    def ready(self):
        from django.db.models.signals import post_migrate

        from referrals.reference_data import ensure_reference_data

        post_migrate.connect(ensure_reference_data, sender=self)

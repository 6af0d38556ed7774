from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from notifications import selectors
        from notifications.schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
        # Not domain behaviour: it only fills the header's unread-count cache.
        user_logged_in.connect(selectors.count_on_sign_in, dispatch_uid="notifications.count_on_sign_in")

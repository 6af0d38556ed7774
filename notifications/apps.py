from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from notifications import notices, selectors
        from notifications.schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self)
        # django-axes decides lockouts inside its own code: its signal is the only place to hear of one.
        user_locked_out.connect(notices.locked_out, dispatch_uid="notifications.locked_out")
        # Not domain behaviour: it only fills the header's unread-count cache.
        user_logged_in.connect(selectors.count_on_sign_in, dispatch_uid="notifications.count_on_sign_in")

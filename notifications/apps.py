from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from notifications import selectors

        # Not domain behaviour: it only fills the header's unread-count cache.
        user_logged_in.connect(selectors.count_on_sign_in, dispatch_uid="notifications.count_on_sign_in")

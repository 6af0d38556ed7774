from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class AccountBackend(ModelBackend):
    """Django's password backend, closed to members of a deactivated organisation (new and open sessions)."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.organisation.is_active

    def get_user(self, user_id):
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

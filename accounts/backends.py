from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class AccountBackend(ModelBackend):
    """Django's password backend, closed to members of a deactivated organisation (new and open sessions)."""

    def get_all_permissions(self, user_obj, obj=None):
        """Permissions come only through roles (groups), read with the roles in one query."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return user_obj.access[1]

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.organisation.is_active

    def get_user(self, user_id):
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

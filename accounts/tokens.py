"""The one-time token of a self-service password reset link.

Django's generator already binds a token to the password hash and the last sign-in, so a used link (the
password changed) or a sign-in since stops it. This one adds the security stamp (sign out everywhere,
deactivation and a two-factor reset all end it), has a salt of its own (an invitation's set-password link
is not a reset link, nor the other way round), and lasts PASSWORD_RESET_LINK_SECONDS, far less than the
invitation's PASSWORD_RESET_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


class ResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.ResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.security_stamp}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        made_at = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - made_at <= settings.PASSWORD_RESET_LINK_SECONDS


reset_token_generator = ResetTokenGenerator()


def link_lifetime() -> str:
    """Say how long a reset link works, in words: "1 hour", "30 minutes"."""
    minutes = settings.PASSWORD_RESET_LINK_SECONDS // 60
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"

"""Account e-mails. Tasks take ids only; the message carries a link, never personal data."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import kept
from accounts.models import User
from accounts.tokens import link_lifetime, reset_token_generator


def _link(name: str, user: User, token: str) -> str:
    path = reverse(name, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token})
    return settings.SITE_URL.rstrip("/") + path


@shared_task
def send_set_password_link(*, user_id: int) -> None:
    """E-mail a one-time link to choose a password. Running twice sends a second valid link, no harm."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    link = _link("accounts:set_password", user, default_token_generator.make_token(user))
    body = render_to_string("accounts/email/set_password.txt", {"service_name": settings.SERVICE_NAME, "link": link})
    send_mail(f"{settings.SERVICE_NAME}: set your password", body, None, [user.email])


@shared_task
def send_password_reset_link(*, user_id: int | None) -> None:
    """E-mail a one-hour link to reset a forgotten password, if the account may still sign in.

    Queued for every request, `user_id=None` when no account has the address typed: the request costs the
    same either way, and the token is made here, so it is never stored in the outbox or a task's arguments.
    Running twice sends a second valid link, no harm.
    """
    user = User.objects.filter(pk=user_id, is_active=True, organisation__is_active=True).first()
    if user is None:
        return
    link = _link("accounts:reset_password", user, reset_token_generator.make_token(user))
    body = render_to_string(
        "accounts/email/reset_password.txt",
        {"service_name": settings.SERVICE_NAME, "link": link, "lifetime": link_lifetime()},
    )
    send_mail(f"{settings.SERVICE_NAME}: reset your password", body, None, [user.email])


@shared_task(name="accounts.tasks.erase_expired_kept_forms")
def erase_expired_kept_forms() -> int:
    """Erase the forms kept at a session's end that nobody came back for in time. Safe to run twice."""
    return kept.erase_expired()

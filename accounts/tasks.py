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


@shared_task
def send_set_password_link(*, user_id: int) -> None:
    """E-mail a one-time link to choose a password. Running twice sends a second valid link, no harm."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = render_to_string(
        "accounts/email/set_password.txt",
        {"service_name": settings.SERVICE_NAME, "link": settings.SITE_URL + path},
    )
    send_mail(f"{settings.SERVICE_NAME}: set your password", body, None, [user.email])


@shared_task(name="accounts.tasks.erase_expired_kept_forms")
def erase_expired_kept_forms() -> int:
    """Erase the forms kept at a session's end that nobody came back for in time. Safe to run twice."""
    return kept.erase_expired()

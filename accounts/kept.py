"""No typed work lost: a form sent as the session ends is kept, encrypted, and given back after signing in again.

When the session policy ends a session (idle or too long) on a POST to a page that keeps typed work
(`@keeps_typed_work`), what was typed is sealed with a key derived from SECRET_KEY and kept in the database for
KEPT_FORM_MINUTES, bound to that user and, through the new session, to that browser. Signing in again as the
same user returns them to the page, where the form shows what they typed; the row is erased as it is given
back. A different user signing in in that browser erases it unread. Files are never kept (the user is told to
choose them again); the sign-in pages never keep anything. Neither the contents nor the fields' names go in a
URL, a log or an audit event.
"""

import base64
import json
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import KeptForm, User
from audit.services import record

SESSION_KEY = "kept_form"
# Sent by the timeout dialog's script when the countdown ends: keep this form, never act on it.
KEEP_FIELD = "_keep_typed_work"
NOT_KEPT = {"csrfmiddlewaretoken", KEEP_FIELD}


def keeps_typed_work(view):
    """Mark a GET-and-POST form view whose form is built from `request.POST or None`: what was typed can come back."""
    view.keeps_typed_work = True
    return view


def _fernet() -> MultiFernet:
    """The sealing keys: one derived from SECRET_KEY, then any fallbacks (so a key rotation opens older rows)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    digests = [salted_hmac("accounts.kept_form", "fernet", secret=s, algorithm="sha256").digest() for s in secrets]
    keys = [base64.urlsafe_b64encode(digest) for digest in digests]
    return MultiFernet([Fernet(key) for key in keys])


def seal(data: QueryDict) -> str:
    """Encrypt the form's fields (every value of each), leaving out the CSRF token and the keep marker."""
    fields = [[name, values] for name, values in data.lists() if name not in NOT_KEPT]
    return _fernet().encrypt(json.dumps(fields).encode()).decode()


def unseal(sealed: str) -> QueryDict:
    """Decrypt kept fields back into the QueryDict a form is bound to."""
    data = QueryDict(mutable=True)
    for name, values in json.loads(_fernet().decrypt(sealed.encode())):
        data.setlist(name, values)
    data._mutable = False
    return data


@transaction.atomic
def keep(request, *, by: User) -> KeptForm:
    """Keep what this POST sent, for its user, and audit that something was kept (never what)."""
    now = timezone.now()
    kept = KeptForm.objects.create(
        user=by,
        path=request.get_full_path()[:500],
        sealed=seal(request.POST),
        files_dropped=bool(request.FILES),
        kept_at=now,
        expires_at=now + timedelta(minutes=settings.KEPT_FORM_MINUTES),
    )
    record(by=by, action="session.form_kept", target=by, kept_form_id=str(kept.pk), files_dropped=kept.files_dropped)
    return kept


def remember_in_session(request, kept: KeptForm) -> None:
    """Bind the kept form to this browser's new (signed-out) session: only it leads back to it."""
    request.session[SESSION_KEY] = str(kept.pk)


def _pending(request) -> KeptForm | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    kept = KeptForm.objects.filter(pk=pk, expires_at__gt=timezone.now()).first()
    if kept is None:
        request.session.pop(SESSION_KEY, None)
    return kept


def _erase_for_someone_else(request, kept: KeptForm, *, by: User) -> None:
    request.session.pop(SESSION_KEY, None)
    KeptForm.objects.filter(pk=kept.pk).delete()
    record(by=by, action="session.kept_form_erased", target=kept.user, kept_form_id=str(kept.pk), why="other_user")


@transaction.atomic
def return_path(request, *, by: User) -> str | None:
    """After signing in: the page of the form this browser kept for this user, or None.

    A form kept for someone else is erased unread, and its pointer forgotten.
    """
    kept = _pending(request)
    if kept is None:
        return None
    if kept.user_id != by.pk:
        _erase_for_someone_else(request, kept, by=by)
        return None
    return kept.path


@transaction.atomic
def restore(request) -> KeptForm | None:
    """On the kept form's own page, signed in as its user: bind the request to what was typed, erase it, audit it.

    The view then builds its form from `request.POST` as it does for a POST, and shows it without acting on it
    (it acts only when the method is POST).
    """
    kept = _pending(request)
    if kept is not None and kept.user_id != request.user.pk:
        _erase_for_someone_else(request, kept, by=request.user)
        return None
    if kept is None or kept.path != request.get_full_path()[:500]:
        return None
    request.session.pop(SESSION_KEY, None)
    deleted, _ = KeptForm.objects.filter(pk=kept.pk).delete()
    if not deleted:  # given back in another request meanwhile
        return None
    try:
        request.POST = unseal(kept.sealed)
    except InvalidToken:  # sealed under a key no longer held: nothing can be given back
        return None
    record(by=request.user, action="session.form_restored", target=request.user, kept_form_id=str(kept.pk))
    return kept


def erase_expired(*, now=None) -> int:
    """Erase every kept form past its time, given back or not; return how many."""
    deleted, _ = KeptForm.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted

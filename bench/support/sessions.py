"""Signed-in sessions written straight into the session store, as the sign-in views leave them."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import auth


def signed_in_session(user, device=None) -> SessionStore:
    """Return a session whose password (and, given the device, second factor) was passed just now."""
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[auth.SIGNED_IN_AT] = session[auth.LAST_SEEN_AT] = time.time()
    session.create()
    return session


def cookie(session: SessionStore) -> str:
    """Return the Cookie header value that sends this session."""
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def client(session: SessionStore | None = None) -> Client:
    """Return an in-process test client (whole Django stack, no HTTP server), signed in with the session if given."""
    test_client = Client(HTTP_HOST="127.0.0.1")
    if session is not None:
        test_client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return test_client

"""Test settings: the production settings module, with the few changes a test run needs."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-to-be-realistic-0123456789")
# Tests run with production behaviour, whatever a developer's .env says.
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DEMO_DATA_ALLOWED"] = "false"
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings import *  # noqa: E402,F403
from config.settings import CACHES, STORAGES  # noqa: E402

# Fast hashing: tests sign in thousands of times. Production keeps Django's default (PBKDF2).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static names 404 from the live server; the browser tests use plain names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Parallel workers share one Redis: keep their cache keys apart.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "config.sqlite":  # noqa: F405
    # An in-memory database per test process (pytest-django does not know our engine's name).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

import tempfile  # noqa: E402

# Uploaded files go to a throwaway folder per test process.
MEDIA_ROOT = tempfile.mkdtemp(prefix="prevent-test-media-")
# Audit anchors of test runs go to a throwaway file, never to var/.
AUDIT_ANCHOR_FILE = os.path.join(tempfile.mkdtemp(prefix="prevent-test-anchors-"), "anchors.jsonl")

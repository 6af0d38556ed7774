"""Settings for `make bench` under gunicorn: production settings plus the bench-only reference views.

Production behaviour is kept (DEBUG off, every middleware, persistent connections); only what a
local HTTP benchmark needs changes: no HTTPS redirect, the bench URLconf, plain static file names
(no collectstatic manifest is built for the bench).
"""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["DJANGO_DEBUG"] = "false"

from config.settings import *  # noqa: E402,F403
from config.settings import ALLOWED_HOSTS, STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# WhiteNoise warns that STATIC_ROOT is missing (no collectstatic for the bench; no static file is asked).
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# The audit-search bench runs hundreds of searches as one supervisor: it measures the search, not the rate limit.
RATELIMIT_ENABLE = False

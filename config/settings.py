"""Settings for the Prevent referral service, read from the environment.

With no environment at all this runs embedded (SQLite, tasks in-process, e-mail to files), which is
what `make run` uses. Set DATABASE_URL and REDIS_URL for PostgreSQL, Redis and real Celery workers.
Production is DJANGO_DEBUG unset (false) with SECRET_KEY, ALLOWED_HOSTS and the URLs above.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A developer's checkout has a .env (written by `make install`: DJANGO_DEBUG and DEMO_DATA_ALLOWED on), so
# `manage.py` works there with no exports. Real environment variables always win; images never ship one.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Proxies whose X-Forwarded-For we believe; anyone else's header is ignored (see audit.context).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Demo accounts are loaded only where this is on; `make run` turns it on, production never does.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)
SERVICE_NAME = "Prevent referrals"
from config.front_door_settings import *  # noqa: E402, F403 - the force served, limits on the public form

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Holds nothing now (backup codes are accounts.BackupCodeDevice, hashed); installed for the migration that
    # moved its clear codes there (accounts 0003).
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "auditlog",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    "core",
    "accounts",
    "audit",
    "referrals",
    "cases",
    "notifications",
    "pages",
    "privacy",
    "retention",
    "reports",
    "subject_access",
    "rights",
    "oversight",
    "engagement",
    "training",
    "front_door",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pages.middleware.ServiceNotFoundMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "audit.refusals.RefusalAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.service",
                "accounts.context_processors.session_timeout",
            ],
        },
    },
]
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Same engine, but flush behaves like PostgreSQL's TRUNCATE around the append-only triggers.
    DATABASES["default"]["ENGINE"] = "config.sqlite"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long reports, not for pages: it once cost a search 600 ms to save 1.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # A Redis that hangs must not hang every page: give up after two seconds (callers treat it as a miss).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:sign_in"
# Pages under this prefix (sign-in, codes, set-password) are never cached either.
LOGIN_URL_PREFIX = "/accounts/"
LOGIN_REDIRECT_URL = "pages:home"
# NCSC: length over complexity, a deny-list of common passwords, no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# An administrator's set-password link (an invitation) lasts 3 days; a self-service reset link an hour
# (accounts/tokens.py), since anyone who can read the mailbox can use it.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
PASSWORD_RESET_LINK_SECONDS = env.int("PASSWORD_RESET_LINK_SECONDS", default=60 * 60)

# Two-factor sign-in is mandatory for these roles and optional for everyone else.
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=["prevent_officer", "supervisor", "engagement_officer", "system_admin"]
)
OTP_TOTP_ISSUER = SERVICE_NAME
# How long the half-signed-in state (password right, code not yet given) lasts.
MFA_PENDING_SECONDS = 300

# Sessions: idle timeout, absolute limit, never readable by scripts.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=15))
SESSION_ABSOLUTE_LIMIT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=8))
# The timeout warning opens this long before the session ends (the HMRC pattern: two minutes).
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=120)
# A form sent as the session ends is kept this long, encrypted, for its user to get back (accounts/kept.py).
KEPT_FORM_MINUTES = env.int("KEPT_FORM_MINUTES", default=30)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIMIT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pages.errors.csrf_failure"

# Lockout after repeated failures, per account, whether or not the account exists.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Accounts lock per e-mail only: many users share one office or proxy address, and one person's
# typos must not lock out their colleagues. Password spraying from one address is throttled apart
# (accounts.auth.address_is_throttled), with a limit sized for a busy office.
AXES_LOCKOUT_PARAMETERS = ["username"]
SIGN_IN_ADDRESS_LIMIT = env.int("SIGN_IN_ADDRESS_LIMIT", default=50)
SIGN_IN_ADDRESS_WINDOW_MINUTES = 15
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_CLIENT_IP_CALLABLE = "audit.context.client_ip"
AXES_CLIENT_STR_CALLABLE = "accounts.auth.axes_client_str"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "token", "email"]
# W006 asks for the address as a lockout key; see AXES_LOCKOUT_PARAMETERS for why it is not.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

AUDITLOG_DISABLE_REMOTE_ADDR = False

# Security headers.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check is asked over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_HSTS_SECONDS = 0 if DEBUG else 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Without collectstatic (make run, tests), serve straight from the source folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# The few files browsers ask for at the site's root (favicon.ico), served like static files.
WHITENOISE_ROOT = BASE_DIR / "pages" / "root"
# Files people upload live outside the web root and are served only through views that check access.
MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")

# E-mail: SMTP when EMAIL_URL is set, otherwise one file per message under var/mail.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="prevent-referrals@localhost")
# Absolute links in e-mails: by default the address `make run` serves on (127.0.0.1 and $PORT).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}")

# Celery: Redis in production; in-process with no services.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # Publishing happens after commit in the request: a hanging broker must fail fast (the outbox keeps the message).
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# Logs carry ids and events, never personal data (config/logs.py).
LOGGING = logging_config(level=env("LOG_LEVEL", default="INFO"))
# AUDIT_ANCHOR_SYSLOG ("host:port" over UDP, or a socket such as /dev/log) sends anchors to syslog as well.
AUDIT_ANCHOR_SYSLOG = env("AUDIT_ANCHOR_SYSLOG", default="")
if AUDIT_ANCHOR_SYSLOG:
    _host, _, _port = AUDIT_ANCHOR_SYSLOG.rpartition(":")
    LOGGING["handlers"]["anchor_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port)) if _host else AUDIT_ANCHOR_SYSLOG,
        "formatter": "plain",
        "filters": ["no_link_tokens"],
    }
    LOGGING["loggers"]["audit.anchor"]["handlers"] = ["anchor_syslog"]
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Rows on one page of every list (core/paging.py); keyset pages (the queue, the audit trail) too.
PAGE_SIZE = env.int("PAGE_SIZE", default=50)

# Alerts on unusual access (oversight/alerts/), raised every 15 minutes over the events of the last day.
ALERT_LOOKBACK_HOURS = env.int("ALERT_LOOKBACK_HOURS", default=24)
# Bulk viewing: more than this many distinct records opened within this many minutes. List pages (one event per
# row, triage facts only) are left out: paging the queue is ordinary work, opening 50 records in 10 minutes is not.
ALERT_BULK_RECORDS = env.int("ALERT_BULK_RECORDS", default=50)
ALERT_BULK_MINUTES = env.int("ALERT_BULK_MINUTES", default=10)
ALERT_BULK_IGNORED_ACTIONS = env.list(
    "ALERT_BULK_IGNORED_ACTIONS",
    default=[
        "case.queue_viewed",
        "case.list_viewed",
        "referral.list_viewed",
        "advice.list_viewed",
        "panel.agenda_viewed",
    ],
)
# Working hours in TIME_ZONE, and working days (ISO numbers: Monday is 1); personal data touched outside them alerts.
ALERT_WORKING_HOURS = env("ALERT_WORKING_HOURS", default="07:00-19:00")
ALERT_WORKING_DAYS = env.list("ALERT_WORKING_DAYS", cast=int, default=[1, 2, 3, 4, 5])
ALERT_DORMANT_DAYS = env.int("ALERT_DORMANT_DAYS", default=90)
# A police account made or changed (e-mail, roles, two-factor reset), then its password set within this many hours:
# the steps of taking an account over. 72 hours is as long as a set-password link lasts (PASSWORD_RESET_TIMEOUT).
ALERT_ACCOUNT_CHANGE_HOURS = env.int("ALERT_ACCOUNT_CHANGE_HOURS", default=72)

# Rate limits per user (accounts/limits.py; django-ratelimit rates: "20/h" is 20 an hour, "5/10m" 5 in 10 minutes).
# Each is a few times what a busy day's work needs, and far below what a script does: a scan once sent about
# 690 advice e-mails to one partner in ten minutes. Advice messages (replies and new questions) each e-mail
# someone; person and audit searches each read across every record; an audit export can hold 100,000 events.
RATE_LIMIT_ADVICE_MESSAGES = env("RATE_LIMIT_ADVICE_MESSAGES", default="20/h")
RATE_LIMIT_PERSON_SEARCH = env("RATE_LIMIT_PERSON_SEARCH", default="60/h")
RATE_LIMIT_AUDIT_SEARCH = env("RATE_LIMIT_AUDIT_SEARCH", default="120/h")
RATE_LIMIT_AUDIT_EXPORT = env("RATE_LIMIT_AUDIT_EXPORT", default="10/h")
# Asking for a password reset link, before signing in: per address typed (anyone may type anyone's), and per
# client address (a script trying addresses; high enough for an office behind one address).
RATE_LIMIT_PASSWORD_RESET_EMAIL = env("RATE_LIMIT_PASSWORD_RESET_EMAIL", default="3/h")
RATE_LIMIT_PASSWORD_RESET_ADDRESS = env("RATE_LIMIT_PASSWORD_RESET_ADDRESS", default="30/h")
# The counts are kept in the default cache; if it cannot count (Redis down), the action goes through.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True

# Referrals.
DRAFT_MAX_AGE_DAYS = env.int("DRAFT_MAX_AGE_DAYS", default=28)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=10)
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=20)
# A ClamAV daemon ("host:port") scans every upload; with none, files are marked "not scanned".
CLAMAV_ADDRESS = env("CLAMAV_ADDRESS", default="")
CLAMAV_TIMEOUT_SECONDS = 30
# Uploads above this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Cases.
ASSESSMENT_TARGET_WORKING_DAYS = env.int("ASSESSMENT_TARGET_WORKING_DAYS", default=5)
# Working days skip the bank holidays of this part of the UK ("ENG": England and Wales; "SCT", "NIR", "WLS")
# and these local closure days (comma-separated ISO dates): core/calendar.py, which checks both (core/checks.py).
BANK_HOLIDAYS = env("BANK_HOLIDAYS", default="ENG")
LOCAL_CLOSURE_DAYS = env.list("LOCAL_CLOSURE_DAYS", default=[])
# Where the closure days added in the app are cached (core/calendar.py); tests give each test its own key.
CLOSURE_DAYS_CACHE_KEY = "core:closure-days"
# Reports: counts from 1 up to this (not included) are shown as "*" in the statistics return.
REPORTS_SUPPRESSION_THRESHOLD = env.int("REPORTS_SUPPRESSION_THRESHOLD", default=5)
# Outcomes a supervisor must sign off before they stand (the rest stand when decided).
OUTCOMES_NEEDING_SIGN_OFF = env.list(
    "OUTCOMES_NEEDING_SIGN_OFF", default=["nfa", "nfa_mistaken", "signposted", "pursue", "channel", "police_led"]
)
# Reviews after closure, in months (extendable to 24 at a review).
REVIEW_MONTHS = [6, 12]
# How long an officer's reasoned access to a case outside their caseload (break-glass) lasts.
BREAK_GLASS_MINUTES = env.int("BREAK_GLASS_MINUTES", default=60)

# Notifications: reminders start this many working days before an assessment is due, and days before a review.
NOTIFICATION_ASSESSMENT_WARNING_WORKING_DAYS = env.int("NOTIFICATION_ASSESSMENT_WARNING_WORKING_DAYS", default=2)
NOTIFICATION_REVIEW_NOTICE_DAYS = env.int("NOTIFICATION_REVIEW_NOTICE_DAYS", default=7)
# What the daily reminder run asks, in order: each app's functions of today's date yielding Reminders
# (notifications/reminders.py). Add a source here and in its app's reminders.py.
NOTIFICATION_REMINDER_SOURCES = [
    "cases.reminders.assessment_reminders",
    "cases.reminders.review_reminders",
    "oversight.reminders.oversight_reminders",
    "retention.reminders.reviews_waiting",
]
# Legal holds: functions taking a record and saying whether it is held; privacy.erasure refuses to erase a
# held record, whoever asks (belt and braces with the retention services).
ERASURE_HOLD_CHECKS = ["retention.selectors.is_held"]
# An outbox e-mail claimed longer ago than this is a dead worker's: it is sent again (notifications/outbox.py).
# Keep it above CELERY_TASK_TIME_LIMIT, so a slow but living worker is never doubled.
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=900)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)

# Audit chain: the latest (seq, hash) is appended here every 15 minutes and logged to `audit.anchor`.
# In production put it on storage the database and its roles cannot write (see README).
AUDIT_ANCHOR_FILE = env("AUDIT_ANCHOR_FILE", default=str(BASE_DIR / "var" / "audit-anchors.jsonl"))

# Subject access: a released export's files are deleted this many days after release (nightly, Celery beat).
SUBJECT_ACCESS_KEEP_DAYS = env.int("SUBJECT_ACCESS_KEEP_DAYS", default=30)

"""The logging set-up: logs carry ids and events, never personal data; loggers that echo usernames are quietened."""


def logging_config(*, level: str) -> dict:
    """Return Django's LOGGING for this root level."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        # A one-time link's token must not reach a log line ("Not Found: /accounts/reset-password/...").
        "filters": {"no_link_tokens": {"()": "accounts.logs.HideLinkTokens"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_link_tokens"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # runserver's request lines carry paths: through the filtered handler, not Django's own.
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # WeasyPrint reports each rendering step at INFO: keep its warnings (a refused URL, a CSS error) only.
            "weasyprint": {"level": "WARNING"},
            "django.security.DisallowedHost": {"level": "ERROR"},
            # The audit chain's anchors (seq and hash only): ship them to a log store the database cannot reach.
            "audit.anchor": {"level": "INFO"},
        },
    }

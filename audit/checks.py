from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def trusted_proxies_set(app_configs, **kwargs):
    """Behind a proxy, every client would share the proxy's address in the audit trail and lockouts."""
    if settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "TRUSTED_PROXIES is empty: behind a reverse proxy, the audit trail records the proxy's "
            "address for every user and the sign-in throttle treats all users as one.",
            hint="Set TRUSTED_PROXIES to the proxy's address or network (for example 10.0.0.0/8).",
            id="audit.W001",
        )
    ]

from django.conf import settings
from django.urls import reverse

from pages.navigation import current, navigation


def service(request):
    """Give every page the service name and the navigation this user may follow."""
    # A request refused before authentication ran (a bad Host header) has no user: show no navigation.
    user = getattr(request, "user", None)
    items = navigation(user) if user is not None and user.is_authenticated else []
    path = request.path
    return {
        "service_name": settings.SERVICE_NAME,
        "demo_data": settings.DEMO_DATA_ALLOWED,
        "organisation_name": "Prevent case referrals",
        "account_url": reverse("accounts:security"),
        "force": {
            "name": settings.FORCE_NAME,
            "area": settings.FORCE_AREA,
            "email": settings.FORCE_PREVENT_EMAIL,
            "phone": settings.FORCE_ADVICE_PHONE,
            "text_relay": settings.FORCE_TEXT_RELAY,
        },
        "navigation": [{"text": item.text, "href": item.href, "current": current(item, path)} for item in items],
    }

"""Every URL of the service. No Django admin site: administrators use the accounts pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("accounts/", include("accounts.urls")),
    path("referrals/", include("referrals.urls")),
    path("cases/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("oversight.urls")),
    path("retention/", include("retention.urls")),
    path("privacy/", include("privacy.urls")),
    path("reports/", include("reports.urls")),
    path("subject-access/", include("subject_access.urls")),
    path("rights/", include("rights.urls")),
    path("engagement/", include("engagement.urls")),
    path("training/", include("training.urls")),
    path("public/", include("front_door.urls")),
]

handler400 = "pages.errors.bad_request"
handler403 = "pages.errors.forbidden"
handler404 = "pages.errors.not_found"
handler500 = "pages.errors.server_error"

"""The supervisors' screens, mounted at /audit/ (config/urls.py).

The namespace stays "audit" from when these screens lived in the audit app: URL names ("audit:search") are used
by templates, notices, the refusal log and bookmarks, so they did not change when the code moved here.
"""

from django.urls import path

from oversight.views import alerts, export, search

app_name = "audit"  # kept: see above
urlpatterns: list = [
    path("", search.search, name="search"),
    path("cases/<uuid:pk>/", search.case_history, name="case_history"),
    path("users/<int:pk>/", search.user_activity, name="user_activity"),
    path("export.csv", export.export_csv, name="export_csv"),
    path("export.jsonl", export.export_jsonl, name="export_jsonl"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/review/", alerts.alert_review, name="alert_review"),
]

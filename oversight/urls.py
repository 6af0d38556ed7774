from django.urls import path

from oversight.views import alerts, export, search

app_name = "audit"
urlpatterns: list = [
    path("", search.search, name="search"),
    path("cases/<uuid:pk>/", search.case_history, name="case_history"),
    path("users/<int:pk>/", search.user_activity, name="user_activity"),
    path("export.csv", export.export_csv, name="export_csv"),
    path("export.jsonl", export.export_jsonl, name="export_jsonl"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/review/", alerts.alert_review, name="alert_review"),
]

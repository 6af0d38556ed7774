from django.urls import path

from subject_access import views

app_name = "subject_access"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/records/", views.records, name="records"),
    path("<uuid:pk>/generate/", views.generate, name="generate"),
    path("<uuid:pk>/progress/", views.progress, name="progress"),
    path("<uuid:pk>/items/<slug:item_key>/withhold/", views.withhold, name="withhold"),
    path("<uuid:pk>/withholdings/<int:withholding>/remove/", views.unwithhold, name="unwithhold"),
    path("<uuid:pk>/release/", views.release, name="release"),
    path("<uuid:pk>/download/", views.download, name="download"),
]

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("erasures/", views.tombstone_list, name="tombstones"),
    path("erasures/<int:pk>/", views.certificate, name="certificate"),
    path("erasures/<int:pk>/certificate.txt", views.certificate_download, name="certificate_download"),
]

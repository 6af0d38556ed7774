from django.urls import path

from rights import views

app_name = "rights"
urlpatterns = [
    path("restricted/", views.restricted, name="restricted"),
    path("cases/<uuid:pk>/rectify/", views.rectify, name="rectify"),
    path("cases/<uuid:pk>/restriction/", views.restriction, name="restriction"),
]

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.team, name="team"),
    path("management/", views.management, name="management"),
    path("organisation/", views.organisation, name="organisation"),
    path("statistics-return/", views.statistics_return, name="statistics_return"),
    path("statistics-return/csv/", views.statistics_return_csv, name="statistics_return_csv"),
]

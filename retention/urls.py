from django.urls import path

from retention import views

app_name = "retention"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval, name="approval"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/lift/", views.lift, name="lift"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
]

from django.urls import path

from cases.views import case, queue

app_name = "cases"
urlpatterns = [
    path("", queue.case_queue, name="queue"),
    path("<uuid:pk>/", case.detail, name="detail"),
    path("<uuid:pk>/move/", case.move, name="move"),
    path("<uuid:pk>/assign/", case.assign, name="assign"),
    path("<uuid:pk>/notes/", case.add_note, name="add_note"),
    path("<uuid:pk>/checks/", case.record_check, name="record_check"),
    path("<uuid:pk>/assessment/", case.assess, name="assess"),
    path("<uuid:pk>/decision/", case.decide, name="decide"),
    path("<uuid:pk>/sign-off/", case.sign_off, name="sign_off"),
]
urlpatterns += [
    path("<uuid:pk>/feedback/<uuid:referral>/", case.feedback, name="feedback"),
]

from django.urls import path

from front_door import views

app_name = "public"
urlpatterns = [
    path("", views.worried, name="worried"),
    path("advice/", views.advice, name="advice"),
    path("help-in-your-community/", views.community, name="community"),
    path("privacy/", views.privacy, name="privacy"),
    path("get-in-touch/", views.contact_form, name="contact_form"),
    path("get-in-touch/sent/", views.sent, name="sent"),
    path("get-in-touch/challenge/", views.challenge_json, name="challenge"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<uuid:pk>/", views.contact, name="contact"),
    path("contacts/<uuid:pk>/close/", views.contact_close, name="contact_close"),
    path("contacts/<uuid:pk>/record-referral/", views.contact_referral, name="contact_referral"),
]

from django.urls import path

from referrals.views import advice, form, referrals

app_name = "referrals"
urlpatterns = [
    path("", referrals.referral_list, name="list"),
    path("received/", referrals.received, name="received"),
    path("start/", form.start, name="start"),
    path("start/on-behalf/", form.start_on_behalf, name="start_on_behalf"),
    path("attachments/<uuid:pk>/", referrals.download, name="download"),
    path("links/<uuid:pk>/", referrals.decide_link, name="decide_link"),
    path("advice/", advice.advice_list, name="advice_list"),
    path("advice/new/", advice.advice_new, name="advice_new"),
    path("advice/log-phone-call/", advice.advice_phone, name="advice_phone"),
    path("advice/<uuid:pk>/", advice.advice_detail, name="advice_detail"),
    path("advice/<uuid:pk>/close/", advice.advice_close, name="advice_close"),
    path("advice/<uuid:pk>/ask-for-referral/", advice.advice_ask_referral, name="advice_ask_referral"),
    path("advice/<uuid:pk>/start-referral/", advice.advice_start_referral, name="advice_start_referral"),
    path("<uuid:pk>/", referrals.detail, name="detail"),
    path("<uuid:pk>/attachments/", form.attachments, name="attachments"),
    path("<uuid:pk>/attachments/<uuid:attachment>/remove/", form.remove_attachment, name="remove_attachment"),
    path("<uuid:pk>/check-your-answers/", form.check, name="check"),
    path("<uuid:pk>/submitted/", form.submitted, name="submitted"),
    path("<uuid:pk>/delete/", form.delete_draft, name="delete_draft"),
    path("<uuid:pk>/<slug:section>/", form.section, name="section"),
    path("<uuid:pk>/<slug:section>/remove/<int:index>/", form.remove_item, name="remove_item"),
]

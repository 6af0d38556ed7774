from django.urls import path

from cases.views import bulk, case, queue

app_name = "cases"
urlpatterns = [
    path("", queue.case_queue, name="queue"),
    path("search/", queue.person_search, name="search"),
    path("reassign/", bulk.bulk_reassign, name="bulk_reassign"),
    path("saved-filters/", bulk.save_filter, name="save_filter"),
    path("saved-filters/<int:pk>/delete/", bulk.delete_filter, name="delete_filter"),
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
from cases.views import support  # noqa: E402

urlpatterns += [
    path("<uuid:pk>/support-plan/", support.support_plan, name="support_plan"),
    path("<uuid:pk>/consent/", support.consent, name="consent"),
    path("<uuid:pk>/providers/", support.grant, name="grant"),
    path("<uuid:pk>/providers/<uuid:grant>/revoke/", support.revoke, name="revoke"),
    path("<uuid:pk>/reviews/<int:review>/", support.review, name="review"),
    path("support/", support.provided, name="provided"),
    path("support/<uuid:pk>/", support.provided_case, name="provided_case"),
    path("support/<uuid:pk>/hand-back/", support.hand_back, name="hand_back"),
]
from cases.views import panel  # noqa: E402

urlpatterns += [
    path("panel/", panel.meetings, name="meetings"),
    path("panel/new/", panel.meeting_new, name="meeting_new"),
    path("panel/<uuid:pk>/", panel.meeting, name="meeting"),
    path("panel/<uuid:pk>/list/", panel.meeting_list_case, name="meeting_list_case"),
    path("panel/<uuid:pk>/items/<int:item>/", panel.meeting_decide, name="meeting_decide"),
    path("panel/<uuid:pk>/chair/", panel.meeting_chair, name="meeting_chair"),
    path("panel/<uuid:pk>/attendance/", panel.meeting_attendee, name="meeting_attendee"),
    path(
        "panel/<uuid:pk>/attendance/<int:attendee>/remove/",
        panel.meeting_attendee_remove,
        name="meeting_attendee_remove",
    ),
    path("panel/<uuid:pk>/items/<int:item>/<str:what>/", panel.item_write, name="meeting_item_write"),
    path("panel/<uuid:pk>/actions/<int:action>/done/", panel.action_done, name="meeting_action_done"),
]
from cases.views import case_file  # noqa: E402

urlpatterns += [
    path("<uuid:pk>/case-file/", case_file.case_file_form, name="case_file"),
    path("<uuid:pk>/case-file/pdf/", case_file.case_file_pdf, name="case_file_pdf"),
]
from cases.views import break_glass  # noqa: E402

urlpatterns += [
    path("<uuid:pk>/reason/", break_glass.reason, name="reason"),
    path("break-glass/", break_glass.review_queue, name="break_glass_queue"),
    path("break-glass/<int:pk>/", break_glass.review, name="break_glass_review"),
]
from cases.views import cover  # noqa: E402

urlpatterns += [
    path("cover/", cover.covers, name="covers"),
    path("cover/new/", cover.cover_new, name="cover_new"),
    path("cover/<int:pk>/end/", cover.cover_end, name="cover_end"),
]
from cases.views import documents  # noqa: E402

urlpatterns += [
    path("<uuid:pk>/documents/new/", documents.add_document, name="add_document"),
    path("documents/<uuid:pk>/", documents.download_document, name="download_document"),
    path("<uuid:pk>/documents/<uuid:document>/remove/", documents.remove_document, name="remove_document"),
]

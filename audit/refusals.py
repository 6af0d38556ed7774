"""Refused and failed attempts are audited in one place: every 403 or 404 a signed-in user is given.

The middleware looks at the answer, not at how a view reached it (`PermissionDenied`, `Http404`, or a
rendered 403/404 page), so no view can forget. The record a URL names comes from the ids in its path,
read through RECORDS (url name -> {path argument: model}); the first argument is the event's target.

- `access.refused`: a 403, or a 404 on a record that exists (the user may not see it; they were told
  "not found", as for anything else they may not see). The target is the record; the details hold the
  URL's name, the status and the ids in the path (ids are not personal data).
- `access.not_found`: a 404 whose ids name no record, with the same details and no target. Guessing ids
  is worth a supervisor's look too, and a signed-in user's mistakes are few.
- A 403 on a page with no record (a partner asking for the police queue) is `access.refused` with no
  target; a 404 there (a spent sign-in link) is `access.not_found`. Addresses nobody routes (no URL
  name) are not recorded: there is no record, and the path itself could hold anything typed.

Anonymous requests never reach a view (they are sent to sign in) and are not recorded here; failed
sign-ins are audited by the sign-in views.
"""

from django.apps import apps

from audit.services import record

REFUSED = "access.refused"
NOT_FOUND = "access.not_found"
STATUSES = (403, 404)

# Path arguments that are never record ids: never read or recorded here (a one-time token is a secret).
# item_key: a key inside a subject access export; slug: a group of the navigation; what: which form of an agenda item.
NOT_IDS = {"section", "index", "uidb64", "token", "item_key", "slug", "what"}

_USER = {"pk": "accounts.User"}
_REFERRAL = {"pk": "referrals.Referral"}
_ADVICE = {"pk": "referrals.AdviceRequest"}
_CASE = {"pk": "cases.Case"}
_MEETING = {"pk": "cases.PanelMeeting"}
_SAR = {"pk": "subject_access.SubjectAccessRequest"}

RECORDS: dict[str, dict[str, str]] = {
    "accounts:user_detail": _USER,
    "accounts:user_send_link": _USER,
    "accounts:user_reset_mfa": _USER,
    "accounts:user_unlock": _USER,
    "accounts:change_request": {"pk": "accounts.AccountChangeRequest"},
    "accounts:change_request_cancel": {"pk": "accounts.AccountChangeRequest"},
    "accounts:organisation_edit": {"pk": "accounts.Organisation"},
    "accounts:closure_day_remove": {"pk": "core.ClosureDay"},
    "referrals:detail": _REFERRAL,
    "referrals:section": _REFERRAL,
    "referrals:remove_item": _REFERRAL,
    "referrals:attachments": _REFERRAL,
    "referrals:remove_attachment": {"pk": "referrals.Referral", "attachment": "referrals.Attachment"},
    "referrals:check": _REFERRAL,
    "referrals:submitted": _REFERRAL,
    "referrals:delete_draft": _REFERRAL,
    "referrals:download": {"pk": "referrals.Attachment"},
    "referrals:decide_link": {"pk": "referrals.ReferralLink"},
    "referrals:advice_detail": _ADVICE,
    "public:contact": {"pk": "front_door.PublicContact"},
    "public:contact_close": {"pk": "front_door.PublicContact"},
    "public:contact_referral": {"pk": "front_door.PublicContact"},
    "referrals:advice_close": _ADVICE,
    "referrals:advice_ask_referral": _ADVICE,
    "referrals:advice_start_referral": _ADVICE,
    "cases:detail": _CASE,
    "cases:move": _CASE,
    "cases:assign": _CASE,
    "cases:add_note": _CASE,
    "cases:record_check": _CASE,
    "cases:assess": _CASE,
    "cases:decide": _CASE,
    "cases:sign_off": _CASE,
    "cases:feedback": {"pk": "cases.Case", "referral": "referrals.Referral"},
    "cases:support_plan": _CASE,
    "cases:consent": _CASE,
    "cases:grant": _CASE,
    "cases:revoke": {"pk": "cases.Case", "grant": "cases.ProviderGrant"},
    "cases:review": {"pk": "cases.Case", "review": "cases.Review"},
    "cases:meeting": _MEETING,
    "cases:meeting_list_case": _MEETING,
    "cases:meeting_decide": {"pk": "cases.PanelMeeting", "item": "cases.AgendaItem"},
    "cases:meeting_chair": _MEETING,
    "cases:meeting_attendee": _MEETING,
    "cases:meeting_attendee_remove": {"pk": "cases.PanelMeeting", "attendee": "cases.Attendee"},
    "cases:meeting_item_write": {"pk": "cases.PanelMeeting", "item": "cases.AgendaItem"},
    "cases:meeting_action_done": {"pk": "cases.PanelMeeting", "action": "cases.PanelAction"},
    "cases:delete_filter": {"pk": "cases.SavedQueueFilter"},
    "cases:cover_end": {"pk": "cases.Cover"},
    "cases:provided_case": _CASE,
    "cases:hand_back": _CASE,
    "cases:reason": _CASE,
    "cases:case_file": _CASE,
    "cases:case_file_pdf": _CASE,
    "cases:break_glass_review": {"pk": "cases.BreakGlass"},
    "cases:add_document": _CASE,
    "cases:download_document": {"pk": "cases.CaseDocument"},
    "cases:remove_document": {"pk": "cases.Case", "document": "cases.CaseDocument"},
    "rights:rectify": _CASE,
    "rights:restriction": _CASE,
    "audit:case_history": _CASE,
    "audit:user_activity": _USER,
    "audit:alert_review": {"pk": "audit.Alert"},
    "privacy:certificate": {"pk": "privacy.Tombstone"},
    "privacy:certificate_download": {"pk": "privacy.Tombstone"},
    "notifications:read": {"pk": "notifications.Notification"},
    "retention:review": {"pk": "retention.RetentionReview"},
    "retention:approval": {"pk": "retention.RetentionReview"},
    "retention:lift": {"pk": "retention.LegalHold"},
    "retention:rule_edit": {"pk": "retention.RetentionRule"},
    "subject_access:detail": _SAR,
    "subject_access:records": _SAR,
    "subject_access:generate": _SAR,
    "subject_access:progress": _SAR,
    "subject_access:withhold": _SAR,
    "subject_access:unwithhold": {
        "pk": "subject_access.SubjectAccessRequest",
        "withholding": "subject_access.Withholding",
    },
    "subject_access:release": _SAR,
    "subject_access:download": _SAR,
}


def id_arguments(kwargs: dict) -> list[str]:
    """Return the path arguments that name records, in order."""
    return [name for name in kwargs if name not in NOT_IDS]


def _find(label: str, value):
    """Return the record (any record: this is about what exists, not what the user may see), or None.

    Only its key and its case are read: the event needs nothing else.
    """
    model = apps.get_model(label)
    fields = ["pk", *(["case"] if any(field.name == "case" for field in model._meta.concrete_fields) else [])]
    try:
        return model._base_manager.only(*fields).filter(pk=value).first()
    except (ValueError, TypeError):  # a value the converter let through but the key type refuses
        return None


def record_refusal(request, status: int):
    """Audit a 403 or 404 given to a signed-in user; return the event, or None for an unrouted address."""
    match = request.resolver_match
    if match is None or not match.view_name:
        return None
    names = RECORDS.get(match.view_name, {})
    ids = {name: str(value) for name, value in match.kwargs.items() if name in names}
    details = {"url_name": match.view_name, "status": status}
    if ids:
        details["ids"] = ids
    first = next(iter(names), None)
    target = _find(names[first], match.kwargs[first]) if first in match.kwargs else None
    action = REFUSED if target is not None or status == 403 else NOT_FOUND
    return record(by=request.user, action=action, target=target, **details)


class RefusalAuditMiddleware:
    """Write an audit event for every 403 and 404 a signed-in user is given (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in STATUSES and getattr(request, "user", None) and request.user.is_authenticated:
            record_refusal(request, response.status_code)
        return response

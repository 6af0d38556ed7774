"""Who may use which URL: every URL pattern, every role, anonymous included. Default deny.

A URL pattern that is not listed in MATRIX fails the suite: a new view must say who may use it.
"""

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from cases import intake
from tests.conftest import PASSWORD, sign_in_client

ANON = "anonymous"
NO_ROLE = "no role"
# Half-way through signing in: password accepted, second step not yet done.
AT_CODE = "half-signed-in, code step"
AT_ENROL = "half-signed-in, enrolment step"
EVERY_ROLE = [*Role.values, NO_ROLE]
WHO = [ANON, AT_CODE, AT_ENROL, *EVERY_ROLE]

SIGN_IN = "sign-in"  # a redirect to the sign-in page


def everyone(status):
    return dict.fromkeys(WHO, status)


def signed_in_only(status):
    return {ANON: SIGN_IN, **dict.fromkeys(EVERY_ROLE, status)}


def only(roles, status, others=403):
    return {ANON: SIGN_IN, **{who: status if who in roles else others for who in EVERY_ROLE}}


def subject_user(data):
    return {"pk": data["subject"].pk}


def subject_organisation(data):
    return {"pk": data["subject"].organisation_id}


ADMIN = [Role.SYSTEM_ADMIN]
PARTNER = [Role.REFERRER]
POLICE = [Role.PREVENT_OFFICER, Role.SUPERVISOR]
STARTERS = PARTNER + POLICE


def of(key, attribute="pk"):
    return lambda data: {"pk": getattr(data[key], attribute)}


def draft_page(section):
    return lambda data: {"pk": data["draft"].pk, "section": section}


def acknowledgement(data):
    """The notification acknowledging the referral: its author's own, nobody else's."""
    from notifications.models import Notification

    return {"pk": Notification.objects.get(kind="referral_received", reference=data["referral"].reference).pk}


def an_alert(data):
    """An alert about another user, for a supervisor to review."""
    from django.utils import timezone

    from audit.models import Alert

    alert = Alert.objects.create(
        rule=Alert.Rule.DORMANT_ACCOUNT, user=data["subject"], key="matrix", raised_at=timezone.now()
    )
    return {"pk": alert.pk}


def a_change_request(data):
    """An administrator's request to reset the matrix's subject's two-factor sign-in, waiting for a supervisor."""
    if "change_request" not in data:
        from accounts import changes, services
        from accounts.models import AccountChangeRequest, Organisation

        police = services.create_organisation(
            by=None, name="Matrix IT", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
        )
        admin = services.create_user(
            by=None,
            email=f"admin-{data['subject'].pk}@example.org",
            full_name="Matrix Administrator",
            organisation=police,
            roles=[Role.SYSTEM_ADMIN],
        )
        data["change_request"] = changes.open_request(
            data["subject"], kind=AccountChangeRequest.Kind.RESET_MFA, by=admin, reason="Lost phone."
        )
    return {"pk": data["change_request"].pk}


def a_cover(data):
    """Cover the caller gives if they are an officer (so it is theirs to end); else cover between two other officers."""
    from accounts import services
    from accounts.models import Organisation
    from cases import cover

    caller, today = data["caller"], datetime.date.today()
    if caller is not None and caller.has_role(Role.PREVENT_OFFICER):
        made = cover.set_cover(caller, colleague=data["officer"], starts_on=today, ends_on=today, by=caller)
    else:
        police = services.create_organisation(
            by=None, name="Matrix cover", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
        )
        colleague = services.create_user(
            by=None,
            email=f"cover-{data['officer'].pk}@example.org",
            full_name="Matrix Colleague",
            organisation=police,
            roles=[Role.PREVENT_OFFICER],
        )
        officer = data["officer"]
        made = cover.set_cover(officer, colleague=colleague, starts_on=today, ends_on=today, by=officer)
    return {"pk": made.pk}


def a_tombstone(data):
    """What an erasure leaves (no personal data), for a supervisor's certificate pages."""
    from django.utils import timezone

    from privacy.models import Tombstone

    tombstone = Tombstone.objects.create(
        record_type=Tombstone.RecordType.REFERRAL,
        record_id=data["draft"].pk,
        erased_at=timezone.now(),
        rule="draft-28-days",
        requested_by=data["subject"],
        approved_by=data["draft"].author,
        certificate_number=f"DC-M{data['draft'].pk.hex[:7].upper()}",
    )
    return {"pk": tombstone.pk}


def a_retention_review(data):
    """A retention review of the case, waiting for a supervisor (made directly: the scan needs years to pass)."""
    from django.utils import timezone

    from retention.models import RetentionReview

    case = data["case"]
    review, _ = RetentionReview.objects.get_or_create(
        case=case,
        due_on=timezone.localdate(),
        defaults={
            "kind": "case",
            "record_id": case.pk,
            "reference": case.reference,
            "rule_key": "nfa",
            "rule_code": "nfa-3-years",
            "closed_at": timezone.now(),
        },
    )
    return {"pk": review.pk}


def a_legal_hold(data):
    """A legal hold on the case, for a supervisor to see or lift."""
    from django.utils import timezone

    from retention.models import LegalHold

    hold, _ = LegalHold.objects.get_or_create(
        case=data["case"],
        lifted_at=None,
        defaults={
            "reference": data["case"].reference,
            "reason": "Litigation.",
            "set_by": data["subject"],
            "set_at": timezone.now(),
        },
    )
    return {"pk": hold.pk}


def a_retention_rule(data):
    from retention.models import RetentionRule

    return {"pk": RetentionRule.objects.get(key="nfa").pk}


def a_closure_day(data):
    from core.models import ClosureDay

    added = {"name": "Training day", "added_by": data["subject"], "added_at": datetime.datetime.now(datetime.UTC)}
    return {"pk": ClosureDay.objects.get_or_create(day=datetime.date(2026, 12, 29), defaults=added)[0].pk}


def a_sar(data):
    """A generated subject access request about the referral (one item withheld)."""
    from tests.subject_access.factories import matrix_request

    return {"pk": matrix_request(data).pk}


def own_case(data):
    """The case, assigned to the caller if they are an officer, to another officer otherwise (supervisors have all).

    A case some test has already given an officer stays theirs (the break-glass walk: the reader is refused).
    """
    from cases import services
    from cases.models import Case
    from cases.permissions import can_supervise, can_work_cases

    if "own_case" not in data:
        caller, case = data["caller"], Case.objects.get(pk=data["case"].pk)
        mine = caller is not None and can_work_cases(caller) and not can_supervise(caller)
        officer = caller if mine else data["officer"]
        data["own_case"] = case if case.assigned_to_id else services.assign(case, to=officer, by=officer)
    return {"pk": data["own_case"].pk}


def a_case_document(data):
    """A document on the case, added by the caller when they may work the case (so they may remove it), else by
    the case's officer (or, while it has none, another officer triaging it)."""
    from cases import documents
    from cases.models import Case
    from cases.permissions import can_add_document
    from tests.referrals.factories import pdf

    if "case_document" not in data:
        caller, case = data["caller"], Case.objects.get(pk=data["case"].pk)
        by = caller if caller is not None and can_add_document(caller, case) else case.assigned_to or data["officer"]
        data["case_document"] = documents.add_document(case, by=by, upload=pdf(), title="Letter from the school")
    return {"pk": data["case_document"].pk}


def own_saved_filter(data):
    """A saved queue filter of the caller's own (of an officer's for those who may not work cases)."""
    from cases import saved_filters
    from cases.permissions import can_work_cases

    caller = data["caller"]
    owner = caller if caller is not None and can_work_cases(caller) else data["officer"]
    return {"pk": saved_filters.save_queue_filter(by=owner, name="Mine", filters={"assigned": "me"}).pk}


def sar_item(data):
    return {**a_sar(data), "item_key": f"referral-{data['referral'].pk}"}


def sar_withholding(data):
    return {**a_sar(data), "withholding": data["withholding"].pk}


# url name -> (method, kwargs builder or None, expected outcome per caller)
MATRIX = {
    "pages:home": ("get", None, signed_in_only(200)),
    "pages:privacy": ("get", None, everyone(200)),
    # A group of the navigation: found by whoever may follow one of its links.
    "pages:section": (
        "get",
        lambda data: {"slug": "oversight"},
        only([Role.SUPERVISOR, Role.SYSTEM_ADMIN], 200, others=404),
    ),
    "pages:accessibility": ("get", None, everyone(200)),
    # The public front door: no sign-in; the team's handling of contacts is the police's.
    "public:worried": ("get", None, everyone(200)),
    "public:advice": ("get", None, everyone(200)),
    "public:community": ("get", None, everyone(200)),
    "public:privacy": ("get", None, everyone(200)),
    "public:contact_form": ("get", None, everyone(200)),
    "public:sent": ("get", None, everyone(302)),  # nothing sent in this session: back to the form
    "public:challenge": ("get", None, everyone(200)),
    "public:contacts": ("get", None, only(POLICE, 200)),
    "public:contact": ("get", of("public_contact"), only(POLICE, 200)),
    "public:contact_close": ("post", of("public_contact"), only(POLICE, 302)),
    "public:contact_referral": ("post", of("public_contact"), only(POLICE, 302)),
    "pages:healthz": ("get", None, everyone(200)),
    "accounts:sign_in": ("get", None, {ANON: 200, **dict.fromkeys(EVERY_ROLE, 302)}),
    "accounts:second_factor": ("get", None, everyone(302)),
    "accounts:sign_in_enrol": ("get", None, everyone(302)),
    "accounts:sign_out": ("post", None, signed_in_only(302)),
    "accounts:session_status": ("get", None, signed_in_only(200)),
    "accounts:keep_alive": ("post", None, signed_in_only(302)),
    "accounts:set_password": ("get", lambda data: {"uidb64": "MQ", "token": "not-a-token"}, everyone(404)),
    # Signed in already: change the password in Your account instead.
    "accounts:forgotten_password": ("get", None, {ANON: 200, **dict.fromkeys(EVERY_ROLE, 302)}),
    "accounts:reset_sent": ("get", None, everyone(200)),
    "accounts:reset_password": ("get", lambda data: {"uidb64": "MQ", "token": "1-not-a-token"}, everyone(404)),
    "accounts:security": ("get", None, signed_in_only(200)),
    "accounts:enrol": ("get", None, signed_in_only(200)),
    "accounts:backup_codes": ("get", None, signed_in_only(200)),
    "accounts:password_change": ("get", None, signed_in_only(200)),
    "accounts:sign_out_everywhere": ("post", None, signed_in_only(302)),
    "accounts:user_list": ("get", None, only(ADMIN, 200)),
    "accounts:user_create": ("get", None, only(ADMIN, 200)),
    "accounts:user_detail": ("get", subject_user, only(ADMIN, 200)),
    "accounts:user_send_link": ("post", subject_user, only(ADMIN, 302)),
    "accounts:user_reset_mfa": ("get", subject_user, only(ADMIN, 200)),
    "accounts:user_unlock": ("post", subject_user, only(ADMIN, 302)),
    # Administrators ask for changes to police accounts; supervisors approve them. Nobody else sees them.
    "accounts:change_requests": ("get", None, only([*ADMIN, Role.SUPERVISOR], 200)),
    "accounts:change_request": ("get", a_change_request, only([*ADMIN, Role.SUPERVISOR], 200)),
    "accounts:change_request_cancel": ("post", a_change_request, only(ADMIN, 302)),
    "accounts:organisation_list": ("get", None, only(ADMIN, 200)),
    "accounts:closure_days": ("get", None, only(ADMIN, 200)),
    "accounts:closure_day_remove": ("get", a_closure_day, only(ADMIN, 200)),
    "accounts:teams": ("get", None, only(ADMIN, 200)),
    "accounts:organisation_create": ("get", None, only(ADMIN, 200)),
    "accounts:organisation_edit": ("get", subject_organisation, only(ADMIN, 200)),
    "referrals:list": ("get", None, only(PARTNER, 200)),
    "referrals:received": ("get", None, only(POLICE, 200)),
    "referrals:start": ("get", None, only(STARTERS, 200)),
    "referrals:start_on_behalf": ("get", None, only(POLICE, 200)),
    "referrals:section": ("get", draft_page("the-person"), only(STARTERS, 200)),
    "referrals:remove_item": (
        "post",
        lambda data: {"pk": data["draft"].pk, "section": "household", "index": 0},
        only(STARTERS, 302),
    ),
    "referrals:attachments": ("get", of("draft"), only(STARTERS, 200)),
    "referrals:remove_attachment": (
        "post",
        lambda data: {"pk": data["draft"].pk, "attachment": data["draft_file"].pk},
        only(STARTERS, 302),
    ),
    "referrals:check": ("get", of("draft"), only(STARTERS, 200)),
    "referrals:delete_draft": ("get", of("draft"), only(STARTERS, 200)),
    # The acknowledgement is its author's alone: the team sees the referral itself instead.
    "referrals:submitted": ("get", of("referral"), {**only(PARTNER, 200), **dict.fromkeys(POLICE, 404)}),
    "referrals:detail": ("get", of("referral"), only(STARTERS, 200)),
    "referrals:download": ("get", of("file"), only(STARTERS, 200)),
    "referrals:decide_link": ("post", of("link"), only(POLICE, 302)),
    "referrals:advice_list": ("get", None, only(STARTERS, 200)),
    "referrals:advice_new": ("get", None, only(PARTNER, 200)),
    "referrals:advice_phone": ("get", None, only(POLICE, 200)),
    "referrals:advice_detail": ("get", of("advice"), only(STARTERS, 200)),
    "referrals:advice_close": ("post", of("advice"), only(POLICE, 302)),
    "referrals:advice_ask_referral": ("post", of("advice"), only(POLICE, 302)),
    "referrals:advice_start_referral": ("post", of("advice_asked"), only(PARTNER, 302)),
    "cases:queue": ("get", None, only(POLICE, 200)),
    "cases:search": ("get", None, only(POLICE, 200)),
    # An empty POST: the reassignment form shown back with its messages; the saved-filter name likewise.
    "cases:bulk_reassign": ("post", None, only(POLICE, 200)),
    "cases:save_filter": ("post", None, only(POLICE, 200)),
    "cases:delete_filter": ("post", own_saved_filter, only(POLICE, 302)),
    "cases:detail": ("get", of("case"), only(POLICE, 200)),
    "cases:move": ("post", of("case"), only(POLICE, 302)),
    "cases:assign": ("post", of("case"), only(POLICE, 302)),
    "cases:add_note": ("post", of("case"), only(POLICE, 302)),
    "cases:record_check": ("get", of("case"), only(POLICE, 200)),
    "cases:assess": ("get", of("case"), only(POLICE, 200)),
    "cases:decide": ("get", of("case"), only(POLICE, 200)),
    "cases:sign_off": ("get", of("case"), only([Role.SUPERVISOR], 200)),
    "cases:support_plan": ("get", of("case"), only(POLICE, 200)),
    "cases:consent": ("get", of("case"), only(POLICE, 200)),
    "cases:grant": ("get", of("case"), only(POLICE, 200)),
    # These cases belong to another officer: only supervisors open them.
    "cases:revoke": (
        "get",
        lambda data: {"pk": data["shared_case"].pk, "grant": data["grant"].pk},
        {**only(POLICE, 200), Role.PREVENT_OFFICER: 403},
    ),
    "cases:review": (
        "get",
        lambda data: {"pk": data["case_with_review"].pk, "review": data["review"].pk},
        {**only(POLICE, 200), Role.PREVENT_OFFICER: 403},
    ),
    "cases:meetings": ("get", None, only([*POLICE, Role.PANEL_MEMBER], 200)),
    "cases:meeting_new": ("get", None, only(POLICE, 200)),
    # A panel member sees only their own meetings: this one is someone else's.
    "cases:meeting": ("get", of("meeting"), {**only(POLICE, 200), Role.PANEL_MEMBER: 404}),
    "cases:meeting_list_case": ("post", of("meeting"), only(POLICE, 404)),
    "cases:meeting_decide": (
        "post",
        lambda data: {"pk": data["meeting"].pk, "item": data["agenda_item"].pk},
        {**only(POLICE, 200), Role.PANEL_MEMBER: 404},  # nothing chosen: the agenda again, with the error
    ),
    # The meeting's record is the Prevent team's to keep; empty forms come back on the agenda with their errors.
    "cases:meeting_chair": ("post", of("meeting"), only(POLICE, 200)),
    "cases:meeting_attendee": ("post", of("meeting"), only(POLICE, 200)),
    "cases:meeting_attendee_remove": (
        "post",
        lambda data: {"pk": data["meeting"].pk, "attendee": data["attendee"].pk},
        only(POLICE, 302),
    ),
    # The listed case is another officer's: an officer does not find it; a supervisor may write.
    "cases:meeting_item_write": (
        "post",
        lambda data: {"pk": data["meeting"].pk, "item": data["agenda_item"].pk, "what": "summary"},
        {**only(POLICE, 200), Role.PREVENT_OFFICER: 404},
    ),
    "cases:meeting_action_done": (
        "post",
        lambda data: {"pk": data["meeting"].pk, "action": data["panel_action"].pk},
        {**only(POLICE, 302), Role.PREVENT_OFFICER: 404, Role.PANEL_MEMBER: 404},
    ),
    "cases:provided": ("get", None, only([Role.SUPPORT_PROVIDER], 200)),
    "notifications:list": ("get", None, signed_in_only(200)),
    "notifications:preferences": ("get", None, signed_in_only(200)),
    "notifications:read_all": ("post", None, signed_in_only(302)),
    # Only the referral's author holds its acknowledgement: for everyone else it is not there. (The no-role user
    # wrote the referral as a referrer before losing the role: their own notices stay theirs to open.)
    "notifications:read": ("post", acknowledgement, {**only(PARTNER, 302, others=404), NO_ROLE: 302}),
    # Shared with another provider: not found for this one.
    "cases:provided_case": ("get", of("shared_case"), only([Role.SUPPORT_PROVIDER], 404)),
    "cases:hand_back": ("get", of("shared_case"), only([Role.SUPPORT_PROVIDER], 404)),
    # The case file: its own officer and supervisors (not a break-glass reader: tests/cases/test_case_file.py).
    # A POST without a purpose shows the form again (200); one with a purpose is the PDF.
    "cases:case_file": ("get", own_case, only(POLICE, 200)),
    "cases:case_file_pdf": ("post", own_case, only(POLICE, 200)),
    # Officers' own documents: whoever may work the case (new and unassigned: any officer triaging it).
    "cases:add_document": ("get", of("case"), only(POLICE, 200)),
    "cases:download_document": ("get", a_case_document, only(POLICE, 200)),
    "cases:remove_document": (
        "post",
        lambda data: {"pk": data["case"].pk, "document": a_case_document(data)["pk"]},
        only(POLICE, 302),
    ),
    "cases:feedback": (
        "post",
        lambda data: {"pk": data["case"].pk, "referral": data["referral"].pk},
        only(POLICE, 200),  # nothing typed: the form again, with its error
    ),
    "audit:alerts": ("get", None, only([Role.SUPERVISOR], 200)),
    "audit:alert_review": ("get", an_alert, only([Role.SUPERVISOR], 200)),
    # Another officer's case: an officer must give a reason to open it; supervisors go straight to the case.
    "cases:reason": ("get", of("others_case"), {**only(POLICE, 200), Role.SUPERVISOR: 302}),
    "cases:break_glass_queue": ("get", None, only([Role.SUPERVISOR], 200)),
    "cases:covers": ("get", None, only(POLICE, 200)),
    "cases:cover_new": ("get", None, only(POLICE, 200)),
    "cases:cover_end": ("get", a_cover, only(POLICE, 200)),
    "cases:break_glass_review": ("get", of("break_glass"), only([Role.SUPERVISOR], 200)),
    # The case is new and unassigned: it has no officer of its own yet, so only supervisors may correct it.
    "rights:rectify": ("get", of("case"), only([Role.SUPERVISOR], 200)),
    "rights:restriction": ("get", of("case"), only([Role.SUPERVISOR], 200)),
    "rights:restricted": ("get", None, only([Role.SUPERVISOR], 200)),
    # Retention: supervisors decide; administrators may change the rules but never see the records.
    "retention:queue": ("get", None, only([Role.SUPERVISOR], 200)),
    "retention:review": ("get", a_retention_review, only([Role.SUPERVISOR], 200)),
    "retention:approvals": ("get", None, only([Role.SUPERVISOR], 200)),
    "retention:approval": ("get", a_retention_review, only([Role.SUPERVISOR], 200)),
    "retention:holds": ("get", None, only([Role.SUPERVISOR], 200)),
    "retention:lift": ("get", a_legal_hold, only([Role.SUPERVISOR], 200)),
    "retention:rules": ("get", None, only([Role.SUPERVISOR, Role.SYSTEM_ADMIN], 200)),
    "retention:rule_edit": ("get", a_retention_rule, only([Role.SUPERVISOR, Role.SYSTEM_ADMIN], 200)),
    "audit:search": ("get", None, only([Role.SUPERVISOR], 200)),
    "audit:case_history": ("get", of("case"), only([Role.SUPERVISOR], 200)),
    "audit:user_activity": ("get", subject_user, only([Role.SUPERVISOR], 200)),
    "audit:export_csv": ("post", None, only([Role.SUPERVISOR], 200)),
    "audit:export_jsonl": ("post", None, only([Role.SUPERVISOR], 200)),
    "subject_access:list": ("get", None, only([Role.SUPERVISOR], 200)),
    "subject_access:new": ("get", None, only([Role.SUPERVISOR], 200)),
    "subject_access:detail": ("get", a_sar, only([Role.SUPERVISOR], 200)),
    "subject_access:records": ("get", a_sar, only([Role.SUPERVISOR], 200)),
    "subject_access:generate": ("post", a_sar, only([Role.SUPERVISOR], 302)),
    "subject_access:progress": ("get", a_sar, only([Role.SUPERVISOR], 200)),
    "subject_access:withhold": ("get", sar_item, only([Role.SUPERVISOR], 200)),
    "subject_access:unwithhold": ("post", sar_withholding, only([Role.SUPERVISOR], 302)),
    "subject_access:release": ("get", a_sar, only([Role.SUPERVISOR], 200)),
    "subject_access:download": ("get", a_sar, only([Role.SUPERVISOR], 200)),
    "privacy:tombstones": ("get", None, only([Role.SUPERVISOR], 200)),
    "privacy:certificate": ("get", a_tombstone, only([Role.SUPERVISOR], 200)),
    "privacy:certificate_download": ("get", a_tombstone, only([Role.SUPERVISOR], 200)),
    # Reports: counts only. The team's figures for police; the management view and return for supervisors;
    # partners (referrers) their own organisation's counts; providers, panel members and admins none.
    "reports:team": ("get", None, only(POLICE, 200)),
    "reports:management": ("get", None, only([Role.SUPERVISOR], 200)),
    "reports:organisation": ("get", None, only(PARTNER, 200)),
    "reports:statistics_return": ("get", None, only([Role.SUPERVISOR], 200)),
    "reports:statistics_return_csv": ("get", None, only([Role.SUPERVISOR], 200)),
}


# URLs whose records need whole cases taken through support, panel and closure (slow to build).
NEEDS_CASE_RECORDS = {
    "cases:revoke",
    "cases:review",
    "cases:meeting",
    "cases:meeting_list_case",
    "cases:meeting_decide",
    "cases:meeting_chair",
    "cases:meeting_attendee",
    "cases:meeting_attendee_remove",
    "cases:meeting_item_write",
    "cases:meeting_action_done",
    "cases:provided_case",
    "cases:hand_back",
}


# URLs that need another officer's case and a break-glass access to it.
NEEDS_BREAK_GLASS = {"cases:reason", "cases:break_glass_review"}


def build(user, make_user, with_case_records=False, with_break_glass=False):
    """Make the records each URL needs, owned by the caller where ownership is what gives access."""
    from front_door import services as public_services
    from referrals import advice, services
    from referrals.permissions import can_enter_for_partners, can_start_referral, can_submit_referrals
    from tests.referrals.factories import make_draft, make_referral, pdf

    partner = user if user is not None and can_submit_referrals(user) else make_user(Role.REFERRER)
    officer = make_user(Role.PREVENT_OFFICER)
    if user is not None and can_start_referral(user):
        on_behalf = {"organisation": partner.organisation, "channel": "phone"} if can_enter_for_partners(user) else {}
        draft = make_draft(user, **on_behalf)
    else:
        draft = make_draft(partner)
    draft = services.add_item(draft, by=draft.author, slug="household", data={"name": "A", "relationship": "Sibling"})
    draft_file = services.add_attachments(draft, by=draft.author, files=[pdf()])[0]
    earlier = make_referral(partner)
    referral_draft = make_draft(partner)
    services.add_attachments(referral_draft, by=partner, files=[pdf()])
    referral = intake.submit_referral(referral_draft, by=partner)
    question = advice.ask_advice(by=partner, question="Worried about a pupil.")
    asked = advice.ask_for_referral(advice.ask_advice(by=partner, question="Another worry."), by=officer)
    contact = public_services.receive_contact(challenge_passed=True, relationship="friend", concern="A worry.")
    return {
        "caller": user,
        "officer": officer,
        "subject": make_user(Role.REFERRER),
        "draft": draft,
        "draft_file": draft_file,
        "referral": referral,
        "file": referral.attachments.get(),
        "link": referral.links.get(earlier=earlier),
        "advice": question,
        "advice_asked": asked,
        "public_contact": contact,
        "case": referral.case,
        **(case_records(referral.case, partner, officer, make_user) if with_case_records else {}),
        **(break_glass_records(partner, make_user) if with_break_glass else {}),
    }


def break_glass_records(partner, make_user):
    """A case assigned to one officer, and another officer's break-glass access to it, awaiting review."""
    from cases import break_glass, services
    from tests.referrals.factories import make_referral

    owner, reader = make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    case = services.assign(make_referral(partner).case, to=owner, by=owner)
    access = break_glass.open_with_reason(case, by=reader, reason_code="covering", reason="Covering a colleague.")
    return {"others_case": case, "break_glass": access}


def case_records(case, partner, officer, make_user):
    """A case taken through to support with a provider's grant, a panel meeting and a review."""
    from cases import panel, services, support
    from tests.cases.support_factories import case_in_support

    supervisor = make_user(Role.SUPERVISOR)
    shared = case_in_support(make_user, partner=partner)
    provider = make_user(Role.SUPPORT_PROVIDER)
    grant = support.grant_provider(shared, by=shared.assigned_to, provider=provider, sections=["support_plan"])
    meeting = support.create_meeting(
        by=supervisor, meets_on=datetime.date(2026, 12, 1), title="December panel", members=[]
    )
    channel = case_in_support(make_user, partner=partner, stop_at="channel")
    item = support.list_case(meeting, case=channel, by=supervisor)
    attendee = panel.add_attendee(meeting, by=supervisor, name="Sam Chair", agency="Council", attended=True)
    action = panel.add_action(
        item, by=supervisor, description="Ask the school.", owner_agency="School", due_on=datetime.date(2027, 1, 5)
    )
    closed = case_in_support(make_user, partner=partner)
    closed = services.move(closed, by=closed.assigned_to, action="propose_closure")
    services.sign_off_closure(closed, by=supervisor, approve=True, expected_version=None)
    return {
        "grant": grant,
        "meeting": meeting,
        "agenda_item": item,
        "attendee": attendee,
        "panel_action": action,
        "shared_case": shared,
        "review": closed.reviews.first(),
        "case_with_review": closed,
    }


def url_names(patterns=None, namespace=""):
    """Yield 'namespace:name' for every URL pattern; an unnamed pattern yields None."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if pattern.name else None


# A half-signed-in session is treated exactly as anonymous, except for its own one step.
HALF_WAY_OPEN = {("accounts:second_factor", AT_CODE): 200, ("accounts:sign_in_enrol", AT_ENROL): 200}


def expectation(name, who):
    if who in (AT_CODE, AT_ENROL):
        return HALF_WAY_OPEN.get((name, who), MATRIX[name][2][ANON])
    return MATRIX[name][2][who]


def test_every_url_pattern_is_named_and_in_the_matrix():
    names = list(url_names())
    assert None not in names, "every URL pattern needs a name"
    assert sorted(set(names) - set(MATRIX)) == [], "URLs with no access expectation: add them to MATRIX"
    assert sorted(set(MATRIX) - set(names)) == [], "MATRIX lists URLs that no longer exist"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, who, make_user):
    method, kwargs_for, _ = MATRIX[name]
    client = Client()
    user = None
    if who in (AT_CODE, AT_ENROL):
        officer = make_user(Role.PREVENT_OFFICER, with_device=who == AT_CODE)
        client.post(reverse("accounts:sign_in"), {"email": officer.email, "password": PASSWORD})
    elif who != ANON:
        user = make_user(*([] if who == NO_ROLE else [who]))
        if who == NO_ROLE:
            user.groups.clear()
        sign_in_client(client, user)
    records = {"with_case_records": name in NEEDS_CASE_RECORDS, "with_break_glass": name in NEEDS_BREAK_GLASS}
    data = build(user, make_user, **records) if kwargs_for else {}
    url = reverse(name, kwargs=kwargs_for(data) if kwargs_for else None)
    response = getattr(client, method)(url)
    outcome = expectation(name, who)
    if outcome == SIGN_IN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:sign_in")), response["Location"]
    else:
        assert response.status_code == outcome, f"{name} as {who}: {response.status_code}"

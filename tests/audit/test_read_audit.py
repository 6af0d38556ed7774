"""Every URL that shows personal data writes the right audit event in the same request: a new view that forgets fails.

Walks every URL pattern (the resolver walk and the records of tests/test_access_matrix.py). Each URL is
either in AUDITED (who opens it, and the events one request must write, naming which records) or in
NO_PERSONAL_DATA (with the reason). A URL in neither fails the suite, and so does a page that writes
less than AUDITED says. Events are matched on the request id `audit.context` gives each request.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.audit.read_audit_exempt import NO_PERSONAL_DATA
from tests.conftest import sign_in_client
from tests.test_access_matrix import (
    MATRIX,
    NEEDS_BREAK_GLASS,
    NEEDS_CASE_RECORDS,
    a_change_request,
    a_legal_hold,
    a_retention_review,
    a_tombstone,
    an_alert,
    build,
    url_names,
)

CASE_FILE_FORM = {"purpose": "ct_handover", "note": "For the receiving officer in CTP."}

OFFICER, SUPERVISOR, PARTNER = Role.PREVENT_OFFICER, Role.SUPERVISOR, Role.REFERRER
PROVIDER, ADMIN, PANEL = Role.SUPPORT_PROVIDER, Role.SYSTEM_ADMIN, Role.PANEL_MEMBER
POLICE = [OFFICER, SUPERVISOR]


def grant_to_caller(user, data, make_user):
    """A provider sees a case only while it is shared with them: share the support case with the caller."""
    from cases import support

    case = data["shared_case"]
    support.grant_provider(case, by=case.assigned_to, provider=user, sections=["support_plan", "needs"])


def search_by_reference(data):
    return {"reference": data["referral"].reference}


def restrict_the_case(user, data, make_user):
    from rights import services

    services.restrict_record(data["case"], by=user, reason="The person contests the record.")


def an_alert_to_list(user, data, make_user):
    from audit.models import Alert

    data["alert"] = Alert.objects.get(pk=an_alert(data)["pk"])


def a_tombstone_to_list(user, data, make_user):
    from privacy.models import Tombstone

    data["tombstone"] = Tombstone.objects.get(pk=a_tombstone(data)["pk"])


def a_review_to_list(user, data, make_user):
    from retention.models import RetentionReview

    data["retention_review"] = RetentionReview.objects.get(pk=a_retention_review(data)["pk"])


def an_erasure_to_approve(user, data, make_user):
    """A retention review whose erasure another supervisor asked for."""
    from django.utils import timezone

    from retention.models import RetentionReview

    review = RetentionReview.objects.get(pk=a_retention_review(data)["pk"])
    review.state, review.requested_by, review.requested_at = "erasure_requested", make_user(SUPERVISOR), timezone.now()
    review.save(update_fields=["state", "requested_by", "requested_at"])
    data["erasure_request"] = review


def a_change_to_list(user, data, make_user):
    a_change_request(data)


def a_hold_to_list(user, data, make_user):
    from retention.models import LegalHold

    data["legal_hold"] = LegalHold.objects.get(pk=a_legal_hold(data)["pk"])


def a_meeting_to_list(user, data, make_user):
    """A panel meeting the caller sits on (members list only their own meetings)."""
    import datetime

    from cases import support

    on = datetime.date(2026, 12, 1)
    data["meeting"] = support.create_meeting(by=make_user(SUPERVISOR), meets_on=on, title="Panel", members=[user])


def a_meeting_coming_up(user, data, make_user):
    """A panel meeting the caller sits on, still to come: the home page names it."""
    from django.utils import timezone

    from cases import support

    on = timezone.localdate() + datetime.timedelta(days=7)
    data["meeting"] = support.create_meeting(by=make_user(SUPERVISOR), meets_on=on, title="Panel", members=[user])


def a_sar_to_list(user, data, make_user):
    from tests.subject_access.factories import matrix_request

    matrix_request(data)


# A record key naming the record in the URL's path (its model from audit.refusals.RECORDS).
IN_PATH = "<pk>"


@dataclass(frozen=True)
class Shows:
    """A page with personal data: who opens it, and per action the records it must name.

    A record is a key of `build` (tests/test_access_matrix.py), or IN_PATH for the one the URL names.
    """

    roles: list
    events: dict[str, list[str]]
    method: str = "get"
    form: Callable[[dict], dict] | None = None  # what a POST sends (a search's terms)
    setup: Callable | None = None  # more records the caller needs, after `build`
    case_records: bool = False  # build the whole-case records (support, panel, review)
    break_glass: bool = False  # build another officer's case and a break-glass access to it
    status: int = 200


def case_page(roles=POLICE, key="case", **options):
    return Shows(roles, {"case.viewed": [key]}, **options)


def draft_page(roles=(PARTNER, *POLICE)):
    return Shows(list(roles), {"referral.draft_viewed": ["draft"]})


# url name -> the events one request must write. List pages name every record built for the caller that
# the page shows; a search names its results (in the event's ids; its terms are kept as a keyed hash).
AUDITED: dict[str, Shows] = {
    "referrals:list": Shows([PARTNER], {"referral.list_viewed": ["referral", "draft"]}),
    "referrals:received": Shows(POLICE, {"referral.list_viewed": ["referral"]}),
    "referrals:section": draft_page(),
    "referrals:attachments": draft_page(),
    "referrals:check": draft_page(),
    "referrals:submitted": Shows([PARTNER], {"referral.acknowledgement_viewed": ["referral"]}),
    "referrals:detail": Shows([PARTNER, *POLICE], {"referral.viewed": ["referral"]}),
    "referrals:download": Shows([PARTNER, *POLICE], {"attachment.downloaded": ["file"]}),
    "referrals:advice_list": Shows([PARTNER, *POLICE], {"advice.list_viewed": ["advice"]}),
    "referrals:advice_detail": Shows([PARTNER, *POLICE], {"advice.viewed": ["advice"]}),
    "public:contacts": Shows(POLICE, {"public.contact_list_viewed": ["public_contact"]}),
    "public:contact": Shows(POLICE, {"public.contact_viewed": ["public_contact"]}),
    "cases:queue": Shows(POLICE, {"case.queue_viewed": ["case"]}),
    "cases:search": Shows(POLICE, {"person.searched": ["referral"]}, method="post", form=search_by_reference),
    "cases:detail": case_page(),
    "cases:record_check": case_page(),
    "cases:assess": case_page(),
    "cases:decide": case_page(),
    "cases:sign_off": case_page([SUPERVISOR]),
    "cases:support_plan": case_page(),
    "cases:consent": case_page(),
    "cases:grant": case_page(),
    "cases:case_file": case_page(),
    "cases:add_document": case_page(),
    "cases:download_document": Shows(POLICE, {"case.document_downloaded": ["case_document", "case"]}),
    # The PDF: a disclosure, audited before the first byte with its purpose (the form's note stays off the trail).
    "cases:case_file_pdf": Shows(
        POLICE, {"case.file_disclosed": ["case"]}, method="post", form=lambda data: CASE_FILE_FORM
    ),
    "cases:review": case_page([SUPERVISOR], key="case_with_review", case_records=True),
    "cases:meetings": Shows([PANEL, *POLICE], {"panel.list_viewed": ["meeting"]}, setup=a_meeting_to_list),
    # Counts and notices name nothing; a panel member's next meetings are named, so listed.
    "pages:home": Shows([PANEL], {"panel.list_viewed": ["meeting"]}, setup=a_meeting_coming_up),
    "cases:meeting": Shows([SUPERVISOR], {"panel.agenda_viewed": ["agenda_item"]}, case_records=True),
    "cases:provided": Shows(
        [PROVIDER], {"case.list_viewed": ["shared_case"]}, setup=grant_to_caller, case_records=True
    ),
    "cases:provided_case": Shows(
        [PROVIDER], {"case.viewed_by_provider": ["shared_case"]}, setup=grant_to_caller, case_records=True
    ),
    "accounts:user_list": Shows([ADMIN], {"user.list_viewed": ["subject"]}),
    "accounts:user_detail": Shows([ADMIN], {"user.viewed": ["subject"]}),
    "accounts:user_reset_mfa": Shows([ADMIN], {"user.viewed": ["subject"]}),
    "accounts:change_requests": Shows(
        [ADMIN, SUPERVISOR], {"account_change.list_viewed": ["change_request"]}, setup=a_change_to_list
    ),
    "accounts:change_request": Shows([ADMIN, SUPERVISOR], {"account_change.viewed": [IN_PATH]}),
    "cases:break_glass_queue": Shows([SUPERVISOR], {"break_glass.listed": ["break_glass"]}, break_glass=True),
    "cases:break_glass_review": Shows([SUPERVISOR], {"break_glass.viewed": ["break_glass"]}),
    "rights:rectify": case_page([SUPERVISOR]),
    "rights:restriction": case_page([SUPERVISOR]),
    "rights:restricted": Shows([SUPERVISOR], {"case.list_viewed": ["case"]}, setup=restrict_the_case),
    # The supervisors' audit screens show who did what to whom: reading them is audited too.
    "audit:search": Shows([SUPERVISOR], {"audit.searched": []}),
    "audit:case_history": Shows([SUPERVISOR], {"audit.case_history_viewed": ["case"]}),
    "audit:user_activity": Shows([SUPERVISOR], {"audit.user_activity_viewed": ["subject"]}),
    "audit:export_csv": Shows([SUPERVISOR], {"audit.exported": []}, method="post"),
    "audit:export_jsonl": Shows([SUPERVISOR], {"audit.exported": []}, method="post"),
    "audit:alerts": Shows([SUPERVISOR], {"alert.list_viewed": ["alert"]}, setup=an_alert_to_list),
    "audit:alert_review": Shows([SUPERVISOR], {"alert.viewed": [IN_PATH]}),
    "subject_access:list": Shows([SUPERVISOR], {"subject_access.list_viewed": ["sar"]}, setup=a_sar_to_list),
    "subject_access:detail": Shows([SUPERVISOR], {"subject_access.viewed": [IN_PATH]}),
    "subject_access:records": Shows([SUPERVISOR], {"subject_access.viewed": [IN_PATH, "referral"]}),
    "subject_access:withhold": Shows([SUPERVISOR], {"subject_access.viewed": [IN_PATH]}),
    "subject_access:download": Shows([SUPERVISOR], {"subject_access.downloaded": [IN_PATH]}),
    "retention:queue": Shows([SUPERVISOR], {"retention.queue_viewed": ["retention_review"]}, setup=a_review_to_list),
    "retention:review": Shows([SUPERVISOR], {"retention.review_viewed": [IN_PATH]}),
    "retention:approvals": Shows(
        [SUPERVISOR], {"retention.approvals_viewed": ["erasure_request"]}, setup=an_erasure_to_approve
    ),
    "retention:approval": Shows([SUPERVISOR], {"retention.review_viewed": [IN_PATH]}),
    "retention:holds": Shows([SUPERVISOR], {"retention.holds_viewed": ["legal_hold"]}, setup=a_hold_to_list),
    "retention:lift": Shows([SUPERVISOR], {"retention.hold_viewed": [IN_PATH]}),
    "privacy:tombstones": Shows([SUPERVISOR], {"tombstone.list_viewed": ["tombstone"]}, setup=a_tombstone_to_list),
    "privacy:certificate": Shows([SUPERVISOR], {"tombstone.certificate_viewed": [IN_PATH]}),
    "privacy:certificate_download": Shows([SUPERVISOR], {"tombstone.certificate_downloaded": [IN_PATH]}),
}


def test_every_url_either_writes_its_audit_events_or_says_why_it_shows_no_personal_data():
    names = set(filter(None, url_names()))
    unlisted = sorted(names - set(AUDITED) - set(NO_PERSONAL_DATA))
    assert not unlisted, (
        "URLs with no audit expectation. In tests/audit/test_read_audit.py add each to AUDITED, e.g.\n"
        + "\n".join(f'    "{name}": Shows([<role>], {{"<noun>.<event>": ["<record key>"]}}),' for name in unlisted)
        + "\n(the view must write those events with audit.services.record/record_many), or to NO_PERSONAL_DATA "
        "with the reason it shows none."
    )
    assert not set(AUDITED) & set(NO_PERSONAL_DATA), "a URL is either audited or shows no personal data"
    assert not (set(AUDITED) | set(NO_PERSONAL_DATA)) - names, "the tables list URLs that no longer exist"


def events_of(response) -> list[AuditEvent]:
    request_id = response.wsgi_request.audit_context.request_id
    return list(AuditEvent.objects.filter(request_id=request_id).order_by("id"))


def names(event: AuditEvent, record) -> bool:
    """Whether the event names the record: as its target, among its ids (searches, lists), or as its case."""
    if (event.target_type, event.target_id) == (record._meta.label_lower, str(record.pk)):
        return True
    if record._meta.label_lower == "cases.case" and str(record.pk) in [event.case_id and str(event.case_id)] + list(
        event.details.get("case_ids", [])
    ):
        return True
    return str(record.pk) in [str(value) for value in event.details.get("ids", [])]


def in_path(name: str, kwargs: dict):
    from django.apps import apps

    from audit.refusals import RECORDS

    return apps.get_model(RECORDS[name]["pk"])._base_manager.get(pk=kwargs["pk"])


@pytest.mark.parametrize(
    ("name", "role"), [(name, role) for name, shows in sorted(AUDITED.items()) for role in shows.roles]
)
def test_opening_a_page_with_personal_data_writes_its_audit_events_in_the_same_request(name, role, make_user):
    shows = AUDITED[name]
    user = make_user(role)
    client = sign_in_client(Client(), user)
    _, kwargs_for, _ = MATRIX[name]
    data = build(
        user,
        make_user,
        with_case_records=shows.case_records or name in NEEDS_CASE_RECORDS,
        with_break_glass=shows.break_glass or name in NEEDS_BREAK_GLASS,
    )
    if shows.setup:
        shows.setup(user, data, make_user)
    kwargs = kwargs_for(data) if kwargs_for else None
    if any(IN_PATH in keys for keys in shows.events.values()):
        data[IN_PATH] = in_path(name, kwargs)
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, shows.method)(url, shows.form(data) if shows.form else {})
    assert response.status_code == shows.status, f"{name} as {role}: HTTP {response.status_code}"

    events = events_of(response)
    assert events, f"{name} as {role} wrote no audit event"
    assert {event.actor_id for event in events} == {user.pk}
    for action, keys in shows.events.items():
        written = [event for event in events if event.action == action]
        assert written, f"{name} as {role}: no {action!r} event (it wrote {sorted({e.action for e in events})})"
        for key in keys:
            assert any(names(event, data[key]) for event in written), f"{name} as {role}: {action} does not name {key}"


@pytest.mark.parametrize("cases", [1, 8])
def test_the_queue_writes_one_audit_event_naming_every_row_whatever_the_number_of_rows(cases, signed_in, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.referrals.factories import make_referral

    partner = make_user(PARTNER)
    shown = [make_referral(partner).case for _ in range(cases)]
    officer = signed_in(SUPERVISOR)
    with CaptureQueriesContext(connection) as captured:
        response = officer.get(reverse("cases:queue"))
    assert response.status_code == 200
    audit_statements = [query["sql"] for query in captured.captured_queries if "audit_auditevent" in query["sql"]]
    assert len(audit_statements) == 1 and audit_statements[0].startswith("INSERT"), audit_statements
    (event,) = events_of(response)
    assert sorted(event.details["ids"]) == sorted(event.details["case_ids"]) == sorted(str(case.pk) for case in shown)

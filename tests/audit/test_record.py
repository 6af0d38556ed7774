import pytest
from django.test import RequestFactory, override_settings

from accounts.models import Role
from audit import context
from audit.models import AuditEvent, ListedCase
from audit.services import record


def test_an_event_says_who_in_which_role_and_organisation_did_what_to_which_record(make_user):
    officer = make_user(Role.PREVENT_OFFICER, Role.SUPERVISOR)
    subject = make_user(Role.REFERRER)
    event = record(by=officer, action="user.viewed", target=subject, reason="checking", page=2)
    event.refresh_from_db()
    assert event.actor == officer
    assert event.actor_roles == "prevent_officer,supervisor"
    assert event.actor_organisation_id == officer.organisation_id
    assert (event.action, event.target_type, event.target_id) == ("user.viewed", "accounts.user", str(subject.pk))
    assert event.reason == "checking" and event.details == {"page": 2}
    assert event.occurred_at is not None


def test_an_event_outside_a_request_has_no_address(db):
    event = record(by=None, action="system.started")
    assert event.actor is None and event.ip_address is None and event.request_id == ""


def test_a_request_records_its_client_address_on_events(signed_in):
    client = signed_in(Role.SYSTEM_ADMIN)
    client.get("/accounts/users/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.99")
    event = AuditEvent.objects.get(action="user.list_viewed")
    assert event.ip_address == "192.0.2.10"  # the forged header is ignored
    assert len(event.request_id) == 16


def ip(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return context.client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored():
    assert ip("198.51.100.7", "203.0.113.5") == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        # A client cannot hide behind a made-up first hop: the nearest untrusted hop wins.
        ("1.2.3.4, 203.0.113.5", "203.0.113.5"),
        ("203.0.113.5, 10.1.1.1", "203.0.113.5"),
        ("not-an-address", "10.0.0.2"),
    ],
)
def test_a_trusted_proxy_is_believed_as_far_back_as_trusted_hops_go(forwarded, expected):
    assert ip("10.0.0.2", forwarded) == expected


def test_batched_events_are_one_statement(make_user, django_assert_num_queries):
    from audit.services import record_many

    officer = make_user(Role.PREVENT_OFFICER)
    shown = [make_user(Role.REFERRER) for _ in range(3)]
    with django_assert_num_queries(1):
        record_many(by=officer, action="user.list_viewed", targets=shown, page=1)
    events = AuditEvent.objects.filter(action="user.list_viewed").order_by("seq")
    assert [e.target_id for e in events] == [str(u.pk) for u in shown]
    assert all(e.details == {"page": 1} for e in events)
    assert {(e.actor_id, e.actor_roles, e.reason, e.request_id, e.case_id) for e in events} == {
        (officer.pk, "prevent_officer", "", "", None)
    }


def test_batched_events_keep_text_quotes_and_case_ids_exactly(make_user):
    from audit.services import record_many
    from tests.referrals.factories import make_referral

    referral = make_referral(make_user(Role.REFERRER))
    record_many(by=None, action="referral.imported", targets=[referral], note='a "quoted", line\nbreak\ttab')
    event = AuditEvent.objects.get(action="referral.imported")
    assert event.actor_id is None and event.actor_roles == "" and event.case_id == referral.case_id
    assert event.details == {"note": 'a "quoted", line\nbreak\ttab'} and event.hash


def test_a_list_page_is_one_event_naming_the_records_and_their_cases(make_user, django_assert_num_queries):
    from audit.services import record_list
    from tests.referrals.factories import make_referral

    partner, officer = make_user(Role.REFERRER), make_user(Role.PREVENT_OFFICER)
    referrals = [make_referral(partner) for _ in range(3)]
    with django_assert_num_queries(2):  # the event, and one INSERT of its ListedCase rows
        event = record_list(by=officer, action="referral.list_viewed", targets=referrals, page=1)
    event.refresh_from_db()
    listed = ListedCase.objects.filter(event=event).values_list("case_id", "occurred_at")
    assert sorted(listed) == sorted((r.case_id, event.occurred_at) for r in referrals)
    assert event.target_type == "referrals.referral" and event.target_id == "" and event.case_id is None
    assert event.details == {
        "ids": [str(r.pk) for r in referrals],
        "case_ids": [str(r.case_id) for r in referrals],
        "page": 1,
    }
    assert record_list(by=officer, action="referral.list_viewed", targets=[]) is None
    with django_assert_num_queries(1):  # a page of records with no case: no ListedCase rows, no INSERT
        record_list(by=officer, action="referral.list_viewed", targets=[partner])


def test_events_about_a_case_or_its_records_carry_the_case_id(make_user):
    from tests.referrals.factories import make_referral

    referral = make_referral(make_user(Role.REFERRER))
    officer = make_user(Role.PREVENT_OFFICER)
    assert record(by=officer, action="referral.viewed", target=referral).case_id == referral.case_id
    assert record(by=officer, action="case.viewed", target=referral.case).case_id == referral.case_id
    assert record(by=officer, action="x.done", case=referral.case_id).case_id == referral.case_id
    assert record(by=officer, action="user.viewed", target=officer).case_id is None

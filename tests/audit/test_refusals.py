"""Refused and failed attempts are audited centrally: a 403 or 404 on a real record names it; a guess does not."""

import uuid

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from accounts.models import Role
from audit.models import AuditEvent
from audit.refusals import NOT_FOUND, NOT_IDS, RECORDS, REFUSED
from tests.cases.support_factories import case_in_support
from tests.referrals.factories import make_draft, make_referral
from tests.test_access_matrix import url_names


def events_of(response) -> list[AuditEvent]:
    """The audit events written by the request that gave this response."""
    request_id = response.wsgi_request.audit_context.request_id
    return list(AuditEvent.objects.filter(request_id=request_id).order_by("id"))


@pytest.fixture
def case(make_user):
    return make_referral(make_user(Role.REFERRER)).case


def test_a_partner_asking_for_a_case_is_refused_and_the_case_is_named(signed_in, case):
    partner = signed_in(Role.REFERRER)
    response = partner.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 403
    [event] = events_of(response)
    assert (event.action, event.actor, event.target_type, event.target_id) == (
        REFUSED,
        partner.user,
        "cases.case",
        str(case.pk),
    )
    assert event.case_id == case.pk
    assert event.details == {"url_name": "cases:detail", "status": 403, "ids": {"pk": str(case.pk)}}


def test_a_provider_asking_for_a_case_not_shared_with_them_is_recorded_though_told_not_found(signed_in, make_user):
    from cases import support

    shared = case_in_support(make_user)
    support.grant_provider(shared, by=shared.assigned_to, provider=make_user(Role.SUPPORT_PROVIDER), sections=["needs"])
    outsider = signed_in(Role.SUPPORT_PROVIDER)
    response = outsider.get(reverse("cases:provided_case", args=[shared.pk]))
    assert response.status_code == 404
    [event] = events_of(response)
    assert (event.action, event.target_id, event.case_id) == (REFUSED, str(shared.pk), shared.pk)
    assert event.details["status"] == 404 and event.details["url_name"] == "cases:provided_case"


def test_an_officer_asking_for_a_partners_draft_is_recorded(signed_in, make_user):
    draft = make_draft(make_user(Role.REFERRER))
    officer = signed_in(Role.PREVENT_OFFICER)
    response = officer.get(reverse("referrals:check", args=[draft.pk]))
    assert response.status_code == 404
    [event] = events_of(response)
    assert (event.action, event.target_type, event.target_id) == (REFUSED, "referrals.referral", str(draft.pk))


def test_every_id_in_the_path_is_recorded(signed_in, case):
    other = make_referral(case.referrals.get().author)
    partner = signed_in(Role.REFERRER)
    url = reverse("cases:feedback", kwargs={"pk": case.pk, "referral": other.pk})
    [event] = events_of(partner.post(url, {"feedback": "Hello"}))
    assert event.target_id == str(case.pk)
    assert event.details["ids"] == {"pk": str(case.pk), "referral": str(other.pk)}


def test_a_made_up_id_is_recorded_as_not_found_with_no_target(signed_in, case):
    officer = signed_in(Role.PREVENT_OFFICER)
    guess = uuid.uuid4()
    real = officer.get(reverse("referrals:detail", args=[case.pk]))  # a case's id is no referral's
    made_up = officer.get(reverse("cases:detail", args=[guess]))
    assert real.status_code == made_up.status_code == 404
    for response, pk in ((real, case.pk), (made_up, guess)):
        [event] = events_of(response)
        assert (event.action, event.target_type, event.target_id, event.case_id) == (NOT_FOUND, "", "", None)
        assert event.details["ids"] == {"pk": str(pk)}


def test_a_refused_page_with_no_record_is_recorded_without_a_target(signed_in):
    partner = signed_in(Role.REFERRER)
    [event] = events_of(partner.get(reverse("cases:queue")))
    assert (event.action, event.target_id, event.details) == (REFUSED, "", {"url_name": "cases:queue", "status": 403})


def test_a_one_time_token_in_the_path_is_never_recorded(signed_in):
    user = signed_in(Role.REFERRER)
    response = user.get(reverse("accounts:set_password", kwargs={"uidb64": "MQ", "token": "secret-token-value"}))
    assert response.status_code == 404
    [event] = events_of(response)
    assert event.action == NOT_FOUND and event.details == {"url_name": "accounts:set_password", "status": 404}


def test_an_address_nobody_routes_is_not_recorded(signed_in):
    officer = signed_in(Role.PREVENT_OFFICER)
    response = officer.get("/cases/Alex-Example/")
    assert response.status_code == 404
    assert events_of(response) == []


def test_allowed_access_and_anonymous_requests_write_no_refusal(signed_in, case):
    officer = signed_in(Role.SUPERVISOR)
    assert [e.action for e in events_of(officer.get(reverse("cases:detail", args=[case.pk])))] == ["case.viewed"]
    response = Client().get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__in=[REFUSED, NOT_FOUND]).exists()


def path_arguments(name: str) -> list[str]:
    """Return the arguments in a named URL's path, in order."""
    resolver = get_resolver()
    *namespaces, short = name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    possibilities = resolver.reverse_dict.getlist(short)[0][0]
    return list(possibilities[0][1])


def test_every_url_with_record_ids_in_its_path_says_which_records_they_are():
    missing, wrong = [], []
    for name in filter(None, url_names()):
        ids = [argument for argument in path_arguments(name) if argument not in NOT_IDS]
        if ids and name not in RECORDS:
            missing.append(f'"{name}": {{{", ".join(f"{a!r}: <app_label.Model>" for a in ids)}}},')
        elif name in RECORDS and list(RECORDS[name]) != ids:
            wrong.append(f"{name}: the path has {ids}, RECORDS has {list(RECORDS[name])}")
    assert not missing, "add to RECORDS in audit/refusals.py (the first id is the event's target):\n" + "\n".join(
        missing
    )
    assert not wrong, "RECORDS in audit/refusals.py does not match the URLs:\n" + "\n".join(wrong)
    assert set(RECORDS) <= set(url_names()), "RECORDS lists URLs that no longer exist"

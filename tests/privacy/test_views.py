"""Supervisors list erasures and read or download deletion certificates; every look is audited."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from privacy import erasure
from tests.referrals.factories import make_draft, make_referral


@pytest.fixture
def erased(make_user):
    """Erase n drafts and return their tombstones, newest first."""

    def make(n=1):
        officer, approver = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
        partner = make_user(Role.REFERRER)
        made = [
            erasure.erase_referral(
                make_draft(partner), rule="draft-28-days", requested_by=officer, approved_by=approver
            )
            for _ in range(n)
        ]
        return made[::-1]

    return make


def test_the_list_shows_each_erasure_and_audits_the_page(signed_in, erased):
    tombstones = erased(3)
    client = signed_in(Role.SUPERVISOR)
    response = client.get(reverse("privacy:tombstones"))
    assert response.status_code == 200
    for tombstone in tombstones:
        assert tombstone.certificate_number in response.content.decode()
    event = AuditEvent.objects.get(action="tombstone.list_viewed")
    assert event.details["ids"] == [str(t.pk) for t in tombstones] and event.actor == client.user


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_number_of_erasures(
    signed_in, erased, django_assert_max_num_queries
):
    client = signed_in(Role.SUPERVISOR)
    erased(1)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("privacy:tombstones"))
    erased(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("privacy:tombstones"))
    assert response.content.decode().count("DC-") >= 31


def test_the_certificate_page_and_download_hold_no_personal_data_and_are_audited(signed_in, make_user):
    partner = make_user(Role.REFERRER)
    case = make_referral(partner, surname="Marchbanks-Ollivier", forenames="Perpetua").case
    reference = case.reference
    tombstone = erasure.erase_case(
        case, rule="nfa-3-years", requested_by=make_user(Role.PREVENT_OFFICER), approved_by=make_user(Role.SUPERVISOR)
    )
    client = signed_in(Role.SUPERVISOR)

    page = client.get(reverse("privacy:certificate", args=[tombstone.pk]))
    download = client.get(reverse("privacy:certificate_download", args=[tombstone.pk]))

    assert page.status_code == download.status_code == 200
    text = download.content.decode()
    assert download["Content-Disposition"] == (
        f'attachment; filename="deletion-certificate-{tombstone.certificate_number}.txt"'
    )
    for body in (page.content.decode(), text):
        assert tombstone.certificate_number in body and str(tombstone.record_id) in body and "nfa-3-years" in body
        assert "Marchbanks" not in body and "Perpetua" not in body and reference not in body
    assert "Referrals (with their answers): 1" in text
    assert AuditEvent.objects.filter(action="tombstone.certificate_viewed", target_id=str(tombstone.pk)).count() == 1
    assert (
        AuditEvent.objects.filter(action="tombstone.certificate_downloaded", target_id=str(tombstone.pk)).count() == 1
    )


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.SYSTEM_ADMIN, Role.SUPPORT_PROVIDER])
def test_only_supervisors_see_erasures(signed_in, erased, role):
    tombstone = erased()[0]
    client = signed_in(role)
    for url in (
        reverse("privacy:tombstones"),
        reverse("privacy:certificate", args=[tombstone.pk]),
        reverse("privacy:certificate_download", args=[tombstone.pk]),
    ):
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="tombstone.", actor=client.user).exists()


def test_an_unknown_certificate_is_not_found(signed_in):
    assert signed_in(Role.SUPERVISOR).get(reverse("privacy:certificate", args=[987654])).status_code == 404

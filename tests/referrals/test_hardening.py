"""Edge cases found in review: long answers, second tabs, stale pages, caching, orphan files."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import intake
from referrals import advice, attachments, services
from referrals.models import Attachment, Referral
from tests.conftest import sign_in_client
from tests.referrals.factories import answers, make_draft, make_referral, pdf


@pytest.fixture
def referrer(signed_in):
    return signed_in(Role.REFERRER)


def test_the_longest_answers_the_form_accepts_can_still_be_sent(referrer):
    draft = make_draft(referrer.user, surname="S" * 500, forenames="F" * 500, aliases="A " * 249)
    contact = {**answers()["contact-details"], "postcode": "X" * 16}
    draft = services.save_section(draft, by=referrer.user, slug="contact-details", data=contact)
    referral = intake.submit_referral(draft, by=referrer.user)
    assert referral.status == Referral.Status.RECEIVED
    assert all(len(key.value) <= 100 for key in referral.person_keys.all())


def test_a_postcode_longer_than_a_postcode_is_refused(referrer):
    draft = make_draft(referrer.user)
    response = referrer.post(reverse("referrals:section", args=[draft.pk, "contact-details"]), {"postcode": "X" * 17})
    assert "Enter a postcode of 16 characters or fewer" in response.content.decode()


def test_sending_again_from_a_second_tab_shows_the_acknowledgement(referrer):
    draft = make_draft(referrer.user)
    check = reverse("referrals:check", args=[draft.pk])
    referrer.post(check)
    again = referrer.post(check)
    assert again["Location"] == reverse("referrals:submitted", args=[draft.pk])
    assert Referral.objects.filter(author=referrer.user).count() == 1


def test_a_draft_deleted_in_another_tab_is_not_found_not_a_crash(referrer):
    draft = make_draft(referrer.user)
    services.delete_draft(draft, by=referrer.user)
    response = referrer.post(reverse("referrals:section", args=[draft.pk, "concerns"]), {"concerns": "x"})
    assert response.status_code == 404
    # The service says why (DraftGone, a PermissionDenied); the view answers 404 as above.
    with pytest.raises(services.DraftGone):
        services.save_section(draft, by=referrer.user, slug="concerns", data={"concerns": "x"})


def test_signed_in_pages_are_never_stored_by_the_browser(referrer):
    draft = make_draft(referrer.user)
    for url in (
        reverse("referrals:section", args=[draft.pk, "concerns"]),
        reverse("referrals:check", args=[draft.pk]),
        reverse("referrals:advice_new"),
        reverse("pages:home"),
    ):
        assert referrer.get(url)["Cache-Control"] == "private, no-store", url


def test_showing_saved_answers_after_a_failed_send_is_audited(referrer):
    draft = services.start_referral(by=referrer.user)
    referrer.post(reverse("referrals:check", args=[draft.pk]))
    assert AuditEvent.objects.filter(action="referral.draft_viewed", details__section="check").exists()
    referrer.post(reverse("referrals:section", args=[draft.pk, "household"]), {"name": ""})
    assert AuditEvent.objects.filter(action="referral.draft_viewed", details__section="household").exists()


def test_adding_a_file_keeps_a_draft_alive(referrer, settings, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now() - timedelta(days=settings.DRAFT_MAX_AGE_DAYS + 1), tick=False)
    draft = make_draft(referrer.user)
    time_machine.move_to(timezone.now() + timedelta(days=settings.DRAFT_MAX_AGE_DAYS + 1), tick=False)
    services.add_attachments(draft, by=referrer.user, files=[pdf()])
    assert services.delete_stale_drafts() == 0


def test_a_failure_while_storing_files_leaves_no_file_behind(referrer, monkeypatch):
    from django.db import DatabaseError

    draft = make_draft(referrer.user)
    stored = []
    real_store, real_create = attachments.store, Attachment.objects.create

    def store_and_remember(upload):
        name, digest = real_store(upload)
        stored.append(name)
        return name, digest

    def create_then_fail(**fields):
        if len(stored) == 2:
            raise DatabaseError("connection lost")
        return real_create(**fields)

    monkeypatch.setattr(attachments, "store", store_and_remember)
    monkeypatch.setattr(Attachment.objects, "create", create_then_fail)
    with pytest.raises(DatabaseError):
        services.add_attachments(draft, by=referrer.user, files=[pdf("a.pdf"), pdf("b.pdf")])
    assert len(stored) == 2
    assert not Attachment.objects.exists()
    assert not any(attachments.path_of(name).exists() for name in stored)


def test_a_missing_file_is_not_found_and_no_download_is_recorded(referrer, signed_in):
    draft = make_draft(referrer.user)
    (file,) = services.add_attachments(draft, by=referrer.user, files=[pdf()])
    intake.submit_referral(draft, by=referrer.user)
    attachments.remove(file.stored_name)
    assert referrer.get(reverse("referrals:download", args=[file.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.downloaded").exists()


def test_only_the_person_who_asked_starts_the_referral_and_only_once(referrer, make_user, signed_in):
    item = advice.ask_advice(by=referrer.user, question="Worried.")
    advice.ask_for_referral(item, by=make_user(Role.PREVENT_OFFICER))
    colleague = sign_in_client(Client(), make_user(Role.REFERRER, organisation=referrer.user.organisation))
    url = reverse("referrals:advice_start_referral", args=[item.pk])
    assert colleague.post(url).status_code == 404
    first, second = referrer.post(url), referrer.post(url)
    assert first["Location"] == second["Location"]
    assert Referral.objects.filter(advice_request=item).count() == 1
    assert AuditEvent.objects.filter(action="advice.referral_started", target_id=str(item.pk)).count() == 1


def test_nobody_downloads_or_removes_someone_elses_draft_file(referrer, make_user):
    draft = make_draft(referrer.user)
    (file,) = services.add_attachments(draft, by=referrer.user, files=[pdf()])
    colleague = sign_in_client(Client(), make_user(Role.REFERRER, organisation=referrer.user.organisation))
    assert colleague.get(reverse("referrals:download", args=[file.pk])).status_code == 404
    assert colleague.post(reverse("referrals:remove_attachment", args=[draft.pk, file.pk])).status_code == 404
    assert Attachment.objects.filter(pk=file.pk).exists()


def test_an_officer_sees_only_the_possible_repeats_they_may_open(make_user, signed_in):
    from cases import services as case_services

    partner = make_user(Role.REFERRER)
    earlier = make_referral(partner, surname="Khan", forenames="Mohammed")
    supervisor = make_user(Role.SUPERVISOR)
    colleague = make_user(Role.PREVENT_OFFICER)
    case_services.assign(earlier.case, to=colleague, by=supervisor)
    case_services.move(earlier.case, by=colleague, action="start_gathering")
    later = make_referral(partner, surname="Khan", forenames="Mohammed")
    officer = signed_in(Role.PREVENT_OFFICER)
    body = officer.get(reverse("referrals:detail", args=[later.pk])).content.decode()
    assert earlier.reference not in body
    boss = sign_in_client(Client(), supervisor)
    assert earlier.reference in boss.get(reverse("referrals:detail", args=[later.pk])).content.decode()

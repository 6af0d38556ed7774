import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, Role
from audit.models import AuditEvent
from cases import intake
from notifications.models import Notification
from referrals import services
from referrals.models import FORM_VERSION, Referral
from tests.referrals.factories import answers, make_draft, make_referral


@pytest.fixture
def referrer(signed_in):
    return signed_in(Role.REFERRER)


def section_url(referral, slug):
    return reverse("referrals:section", args=[referral.pk, slug])


def test_starting_a_referral_opens_a_draft_with_what_we_already_know(referrer):
    response = referrer.post(reverse("referrals:start"))
    draft = Referral.objects.get(author=referrer.user)
    assert response["Location"] == section_url(draft, "before-you-start")
    assert draft.status == Referral.Status.DRAFT and draft.form_version == FORM_VERSION
    page = referrer.get(section_url(draft, "about-you"))
    assert f'value="{referrer.user.full_name}"' in page.content.decode()
    assert AuditEvent.objects.filter(action="referral.draft_viewed", target_id=str(draft.pk)).exists()


def test_the_start_page_says_an_immediate_threat_is_a_999_call(referrer):
    body = referrer.get(reverse("referrals:start")).content.decode()
    assert "call 999" in body and "Do not use this form" in body


def test_the_first_page_asks_about_the_safeguarding_lead_and_repeats_999(referrer):
    draft = make_draft(referrer.user)
    body = referrer.get(section_url(draft, "before-you-start")).content.decode()
    assert "discussed this concern with your safeguarding or Prevent lead" in body and "call 999" in body


def test_each_page_saves_as_the_user_goes_and_moves_on(referrer):
    draft = services.start_referral(by=referrer.user)
    response = referrer.post(section_url(draft, "before-you-start"), {"discussed_with_lead": "no", "lead_name": ""})
    assert response["Location"] == section_url(draft, "about-you")
    draft.refresh_from_db()
    assert draft.answers["before-you-start"] == {"discussed_with_lead": "no", "lead_name": ""}
    assert AuditEvent.objects.filter(action="referral.draft_saved", details__section="before-you-start").exists()


def test_a_page_with_mistakes_explains_each_one_and_keeps_what_was_typed(referrer):
    draft = make_draft(referrer.user)
    typed = {
        "surname": "O'Neil <b>",
        "forenames": "",
        "dob_known": "age",
        "approximate_age": "about ten",
        "gender": "x",
    }
    response = referrer.post(section_url(draft, "the-person"), typed)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Enter their first names" in body
    assert "Enter their approximate age as a number, like 15" in body
    assert "Select their gender, or &#x27;Not known&#x27;" in body
    assert 'value="O&#x27;Neil &lt;b&gt;"' in body and 'value="about ten"' in body
    draft.refresh_from_db()
    assert draft.answers["the-person"]["surname"] == "Example"  # nothing invalid was saved


@pytest.mark.parametrize(
    ("choice", "fields", "message"),
    [
        ("exact", {}, "Enter their date of birth"),
        (
            "exact",
            {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2010"},
            "must be a real date",
        ),
        ("exact", {"date_of_birth_day": "1", "date_of_birth_year": "2010"}, "Date of birth must include a month"),
        (
            "exact",
            {"date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "2999"},
            "must be in the past",
        ),
        ("year", {"birth_year": "1850"}, "Year of birth must be between"),
        ("age", {"approximate_age": "200"}, "Age must be 120 or less"),
    ],
)
def test_dates_of_birth_may_be_exact_or_approximate_but_must_make_sense(referrer, choice, fields, message):
    draft = make_draft(referrer.user)
    data = {
        "surname": "A",
        "forenames": "B",
        "dob_known": choice,
        "gender": "unknown",
        "speaks_english": "yes",
        **fields,
    }
    body = referrer.post(section_url(draft, "the-person"), data).content.decode()
    assert message in body


def test_an_approximate_age_is_kept_and_the_other_date_answers_dropped(referrer):
    draft = make_draft(referrer.user)
    data = {
        "surname": "A",
        "forenames": "B",
        "dob_known": "age",
        "approximate_age": "15",
        "birth_year": "2001",
        "gender": "unknown",
        "speaks_english": "yes",
    }
    referrer.post(section_url(draft, "the-person"), data)
    draft.refresh_from_db()
    assert draft.answers["the-person"]["approximate_age"] == 15
    assert draft.answers["the-person"]["birth_year"] is None


def test_household_members_are_added_and_removed_one_at_a_time(referrer):
    draft = make_draft(referrer.user)
    url = section_url(draft, "household")
    referrer.post(url, {"name": "Sam Example", "relationship": "Brother"})
    referrer.post(url, {"name": "Jo Example", "relationship": "Mother", "date_of_birth": "about 40"})
    empty = referrer.post(url, {"name": ""})
    assert b"Enter the household member&#x27;s name" in empty.content
    draft.refresh_from_db()
    first = services.fingerprint(draft.answers["household"][0])
    remove = reverse("referrals:remove_item", args=[draft.pk, "household", 0])
    referrer.post(remove, {"item": first})
    # The same click from a stale second tab must not remove the next person along.
    stale = referrer.post(remove, {"item": first}, follow=True)
    assert "had already been removed" in stale.content.decode()
    draft.refresh_from_db()
    assert [member["name"] for member in draft.answers["household"]] == ["Jo Example"]


def test_check_your_answers_names_what_is_missing_before_sending(referrer):
    draft = services.start_referral(by=referrer.user)
    response = referrer.post(reverse("referrals:check", args=[draft.pk]))
    body = response.content.decode()
    assert "Complete the section &#x27;The person you are worried about&#x27;" in body
    assert Referral.objects.get(pk=draft.pk).status == Referral.Status.DRAFT


def test_sending_gives_a_random_reference_stores_the_form_version_and_tells_the_team(referrer, make_user):
    officer, supervisor = make_user(Role.PREVENT_OFFICER), make_user(Role.SUPERVISOR)
    make_user(Role.SYSTEM_ADMIN)
    draft = make_draft(referrer.user)
    response = referrer.post(reverse("referrals:check", args=[draft.pk]))
    referral = Referral.objects.get(pk=draft.pk)
    assert response["Location"] == reverse("referrals:submitted", args=[referral.pk])
    assert referral.status == Referral.Status.RECEIVED and referral.submitted_at
    assert re.fullmatch(r"PR-[0-9A-HJKMNP-TV-Z]{8}", referral.reference)
    assert referral.form_version == FORM_VERSION
    page = referrer.get(response["Location"]).content.decode()
    assert referral.reference in page and "Referral sent" in page
    notified = Notification.objects.filter(kind=Notification.Kind.REFERRAL_SUBMITTED)
    assert {note.recipient for note in notified} == {officer, supervisor}
    assert all(note.reference == referral.reference and "Example" not in note.link for note in notified)
    assert AuditEvent.objects.filter(action="referral.submitted", target_id=str(referral.pk)).exists()
    assert str(referral.pk) in response["Location"] and "Example" not in response["Location"]


def test_a_sent_referral_cannot_be_changed(referrer):
    referral = make_referral(referrer.user)
    response = referrer.post(section_url(referral, "concerns"), {"concerns": "rewritten"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.answers["concerns"]["concerns"] == "Has been sharing violent material."


def test_free_text_is_kept_as_typed_and_escaped_wherever_it_is_shown(referrer, signed_in):
    draft = make_draft(referrer.user)
    text = "<script>alert('x')</script>\n  second line & more"
    referrer.post(section_url(draft, "concerns"), {"concerns": text})
    draft.refresh_from_db()
    assert draft.answers["concerns"]["concerns"] == text
    check = referrer.get(reverse("referrals:check", args=[draft.pk])).content.decode()
    assert "<script>alert" not in check and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in check
    intake.submit_referral(draft, by=referrer.user)
    officer = signed_in(Role.PREVENT_OFFICER)
    detail = officer.get(reverse("referrals:detail", args=[draft.pk])).content.decode()
    assert "<script>alert" not in detail and "&lt;script&gt;" in detail


def test_another_organisation_gets_not_found_and_nothing_about_the_referral(referrer, signed_in, make_organisation):
    referral = make_referral(referrer.user, surname="Distinctivename")
    outsider = signed_in(Role.REFERRER)
    response = outsider.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 404
    assert b"Distinctivename" not in response.content and referral.reference.encode() not in response.content
    assert not AuditEvent.objects.filter(action="referral.viewed", actor=outsider.user).exists()
    assert outsider.get(reverse("referrals:check", args=[referral.pk])).status_code == 404


def test_a_colleague_sees_the_status_but_not_the_answers(referrer, make_user):
    from tests.conftest import sign_in_client

    referral = make_referral(referrer.user, surname="Distinctivename")
    colleague = sign_in_client(Client(), make_user(Role.REFERRER, organisation=referrer.user.organisation))
    response = colleague.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200 and referral.reference.encode() in response.content
    assert b"Distinctivename" not in response.content
    assert AuditEvent.objects.get(action="referral.viewed").details == {"answers": False}
    own = referrer.get(reverse("referrals:detail", args=[referral.pk]))
    assert b"Distinctivename" in own.content


def test_someone_elses_draft_is_not_found(referrer, make_user):
    from tests.conftest import sign_in_client

    draft = make_draft(referrer.user)
    colleague = sign_in_client(Client(), make_user(Role.REFERRER, organisation=referrer.user.organisation))
    assert colleague.get(section_url(draft, "concerns")).status_code == 404
    assert colleague.post(reverse("referrals:delete_draft", args=[draft.pk])).status_code == 404


def test_deleting_a_draft_leaves_nothing_of_its_content(referrer, django_capture_on_commit_callbacks):
    from referrals import attachments
    from tests.referrals.factories import pdf

    draft = make_draft(referrer.user, surname="Distinctivename")
    (file,) = services.add_attachments(draft, by=referrer.user, files=[pdf()])
    path = attachments.path_of(file.stored_name)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = referrer.post(reverse("referrals:delete_draft", args=[draft.pk]))
    assert response["Location"] == reverse("referrals:list")
    assert not Referral.objects.filter(pk=draft.pk).exists() and not path.exists()
    event = AuditEvent.objects.get(action="referral.draft_deleted")
    assert event.target_id == str(draft.pk)
    assert "Distinctivename" not in str(list(AuditEvent.objects.values()))


def test_drafts_older_than_the_limit_are_deleted_by_the_scheduled_task(referrer, settings, time_machine):
    from django.utils import timezone

    from referrals.tasks import delete_stale_drafts

    time_machine.move_to(timezone.now() - timedelta(days=settings.DRAFT_MAX_AGE_DAYS + 1), tick=False)
    old = make_draft(referrer.user)
    old_sent = make_referral(referrer.user)
    time_machine.move_to(timezone.now() + timedelta(days=settings.DRAFT_MAX_AGE_DAYS + 1), tick=False)
    fresh = make_draft(referrer.user)
    sent = make_referral(referrer.user)
    assert delete_stale_drafts.delay().get() == 1
    assert set(Referral.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk, old_sent.pk}
    assert AuditEvent.objects.get(action="referral.draft_expired").target_id == str(old.pk)
    assert delete_stale_drafts() == 0  # safe to run twice


def test_the_nightly_clean_up_is_scheduled_in_celery_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="referrals.tasks.delete_stale_drafts")
    assert task.enabled and task.crontab.hour == "2"


def test_an_officer_records_a_referral_received_by_phone_for_a_partner(signed_in, make_organisation):
    officer = signed_in(Role.PREVENT_OFFICER)
    school = make_organisation(Organisation.Kind.PARTNER)
    response = officer.post(reverse("referrals:start_on_behalf"), {"organisation": school.pk, "channel": "phone"})
    draft = Referral.objects.get(author=officer.user)
    assert response["Location"] == section_url(draft, "before-you-start")
    for slug, data in answers().items():
        services.save_section(draft, by=officer.user, slug=slug, data=data)
    referral = intake.submit_referral(draft, by=officer.user)
    assert referral.organisation == school and referral.channel == "phone" and referral.entered_by_police
    assert (
        "entered by the Prevent team" in officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )


def test_partners_cannot_pretend_to_be_another_organisation(referrer, make_organisation):
    other = make_organisation(Organisation.Kind.PARTNER)
    referral = services.start_referral(by=referrer.user, organisation=other, channel="phone")
    assert referral.organisation == referrer.user.organisation and not referral.entered_by_police


def test_the_partner_list_shows_status_and_runs_a_fixed_number_of_queries(referrer, django_assert_max_num_queries):
    make_referral(referrer.user)
    with django_assert_max_num_queries(14) as first:
        referrer.get(reverse("referrals:list"))
    for _ in range(8):
        make_referral(referrer.user)
        make_draft(referrer.user)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = referrer.get(reverse("referrals:list"))
    assert response.content.decode().count("Received") >= 9


def test_the_teams_list_shows_no_free_text_and_runs_a_fixed_number_of_queries(
    signed_in, make_user, django_assert_max_num_queries
):
    partner = make_user(Role.REFERRER)
    officer = signed_in(Role.PREVENT_OFFICER)
    make_referral(partner, surname="Distinctivename")
    with django_assert_max_num_queries(14) as first:
        officer.get(reverse("referrals:received"))
    for _ in range(8):
        make_referral(partner)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = officer.get(reverse("referrals:received"))
    body = response.content.decode()
    assert "Distinctivename" not in body and "sharing violent material" not in body
    assert body.count("PR-") >= 9
    event = AuditEvent.objects.filter(action="referral.list_viewed").latest("id")
    assert len(event.details["ids"]) == len(event.details["case_ids"]) == 9


def test_the_type_of_concern_list_is_the_current_national_one(db):
    from referrals.forms import ConcernTypeForm

    choices = [label for _, label in ConcernTypeForm().fields["concern_type"].choices]
    assert choices[0] == "No ideology identified" and "Incel" in choices and choices[-1] == "I'm not sure"
    assert len(choices) == 11


def test_a_closed_code_is_no_longer_offered_but_old_referrals_keep_it(referrer):
    from datetime import date

    from referrals.forms import ConcernTypeForm
    from referrals.models import ConcernType

    draft = make_draft(referrer.user)
    draft = services.save_section(draft, by=referrer.user, slug="type-of-concern", data={"concern_type": "incel"})
    referral = intake.submit_referral(draft, by=referrer.user)
    assert referral.concern_type.code == "incel"
    ConcernType.objects.filter(code="incel").update(valid_to=date(2025, 1, 1))
    assert "incel" not in dict(ConcernTypeForm().fields["concern_type"].choices)
    referral.refresh_from_db()
    assert referral.concern_type.label == "Incel"

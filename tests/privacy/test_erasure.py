"""Erasure removes a person's data from every table and the disk, keeps the audit chain whole, leaves a tombstone."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from guardian.models import UserObjectPermission

from accounts.models import Role
from audit import chain
from audit.models import AuditEvent
from cases import break_glass, intake, services, support
from cases.models import Case, Consent, Outcome
from notifications.models import Email, Notification
from notifications.selectors import unread_cache_key
from privacy import erasure
from privacy.models import Tombstone
from referrals import advice, attachments
from referrals import services as referral_services
from referrals.models import Attachment, Referral, ReferralLink
from tests.referrals.factories import make_draft, make_referral, uploaded

SURNAME, FORENAMES = "Quarrington-Vask", "Zebulon"
NAME = f"{FORENAMES} {SURNAME}"


def every_text_value():
    """Yield (table, column, value) for every non-empty value of every column of every table."""
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the catalogue)
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield (
                            table,
                            column,
                            bytes(value).decode(errors="replace")
                            if isinstance(value, memoryview | bytes)
                            else str(value),
                        )


def mentions(*words) -> list[tuple[str, str]]:
    """Return (table, column) of every value in the database that holds one of the words, in any case."""
    lowered = [word.lower() for word in words]
    return sorted({(t, c) for t, c, value in every_text_value() if any(w in value.lower() for w in lowered)})


def files_mentioning(word: str) -> list[Path]:
    return [
        path
        for path in Path(settings.MEDIA_ROOT).rglob("*")
        if path.is_file() and word.lower().encode() in path.read_bytes().lower()
    ]


@pytest.fixture
def people(make_user):
    partner = make_user(Role.REFERRER)
    return {
        "partner": partner,
        "officer": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "approver": make_user(Role.SUPERVISOR),
        "provider": make_user(Role.SUPPORT_PROVIDER),
        "reader": make_user(Role.PREVENT_OFFICER),
    }


def named_referral(partner, *, note=f"{NAME} talks of {SURNAME} family plans", file=True) -> Referral:
    """A referral about the person, their name in the answers, the concerns, an alias and a file."""
    draft = make_draft(partner, surname=SURNAME, forenames=FORENAMES, aliases=f"Zeb {SURNAME}")
    draft = referral_services.save_section(
        draft, by=partner, slug="concerns", data={"concerns": note, "how_noticed": f"{FORENAMES} said so"}
    )
    if file:
        content = f"Statement about {NAME}.\n".encode()
        referral_services.add_attachments(
            draft, by=partner, files=[uploaded(f"{SURNAME}-statement.txt", content, "text/plain")]
        )
    return intake.submit_referral(draft, by=partner)


def worked_case(people) -> Case:
    """A case about the person, taken through checks, assessment, decision, support, grants and notes."""
    officer, supervisor, partner = people["officer"], people["supervisor"], people["partner"]
    referral = named_referral(partner)
    case = services.assign(referral.case, to=officer, by=supervisor)
    services.add_note(case, by=officer, text=f"Spoke to {NAME}'s school.")
    case = services.move(case, by=officer, action="start_gathering")
    services.record_check(case, by=officer, kind="police_systems", result="trace", note=f"{SURNAME}: one trace")
    case = services.move(case, by=officer, action="start_assessment")
    services.record_assessment(
        case,
        by=officer,
        answers={"engagement": {"rating": "medium", "notes": f"{FORENAMES} is engaged"}},
        rationale=f"{NAME} is vulnerable.",
        expected_version=None,
    )
    case = Case.objects.get(pk=case.pk)
    services.record_decision(
        case, by=officer, outcome=Outcome.POLICE_LED, rationale=f"{SURNAME} needs support.", expected_version=None
    )
    services.sign_off_decision(Case.objects.get(pk=case.pk), by=supervisor, approve=True, expected_version=None)
    case = Case.objects.get(pk=case.pk)
    support.save_support_plan(
        case,
        by=officer,
        support=f"Mentoring for {NAME}",
        provided_by="A mentor",
        how_and_when="Weekly",
        consent_sought_by="Officer",
        consent_method=f"Letter to {SURNAME} household",
    )
    support.record_consent(
        case, by=officer, state=Consent.State.GIVEN, given_by="parent", under_18=True, note=f"Mother of {FORENAMES}"
    )
    support.grant_provider(case, by=officer, provider=people["provider"], sections=["support_plan"])
    support.record_progress(case, by=people["provider"], text=f"Met {FORENAMES} today.")
    break_glass.open_with_reason(case, by=people["reader"], reason_code="other", reason=f"Checking {SURNAME}")
    services.share_feedback(referral, by=officer, text=f"Thank you: {FORENAMES} is being supported.")
    return Case.objects.get(pk=case.pk)


def erase(case, people, rule="nfa-3-years"):
    return erasure.erase_case(case, rule=rule, requested_by=people["officer"], approved_by=people["approver"])


def test_after_erasure_the_name_is_nowhere_the_files_are_gone_and_the_chain_verifies(
    people, django_capture_on_commit_callbacks
):
    case = worked_case(people)
    repeat = named_referral(people["partner"], note=f"Again about {NAME}")
    link = ReferralLink.objects.get(referral=repeat)
    intake.decide_link(link, by=people["officer"], same_person=True)
    case_ids = {case.pk, Referral.objects.get(pk=repeat.pk).case_id}
    question = advice.ask_advice(by=people["partner"], question=f"Worried about {NAME}.")
    advice.ask_for_referral(question, by=people["officer"])
    from_advice = advice.start_referral_from_advice(question, by=people["partner"])
    assert from_advice.advice_request_id == question.pk
    stored = list(Attachment.objects.filter(referral__case__in=case_ids).values_list("stored_name", flat=True))
    assert stored and all(attachments.path_of(name).exists() for name in stored)
    assert mentions(SURNAME), "the seeded name must be in the database before the erasure"
    assert LogEntry.objects.filter(object_pk=str(case.pk)).exists()
    assert UserObjectPermission.objects.filter(object_pk=str(case.pk)).exists()

    # The draft that came from the advice is a referral of no case: erase it on its own.
    erasure.erase_referral(
        from_advice, rule="draft-28-days", requested_by=people["officer"], approved_by=people["approver"]
    )
    merged = Case.objects.filter(merged_into=case).first()
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = erase(case, people)

    assert mentions(SURNAME, FORENAMES) == []
    assert not [path for path in stored if attachments.path_of(path).exists()]
    assert files_mentioning(SURNAME) == []
    result = chain.verify()
    assert result.broken is None and result.events > 0

    tombstone.refresh_from_db()
    assert (tombstone.record_type, tombstone.record_id, tombstone.rule) == ("case", case.pk, "nfa-3-years")
    assert (tombstone.requested_by, tombstone.approved_by) == (people["officer"], people["approver"])
    assert tombstone.received_at == case.received_at and tombstone.erased_at is not None
    assert tombstone.certificate_number.startswith("DC-")
    assert str(case.pk) in tombstone.erased_ids["cases.case"]
    if merged is not None:
        assert str(merged.pk) in tombstone.erased_ids["cases.case"]
    assert tombstone.counts["attachment files"] == len(stored)
    assert not Case.objects.filter(pk__in=case_ids).exists()
    assert not Referral.objects.filter(case__in=case_ids).exists()
    # The history of the case is kept, its values blanked; the trail keeps its events.
    entries = LogEntry.objects.filter(object_pk=str(case.pk))
    assert entries.exists() and {entry.object_repr for entry in entries} == {"[erased]"}
    assert all(set(value) == {"[erased]"} for entry in entries for value in (entry.changes or {}).values())
    assert AuditEvent.objects.filter(action="case.assigned", case_id=case.pk).exists()
    erased_events = AuditEvent.objects.filter(action="record.erased", details__rule="nfa-3-years")
    assert {event.target_id for event in erased_events} >= {str(pk) for pk in case_ids}
    redacted = AuditEvent.objects.get(action="history.redacted", target_id=str(tombstone.pk))
    assert redacted.details["entries"] == tombstone.counts["history entries redacted"] > 0


def test_a_linked_referral_of_another_case_still_within_retention_is_kept(people):
    case = worked_case(people)
    other_partner = people["partner"]
    later = named_referral(other_partner, note="A later worry", file=False)
    link = ReferralLink.objects.get(referral=later, earlier__case=case)
    intake.decide_link(link, by=people["officer"], same_person=False)
    other_case = Referral.objects.get(pk=later.pk).case
    assert other_case.pk != case.pk

    tombstone = erase(case, people)

    later.refresh_from_db()
    assert later.case_id == other_case.pk and later.answers["the-person"]["surname"] == SURNAME
    assert later.person_keys.exists()
    assert not ReferralLink.objects.filter(pk=link.pk).exists()
    assert str(later.pk) not in tombstone.erased_ids["referrals.referral"]
    assert str(other_case.pk) not in tombstone.erased_ids["cases.case"]


def test_cases_merged_into_the_erased_case_go_with_it(people):
    case = worked_case(people)
    repeat = named_referral(people["partner"], note="Again", file=False)
    intake.decide_link(ReferralLink.objects.get(referral=repeat), by=people["officer"], same_person=True)
    merged = Case.objects.get(merged_into=case)

    with pytest.raises(ValidationError, match="merged into another case"):
        erase(merged, people)
    tombstone = erase(case, people)

    assert not Case.objects.filter(pk=merged.pk).exists()
    assert str(merged.pk) in tombstone.erased_ids["cases.case"]
    assert str(repeat.pk) in tombstone.erased_ids["referrals.referral"]


def test_the_approver_must_be_someone_else_and_a_supervisor(people):
    case = make_referral(people["partner"]).case
    with pytest.raises(ValidationError, match="must not be the person"):
        erasure.erase_case(case, rule="nfa-3-years", requested_by=people["approver"], approved_by=people["approver"])
    with pytest.raises(PermissionDenied):
        erasure.erase_case(case, rule="nfa-3-years", requested_by=people["approver"], approved_by=people["officer"])
    with pytest.raises(PermissionDenied):
        erasure.erase_case(case, rule="nfa-3-years", requested_by=people["partner"], approved_by=people["approver"])
    with pytest.raises(ValidationError, match="rule"):
        erasure.erase_case(case, rule="Because I said", requested_by=people["officer"], approved_by=people["approver"])
    assert Case.objects.filter(pk=case.pk).exists()
    assert not Tombstone.objects.exists()
    assert not AuditEvent.objects.filter(action="record.erased").exists()


def test_a_legal_hold_stops_the_erasure(people, monkeypatch):
    case = make_referral(people["partner"]).case
    monkeypatch.setattr(erasure, "hold_checks", lambda: [lambda record: record.pk == case.pk])
    with pytest.raises(ValidationError, match="legal hold"):
        erase(case, people)
    assert Case.objects.filter(pk=case.pk).exists() and not Tombstone.objects.exists()


def test_a_referral_of_a_case_is_erased_with_its_case_not_alone(people):
    referral = make_referral(people["partner"])
    with pytest.raises(ValidationError, match="erase the case"):
        erasure.erase_referral(
            referral, rule="nfa-3-years", requested_by=people["officer"], approved_by=people["approver"]
        )


def test_a_draft_is_erased_with_its_file_and_leaves_a_referral_tombstone(people, django_capture_on_commit_callbacks):
    draft = make_draft(people["partner"], surname=SURNAME, forenames=FORENAMES)
    referral_services.add_attachments(
        draft, by=people["partner"], files=[uploaded("a.txt", f"{NAME}\n".encode(), "text/plain")]
    )
    stored = Attachment.objects.get(referral=draft).stored_name
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = erasure.erase_referral(
            draft, rule="draft-28-days", requested_by=people["officer"], approved_by=people["approver"]
        )
    assert not attachments.path_of(stored).exists()
    assert (tombstone.record_type, tombstone.record_id, tombstone.closed_at) == ("referral", draft.pk, None)
    assert mentions(SURNAME) == []


def test_the_tombstone_holds_no_personal_data(people):
    case = worked_case(people)
    reference = case.reference
    tombstone = erase(case, people)
    values = " ".join(str(value) for value in Tombstone.objects.filter(pk=tombstone.pk).values().get().values())
    assert SURNAME not in values and FORENAMES not in values and reference not in values


def test_notices_and_e_mails_about_the_case_go_and_unread_counts_are_counted_afresh(
    people, django_capture_on_commit_callbacks
):
    referral = make_referral(people["partner"])
    case, officer = referral.case, people["officer"]
    about = Q(reference__in=[referral.reference, case.reference])
    assert Notification.objects.filter(about, recipient=officer, read_at__isnull=True).exists()
    assert Email.objects.filter(about).exists()
    cache.set(unread_cache_key(officer.pk), 7)

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = erase(case, people)

    assert not Notification.objects.filter(about).exists() and not Email.objects.filter(about).exists()
    assert cache.get(unread_cache_key(officer.pk)) is None
    assert tombstone.counts["notifications.notification"] > 0


def test_access_alerts_about_the_erased_case_keep_nothing_that_could_name_the_person(people, make_organisation):
    from accounts import services as accounts
    from accounts.models import Organisation
    from audit.models import Alert
    from audit.services import record
    from oversight import alerts
    from oversight import services as oversight
    from tests.conftest import PASSWORD

    case = services.assign(
        named_referral(people["partner"], file=False).case, to=people["officer"], by=people["supervisor"]
    )
    namesake = accounts.create_user(
        by=None,
        email="namesake@police.example",
        full_name=NAME,
        organisation=make_organisation(Organisation.Kind.POLICE_PREVENT),
        roles=[Role.PREVENT_OFFICER],
        password=PASSWORD,
    )
    record(by=namesake, action="case.viewed", target=case)
    break_glass.open_with_reason(case, by=people["reader"], reason_code="other", reason="Safeguarding call")
    assert alerts.raise_name_match_alerts() == 1 and alerts.raise_outside_caseload_alerts() == 1
    outside = Alert.objects.get(rule=Alert.Rule.OUTSIDE_CASELOAD, case_id=case.pk)
    oversight.review_alert(outside, by=people["supervisor"], note=f"Asked about {NAME}: a real call.")

    tombstone = erase(case, people)

    assert not Alert.objects.filter(rule=Alert.Rule.NAME_MATCH, case_id=case.pk).exists()
    outside.refresh_from_db()
    assert (outside.details, outside.review_note) == ({}, "")
    # Who was looked at, under which rule and when, and who reviewed it, stay.
    assert (outside.user, outside.reviewed_by) == (people["reader"], people["supervisor"])
    assert outside.reviewed_at is not None and outside.raised_at is not None
    assert tombstone.counts["name-match alerts"] == 1 and tombstone.counts["alerts blanked"] == 1
    assert not Alert.objects.filter(case_id=case.pk).exclude(details={}, review_note="").exists()


def test_erasing_a_record_already_erased_says_so(people):
    case = make_referral(people["partner"]).case
    erase(case, people)
    with pytest.raises(ValidationError, match="already been erased"):
        erase(case, people)
    assert Tombstone.objects.filter(record_id=case.pk).count() == 1


def test_erasing_a_person_with_a_subject_access_export_leaves_their_name_nowhere(
    make_user, django_capture_on_commit_callbacks
):
    from subject_access import bundle
    from subject_access import services as subject_access
    from tests.subject_access import factories

    records = factories.person_everywhere(make_user)
    supervisor = records["supervisor"]
    request = factories.confirmed_request(supervisor, records)
    with django_capture_on_commit_callbacks(execute=True):
        subject_access.request_generation(request, by=supervisor)
    request.refresh_from_db()
    folder = bundle.folder_path(request.export_folder)
    key = f"note-{records['case'].notes.get().pk}"
    subject_access.withhold(request, by=supervisor, item_key=key, field="", exemption="crime", note="Names the family")
    assert folder.exists() and mentions(factories.SURNAME)
    approver = make_user(Role.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_case(
            Case.objects.get(pk=records["case"].pk),
            rule="channel-6-years",
            requested_by=supervisor,
            approved_by=approver,
        )
    assert mentions(factories.SURNAME, factories.FORENAMES) == []
    assert not folder.exists() and files_mentioning(factories.SURNAME) == []

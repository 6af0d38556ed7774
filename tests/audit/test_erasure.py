"""An erasure's audit event says who erased which record, when and under which rule, and keeps nothing of it."""

import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps

from accounts.models import Role
from audit.erasure import record_erasure
from audit.models import AuditEvent
from referrals.models import Referral
from tests.referrals.factories import make_draft, make_referral

SURNAME, FORENAMES = "Quillfeather", "Ottoline"


def audit_rows() -> list[str]:
    """Every row of every audit table, as text."""
    models = [*apps.get_app_config("audit").get_models(), LogEntry]
    return [json.dumps(row, default=str) for model in models for row in model.objects.values()]


def test_an_erasure_event_names_the_record_and_the_rule_only(make_user):
    partner, supervisor = make_user(Role.REFERRER), make_user(Role.SUPERVISOR)
    referral = make_referral(partner, surname=SURNAME, forenames=FORENAMES)
    event = record_erasure(by=supervisor, record=referral, rule="nfa-3-years")
    event.refresh_from_db()
    assert (event.action, event.target_type) == ("record.erased", "referrals.referral")
    assert event.target_id == str(referral.pk)
    assert event.details == {"rule": "nfa-3-years"} and event.reason == ""
    assert event.actor == supervisor and event.occurred_at is not None
    assert event.case_id == referral.case_id


def test_no_audit_table_holds_anything_of_an_erased_record(make_user):
    partner = make_user(Role.REFERRER)
    draft = make_draft(partner, surname=SURNAME, forenames=FORENAMES)
    answers = json.dumps(draft.answers)
    assert SURNAME in answers and FORENAMES in answers  # the record did hold them
    draft_id = draft.pk
    record_erasure(by=None, record=draft, rule="draft-28-days")
    Referral.objects.filter(pk=draft_id).delete()

    rows = audit_rows()
    assert [row for row in rows if str(draft_id) in row], "the erasure must still name the record"
    for value in (SURNAME, FORENAMES, "Has been sharing violent material.", "Rita Referrer"):
        assert not [row for row in rows if value in row], value
    event = AuditEvent.objects.get(action="record.erased")
    assert (event.target_id, event.details) == (str(draft_id), {"rule": "draft-28-days"})


@pytest.mark.parametrize("rule", ["", "Erased because Ottoline Quillfeather asked", "RULE", "x" * 65])
def test_the_rule_must_be_a_code_not_free_text(make_user, rule):
    referral = make_draft(make_user(Role.REFERRER))
    with pytest.raises(ValueError, match="rule"):
        record_erasure(by=None, record=referral, rule=rule)
    assert not AuditEvent.objects.filter(action="record.erased").exists()


def test_an_already_deleted_instance_is_refused(make_user):
    referral = make_draft(make_user(Role.REFERRER))
    referral.delete()
    with pytest.raises(ValueError, match="before it is deleted"):
        record_erasure(by=None, record=referral, rule="draft-28-days")

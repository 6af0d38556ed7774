"""Retention decisions: keep, ask to erase, the two-person rule, legal holds, rules; each recorded and audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import intake
from cases.models import Case
from notifications.models import Notification
from retention import scan, services
from retention.models import LegalHold, RetentionDecision, RetentionReview, RetentionRule
from tests.retention.factories import closed_case_with_merged, queued_review

WHY = "No further concerns and past the retention period."


def later(days=365):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def review(make_user):
    return queued_review(make_user)


@pytest.fixture
def two_supervisors(make_user):
    return make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)


def test_keeping_a_record_records_the_reason_and_the_next_review_date(review, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    kept = services.keep(review, by=supervisor, reason="Linked to a live matter.", next_review_on=later())
    assert (kept.state, kept.next_review_on) == ("kept", later())
    decision = kept.decisions.get()
    assert (decision.action, decision.by, decision.reason, decision.next_review_on) == (
        "kept",
        supervisor,
        "Linked to a live matter.",
        later(),
    )
    event = AuditEvent.objects.get(action="retention.kept")
    assert (event.actor, event.target_id, event.case_id) == (supervisor, str(review.pk), review.case_id)
    assert event.details == {"next_review_on": later().isoformat()}


@pytest.mark.parametrize(
    ("next_review_on", "message"),
    [(None, "must be in the future"), (0, "must be in the future"), (365 * 11, "within 10 years")],
)
def test_keeping_needs_a_next_review_date_in_the_next_ten_years(review, make_user, next_review_on, message):
    when = later(next_review_on) if next_review_on is not None else None
    with pytest.raises(ValidationError, match=message):
        services.keep(review, by=make_user(Role.SUPERVISOR), reason="Why", next_review_on=when)
    review.refresh_from_db()
    assert review.state == "waiting" and not review.decisions.exists()


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN, Role.REFERRER])
def test_only_supervisors_decide_reviews(review, make_user, role):
    with pytest.raises(PermissionDenied):
        services.keep(review, by=make_user(role), reason="Why", next_review_on=later())
    with pytest.raises(PermissionDenied):
        services.request_erasure(review, by=make_user(role), reason="Why")


def test_asking_to_erase_tells_the_other_supervisors_and_no_one_else(review, make_user, two_supervisors):
    asker, other = two_supervisors
    officer = make_user(Role.PREVENT_OFFICER)
    services.request_erasure(review, by=asker, reason=WHY)
    review.refresh_from_db()
    assert (review.state, review.requested_by) == ("erasure_requested", asker)
    notices = Notification.objects.filter(kind=Notification.Kind.ERASURE_APPROVAL_REQUESTED)
    assert other.pk in set(notices.values_list("recipient", flat=True))
    assert not notices.filter(recipient__in=[asker, officer]).exists()
    notice = notices.get(recipient=other)
    assert notice.reference == review.reference and notice.link == f"/retention/approvals/{review.pk}/"
    assert AuditEvent.objects.filter(action="retention.erasure_requested", actor=asker).count() == 1


def test_the_supervisor_who_asked_cannot_approve_or_refuse_their_own_erasure(review, two_supervisors):
    asker, _ = two_supervisors
    services.request_erasure(review, by=asker, reason=WHY)
    with pytest.raises(ValidationError, match="another supervisor must approve"):
        services.approve_erasure(review, by=asker)
    with pytest.raises(ValidationError, match="another supervisor must approve"):
        services.reject_erasure(review, by=asker, reason="Changed my mind")
    assert Case.objects.filter(pk=review.case_id).exists()
    review.refresh_from_db()
    assert review.state == "erasure_requested"


def test_a_second_supervisor_approves_and_the_record_is_erased_leaving_a_tombstone(review, two_supervisors):
    from privacy.models import Tombstone

    asker, approver = two_supervisors
    case_id, reference = review.case_id, review.reference
    services.request_erasure(review, by=asker, reason=WHY)
    tombstone = services.approve_erasure(review, by=approver)

    assert not Case.objects.filter(pk=case_id).exists()
    assert Tombstone.objects.get() == tombstone
    assert (tombstone.rule, tombstone.requested_by, tombstone.approved_by) == ("nfa-3-years", asker, approver)
    assert tombstone.record_id == case_id
    review.refresh_from_db()
    assert (review.state, review.case, review.record_id, review.reference) == ("erased", None, case_id, "")
    assert list(review.decisions.values_list("action", "by")) == [
        ("erasure_requested", asker.pk),
        ("erasure_approved", approver.pk),
    ]
    approved = AuditEvent.objects.get(action="retention.erasure_approved")
    assert approved.actor == approver and approved.details["requested_by_id"] == asker.pk
    assert AuditEvent.objects.filter(action="record.erased", target_id=str(case_id)).exists()
    # The reference and the reasons go with the record: a partner's letter quotes the reference beside the
    # person's name, and a reason may describe them. Who decided what, and when, stays.
    assert not RetentionReview.objects.filter(reference=reference).exists()
    assert list(review.decisions.values_list("reason", flat=True)) == ["", "Approved"]


def test_a_refused_erasure_goes_back_to_the_queue_with_the_reason(review, two_supervisors):
    asker, other = two_supervisors
    services.request_erasure(review, by=asker, reason=WHY)
    services.reject_erasure(review, by=other, reason="A related case is still open.")
    review.refresh_from_db()
    assert (review.state, review.requested_by) == ("waiting", None)
    assert review.decisions.last().reason == "A related case is still open."
    assert Case.objects.filter(pk=review.case_id).exists()


def test_a_legal_hold_blocks_every_decision_and_the_erasure(review, two_supervisors):
    asker, approver = two_supervisors
    services.request_erasure(review, by=asker, reason=WHY)
    case = Case.objects.get(pk=review.case_id)
    services.set_hold(case, by=approver, reason="Inquiry: preserve all records.")

    with pytest.raises(ValidationError, match="legal hold"):
        services.approve_erasure(review, by=approver)
    assert Case.objects.filter(pk=case.pk).exists()
    review.refresh_from_db()
    assert review.state == "erasure_requested"

    services.reject_erasure(review, by=approver, reason="Held.")
    with pytest.raises(ValidationError, match="legal hold"):
        services.keep(review, by=asker, reason="Why", next_review_on=later())
    with pytest.raises(ValidationError, match="legal hold"):
        services.request_erasure(review, by=asker, reason="Why")


def test_the_erasure_refuses_a_held_record_whoever_calls_it(review, two_supervisors):
    from privacy.erasure import erase_case

    asker, approver = two_supervisors
    case = Case.objects.get(pk=review.case_id)
    services.set_hold(case, by=asker, reason="Litigation.")
    with pytest.raises(ValidationError, match="legal hold"):
        erase_case(case, rule="nfa-3-years", requested_by=asker, approved_by=approver)


def test_a_hold_is_set_once_and_lifted_with_a_reason(review, two_supervisors):
    first, second = two_supervisors
    case = Case.objects.get(pk=review.case_id)
    hold = services.set_hold(case, by=first, reason="Litigation.")
    with pytest.raises(ValidationError, match="already under a legal hold"):
        services.set_hold(case, by=second, reason="Again.")
    lifted = services.lift_hold(hold, by=second, reason="Settled.")
    assert (lifted.lifted_by, lifted.lift_reason, lifted.is_active) == (second, "Settled.", False)
    with pytest.raises(ValidationError, match="already lifted"):
        services.lift_hold(hold, by=first, reason="Again.")
    actions = list(
        AuditEvent.objects.filter(action__startswith="retention.hold").order_by("id").values_list("action", "case_id")
    )
    assert actions == [("retention.hold_set", case.pk), ("retention.hold_lifted", case.pk)]
    assert LegalHold.objects.count() == 1


def test_a_decided_review_cannot_be_decided_again(review, two_supervisors):
    first, second = two_supervisors
    services.keep(review, by=first, reason="Keep.", next_review_on=later())
    with pytest.raises(ValidationError, match="someone decided it meanwhile"):
        services.request_erasure(review, by=second, reason="Erase.")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SYSTEM_ADMIN])
def test_supervisors_and_administrators_change_rules_and_the_change_is_audited(make_user, role):
    user = make_user(role)
    rule = RetentionRule.objects.get(key="nfa")
    services.change_rule(rule, by=user, period=2, unit="years", under_18_period=4)
    rule.refresh_from_db()
    assert (rule.period, rule.unit, rule.under_18_period, rule.updated_by) == (2, "years", 4, user)
    event = AuditEvent.objects.get(action="retention.rule_changed")
    assert event.details == {
        "rule": "nfa",
        "before": {"period": 3, "unit": "years", "under_18_period": None},
        "after": {"period": 2, "unit": "years", "under_18_period": 4},
    }


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.PANEL_MEMBER])
def test_nobody_else_changes_rules(make_user, role):
    with pytest.raises(PermissionDenied):
        services.change_rule(
            RetentionRule.objects.get(key="nfa"), by=make_user(role), period=1, unit="days", under_18_period=None
        )


def test_rule_codes_name_the_outcome_and_the_period(db):
    rule = RetentionRule(key="nfa_mistaken", period=1, unit="years", under_18_period=2)
    assert rule.code(under_18=False) == "nfa-mistaken-1-year"
    assert rule.code(under_18=True) == "nfa-mistaken-under-18-2-years"


def test_the_daily_reminder_tells_reviewers_how_many_reviews_wait(review, make_user):
    from notifications import reminders

    supervisor, officer = make_user(Role.SUPERVISOR), make_user(Role.PREVENT_OFFICER)
    today = timezone.localdate()
    reminders.send_reminders(today=today)
    reminders.send_reminders(today=today)
    notices = Notification.objects.filter(kind=Notification.Kind.RETENTION_REVIEW_DUE)
    assert notices.filter(recipient=supervisor).count() == 1
    assert not notices.filter(recipient=officer).exists()
    assert notices.get(recipient=supervisor).reference == "1 to review"


def reopen(review: RetentionReview) -> Case:
    from cases import services as case_services

    case = Case.objects.get(pk=review.case_id)
    return case_services.move(case, by=case.assigned_to, action="reopen")


def assert_cancelled_because(review: RetentionReview, reason: str) -> None:
    review.refresh_from_db()
    assert (review.state, review.requested_by) == ("cancelled", None)
    cancelled = review.decisions.filter(action="cancelled").get()
    assert (cancelled.by, cancelled.reason) == (None, reason)


def test_an_erasure_approved_after_the_case_was_reopened_is_refused_and_the_review_cancelled(review, two_supervisors):
    from privacy.models import Tombstone

    asker, approver = two_supervisors
    services.request_erasure(review, by=asker, reason=WHY)
    reopen(review)

    with pytest.raises(
        ValidationError, match="This case was reopened after the review was queued; the review has been"
    ):
        services.approve_erasure(review, by=approver)

    assert Case.objects.filter(pk=review.case_id, status=Case.Status.GATHERING).exists()
    assert not Tombstone.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["retention.erasure_approved", "record.erased"]).exists()
    assert_cancelled_because(review, "Case reopened since it was queued")
    event = AuditEvent.objects.get(action="retention.review_cancelled")
    assert (event.actor, event.target_id, event.case_id) == (approver, str(review.pk), review.case_id)
    # Nothing is left for the scan to cancel, and nothing can be decided on it any more.
    assert scan.scan().cancelled == 0
    with pytest.raises(ValidationError, match="someone decided it meanwhile"):
        services.approve_erasure(review, by=approver)


def test_keeping_a_reopened_case_is_refused_and_the_review_cancelled(review, two_supervisors):
    reopen(review)
    with pytest.raises(ValidationError, match="This case was reopened"):
        services.keep(review, by=two_supervisors[0], reason="Keep.", next_review_on=later())
    assert_cancelled_because(review, "Case reopened since it was queued")
    assert not review.decisions.filter(action="kept").exists()


def test_a_review_of_a_draft_submitted_since_it_was_queued_is_cancelled_when_decided(make_user, two_supervisors):
    import time_machine

    from referrals.models import Referral
    from tests.referrals.factories import make_draft
    from tests.retention.factories import CLOSED_ON

    partner = make_user(Role.REFERRER)
    with time_machine.travel(CLOSED_ON, tick=False):
        draft = make_draft(partner)
    scan.scan(today=timezone.localdate())
    review = RetentionReview.objects.get(referral=draft, state="waiting")
    intake.submit_referral(Referral.objects.get(pk=draft.pk), by=partner)

    with pytest.raises(ValidationError, match="This draft referral was submitted or changed"):
        services.request_erasure(review, by=two_supervisors[0], reason=WHY)
    assert_cancelled_because(review, "Draft submitted or changed since it was queued")
    assert not Notification.objects.filter(kind=Notification.Kind.ERASURE_APPROVAL_REQUESTED).exists()


def test_erasing_a_case_blanks_what_retention_says_about_the_cases_merged_into_it(make_user, two_supervisors):
    asker, approver = two_supervisors
    holds = []

    def hold_and_lift(merged):
        hold = services.set_hold(merged, by=asker, reason="Inquiry about the merged referral.")
        holds.append(services.lift_hold(hold, by=approver, reason="Inquiry closed; nothing more to keep."))

    case, merged = closed_case_with_merged(make_user, before_closing=hold_and_lift)
    scan.scan(today=timezone.localdate())
    review = RetentionReview.objects.get(case=case, state="waiting")
    services.request_erasure(review, by=asker, reason=WHY)
    tombstone = services.approve_erasure(review, by=approver)

    assert str(merged.pk) in tombstone.erased_ids["cases.case"]
    hold = LegalHold.objects.get(pk=holds[0].pk)
    assert (hold.case, hold.reference, hold.reason, hold.lift_reason) == (None, "", "", "")
    assert (hold.set_by, hold.lifted_by) == (asker, approver)
    assert not RetentionReview.objects.exclude(reference="").exists()
    assert list(RetentionDecision.objects.values_list("reason", flat=True)) == ["", "Approved"]


def test_a_hold_on_a_record_erased_meanwhile_is_refused_with_a_message(review, two_supervisors):
    asker, approver = two_supervisors
    case = Case.objects.get(pk=review.case_id)
    services.request_erasure(review, by=asker, reason=WHY)
    services.approve_erasure(review, by=approver)
    with pytest.raises(ValidationError, match="That record no longer exists."):
        services.set_hold(case, by=asker, reason="Litigation.")
    assert not LegalHold.objects.exists()


def test_the_scan_cancels_only_the_reviews_still_open_when_it_locks_them(review, two_supervisors):
    asker, _ = two_supervisors
    services.keep(review, by=asker, reason="Keep.", next_review_on=later())
    # As if the scan had read it as stale a moment before the supervisor decided it.
    assert scan.cancel_reviews([review.pk], reason="Case reopened since it was queued") == 0
    review.refresh_from_db()
    assert review.state == "kept"
    assert list(review.decisions.values_list("action", flat=True)) == ["kept"]

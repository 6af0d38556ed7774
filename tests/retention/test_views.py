"""Retention pages: the happy paths, what bad input says, and a fixed number of queries per list page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import Case
from retention import services
from retention.models import LegalHold, RetentionReview, RetentionRule
from tests.retention.factories import queued_review

WHY = "Past its retention period; nothing links it to current work."


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["retention:queue", "retention:approvals", "retention:holds"])
def test_each_list_page_runs_a_fixed_number_of_queries(name, signed_in, make_user, django_assert_max_num_queries):
    supervisor = signed_in(Role.SUPERVISOR)
    other = make_user(Role.SUPERVISOR)

    def add_one():
        review = queued_review(make_user)
        if name == "retention:approvals":
            services.request_erasure(review, by=other, reason=WHY)
        if name == "retention:holds":
            services.set_hold(Case.objects.get(pk=review.case_id), by=other, reason="Litigation.")

    add_one()
    few = queries(supervisor, reverse(name))
    for _ in range(3):
        add_one()
    with django_assert_max_num_queries(few):
        assert supervisor.get(reverse(name)).status_code == 200


def test_the_queue_lists_waiting_reviews_and_audits_their_ids(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    response = supervisor.get(reverse("retention:queue"))
    assert review.reference in response.content.decode()
    event = AuditEvent.objects.get(action="retention.queue_viewed")
    assert event.details["ids"] == [str(review.pk)] and event.details["case_ids"] == [str(review.case_id)]


def test_keeping_without_a_date_says_so_and_keeps_what_was_typed(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    url = reverse("retention:review", args=[review.pk])
    response = supervisor.post(url, {"decision": "keep", "reason": "Still relevant."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the next review date" in page and "Still relevant." in page
    review.refresh_from_db()
    assert review.state == "waiting"


def test_a_past_next_review_date_is_refused_next_to_the_field(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    past = timezone.localdate() - timedelta(days=1)
    data = {
        "decision": "keep",
        "reason": "Keep.",
        "next_review_on_day": past.day,
        "next_review_on_month": past.month,
        "next_review_on_year": past.year,
    }
    response = supervisor.post(reverse("retention:review", args=[review.pk]), data)
    assert "The next review date must be in the future" in response.content.decode()


def test_a_supervisor_keeps_a_record_from_its_review_page(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    when = timezone.localdate() + timedelta(days=365)
    data = {
        "decision": "keep",
        "reason": "Linked to an open case.",
        "next_review_on_day": when.day,
        "next_review_on_month": when.month,
        "next_review_on_year": when.year,
    }
    response = supervisor.post(reverse("retention:review", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.next_review_on) == ("kept", when)


def test_the_requester_sees_no_approval_form_and_cannot_post_one(signed_in, make_user):
    review = queued_review(make_user)
    asker = signed_in(Role.SUPERVISOR)
    asker.post(reverse("retention:review", args=[review.pk]), {"decision": "erase", "reason": WHY})
    review.refresh_from_db()
    assert review.state == "erasure_requested"
    url = reverse("retention:approval", args=[review.pk])
    page = asker.get(url).content.decode()
    assert "Another supervisor must approve or refuse it" in page and "Save decision" not in page
    assert asker.post(url, {"decision": "approve"}).status_code == 200
    assert Case.objects.filter(pk=review.case_id).exists()


def test_another_supervisor_approves_and_is_told_the_certificate(signed_in, make_user):
    review = queued_review(make_user)
    services.request_erasure(review, by=make_user(Role.SUPERVISOR), reason=WHY)
    approver = signed_in(Role.SUPERVISOR)
    url = reverse("retention:approval", args=[review.pk])
    missing = approver.post(url, {"decision": "reject"})
    assert "Explain why you do not approve the erasure" in missing.content.decode()
    response = approver.post(url, {"decision": "approve"}, follow=True)
    assert "erased. Deletion certificate DC-" in response.content.decode()
    assert not Case.objects.filter(pk=review.case_id).exists()


def test_a_hold_needs_a_reference_that_exists(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    url = reverse("retention:holds")
    response = supervisor.post(url, {"reference": "PC-NOTHING", "reason": "Litigation."})
    page = response.content.decode()
    assert "No case or referral has that reference" in page and "Litigation." in page
    response = supervisor.post(url, {"reference": review.reference.lower(), "reason": "Litigation."})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.case_id, hold.reference) == (review.case_id, review.reference)
    # The review page now says so and offers no decision.
    page = supervisor.get(reverse("retention:review", args=[review.pk])).content.decode()
    assert "under legal hold" in page and "Save decision" not in page


def test_a_hold_is_lifted_with_a_reason(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    hold = services.set_hold(Case.objects.get(pk=review.case_id), by=supervisor.user, reason="Litigation.")
    url = reverse("retention:lift", args=[hold.pk])
    assert "Explain why the hold can be lifted" in supervisor.post(url, {"reason": ""}).content.decode()
    assert supervisor.post(url, {"reason": "Settled."}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == supervisor.user


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "", "unit": "years"}, "Enter the period before review"),
        ({"period": "three", "unit": "years"}, "Enter the period as a whole number of 1 or more"),
        ({"period": "0", "unit": "years"}, "Enter the period as a whole number of 1 or more"),
        ({"period": "101", "unit": "years"}, "Enter a period of at most 100 years"),
        ({"period": "3", "unit": "weeks"}, "Select days, months or years"),
        ({"period": "3", "unit": "years", "under_18_period": "-1"}, "the period for people under 18"),
    ],
)
def test_rule_changes_are_checked_with_clear_messages(signed_in, data, message):
    admin = signed_in(Role.SYSTEM_ADMIN)
    rule = RetentionRule.objects.get(key="nfa")
    response = admin.post(reverse("retention:rule_edit", args=[rule.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert rule.period == 3


def test_an_administrator_changes_a_rule_but_is_not_shown_the_queue(signed_in):
    admin = signed_in(Role.SYSTEM_ADMIN)
    rule = RetentionRule.objects.get(key="signposted")
    response = admin.post(reverse("retention:rule_edit", args=[rule.pk]), {"period": "5", "unit": "years"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.period, rule.updated_by) == (5, admin.user)
    page = admin.get(reverse("retention:rules")).content.decode()
    assert "Review queue" not in page and 'href="/retention/rules/"' in page
    assert admin.get(reverse("retention:queue")).status_code == 403


def test_a_review_that_does_not_exist_is_not_found(signed_in):
    supervisor = signed_in(Role.SUPERVISOR)
    assert supervisor.get(reverse("retention:review", args=[999999])).status_code == 404
    assert not RetentionReview.objects.exists()


def test_approving_the_erasure_of_a_reopened_case_says_so_and_erases_nothing(signed_in, make_user):
    from cases import services as case_services

    review = queued_review(make_user)
    services.request_erasure(review, by=make_user(Role.SUPERVISOR), reason=WHY)
    case = Case.objects.get(pk=review.case_id)
    case_services.move(case, by=case.assigned_to, action="reopen")
    approver = signed_in(Role.SUPERVISOR)
    response = approver.post(reverse("retention:approval", args=[review.pk]), {"decision": "approve"})
    assert response.status_code == 200
    assert "This case was reopened after the review was queued; the review has been cancelled." in (
        response.content.decode()
    )
    assert Case.objects.filter(pk=case.pk).exists()
    review.refresh_from_db()
    assert review.state == "cancelled"


def test_the_review_page_links_to_the_hold_form_by_the_review_id_not_the_reference(signed_in, make_user):
    review = queued_review(make_user)
    supervisor = signed_in(Role.SUPERVISOR)
    page = supervisor.get(reverse("retention:review", args=[review.pk])).content.decode()
    link = f"{reverse('retention:holds')}?review={review.pk}"
    assert f'href="{link}"' in page and f"?reference={review.reference}" not in page

    response = supervisor.get(link)
    assert f'value="{review.reference}"' in response.content.decode()
    event = AuditEvent.objects.filter(action="retention.review_viewed").latest("id")
    assert (event.actor, event.target_id) == (supervisor.user, str(review.pk))
    # The reference typed (or prefilled) is what the POST sets the hold on.
    response = supervisor.post(link, {"reference": review.reference, "reason": "Litigation."})
    assert response.status_code == 302
    assert LegalHold.objects.get().case_id == review.case_id


@pytest.mark.parametrize("value", ["999999", "abc", "1" * 40])
def test_a_hold_form_for_a_review_that_does_not_exist_is_not_found(signed_in, value):
    supervisor = signed_in(Role.SUPERVISOR)
    assert supervisor.get(reverse("retention:holds"), {"review": value}).status_code == 404


def test_the_hold_form_is_not_prefilled_for_someone_who_may_not_see_reviews(signed_in, make_user):
    review = queued_review(make_user)
    officer = signed_in(Role.PREVENT_OFFICER)
    assert officer.get(reverse("retention:holds"), {"review": review.pk}).status_code == 403
    assert not AuditEvent.objects.filter(action="retention.review_viewed").exists()

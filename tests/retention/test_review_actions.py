"""What a retention review's pages offer in each state: `retention.permissions.review_actions`."""

import pytest

from accounts.models import Role
from retention import permissions
from retention.models import RetentionReview

State = RetentionReview.State
FLAGS = ["decide", "open_case", "hold", "see_erasure_request", "approve", "asked_by_you"]


def _on(user, review, held=False) -> set:
    actions = permissions.review_actions(user, review, held=held)
    return {flag for flag in FLAGS if getattr(actions, flag)}


@pytest.fixture
def supervisors(make_user):
    return make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)


def test_a_waiting_review_is_decided_and_its_case_may_be_held(supervisors):
    review = RetentionReview(state=State.WAITING, case_id=1)
    review.on_hold = False
    assert _on(supervisors[0], review) == {"decide", "open_case", "hold"}


def test_a_held_review_is_not_decided_nor_held_again(supervisors):
    review = RetentionReview(state=State.WAITING, case_id=1)
    review.on_hold = True
    assert _on(supervisors[0], review, held=True) == {"open_case"}


def test_an_erasure_asked_for_is_approved_by_another_supervisor_only(supervisors):
    asker, other = supervisors
    review = RetentionReview(state=State.ERASURE_REQUESTED, case_id=1, requested_by=asker)
    review.on_hold = False
    assert _on(other, review) == {"open_case", "hold", "see_erasure_request", "approve"}
    assert _on(asker, review) == {"open_case", "hold", "see_erasure_request", "asked_by_you"}


def test_an_erased_record_offers_nothing(supervisors):
    review = RetentionReview(state=State.ERASED, case_id=1)
    review.on_hold = False
    assert _on(supervisors[0], review) == set()


def test_an_officer_decides_nothing(make_user):
    review = RetentionReview(state=State.WAITING, case_id=1)
    review.on_hold = False
    assert not {"decide", "hold", "approve"} & _on(make_user(Role.PREVENT_OFFICER), review)

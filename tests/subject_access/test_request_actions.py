"""What a subject access request's page offers in each state: `subject_access.permissions.request_actions`."""

import pytest

from accounts.models import Role
from subject_access import permissions
from subject_access.models import SubjectAccessRequest

S = SubjectAccessRequest.Status
# status -> the flags on for a handler (records confirmed, export files kept); every other flag is off.
EXPECTED = {
    S.CONFIRMING: {"confirm_records"},
    S.CONFIRMED: {"confirm_records", "generate"},
    S.QUEUED: {"running"},
    S.GENERATING: {"running"},
    S.READY: {"generate", "withhold", "download", "release"},
    S.STALE: {"generate", "withhold", "stale"},
    S.FAILED: {"generate"},
    S.RELEASED: {"download"},
}
FLAGS = ["confirm_records", "generate", "running", "withhold", "download", "release", "stale"]


def _on(actions) -> set:
    return {flag for flag in FLAGS if getattr(actions, flag)}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_state_offers_the_handler_its_own_actions(make_user, status):
    handler = make_user(Role.SUPERVISOR)
    sar = SubjectAccessRequest(status=status, referral_ids=["one"])
    assert _on(permissions.request_actions(handler, sar, generated=True, stuck=False)) == EXPECTED[status]


def test_someone_who_does_not_handle_subject_access_is_offered_nothing_to_do(make_user):
    officer = make_user(Role.PREVENT_OFFICER)
    sar = SubjectAccessRequest(status=S.READY, referral_ids=["one"])
    assert _on(permissions.request_actions(officer, sar, generated=True, stuck=False)) <= {"running", "stale"}


def test_a_stuck_generation_may_be_started_again(make_user):
    handler = make_user(Role.SUPERVISOR)
    sar = SubjectAccessRequest(status=S.GENERATING, referral_ids=["one"])
    assert permissions.request_actions(handler, sar, generated=False, stuck=True).generate


def test_nothing_is_generated_without_records_nor_withheld_without_files(make_user):
    handler = make_user(Role.SUPERVISOR)
    assert not permissions.request_actions(
        handler, SubjectAccessRequest(status=S.CONFIRMED, referral_ids=[]), generated=False, stuck=False
    ).generate
    ready = permissions.request_actions(
        handler, SubjectAccessRequest(status=S.READY, referral_ids=["one"]), generated=False, stuck=False
    )
    assert not ready.withhold and not ready.download and ready.release

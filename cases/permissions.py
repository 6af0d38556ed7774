"""Who may do what with cases. Each "may this user act on this case?" pairs with a selector."""

from django.utils import timezone

from audit.permissions import can_review_audit
from cases.models import TRANSITIONS_BY_ACTION, BreakGlass


def can_work_cases(user) -> bool:
    """Prevent officers and supervisors: see the queue, take work, triage, assess and decide."""
    return user.is_authenticated and user.has_perm("cases.work_cases")


def can_supervise(user) -> bool:
    return user.is_authenticated and user.has_perm("cases.supervise_cases")


def is_restricted(case) -> bool:
    """Restriction of processing: the case is kept but not used; only supervisors open it and nobody changes it."""
    return case.restricted_at is not None


def can_open(user, case) -> bool:
    """An officer's caseload: their own cases and new, unassigned ones awaiting triage; supervisors have all.

    Break-glass grants do not count here: this rule also decides who may write (notes, feedback, merges,
    reviews, panel moves), and a grant lets an officer read a case, never act as its officer. A restricted
    case is in nobody's caseload: it may be read (by supervisors, `can_read`) but not worked on.
    """
    if is_restricted(case):
        return False
    if can_supervise(user):
        return True
    awaiting_triage = case.status == case.Status.NEW and case.assigned_to_id is None
    return can_work_cases(user) and (case.assigned_to_id == user.pk or awaiting_triage)


def can_read(user, case) -> bool:
    """Open a case in full: one's caseload, or a case outside it while one's break-glass grant lasts."""
    if is_restricted(case):
        return can_supervise(user)
    return can_open(user, case) or (can_work_cases(user) and holds_break_glass(user, case))


def holds_break_glass(user, case) -> bool:
    """Whether the user holds an unexpired break-glass grant for this case (selectors list them)."""
    return BreakGlass.objects.filter(user=user, case=case, expires_at__gt=timezone.now()).exists()


def can_break_glass(user, case) -> bool:
    """An officer may ask, with a reason, to open a live case outside their caseload (supervisors open all)."""
    return (
        can_work_cases(user)
        and not can_open(user, case)
        and case.status != case.Status.MERGED
        and not is_restricted(case)
    )


def can_review_break_glass(user, grant=None) -> bool:
    """Supervisors review break-glass access, never their own."""
    allowed = can_supervise(user) and can_review_audit(user)
    return allowed and (grant is None or grant.user_id != user.pk)


def can_assign(user, case, to) -> bool:
    """Supervisors give work to anyone in the team; an officer may only take an unassigned case."""
    if not can_work_cases(to) or case.status in (case.Status.CLOSED, case.Status.MERGED) or is_restricted(case):
        return False
    if can_supervise(user):
        return True
    return can_work_cases(user) and to.pk == user.pk and case.assigned_to_id is None


def works_on(user, case) -> bool:
    """The case's own officer, or any supervisor: who does the work on a case (none while it is restricted)."""
    if is_restricted(case):
        return False
    return can_supervise(user) or (can_work_cases(user) and case.assigned_to_id == user.pk)


def can_move(user, case, action: str) -> bool:
    """The transition table says who may make each move; workers must be the case's officer."""
    transition = TRANSITIONS_BY_ACTION[action]
    if case.status not in transition.source or is_restricted(case):
        return False
    if transition.who == "supervisor":
        return can_supervise(user)
    if transition.who == "triage":
        return can_open(user, case)
    if transition.who == "panel":
        return can_open(user, case) or sits_on_panel_for(user, case)
    return works_on(user, case)


def sits_on_panel_for(user, case) -> bool:
    """A panel member sees a case only while it is on the agenda of a meeting they sit on."""
    return (
        user.is_authenticated
        and not is_restricted(case)
        and user.has_perm("cases.sit_on_panel")
        and case.agenda_items.filter(meeting__members=user).exists()
    )


def can_use_panel(user) -> bool:
    return can_work_cases(user) or (user.is_authenticated and user.has_perm("cases.sit_on_panel"))


def supports(user, case) -> bool:
    """A provider acts on a case only while they hold an unrevoked grant (a django-guardian object permission)."""
    return user.is_authenticated and not is_restricted(case) and user.has_perm("cases.support_case", case)


def is_provider(user) -> bool:
    return user.is_authenticated and user.has_role("support_provider")

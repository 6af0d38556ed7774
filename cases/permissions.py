"""Who may do what with cases. Each "may this user act on this case?" pairs with a selector."""

from dataclasses import dataclass

from django.utils import timezone

from audit.permissions import can_review_audit
from cases.models import TRANSITIONS, TRANSITIONS_BY_ACTION, BreakGlass, Cover

# Moves made with a plain button on the case page; the others go through their own forms.
PLAIN_MOVES = {"start_gathering", "start_assessment", "propose_closure", "reopen"}


def can_work_cases(user) -> bool:
    """Prevent officers and supervisors: see the queue, take work, triage, assess and decide."""
    return user.is_authenticated and user.has_perm("cases.work_cases")


def can_supervise(user) -> bool:
    return user.is_authenticated and user.has_perm("cases.supervise_cases")


def is_restricted(case) -> bool:
    """Restriction of processing: the case is kept but not used; only supervisors open it and nobody changes it."""
    return case.restricted_at is not None


def can_open(user, case, *, covering: set[int] | None = None) -> bool:
    """An officer's caseload: their own cases, new unassigned ones awaiting triage, their teammates' new cases,
    and the cases of an officer they cover today; supervisors have all.

    Break-glass grants do not count here: this rule also decides who may write (notes, feedback, merges,
    reviews, panel moves), and a grant lets an officer read a case, never act as its officer. A restricted
    case is in nobody's caseload: it may be read (by supervisors, `can_read`) but not worked on. A list page
    passes `covering` (`covered_officers`) so it asks the database once, not once per row.
    Keep in step with `cases.selectors.visible_openable_cases`.
    """
    if is_restricted(case):
        return False
    if can_supervise(user):
        return True
    if not can_work_cases(user):
        return False
    if case.assigned_to_id is None:
        return case.status == case.Status.NEW
    if case.assigned_to_id == user.pk or (case.status == case.Status.NEW and teammates(user, case.assigned_to)):
        return True
    if covering is not None:
        return case.assigned_to_id in covering
    return covers(user, case)


def teammates(user, other) -> bool:
    """Two officers in the same team (an officer without a team has no teammates)."""
    return other is not None and user.team_id is not None and other.team_id == user.team_id


def may_cover(user, case) -> bool:
    """Whether a cover could bring the case into the user's caseload: another officer's case, an officer asking."""
    return case.assigned_to_id is not None and case.assigned_to_id != user.pk and can_work_cases(user)


def covers(user, case) -> bool:
    """Whether the user covers, today, the officer the case is assigned to (and so works it as its officer)."""
    if not may_cover(user, case):
        return False
    return Cover.objects.in_force().filter(officer_id=case.assigned_to_id, colleague=user).exists()


def covered_officers(user) -> set[int]:
    """Return the ids of the officers whose caseload this user covers today (none for anyone not an officer)."""
    if not can_work_cases(user):
        return set()
    return set(Cover.objects.in_force().filter(colleague=user).values_list("officer_id", flat=True))


def can_set_cover(user, officer) -> bool:
    """An officer names cover for their own caseload; a supervisor names it for any officer."""
    if not user.is_authenticated or not officer.is_active or not officer.has_role("prevent_officer"):
        return False
    return can_supervise(user) or (can_work_cases(user) and officer.pk == user.pk)


def can_end_cover(user, cover) -> bool:
    """The absent officer, their colleague or a supervisor ends a cover early, while it has not yet ended."""
    if cover.ended_at is not None or not can_work_cases(user):
        return False
    if cover.ends_on < timezone.localdate():
        return False
    return can_supervise(user) or user.pk in (cover.officer_id, cover.colleague_id)


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


def may_hand_on(user, case) -> bool:
    """Whether the queue offers the case for reassignment to this user: supervisors any, an officer their own."""
    return can_supervise(user) or (can_work_cases(user) and case.assigned_to_id == user.pk)


def can_hand_on(user, case, to) -> bool:
    """Reassign a case from the queue: supervisors as `can_assign`; an officer only a case they own."""
    if can_supervise(user):
        return can_assign(user, case, to)
    if case.status in (case.Status.CLOSED, case.Status.MERGED) or is_restricted(case):
        return False
    return may_hand_on(user, case) and can_work_cases(to)


def works_on(user, case) -> bool:
    """The case's own officer (or the colleague covering them), or any supervisor: who does the work on a case.

    Nobody while it is restricted.
    """
    if is_restricted(case):
        return False
    if can_supervise(user):
        return True
    return can_work_cases(user) and (case.assigned_to_id == user.pk or covers(user, case))


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


def can_run_panel(user) -> bool:
    """The Prevent team keeps a meeting's record: chair, attendance, summaries for the panel, minutes, actions."""
    return can_work_cases(user)


def can_complete_panel_action(user, action, *, sits_on: set | None = None) -> bool:
    """The team, or a member of the meeting that agreed the action (the owner agency's, usually), marks it done.

    A page listing actions passes `sits_on` (the ids of the user's meetings) so it asks the database once.
    """
    if is_restricted(action.item.case):
        return False
    if can_run_panel(user):
        return True
    if not (user.is_authenticated and user.has_perm("cases.sit_on_panel")):
        return False
    if sits_on is not None:
        return action.item.meeting_id in sits_on
    return action.item.meeting.members.filter(pk=user.pk).exists()


def can_record_panel_decision(user, item) -> bool:
    """The panel's decision on an agenda item is recorded once (who may move the case: `can_move`)."""
    return can_use_panel(user) and item.decision == item.Decision.PENDING


def supports(user, case) -> bool:
    """A provider acts on a case only while they hold an unrevoked grant (a django-guardian object permission)."""
    return user.is_authenticated and not is_restricted(case) and user.has_perm("cases.support_case", case)


def is_provider(user) -> bool:
    return user.is_authenticated and user.has_role("support_provider")


def can_record_check(user, case) -> bool:
    """The case's officer (or a supervisor) records checks while information is gathered or assessed."""
    return works_on(user, case) and case.status in (case.Status.GATHERING, case.Status.ASSESSMENT)


def can_assess(user, case) -> bool:
    """The case's officer (or a supervisor) records the assessment while the case is in assessment."""
    return works_on(user, case) and case.status == case.Status.ASSESSMENT


def can_decide(user, case, *, assessed: bool) -> bool:
    """The outcome is decided once an assessment is recorded (`assessed`), by whoever may assess."""
    return assessed and can_assess(user, case)


def can_sign_off(user, case, *, decision_pending: bool) -> bool:
    """A supervisor signs off a decision waiting for it, or a proposed closure."""
    waiting = decision_pending or case.status == case.Status.CLOSURE_PENDING
    return waiting and can_supervise(user) and not is_restricted(case)


def can_change_support(user, case) -> bool:
    """While a case is in support the team records its plan and consent and gives providers access."""
    return can_work_cases(user) and case.status == case.Status.SUPPORT and not is_restricted(case)


def can_list_for_panel(user, case) -> bool:
    """A case for Channel is listed on a panel meeting's agenda by the team."""
    return can_work_cases(user) and case.status == case.Status.CHANNEL and not is_restricted(case)


def can_download_case_file(user, case) -> bool:
    """The case's own officer, or a supervisor, downloads its case file (a disclosure outside the team).

    Not an officer reading under break-glass: a grant lets them read the case, never act as its officer, and
    handing the file on is the officer's act. Not while the case is restricted: it is kept but not used.
    """
    return works_on(user, case) and case.status != case.Status.MERGED


def can_add_document(user, case) -> bool:
    """Whoever may work the case (its officer, an officer triaging it, a supervisor) adds documents to it.

    Not under break-glass (a grant reads, never acts), not on a restricted or merged case.
    """
    return can_open(user, case) and case.status != case.Status.MERGED


def can_remove_document(user, document) -> bool:
    """The officer who added a document, or a supervisor, removes it while they may work the case."""
    case = document.case
    return can_add_document(user, case) and (document.uploaded_by_id == user.pk or can_supervise(user))


@dataclass(frozen=True)
class CaseActions:
    """What the case page offers this user: each flag is one button, link or form, decided here, not in the page."""

    moves: tuple = ()
    write: bool = False  # notes, feedback, ending a provider's access, recording a review
    take: bool = False
    assign: bool = False
    record_check: bool = False
    assess: bool = False
    decide: bool = False
    sign_off: bool = False
    change_support: bool = False
    list_for_panel: bool = False
    show_support: bool = False
    case_file: bool = False
    add_document: bool = False

    @property
    def next_steps(self) -> bool:
        return bool(self.moves or self.record_check or self.assess or self.sign_off)


def case_actions(user, case, *, restricted: bool, decision_pending: bool, assessed: bool, has_support: bool):
    """Return what the case page offers this user, from the same `can_*` rules the services enforce.

    `restricted` is a restriction in force (nothing is changed then); `has_support` that the case has a
    support plan, consent or provider grants to show even after it has left support.
    """
    show_support = has_support or case.status == case.Status.SUPPORT
    if restricted or not can_open(user, case):
        # Restricted, nothing is changed; read under a break-glass grant, nothing is done as its officer.
        return CaseActions(show_support=show_support)
    return CaseActions(
        moves=tuple(t for t in TRANSITIONS if t.action in PLAIN_MOVES and can_move(user, case, t.action)),
        write=True,
        take=can_assign(user, case, user) and case.assigned_to_id is None,
        assign=can_supervise(user),
        record_check=can_record_check(user, case),
        assess=can_assess(user, case),
        decide=can_decide(user, case, assessed=assessed),
        sign_off=can_sign_off(user, case, decision_pending=decision_pending),
        change_support=can_change_support(user, case),
        list_for_panel=can_list_for_panel(user, case),
        show_support=show_support,
        case_file=can_download_case_file(user, case),
        add_document=can_add_document(user, case),
    )

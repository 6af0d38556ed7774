"""Every read of cases starts here."""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases import permissions
from cases.models import (
    PANEL_PURPOSES,
    BreakGlass,
    Case,
    CaseDocument,
    Cover,
    ProviderGrant,
    SavedQueueFilter,
    SupportPlan,
)
from referrals.sections import BY_SLUG, summary


def visible_cases(user) -> QuerySet[Case]:
    """Return the cases police may find: every live case's triage facts; restricted ones for supervisors only.

    The queue page shows none of the restricted ones (`cases.queue.apply_filters`): they are kept but not used.
    """
    if not permissions.can_work_cases(user):
        return Case.objects.none()
    cases = Case.objects.exclude(status=Case.Status.MERGED).select_related("assigned_to", "concern_type")
    return cases if permissions.can_supervise(user) else cases.filter(restricted_at__isnull=True)


def visible_saved_filters(user) -> QuerySet[SavedQueueFilter]:
    """Return the user's own saved queue filters (nobody sees another's)."""
    if not permissions.can_work_cases(user):
        return SavedQueueFilter.objects.none()
    return SavedQueueFilter.objects.filter(owner=user)


def visible_openable_cases(user) -> QuerySet[Case]:
    """Return the cases this user may open in full (need to know): their caseload and their break-glass grants.

    The caseload is `permissions.can_open`'s: their own, new unassigned ones, their teammates' new ones, and the
    cases of an officer they cover today.
    """
    cases = Case.objects.select_related("assigned_to", "concern_type")
    if permissions.can_supervise(user):
        return cases
    cases = cases.filter(restricted_at__isnull=True)
    if permissions.can_work_cases(user):
        granted = active_break_glass(user).filter(case=OuterRef("pk"))
        covered = Cover.objects.in_force().filter(colleague=user, officer=OuterRef("assigned_to"))
        caseload = Q(assigned_to=user) | Q(status=Case.Status.NEW, assigned_to__isnull=True) | Q(Exists(covered))
        if user.team_id is not None:
            caseload |= Q(status=Case.Status.NEW, assigned_to__team_id=user.team_id)
        return cases.filter(caseload | Q(Exists(granted)))
    return cases.none()


def cover_in_force(user, case: Case) -> Cover | None:
    """Return the cover under which this user works the case today (they cover its officer), if any."""
    if not permissions.may_cover(user, case):
        return None
    return Cover.objects.in_force().filter(officer_id=case.assigned_to_id, colleague=user).order_by("pk").first()


def away(officer_id: int | None) -> Cover | None:
    """Return the cover in force today for an absent officer, with the colleague covering them."""
    if officer_id is None:
        return None
    return Cover.objects.in_force().filter(officer_id=officer_id).select_related("colleague").order_by("pk").first()


def visible_covers(user) -> QuerySet[Cover]:
    """Return the covers an officer gives or takes, not yet past their end; supervisors see every officer's."""
    if not permissions.can_work_cases(user):
        return Cover.objects.none()
    covers = Cover.objects.filter(ended_at__isnull=True, ends_on__gte=timezone.localdate())
    if not permissions.can_supervise(user):
        covers = covers.filter(Q(officer=user) | Q(colleague=user))
    return covers.select_related("officer", "colleague").order_by("starts_on", "pk")


def visible_case_documents(user) -> QuerySet[CaseDocument]:
    """Return the documents this user may list and download: those of the cases they may open in full.

    Providers and panel members see none (they never open a case in full).
    """
    return CaseDocument.objects.filter(case__in=visible_openable_cases(user).values("pk")).select_related(
        "case", "uploaded_by"
    )


def active_break_glass(user) -> QuerySet[BreakGlass]:
    """Return this user's break-glass grants that have not yet expired."""
    return BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())


def break_glass_grant(user, case) -> BreakGlass | None:
    """Return the user's unexpired break-glass grant for this case, if they hold one (the latest)."""
    return active_break_glass(user).filter(case=case).order_by("-expires_at").first()


def break_glass_details(user, case: Case | None) -> dict:
    """Return what the audit event of a read names of the grant or cover it rests on: nothing for one's own caseload.

    Every page opened under a grant names it (`break_glass_id`) and carries the reason chosen (never the officer's
    words); under cover it names the cover and the officer covered (`cover_id`, `as_cover_for`). So the access
    history says why on the row itself.
    """
    if case is None or not permissions.can_work_cases(user):
        return {}
    if permissions.can_open(user, case, covering=set()):
        return {}  # in the caseload without any cover: nothing to name
    cover = cover_in_force(user, case)
    if cover is not None:
        return {"cover_id": cover.pk, "as_cover_for": cover.officer_id, "reason": "As cover for a colleague"}
    grant = break_glass_grant(user, case)
    return grant_details(grant) if grant is not None else {}


def grant_details(grant: BreakGlass) -> dict:
    """Return what the audit event of a read under this break-glass grant names: the grant and the reason chosen."""
    return {"break_glass_id": grant.pk, "reason": f"Break-glass: {grant.get_reason_code_display()}"}


def break_glass_list_details(user, cases) -> dict:
    """Return what a list page's one event names of the grants and covers its rows rest on."""
    if not permissions.can_work_cases(user):
        return {}
    covers = dict(Cover.objects.in_force().filter(colleague=user).values_list("pk", "officer_id"))
    covering = set(covers.values())
    cases = list(cases)
    details: dict = {}
    if any(case.assigned_to_id in covering for case in cases):
        details["cover_ids"] = sorted(covers)
    outside = {case.pk for case in cases if not permissions.can_open(user, case, covering=covering)}
    if not outside:
        return details
    latest: dict[uuid.UUID, int] = {}
    grants = active_break_glass(user).filter(case_id__in=outside).order_by("case_id", "-expires_at")
    for case_id, grant_id in grants.values_list("case_id", "pk"):
        latest.setdefault(case_id, grant_id)
    return {**details, "break_glass_ids": sorted(latest.values())} if latest else details


def visible_break_glass(user) -> QuerySet[BreakGlass]:
    """Return every break-glass access, for those who review them (supervisors); nobody else sees any."""
    if not permissions.can_review_break_glass(user):
        return BreakGlass.objects.none()
    return BreakGlass.objects.select_related("user", "case", "reviewed_by")


def break_glass_to_review(user) -> QuerySet[BreakGlass]:
    """Return the break-glass accesses awaiting a supervisor's review, oldest first."""
    return visible_break_glass(user).filter(reviewed_at__isnull=True).order_by("granted_at", "id")


def break_glass_reviewed(user) -> QuerySet[BreakGlass]:
    """Return the break-glass accesses already reviewed, most recently reviewed first."""
    return visible_break_glass(user).filter(reviewed_at__isnull=False).order_by("-reviewed_at", "-id")


def overdue(case: Case, today: date) -> bool:
    return case.status in (Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT) and (
        case.assessment_due < today
    )


def visible_provided_cases(user) -> QuerySet[Case]:
    """Return the cases shared with this provider by an unrevoked grant (a join, not guardian's generic scan).

    A restricted case is not shown: it is kept but not used, and opens only to supervisors.
    """
    if not permissions.is_provider(user):
        return Case.objects.none()
    return (
        Case.objects.filter(grants__provider=user, grants__revoked_at__isnull=True, restricted_at__isnull=True)
        .exclude(status__in=[Case.Status.MERGED, Case.Status.CLOSED])
        .distinct()
    )


# The part of the referral's answers each section of a grant shares with a provider.
SECTION_ANSWERS = {"concerns": "concerns", "needs": "needs", "contact": "contact-details"}
# What a provider is shown of each answer section granted: these questions only (never, say, the NHS number).
SHARED_QUESTIONS = {
    "concerns": ("concerns",),
    "needs": ("needs", "needs_details"),
    "contact": ("address", "postcode", "phone"),
}


@dataclass(frozen=True)
class ProviderShare:
    """What one provider may see of one case: the sections granted, and only those sections' content."""

    sections: list[str]
    plan: SupportPlan | None = None
    concerns: dict | None = None
    needs: dict | None = None
    contact: dict | None = None
    # The granted answer sections as the provider reads them: (title, rows of question and labelled answer).
    shown: list[tuple[str, list[dict]]] = field(default_factory=list)


def provider_share(user, case: Case, answers: dict) -> ProviderShare:
    """Return what this provider may see of the case: the sections of their unrevoked grants, nothing else.

    `answers` are the referral's answers as the police hold them now (`rights.selectors.police_answers`): a
    correction supersedes the referrer's answer. A grant ended, or a case restricted, shares nothing.
    """
    if not permissions.is_provider(user) or permissions.is_restricted(case):
        return ProviderShare(sections=[])
    grants = case.grants.filter(provider=user, revoked_at__isnull=True)
    sections = sorted({section for grant in grants for section in grant.sections})
    shared = {name: answers.get(key, {}) for name, key in SECTION_ANSWERS.items() if name in sections}
    plan = getattr(case, "support_plan", None) if "support_plan" in sections else None
    titles = dict(ProviderGrant.Section.choices)
    shown = [
        (titles[name], summary(BY_SLUG[SECTION_ANSWERS[name]], shared[name], only=SHARED_QUESTIONS[name]))
        for name in SECTION_ANSWERS
        if name in shared and shared[name]
    ]
    return ProviderShare(sections=sections, plan=plan, shown=shown, **shared)


@dataclass(frozen=True)
class NextAction:
    """What the case waits for next, and by when (None when nothing is due by a date)."""

    text: str
    due: date | None = None


def next_action(case: Case) -> NextAction:
    """Say what happens next on the case, from its status and its dates (the top of the case page)."""
    S = Case.Status
    if case.status in (S.NEW, S.GATHERING, S.ASSESSMENT):
        text: str = {
            S.NEW: "Triage: take or assign the case" if case.assigned_to_id is None else "Start gathering information",
            S.GATHERING: "Gather information, then assess",
            S.ASSESSMENT: "Record the assessment and decision",
        }[S(case.status)]
        return NextAction(text, case.assessment_due)
    if case.status == S.AWAITING_SIGN_OFF:
        return NextAction("A supervisor signs off the decision")
    if case.status == S.CHANNEL:
        return NextAction("List the case for a Channel panel meeting")
    if case.status == S.SUPPORT:
        return NextAction("Support, then propose closure")
    if case.status == S.CLOSURE_PENDING:
        return NextAction("A supervisor signs off closure")
    if case.status == S.CLOSED and case.review_due is not None:
        return NextAction("Review after closure", case.review_due)
    return NextAction("Nothing due")


@dataclass(frozen=True)
class CaseFile:
    """What one case file holds: every section for a police purpose; for the Channel panel, only what it may see.

    The panel's version (`panel`) leaves out what only the police see today: the chronology (its lines name
    checks and their results), checks and deconfliction, assessments, decisions other than the referral to
    Channel and every sign-off note, providers' access, the reviews after closure and the officers' documents.
    """

    panel: bool
    referrals: list = field(default_factory=list)
    events: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    agenda: list = field(default_factory=list)
    support_plan: SupportPlan | None = None
    consents: list = field(default_factory=list)
    grants: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    @property
    def police_only(self) -> bool:
        return not self.panel


def case_file(user, case: Case, *, purpose: str) -> CaseFile:
    """Return what this user's case file of the case holds for the purpose: nothing if they may not download it."""
    if not permissions.can_download_case_file(user, case):
        return CaseFile(panel=True)
    shared = CaseFile(
        panel=purpose in PANEL_PURPOSES,
        referrals=list(case.referrals.select_related("organisation").order_by("submitted_at", "pk")),
        agenda=list(
            case.agenda_items.select_related("meeting").prefetch_related("actions").order_by("meeting__meets_on", "pk")
        ),
        support_plan=getattr(case, "support_plan", None),
        consents=list(case.consents.order_by("recorded_at", "pk")),
    )
    if shared.panel:
        # What a panel member reads on the agenda: the summary written for the panel, its minutes and actions;
        # never the decision's rationale (police-only).
        return shared
    return replace(
        shared,
        events=list(case.events.select_related("by").order_by("at", "pk")),
        checks=list(case.checks.select_related("checked_by").order_by("checked_at", "pk")),
        assessments=list(case.assessments.select_related("assessed_by", "template").order_by("assessed_at", "pk")),
        decisions=list(case.decisions.select_related("decided_by", "signed_off_by").order_by("decided_at", "pk")),
        grants=list(case.grants.select_related("provider", "provider__organisation").order_by("granted_at")),
        reviews=list(case.reviews.select_related("done_by")),
        documents=list(case.documents.select_related("uploaded_by").order_by("uploaded_at", "pk")),
    )

"""What is waiting for each role on the home page: counts with a link to the filtered list.

Each count is one query (several counts of one table share it), so the page runs a fixed number of queries
whatever the caseload; counts name no record, so only the panel's meetings (named) are audited, as a list.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from accounts.models import User
from cases import permissions as case_permissions
from cases import selectors as case_selectors
from cases.models import Case, Decision, PanelMeeting, ProgressNote
from front_door import selectors as contact_selectors
from notifications.models import Notification
from notifications.selectors import unread_count
from oversight.selectors import alerts_to_show
from referrals import permissions as referral_permissions
from referrals import selectors as referral_selectors
from referrals.models import ReferralLink
from retention import permissions as retention_permissions
from retention import selectors as retention_selectors
from subject_access import selectors as subject_access_selectors
from subject_access.models import SubjectAccessRequest
from subject_access.permissions import can_handle_subject_access

S = Case.Status
WORKING = [S.NEW, S.GATHERING, S.ASSESSMENT]
# A provider is asked for progress at least this often.
UPDATE_EVERY = timedelta(days=14)
# Subject access requests due within this many days are shown beside the overdue ones.
DUE_SOON = timedelta(days=7)


@dataclass(frozen=True)
class Waiting:
    """One thing waiting: how many, what they are (already in the plural that fits), and the list of them."""

    count: int
    text: str
    href: str
    urgent: bool = False


@dataclass(frozen=True)
class Group:
    title: str
    items: list[Waiting]


def _queue(**filters) -> str:
    return f"{reverse('cases:queue')}?{urlencode(filters)}"


def _item(count: int, singular: str, plural: str, href: str, *, urgent: bool = False) -> Waiting:
    return Waiting(count, ngettext(singular, plural, count), href, urgent and count > 0)


def officer_work(user: User) -> Group:
    """New referrals to triage, my assessments due and overdue, repeat links to decide, my reviews due."""
    today = timezone.localdate()
    mine = Q(assigned_to=user, status__in=WORKING)
    # Only rows some count can match: the working statuses and the reviews due (indexed), never the whole table.
    rows = Q(status__in=WORKING) | Q(status=S.CLOSED, review_due__lte=today)
    counts = Case.objects.filter(rows, restricted_at__isnull=True).aggregate(
        new=Count("pk", filter=Q(status=S.NEW, assigned_to__isnull=True)),
        due=Count("pk", filter=mine & Q(assessment_due__gte=today)),
        overdue=Count("pk", filter=mine & Q(assessment_due__lt=today)),
        reviews=Count("pk", filter=Q(assigned_to=user, status=S.CLOSED, review_due__lte=today)),
    )
    repeats = ReferralLink.objects.filter(
        status=ReferralLink.Status.SUGGESTED,
        referral__in=referral_selectors.visible_received_referrals(user).values("pk"),
    ).count()
    return Group(
        "Your cases",
        [
            _item(
                counts["new"],
                "new referral to triage",
                "new referrals to triage",
                _queue(status=S.NEW, assigned="none"),
            ),
            _item(counts["due"], "assessment due", "assessments due", _queue(assigned="me")),
            _item(
                counts["overdue"],
                "assessment overdue",
                "assessments overdue",
                _queue(assigned="me", overdue="on"),
                urgent=True,
            ),
            _item(
                repeats,
                "possible repeat referral to decide",
                "possible repeat referrals to decide",
                reverse("referrals:received"),
            ),
            _item(counts["reviews"], "review after closure due", "reviews after closure due", _queue(assigned="me")),
            _item(
                contact_selectors.waiting_count(user),
                "contact from the public waiting",
                "contacts from the public waiting",
                reverse("public:contacts"),
            ),
        ],
    )


def supervisor_work(user: User) -> Group:
    """Sign-offs waiting for me (never my own), break-glass and alert reviews, retention and subject access."""
    today = timezone.localdate()
    own_decision = Decision.objects.filter(case=OuterRef("pk"), state=Decision.State.PENDING, decided_by=user)
    counts = (
        Case.objects.filter(status__in=[S.AWAITING_SIGN_OFF, S.CLOSURE_PENDING], restricted_at__isnull=True)
        .annotate(own=Exists(own_decision))
        .aggregate(
            decisions=Count("pk", filter=Q(status=S.AWAITING_SIGN_OFF, own=False)),
            closures=Count("pk", filter=Q(status=S.CLOSURE_PENDING) & ~Q(assigned_to=user)),
        )
    )
    items = [
        _item(counts["decisions"], "decision to sign off", "decisions to sign off", _queue(status=S.AWAITING_SIGN_OFF)),
        _item(counts["closures"], "closure to sign off", "closures to sign off", _queue(status=S.CLOSURE_PENDING)),
    ]
    if case_permissions.can_review_break_glass(user):
        grants = case_selectors.break_glass_to_review(user).count()
        items.append(
            _item(
                grants,
                "break-glass access to review",
                "break-glass accesses to review",
                reverse("cases:break_glass_queue"),
            )
        )
        alerts = alerts_to_show(user).count()
        items.append(_item(alerts, "access alert to review", "access alerts to review", reverse("audit:alerts")))
    if retention_permissions.can_review_retention(user):
        reviews = retention_selectors.waiting_reviews(user).count()
        erasures = retention_selectors.erasures_to_approve(user).count()
        items += [
            _item(reviews, "retention review", "retention reviews", reverse("retention:queue")),
            _item(erasures, "erasure to approve", "erasures to approve", reverse("retention:approvals")),
        ]
    if can_handle_subject_access(user):
        requests = subject_access_selectors.visible_requests(user).exclude(status=SubjectAccessRequest.Status.RELEASED)
        due = requests.aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + DUE_SOON)),
        )
        items += [
            _item(
                due["overdue"],
                "subject access request overdue",
                "subject access requests overdue",
                reverse("subject_access:list"),
                urgent=True,
            ),
            _item(
                due["soon"],
                "subject access request due this week",
                "subject access requests due this week",
                reverse("subject_access:list"),
            ),
        ]
    return Group("Waiting for a supervisor", items)


def referrer_work(user: User) -> Group:
    """Drafts to finish, referrals with new feedback, replies to advice requests."""
    drafts = referral_selectors.own_drafts(user).count()
    K = Notification.Kind
    news = Notification.objects.filter(recipient=user, read_at__isnull=True).aggregate(
        feedback=Count("pk", filter=Q(kind=K.REFERRAL_FEEDBACK)),
        replies=Count("pk", filter=Q(kind=K.ADVICE_REPLIED)),
    )
    items = [
        _item(drafts, "draft referral to finish", "draft referrals to finish", reverse("referrals:list")),
        _item(news["feedback"], "referral with new feedback", "referrals with new feedback", reverse("referrals:list")),
    ]
    if referral_permissions.can_ask_advice(user):
        items.append(
            _item(
                news["replies"],
                "new reply to your advice requests",
                "new replies to your advice requests",
                reverse("referrals:advice_list"),
            )
        )
    return Group("Your referrals", items)


def provider_work(user: User) -> Group:
    """Cases given to me, and those where my last progress note is older than a fortnight (or missing)."""
    recent = ProgressNote.objects.filter(
        case=OuterRef("pk"), written_by=user, written_at__gte=timezone.now() - UPDATE_EVERY
    )
    counts = (
        case_selectors.visible_provided_cases(user)
        .annotate(recent=Exists(recent))
        .aggregate(cases=Count("pk", distinct=True), updates=Count("pk", filter=Q(recent=False), distinct=True))
    )
    href = reverse("cases:provided")
    return Group(
        "Cases shared with you",
        [
            _item(counts["cases"], "case shared with you", "cases shared with you", href),
            _item(counts["updates"], "progress update due", "progress updates due", href),
        ],
    )


def panel_meetings(user: User, *, limit: int = 3) -> list[PanelMeeting]:
    """The panel member's next meetings (today or later), soonest first, with how many cases each lists."""
    return list(
        user.panel_meetings.filter(meets_on__gte=timezone.localdate())
        .annotate(cases=Count("items", filter=Q(items__case__restricted_at__isnull=True)))
        .order_by("meets_on", "pk")[:limit]
    )


def waiting_for(user: User) -> list[Group]:
    """Every group of work this user's roles have, in the order the roles matter to them."""
    groups = []
    if case_permissions.can_supervise(user):
        groups.append(supervisor_work(user))
    if case_permissions.can_work_cases(user):
        groups.append(officer_work(user))
    if referral_permissions.can_submit_referrals(user):
        groups.append(referrer_work(user))
    if case_permissions.is_provider(user):
        groups.append(provider_work(user))
    return groups


def unread_notices(user: User) -> Waiting:
    """The user's unread notices, from the count the header already holds (no query when it is cached)."""
    return _item(unread_count(user), "unread notification", "unread notifications", reverse("notifications:list"))

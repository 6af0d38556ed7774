"""Every report's figures: aggregate queries only, a fixed number per page whatever the data size.

Reports count codes (status, sector, type of concern, age band, gender, outcome) and never read a
referral's answers. Restricted records (a data subject's right to restriction: "kept but not used")
are left out of every figure. A referral is counted in the period it was submitted, with where its case
stands now (discussed at Channel, adopted, the outcome): the published statistics count referrals so.
"""

from datetime import date, timedelta

from django.db.models import Case as ExpressionCase
from django.db.models import Count, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.db.models.lookups import IsNull, LessThan, LessThanOrEqual
from django.utils import timezone

from cases.models import IN_QUEUE, OPEN_STATUSES, AgendaItem, Case, Consent, Decision
from referrals.models import ConcernType, Referral, ReferralLink
from reports.aggregates import DurationSeconds, Percentile
from reports.forms import Period
from reports.models import PartnerArea

AWAITING_ASSESSMENT = [Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT]
DISCUSSED = [AgendaItem.Decision.ADOPTED, AgendaItem.Decision.NOT_ADOPTED]
DAY = 86400.0


def areas() -> list[tuple[int, str]]:
    """Return the partner areas to filter by, as (id, name)."""
    return list(PartnerArea.objects.values_list("pk", "name"))


def referrals(area_id: int | None = None) -> QuerySet[Referral]:
    """Return the submitted, unrestricted referrals, from organisations in the area if one is given."""
    found = Referral.objects.filter(submitted_at__isnull=False, restricted_at__isnull=True)
    if area_id is not None:
        found = found.filter(organisation__partner_areas=area_id)
    return found.order_by()


def cases(area_id: int | None = None, *, referred_in: Period | None = None) -> QuerySet[Case]:
    """Return the live (unmerged), unrestricted cases, with a referral from the area if one is given
    (submitted in `referred_in`, when the caller counts cases received in that period: a smaller lookup)."""
    found = Case.objects.exclude(status=Case.Status.MERGED).filter(restricted_at__isnull=True)
    if area_id is not None:
        from_area = Referral.objects.filter(organisation__partner_areas=area_id)
        if referred_in is not None:
            from_area = from_area.filter(_in(referred_in))
        found = found.filter(pk__in=from_area.values("case_id"))
    return found.order_by()


def _in(period: Period, field: str = "submitted_at") -> Q:
    return Q(**{f"{field}__gte": period.since, f"{field}__lt": period.before})


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / DAY


# --- team dashboard ---------------------------------------------------------------------------------


def open_work(area_id: int | None, today: date) -> dict:
    """Return live work by status, unassigned, and overdue assessments and reviews (one query)."""
    overdue = Q(status__in=AWAITING_ASSESSMENT, assessment_due__lt=today)
    # Only the queue's rows count here: IN_QUEUE lets PostgreSQL read the queue's small partial index.
    return (
        cases(area_id)
        .filter(IN_QUEUE)
        .aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in OPEN_STATUSES},
            unassigned=Count("pk", filter=Q(status__in=OPEN_STATUSES, assigned_to__isnull=True)),
            overdue_assessments=Count("pk", filter=overdue),
            overdue_reviews=Count("pk", filter=Q(review_due__lt=today)),
        )
    )


def workload(area_id: int | None, today: date) -> list[dict]:
    """Return each officer's open cases, overdue assessments and overdue reviews (one query)."""
    return list(
        cases(area_id)
        .filter(IN_QUEUE)
        .filter(Q(status__in=OPEN_STATUSES) | Q(review_due__lt=today), assigned_to__isnull=False)
        .values("assigned_to", name=F("assigned_to__full_name"))
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue_assessments=Count("pk", filter=Q(status__in=AWAITING_ASSESSMENT, assessment_due__lt=today)),
            overdue_reviews=Count("pk", filter=Q(review_due__lt=today)),
        )
        .order_by("name", "assigned_to")
    )


def weekly_referrals(period: Period, area_id: int | None) -> list[tuple[date, int]]:
    """Return (Monday, referrals received) for every week the period touches, empty weeks included."""
    counted = {
        timezone.localdate(row["week"]) if hasattr(row["week"], "hour") else row["week"]: row["n"]
        for row in referrals(area_id)
        .filter(_in(period))
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(n=Count("pk"))
    }
    monday = period.start - timedelta(days=period.start.weekday())
    weeks = []
    while monday <= period.end:
        weeks.append((monday, counted.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def timeliness(period: Period, area_id: int | None, today: date) -> dict:
    """Return, for cases received in the period, days to assessment and to outcome (median, 90th percentile)
    and the share assessed within target (one query: each case's times grouped by joins, then aggregated)."""
    assessed_at = Min("assessments__assessed_at")
    outcome_at = Min(
        Coalesce("decisions__signed_off_at", "decisions__decided_at"), filter=Q(decisions__state=Decision.State.STANDS)
    )
    one = Value(1)
    timed = (
        cases(area_id, referred_in=period)
        .filter(_in(period, "received_at"))
        .values("pk")
        .annotate(
            to_assessment=DurationSeconds(assessed_at, Min("received_at")),
            to_outcome=DurationSeconds(outcome_at, Min("received_at")),
            is_on_time=ExpressionCase(
                When(LessThanOrEqual(TruncDate(assessed_at), Min("assessment_due")), then=one), default=None
            ),
            is_due=ExpressionCase(
                When(Q(IsNull(assessed_at, False)) | Q(LessThan(Min("assessment_due"), today)), then=one),
                default=None,
            ),
        )
    )
    figures = timed.aggregate(
        received=Count("pk"),
        assessed=Count("to_assessment"),
        decided=Count("to_outcome"),
        assessment_p50=Percentile("to_assessment", 0.5),
        assessment_p90=Percentile("to_assessment", 0.9),
        outcome_p50=Percentile("to_outcome", 0.5),
        outcome_p90=Percentile("to_outcome", 0.9),
        within_target=Count("is_on_time"),
        due=Count("is_due"),
    )
    for key in ("assessment_p50", "assessment_p90", "outcome_p50", "outcome_p90"):
        figures[key] = _days(figures[key])
    figures["within_target_share"] = figures["within_target"] / figures["due"] if figures["due"] else None
    return figures


# --- management view and statistics return ----------------------------------------------------------------


def concern_labels(period: Period) -> list[tuple[str, str]]:
    """Return (code, label) of the type-of-concern codes, each under the name in force for the period.

    A code in force during the period takes the label of its latest version that began by the period's end;
    a code no longer in force keeps its last label, so referrals made under it are still counted by name.
    """
    rows = list(
        ConcernType.objects.order_by("order", "code", "valid_from").values_list(
            "code", "label", "valid_from", "valid_to"
        )
    )
    labels, in_force = {}, []
    for code, label, valid_from, valid_to in rows:
        live = valid_from <= period.end and (valid_to is None or valid_to >= period.start)
        if live:
            in_force += [] if code in in_force else [code]
            labels[code] = label
        elif code not in in_force:
            labels[code] = label
    others = [code for code in labels if code not in in_force]
    return [(code, labels[code]) for code in in_force + others]


def discussed() -> Q:
    """Referrals whose case a Channel panel has decided on (adopted or not).

    An uncorrelated IN, not EXISTS: PostgreSQL hashes the few panel decisions once instead of probing per row.
    """
    return Q(case_id__in=AgendaItem.objects.filter(decision__in=DISCUSSED).values("case_id"))


def adopted() -> Q:
    """Referrals whose case a Channel panel adopted."""
    return Q(case_id__in=AgendaItem.objects.filter(decision=AgendaItem.Decision.ADOPTED).values("case_id"))


def repeat() -> Q:
    """Referrals an officer confirmed as about someone referred before."""
    return Q(pk__in=ReferralLink.objects.filter(status=ReferralLink.Status.CONFIRMED).values("referral_id"))


# The dimensions counted: name -> the referral's field holding its code.
DIMENSIONS = {
    "sector": "organisation__sector",
    "concern": "concern_type__code",
    "assessed_concern": "case__assessed_concern_type__code",
    "age_band": "age_band",
    "gender": "gender",
    "outcome": "case__outcome",
}


def counts_by(dimensions: list[str], found: QuerySet[Referral], **columns: Q) -> dict[str, dict[str, dict]]:
    """Return {dimension: {code: {column: count}}}, each column a condition, from ONE grouped query.

    The database groups by every dimension at once (one scan of the referrals, not one per dimension); the
    few hundred groups it returns are then added up per dimension.
    """
    groups = found.values(**{f"by_{name}": F(DIMENSIONS[name]) for name in dimensions}).annotate(
        **{name: Count("pk", filter=condition) for name, condition in columns.items()}
    )
    counted: dict[str, dict[str, dict]] = {name: {} for name in dimensions}
    for group in groups:
        for name in dimensions:
            row = counted[name].setdefault(group[f"by_{name}"] or "", dict.fromkeys(columns, 0))
            for column in columns:
                row[column] += group[column]
    return counted


def comparison(period: Period, area_id: int | None) -> dict:
    """Return the management view's figures for the period and the one before it (two queries)."""
    previous = period.previous()
    found = referrals(area_id).filter(submitted_at__gte=previous.since, submitted_at__lt=period.before)
    now, before = _in(period), _in(previous)
    stages = {"referrals": Q(), "discussed": discussed(), "adopted": adopted(), "repeat": repeat()}
    columns = {f"{stage}_{when}": condition & period_condition for stage, condition in stages.items()
               for when, period_condition in (("current", now), ("previous", before))}  # fmt: skip
    counted = counts_by(["sector", "concern", "assessed_concern", "age_band", "gender"], found, **columns)
    figures = {
        name: {
            code: {"current": row["referrals_current"], "previous": row["referrals_previous"]}
            for code, row in by_code.items()
            if row["referrals_current"] or row["referrals_previous"]
        }
        for name, by_code in counted.items()
    }
    figures["funnel"] = {column: sum(row[column] for row in counted["sector"].values()) for column in columns}
    consents = Consent.objects.filter(case__in=cases(area_id).values("pk"))
    figures["consent"] = {
        row["state"]: row
        for row in consents.filter(recorded_at__gte=previous.since, recorded_at__lt=period.before)
        .values("state")
        .annotate(
            current=Count("pk", filter=_in(period, "recorded_at")),
            previous=Count("pk", filter=_in(previous, "recorded_at")),
        )
        .order_by()
    }
    return figures


def statistics_return(period: Period, area_id: int | None) -> dict:
    """Return the counts of the national return for the period: referrals, discussed at Channel, adopted,
    by sector, type of concern, age band and gender; referrals by outcome (two queries)."""
    found = referrals(area_id).filter(_in(period))
    columns = {"referrals": Q(), "discussed": discussed(), "adopted": adopted()}
    figures = counts_by(["sector", "concern", "age_band", "gender"], found, **columns)
    figures.update(counts_by(["outcome"], found, referrals=Q()))
    return figures


# --- partners ---------------------------------------------------------------------------------------------


def organisation_counts(user, period: Period) -> dict:
    """Return counts of the user's own organisation's referrals, this period and the one before (two queries).

    Only what the partner already sees of each referral: its limited status and their own type of concern.
    """
    previous = period.previous()
    found = referrals().filter(
        organisation_id=user.organisation_id, submitted_at__gte=previous.since, submitted_at__lt=period.before
    )
    split = {"current": _in(period), "previous": _in(previous)}
    by_status = {
        row.pop("status"): row
        for row in found.values("status").annotate(**{k: Count("pk", filter=q) for k, q in split.items()})
    }
    by_concern = {
        (row.pop("code") or ""): row
        for row in found.values(code=F("concern_type__code")).annotate(
            **{k: Count("pk", filter=q) for k, q in split.items()}
        )
    }
    return {"status": by_status, "concern": by_concern}

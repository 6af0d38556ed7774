"""Each dashboard's figures, tables and charts, ready for its template (a fixed number of queries each)."""

from datetime import date

from cases.models import OPEN_STATUSES, Case
from referrals.models import Referral
from reports import selectors, tables
from reports.charts import Series, bar_chart, line_chart
from reports.forms import Period

CURRENT, PREVIOUS = "This period", "Previous period"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "none"


def team(period: Period, area_id: int | None, today: date) -> dict:
    """The team dashboard: four queries."""
    work = selectors.open_work(area_id, today)
    statuses = [(Case.Status(status).label, work[status]) for status in OPEN_STATUSES]
    weeks = selectors.weekly_referrals(period, area_id)
    timing = selectors.timeliness(period, area_id, today)
    return {
        "work": work,
        "statuses": statuses,
        "open_total": sum(count for _, count in statuses),
        "status_chart": bar_chart(
            "chart-status",
            "Open cases by status",
            [label for label, _ in statuses],
            [Series("Cases", [n for _, n in statuses])],
        ),
        "workload": selectors.workload(area_id, today),
        "weeks": [(f"{monday:%-d %b %Y}", count) for monday, count in weeks],
        "weekly_chart": line_chart(
            "chart-weekly",
            "Referrals received per week",
            [(f"{monday:%-d %b %Y}", count) for monday, count in weeks],
            "Referrals received",
        ),
        "timing": timing,
        "within_target": _share(timing["within_target"], timing["due"]),
    }


def _comparison(key: str, counts: dict, period: Period, concern_types=None) -> dict:
    table = tables.comparison_table(key, counts, period, concern_types)
    chart = bar_chart(
        f"chart-{key}",
        f"Referrals by {table.title[0].lower()}{table.title[1:]}",
        [label for label, _ in table.rows],
        [
            Series(CURRENT, [values[0] for _, values in table.rows]),
            Series(PREVIOUS, [values[1] for _, values in table.rows]),
        ],
    )
    return {"table": table, "chart": chart}


def management(period: Period, area_id: int | None) -> dict:
    """The management view: six queries."""
    figures = selectors.comparison(period, area_id)
    concern_types = selectors.concern_labels(period)
    funnel = figures["funnel"]
    stages = [
        ("Referrals", "referrals"),
        ("Discussed at a Channel panel", "discussed"),
        ("Adopted as a Channel case", "adopted"),
    ]
    funnel_rows = [(label, funnel[f"{key}_current"], funnel[f"{key}_previous"]) for label, key in stages]
    consent = figures["consent"]
    consent_rows = [
        (label, consent.get(state, {}).get("current", 0), consent.get(state, {}).get("previous", 0))
        for state, label in (("given", "Given"), ("refused", "Refused"), ("withdrawn", "Withdrawn"))
    ]
    return {
        "previous": period.previous(),
        "dimensions": [
            _comparison(key, figures[key], period, concern_types)
            for key in ("sector", "concern", "assessed_concern", "age_band", "gender")
        ],
        "funnel_rows": funnel_rows,
        "funnel_chart": bar_chart(
            "chart-funnel",
            "Referrals, discussed at Channel, adopted",
            [label for label, _, _ in funnel_rows],
            [Series(CURRENT, [row[1] for row in funnel_rows]), Series(PREVIOUS, [row[2] for row in funnel_rows])],
        ),
        "repeat": {
            "current": funnel["repeat_current"],
            "previous": funnel["repeat_previous"],
            "current_share": _share(funnel["repeat_current"], funnel["referrals_current"]),
            "previous_share": _share(funnel["repeat_previous"], funnel["referrals_previous"]),
        },
        "consent_rows": consent_rows,
    }


def organisation(user, period: Period) -> dict:
    """A partner's own counts: three queries."""
    figures = selectors.organisation_counts(user, period)
    statuses = [(label, code) for code, label in Referral.Status.choices if code != Referral.Status.DRAFT]
    status_rows = [
        (label, figures["status"].get(code, {}).get("current", 0), figures["status"].get(code, {}).get("previous", 0))
        for label, code in statuses
    ]
    concern = tables.comparison_table("concern", figures["concern"], period)
    return {
        "previous": period.previous(),
        "organisation": user.organisation,
        "status_rows": status_rows,
        "status_chart": bar_chart(
            "chart-status",
            "Your organisation's referrals by status",
            [row[0] for row in status_rows],
            [Series(CURRENT, [row[1] for row in status_rows]), Series(PREVIOUS, [row[2] for row in status_rows])],
        ),
        "concern": concern,
        "total_current": sum(row[1] for row in status_rows),
        "total_previous": sum(row[2] for row in status_rows),
    }

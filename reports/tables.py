"""Figures into labelled tables: the management view's comparisons and the statistics return (suppressed)."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings

from accounts.models import Organisation
from cases.models import Outcome
from referrals.facts import AGE_BAND_LABELS, GENDER_LABELS, NOT_KNOWN
from reports import suppression
from reports.forms import Period
from reports.selectors import concern_labels

NOT_GIVEN = "Not given (the referrer was not sure)"
NOT_ASSESSED = "Not assessed yet"
NOT_DECIDED = "No outcome yet"
TITLES = {
    "sector": "Sector of the referrer",
    "concern": "Type of concern (the referrer's view)",
    "assessed_concern": "Type of concern (assessed by the officer)",
    "age_band": "Age band",
    "gender": "Gender",
    "outcome": "Outcome",
}
RETURN_COLUMNS = [
    ("referrals", "Referrals"),
    ("discussed", "Discussed at a Channel panel"),
    ("adopted", "Adopted as a Channel case"),
]


def categories(dimension: str, period: Period, concern_types=None) -> list[tuple[str, str]]:
    """Return (code, label) for every category of a dimension, in the published order, each always shown.

    `concern_types`: the period's code list when the caller has read it already (a page labels two tables by it).
    """
    if dimension in ("concern", "assessed_concern") and concern_types is None:
        concern_types = concern_labels(period)
    if dimension == "sector":
        return list(Organisation.Sector.choices)
    if dimension == "concern":
        return [*concern_types, ("", NOT_GIVEN)]
    if dimension == "assessed_concern":
        return [*concern_types, ("", NOT_ASSESSED)]
    if dimension == "age_band":
        return list(AGE_BAND_LABELS.items())
    if dimension == "gender":
        return list(GENDER_LABELS.items())
    return [*Outcome.choices, ("", NOT_DECIDED)]


def _merged(dimension: str, counts: dict[str, dict]) -> dict[str, dict]:
    """Count blanks and unknown codes under "Not known" (age band, gender), so every referral is in one row."""
    if dimension not in ("age_band", "gender"):
        return counts
    known = AGE_BAND_LABELS if dimension == "age_band" else GENDER_LABELS
    merged: dict[str, dict] = {}
    for code, row in counts.items():
        target = merged.setdefault(code if code in known else NOT_KNOWN, dict.fromkeys(row, 0))
        for column, value in row.items():
            target[column] = target.get(column, 0) + value
    return merged


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[tuple[str, list]]
    total: list


def table(
    dimension: str, counts: dict[str, dict], columns: list[tuple[str, str]], period: Period, concern_types=None
) -> Table:
    """Return one dimension's counts as rows of every category, with a total row."""
    counts = _merged(dimension, counts)
    rows = [
        (label, [counts.get(code, {}).get(column, 0) for column, _ in columns])
        for code, label in categories(dimension, period, concern_types)
    ]
    total = [sum(values[index] for _, values in rows) for index in range(len(columns))]
    return Table(dimension, TITLES[dimension], columns, rows, total)


def suppressed(one: Table, threshold: int | None = None) -> Table:
    """Return the table with small counts hidden ("*"), primary and secondary, down each column and its total."""
    threshold = settings.REPORTS_SUPPRESSION_THRESHOLD if threshold is None else threshold
    matrix = [values for _, values in one.rows] + [one.total]
    hidden = suppression.suppress(
        matrix, threshold=threshold, lines=suppression.column_lines(len(matrix), len(one.columns))
    )
    rows = [(label, hidden[index]) for index, (label, _) in enumerate(one.rows)]
    return Table(one.key, one.title, one.columns, rows, hidden[-1])


def statistics_return(figures: dict, period: Period) -> list[Table]:
    """Return the national return's tables, suppressed."""
    tables = [table(key, figures[key], RETURN_COLUMNS, period) for key in ("sector", "concern", "age_band", "gender")]
    tables.append(table("outcome", figures["outcome"], RETURN_COLUMNS[:1], period))
    return [suppressed(one) for one in tables]


def as_csv(tables: list[Table], period: Period, area_name: str) -> str:
    """Return the return as CSV: one line per category of each table, "*" where a count is hidden."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Period", str(period)])
    writer.writerow(["Partner area", area_name])
    writer.writerow(["Counts from 1 to", settings.REPORTS_SUPPRESSION_THRESHOLD - 1, "are shown as *"])
    writer.writerow([])
    writer.writerow(["Table", "Category", *[label for _, label in RETURN_COLUMNS]])
    for one in tables:
        for label, values in [*one.rows, ("Total", one.total)]:
            writer.writerow([one.title, label, *values])
    return out.getvalue()


def comparison_table(dimension: str, counts: dict[str, dict], period: Period, concern_types=None) -> Table:
    """Return this period's and the previous period's counts by category, for the management view."""
    columns = [("current", "This period"), ("previous", "Previous period")]
    return table(dimension, counts, columns, period, concern_types)

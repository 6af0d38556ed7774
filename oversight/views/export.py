"""Export of an audit search to CSV (for a spreadsheet) or JSON lines (for a SIEM), streamed.

Exports are POST with a CSRF token (the person's terms may be among the filters), audited before the
first byte is sent, and streamed from a server-side cursor (`iterator(chunk_size=...)`), so memory stays
flat whatever the size. They hold at most EXPORT_LIMIT (100,000) events, newest first: a sync gunicorn worker is
stopped after 30 s, so a bigger export would be cut off part-way without saying so. Larger pulls (a SIEM
feed) take one date range at a time; the `X-Export-Truncated` header says when the limit was reached.
"""

import csv
import json

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import limits
from accounts.access import allow_if
from audit.permissions import can_review_audit
from audit.services import record
from cases.models import Case
from oversight import selectors
from oversight.forms import FilterForm, PersonForm
from oversight.views.search import audit_details, person_form, search_criteria, search_page_context

EXPORT_LIMIT = selectors.EXPORT_LIMIT
CHUNK = 2000
COLUMNS = [
    ("id", "id"),
    ("seq", "seq"),
    ("occurred_at", "occurred_at"),
    ("user_id", "actor_id"),
    ("user_name", "actor__full_name"),
    ("user_email", "actor__email"),
    ("user_roles", "actor_roles"),
    ("user_organisation_id", "actor_organisation_id"),
    ("action", "action"),
    ("record_type", "target_type"),
    ("record_id", "target_id"),
    ("case_id", "case_id"),
    ("case_reference", "case_reference"),
    ("ip_address", "ip_address"),
    ("request_id", "request_id"),
    ("reason", "reason"),
    ("details", "details"),
    ("hash", "hash"),
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_rows(queryset: QuerySet) -> QuerySet:
    """The export's rows: plain values, each with its case reference, newest first, at most EXPORT_LIMIT."""
    reference = Case.objects.filter(pk=OuterRef("case_id")).values("reference")[:1]
    rows = queryset.annotate(case_reference=Subquery(reference)).order_by("-occurred_at", "-id")
    return rows.values_list(*[field for _, field in COLUMNS])[:EXPORT_LIMIT]


def is_truncated(queryset: QuerySet) -> bool:
    """Are there more events than an export holds? (One query: the row just past the limit.)"""
    beyond = queryset.order_by("-occurred_at", "-id").values_list("pk", flat=True)[EXPORT_LIMIT : EXPORT_LIMIT + 1]
    return bool(list(beyond))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_cell(value) -> str:
    """A cell as text, with a leading ' where a spreadsheet would otherwise run it as a formula."""
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def json_lines(rows):
    names = [name for name, _ in COLUMNS]
    for row in rows:
        values = {
            name: (value if isinstance(value, dict | list | int) else _text(value) or None)
            for name, value in zip(names, row, strict=True)
        }
        yield json.dumps(values, sort_keys=True, separators=(",", ":")) + "\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "jsonl": ("application/x-ndjson; charset=utf-8", json_lines),
}


def _export(request, fmt: str):
    filters = FilterForm(request.GET)
    person = person_form(request, required=False)
    valid = filters.is_valid() and (person is None or person.is_valid())
    refusal = limits.check(request, "audit_export") if valid else None
    if not valid or refusal is not None:
        # The search page again, with every filter and term kept: to correct them, or to export later.
        context = {"form": filters, "person": person or PersonForm(), "page": None, "rows": [], "rate_limited": refusal}
        response = render(request, "audit/search.html", {**context, **search_page_context(request, filters, person)})
        return limits.too_many(response, refusal)
    criteria, matched = search_criteria(filters, person)
    queryset = selectors.filtered(selectors.visible_events(request.user).order_by(), criteria)
    truncated = is_truncated(queryset)
    record(
        by=request.user,
        action="audit.exported",
        case=filters.case[0] if filters.case else None,
        format=fmt,
        limit=EXPORT_LIMIT,
        truncated=truncated,
        **audit_details(filters, person, matched),
    )
    content_type, lines = FORMATS[fmt]
    response = StreamingHttpResponse(lines(export_rows(queryset).iterator(chunk_size=CHUNK)), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    response["X-Export-Truncated"] = "true" if truncated else "false"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allow_if(can_review_audit)
@never_cache
@require_POST
def export_csv(request):
    """The current search as CSV, formula characters escaped."""
    return _export(request, "csv")


@allow_if(can_review_audit)
@never_cache
@require_POST
def export_jsonl(request):
    """The current search as JSON lines, one event per line, for a SIEM."""
    return _export(request, "jsonl")

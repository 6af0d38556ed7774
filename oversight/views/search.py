"""The supervisors' audit screens: search the trail, one case's access history, one user's activity.

None of them opens a case or shows its content: events carry ids, and a case appears by its
reference only. Each page read is itself audited.
"""

import functools

from django.apps import apps
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import limits
from accounts.access import allow_if
from accounts.models import Role, User
from audit import actions
from audit.permissions import can_review_audit
from audit.services import record
from cases.search import terms_hash
from core.forms import error_list
from oversight import selectors
from oversight.forms import FilterForm, PersonForm

PERSON_FIELDS = ("name", "dob_day", "dob_month", "dob_year")
ROLE_LABELS = dict(Role.choices)


def person_form(request, *, required: bool) -> PersonForm | None:
    """The person terms of a POST (None when none were sent and none are required)."""
    if request.method != "POST" or not (required or any(request.POST.get(name) for name in PERSON_FIELDS)):
        return None
    return PersonForm(request.POST)


def search_criteria(filters: FilterForm, person: PersonForm | None) -> tuple[dict, list | None]:
    """The selector's criteria from valid forms, and the person's cases (id, reference) if a person was asked for."""
    criteria = filters.criteria()
    matched = None
    if person is not None:
        data = person.cleaned_data
        matched = selectors.cases_of_person(data.get("name", ""), data.get("date_of_birth"))
        ids = [pk for pk, _ in matched]
        asked = criteria["case_ids"]
        criteria["case_ids"] = ids if asked is None else [pk for pk in ids if pk in asked]
    return criteria, matched


def audit_details(filters: FilterForm, person: PersonForm | None, matched: list | None) -> dict:
    """What an audit event says about a search: filter values that are not personal data, person terms hashed."""
    data = filters.cleaned_data
    values = {
        "user_id": data.get("user"),
        "case_id": str(filters.case[0]) if filters.case else None,
        "action": data.get("action") or None,
        "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
        "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
    }
    details = {"filters": {key: value for key, value in values.items() if value is not None}}
    criteria = sorted(details["filters"])
    if person is not None:
        criteria += person.criteria_names()
        details["terms_hash"] = terms_hash(person.terms())
        details["matched_case_ids"] = [str(pk) for pk, _ in matched]
    details["criteria"] = criteria
    return details


@functools.cache
def _record_type(target_type: str) -> str:
    try:
        return str(apps.get_model(target_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return target_type


def grounds(event) -> str:
    """Say why the event happened: the reason it recorded, else what its details name (a grant, cover, a share)."""
    if event.reason:
        return event.reason
    details = event.details or {}
    if details.get("break_glass_id") or details.get("break_glass_ids"):
        return "Break-glass"
    if details.get("cover_id"):
        return "As cover"
    if event.action == "case.viewed_by_provider":
        return "Support provider: the sections shared"
    return ""


def rows(events, references: dict, searched=None) -> list[dict]:
    """The events as table rows: plain text prepared once here, links to the history and activity pages.

    A list page's event names its cases in `ListedCase` rows, not in its own case column: found by a search for
    one case (`searched`), it shows that case, the one it listed.
    """
    result = []
    listed = searched[0] if searched and len(searched) == 1 else None
    for event in events:
        when = timezone.localtime(event.occurred_at)
        actor = event.actor
        case_id = event.case_id or listed
        result.append(
            {
                "when": when.strftime("%-d %b %Y %H:%M:%S"),
                "iso": when.isoformat(timespec="seconds"),  # HTML allows at most 3 digits of a second
                "user": actor.full_name if actor else "No one signed in",
                "user_url": reverse("audit:user_activity", args=[actor.pk]) if actor else "",
                "roles": ", ".join(ROLE_LABELS.get(code, code) for code in event.actor_roles.split(",") if code),
                "action": actions.label(event.action),
                "case": references.get(case_id, "Case no longer held") if case_id else "",
                "case_url": reverse("audit:case_history", args=[case_id]) if case_id else "",
                "record_type": _record_type(event.target_type) if event.target_type else "",
                "record_id": event.target_id,
                "address": event.ip_address or "",
                "reason": grounds(event),
            }
        )
    return result


def _page(request, criteria: dict, also_case=None):
    """One page of events and its rows (one query for the page's case references, and `also_case`'s)."""
    page = selectors.events_page(criteria, after=request.GET.get("after"), before=request.GET.get("before"))
    searched = criteria.get("case_ids")
    shown_cases = [event.case_id for event in page.events]
    references = selectors.case_references([also_case, *(searched or [])[:1], *shown_cases])
    return page, rows(page.events, references, searched), references


def _position(page) -> str:
    return "first" if page.first else "later"


@allow_if(can_review_audit)
@never_cache
@require_http_methods(["GET", "POST"])
def search(request):
    """Search the trail by user, case, action and dates (GET), and by the person referred (POST only)."""
    filters = FilterForm(request.GET)
    person = person_form(request, required=True)
    context = {"form": filters, "person": person or PersonForm(), "page": None, "rows": []}
    valid = filters.is_valid() and (person is None or person.is_valid())
    refusal = limits.check(request, "audit_search") if valid else None
    if valid and refusal is None:
        criteria, matched = search_criteria(filters, person)
        page, page_rows, _ = _page(request, criteria)
        details = audit_details(filters, person, matched)
        record(
            by=request.user,
            action="audit.searched",
            case=filters.case[0] if filters.case else None,
            shown=len(page.events),
            page=_position(page),
            **details,
        )
        context.update(page=page, rows=page_rows, matched=matched)
    context["rate_limited"] = refusal
    response = render(request, "audit/search.html", {**context, **search_page_context(request, filters, person)})
    return limits.too_many(response, refusal)


def search_page_context(request, filters: FilterForm, person: PersonForm | None) -> dict:
    """The parts of the search page shared by the search and a refused export: selects, errors, links."""
    params = request.GET.copy()
    for name in ("after", "before"):
        params.pop(name, None)
    person_terms = []
    if person is not None and person.is_bound:
        person_terms = [(name, request.POST.get(name, "")) for name in PERSON_FIELDS]
    return {
        "selects": filters.selects(),
        "date_from": filters["from"],
        "date_to": filters["to"],
        "date_of_birth": (person or PersonForm())["dob"],
        "errors": error_list(filters, *([person] if person is not None else [])),
        "params": params.urlencode(),
        "person_terms": person_terms,
        "export_limit": f"{selectors.EXPORT_LIMIT:,}",
    }


@allow_if(can_review_audit)
@never_cache
@require_GET
def case_history(request, pk):
    """Who saw this case, when and why: every event about it, newest first. Does not open the case."""
    page, page_rows, references = _page(request, {"case_ids": [pk]}, pk)
    reference = references.get(pk)
    if reference is None and not page.events and page.first:
        raise Http404
    record(by=request.user, action="audit.case_history_viewed", case=pk, shown=len(page.events), page=_position(page))
    context = {"reference": reference, "case_id": pk, "page": page, "rows": page_rows}
    if page.first:
        context["viewers"] = selectors.who_saw(pk)  # the per-person summary heads the first page only
    return render(request, "audit/history.html", context)


@allow_if(can_review_audit)
@never_cache
@require_GET
def user_activity(request, pk):
    """One user's activity, newest first."""
    subject = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    page, page_rows, _ = _page(request, {"actor_id": subject.pk})
    record(
        by=request.user,
        action="audit.user_activity_viewed",
        target=subject,
        shown=len(page.events),
        page=_position(page),
    )
    context = {"subject": subject, "page": page, "rows": page_rows}
    return render(request, "audit/activity.html", context)

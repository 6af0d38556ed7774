from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import limits
from accounts.access import allow_if
from audit.services import record, record_list
from cases import permissions, queue, search, selectors
from cases.models import MAX_SAVED_FILTERS
from core.notes import REASON_MAX_LENGTH


@allow_if(permissions.can_work_cases)
@never_cache
@require_GET
def case_queue(request):
    """The police triage queue: triage facts only, filtered and sorted, one keyset page at a time."""
    today = timezone.localdate()
    form = queue.QueueFilterForm(
        request.GET or None, officers=queue.officers(), concern_types=queue.concern_types(), teams=queue.teams()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    cases = queue.apply_filters(selectors.visible_cases(request.user), filters, request.user, today)
    page = queue.page_of(cases, sort=filters.get("sort") or "due", cursor=request.GET.get("after"))
    record_list(by=request.user, action="case.queue_viewed", targets=page.cases)
    rows = [queue.row(case, today) for case in page.cases]
    for row in rows:
        # What a ticked box sends: the case and the version shown, so a case changed since is refused.
        if permissions.may_hand_on(request.user, row["case"]):
            row["select"] = f"{row['case'].pk}:{row['case'].version}"
    saved = [
        {"filter": saved, "url": queue.filters_url(saved.filters)}
        for saved in selectors.visible_saved_filters(request.user)[:MAX_SAVED_FILTERS]
    ]
    context = {
        "form": form,
        "selects": form.selects(),
        "rows": rows,
        "page": page,
        "today": today,
        "selectable": any("select" in row for row in rows),
        "officers": queue.officers(),
        "reason_max": REASON_MAX_LENGTH,
        "saved_filters": saved,
        "current_filters": [(k, "on" if v is True else v) for k, v in filters.items() if v not in ("", None, False)],
    }
    return render(request, "cases/queue.html", context)


@allow_if(permissions.can_work_cases)
@never_cache
@require_http_methods(["GET", "POST"])
def person_search(request):
    """Find earlier referrals and cases about a person. Terms travel by POST (never in a URL or a log)
    and are audited as a keyed hash only."""
    form = search.SearchForm(request.POST or None)
    results = None
    refusal = limits.check(request, "person_search") if form.is_valid() else None
    if form.is_valid() and refusal is None:
        found = list(search.search(form.cleaned_data)[:100])
        # Restricted records leave the search: officers learn only how many may match, and to ask a supervisor.
        shown, restricted = search.split_restricted(found, request.user)
        openable = set(
            selectors.visible_openable_cases(request.user)
            .filter(pk__in=[r.case_id for r in shown])
            .values_list("pk", flat=True)
        )
        results = [{"referral": referral, "openable": referral.case_id in openable} for referral in shown]
        record(
            by=request.user,
            action="person.searched",
            terms_hash=search.terms_hash(form.cleaned_data),
            criteria=sorted(key for key, value in form.cleaned_data.items() if value),
            ids=[str(item["referral"].pk) for item in results],
            restricted_matches=restricted,
        )
    context = {
        "form": form,
        "results": results,
        "restricted": restricted if results is not None else 0,
        "rate_limited": refusal,
    }
    response = render(request, "cases/search.html", context)
    return limits.too_many(response, refusal)

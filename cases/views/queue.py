from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import allow_if
from audit.services import record
from cases import permissions, queue, selectors


@allow_if(permissions.can_work_cases)
@require_GET
def case_queue(request):
    """The police triage queue: triage facts only, filtered and sorted, one keyset page at a time."""
    today = timezone.localdate()
    form = queue.QueueFilterForm(request.GET or None, officers=queue.officers(), concern_types=queue.concern_types())
    filters = form.cleaned_data if form.is_valid() else {}
    cases = queue.apply_filters(selectors.queue(request.user), filters, request.user, today)
    page = queue.page_of(cases, sort=filters.get("sort") or "due", cursor=request.GET.get("after"))
    record(by=request.user, action="case.queue_viewed", ids=[str(case.pk) for case in page.cases])
    params = request.GET.copy()
    params.pop("after", None)
    rows = [{"case": case, "overdue": selectors.overdue(case, today)} for case in page.cases]
    context = {"form": form, "rows": rows, "page": page, "params": params.urlencode(), "today": today}
    return render(request, "cases/queue.html", context)

"""The alerts dashboard: counts per rule, the alerts to review, and the review of one alert."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import allow_if
from audit.permissions import can_review_audit
from audit.services import record
from core.paging import page_of
from oversight import selectors, services
from oversight.alerts.summary import summary
from oversight.forms import AlertFilterForm, ReviewForm
from oversight.permissions import can_review_alert


def _rows(user, alerts) -> list[dict]:
    references = selectors.case_references(alert.case_id for alert in alerts)
    return [
        {
            "alert": alert,
            "summary": summary(alert),
            "case_reference": references.get(alert.case_id, "Case no longer held" if alert.case_id else ""),
            "own": not can_review_alert(user, alert),
        }
        for alert in alerts
    ]


@allow_if(can_review_audit)
@never_cache
@require_GET
def alert_list(request):
    """Counts per rule and one page of alerts, to review by default; what was shown is audited (ids only)."""
    form = AlertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rule, show = filters.get("rule", ""), filters.get("show") or selectors.SHOW_UNREVIEWED
    alerts = selectors.alerts_to_show(request.user, rule=rule, show=show)
    page = page_of(request, alerts)
    record(
        by=request.user,
        action="alert.list_viewed",
        ids=[alert.pk for alert in page],
        rule=rule,
        show=show,
        page=page.number,
    )
    context = {
        "counts": selectors.alert_counts(request.user),
        "selects": form.selects(),
        "rows": _rows(request.user, page),
        "page": page,
        "show": show,
    }
    return render(request, "audit/alerts.html", context)


@allow_if(can_review_audit)
@never_cache
@require_http_methods(["GET", "POST"])
def alert_review(request, pk):
    """Show one alert and take the supervisor's note that marks it reviewed."""
    alert = get_object_or_404(selectors.visible_alerts(request.user), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_alert(alert, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Alert {alert.pk} marked as reviewed.")
            return redirect("audit:alerts")
    record(by=request.user, action="alert.viewed", target=alert)
    context = {
        "row": _rows(request.user, [alert])[0],
        "form": form,
        "can_review": can_review_alert(request.user, alert),
        "changed_by": selectors.users_named(alert.details.get("changed_by_ids", [])),
    }
    return render(request, "audit/alert_review.html", context)

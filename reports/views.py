"""The dashboards and the statistics return: counts only, each page a fixed number of aggregate queries."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import allow_if
from audit.services import record
from core.forms import error_list
from reports import pages, permissions, selectors, tables
from reports.forms import ReportFilterForm, last_financial_year, last_weeks

TEAM_WEEKS = 12


def _filters(request, default, with_area=True):
    """The period and area asked for in the URL; partners have no area to choose (and run no query for it)."""
    form = ReportFilterForm(request.GET or None, areas=selectors.areas() if with_area else [], default=default)
    if form.is_bound:
        form.is_valid()
    return form


def _context(form, **extra) -> dict:
    return {
        "form": form,
        "errors": error_list(form) if form.is_bound else [],
        "date_from": form["from"],
        "date_to": form["to"],
        "area_options": form.area_options(),
        "period": form.period(),
        "area_name": form.areas.get(str(form.area_id), "All areas"),
        **extra,
    }


def _record(request, action: str, form, **what) -> None:
    """Audit a report shown or downloaded: which one, its period and area (counts only, no personal data)."""
    period = form.period()
    record(
        by=request.user,
        action=action,
        **what,
        period=[period.start.isoformat(), period.end.isoformat()],
        area_id=form.area_id,
    )


@allow_if(permissions.can_view_team_dashboard)
@never_cache
@require_GET
def team(request):
    """Open work, overdue work, workload per officer, referrals per week and timeliness, for the team."""
    today = timezone.localdate()
    form = _filters(request, last_weeks(TEAM_WEEKS, today))
    figures = pages.team(form.period(), form.area_id, today)
    _record(request, "dashboard.viewed", form, dashboard="team")
    return render(request, "reports/team.html", _context(form, **figures))


@allow_if(permissions.can_view_management_reports)
@never_cache
@require_GET
def management(request):
    """Referrals by sector, concern, age band and gender, outcomes, repeats and consent, against the period before."""
    form = _filters(request, last_weeks(13))
    figures = pages.management(form.period(), form.area_id)
    _record(request, "dashboard.viewed", form, dashboard="management")
    return render(request, "reports/management.html", _context(form, **figures))


@allow_if(permissions.can_view_organisation_counts)
@never_cache
@require_GET
def organisation(request):
    """A partner's own organisation's referrals, counted: this period against the one before."""
    form = _filters(request, last_weeks(13), with_area=False)
    figures = pages.organisation(request.user, form.period())
    _record(request, "dashboard.viewed", form, dashboard="organisation")
    return render(request, "reports/organisation.html", _context(form, **figures))


@allow_if(permissions.can_view_management_reports)
@never_cache
@require_GET
def statistics_return(request):
    """Produce a period's statistics return in the national shape, small counts suppressed (audited)."""
    form = _filters(request, last_financial_year())
    returned = None
    if form.is_bound and form.is_valid():
        period = form.period()
        returned = tables.statistics_return(selectors.statistics_return(period, form.area_id), period)
        _record(request, "report.generated", form, report="statistics_return")
    context = _context(form, tables=returned, threshold_below=settings.REPORTS_SUPPRESSION_THRESHOLD - 1)
    return render(request, "reports/statistics_return.html", context)


@allow_if(permissions.can_view_management_reports)
@never_cache
@require_GET
def statistics_return_csv(request):
    """Download the statistics return as CSV (audited); an invalid period goes back to the form."""
    form = _filters(request, last_financial_year())
    if not (form.is_bound and form.is_valid()):
        return statistics_return(request)
    period = form.period()
    area_name = form.areas.get(str(form.area_id), "All areas")
    returned = tables.statistics_return(selectors.statistics_return(period, form.area_id), period)
    _record(request, "report.downloaded", form, report="statistics_return")
    response = HttpResponse(tables.as_csv(returned, period, area_name), content_type="text/csv; charset=utf-8")
    name = f"prevent-statistics-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Bench-only URLconf: every real URL, plus reference views to measure the queue against.

- /bench/ok/: a bare Django view returning "ok" (the floor: middleware and gunicorn only).
- /bench/cases/?page=N: a plain, unscoped, unaudited ListView of 50 cases with Django's page count
  (COUNT(*) and OFFSET), rendered in the service's layout with the queue's columns.
- /bench/queue-unaudited/: the real queue view (same decorators, same session), with its audit write
  (`record_list`: one event per page) skipped for that request only: what auditing costs the queue
  (bench/audit_cost.py). The service has no "audit off" switch; this URLconf is loaded only by
  bench/settings.py.

The first two need no session: they are what "plain Django" costs on this machine with the same data.
"""

from contextvars import ContextVar

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.generic import ListView

from cases.models import Case
from cases.views import queue as queue_views
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as service_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

PLAIN_LIST_TEMPLATE = """{% extends "base.html" %}
{% block title %}Cases (plain list){% endblock %}
{% block content %}
<h1 class="govuk-heading-l">Cases</h1>
<p class="govuk-body">Page {{ page_obj.number }} of {{ paginator.num_pages }} ({{ paginator.count }} cases)</p>
<table class="govuk-table">
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Case</th>
    <th scope="col" class="govuk-table__header">Received</th>
    <th scope="col" class="govuk-table__header">Sector</th>
    <th scope="col" class="govuk-table__header">Referrer's view of the concern</th>
    <th scope="col" class="govuk-table__header">Status</th>
    <th scope="col" class="govuk-table__header">Officer</th>
    <th scope="col" class="govuk-table__header">Assessment due</th>
  </tr></thead>
  <tbody class="govuk-table__body">
  {% for case in object_list %}
  <tr class="govuk-table__row">
    <td class="govuk-table__cell">
      <a class="govuk-link" href="{% url 'cases:detail' case.pk %}">{{ case.reference }}</a></td>
    <td class="govuk-table__cell">{{ case.received_at|date:"j M Y" }}</td>
    <td class="govuk-table__cell">{{ case.sector }}</td>
    <td class="govuk-table__cell">{{ case.concern_type|default:"Not sure" }}</td>
    <td class="govuk-table__cell">{{ case.get_status_display }}</td>
    <td class="govuk-table__cell">{{ case.assigned_to.full_name|default:"Unassigned" }}</td>
    <td class="govuk-table__cell">{{ case.assessment_due|date:"j M Y" }}</td>
  </tr>
  {% endfor %}
  </tbody>
</table>
{% if page_obj.has_next %}<a class="govuk-link" href="?page={{ page_obj.next_page_number }}">Next</a>{% endif %}
{% endblock %}
"""


@login_not_required
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


class PlainCaseList(ListView):
    """What a first Django version of the queue would be: every case, OFFSET pages, a page count."""

    queryset = Case.objects.select_related("assigned_to", "concern_type")
    paginate_by = 50
    _template = None

    def get_template_names(self):
        # A compiled Template object (not a name): TemplateResponse renders it as it is.
        if PlainCaseList._template is None:
            PlainCaseList._template = engines["django"].from_string(PLAIN_LIST_TEMPLATE)
        return PlainCaseList._template


# How the queue writes its audit for this request: as the service does (None) or not at all ("off").
_audit_mode: ContextVar[str | None] = ContextVar("bench_audit_mode", default=None)
_record_list = queue_views.record_list


def _record_list_by_mode(*, by, action, targets, **details):
    if _audit_mode.get() == "off":
        return None
    return _record_list(by=by, action=action, targets=targets, **details)


# The queue view looks `record_list` up in its module when it runs: route it through the switch above,
# which only the bench view below turns (per request, safe with threads). Audited requests pay one call.
queue_views.record_list = _record_list_by_mode


def queue_unaudited(request):
    token = _audit_mode.set("off")
    try:
        return queue_views.case_queue(request)
    finally:
        _audit_mode.reset(token)


urlpatterns = [
    path("bench/ok/", ok, name="bench_ok"),
    path("bench/queue-unaudited/", queue_unaudited, name="bench_queue_unaudited"),
    path("bench/cases/", login_not_required(PlainCaseList.as_view()), name="bench_cases"),
    *service_urlpatterns,
]

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.services import record_list
from pages import home as work
from pages.navigation import SECTION_LINKS, SECTIONS


@require_GET
def home(request):
    """What is waiting for this user: a count per kind of work, each linking to its filtered list.

    Counts name no record; the panel's next meetings do (their titles), so they are audited as a list page.
    """
    user = request.user
    meetings = work.panel_meetings(user) if user.has_perm("cases.sit_on_panel") else []
    if meetings:
        record_list(by=user, action="panel.list_viewed", targets=meetings)
    context = {
        "groups": work.waiting_for(user),
        "notices": work.unread_notices(user),
        "recent_notices": user.notifications.filter(read_at__isnull=True)[:5],
        "meetings": meetings,
    }
    return render(request, "pages/home.html", context)


@require_GET
def section(request, slug):
    """A group of the navigation: links to its pages this user may follow (none: not found). Names no record."""
    if slug not in SECTIONS:
        raise Http404
    links = SECTION_LINKS[slug](request.user)
    if not links:
        raise Http404
    return render(request, "pages/section.html", {"section": SECTIONS[slug], "links": links})


@login_not_required
@require_GET
def privacy(request):
    return render(request, "pages/privacy.html")


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Answer the load balancer: 200 when the database answers. Says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")

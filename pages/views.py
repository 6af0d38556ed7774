from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """Show a signed-in user where to start and what is waiting for them; open to every role."""
    waiting = request.user.notifications.filter(read_at__isnull=True)[:10]
    return render(request, "pages/home.html", {"waiting": waiting})


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

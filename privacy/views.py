from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import allow_if
from audit.services import record, record_list
from core.paging import page_of
from privacy import certificates, selectors
from privacy.permissions import can_view_tombstones


@allow_if(can_view_tombstones)
@never_cache
@require_GET
def tombstone_list(request):
    """List erased records newest first, a page at a time; the page shown is audited (ids only)."""
    page = page_of(request, selectors.visible_tombstones(request.user))
    record_list(by=request.user, action="tombstone.list_viewed", targets=page.object_list, page=page.number)
    return render(request, "privacy/tombstone_list.html", {"page": page})


@allow_if(can_view_tombstones)
@never_cache
@require_GET
def certificate(request, pk):
    """Show the deletion certificate of one erasure; audited."""
    tombstone = get_object_or_404(selectors.visible_tombstones(request.user), pk=pk)
    record(by=request.user, action="tombstone.certificate_viewed", target=tombstone)
    context = {"tombstone": tombstone, "lines": certificates.lines(tombstone)}
    return render(request, "privacy/certificate.html", context)


@allow_if(can_view_tombstones)
@never_cache
@require_GET
def certificate_download(request, pk):
    """Send the deletion certificate as a plain-text file; audited before it is sent."""
    tombstone = get_object_or_404(selectors.visible_tombstones(request.user), pk=pk)
    record(by=request.user, action="tombstone.certificate_downloaded", target=tombstone)
    response = HttpResponse(certificates.as_text(tombstone), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deletion-certificate-{tombstone.certificate_number}.txt"'
    return response

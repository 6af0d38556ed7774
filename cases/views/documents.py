"""Officers' own documents on a case: add one, download one (a read of personal data, audited), remove one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from audit.services import record
from cases import documents, permissions, selectors
from cases.forms import DocumentForm
from cases.views.case import _back, _case, _form_page
from referrals import attachments

TITLE = "Add a document"


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def add_document(request, pk):
    """Upload a document to the case; a refused file is told by the field, with the title kept."""
    case = _case(request, pk)
    if not permissions.can_add_document(request.user, case):
        raise PermissionDenied
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            documents.add_document(
                case, by=request.user, upload=data["file"], title=data["title"], description=data["description"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Document added.")
            return _back(request, case)
    return _form_page(request, case, form, TITLE)


@allow_if(permissions.can_work_cases)
@never_cache
@require_GET
def download_document(request, pk):
    """Send a case document as a download (never shown inline) to those who may open the case."""
    document = get_object_or_404(selectors.visible_case_documents(request.user), pk=pk)
    file = attachments.open_stored(document.stored_name, f"Case document {document.pk}")
    record(
        by=request.user,
        action="case.document_downloaded",
        target=document,
        case=document.case,
        **selectors.break_glass_details(request.user, document.case),
    )
    return attachments.download_response(file, filename=document.original_name, content_type=document.content_type)


@allow_if(permissions.can_work_cases)
@require_POST
def remove_document(request, pk, document):
    case = _case(request, pk)
    found = get_object_or_404(selectors.visible_case_documents(request.user).filter(case=case), pk=document)
    if not permissions.can_remove_document(request.user, found):
        raise PermissionDenied
    documents.remove_document(found, by=request.user)
    messages.success(request, "Document removed.")
    return redirect("cases:detail", pk=case.pk)

"""The case file: a short form (who it is for), then the PDF, audited as a disclosure before it is sent."""

from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import allow_if
from audit.services import record
from cases import case_file, permissions, selectors
from cases.forms import CaseFileForm
from cases.models import Case

TITLE = "Download the case file"
STYLESHEET = "cases/case_file.css"


def _case(request, pk) -> Case:
    """Return a case this user may download: not found if they cannot see it, refused if it is not theirs."""
    case = get_object_or_404(selectors.visible_cases(request.user), pk=pk)
    if not permissions.can_download_case_file(request.user, case):
        raise PermissionDenied
    return case


def _form_page(request, case, form):
    # The page shows the case's reference only, but it is a step into the case: audited like the case's other forms.
    record(by=request.user, action="case.viewed", target=case, page=TITLE)
    form.helper.form_action = reverse("cases:case_file_pdf", kwargs={"pk": case.pk})
    return render(request, "cases/case_file_form.html", {"case": case, "form": form, "title": TITLE})


@allow_if(permissions.can_work_cases)
@never_cache
@require_GET
def case_file_form(request, pk):
    return _form_page(request, _case(request, pk), CaseFileForm())


@allow_if(permissions.can_work_cases)
@require_POST
def case_file_pdf(request, pk):
    """Send the case file as a PDF attachment; bad input shows the form again with what was typed."""
    case = _case(request, pk)
    form = CaseFileForm(request.POST)
    if not form.is_valid():
        return _form_page(request, case, form)
    try:
        disclosure = case_file.disclose_case_file(case, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, case, form)
    contents = selectors.case_file(request.user, case, purpose=disclosure.purpose)
    html = render_to_string(
        "cases/case_file.html",
        {"case": case, "file": contents, "disclosure": disclosure, "stylesheet": STYLESHEET},
    )
    # Imported here: WeasyPrint loads Pango when imported, and a machine without it should lose this page only.
    from core.pdf import render_pdf

    pdf = BytesIO(render_pdf(html, static_files=[STYLESHEET]))
    # The reference only: a file name travels (download folders, e-mail attachments) and must name nobody.
    filename = f"case-file-{case.reference}.pdf"
    response = FileResponse(pdf, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

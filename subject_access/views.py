"""Subject access requests: find the person, confirm their records, generate, withhold, release, download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from audit.services import record, record_list
from cases import search
from core.paging import page_of
from subject_access import bundle, export, permissions, selectors, services
from subject_access.forms import RecordsForm, RequestForm, WithholdForm
from subject_access.models import Exemption, SubjectAccessRequest
from subject_access.permissions import can_handle_subject_access

S = SubjectAccessRequest.Status


def _request(request, pk) -> SubjectAccessRequest:
    return get_object_or_404(selectors.visible_requests(request.user), pk=pk)


@allow_if(can_handle_subject_access)
@never_cache
@require_GET
def request_list(request):
    """Every request with its due date, open ones first; overdue ones flagged."""
    page = page_of(request, selectors.request_list(request.user))
    record_list(by=request.user, action="subject_access.list_viewed", targets=page.object_list)
    today = timezone.localdate()
    page.object_list = [{"sar": row, "overdue": selectors.is_overdue(row, today)} for row in page.object_list]
    return render(request, "subject_access/request_list.html", {"page": page})


@allow_if(can_handle_subject_access)
@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request):
    """Record a request and search for the person: terms travel by POST and are audited as a keyed hash only."""
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        terms = form.terms()
        found = list(search.search(terms).values_list("pk", flat=True)[:200])
        try:
            sar = services.start_request(
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                note=form.cleaned_data["note"],
                terms_hash=search.terms_hash(terms),
                found_referral_ids=found,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("subject_access:records", pk=sar.pk)
    return render(request, "subject_access/request_new.html", {"form": form})


def _candidate_rows(sar):
    rows = []
    for referral in selectors.candidates(sar):
        person = referral.answers.get("the-person") or {}
        contact = referral.answers.get("contact-details") or {}
        born = person.get("date_of_birth") or person.get("birth_year") or ""
        rows.append(
            {
                "referral": referral,
                "name": " ".join(filter(None, [person.get("forenames"), person.get("surname")])),
                "aliases": person.get("aliases", ""),
                "born": born,
                "postcode": contact.get("postcode", ""),
            }
        )
    return rows


@allow_if(can_handle_subject_access)
@never_cache
@require_http_methods(["GET", "POST"])
def records(request, pk):
    """Show the referrals that may be about the person, with what identifies them, to confirm which are theirs."""
    sar = _request(request, pk)
    rows = _candidate_rows(sar)
    choices = [(str(row["referral"].pk), row["referral"].reference) for row in rows]
    initial = {"referrals": sar.referral_ids}
    form = RecordsForm(request.POST or None, choices=choices, initial=initial)
    record(by=request.user, action="subject_access.viewed", target=sar, page="records", ids=[c for c, _ in choices])
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_records(sar, by=request.user, referral_ids=form.cleaned_data["referrals"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Records confirmed.")
            return redirect("subject_access:detail", pk=sar.pk)
    editable = permissions.can_confirm_records(request.user, sar)
    return render(
        request, "subject_access/records.html", {"sar": sar, "rows": rows, "form": form, "editable": editable}
    )


def _review_sections(data: dict, withheld: dict) -> list[dict]:
    """The sections found, each item marked withheld (wholly or in part) and with any exemption to consider."""
    labels = dict(Exemption.choices)
    sections = []
    for section in data["sections"]:
        items = []
        for item in section["items"]:
            fields = withheld.get(item["key"], set())
            state = "whole" if "" in fields else "part" if fields else ""
            items.append({**item, "withheld": state, "consider": labels.get(item.get("suggested_exemption"), "")})
        sections.append({**section, "items": items})
    return sections


@allow_if(can_handle_subject_access)
@never_cache
@require_GET
def detail(request, pk):
    """The request: its dates and status, everything found (to withhold from), and the internal record."""
    sar = _request(request, pk)
    data = services.snapshot(sar)
    withholdings = list(sar.withholdings.select_related("withheld_by"))
    withheld = services.withheld_map(sar)
    items = export.items_of(data) if data else {}
    record(by=request.user, action="subject_access.viewed", target=sar, page="detail")
    context = {
        "sar": sar,
        "sections": _review_sections(data, withheld) if data else None,
        "withholdings": [{"w": w, "title": items.get(w.item_key, {}).get("title", w.item_key)} for w in withholdings],
        "overdue": selectors.is_overdue(sar),
        "actions": permissions.request_actions(
            request.user, sar, generated=data is not None, stuck=selectors.is_stuck(sar)
        ),
    }
    return render(request, "subject_access/detail.html", context)


@allow_if(can_handle_subject_access)
@require_POST
def generate(request, pk):
    sar = _request(request, pk)
    try:
        services.request_generation(sar, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("subject_access:detail", pk=sar.pk)
    return redirect("subject_access:progress", pk=sar.pk)


@allow_if(can_handle_subject_access)
@never_cache
@require_GET
def progress(request, pk):
    """How far generation has got: counts and a status, nothing about the person."""
    sar = _request(request, pk)
    running = sar.status in (S.QUEUED, S.GENERATING)
    percent = int(100 * sar.progress_done / sar.progress_total) if sar.progress_total else 0
    context = {"sar": sar, "running": running, "failed": sar.status == S.FAILED, "percent": percent}
    return render(request, "subject_access/progress.html", context)


@allow_if(can_handle_subject_access)
@never_cache
@require_http_methods(["GET", "POST"])
def withhold(request, pk, item_key):
    """Withhold one item, or one field of it, under an exemption with a reason."""
    sar = _request(request, pk)
    data = services.snapshot(sar)
    found = export.items_of(data).get(item_key) if data else None
    if found is None:
        raise Http404
    form = WithholdForm(request.POST or None, item=found, initial={"exemption": found.get("suggested_exemption")})
    record(by=request.user, action="subject_access.viewed", target=sar, page="withhold", item_key=item_key)
    if request.method == "POST" and form.is_valid():
        try:
            services.withhold(
                sar,
                by=request.user,
                item_key=item_key,
                field=form.field(),
                exemption=form.cleaned_data["exemption"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{found['title']} withheld. Generate the export again before release.")
            return redirect("subject_access:detail", pk=sar.pk)
    return render(request, "subject_access/withhold.html", {"sar": sar, "item": found, "form": form})


@allow_if(can_handle_subject_access)
@require_POST
def unwithhold(request, pk, withholding):
    sar = _request(request, pk)
    found = get_object_or_404(sar.withholdings, pk=withholding)
    try:
        services.remove_withholding(found, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "No longer withheld. Generate the export again before release.")
    return redirect("subject_access:detail", pk=sar.pk)


@allow_if(can_handle_subject_access)
@never_cache
@require_http_methods(["GET", "POST"])
def release(request, pk):
    """Confirm the export is being given to the person: the request is then answered."""
    sar = _request(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.release(sar, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, f"{sar.reference} released.")
            return redirect("subject_access:detail", pk=sar.pk)
    context = {
        "sar": sar,
        "withheld": sar.withholdings.count(),
        "error": error,
        "overdue": selectors.is_overdue(sar),
        "can_release": permissions.can_release(request.user, sar),
    }
    return render(request, "subject_access/release.html", context, status=400 if error else 200)


@allow_if(can_handle_subject_access)
@never_cache
@require_GET
def download(request, pk):
    """Send the person's bundle (ZIP of PDF, JSON and documents), audited before the first byte."""
    sar = _request(request, pk)
    if not sar.export_folder or sar.exports_deleted_at or sar.status not in (S.READY, S.RELEASED):
        raise Http404
    path = bundle.folder_path(sar.export_folder) / bundle.BUNDLE
    if not path.exists():
        raise Http404
    services.record_download(sar, by=request.user)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"{sar.reference}.zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response

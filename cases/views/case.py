"""One case: the full view for those who may open it, and the actions on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from accounts.models import User
from audit.services import record
from cases import permissions, selectors, services
from cases.forms import AssessmentForm, CheckForm, DecisionForm, FeedbackForm, NoteForm, SignOffForm
from cases.models import Case, Decision, ProviderGrant
from cases.queue import officers
from core.forms import whole_number
from rights import permissions as rights_permissions
from rights import selectors as rights_selectors


def _case(request, pk) -> Case:
    """Return a case the user may open: unknown is 404, another officer's case 403 (it is in the queue).

    A break-glass grant opens a case to read (GET) only: a write needs the case in the user's caseload.
    """
    case = get_object_or_404(selectors.visible_cases(request.user), pk=pk)
    may = permissions.can_read if request.method in ("GET", "HEAD") else permissions.can_open
    if not may(request.user, case):
        raise PermissionDenied
    return case


def _version(request) -> int | None:
    return whole_number(request.POST.get("version", ""))


def _back(request, case, error: ValidationError | None = None):
    if error is not None:
        for message in error.messages:
            messages.error(request, message)
    return redirect("cases:detail", pk=case.pk)


@allow_if(permissions.can_work_cases)
@never_cache
@require_GET
def detail(request, pk):
    case = get_object_or_404(selectors.visible_cases(request.user).select_related("support_plan"), pk=pk)
    # Only supervisors find a restricted case (the selector): they read it, with its banner, and change nothing.
    restriction = rights_selectors.restriction_in_force(case)
    in_caseload = permissions.can_open(request.user, case)
    grant = None if in_caseload or restriction else selectors.break_glass_grant(request.user, case)
    if not in_caseload and grant is None and restriction is None:
        # Outside the officer's caseload: they may still open it by giving a reason (break-glass).
        return redirect("cases:reason", pk=case.pk)
    referrals = list(case.referrals.select_related("organisation").order_by("submitted_at"))
    # A read under a break-glass grant names the grant (under cover, the cover): the access history says why.
    why = selectors.grant_details(grant) if grant else selectors.break_glass_details(request.user, case)
    record(by=request.user, action="case.viewed", target=case, referral_ids=[str(r.pk) for r in referrals], **why)
    # Lists, not querysets: the template reads each more than once (the newest decision also names the outcome).
    decisions = list(case.decisions.select_related("decided_by", "signed_off_by"))
    pending = next((decision for decision in decisions if decision.state == Decision.State.PENDING), None)
    corrections = list(rights_selectors.rectifications(case))
    assessments = list(case.assessments.select_related("assessed_by", "template"))
    support_plan = getattr(case, "support_plan", None)
    consents = list(case.consents.all()[:1])
    grants = list(case.grants.select_related("provider", "provider__organisation"))
    documents = list(case.documents.select_related("uploaded_by"))
    actions = permissions.case_actions(
        request.user,
        case,
        restricted=restriction is not None,
        decision_pending=pending is not None,
        assessed=bool(assessments),
        has_support=bool(support_plan or grants or consents),
    )
    context = {
        "case": case,
        "actions": actions,
        "person": rights_selectors.person_summary(case, referrals, corrections=corrections),
        "next_action": selectors.next_action(case),
        "referrals": referrals,
        "checks": case.checks.select_related("checked_by"),
        "assessments": assessments,
        "decisions": decisions,
        "pending": pending,
        "notes": case.notes.select_related("written_by"),
        "events": case.events.select_related("by")[:100],
        "note_form": NoteForm(),
        "officers": officers() if actions.assign else [],
        "supervisor": permissions.can_supervise(request.user),
        "support_plan": support_plan,
        "consents": consents,
        "grants": grants,
        "agenda": case.agenda_items.select_related("meeting"),
        "reviews": case.reviews.all(),
        "section_names": dict(ProviderGrant.Section.choices),
        "restriction": restriction,
        "away": selectors.away(case.assigned_to_id),
        "corrections": rights_selectors.history(
            case, with_replaced=permissions.can_supervise(request.user), corrections=corrections
        ),
        "can_rectify": rights_permissions.can_rectify(request.user, case),
        "can_restrict": rights_permissions.can_restrict(request.user, case),
        "documents": documents,
        "removable": {d.pk for d in documents if permissions.can_remove_document(request.user, d)},
    }
    return render(request, "cases/detail.html", context)


@allow_if(permissions.can_work_cases)
@require_POST
def move(request, pk):
    case = _case(request, pk)
    action = request.POST.get("action", "")
    if action not in permissions.PLAIN_MOVES:
        return _back(request, case, ValidationError("Choose an action from the case page."))
    try:
        services.move(case, by=request.user, action=action, expected_version=_version(request))
    except ValidationError as error:
        return _back(request, case, error)
    messages.success(request, "Done.")
    return _back(request, case)


@allow_if(permissions.can_work_cases)
@require_POST
def assign(request, pk):
    case = (
        _case(request, pk)
        if not permissions.can_supervise(request.user)
        else get_object_or_404(selectors.visible_cases(request.user), pk=pk)
    )
    to_id = request.POST.get("to", "")
    to = request.user if to_id == "me" else User.objects.filter(pk=whole_number(to_id) or 0).first()
    if to is None:
        return _back(request, case, ValidationError("Select an officer."))
    try:
        services.assign(case, to=to, by=request.user, expected_version=_version(request))
    except ValidationError as error:
        return _back(request, case, error)
    messages.success(request, f"Assigned to {to.full_name}.")
    return (
        redirect("cases:detail", pk=case.pk)
        if permissions.can_open(request.user, case) or to == request.user
        else (redirect("cases:queue"))
    )


@allow_if(permissions.can_work_cases)
@require_POST
def add_note(request, pk):
    case = _case(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(case, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Note added.")
        return _back(request, case)
    return _back(request, case, ValidationError(form.errors["text"]))


def _form_page(request, case, form, title, template="cases/form.html", **extra):
    """Render a form about the case; showing case details is a read, so it is audited (naming any grant it rests on)."""
    why = selectors.break_glass_details(request.user, case)
    record(by=request.user, action="case.viewed", target=case, page=title, **why)
    return render(request, template, {"case": case, "form": form, "title": title, **extra})


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def record_check(request, pk):
    case = _case(request, pk)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_check(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Check recorded.")
            return _back(request, case)
    return _form_page(request, case, form, "Record a check")


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def assess(request, pk):
    case = _case(request, pk)
    try:
        template = services.current_template()
    except ValidationError as error:
        return _back(request, case, error)
    concern_types = services.concern_types_in_force()
    initial = {"version": case.version, "concern_type": case.concern_type.code if case.concern_type_id else None}
    form = AssessmentForm(
        request.POST or None,
        template=template,
        concern_types=[(c.code, c.label) for c in concern_types],
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_assessment(
                case,
                by=request.user,
                answers=form.answers(),
                rationale=form.cleaned_data["rationale"],
                expected_version=form.cleaned_data["version"],
                concern_type=next(c for c in concern_types if c.code == form.cleaned_data["concern_type"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Assessment saved.")
            return _back(request, case)
    return _form_page(request, case, form, "Record the assessment", template_name=template)


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    case = _case(request, pk)
    form = DecisionForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                case,
                by=request.user,
                outcome=data["outcome"],
                rationale=data["rationale"],
                signposted_to=data["signposted_to"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded.")
            return _back(request, case)
    return _form_page(request, case, form, "Record the decision")


@allow_if(permissions.can_supervise)
@require_http_methods(["GET", "POST"])
def sign_off(request, pk):
    case = _case(request, pk)
    closure = case.status == Case.Status.CLOSURE_PENDING
    form = SignOffForm(request.POST or None, initial={"version": case.version}, closure=closure)
    if request.method == "POST" and form.is_valid():
        approve, version = form.cleaned_data["approve"] == "yes", form.cleaned_data["version"]
        try:
            if closure:
                services.sign_off_closure(case, by=request.user, approve=approve, expected_version=version)
            else:
                services.sign_off_decision(
                    case, by=request.user, approve=approve, note=form.cleaned_data["note"], expected_version=version
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Signed off." if approve else "Returned to the officer.")
            return _back(request, case)
    pending = case.decisions.filter(state=Decision.State.PENDING).select_related("decided_by").first()
    return _form_page(request, case, form, "Sign off closure" if closure else "Sign off the decision", pending=pending)


@allow_if(permissions.can_work_cases)
@require_POST
def feedback(request, pk, referral):
    """Share a few words with one referrer; they see it beside their referral's status."""
    case = _case(request, pk)
    item = get_object_or_404(case.referrals, pk=referral)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        # An empty or over-long feedback is refused here, with what was typed kept.
        return _form_page(request, case, form, f"Share feedback with the referrer of {item.reference}")
    services.share_feedback(item, by=request.user, text=form.cleaned_data["feedback"])
    messages.success(request, f"Feedback shared with the referrer of {item.reference}.")
    return _back(request, case)

"""Channel panel meetings: the list, the agenda page with the meeting's record, and the forms posted from it.

Every form on the agenda page posts to its own URL; a refused one comes back on the agenda with its errors in
the summary and by the field, and what was typed kept (`_meeting_page(..., bound=...)`).
"""

import uuid
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import allow_if
from audit.services import record_list
from cases import panel, permissions, selectors, support
from cases.forms import MeetingForm, PanelDecisionForm
from cases.forms.panel import ActionForm, AttendeeForm, ChairForm, MinutesForm, SummaryForm
from cases.models import AgendaItem, Attendee, Case, PanelAction, PanelMeeting

ITEM_FORMS = {"summary": SummaryForm, "minutes": MinutesForm, "action": ActionForm}


@allow_if(permissions.can_use_panel)
@require_GET
def meetings(request):
    """Panel meetings: the whole list for the Prevent team, a member's own meetings otherwise."""
    items = (
        PanelMeeting.objects.all() if permissions.can_work_cases(request.user) else request.user.panel_meetings.all()
    )
    shown = list(items.order_by("-meets_on", "pk")[:100])
    # Titles are free text (a chair may write a name into one): the list is audited like any other.
    record_list(by=request.user, action="panel.list_viewed", targets=shown)
    return render(request, "cases/meetings.html", {"meetings": shown})


@allow_if(permissions.can_work_cases)
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = support.create_meeting(by=request.user, **form.cleaned_data)
        return redirect("cases:meeting", pk=meeting.pk)
    return render(request, "cases/meeting_form.html", {"form": form})


def _meeting(request, pk) -> PanelMeeting:
    meetings = PanelMeeting.objects.all() if permissions.can_work_cases(request.user) else request.user.panel_meetings
    return get_object_or_404(meetings, pk=pk)


@allow_if(permissions.can_use_panel)
@never_cache
@require_GET
def meeting(request, pk):
    """A meeting's agenda: each case's reference, summary for the panel, minutes and actions; nothing police-only."""
    return _meeting_page(request, _meeting(request, pk))


def _agenda(request, item_meeting: PanelMeeting) -> list[AgendaItem]:
    # A restricted case is kept but not used: it leaves every agenda until the restriction is lifted.
    items = item_meeting.items.select_related("case").filter(case__restricted_at__isnull=True)
    if permissions.can_work_cases(request.user):
        # The team sees the agenda items of cases they may open; panel members their whole agenda.
        items = items.filter(case__in=selectors.visible_openable_cases(request.user).values("pk"))
    return list(items.order_by("pk"))


def _carried(request, item_meeting: PanelMeeting, items: list[AgendaItem]) -> list[PanelAction]:
    """Actions agreed at earlier meetings and not done, on the cases of this agenda, oldest due first."""
    return list(
        PanelAction.objects.filter(
            done_at__isnull=True,
            item__case__in=[item.case_id for item in items],
            item__meeting__meets_on__lt=item_meeting.meets_on,
        )
        .select_related("item__meeting", "item__case")
        .order_by("due_on", "pk")
    )


def _meeting_page(request, item_meeting: PanelMeeting, bound: tuple | None = None):
    """Render the agenda; `bound` is (form key, agenda item or None, the form) of a form refused."""
    items = _agenda(request, item_meeting)
    carried = _carried(request, item_meeting, items)
    why = selectors.break_glass_list_details(request.user, [item.case for item in items])
    record_list(by=request.user, action="panel.agenda_viewed", targets=items, meeting_id=str(item_meeting.pk), **why)
    actions = defaultdict(list)
    for action in PanelAction.objects.filter(item__in=items).select_related("item__case").order_by("due_on", "pk"):
        actions[action.item_id].append(action)
    runs = permissions.can_run_panel(request.user)
    # Who may mark each action done, for its button: the user's meetings read once, not once per action.
    sits_on = set() if runs else set(request.user.panel_meetings.values_list("pk", flat=True))
    for action in [*carried, *(action for listed in actions.values() for action in listed)]:
        action.may_complete = permissions.can_complete_panel_action(request.user, action, sits_on=sits_on)
    listable = []
    if runs:
        listable = (
            selectors.visible_openable_cases(request.user)
            .filter(status=Case.Status.CHANNEL, restricted_at__isnull=True)
            .exclude(agenda_items__meeting=item_meeting)[:50]
        )
    key, refused, form = bound or (None, None, None)

    def form_for(name: str, item: AgendaItem):
        if key == name and refused is not None and refused.pk == item.pk:
            return form
        initial = {"summary": item.summary, "minutes": item.minutes}
        return ITEM_FORMS[name](prefix=f"item{item.pk}", initial=initial)

    decision_errors = []
    if key == "decision" and form is not None:
        decision_errors = [*form.non_field_errors(), *form.errors.get("adopted", [])]
    onward_errors = list(form.errors.get("onward_referral", [])) if key == "decision" and form is not None else []
    context = {
        "meeting": item_meeting,
        "runs": runs,
        "attendees": list(item_meeting.attendees.all()),
        "chair_form": form
        if key == "chair"
        else ChairForm(initial={"name": item_meeting.chair_name, "agency": item_meeting.chair_agency}),
        "attendee_form": form if key == "attendee" else AttendeeForm(),
        "carried": carried,
        "items": [
            {
                "item": item,
                "actions": actions[item.pk],
                "decide": permissions.can_record_panel_decision(request.user, item),
                "summary_form": form_for("summary", item) if runs else None,
                "minutes_form": form_for("minutes", item) if runs else None,
                "action_form": form_for("action", item) if runs else None,
                **(
                    {"form": form, "adopt_errors": decision_errors, "onward_errors": onward_errors}
                    if key == "decision" and refused is not None and item.pk == refused.pk
                    else {"form": PanelDecisionForm()}
                ),
            }
            for item in items
        ],
        "bound_form": form if key not in (None, "decision") else None,
        "errors": [(f"adopt-{refused.pk}", error) for error in decision_errors]
        + [(f"onward-{refused.pk}", error) for error in onward_errors]
        if key == "decision" and refused is not None
        else [],
        "listable": listable,
    }
    return render(request, "cases/meeting.html", context)


@allow_if(permissions.can_work_cases)
@require_POST
def meeting_list_case(request, pk):
    item_meeting = _meeting(request, pk)
    try:
        case_id = uuid.UUID(request.POST.get("case", ""))
    except ValueError:
        raise Http404 from None
    case = get_object_or_404(selectors.visible_openable_cases(request.user), pk=case_id)
    try:
        support.list_case(item_meeting, case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("cases:meeting", pk=item_meeting.pk)


@allow_if(permissions.can_use_panel)
@require_POST
def meeting_decide(request, pk, item):
    item_meeting = _meeting(request, pk)
    agenda_item = get_object_or_404(AgendaItem.objects.filter(meeting=item_meeting), pk=item)
    form = PanelDecisionForm(request.POST)
    if form.is_valid():
        try:
            support.record_panel_decision(
                agenda_item,
                by=request.user,
                adopted=form.cleaned_data["adopted"] == "yes",
                onward_referral=form.cleaned_data["onward_referral"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The panel's decision is recorded.")
            return redirect("cases:meeting", pk=item_meeting.pk)
    # The agenda again, with the error in the summary and by the field, and what was typed kept.
    return _meeting_page(request, item_meeting, bound=("decision", agenda_item, form))


def _save(request, item_meeting, key, item, form, write, done: str):
    """Validate and write one of the agenda page's forms; a refusal comes back on the agenda, typed text kept."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a service's errors by field go to their fields
        else:
            messages.success(request, done)
            return redirect("cases:meeting", pk=item_meeting.pk)
    return _meeting_page(request, item_meeting, bound=(key, item, form))


@allow_if(permissions.can_run_panel)
@require_POST
def meeting_chair(request, pk):
    item_meeting = _meeting(request, pk)
    form = ChairForm(request.POST)

    def write(data):
        panel.set_chair(item_meeting, by=request.user, name=data["name"], agency=data["agency"])

    return _save(request, item_meeting, "chair", None, form, write, "The chair is recorded.")


@allow_if(permissions.can_run_panel)
@require_POST
def meeting_attendee(request, pk):
    item_meeting = _meeting(request, pk)
    form = AttendeeForm(request.POST)

    def write(data):
        attended = data["attended"] == "yes"
        panel.add_attendee(item_meeting, by=request.user, name=data["name"], agency=data["agency"], attended=attended)

    return _save(request, item_meeting, "attendee", None, form, write, "Added to the attendance.")


@allow_if(permissions.can_run_panel)
@require_POST
def meeting_attendee_remove(request, pk, attendee):
    item_meeting = _meeting(request, pk)
    panel.remove_attendee(get_object_or_404(Attendee, meeting=item_meeting, pk=attendee), by=request.user)
    messages.success(request, "Taken off the attendance.")
    return redirect("cases:meeting", pk=item_meeting.pk)


def _agenda_item(request, item_meeting, item) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting=item_meeting, case__in=selectors.visible_openable_cases(request.user)),
        pk=item,
    )


@allow_if(permissions.can_run_panel)
@require_POST
def item_write(request, pk, item, what):
    """Save an agenda item's summary for the panel or its minutes, or add an action to it."""
    if what not in ITEM_FORMS:
        raise Http404
    item_meeting = _meeting(request, pk)
    agenda_item = _agenda_item(request, item_meeting, item)
    form = ITEM_FORMS[what](request.POST, prefix=f"item{agenda_item.pk}")

    def write(data):
        if what == "summary":
            panel.write_summary(agenda_item, by=request.user, text=data["summary"])
        elif what == "minutes":
            panel.record_minutes(agenda_item, by=request.user, text=data["minutes"])
        else:
            panel.add_action(
                agenda_item,
                by=request.user,
                description=data["description"],
                owner_agency=data["owner_agency"],
                due_on=data["due_on"],
            )

    done = {"summary": "The summary is saved.", "minutes": "The minutes are saved.", "action": "The action is added."}
    return _save(request, item_meeting, what, agenda_item, form, write, done[what])


@allow_if(permissions.can_use_panel)
@require_POST
def action_done(request, pk, action):
    """Mark an action done, from the agenda of this meeting (where it was agreed or carried to)."""
    item_meeting = _meeting(request, pk)
    on_agenda = [item.case_id for item in _agenda(request, item_meeting)]
    found = get_object_or_404(PanelAction.objects.filter(item__case__in=on_agenda), pk=action)
    if not permissions.can_complete_panel_action(request.user, found):
        raise PermissionDenied
    try:
        panel.complete_action(found, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The action is marked done.")
    return redirect("cases:meeting", pk=item_meeting.pk)

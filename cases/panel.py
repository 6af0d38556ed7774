"""Running a Channel panel meeting: the chair and who came, a summary for the panel, minutes and actions.

The Prevent team runs the meeting's record (`permissions.can_run_panel`); an action is marked done by the team or
by a member of the meeting that agreed it. Every write is audited with ids only: names and words stay on the
records, which go with the case (or the meeting).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import lifecycle, permissions
from cases.models import AgendaItem, Attendee, PanelAction, PanelMeeting
from core.notes import NOTE_MAX_LENGTH, bounded

NAME_MAX_LENGTH = 200


def _runs(by: User) -> None:
    if not permissions.can_run_panel(by):
        raise PermissionDenied


def _name(text: str, *, field: str, required_message: str, what: str) -> str:
    return bounded(text, field=field, limit=NAME_MAX_LENGTH, what=what, required_message=required_message)


@transaction.atomic
def set_chair(meeting: PanelMeeting, *, by: User, name: str, agency: str) -> PanelMeeting:
    """Record who chairs the meeting and for which agency."""
    _runs(by)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.chair_name = _name(name, field="name", required_message="Enter the chair's name", what="The name")
    meeting.chair_agency = _name(agency, field="agency", required_message="Enter the chair's agency", what="The agency")
    meeting.save(update_fields=["chair_name", "chair_agency"])
    record(by=by, action="panel.chair_recorded", target=meeting)
    return meeting


@transaction.atomic
def add_attendee(meeting: PanelMeeting, *, by: User, name: str, agency: str, attended: bool) -> Attendee:
    """Record one person at the meeting, or their apologies, for their agency."""
    _runs(by)
    attendee = Attendee.objects.create(
        meeting=meeting,
        name=_name(name, field="name", required_message="Enter the person's name", what="The name"),
        agency=_name(agency, field="agency", required_message="Enter their agency", what="The agency"),
        attended=attended,
    )
    record(by=by, action="panel.attendance_recorded", target=meeting, attendee_id=attendee.pk, attended=attended)
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    """Take a line of the attendance off (typed by mistake)."""
    _runs(by)
    meeting = attendee.meeting
    attendee_id = attendee.pk
    attendee.delete()
    record(by=by, action="panel.attendance_removed", target=meeting, attendee_id=attendee_id)


def _item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)


@transaction.atomic
def write_summary(item: AgendaItem, *, by: User, text: str) -> AgendaItem:
    """Write what the panel members read about the case: a summary for the panel, never police-only detail."""
    _runs(by)
    item = _item(item)
    item.summary = bounded(
        text,
        field="summary",
        limit=NOTE_MAX_LENGTH,
        what="The summary",
        required_message="Enter a summary for the panel",
    )
    item.save(update_fields=["summary"])
    lifecycle.add_event(item.case, by, f"Summary for the panel written for {item.meeting.meets_on:%-d %B %Y}")
    record(by=by, action="panel.summary_written", target=item.case, agenda_item_id=item.pk)
    return item


@transaction.atomic
def record_minutes(item: AgendaItem, *, by: User, text: str) -> AgendaItem:
    """Record the panel's discussion of the case, in its own field."""
    _runs(by)
    item = _item(item)
    item.minutes = bounded(
        text, field="minutes", limit=NOTE_MAX_LENGTH, what="The minutes", required_message="Enter the minutes"
    )
    item.save(update_fields=["minutes"])
    lifecycle.add_event(item.case, by, f"Panel minutes recorded for {item.meeting.meets_on:%-d %B %Y}")
    record(by=by, action="panel.minutes_recorded", target=item.case, agenda_item_id=item.pk)
    return item


@transaction.atomic
def add_action(item: AgendaItem, *, by: User, description: str, owner_agency: str, due_on) -> PanelAction:
    """Record an action the panel agreed on the case: it comes back on every later agenda until it is done."""
    _runs(by)
    item = _item(item)
    action = PanelAction.objects.create(
        item=item,
        description=bounded(
            description,
            field="description",
            limit=NOTE_MAX_LENGTH,
            what="The action",
            required_message="Enter the action",
        ),
        owner_agency=_name(owner_agency, field="owner_agency", required_message="Enter the agency", what="The agency"),
        due_on=due_on,
        created_by=by,
        created_at=timezone.now(),
    )
    lifecycle.add_event(item.case, by, f"Panel action for {action.owner_agency}, due {due_on:%-d %B %Y}")
    record(by=by, action="panel.action_added", target=item.case, panel_action_id=action.pk, due_on=due_on.isoformat())
    return action


@transaction.atomic
def complete_action(action: PanelAction, *, by: User) -> PanelAction:
    """Mark an action done (the team, or a member of the meeting that agreed it)."""
    action = PanelAction.objects.select_for_update().select_related("item__case", "item__meeting").get(pk=action.pk)
    if not permissions.can_complete_panel_action(by, action):
        raise PermissionDenied
    if action.done_at is not None:
        raise ValidationError("This action is already marked done.")
    action.done_by, action.done_at = by, timezone.now()
    action.save(update_fields=["done_by", "done_at"])
    lifecycle.add_event(action.item.case, by, f"Panel action for {action.owner_agency} done")
    record(by=by, action="panel.action_done", target=action.item.case, panel_action_id=action.pk)
    return action

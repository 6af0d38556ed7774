"""A Channel panel meeting's record: chair and attendance, summaries for the panel, minutes and actions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases import panel, support
from cases.models import CaseEvent, PanelAction
from tests.cases.support_factories import case_in_support
from tests.conftest import sign_in_client
from tests.oversight.helpers import search


@pytest.fixture
def meetings(make_user):
    """A case on last month's agenda and on today's, with a member who sat on the first only and one on both."""
    supervisor = make_user(Role.SUPERVISOR)
    first_member, both = make_user(Role.PANEL_MEMBER), make_user(Role.PANEL_MEMBER)
    case = case_in_support(make_user, stop_at="channel")
    today = timezone.localdate()
    earlier = support.create_meeting(
        by=supervisor, meets_on=today - timedelta(days=28), title="November panel", members=[first_member, both]
    )
    later = support.create_meeting(by=supervisor, meets_on=today, title="December panel", members=[both])
    return {
        "supervisor": supervisor,
        "first_member": first_member,
        "both": both,
        "case": case,
        "earlier": earlier,
        "later": later,
        "earlier_item": support.list_case(earlier, case=case, by=supervisor),
        "later_item": support.list_case(later, case=case, by=supervisor),
    }


def page(client, meeting):
    return client.get(reverse("cases:meeting", args=[meeting.pk])).content.decode()


def test_the_summary_and_minutes_are_saved_audited_and_in_the_chronology(meetings):
    supervisor, item = meetings["supervisor"], meetings["earlier_item"]
    panel.write_summary(item, by=supervisor, text="  Withdrawn at school since the summer.  ")
    panel.record_minutes(item, by=supervisor, text="The school will offer a mentor.")
    item.refresh_from_db()
    assert item.summary == "Withdrawn at school since the summer." and item.minutes == "The school will offer a mentor."
    events = AuditEvent.objects.filter(action__in=["panel.summary_written", "panel.minutes_recorded"])
    assert {(event.action, event.case_id, event.details["agenda_item_id"]) for event in events} == {
        ("panel.summary_written", item.case_id, item.pk),
        ("panel.minutes_recorded", item.case_id, item.pk),
    }
    assert "Withdrawn" not in str([event.details for event in events])  # ids in the trail, never the words
    assert CaseEvent.objects.filter(case=item.case, what__startswith="Panel minutes recorded").exists()


def test_panel_members_read_the_summary_and_minutes_never_the_police_rationale(meetings):
    supervisor, item = meetings["supervisor"], meetings["later_item"]
    panel.write_summary(item, by=supervisor, text="Worried family; college involved.")
    panel.record_minutes(item, by=supervisor, text="Agreed to adopt.")
    for user in (meetings["both"], supervisor):
        body = page(sign_in_client(Client(), user), meetings["later"])
        assert "Worried family; college involved." in body and "Agreed to adopt." in body
        assert "Needs support." not in body  # the decision's rationale stays on the case page, police-only


def test_an_open_action_comes_back_on_every_later_agenda_until_done(meetings):
    supervisor, both = meetings["supervisor"], meetings["both"]
    action = panel.add_action(
        meetings["earlier_item"],
        by=supervisor,
        description="Children's services to visit the family.",
        owner_agency="Children's services",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    assert AuditEvent.objects.get(action="panel.action_added").details["panel_action_id"] == action.pk
    member = sign_in_client(Client(), both)
    later = page(member, meetings["later"])
    assert "Actions carried forward" in later and "Children&#x27;s services to visit the family." in later
    assert "Actions carried forward" not in page(member, meetings["earlier"])  # agreed there: not carried to itself

    response = member.post(reverse("cases:meeting_action_done", args=[meetings["later"].pk, action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_by == both and action.done_at is not None
    assert AuditEvent.objects.filter(action="panel.action_done", actor=both).exists()
    assert "Actions carried forward" not in page(member, meetings["later"])
    with pytest.raises(ValidationError, match="already marked done"):
        panel.complete_action(action, by=supervisor)


def test_only_the_team_or_a_member_of_the_meeting_that_agreed_it_marks_an_action_done(meetings, make_user):
    action = panel.add_action(
        meetings["later_item"],
        by=meetings["supervisor"],
        description="Health to offer an appointment.",
        owner_agency="NHS trust",
        due_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        panel.complete_action(action, by=meetings["first_member"])  # sat on the earlier meeting, not this one
    outsider = sign_in_client(Client(), make_user(Role.PANEL_MEMBER))
    assert (
        outsider.post(reverse("cases:meeting_action_done", args=[meetings["later"].pk, action.pk])).status_code == 404
    )
    assert PanelAction.objects.get(pk=action.pk).done_at is None


def test_the_chair_and_attendance_are_recorded_per_agency(meetings):
    supervisor, meeting = meetings["supervisor"], meetings["later"]
    team = sign_in_client(Client(), supervisor)
    team.post(reverse("cases:meeting_chair", args=[meeting.pk]), {"name": "Robin Ash", "agency": "County council"})
    team.post(
        reverse("cases:meeting_attendee", args=[meeting.pk]),
        {"name": "Kim Lee", "agency": "NHS trust", "attended": "yes"},
    )
    team.post(
        reverse("cases:meeting_attendee", args=[meeting.pk]),
        {"name": "Jo Park", "agency": "Probation", "attended": "no"},
    )
    meeting.refresh_from_db()
    assert (meeting.chair_name, meeting.chair_agency) == ("Robin Ash", "County council")
    assert [(a.name, a.agency, a.attended) for a in meeting.attendees.all()] == [
        ("Kim Lee", "NHS trust", True),
        ("Jo Park", "Probation", False),
    ]
    body = page(sign_in_client(Client(), meetings["both"]), meeting)
    apologies = body.split("Apologies")[1]
    assert "Robin Ash (County council)" in body and "Jo Park (Probation)" in apologies
    assert "Record the chair and attendance" not in body  # a member reads the record; the team keeps it
    actions = AuditEvent.objects.filter(action__startswith="panel.", target_id=str(meeting.pk)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == [
        "panel.attendance_recorded",
        "panel.attendance_recorded",
        "panel.chair_recorded",
        "panel.meeting_created",
    ]


def test_a_form_refused_comes_back_on_the_agenda_with_its_errors_and_what_was_typed(meetings):
    team = sign_in_client(Client(), meetings["supervisor"])
    item = meetings["later_item"]
    url = reverse("cases:meeting_item_write", args=[meetings["later"].pk, item.pk, "action"])
    prefix = f"item{item.pk}-"
    response = team.post(
        url,
        {
            f"{prefix}description": "Police to check in with the school.",
            f"{prefix}owner_agency": "",
            f"{prefix}due_on_day": "31",
            f"{prefix}due_on_month": "2",
            f"{prefix}due_on_year": "2027",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Enter the agency" in body
    assert "Police to check in with the school." in body  # kept
    assert 'class="govuk-error-message"' in body
    assert not PanelAction.objects.exists()
    empty = team.post(
        reverse("cases:meeting_item_write", args=[meetings["later"].pk, item.pk, "summary"]),
        {f"{prefix}summary": "   "},
    )
    assert "Enter a summary for the panel" in empty.content.decode()
    assert (
        team.post(reverse("cases:meeting_item_write", args=[meetings["later"].pk, item.pk, "other"])).status_code == 404
    )


def test_members_cannot_keep_the_record(meetings):
    member = sign_in_client(Client(), meetings["both"])
    item = meetings["later_item"]
    url = reverse("cases:meeting_item_write", args=[meetings["later"].pk, item.pk, "minutes"])
    assert member.post(url, {f"item{item.pk}-minutes": "Typed by a member."}).status_code == 403
    with pytest.raises(PermissionDenied):
        panel.record_minutes(item, by=meetings["both"], text="Typed by a member.")


def test_an_agenda_view_is_found_by_its_case_with_the_case_shown(meetings):
    member = sign_in_client(Client(), meetings["both"])
    assert member.get(reverse("cases:meeting", args=[meetings["later"].pk])).status_code == 200
    case = meetings["case"]
    rows = search(sign_in_client(Client(), meetings["supervisor"]), case_reference=case.reference).context["rows"]
    viewed = [row for row in rows if row["action"] == "Panel agenda viewed"]
    assert viewed and all(row["case"] == case.reference for row in viewed)


def test_the_agenda_runs_a_fixed_number_of_queries_with_actions_and_attendance(meetings, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor, later = meetings["supervisor"], meetings["later"]
    team = sign_in_client(Client(), supervisor)
    with CaptureQueriesContext(connection) as few:
        team.get(reverse("cases:meeting", args=[later.pk]))
    for number in range(3):
        item = support.list_case(later, case=case_in_support(make_user, stop_at="channel"), by=supervisor)
        panel.add_action(
            item, by=supervisor, description=f"Action {number}", owner_agency="School", due_on=date(2027, 1, 4)
        )
        panel.add_action(
            meetings["earlier_item"],
            by=supervisor,
            description=f"Old {number}",
            owner_agency="Council",
            due_on=date(2027, 1, 4),
        )
        panel.add_attendee(later, by=supervisor, name=f"Person {number}", agency="School", attended=True)
    with CaptureQueriesContext(connection) as more:
        body = team.get(reverse("cases:meeting", args=[later.pk])).content.decode()
    assert body.count("Action ") >= 3 and "Old 2" in body
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_subject_access_export_holds_the_summary_minutes_and_actions(meetings):
    from subject_access.items import agenda_item

    supervisor, item = meetings["supervisor"], meetings["earlier_item"]
    panel.write_summary(item, by=supervisor, text="Summary for the panel.")
    panel.record_minutes(item, by=supervisor, text="Minutes of the panel.")
    panel.add_action(
        item, by=supervisor, description="Visit the family.", owner_agency="Council", due_on=date(2027, 1, 4)
    )
    item.refresh_from_db()
    exported = {field["label"]: field["value"] for field in agenda_item(item)["fields"]}
    assert exported["Summary for the panel"] == "Summary for the panel."
    assert exported["Minutes"] == "Minutes of the panel."
    assert exported["Action for Council, due 4 January 2027"] == "Visit the family."

"""What case events tell whom (see notifications: `notify`). Called by the service that makes the event,
inside its transaction; a notice names a kind, a reference and a link, never a person's details.
"""

from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify, supervisors

K = Notification.Kind


def case_assigned(case, *, to, by: User) -> None:
    """Tell an officer a case is now theirs (not when they took it themselves)."""
    if to.pk != by.pk:
        notify([to], kind=K.CASE_ASSIGNED, reference=case.reference, link=reverse("cases:detail", args=[case.pk]))


def sign_off_requested(case, *, by: User) -> None:
    """Tell the supervisors (other than the one asking) that a decision or closure awaits their sign-off."""
    link = reverse("cases:detail", args=[case.pk])
    notify(supervisors(exclude=by), kind=K.SIGN_OFF_REQUESTED, reference=case.reference, link=link)


def provider_granted(grant) -> None:
    """Tell a support provider a case was shared with them."""
    link = reverse("cases:provided_case", args=[grant.case_id])
    notify([grant.provider], kind=K.PROVIDER_ACCESS_GRANTED, reference=grant.case.reference, link=link)


def provider_revoked(grant, *, by: User) -> None:
    """Tell a support provider their access to a case ended (not when they handed it back themselves)."""
    if grant.provider_id != getattr(by, "pk", None):
        link = reverse("cases:provided")
        notify([grant.provider], kind=K.PROVIDER_ACCESS_REVOKED, reference=grant.case.reference, link=link)


def listed_for_panel(item) -> None:
    """Tell a panel meeting's members that a case is on its agenda (once per case and meeting)."""
    meeting = item.meeting
    notify(
        list(meeting.members.all()),
        kind=K.PANEL_AGENDA,
        reference=item.case.reference,
        link=reverse("cases:meeting", args=[meeting.pk]),
        key=f"panel:{meeting.pk}:{item.case_id}",
    )


def cover_set(cover, *, by: User) -> None:
    """Tell a colleague they cover an officer's caseload (and the officer, when a supervisor named it)."""
    link = reverse("cases:covers")
    recipients = [cover.colleague] + ([cover.officer] if by.pk != cover.officer_id else [])
    notify(recipients, kind=K.COVER_SET, reference=f"COVER-{cover.pk}", link=link)


def cover_ended(cover, *, by: User) -> None:
    """Tell the other officers of a cover that it was ended early (not the one who ended it)."""
    recipients = [user for user in (cover.officer, cover.colleague) if user.pk != by.pk]
    notify(recipients, kind=K.COVER_ENDED, reference=f"COVER-{cover.pk}", link=reverse("cases:covers"))

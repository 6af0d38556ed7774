"""Cover: a colleague officer works an absent officer's caseload for a date range, as its officer would.

A cover lasts from its start date to its end date (both included) and ends by itself after that: the rule is on
dates (`Cover.objects.in_force`), no task runs. Either officer or a supervisor may end it early.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from audit.services import record
from cases import notices, permissions
from cases.models import Cover
from core import notes

NOTE_MAX_LENGTH = notes.NOTE_MAX_LENGTH


def _date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def overlapping(officer: User, starts_on: date, ends_on: date):
    """Return the officer's covers, not ended early, that share a day with the range."""
    return Cover.objects.filter(officer=officer, ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)


@transaction.atomic
def set_cover(
    officer: User, *, colleague: User | None, starts_on: date, ends_on: date, note: str = "", by: User
) -> Cover:
    """Name a colleague officer to cover an officer's caseload from one date to another; the colleague is told."""
    if not permissions.can_set_cover(by, officer):
        raise PermissionDenied
    # One cover at a time per officer: lock the officer so two people naming cover at once cannot overlap.
    officer = User.objects.select_for_update().get(pk=officer.pk)
    note = note.strip()
    errors: dict[str, str] = {}
    if colleague is None:
        errors["colleague"] = "Select the colleague who will cover"
    elif colleague.pk == officer.pk:
        errors["colleague"] = "Select a colleague: an officer cannot cover for themselves"
    elif not colleague.is_active or not colleague.has_role(Role.PREVENT_OFFICER):
        errors["colleague"] = "Select a colleague who is a Prevent officer"
    if starts_on < timezone.localdate():
        errors["starts_on"] = "The start date must be today or in the future"
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = notes.too_long("The note", NOTE_MAX_LENGTH)
    if "ends_on" not in errors:
        clash = overlapping(officer, starts_on, ends_on).first()
        if clash is not None:
            errors["starts_on"] = (
                f"Cover is already set from {_date(clash.starts_on)} to {_date(clash.ends_on)}: "
                "choose dates that do not overlap it, or end that cover first"
            )
    if errors:
        raise ValidationError(errors)
    assert colleague is not None
    cover = Cover.objects.create(
        officer=officer,
        colleague=colleague,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        created_by=by,
        created_at=timezone.now(),
    )
    record(
        by=by,
        action="cover.set",
        target=cover,
        officer_id=officer.pk,
        colleague_id=colleague.pk,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    notices.cover_set(cover, by=by)
    return cover


@transaction.atomic
def end_cover(cover: Cover, *, by: User) -> Cover:
    """End a cover before its end date: from now the colleague no longer works the officer's cases."""
    cover = Cover.objects.select_for_update().get(pk=cover.pk)
    if cover.ended_at is not None:
        raise ValidationError("This cover has already ended. Nothing was changed.")
    if not permissions.can_end_cover(by, cover):
        raise PermissionDenied
    cover.ended_at, cover.ended_by = timezone.now(), by
    cover.save(update_fields=["ended_at", "ended_by"])
    record(by=by, action="cover.ended", target=cover, officer_id=cover.officer_id, colleague_id=cover.colleague_id)
    notices.cover_ended(cover, by=by)
    return cover

"""Saved queue filters: each user's named sets of the queue's filters, saved and deleted with an audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record
from cases import permissions
from cases.models import MAX_SAVED_FILTERS, SavedQueueFilter
from cases.models.saved_filter import NAME_MAX_LENGTH
from core.notes import bounded


@transaction.atomic
def save_queue_filter(*, by: User, name: str, filters: dict) -> SavedQueueFilter:
    """Save the queue's filters (the filter form's cleaned values) under a name of the user's own."""
    if not permissions.can_work_cases(by):
        raise PermissionDenied
    name = bounded(name, field="name", limit=NAME_MAX_LENGTH, what="The name", required_message="Enter a name")
    # Lock the user's row: two saves at once cannot pass the limit or the unique name together.
    User.objects.select_for_update().filter(pk=by.pk).first()
    mine = SavedQueueFilter.objects.filter(owner=by)
    if mine.filter(name__iexact=name).exists():
        raise ValidationError({"name": "You already have a saved filter with this name"})
    if mine.count() >= MAX_SAVED_FILTERS:
        raise ValidationError({"name": f"You can save up to {MAX_SAVED_FILTERS} filters: delete one first"})
    kept = {key: value for key, value in filters.items() if value not in ("", None, False)}
    saved = SavedQueueFilter.objects.create(owner=by, name=name, filters=kept, created_at=timezone.now())
    record(by=by, action="queue_filter.saved", target=saved, fields=sorted(kept))
    return saved


@transaction.atomic
def delete_queue_filter(saved: SavedQueueFilter, *, by: User) -> None:
    """Delete one of the user's own saved filters."""
    if saved.owner_id != by.pk:
        raise PermissionDenied
    record(by=by, action="queue_filter.deleted", target=saved)
    saved.delete()

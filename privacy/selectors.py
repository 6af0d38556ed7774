from django.db.models import QuerySet

from privacy import permissions
from privacy.models import Tombstone


def visible_tombstones(user) -> QuerySet[Tombstone]:
    """Return the tombstones this user may see: all of them for supervisors, none for anyone else."""
    tombstones = Tombstone.objects.select_related("requested_by", "approved_by")
    if permissions.can_view_tombstones(user):
        return tombstones
    return tombstones.none()

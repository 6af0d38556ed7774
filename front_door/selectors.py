"""What of the public's contacts a user may see: the Prevent team sees them all; everyone else, none."""

from django.db.models import QuerySet

from accounts.models import User
from front_door import permissions
from front_door.models import PublicContact


def visible_public_contacts(user: User) -> QuerySet[PublicContact]:
    if not permissions.can_handle_contacts(user):
        return PublicContact.objects.none()
    return PublicContact.objects.all()


def waiting_count(user: User) -> int:
    return visible_public_contacts(user).filter(status=PublicContact.Status.NEW).count()

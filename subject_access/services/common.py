"""The two steps every subject access write starts with."""

from django.core.exceptions import PermissionDenied

from accounts.models import User
from subject_access import permissions
from subject_access.models import SubjectAccessRequest


def require_handler(by: User) -> None:
    """Refuse anyone who may not handle subject access requests."""
    if not permissions.can_handle_subject_access(by):
        raise PermissionDenied


def locked(request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Return the request again, locked until the transaction ends."""
    return SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)

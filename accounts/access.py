"""How a view declares who may use it: `@allow_if(permissions.can_x)`. Anyone else gets a 403."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def allow_if(predicate):
    """Let the view run only for users the predicate accepts."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_if = predicate
        return wrapped

    return decorator

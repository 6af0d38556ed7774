from django.db import models
from django.utils import timezone

from audit import context
from audit.models import AuditEvent


def record(*, by, action: str, target: models.Model | None = None, reason: str = "", **details) -> AuditEvent:
    """Write one audit event; call it inside the transaction of the change it records.

    `by` is the acting user (None for an anonymous or system action). `details` must hold ids and
    codes, never personal data.
    """
    request = context.current.get()
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=user,
        actor_roles=",".join(user.role_names) if user else "",
        actor_organisation_id=user.organisation_id if user else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip_address=request.ip_address if request else None,
        request_id=request.request_id if request else "",
        reason=reason,
        details=details,
    )

"""The audit event of an erasure: who erased which record, when, under which rule, and nothing of the record."""

import re
from typing import TYPE_CHECKING

from django.db import models

from audit import services
from audit.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import User

# A rule is a code from the retention schedule ("draft-28-days", "nfa-3-years"), never free text.
RULE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def record_erasure(*, by: "User", record: models.Model, rule: str) -> AuditEvent:
    """Write `record.erased` for a record about to be erased: its type and id and the rule's code only.

    Call it in the transaction that erases, before `delete()` (which clears the instance's primary key).
    The event keeps the record's type and id, the case id if the record belongs to a case, and the
    rule: it stays meaningful once the record is gone and holds none of its data.
    """
    if record.pk is None:
        raise ValueError("record_erasure needs the record before it is deleted (it has no primary key)")
    if not RULE.fullmatch(rule):
        raise ValueError("rule must be a retention rule's code (lower-case letters, digits, '.', '_' or '-')")
    return services.record(by=by, action="record.erased", target=record, rule=rule)

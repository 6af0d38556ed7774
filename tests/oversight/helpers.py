"""Helpers shared by the tests of the supervisors' screens."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from accounts.models import Role
from audit.models import Alert, AuditEvent
from audit.services import record

LONDON = ZoneInfo("Europe/London")
TAKEOVER = Alert.Rule.ACCOUNT_CHANGE_PASSWORD


def at(time_machine, text: str) -> datetime:
    """Stop the clock at this London wall-clock time ("2026-07-15 22:30")."""
    moment = datetime.fromisoformat(text).replace(tzinfo=LONDON)
    time_machine.move_to(moment, tick=False)
    return moment


def view_cases(time_machine, user, count, every_seconds=3, case_ids=None, action="case.viewed"):
    """Record the user opening `count` cases (new ones unless given), one every few seconds."""
    case_ids = case_ids or [uuid.uuid4() for _ in range(count)]
    for number in range(count):
        record(by=user, action=action, case=case_ids[number % len(case_ids)])
        time_machine.shift(every_seconds)
    return case_ids


def alerts_of(rule):
    return list(Alert.objects.filter(rule=rule).order_by("id"))


def shown(response) -> list[AuditEvent]:
    """The events on the page, in order (what the table shows)."""
    return list(response.context["page"].events)


def span(since: str, until: str) -> dict:
    """The date boxes as typed: span("5 3 2026", "10 3 2026")."""
    typed = {}
    for prefix, text in (("from", since), ("to", until)):
        typed.update(zip([f"{prefix}_day", f"{prefix}_month", f"{prefix}_year"], text.split(), strict=True))
    return typed


def search(client, **filters):
    return client.get(reverse("audit:search"), filters)


def person_search(client, query="", **terms):
    return client.post(reverse("audit:search") + query, terms)


def officer_views(signed_in, case):
    """An officer who may open the case opens it, as in the service (writes case.viewed)."""
    officer = signed_in(Role.PREVENT_OFFICER)
    from cases import services

    services.assign(case, to=officer.user, by=officer.user)
    assert officer.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return officer.user

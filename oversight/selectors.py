"""Reads of the audit trail for supervisors: filtered, newest first, one keyset page at a time; and the alerts.

A page is one indexed query whatever the size of the trail: (occurred_at, id) descending, starting
after a cursor (WHERE (occurred_at, id) < (cursor)), on the index that leads with the filter given
(case, actor, action, or time alone; a case's list pages through `ListedCase`). Nothing here reads case
content: a person search resolves to case ids and references only.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accounts.models import Role, User
from audit import actions
from audit.models import Alert, AuditEvent, ListedCase
from audit.permissions import can_review_audit
from cases.models import BreakGlass, Case
from core import cursors
from core.forms import whole_number
from core.paging import page_size
from referrals.models import Referral

# A name or date of birth shared by many people must not turn into a search over thousands of cases.
MAX_PERSON_CASES = 200
# An export's most events (see oversight/views/export.py for why there is a limit).
EXPORT_LIMIT = 100_000
STAFF_CACHE_KEY = "audit:search:staff-options"


def visible_events(user) -> QuerySet[AuditEvent]:
    """Return the audit trail with each event's user, for those who review it (supervisors); nobody else sees any."""
    if not can_review_audit(user):
        return AuditEvent.objects.none()
    return _trail()


def _trail() -> QuerySet[AuditEvent]:
    # The pages that call events_page have already checked who may review the trail.
    return AuditEvent.objects.select_related("actor")


def filtered(queryset: QuerySet[AuditEvent], criteria: dict) -> QuerySet[AuditEvent]:
    """Narrow the trail to the criteria given: actor_id, case_ids, action, since and before (datetimes)."""
    if criteria.get("actor_id") is not None:
        queryset = queryset.filter(actor_id=criteria["actor_id"])
    if criteria.get("case_ids") is not None:
        queryset = queryset.filter(about_cases(criteria["case_ids"]))
    if criteria.get("action"):
        queryset = queryset.filter(action__in=actions.family(criteria["action"]))
    if criteria.get("since") is not None:
        queryset = queryset.filter(occurred_at__gte=criteria["since"])
    if criteria.get("before") is not None:
        queryset = queryset.filter(occurred_at__lt=criteria["before"])
    return queryset


def listed(case_ids) -> Q:
    """Events of list pages that showed any of these cases (their `ListedCase` rows, see `record_list`)."""
    return Q(pk__in=ListedCase.objects.filter(case_id__in=list(case_ids)).values("event_id"))


def about_cases(case_ids) -> Q:
    """Events about any of these cases: opened, changed or shown in a list."""
    return Q(case_id__in=list(case_ids)) | listed(case_ids)


def case_by_reference(reference: str) -> tuple[uuid.UUID, str] | None:
    """Return (id, reference) of the case with this reference, or of the case a referral with it joined.

    Two unique-index lookups at most (one query with an OR across the join would scan the cases).
    """
    reference = reference.strip().upper()
    found = Case.objects.filter(reference=reference).values_list("pk", "reference").first()
    if found is None:
        joined = Referral.objects.filter(reference=reference).exclude(case=None).values("case_id")
        found = Case.objects.filter(pk__in=joined).values_list("pk", "reference").first()
    return (found[0], found[1]) if found else None


def cases_of_person(name: str = "", date_of_birth=None) -> list[tuple[uuid.UUID, str]]:
    """Return (id, reference) of the cases about a person (names match other spellings), in two indexed queries.

    Cases merged into another are included: their events are about the same person. Nothing about the
    person or the case is read beyond the reference.
    """
    from cases.search import search

    referrals = search({"name": name, "date_of_birth": date_of_birth}).exclude(case=None).order_by()
    case_ids = list(referrals.values_list("case_id", flat=True).distinct()[:MAX_PERSON_CASES])
    if not case_ids:
        return []
    rows = (
        Case.objects.filter(Q(pk__in=case_ids) | Q(merged_into__in=case_ids))
        .order_by("reference")
        .values_list("pk", "reference")[:MAX_PERSON_CASES]
    )
    return [(pk, reference) for pk, reference in rows]


def case_references(case_ids) -> dict[uuid.UUID, str]:
    """Return the reference of each case id given (erased cases have none), in one query."""
    wanted = {case_id for case_id in case_ids if case_id is not None}
    if not wanted:
        return {}
    return dict(Case.objects.filter(pk__in=wanted).values_list("pk", "reference"))


# --- keyset pages --------------------------------------------------------------------------------


@dataclass
class Page:
    events: list
    older: str | None  # cursor for the next (older) page
    newer: str | None  # cursor for the previous (newer) page
    first: bool


def encode_cursor(event: AuditEvent) -> str:
    """The cursor of a link to the events beyond this one: its time and id, signed."""
    return cursors.encode((event.occurred_at, event.pk), salt="oversight.events")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """The time and id a cursor carries, or None for a bad one."""
    return cursors.decode(cursor, (datetime, int), salt="oversight.events")


def events_page(criteria: dict, *, after: str | None = None, before: str | None = None) -> Page:
    """Return one page of the events matching the criteria (see `filtered`), newest first, from a cursor."""
    case_ids = criteria.get("case_ids")
    if not case_ids or not connection.features.supports_slicing_ordering_in_compound:
        return page_of(filtered(_trail(), criteria), after=after, before=before)
    queryset = filtered(_trail(), {**criteria, "case_ids": None})
    # Without a user or an action to check, a case's list pages are found in ListedCase alone.
    listed_rows = None
    if criteria.get("actor_id") is None and not criteria.get("action"):
        listed_rows = ListedCase.objects.all()
        if criteria.get("since") is not None:
            listed_rows = listed_rows.filter(occurred_at__gte=criteria["since"])
        if criteria.get("before") is not None:
            listed_rows = listed_rows.filter(occurred_at__lt=criteria["before"])
    return page_of(queryset, after=after, before=before, by_case=case_ids, listed_rows=listed_rows)


def _first(queryset: QuerySet, descending: bool, by_case=None, cursor=None, listed_rows=None) -> list:
    """A page of rows from the cursor on, and one more (which tells whether another page follows).

    For many cases (a person's), each case's newest keys (time, id) come from their own index scans and
    are merged, then the page's events are read by id: the events about the case (`case_id`) and the list
    pages that showed it (its `ListedCase` rows, from `listed_rows` or joined to the events when a user or
    action must be checked), each walked in time order from the cursor. With one `case_id IN (...)`, or a
    JSON index, PostgreSQL may instead read the whole trail, or every list page that showed a case, to sort.
    """
    sign = "-" if descending else ""
    order = [f"{sign}occurred_at", f"{sign}id"]
    if not by_case:
        return list(queryset.order_by(*order)[: page_size() + 1])
    beyond = TupleLessThan if descending else TupleGreaterThan

    def newest_keys(rows: QuerySet, time: str, key: str, **about):
        # One filter() call: the cursor and the case apply to the same joined ListedCase row.
        rows = rows.filter(*([beyond(Tuple(F(time), F(key)), cursor)] if cursor else []), **about)
        return rows.order_by(f"{sign}{time}", f"{sign}{key}").values_list(time, key)[: page_size() + 1]

    parts = [newest_keys(queryset, "occurred_at", "id", case_id=pk) for pk in by_case]
    for pk in by_case:
        if listed_rows is not None:
            parts.append(newest_keys(listed_rows, "occurred_at", "event_id", case_id=pk))
        else:
            parts.append(newest_keys(queryset, "listings__occurred_at", "listings__event_id", listings__case_id=pk))
    # Not UNION ALL: one list page can show two of the cases.
    keys = list(parts[0].union(*parts[1:]).order_by(*order)[: page_size() + 1])
    return list(_trail().filter(pk__in=[pk for _, pk in keys]).order_by(*order))


def page_of(
    queryset: QuerySet[AuditEvent],
    *,
    after: str | None = None,
    before: str | None = None,
    by_case=None,
    listed_rows=None,
) -> Page:
    """Return a page of events newest first, older than `after` or newer than `before` (a bad cursor starts again).

    The range condition beside the OR lets PostgreSQL start its index scan at the cursor. `by_case`: case
    ids to read one by one and merge (see `_first`).
    """
    older_than, newer_than = decode_cursor(after), decode_cursor(before)
    if older_than is not None:
        moment, pk = older_than
        query = queryset.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk), occurred_at__lte=moment)
        rows = _first(query, True, by_case, older_than, listed_rows)
        more, rows = len(rows) > page_size(), rows[: page_size()]
        return Page(
            events=rows,
            older=encode_cursor(rows[-1]) if more else None,
            newer=encode_cursor(rows[0]) if rows else None,
            first=False,
        )
    if newer_than is not None:
        moment, pk = newer_than
        query = queryset.filter(Q(occurred_at__gt=moment) | Q(occurred_at=moment, id__gt=pk), occurred_at__gte=moment)
        rows = _first(query, False, by_case, newer_than, listed_rows)
        more, rows = len(rows) > page_size(), rows[: page_size()][::-1]
        return Page(
            events=rows,
            older=encode_cursor(rows[-1]) if rows else None,
            newer=encode_cursor(rows[0]) if more else None,
            first=not more,
        )
    rows = _first(queryset, True, by_case, None, listed_rows)
    more, rows = len(rows) > page_size(), rows[: page_size()]
    return Page(events=rows, older=encode_cursor(rows[-1]) if more else None, newer=None, first=True)


# --- the user filter -----------------------------------------------------------------------------


def staff_options() -> str:
    """The users for the search's user filter as <option>s: cached for a minute, so a page's queries stay fixed."""

    def load():
        users = User.objects.select_related("organisation").order_by("full_name", "pk")
        rows = users.values_list("pk", "full_name", "organisation__name", "is_active")
        return format_html_join(
            "",
            '<option value="{}">{} ({}){}</option>',
            ((pk, name, organisation, "" if active else ", deactivated") for pk, name, organisation, active in rows),
        )

    options = cache.get_or_set(STAFF_CACHE_KEY, load, 60)
    return options if options is not None else load()


def staff_select_options(chosen: str) -> str:
    """The user filter's options with the chosen one selected (by its id)."""
    options = str(staff_options())
    pk = whole_number(chosen)
    if pk is not None:
        options = options.replace(f'<option value="{pk}">', f'<option value="{pk}" selected>', 1)
    # Built from escaped parts only (format_html_join above); the replacement adds a fixed attribute.
    return mark_safe('<option value="">Anyone</option>' + options)  # noqa: S308


# --- alerts --------------------------------------------------------------------------------------

SHOW_UNREVIEWED, SHOW_REVIEWED, SHOW_ALL = "unreviewed", "reviewed", "all"


def visible_alerts(user) -> QuerySet[Alert]:
    """Return the alerts this user may see: all of them for a supervisor, none for anyone else."""
    if not can_review_audit(user):
        return Alert.objects.none()
    return Alert.objects.select_related("user", "reviewed_by")


def users_named(ids) -> list[User]:
    """Return the users an alert's details name by id (who changed an account), by name."""
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk")) if ids else []


def alerts_to_show(user, *, rule: str = "", show: str = SHOW_UNREVIEWED) -> QuerySet[Alert]:
    """Return the alerts for the dashboard list, newest first, filtered by rule and review state."""
    alerts = visible_alerts(user)
    if rule:
        alerts = alerts.filter(rule=rule)
    if show == SHOW_UNREVIEWED:
        alerts = alerts.filter(reviewed_at__isnull=True)
    elif show == SHOW_REVIEWED:
        alerts = alerts.filter(reviewed_at__isnull=False)
    return alerts.order_by("-raised_at", "-id")


def alert_counts(user) -> list[dict]:
    """Return, for every rule in order, its label and how many alerts await review and exist, in one query."""
    rows = {
        row["rule"]: row
        for row in visible_alerts(user)
        .order_by()
        .values("rule")
        .annotate(total=Count("id"), unreviewed=Count("id", filter=Q(reviewed_at__isnull=True)))
    }
    return [
        {
            "rule": rule,
            "label": label,
            "unreviewed": rows.get(rule, {}).get("unreviewed", 0),
            "total": rows.get(rule, {}).get("total", 0),
        }
        for rule, label in Alert.Rule.choices
    ]


ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class Viewer:
    """One person's access to a case, summed up: above the detailed rows of the case's access history."""

    name: str
    roles: str
    organisation: str
    first: datetime
    last: datetime
    count: int
    grounds: str  # "Caseload or role", or the break-glass reasons they gave

    @property
    def first_iso(self) -> str:
        return self.first.isoformat(timespec="seconds")  # HTML allows at most 3 digits of a second

    @property
    def last_iso(self) -> str:
        return self.last.isoformat(timespec="seconds")


def who_saw(case_id) -> list[Viewer]:
    """Return everyone who saw or changed the case (any kind of view, lists included), most recent first.

    Two queries whatever the number of events: the events grouped by person, then their break-glass grants.
    """
    rows = (
        AuditEvent.objects.filter(about_cases([case_id]), actor__isnull=False)
        .exclude(action__startswith="audit.")  # supervisors reading the trail are not reading the case
        .values("actor_id", "actor__full_name", "actor__organisation__name")
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"), count=Count("id"), roles=Max("actor_roles"))
        .order_by("-last", "actor_id")
    )
    grants: dict[int, list[str]] = {}
    for grant in BreakGlass.objects.filter(case_id=case_id).order_by("granted_at"):
        grants.setdefault(grant.user_id, []).append(grant.get_reason_code_display())
    return [
        Viewer(
            name=row["actor__full_name"],
            roles=", ".join(str(ROLE_LABELS.get(code, code)) for code in (row["roles"] or "").split(",") if code),
            organisation=row["actor__organisation__name"] or "",
            first=row["first"],
            last=row["last"],
            count=row["count"],
            grounds="Break-glass: " + ", ".join(dict.fromkeys(grants[row["actor_id"]]))
            if row["actor_id"] in grants
            else "Caseload or role",
        )
        for row in rows
    ]

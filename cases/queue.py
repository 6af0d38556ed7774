"""The triage queue: filters, sort orders and keyset pages over the queue selector.

Keyset pagination (WHERE (key, id) > (last key, last id)) makes page 500 as cheap as page 1, and the
page is one indexed query whatever the size of the table.
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone

from accounts.models import Organisation, Team, User
from cases.models import NEXT_ACTION, OPEN_STATUSES, Case, Cover
from cases.selectors import overdue
from core import cursors
from core.forms import whole_number
from core.paging import page_size

SORTS = {
    # name: (label, field, descending)
    "due": ("Due date, soonest first", "assessment_due", False),
    "newest": ("Received, newest first", "received_at", True),
    "oldest": ("Received, oldest first", "received_at", False),
}


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open cases"), ("all", "All cases"), *Case.Status.choices[:-1]]
    )
    assigned = forms.ChoiceField(label="Officer", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    concern_type = forms.CharField(label="Type of concern (referrer's view)", required=False, widget=forms.Select)
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any"), *Organisation.Sector.choices])
    overdue = forms.BooleanField(label="Only overdue", required=False)
    repeats = forms.BooleanField(label="Only with repeat referrals", required=False)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(key, label) for key, (label, _, _) in SORTS.items()]
    )

    def __init__(self, *args, officers, concern_types, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Any"), *((str(pk), name) for pk, name in teams)]
        self.fields["assigned"].choices = [("", "Anyone"), ("me", "Me"), ("none", "Unassigned")] + [
            (str(pk), name) for pk, name in officers
        ]
        self.fields["concern_type"].widget.choices = [("", "Any"), *concern_types]

    def selects(self) -> list[dict]:
        """The drop-down filters with their options and which one is chosen, ready to print."""
        selects = []
        for name in ("status", "assigned", "team", "concern_type", "sector", "sort"):
            field = self[name]
            chosen = str(field.value() or "")
            choices = getattr(field.field, "choices", None) or field.field.widget.choices
            options = [(str(value), label, str(value) == chosen) for value, label in choices]
            selects.append({"id": field.id_for_label, "name": name, "label": field.label, "options": options})
        return selects


@dataclass
class Page:
    cases: list
    next_cursor: str | None
    first: bool


def apply_filters(cases: QuerySet, data: dict, user, today: date) -> QuerySet:
    # Restricted cases are kept but not used: out of everyone's queue (supervisors list them under rights).
    cases = cases.filter(restricted_at__isnull=True)
    status = data.get("status") or ""
    if status == "":
        # Open work, and closed cases whose review has fallen due.
        cases = cases.filter(Q(status__in=OPEN_STATUSES) | Q(review_due__lte=today))
    elif status != "all":
        cases = cases.filter(status=status)
    assigned = data.get("assigned") or ""
    if assigned == "me":
        cases = cases.filter(assigned_to=user)
    elif assigned == "none":
        cases = cases.filter(assigned_to__isnull=True)
    elif whole_number(assigned) is not None:
        cases = cases.filter(assigned_to_id=whole_number(assigned))
    if whole_number(data.get("team") or "") is not None:
        cases = cases.filter(assigned_to__team_id=whole_number(data["team"]))
    if data.get("concern_type"):
        cases = cases.filter(concern_type__code=data["concern_type"])
    if data.get("sector"):
        cases = cases.filter(sector=data["sector"])
    if data.get("overdue"):
        cases = cases.filter(
            status__in=[Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT], assessment_due__lt=today
        )
    if data.get("repeats"):
        cases = cases.filter(referral_count__gt=1)
    return with_away(cases, today)


def with_away(cases: QuerySet, today: date) -> QuerySet:
    """Say on each row whether its officer is away under cover, in the page's one query (`away_until`, `covered_by`)."""
    cover = Cover.objects.in_force(today).filter(officer=OuterRef("assigned_to")).order_by("pk")
    return cases.annotate(
        away_until=Subquery(cover.values("ends_on")[:1]), covered_by=Subquery(cover.values("colleague__full_name")[:1])
    )


def encode_cursor(value, pk, *, field: str) -> str:
    """The Next link's cursor after a row: its sort key and id, signed for this sort order."""
    return cursors.encode((value, pk), salt=f"cases.queue.{field}")


def decode_cursor(cursor: str | None, field: str) -> tuple | None:
    """The sort key and id a cursor carries, or None for a bad one (or one made for another sort order)."""
    kind = datetime if field == "received_at" else date
    return cursors.decode(cursor, (kind, uuid.UUID), salt=f"cases.queue.{field}")


def keyset(cases: QuerySet, *, sort: str, cursor: str | None) -> tuple[QuerySet, str, bool]:
    """Return one page's query (a row more, to tell if another follows), its sort field, and if it is the first."""
    _, field, descending = SORTS.get(sort) or SORTS["due"]
    order = [f"-{field}", "-id"] if descending else [field, "id"]
    after = decode_cursor(cursor, field)
    if after is not None:
        # A row comparison, (field, id) > (value, pk), on PostgreSQL: the index scan starts exactly at the
        # cursor, where an OR of two conditions made the planner scan the rest of the queue and sort it.
        after_cursor = TupleLessThan if descending else TupleGreaterThan
        cases = cases.filter(after_cursor(Tuple(F(field), F("id")), after))
    return cases.order_by(*order)[: page_size() + 1], field, after is None


def page_of(cases: QuerySet, *, sort: str, cursor: str | None) -> Page:
    """Return one page in the chosen order, starting after the cursor (a bad cursor starts again)."""
    query, field, first = keyset(cases, sort=sort, cursor=cursor)
    rows = list(query)
    more = len(rows) > page_size()
    rows = rows[: page_size()]
    next_cursor = encode_cursor(getattr(rows[-1], field), rows[-1].pk, field=field) if more else None
    return Page(cases=rows, next_cursor=next_cursor, first=first)


SECTOR_LABELS = dict(Organisation.Sector.choices)
STATUS_LABELS = dict(Case.Status.choices)
_BLANK = uuid.UUID(int=0)


def row(case: Case, today: date) -> dict:
    """One queue row as plain text: the page renders 50 of these, so the work is done here, once."""
    detail = _detail_url_pattern()
    due = case.review_due if case.status == Case.Status.CLOSED else case.assessment_due
    return {
        "case": case,
        "url": detail.replace(str(_BLANK), str(case.pk)),
        "reference": case.reference,
        "received": timezone.localtime(case.received_at).strftime("%-d %b %Y"),
        "sector": SECTOR_LABELS.get(case.sector, ""),
        "concern": case.concern_type.label if case.concern_type_id else "Not sure",
        "status": STATUS_LABELS.get(case.status, case.status),
        "officer": case.assigned_to.full_name if case.assigned_to_id else "Unassigned",
        "away": away_text(case),
        "next": NEXT_ACTION.get(case.status, ""),
        "due": due.strftime("%-d %b %Y") if due else "",
        "overdue": overdue(case, today),
        "referrals": case.referral_count,
    }


def away_text(case: Case) -> str:
    """Say when a row's officer is away under cover ("Away until 12 December 2026, covered by X"), from `with_away`."""
    until = getattr(case, "away_until", None)
    return f"Away until {until:%-d %B %Y}, covered by {case.covered_by}" if until else ""


@functools.cache
def _detail_url_pattern() -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[_BLANK])


def filters_url(filters: dict) -> str:
    """The queue's address with these (saved) filters applied: codes and staff ids only, never a person."""
    from django.urls import reverse
    from django.utils.http import urlencode

    query = {key: "on" if value is True else value for key, value in filters.items()}
    return reverse("cases:queue") + (f"?{urlencode(query)}" if query else "")


def officers() -> list[tuple[int, str]]:
    """The team, for the officer filter: cached briefly, so the queue's query count stays fixed."""
    from django.core.cache import cache

    def load():
        return list(
            User.objects.filter(is_active=True, groups__permissions__codename="work_cases")
            .distinct()
            .order_by("full_name")
            .values_list("pk", "full_name")
        )

    return cache.get_or_set(OFFICERS_CACHE_KEY, load, 60)


OFFICERS_CACHE_KEY = "cases:queue:officers"
TEAMS_CACHE_KEY = "cases:queue:teams"


def teams() -> list[tuple[int, str]]:
    """The teams, for the team filter: cached briefly, like the officers."""
    from django.core.cache import cache

    return cache.get_or_set(TEAMS_CACHE_KEY, lambda: list(Team.objects.order_by("name").values_list("pk", "name")), 60)


def concern_types() -> list[tuple[str, str]]:
    from django.core.cache import cache

    from referrals.models import ConcernType

    def load():
        today = timezone.localdate()
        codes = ConcernType.objects.filter(valid_from__lte=today).exclude(valid_to__lt=today)
        return list(codes.values_list("code", "label"))

    return cache.get_or_set("cases:queue:concern_types", load, 300)

"""What is held about a person, as one data structure: the JSON, the PDF and the review page are all built from it.

`collect` reads every record of the confirmed referrals and cases into sections of items. Each item has a
stable key made of a kind and record ids (never content), a title, a date, labelled fields and any files.
`redact` takes out what a supervisor withheld; what is left is what the person is given.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from cases.models import (
    AgendaItem,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    Check,
    Consent,
    Decision,
    ProgressNote,
    ProviderGrant,
    Review,
    SupportPlan,
)
from referrals.models import Attachment, Referral
from subject_access.items import (
    agenda_item,
    assessment_item,
    attachment_item,
    case_item,
    check_item,
    consent_item,
    decision_item,
    disclosure_events,
    disclosure_item,
    event_item,
    grant_item,
    iso_date,
    note_item,
    plan_item,
    progress_item,
    recipient_ids,
    referral_items,
    review_item,
)

SCHEMA = "prevent-subject-access/1"
# How often the task writes its progress (a write per item would slow a large record for no one's benefit).
PROGRESS_EVERY = 25


@dataclass
class Source:
    """One kind of record: the rows to read and how each becomes an item."""

    section: str
    title: str
    rows: QuerySet
    item: Callable


def sources(referral_ids, case_ids, recipients: dict | None = None) -> list[Source]:
    """Return every kind of record held about the person, in the order the export shows them.

    `recipients` are the users the disclosures name (`_recipients`), needed only to make items, not to count rows.
    """
    referrals = Referral.objects.filter(pk__in=referral_ids).select_related("organisation", "concern_type")
    cases = Case.objects.filter(pk__in=case_ids)
    by_case = {"case_id__in": case_ids}
    return [
        Source("referrals", "Referrals about you", referrals.order_by("submitted_at"), referral_items),
        Source(
            "attachments",
            "Documents given with the referrals",
            Attachment.objects.filter(referral_id__in=referral_ids).select_related("referral").order_by("uploaded_at"),
            attachment_item,
        ),
        Source("cases", "Your case", cases.select_related("concern_type").order_by("received_at"), case_item),
        Source("checks", "Checks made", Check.objects.filter(**by_case).order_by("checked_at"), check_item),
        Source(
            "assessments",
            "Assessments",
            Assessment.objects.filter(**by_case).select_related("template").order_by("assessed_at"),
            assessment_item,
        ),
        Source("decisions", "Decisions", Decision.objects.filter(**by_case).order_by("decided_at"), decision_item),
        Source("notes", "Case notes", CaseNote.objects.filter(**by_case).order_by("written_at"), note_item),
        Source(
            "panel",
            "Channel panel",
            AgendaItem.objects.filter(**by_case)
            .select_related("meeting")
            .prefetch_related("actions")
            .order_by("meeting__meets_on"),
            agenda_item,
        ),
        Source("support", "Support plan", SupportPlan.objects.filter(**by_case), plan_item),
        Source("consents", "Consent", Consent.objects.filter(**by_case).order_by("recorded_at"), consent_item),
        Source(
            "progress",
            "Support progress",
            ProgressNote.objects.filter(**by_case).order_by("written_at"),
            progress_item,
        ),
        Source(
            "grants",
            "Support providers given access",
            ProviderGrant.objects.filter(**by_case).select_related("provider__organisation").order_by("granted_at"),
            grant_item,
        ),
        Source("reviews", "Reviews", Review.objects.filter(**by_case).order_by("due_on"), review_item),
        Source("chronology", "What happened, in order", CaseEvent.objects.filter(**by_case).order_by("at"), event_item),
        Source(
            "disclosures",
            "Who your information was shared with",
            disclosure_events(case_ids).order_by("occurred_at", "id"),
            partial(disclosure_item, recipients=recipients or {}),
        ),
    ]


def count(referral_ids, case_ids) -> int:
    """Return how many records the export reads: the progress bar's whole."""
    return sum(source.rows.count() for source in sources(referral_ids, case_ids))


def collect(request, progress: Callable[[int], None] = lambda done: None) -> dict:
    """Read everything held about the person in the request's confirmed records, reporting progress as it goes."""
    referral_ids, case_ids = request.referral_ids, request.case_ids
    done = 0
    result = []
    for source in sources(referral_ids, case_ids, _recipients(case_ids)):
        items = []
        for row in source.rows.iterator(chunk_size=500):
            made = source.item(row)
            items.extend(made if isinstance(made, list) else [made])
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        if items:
            result.append({"key": source.section, "title": source.title, "items": items})
    progress(done)
    return {
        "schema": SCHEMA,
        "request": {
            "reference": request.reference,
            "received_on": iso_date(request.received_on),
            "generated_at": iso_date(timezone.now()),
        },
        "sections": result,
    }


def _recipients(case_ids) -> dict:
    """The users named as recipients in the disclosures, in one query."""
    ids = {
        pk for details in disclosure_events(case_ids).values_list("details", flat=True) for pk in recipient_ids(details)
    }
    users = User.objects.filter(pk__in=ids).select_related("organisation").prefetch_related("groups")
    return {user.pk: user for user in users}


def items_of(data: dict) -> dict[str, dict]:
    """Every item by its key."""
    return {item["key"]: item for section in data["sections"] for item in section["items"]}


def redact(data: dict, withheld: dict[str, set[str]]) -> dict:
    """Return the data without what was withheld: {item key: {"" for the whole item, or field labels}}."""
    kept_sections = []
    for section in data["sections"]:
        items = []
        for item in section["items"]:
            fields = withheld.get(item["key"], set())
            if "" in fields:
                continue
            kept = {**item, "fields": [field for field in item["fields"] if field["label"] not in fields]}
            kept.pop("suggested_exemption", None)
            items.append(kept)
        if items:
            kept_sections.append({**section, "items": items})
    return {**data, "sections": kept_sections}

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
from audit.models import AuditEvent
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
from referrals import sections
from referrals.models import Attachment, Referral
from subject_access.models import Exemption

SCHEMA = "prevent-subject-access/1"
# Audit actions that record the person's data going to someone outside the Prevent team, and to whom.
DISCLOSURES = {
    "case.disclosed_to_provider": "Shared with a support provider",
    "case.provider_access_revoked": "A support provider's access ended",
    "case.disclosed_to_panel": "Listed for a Channel panel meeting (shared with its members)",
    "referral.feedback_shared": "Update shared with the referring organisation",
}
# Parts of a referral that are mostly about other people: offered to the supervisor as likely to withhold.
THIRD_PARTY_SECTIONS = {"about-you", "household", "agencies"}
# How often the task writes its progress (a write per item would slow a large record for no one's benefit).
PROGRESS_EVERY = 25


@dataclass
class Source:
    """One kind of record: the rows to read and how each becomes an item."""

    section: str
    title: str
    rows: QuerySet
    item: Callable


def _date(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _fields(*pairs) -> list[dict]:
    """Labelled values, leaving out the empty ones."""
    return [{"label": label, "value": str(value)} for label, value in pairs if value not in (None, "", [])]


def _item(key, title, *, date=None, fields=(), files=(), suggested="") -> dict:
    return {
        "key": key,
        "title": title,
        "date": _date(date),
        "fields": list(fields),
        "files": list(files),
        "suggested_exemption": suggested,
    }


def _role_of(user: User | None) -> str:
    """Describe a recipient by organisation and role: staff names are other people's data."""
    if user is None:
        return "A user no longer on record"
    roles = ", ".join(str(label) for label in user.role_labels) or "user"
    return f"{user.organisation.name} ({roles})"


def sources(referral_ids, case_ids, recipients: dict | None = None) -> list[Source]:
    """Return every kind of record held about the person, in the order the export shows them.

    `recipients` are the users the disclosures name (`_recipients`), needed only to make items, not to count rows.
    """
    referrals = Referral.objects.filter(pk__in=referral_ids).select_related("organisation", "concern_type")
    cases = Case.objects.filter(pk__in=case_ids)
    by_case = {"case_id__in": case_ids}
    return [
        Source("referrals", "Referrals about you", referrals.order_by("submitted_at"), _referral_items),
        Source(
            "attachments",
            "Documents given with the referrals",
            Attachment.objects.filter(referral_id__in=referral_ids).select_related("referral").order_by("uploaded_at"),
            _attachment_item,
        ),
        Source("cases", "Your case", cases.select_related("concern_type").order_by("received_at"), _case_item),
        Source("checks", "Checks made", Check.objects.filter(**by_case).order_by("checked_at"), _check_item),
        Source(
            "assessments",
            "Assessments",
            Assessment.objects.filter(**by_case).select_related("template").order_by("assessed_at"),
            _assessment_item,
        ),
        Source("decisions", "Decisions", Decision.objects.filter(**by_case).order_by("decided_at"), _decision_item),
        Source("notes", "Case notes", CaseNote.objects.filter(**by_case).order_by("written_at"), _note_item),
        Source(
            "panel",
            "Channel panel",
            AgendaItem.objects.filter(**by_case).select_related("meeting").order_by("meeting__meets_on"),
            _agenda_item,
        ),
        Source("support", "Support plan", SupportPlan.objects.filter(**by_case), _plan_item),
        Source("consents", "Consent", Consent.objects.filter(**by_case).order_by("recorded_at"), _consent_item),
        Source(
            "progress",
            "Support progress",
            ProgressNote.objects.filter(**by_case).order_by("written_at"),
            _progress_item,
        ),
        Source(
            "grants",
            "Support providers given access",
            ProviderGrant.objects.filter(**by_case).select_related("provider__organisation").order_by("granted_at"),
            _grant_item,
        ),
        Source("reviews", "Reviews", Review.objects.filter(**by_case).order_by("due_on"), _review_item),
        Source(
            "chronology", "What happened, in order", CaseEvent.objects.filter(**by_case).order_by("at"), _event_item
        ),
        Source(
            "disclosures",
            "Who your information was shared with",
            _disclosures(case_ids).order_by("occurred_at", "id"),
            partial(_disclosure_item, recipients=recipients or {}),
        ),
    ]


def _referral_items(referral: Referral) -> list[dict]:
    title = f"Referral {referral.reference}"
    items = [
        _item(
            f"referral-{referral.pk}",
            title,
            date=referral.submitted_at,
            fields=_fields(
                ("Reference", referral.reference),
                ("Received", _date(referral.submitted_at)),
                ("From", f"{referral.organisation.name} ({referral.organisation.get_sector_display()})"),
                ("How it was made", referral.get_channel_display()),
                ("Form version", referral.form_version),
                ("Status", referral.get_status_display()),
                ("Feedback shared with the referrer", referral.feedback),
            ),
        )
    ]
    for page in sections.SECTIONS:
        stored = referral.answers.get(page.slug)
        if not stored:
            continue
        rows = sections.summary(page, stored)
        items.append(
            _item(
                f"answers-{referral.pk}-{page.slug}",
                f"{title}: {page.title}",
                date=referral.submitted_at,
                fields=[{"label": row["question"], "value": row["answer"]} for row in rows],
                suggested=Exemption.THIRD_PARTY if page.slug in THIRD_PARTY_SECTIONS else "",
            )
        )
    return items


def _attachment_item(attachment: Attachment) -> dict:
    return _item(
        f"attachment-{attachment.pk}",
        f"Document: {attachment.original_name}",
        date=attachment.uploaded_at,
        fields=_fields(
            ("Name", attachment.original_name),
            ("Given with referral", attachment.referral.reference),
            ("Type", attachment.content_type),
            ("Size (bytes)", attachment.size),
        ),
        files=[
            {
                "attachment_id": str(attachment.pk),
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            }
        ],
    )


def _case_item(case: Case) -> dict:
    return _item(
        f"case-{case.pk}",
        f"Case {case.reference}",
        date=case.received_at,
        fields=_fields(
            ("Reference", case.reference),
            ("Received", _date(case.received_at)),
            ("Status", case.get_status_display()),
            ("Type of concern", case.concern_type.label if case.concern_type else ""),
            ("Outcome", case.outcome),
            ("Closed", _date(case.closed_at)),
            ("Next review due", _date(case.review_due)),
            ("Processing restricted since", _date(case.restricted_at)),
        ),
    )


def _check_item(check: Check) -> dict:
    deconfliction = check.kind == Check.Kind.DECONFLICTION
    return _item(
        f"check-{check.pk}",
        f"Check: {check.get_kind_display()}",
        date=check.checked_at,
        fields=_fields(
            ("Kind", check.get_kind_display()), ("Result", check.get_result_display()), ("Note", check.note)
        ),
        # Police-only information gathering: disclosing a deconfliction result could reveal an investigation.
        suggested=Exemption.INVESTIGATION if deconfliction else Exemption.CRIME,
    )


def _assessment_item(assessment: Assessment) -> dict:
    labels = {question["key"]: question["label"] for question in assessment.template.questions}
    rows = []
    for key, answer in assessment.answers.items():
        answer = answer if isinstance(answer, dict) else {"rating": answer}
        rows.append((f"{labels.get(key, key)}: rating", str(answer.get("rating", "")).capitalize()))
        rows.append((f"{labels.get(key, key)}: evidence", answer.get("notes", "")))
    return _item(
        f"assessment-{assessment.pk}",
        f"Assessment ({assessment.template.name})",
        date=assessment.assessed_at,
        fields=_fields(*rows, ("Overall assessment", assessment.rationale)),
    )


def _decision_item(decision: Decision) -> dict:
    return _item(
        f"decision-{decision.pk}",
        f"Decision: {decision.get_outcome_display()}",
        date=decision.decided_at,
        fields=_fields(
            ("Outcome", decision.get_outcome_display()),
            ("Reasons", decision.rationale),
            ("Signposted to", decision.signposted_to),
            ("State", decision.get_state_display()),
            ("Signed off", _date(decision.signed_off_at)),
            ("Sign-off note", decision.sign_off_note),
        ),
    )


def _note_item(note: CaseNote) -> dict:
    return _item(f"note-{note.pk}", "Case note", date=note.written_at, fields=_fields(("Note", note.text)))


def _agenda_item(item: AgendaItem) -> dict:
    return _item(
        f"agenda-{item.pk}",
        f"Channel panel meeting on {item.meeting.meets_on:%-d %B %Y}",
        date=item.meeting.meets_on,
        fields=_fields(
            ("Meeting", item.meeting.title),
            ("Decision", item.get_decision_display()),
            ("Onward referral", item.onward_referral),
            ("Decided", _date(item.decided_at)),
        ),
    )


def _plan_item(plan: SupportPlan) -> dict:
    return _item(
        f"plan-{plan.pk}",
        "Support plan",
        date=plan.updated_at,
        fields=_fields(
            ("Support", plan.support),
            ("Provided by", plan.provided_by),
            ("How and when", plan.how_and_when),
            ("Consent sought by", plan.consent_sought_by),
            ("How consent is sought", plan.consent_method),
        ),
    )


def _consent_item(consent: Consent) -> dict:
    return _item(
        f"consent-{consent.pk}",
        f"Consent {consent.get_state_display().lower()}",
        date=consent.recorded_at,
        fields=_fields(
            ("Consent", consent.get_state_display()),
            ("Given by", consent.get_given_by_display()),
            ("Under 18", "Yes" if consent.under_18 else "No"),
            ("Note", consent.note),
        ),
    )


def _progress_item(note: ProgressNote) -> dict:
    return _item(f"progress-{note.pk}", "Support progress", date=note.written_at, fields=_fields(("Note", note.text)))


def _grant_item(grant: ProviderGrant) -> dict:
    names = dict(ProviderGrant.Section.choices)
    return _item(
        f"grant-{grant.pk}",
        f"Access given to {grant.provider.organisation.name}",
        date=grant.granted_at,
        fields=_fields(
            ("Given to", _role_of(grant.provider)),
            ("What they could see", ", ".join(str(names.get(section, section)) for section in grant.sections)),
            ("From", _date(grant.granted_at)),
            ("Until", _date(grant.revoked_at)),
        ),
    )


def _review_item(review: Review) -> dict:
    return _item(
        f"review-{review.pk}",
        f"{review.months}-month review",
        date=review.due_on,
        fields=_fields(
            ("Due", _date(review.due_on)),
            ("Outcome", review.get_outcome_display() if review.outcome else "Not done yet"),
            ("Note", review.note),
            ("Done", _date(review.done_at)),
        ),
    )


def _event_item(event: CaseEvent) -> dict:
    # The service writes these lines, and some name staff (a provider given access): offered for withholding.
    return _item(
        f"event-{event.pk}",
        "Case history",
        date=event.at,
        fields=_fields(("What happened", event.what)),
        suggested=Exemption.THIRD_PARTY if event.by_id is not None else "",
    )


def _disclosures(case_ids) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id__in=case_ids, action__in=list(DISCLOSURES))


def _recipient_ids(details: dict | None) -> list:
    """The users a disclosure event names: a panel's members as a list, a provider or referrer as one id."""
    details = details or {}
    return details.get("recipient_user_ids") or (
        [details["recipient_user_id"]] if details.get("recipient_user_id") else []
    )


def _disclosure_item(event: AuditEvent, *, recipients: dict) -> dict:
    ids = _recipient_ids(event.details)
    if event.action == "referral.feedback_shared":
        who = "The organisation that made the referral"
    else:
        who = "; ".join(_role_of(recipients.get(pk)) for pk in ids) or "Members not yet named"
    return _item(
        f"disclosure-{event.pk}",
        DISCLOSURES[event.action],
        date=event.occurred_at,
        fields=_fields(("What", DISCLOSURES[event.action]), ("To", who), ("When", _date(event.occurred_at))),
    )


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
            "received_on": _date(request.received_on),
            "generated_at": _date(timezone.now()),
        },
        "sections": result,
    }


def _recipients(case_ids) -> dict:
    """The users named as recipients in the disclosures, in one query."""
    ids = {pk for details in _disclosures(case_ids).values_list("details", flat=True) for pk in _recipient_ids(details)}
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

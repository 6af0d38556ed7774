"""How each kind of record held about a person becomes items of the subject access export.

An item has a stable key made of a kind and record ids (never content), a title, a date, labelled fields and
any files; `suggested_exemption` offers the supervisor what is likely to be withheld.
"""

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

# Audit actions that record the person's data going to someone outside the Prevent team, and to whom.
DISCLOSURES = {
    "case.disclosed_to_provider": "Shared with a support provider",
    "case.provider_access_revoked": "A support provider's access ended",
    "case.disclosed_to_panel": "Listed for a Channel panel meeting (shared with its members)",
    "case.file_disclosed": "Case file given outside the Prevent team",
    "referral.feedback_shared": "Update shared with the referring organisation",
}
# Parts of a referral that are mostly about other people: offered to the supervisor as likely to withhold.
THIRD_PARTY_SECTIONS = {"about-you", "household", "agencies"}


def iso_date(value) -> str | None:
    """Return a date as ISO text, or a time in local time to the minute."""
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
        "date": iso_date(date),
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


def referral_items(referral: Referral) -> list[dict]:
    title = f"Referral {referral.reference}"
    items = [
        _item(
            f"referral-{referral.pk}",
            title,
            date=referral.submitted_at,
            fields=_fields(
                ("Reference", referral.reference),
                ("Received", iso_date(referral.submitted_at)),
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


def attachment_item(attachment: Attachment) -> dict:
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


def case_item(case: Case) -> dict:
    return _item(
        f"case-{case.pk}",
        f"Case {case.reference}",
        date=case.received_at,
        fields=_fields(
            ("Reference", case.reference),
            ("Received", iso_date(case.received_at)),
            ("Status", case.get_status_display()),
            ("Type of concern", case.concern_type.label if case.concern_type else ""),
            ("Outcome", case.outcome),
            ("Closed", iso_date(case.closed_at)),
            ("Next review due", iso_date(case.review_due)),
            ("Processing restricted since", iso_date(case.restricted_at)),
        ),
    )


def check_item(check: Check) -> dict:
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


def assessment_item(assessment: Assessment) -> dict:
    rows = []
    for answer in assessment.rated():
        rows.append((f"{answer['question']}: rating", answer["rating"]))
        rows.append((f"{answer['question']}: evidence", answer["notes"]))
    return _item(
        f"assessment-{assessment.pk}",
        f"Assessment ({assessment.template.name})",
        date=assessment.assessed_at,
        fields=_fields(*rows, ("Overall assessment", assessment.rationale)),
    )


def decision_item(decision: Decision) -> dict:
    return _item(
        f"decision-{decision.pk}",
        f"Decision: {decision.get_outcome_display()}",
        date=decision.decided_at,
        fields=_fields(
            ("Outcome", decision.get_outcome_display()),
            ("Reasons", decision.rationale),
            ("Signposted to", decision.signposted_to),
            ("State", decision.get_state_display()),
            ("Signed off", iso_date(decision.signed_off_at)),
            ("Sign-off note", decision.sign_off_note),
        ),
    )


def note_item(note: CaseNote) -> dict:
    return _item(f"note-{note.pk}", "Case note", date=note.written_at, fields=_fields(("Note", note.text)))


def agenda_item(item: AgendaItem) -> dict:
    return _item(
        f"agenda-{item.pk}",
        f"Channel panel meeting on {item.meeting.meets_on:%-d %B %Y}",
        date=item.meeting.meets_on,
        fields=_fields(
            ("Meeting", item.meeting.title),
            ("Decision", item.get_decision_display()),
            ("Onward referral", item.onward_referral),
            ("Decided", iso_date(item.decided_at)),
            ("Summary for the panel", item.summary),
            ("Minutes", item.minutes),
            *(
                (f"Action for {action.owner_agency}, due {action.due_on:%-d %B %Y}", action.description)
                for action in item.actions.all()
            ),
        ),
    )


def plan_item(plan: SupportPlan) -> dict:
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


def consent_item(consent: Consent) -> dict:
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


def progress_item(note: ProgressNote) -> dict:
    return _item(f"progress-{note.pk}", "Support progress", date=note.written_at, fields=_fields(("Note", note.text)))


def grant_item(grant: ProviderGrant) -> dict:
    names = dict(ProviderGrant.Section.choices)
    return _item(
        f"grant-{grant.pk}",
        f"Access given to {grant.provider.organisation.name}",
        date=grant.granted_at,
        fields=_fields(
            ("Given to", _role_of(grant.provider)),
            ("What they could see", ", ".join(str(names.get(section, section)) for section in grant.sections)),
            ("From", iso_date(grant.granted_at)),
            ("Until", iso_date(grant.revoked_at)),
        ),
    )


def review_item(review: Review) -> dict:
    return _item(
        f"review-{review.pk}",
        f"{review.months}-month review",
        date=review.due_on,
        fields=_fields(
            ("Due", iso_date(review.due_on)),
            ("Outcome", review.get_outcome_display() if review.outcome else "Not done yet"),
            ("Note", review.note),
            ("Done", iso_date(review.done_at)),
        ),
    )


def event_item(event: CaseEvent) -> dict:
    # The service writes these lines, and some name staff (a provider given access): offered for withholding.
    return _item(
        f"event-{event.pk}",
        "Case history",
        date=event.at,
        fields=_fields(("What happened", event.what)),
        suggested=Exemption.THIRD_PARTY if event.by_id is not None else "",
    )


def disclosure_events(case_ids) -> QuerySet[AuditEvent]:
    """Return the audit events that record these cases' data going outside the Prevent team."""
    return AuditEvent.objects.filter(case_id__in=case_ids, action__in=list(DISCLOSURES))


def recipient_ids(details: dict | None) -> list:
    """The users a disclosure event names: a panel's members as a list, a provider or referrer as one id."""
    details = details or {}
    return details.get("recipient_user_ids") or (
        [details["recipient_user_id"]] if details.get("recipient_user_id") else []
    )


def disclosure_item(event: AuditEvent, *, recipients: dict) -> dict:
    ids = recipient_ids(event.details)
    if event.action == "referral.feedback_shared":
        who = "The organisation that made the referral"
    elif event.action == "case.file_disclosed":
        who = event.reason  # the purpose chosen (its label): the officer's note naming the recipient stays out
    else:
        who = "; ".join(_role_of(recipients.get(pk)) for pk in ids) or "Members not yet named"
    return _item(
        f"disclosure-{event.pk}",
        DISCLOSURES[event.action],
        date=event.occurred_at,
        fields=_fields(("What", DISCLOSURES[event.action]), ("To", who), ("When", iso_date(event.occurred_at))),
        # Telling the person their case went to counter-terrorism policing could reveal an investigation.
        suggested=Exemption.INVESTIGATION if (event.details or {}).get("purpose") == "ct_handover" else "",
    )

"""The deletion certificate: what was erased, when, under which rule, asked and approved by whom. No personal data."""

from django.template.loader import render_to_string
from django.utils import timezone

from privacy.models import Tombstone

# Plain words for the kinds of row an erasure counts (anything else shows as its code).
KINDS = {
    "cases.case": "Cases",
    "cases.casenote": "Case notes",
    "cases.caseevent": "Chronology entries",
    "cases.check": "Checks and deconfliction results",
    "cases.assessment": "Assessments",
    "cases.decision": "Decisions",
    "cases.agendaitem": "Panel agenda items",
    "cases.supportplan": "Support plans",
    "cases.consent": "Consent records",
    "cases.providergrant": "Support provider grants",
    "cases.progressnote": "Progress notes",
    "cases.review": "Reviews",
    "cases.breakglass": "Break-glass accesses",
    "cases.casedocument": "Case documents",
    "referrals.referral": "Referrals (with their answers)",
    "referrals.personkey": "Search index entries",
    "referrals.referrallink": "Repeat-referral links",
    "referrals.attachment": "Attachment records",
    "referrals.advicerequest": "Advice requests",
    "referrals.advicemessage": "Advice messages",
    "notifications.notification": "In-service notices",
    "notifications.email": "Outbox e-mails",
    "attachment files": "Attachment files removed from storage",
    "case document files": "Case document files removed from storage",
    "guardian object permissions": "Per-record access permissions",
    "history entries redacted": "Field-level history entries redacted",
    "name-match alerts": "Access alerts matching a user's name to the person",
    "alerts blanked": "Access alerts with details and review notes blanked",
}


def lines(tombstone: Tombstone) -> list[tuple[str, int]]:
    """Return (what, how many) for each kind of thing the erasure removed or redacted, largest first."""
    counted = [(KINDS.get(kind, kind), count) for kind, count in tombstone.counts.items() if count]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


def as_text(tombstone: Tombstone) -> str:
    """Return the certificate as plain text, for download and filing."""
    return render_to_string(
        "privacy/certificate.txt", {"tombstone": tombstone, "lines": lines(tombstone), "issued_at": timezone.now()}
    )

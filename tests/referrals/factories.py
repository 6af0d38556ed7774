"""Build referrals through the services, the way users do, so tests never rest on impossible states."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from cases import intake
from referrals import services
from referrals.models import Referral

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def answers(surname="Example", forenames="Alex", **person):
    """Valid answers for every required section, as the forms clean them."""
    return {
        "before-you-start": {"discussed_with_lead": "yes", "lead_name": ""},
        "about-you": {
            "name": "Rita Referrer",
            "role": "Teacher",
            "organisation": "Riverside Academy",
            "email": "rita@riverside.example",
            "phone": "01632 960000",
            "relationship": "Form tutor",
        },
        "the-person": {
            "surname": surname,
            "forenames": forenames,
            "aliases": "",
            "dob_known": "year",
            "date_of_birth": None,
            "approximate_age": None,
            "birth_year": 2010,
            "gender": "unknown",
            "ethnicity": "",
            "nationality": "",
            "religion": "",
            "birth_place": "",
            "languages": "",
            "speaks_english": "yes",
            **person,
        },
        "contact-details": {
            "address": "",
            "postcode": "NR1 1AA",
            "phone": "",
            "social_media": "",
            "school_or_occupation": "",
            "nhs_number": "",
            "social_care_id": "",
        },
        "awareness": {"person_aware": "no", "family_aware": "not_sure", "awareness_notes": ""},
        "concerns": {"concerns": "Has been sharing violent material.", "how_noticed": ""},
        "needs": {"needs": [], "needs_details": ""},
        "type-of-concern": {"concern_type": "not_sure"},
    }


def make_draft(author, *, organisation=None, channel=Referral.Channel.FORM, **person) -> Referral:
    referral = services.start_referral(by=author, organisation=organisation, channel=channel)
    for slug, data in answers(**person).items():
        referral = services.save_section(referral, by=author, slug=slug, data=data)
    return referral


def make_referral(author, **person) -> Referral:
    """A submitted referral by this partner."""
    return intake.submit_referral(make_draft(author, **person), by=author)


def pdf(name="notes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def uploaded(name, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png() -> bytes:
    """A real 1x1 PNG."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )


def stream(content: bytes):
    return io.BytesIO(content)

"""The reporting facts live with the referral they are copied from (referrals.facts); kept here for the
migration that first filled them (referrals 0004) and for the reports, which read their labels."""

from referrals.facts import (  # noqa: F401
    AGE_BAND_LABELS,
    AGE_BANDS,
    GENDER_LABELS,
    NOT_KNOWN,
    age_band,
    age_on,
    reporting_facts,
)

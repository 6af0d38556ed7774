"""The referrals app's forms; import them from here (`from referrals.forms import UploadForm`)."""

from referrals.forms.advice import AdviceForm, AdviceReplyForm, PhoneAdviceForm
from referrals.forms.attachments import ClearableFileInput, MultipleFileField, UploadForm
from referrals.forms.on_behalf import OnBehalfForm
from referrals.forms.questions import (
    CONCERN_PROMPTS,
    DOB_CHOICES,
    GENDER_CHOICES,
    NEEDS,
    YES_NO,
    YES_NO_UNSURE,
    AgencyForm,
    AwarenessForm,
    ConcernsForm,
    ConcernTypeForm,
    ContactForm,
    HouseholdMemberForm,
    IndividualForm,
    NeedsForm,
    ReferrerForm,
    SectionForm,
    StartForm,
)

__all__ = [
    "CONCERN_PROMPTS",
    "DOB_CHOICES",
    "GENDER_CHOICES",
    "NEEDS",
    "YES_NO",
    "YES_NO_UNSURE",
    "AdviceForm",
    "AdviceReplyForm",
    "AgencyForm",
    "AwarenessForm",
    "ClearableFileInput",
    "ConcernTypeForm",
    "ConcernsForm",
    "ContactForm",
    "HouseholdMemberForm",
    "IndividualForm",
    "MultipleFileField",
    "NeedsForm",
    "OnBehalfForm",
    "PhoneAdviceForm",
    "ReferrerForm",
    "SectionForm",
    "StartForm",
    "UploadForm",
]

"""The cases app's forms; import them from here (`from cases.forms import NoteForm`)."""

from cases.forms.break_glass import BreakGlassReasonForm, BreakGlassReviewForm
from cases.forms.case import (
    AssessmentForm,
    CheckForm,
    DecisionForm,
    FeedbackForm,
    NoteForm,
    SignOffForm,
    VersionedForm,
)
from cases.forms.case_file import CaseFileForm
from cases.forms.cover import CoverForm
from cases.forms.documents import DocumentForm
from cases.forms.queue import BulkReassignForm, SaveFilterForm
from cases.forms.support import (
    ConsentForm,
    GrantForm,
    MeetingForm,
    PanelDecisionForm,
    ProgressForm,
    ReviewForm,
    SupportPlanForm,
)

__all__ = [
    "AssessmentForm",
    "BreakGlassReasonForm",
    "BreakGlassReviewForm",
    "CoverForm",
    "BulkReassignForm",
    "CaseFileForm",
    "CheckForm",
    "ConsentForm",
    "DecisionForm",
    "DocumentForm",
    "FeedbackForm",
    "GrantForm",
    "MeetingForm",
    "NoteForm",
    "PanelDecisionForm",
    "ProgressForm",
    "ReviewForm",
    "SaveFilterForm",
    "SignOffForm",
    "SupportPlanForm",
    "VersionedForm",
]

"""The cases app's models, one module per idea; import them from here (`from cases.models import Case`)."""

# Django registers the models in import order: keep the order they were first declared in.
# isort: off
from cases.models.case import (
    IN_QUEUE,
    NEXT_ACTION,
    OPEN_STATUSES,
    TRANSITIONS,
    TRANSITIONS_BY_ACTION,
    Case,
    Transition,
)
from cases.models.assessment import OUTCOME_STATUS, Assessment, AssessmentTemplate, Check, Decision, Outcome
from cases.models.chronology import CaseEvent, CaseNote
from cases.models.panel import AgendaItem, Attendee, PanelAction, PanelMeeting
from cases.models.support import Consent, ProgressNote, ProviderGrant, SupportPlan
from cases.models.reviews import Review
from cases.models.break_glass import BreakGlass
from cases.models.case_file import PANEL_PURPOSES, CaseFileDisclosure
from cases.models.cover import Cover
from cases.models.documents import CaseDocument
from cases.models.saved_filter import MAX_SAVED_FILTERS, SavedQueueFilter
# isort: on

__all__ = [
    "IN_QUEUE",
    "MAX_SAVED_FILTERS",
    "NEXT_ACTION",
    "OPEN_STATUSES",
    "OUTCOME_STATUS",
    "PANEL_PURPOSES",
    "TRANSITIONS",
    "TRANSITIONS_BY_ACTION",
    "AgendaItem",
    "Assessment",
    "Attendee",
    "AssessmentTemplate",
    "BreakGlass",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseFileDisclosure",
    "CaseNote",
    "Check",
    "Consent",
    "Cover",
    "Decision",
    "Outcome",
    "PanelAction",
    "PanelMeeting",
    "ProgressNote",
    "ProviderGrant",
    "Review",
    "SavedQueueFilter",
    "SupportPlan",
    "Transition",
]

"""Every write to subject access requests: atomic, permission-checked, audited.

A request moves: confirming (records found, awaiting the supervisor's choice) -> confirmed -> queued ->
generating (a Celery task, progress on the row) -> ready (files written) -> released. Changing what is
withheld after generation makes the files stale: they must be generated again before release.
"""

from subject_access.services.files import delete_expired_exports, forget_person_exports
from subject_access.services.generation import (
    GENERATABLE,
    RECORDS_ERASED,
    request_generation,
    run_generation,
    snapshot,
    withheld_map,
)
from subject_access.services.requests import (
    confirm_records,
    due_date,
    record_download,
    release,
    remove_withholding,
    start_request,
    withhold,
)

__all__ = [
    "GENERATABLE",
    "RECORDS_ERASED",
    "confirm_records",
    "delete_expired_exports",
    "due_date",
    "forget_person_exports",
    "record_download",
    "release",
    "remove_withholding",
    "request_generation",
    "run_generation",
    "snapshot",
    "start_request",
    "withheld_map",
    "withhold",
]

"""Scheduled audit work: thin tasks that call the audit modules."""

import logging

from celery import shared_task

from audit import chain
from audit.services import record

logger = logging.getLogger(__name__)


@shared_task
def anchor_audit_chain() -> int | None:
    """Write the chain's latest link where the database cannot change it (every 15 minutes)."""
    anchor = chain.write_anchor()
    return anchor.seq if anchor else None


@shared_task
def verify_audit_chain() -> bool:
    """Walk the whole chain (nightly); a broken link is logged as an error and recorded as an event."""
    result = chain.verify()
    if result.ok:
        logger.info("audit chain verified: %s events, %s anchors", result.events, result.anchors)
        return True
    broken = result.broken
    logger.error("audit chain broken: %s at seq %s (event %s)", broken.problem, broken.seq, broken.event_id)
    record(
        by=None,
        action="audit.chain_broken",
        problem=broken.problem,
        seq=broken.seq,
        event_id=broken.event_id,
        verified_events=result.events,
    )
    return False

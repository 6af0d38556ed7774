"""Retention tasks: no arguments; safe to run twice (a second run queues nothing more)."""

from celery import shared_task

from retention import scan


@shared_task
def scan_for_reviews() -> int:
    """Queue every record whose retention review date has passed (scheduled nightly by Celery beat)."""
    return scan.scan().queued

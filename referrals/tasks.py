from celery import shared_task

from referrals import services


@shared_task
def delete_stale_drafts() -> int:
    """Delete drafts older than DRAFT_MAX_AGE_DAYS (scheduled nightly by Celery beat)."""
    return services.delete_stale_drafts()

"""Subject access tasks. Arguments are ids only (never search terms or names); each is safe to run twice."""

from celery import shared_task

from subject_access import services


@shared_task
def generate_export(*, request_id: str) -> str:
    """Generate a queued request's export; a request not queued (done, or taken by another worker) is left alone."""
    request = services.run_generation(request_id)
    return request.status if request is not None else "skipped"


@shared_task
def delete_expired_exports() -> int:
    """Delete released exports kept their number of days (scheduled nightly by Celery beat)."""
    return services.delete_expired_exports()

"""Cover: a colleague officer works an absent officer's caseload for a date range."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone


class CoverQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> "CoverQuerySet":
        """Covers lasting on the day (today by default): started, not past their end date, not ended early."""
        day = on or timezone.localdate()
        return self.filter(ended_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


class Cover(models.Model):
    """A colleague officer covering an absent officer's caseload from `starts_on` to `ends_on` (both included).

    It ends by itself once `ends_on` has passed (a rule on dates, no task); either officer or a supervisor may end
    it early (`ended_at`).
    """

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_given")
    colleague = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="covers_taken")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CoverQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            # "Whose caseload does this officer cover today?": asked on every case page they open.
            models.Index(fields=["colleague", "ends_on"]),
            models.Index(fields=["officer", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cover_ends_after_start"
            ),
            models.CheckConstraint(condition=~models.Q(officer=models.F("colleague")), name="cover_not_oneself"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, ended_by__isnull=True)
                | models.Q(ended_at__isnull=False, ended_by__isnull=False),
                name="cover_ended_by_someone",
            ),
        ]

    def __str__(self):
        return f"Cover {self.pk} of {self.officer_id} by {self.colleague_id}"

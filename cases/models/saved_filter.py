"""Saved queue filters: a user's own named sets of the queue's filters (codes and staff ids, no person)."""

from django.conf import settings
from django.db import models

# Enough for a working day's views of the queue; more would crowd the page.
MAX_SAVED_FILTERS = 20
NAME_MAX_LENGTH = 60


class SavedQueueFilter(models.Model):
    """One named set of the queue filter form's cleaned values, for its owner only."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    filters = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_queue_filter_name_unique")]

    def __str__(self):
        return f"Saved queue filter {self.pk}"

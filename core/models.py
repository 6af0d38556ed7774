"""The one table core keeps: the team's local closure days, added by administrators in the service."""

from django.conf import settings
from django.db import models


class ClosureDay(models.Model):
    """A day the team is closed (a training day, say): not a working day, like a bank holiday."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"Closure day {self.day.isoformat()}"

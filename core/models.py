"""The one table core keeps: the days the team is closed besides bank holidays, set in the app by an administrator."""

from django.conf import settings
from django.db import models


class ClosureDay(models.Model):
    """A day the team is closed (a training day, a local holiday): working-day targets skip it."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%-d %B %Y}: {self.name}"

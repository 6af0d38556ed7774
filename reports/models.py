from django.db import models


class PartnerArea(models.Model):
    """A named area (a local authority district, say) grouping partner organisations, to filter reports by."""

    name = models.CharField(max_length=100, unique=True)
    organisations = models.ManyToManyField("accounts.Organisation", blank=True, related_name="partner_areas")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_team_dashboard", "See the team dashboard (workload and timeliness)"),
            ("view_management_reports", "See the management view and produce the statistics return"),
            ("view_organisation_counts", "See counts of one's own organisation's referrals"),
        ]

    def __str__(self):
        return self.name

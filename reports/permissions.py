"""Who may see which report. Each pairs with the scope its selector applies."""


def can_view_team_dashboard(user) -> bool:
    """Prevent officers and supervisors: the team's workload and timeliness."""
    return user.is_authenticated and user.has_perm("reports.view_team_dashboard")


def can_view_management_reports(user) -> bool:
    """Supervisors: the management view and the national statistics return."""
    return user.is_authenticated and user.has_perm("reports.view_management_reports")


def can_view_organisation_counts(user) -> bool:
    """Partners (the referrer role): counts of their own organisation's referrals, nothing wider."""
    return user.is_authenticated and user.has_perm("reports.view_organisation_counts")

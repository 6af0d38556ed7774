"""Code lists every installation needs, kept in place after each `migrate`.

Run from post_migrate (like Django's permissions), so a new or flushed database always has them.
Existing rows are left as they are: a team may close a code (valid_to).
"""

import datetime

# Type of concern: the categories of the current national statistics, valid from April 2024.
CONCERN_TYPES = [
    ("no_ideology", "No ideology identified"),
    ("other_susceptibility", "No ideology, other susceptibility to radicalisation"),
    ("extreme_violence", "Fascination with extreme violence or mass-casualty attacks"),
    ("extreme_right_wing", "Extreme right-wing"),
    ("islamist", "Islamist"),
    ("left_wing_anarchist_single_issue", "Left-wing, anarchist or single issue"),
    ("conflicted", "Conflicted"),
    ("incel", "Incel"),
    ("school_massacre", "School massacre"),
    ("other", "Other"),
]
CONCERN_TYPES_FROM = datetime.date(2024, 4, 1)


def ensure_reference_data(**kwargs) -> None:
    """Create the concern-type codes where missing (the nightly draft clean-up is a row of config/beat.py)."""
    from referrals.models import ConcernType

    for order, (code, label) in enumerate(CONCERN_TYPES):
        ConcernType.objects.get_or_create(
            code=code, valid_from=CONCERN_TYPES_FROM, defaults={"label": label, "order": order}
        )

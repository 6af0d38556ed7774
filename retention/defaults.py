"""The retention schedule's default rules, kept in place after each `migrate` (and `flush`).

The data migration 0002 seeds them on a new database; this puts back any rule missing since (a flushed test
database, a rule row deleted by hand). Existing rules are left as a supervisor or administrator set them.
"""

DEFAULT_RULES = [
    ("nfa", 3, "years"),
    ("nfa_mistaken", 3, "years"),
    ("signposted", 6, "years"),
    ("police_led", 6, "years"),
    ("pursue", 6, "years"),
    ("channel", 6, "years"),
    ("draft", 28, "days"),
]


def ensure_default_rules(**kwargs) -> None:
    """Create each default rule where missing."""
    from retention.models import RetentionRule

    for key, period, unit in DEFAULT_RULES:
        RetentionRule.objects.get_or_create(key=key, defaults={"period": period, "unit": unit})

"""Seed the type-of-concern code list (national statistics categories) and the daily draft clean-up."""

import datetime

from django.db import migrations

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
VALID_FROM = datetime.date(2024, 4, 1)


def seed(apps, schema_editor):
    ConcernType = apps.get_model("referrals", "ConcernType")
    for order, (code, label) in enumerate(CONCERN_TYPES):
        ConcernType.objects.get_or_create(code=code, valid_from=VALID_FROM, defaults={"label": label, "order": order})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name="Delete stale referral drafts",
        defaults={"task": "referrals.tasks.delete_stale_drafts", "crontab": nightly},
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

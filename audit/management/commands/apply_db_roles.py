"""Apply scripts/db-roles.sql as the owner role, without psql: what `docker compose` runs after `migrate`.

The application's role may then read and append to the audit tables only, read tombstones, create nothing,
and call only the erasure's two database functions (see the script and scripts/app-role-privileges.txt). Run it as the
role that owns the tables (the one `migrate` runs as), after every migration that adds tables; safe to run
again.
"""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "db-roles.sql"
ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def script_statements(*, app_role: str, owner_role: str, database: str) -> list[str]:
    """The script's statements with psql's variables filled in, as `psql -v ... -f` would."""
    text = "\n".join(line for line in SCRIPT.read_text().splitlines() if not line.lstrip().startswith("--"))
    values = {"app_role": app_role, "owner_role": owner_role, "DBNAME": database}
    text = re.sub(r':"(\w+)"', lambda match: '"' + values[match.group(1)] + '"', text)
    return [statement.strip() for statement in text.split(";") if statement.strip()]


class Command(BaseCommand):
    help = "Give the application's database role its grants (audit tables: read and append only)."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="the role web, worker and beat connect as")

    def handle(self, *args, app_role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        if not ROLE.fullmatch(app_role):
            raise CommandError("--app-role must be a plain role name (lower-case letters, digits, _).")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if owner == app_role:
                raise CommandError("Run this as the role that owns the tables, not as the application's role.")
            for statement in script_statements(app_role=app_role, owner_role=owner, database=database):
                cursor.execute(statement)
        self.stdout.write(
            f"Grants applied: {app_role} may read and append to the audit tables only, and create nothing."
        )

"""Every function the project keeps in PostgreSQL fixes its search_path, and is the one the code generates now."""

import re

import pytest
from django.db import connection

from audit import row_capture, triggers
from privacy import triggers as privacy_triggers

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: the functions live in its catalogue"
)

# Functions in the public schema that no extension owns: the project's own, whoever created them.
PROJECT_FUNCTIONS = """
SELECT p.proname, p.prokind, p.proconfig, p.prosrc, p.prosecdef, p.proacl::text[]
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = 'public'::regnamespace
    AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    )
ORDER BY p.proname
"""
CREATED = re.compile(r"CREATE OR REPLACE FUNCTION public\.(\w+)\(.*?\$\$(.*?)\$\$;", re.DOTALL)


def installed() -> dict[str, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(PROJECT_FUNCTIONS)
        return {name: rest for name, *rest in cursor.fetchall()}


def generated() -> dict[str, str]:
    """Each function the code creates today, by name, with its body."""
    statements = [*triggers.function_sql(), *row_capture.function_sql(), *privacy_triggers.function_sql()]
    return dict(match.groups() for statement in statements if (match := CREATED.search(statement)))


def unfixed() -> dict[str, list | None]:
    """Return the functions whose search_path is not the project's fixed one, with what they set."""
    return {
        name: config
        for name, (kind, config, *_) in installed().items()
        if kind == "f" and f"search_path={triggers.SEARCH_PATH}" not in (config or [])
    }


def test_every_database_function_fixes_its_search_path(db):
    assert installed(), "no project functions found: the query reads the wrong schema"
    assert not unfixed(), (
        f"Functions without `{triggers.FIXED_PATH}` (and schema-qualified names in their bodies): {unfixed()}"
    )


def test_a_new_function_without_a_fixed_search_path_is_caught(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE FUNCTION public.stray_helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")
        cursor.execute(
            "CREATE FUNCTION public.loose_helper() RETURNS int LANGUAGE sql SET search_path = public AS $$ SELECT 1 $$"
        )
    assert set(unfixed()) == {"stray_helper", "loose_helper"}


def test_the_installed_functions_are_the_ones_the_code_generates(db):
    """A function changed in the code, or added to the database, without a migration that (re)creates it fails."""
    installed_bodies = {name: body for name, (_, _, body, *_) in installed().items()}
    expected = generated()
    assert set(installed_bodies) == set(expected), "functions in the database and in the code differ"
    stale = [name for name, body in expected.items() if installed_bodies[name] != body]
    assert not stale, f"add a migration that runs the function_sql() of these functions' module: {stale}"


def test_only_the_erasures_functions_run_as_their_owner_and_no_role_may_call_them_by_default(db):
    functions = installed()
    definers = {name for name, (_, _, _, definer, _) in functions.items() if definer}
    assert definers == {signature.split("(")[0] for signature in privacy_triggers.DEFINER_FUNCTIONS}
    for name in [*definers, "privacy_record_is_gone"]:
        acl = functions[name][4]
        assert acl is not None and not [entry for entry in acl if entry.startswith("=")], f"{name}: PUBLIC may call"

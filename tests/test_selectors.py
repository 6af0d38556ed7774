"""One naming style and one failure mode for what a user may see, in every app's selectors module.

A set of records a user may see is `visible_<things>(user)`; a narrower set builds on one (it calls a
`visible_*` function). For a user who may see none, each `visible_*` returns an empty queryset, never raises:
the view turns "none of these is yours" into a 404 (`get_object_or_404`), the same as "there is none".
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.db.models import QuerySet

ROOT = Path(__file__).resolve().parent.parent
APPS = [path.parent.name for path in sorted(ROOT.glob("*/selectors.py")) if (path.parent / "apps.py").exists()] + [
    path.parent.parent.name for path in sorted(ROOT.glob("*/selectors/__init__.py"))
]

# A user's own records, not what their role lets them see: empty for a new user whatever their roles.
OWN = {
    "cases.active_break_glass": "the user's own unexpired break-glass grants",
    "referrals.own_drafts": "the drafts this user is writing",
    "notifications.visible_notifications": "the user's own notifications",
}
# Sets not scoped to a user: read by a page that has already found its record through a visible_* set,
# by a task, or to count (no record is shown).
NOT_USER_SCOPED = {
    "oversight.filtered": "narrows a trail the caller passes in (visible_events or the paged search)",
    "reports.referrals": "counted for dashboards and returns, never listed",
    "reports.cases": "counted for dashboards and returns, never listed",
    "retention.active_holds": "the holds every erasure checks, whoever asks",
    "rights.rectifications": "one case's corrections, for a case already found through visible_cases",
    "subject_access.candidates": "one request's candidate referrals, for a request found through visible_requests",
    "subject_access.expired_exports": "for the nightly task that deletes them",
}


def _returns_a_set(node: ast.FunctionDef) -> bool:
    return node.returns is not None and ast.unparse(node.returns).startswith("QuerySet")


def _calls_a_visible_set(node: ast.FunctionDef) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name.startswith("visible_"):
                return True
    return False


def _selector_functions():
    for app in APPS:
        path = ROOT / app / "selectors.py"
        if not path.exists():
            path = ROOT / app / "selectors" / "__init__.py"
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield app, node


def test_every_set_a_user_may_see_is_named_visible_or_builds_on_one():
    wrong = []
    for app, node in _selector_functions():
        name, args = f"{app}.{node.name}", [a.arg for a in node.args.args]
        if not _returns_a_set(node) or name in OWN or name in NOT_USER_SCOPED:
            continue
        if "user" not in args:
            wrong.append(f"{name}: a set of records takes the user (or is listed here with the reason)")
        elif not node.name.startswith("visible_") and not _calls_a_visible_set(node):
            wrong.append(f"{name}: name it visible_<things>(user), or build it on a visible_* set")
    assert not wrong, "\n".join(wrong)


def test_the_allow_lists_name_functions_that_exist():
    names = {f"{app}.{node.name}" for app, node in _selector_functions()}
    assert set(OWN) | set(NOT_USER_SCOPED) <= names


@pytest.fixture
def nobody(make_user):
    """A signed-up user whose roles were all taken away."""
    user = make_user()
    user.groups.clear()
    return type(user).objects.get(pk=user.pk)


def test_every_visible_set_is_empty_not_an_error_for_a_user_with_no_role(nobody):
    checked = []
    for app, node in _selector_functions():
        if not node.name.startswith("visible_"):
            continue
        found = getattr(importlib.import_module(f"{app}.selectors"), node.name)(nobody)
        name = f"{app}.{node.name}"
        assert isinstance(found, QuerySet), name
        # An explicit none(), so it stays empty whatever the database holds. One's own records are simply
        # absent, and a set built on another visible set is as empty as that one (checked in its own turn).
        built_on_one = name in OWN or _calls_a_visible_set(node)
        assert found.query.is_empty() or (built_on_one and not found.exists()), name
        checked.append(name)
    assert {"cases.visible_cases", "cases.visible_provided_cases", "rights.visible_restrictions"} <= set(checked)

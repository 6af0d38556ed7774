"""Every audit action the code writes has the words supervisors read for it (audit/actions.py)."""

import re
from pathlib import Path

from audit import actions

ROOT = Path(__file__).resolve().parents[2]


# --- the action list -----------------------------------------------------------------------------

ACTION_LITERAL = re.compile(r'"([a-z_]+\.[a-z_]+)"')
CONSTANT = re.compile(r'^([A-Z_]+) = "([a-z_]+\.[a-z_]+)"$')


def actions_written(source: str) -> set[str]:
    """The audit actions a module writes: literals after `action=`, and constants it passes as the action."""
    constants = dict(CONSTANT.findall(line)[0] for line in source.splitlines() if CONSTANT.match(line))
    written = set()
    for line in source.splitlines():
        if re.search(r"\baction ?=", line) and "filter(" not in line:
            after = re.split(r"\baction ?=", line, maxsplit=1)[1]
            written.update(ACTION_LITERAL.findall(after))
            written.update(value for name, value in constants.items() if re.search(rf"\b{name}\b", after))
    return written


def test_every_action_written_in_the_code_has_a_label():
    apps = [path.parent for path in ROOT.glob("*/apps.py")]
    written = set()
    for app in apps:
        for path in app.rglob("*.py"):
            if "migrations" not in path.parts:
                written |= actions_written(path.read_text())
    assert {"case.viewed", "auth.sign_in_failed", "audit.searched"} <= written, "the scan is broken"
    assert sorted(written - set(actions.LABELS)) == [], "add these to audit/actions.py LABELS"

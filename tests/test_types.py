"""Types where they pay: the acting user is annotated wherever a function takes one (docs/ARCHITECTURE.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "tests", "bench", "migrations", "static", "var"}


def _by_parameters():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if set(relative.parts) & SKIP:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                for argument in arguments:
                    if argument.arg == "by":
                        yield f"{relative}:{node.lineno} {node.name}", argument.annotation


def test_every_acting_user_parameter_is_annotated():
    found = list(_by_parameters())
    assert len(found) > 100, "the walk found too few `by` parameters to be looking in the right place"
    assert [where for where, annotation in found if annotation is None] == []

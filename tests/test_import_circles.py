"""No import circle between our domain modules (docs/ARCHITECTURE.md, "Layers").

Built with grimp from the source, so it sees function-level imports too. The composition ring (views,
urls, templatetags, management commands, apps.py) and migrations may import anything and are left out.
"""

import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "accounts",
    "audit",
    "notifications",
    "referrals",
    "cases",
    "rights",
    "subject_access",
    "privacy",
    "retention",
    "reports",
    "oversight",
    "pages",
]
for optional in ["core"]:
    if (ROOT / optional / "__init__.py").exists():
        PACKAGES.insert(0, optional)
RING = {"views", "urls", "templatetags", "management", "apps", "migrations"}
# The accepted idiom: an app's services queue its own task, and the task calls back into the services
# (a function-level import, so the task module stays importable by the worker alone).
ALLOWED = {
    ("notifications.outbox", "notifications.tasks"),
    ("subject_access.services", "subject_access.tasks"),
    ("subject_access.services.requests", "subject_access.tasks"),
    ("subject_access.services.generation", "subject_access.tasks"),
}


def _domain(module: str) -> bool:
    return not RING.intersection(module.split(".")[1:])


def _graph() -> dict[str, set[str]]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(
        *PACKAGES, include_external_packages=False, exclude_type_checking_imports=True, cache_dir=None
    )
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if not _domain(module):
            continue
        edges[module] = {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if _domain(imported) and imported != module and (module, imported) not in ALLOWED
        }
    return edges


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of size > 1, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a.x": {"a.y"}, "a.y": {"a.x"}, "a.z": {"a.x"}}) == [["a.x", "a.y"]]


def test_no_domain_module_is_part_of_an_import_circle():
    assert _circles(_graph()) == []

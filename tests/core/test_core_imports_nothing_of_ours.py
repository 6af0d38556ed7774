"""core/ is the bottom layer: it imports nothing of ours, at module level or inside a function."""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
OURS = sorted(
    path.name
    for path in ROOT.iterdir()
    if (path / "__init__.py").exists() and path.name not in {"core", "tests", "bench"}
)


def test_core_imports_nothing_of_ours():
    graph = grimp.build_graph("core", *OURS, cache_dir=None)
    upward = sorted(
        (module, imported)
        for module in graph.find_descendants("core") | {"core"}
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] in OURS
    )
    assert upward == []


def test_the_list_of_our_packages_is_read_from_the_tree():
    # A guard on the guard: if the walk found no apps, the test above could not fail.
    assert {"accounts", "audit", "cases", "pages", "config"} <= set(OURS)

"""What the benchmarks share: Django set up on the project, seeding, signed-in sessions, timing, HTTP load.

A bench script starts with

    import support

    support.setup()

(bench/ is first on the path of every script in it), and imports Django and the project only after it.
The modules here import Django, so they too come after `setup()`: `from support import seeding`.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = "bench-only-secret-key-" + "x" * 40


def setup(settings_module: str = "bench.settings", *, unless_set: bool = False) -> None:
    """Put the project first on the path and set Django up with these settings (or those already chosen)."""
    if sys.path[0] != str(ROOT):
        sys.path.insert(0, str(ROOT))
    if unless_set:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("SECRET_KEY", SECRET_KEY)

    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()

"""Services fail one way: ValidationError or PermissionDenied, never Http404 (a view decides what is not found)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE_MODULES = [
    *ROOT.glob("*/services.py"),
    *ROOT.glob("*/services/*.py"),
    ROOT / "cases" / "lifecycle.py",
    ROOT / "cases" / "intake.py",
    ROOT / "cases" / "support.py",
]


def test_no_service_raises_http404():
    assert len(SERVICE_MODULES) > 15  # the walk reached the services
    offenders = [str(path.relative_to(ROOT)) for path in SERVICE_MODULES if "Http404" in path.read_text()]
    assert offenders == []

"""Browser tests: Debian's chromium driven by Playwright, never a downloaded browser."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server that fails the test on any console error (CSP included)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = page.console_errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def govuk_reveal_radio(rule: str, node: dict) -> bool:
    """GOV.UK Frontend's one known, deliberate axe finding: `aria-expanded` on a radio that reveals a question.

    ARIA does not list it for radios, so axe objects, but GDS keep it because screen readers announce it
    (alphagov/govuk-frontend#979, in their known issues). Nothing else is let through.
    """
    reasons = [datum for check in node["all"] + node["any"] for datum in check["data"] or []]
    return (
        rule == "aria-allowed-attr"
        and "govuk-radios__input" in node["html"]
        and all(str(reason).startswith("aria-expanded=") for reason in reasons)
    )


def assert_accessible(page):
    """Run axe-core on the page as it is now and fail on any WCAG 2.2 AA violation."""
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target'][0]}"
        for violation in result["violations"]
        for node in violation["nodes"]
        if not govuk_reveal_radio(violation["id"], node)
    ]
    assert problems == [], "\n".join(problems)
    return result

"""Browser-test helpers: a live site with the 大模型 set, axe, and screenshots."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.test_typography import ASCII_BETWEEN_CHINESE

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL, with the 大模型 set loaded."""
    call_command("loaddata", "da-mo-xing", verbosity=0)
    return live_server.url


@pytest.fixture
def page(page):
    """Every page fails its test on a JavaScript error or a request off this machine."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            errors.append(f"external request: {request.url}")
            if not request.url.startswith(
                ("http://localhost", "http://127.0.0.1", "data:", "about:")
            )
            else None
        ),
    )
    # A Content-Security-Policy violation is reported on the console: fail on any.
    page.on(
        "console",
        lambda message: (
            errors.append(f"CSP: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    assert not errors, errors


def ready(page) -> None:
    """Wait until the page's scripts (htmx, site.js) are running, as a person would
    before typing: keys pressed earlier would reach no handler."""
    page.wait_for_load_state("load")
    page.locator("html[data-js=ready]").wait_for(state="attached")


def assert_accessible(page) -> None:
    """axe finds no serious or critical violation on the page as it is now, and
    its Chinese text uses Chinese punctuation (issue 16)."""
    assert_chinese_punctuation(page)
    results = _axe.run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, "\n".join(blocking)


def assert_chinese_punctuation(page) -> None:
    """No ASCII comma or colon between two Chinese characters in the visible text."""
    found = ASCII_BETWEEN_CHINESE.findall(page.locator("body").inner_text())
    assert not found, f"{page.url}: {found}"


def look(page, name: str) -> None:
    """Save the page at desktop width (light), then phone width (dark), to var/screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Colour transitions (Django admin has some) would let axe measure a colour
    # halfway between the light and dark schemes.
    page.add_style_tag(
        content="*, *::before, *::after { transition: none !important; animation: none !important; }"
    )
    size = page.viewport_size
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)  # dark colours must keep their contrast too
    page.screenshot(path=SCREENSHOTS / f"{name}-phone-dark.png")  # the first screen
    page.emulate_media(color_scheme="light")
    if size:
        page.set_viewport_size(size)


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Poll with evaluate(): the Content-Security-Policy forbids wait_for_function."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)

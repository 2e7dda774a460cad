"""Fixtures for the real-browser tests: one `streamlit run` server, one Chromium.

Without Chromium these tests are skipped with the reason, except under CI (``CI`` set),
where a missing browser is a failure: CI installs Debian's chromium in ``.ci/run``.
"""

import os

import pytest

from tests.browser.harness import ARTIFACTS, chromium_path, launch_chromium, running_server

pytestmark = pytest.mark.browser


def _require_browser():
    if chromium_path() is None:
        message = "Chromium not found (install Debian's `chromium` package)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the browser tests must run in CI")
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed: the browser tests must run in CI")
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")


@pytest.fixture(scope="session")
def app_server():
    """The app (`streamlit run streamlit_app.py`), shared by all browser tests."""
    _require_browser()
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser session (its own cookies, so its own Streamlit session)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    """Folder for screenshots (ignored by git)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

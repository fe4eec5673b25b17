import os

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.helpers import VIEWPORTS

# Playwright's sync API keeps an event loop in the main thread, where the test also writes to
# the database; Django checks this variable at call time, so setting it here is early enough.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under `pytest -n 2 --dist loadgroup` the browser tests all run on one xdist worker, which
    starts the live server and Chromium once for them (tryfirst: before xdist reads the group)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium; Playwright never downloads a browser of its own here."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    contexts = []

    def open_context(viewport="desktop", **kwargs):
        kwargs.setdefault("locale", "da-DK")
        context = browser.new_context(viewport=VIEWPORTS[viewport], **kwargs)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()

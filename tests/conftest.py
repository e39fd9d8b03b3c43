"""Shared test set-up: one CPU thread, as resnorm.setup() gives every notebook.

Tiny models run many times slower with two threads on a busy two-core machine, and one thread
makes results repeat to the last digit. Importing matplotlib's font manager here builds its font
cache (if missing) in the test process, so the message "Matplotlib is building the font cache"
goes to pytest's log instead of the stderr of the first notebook cell that draws.
"""

import os
import sys
from pathlib import Path

# Matplotlib's font cache per environment, as the Makefile sets it, also for a bare `pytest`:
# a cache shared with another (deleted) venv makes matplotlib rebuild it inside a notebook cell,
# whose stderr nbval then reports. Notebook kernels inherit this variable.
os.environ.setdefault("MPLCONFIGDIR", str(Path(sys.prefix) / "mplconfig"))

import matplotlib.font_manager  # noqa: E402, F401  (builds the font cache before any kernel draws)
import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    yield
    torch.set_num_threads(threads)


# The browser (Debian's Chromium through Playwright) and a page in it: one for the whole session,
# shared by tests/test_browser.py and tests/test_site.py (a second Playwright in the same process
# would fail). Their settings live in test_browser.py.
@pytest.fixture(scope="session")
def browser():
    from test_browser import ACTION_MS, CHROMIUM, CHROMIUM_ARGS, _unavailable

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=ACTION_MS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    from test_browser import ACTION_MS

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    page.errors = []  # uncaught JavaScript errors; the browser's harmless layout notice is not one
    page.on("pageerror", lambda error: None if "ResizeObserver loop" in str(error)
            else page.errors.append(f"{error}\n{getattr(error, 'stack', '')}"))
    try:
        yield page
    finally:
        context.close()



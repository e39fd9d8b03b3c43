"""Notebook 06's quick-fire quiz works in a page without a kernel.

The executed notebook is exported to HTML with nbconvert (as a reader would get it from the
static site or a download), opened from the file system in Debian's Chromium with the network
blocked, and answered: a number typed into a numeric question and an option clicked in a
multiple-choice one must each show their feedback. Chromium and Playwright are launched as in
``tests/test_browser.py`` (its ``browser`` and ``page`` fixtures are reused here).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from test_browser import browser, page  # noqa: F401 - fixtures: Debian's Chromium via Playwright
from torch import nn

from resnorm.experiments.param_count import count_parameters

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_interview_drill.ipynb"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The executed notebook as a stand-alone HTML page (stored outputs, no kernel)."""
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(NOTEBOOK, as_version=4))
    path = tmp_path_factory.mktemp("drill") / "06_interview_drill.html"
    path.write_text(body, encoding="utf-8")
    return path


def _question(page, text: str):  # noqa: F811 - page is the fixture
    return page.locator(".Quiz", has_text=text).first


def test_quick_fire_answers_are_checked_in_the_page_without_a_kernel(page, exported):  # noqa: F811
    outside = []

    def block_network(route):
        outside.append(route.request.url)
        route.abort()

    page.route("http://*/**", block_network)
    page.route("https://*/**", block_network)
    page.goto(exported.as_uri())
    page.locator(".Quiz").first.wait_for()
    assert page.locator(".Quiz").count() >= 15, "the quick-fire should show at least 15 questions"

    question = _question(page, "How many parameters does nn.LayerNorm(512) have?")
    field = question.locator("input.Input-text")
    field.fill(str(count_parameters(nn.LayerNorm(512)) // 2))  # the classic mistake: d, not 2d
    field.press("Enter")
    feedback = question.locator(".Feedback")
    feedback.wait_for(state="visible")
    assert "incorrect" in (feedback.get_attribute("class") or "")

    field.fill(str(count_parameters(nn.LayerNorm(512))))
    field.press("Enter")
    page.wait_for_function("el => el.classList.contains('correct')", arg=feedback.element_handle())
    assert feedback.inner_text().startswith("Right.")

    question = _question(page, "Where does GPT-2 put LayerNorm?")
    question.locator("label.MCButton", has_text="Pre-LN, plus a final norm").click()
    feedback = question.locator(".Feedback")
    feedback.wait_for(state="visible")
    assert "correct" in (feedback.get_attribute("class") or "").split()
    assert "Radford et al. 2019" in feedback.inner_text()

    # nbconvert's page template asks CDNs for require.js and MathJax; blocked, and the quiz
    # works without them. The quiz itself must fetch nothing.
    fetched = [url for url in outside if "require.js" not in url and "mathjax" not in url.lower()]
    assert not fetched, f"the quiz reached for the network: {fetched}"
    assert not page.errors, f"JavaScript errors in the page: {page.errors}"

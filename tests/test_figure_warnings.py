"""Every registered lecture figure draws without a single warning (what `make figures` runs).

Both editions: in Chinese a character missing from the fonts would be a warning (and an empty
box in the figure).

A warning here is text in red in an instructor's terminal and, for the same plot function, in a
student's notebook: each one is a bug to fix where it is raised, not to filter.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from resnorm.export import render_figure
from resnorm.figures import all_figures
from resnorm.session import use_language

FIGURES = all_figures()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lecture_figure_draws_without_warnings(name, lang, monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    figure = FIGURES[name]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = render_figure(figure, lang)
            fig.canvas.draw()  # layout and text warnings come at draw time
    finally:
        use_language("en")
        plt.close("all")
    messages = [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught]
    assert not messages, f"figure {name!r} of {figure.notebook} warns: {messages}"


def test_figures_are_registered():
    assert FIGURES, "no lecture figures registered (resnorm.figures.lecture_figure)"

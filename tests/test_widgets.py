"""Explorers redraw when a control moves and turn bad settings into a one-line message."""

import io
import re

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")

import matplotlib.image
import pytest

from resnorm.widgets import Explorer, static_figure


def _draw(fig, depth):
    if depth > 5:
        raise ValueError(f"depth must be <= 5; got {depth}")
    ax = fig.add_subplot()
    ax.plot(range(depth))


def test_explorer_redraws_on_change():
    explorer = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)})
    first = list(explorer.figure.axes[0].get_lines()[0].get_xdata())
    explorer.controls["depth"].value = 4
    assert list(explorer.figure.axes[0].get_lines()[0].get_xdata()) != first
    assert explorer.last_draw_ms > 0
    assert explorer.values == {"depth": 4}
    assert repr(explorer) == "Explorer(depth=4)"


def test_explorer_shows_bad_setting_as_message():
    explorer = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)})
    explorer.controls["depth"].value = 8  # must not raise
    assert not explorer.figure.axes


def test_static_figure_uses_the_same_draw():
    fig = static_figure(_draw, depth=3)
    assert len(fig.axes[0].get_lines()[0].get_xdata()) == 3


def test_explorer_bad_arguments():
    with pytest.raises(TypeError, match="draw"):
        Explorer("not callable", {"depth": widgets.IntSlider()})
    with pytest.raises(ValueError, match="controls"):
        Explorer(_draw, {})


def test_explorer_is_marked_for_the_browser_tests():
    from resnorm.widgets import DOM_CLASS

    explorer = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)})
    assert DOM_CLASS in explorer._dom_classes


def test_explorer_can_render_the_whole_figure(monkeypatch):
    """``tight_bbox=False``: the PNG is the figure as laid out, without matplotlib's second layout."""
    explorer = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)},
                        figsize=(5.0, 3.0), tight_bbox=False)
    pngs = []
    savefig = explorer.figure.savefig

    def spy(target, **kwargs):
        savefig(target, **kwargs)
        pngs.append(target.getvalue())

    monkeypatch.setattr(explorer.figure, "savefig", spy)
    explorer.controls["depth"].value = 4
    dpi = explorer.figure.dpi
    assert matplotlib.image.imread(io.BytesIO(pngs[-1])).shape[:2] == (round(3 * dpi), round(5 * dpi))
    with pytest.raises(TypeError, match="tight_bbox"):
        Explorer(_draw, {"depth": widgets.IntSlider()}, tight_bbox="no")


def test_redraw_time_is_shown_only_when_asked_for(capsys):
    # Outside a kernel an Output widget captures nothing: what it would show goes to stdout.
    quiet = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)})
    assert quiet.last_draw_ms > 0
    assert "ms" not in capsys.readouterr().out
    Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10)}, show_timing=True)
    shown = capsys.readouterr().out
    assert re.search(r"^redraw: \d+ ms$", shown, re.M), shown
    with pytest.raises(TypeError, match="show_timing"):
        Explorer(_draw, {"depth": widgets.IntSlider()}, show_timing="yes")


def test_controls_row_wraps_with_a_gap():
    explorer = Explorer(_draw, {"depth": widgets.IntSlider(value=3, min=1, max=10),
                                "width": widgets.Dropdown(options=[1, 2]), "mode": widgets.Dropdown(options=["a"])})
    row = explorer.children[0]
    assert list(row.children) == list(explorer.controls.values())
    assert row.layout.flex_flow == "row wrap"
    assert row.layout.grid_gap

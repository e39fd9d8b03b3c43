"""Figures and explorer of notebook 01: they draw every series, label axes, and redraw quickly."""

import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from resnorm.experiments.degradation import TrainingCurves
from resnorm.experiments.gradient_flow import mlp_layer_stats
from resnorm.experiments.shortcut_scaling import run_shortcut_scaling
from resnorm.experiments.stream_growth import growth_with_depth, run_stream_growth
from resnorm.figures import all_figures
from resnorm.figures.residual_connections import (
    EXPLORER_DEFAULTS,
    draw_gradient_explorer,
    make_gradient_explorer,
    plot_growth_with_depth,
    plot_per_layer_grads,
    plot_shortcut_scaling,
    plot_stream_growth,
    plot_training_curves,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_per_layer_grads():
    stats = mlp_layer_stats({"a": {}, "b": {"residual": True}}, depth=4, width=8, seeds=[0, 1], batch_size=8)
    ax = plot_per_layer_grads(stats.state_grads)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert len(ax.get_lines()[0].get_xdata()) == 4
    assert "partial h" in ax.get_ylabel() and ax.get_xlabel() and "2 seeds" in ax.get_title()
    ax = plot_per_layer_grads(stats.grads, ylabel="||dL/dW||")
    assert len(ax.get_lines()[0].get_xdata()) == 8 and ax.get_ylabel() == "||dL/dW||"


def test_plot_stream_growth_draws_measured_and_predicted():
    result = run_stream_growth({"a": dict(residual=True), "b": dict(residual=True, init="he")},
                               depth=5, width=8, seeds=[0, 1], batch_size=8)
    ax = plot_stream_growth(result)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["a", "b"] and "product formula" in labels
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--" and len(line.get_xdata())]
    assert len(dashed) == 2 and len(dashed[0].get_xdata()) == 6
    assert "2 seeds" in ax.get_title() and ax.get_ylabel()
    assert [line.get_label() for line in plot_stream_growth(result, ["b"]).get_lines()][0] == "b"
    with pytest.raises(ValueError, match="labels must be one of"):
        plot_stream_growth(result, ["c"])


def test_plot_growth_with_depth_one_line_per_configuration_over_the_depths():
    runs = [run_stream_growth({"a": dict(residual=True), "b": dict(residual=True, init="he")},
                              depth=d, width=8, seeds=[0, 1], batch_size=8) for d in (2, 4, 8)]
    ax = plot_growth_with_depth(growth_with_depth(runs))
    lines = [line for line in ax.get_lines() if line.get_label() in ("a", "b")]
    assert [line.get_label() for line in lines] == ["a", "b"]
    assert list(lines[0].get_xdata()) == [2, 4, 8] and lines[0].get_marker() == "o"
    assert ax.get_yscale() == "log" and "depth" in ax.get_xlabel() and "2 seeds" in ax.get_title()


def test_plot_training_curves_selects_labels():
    curves = TrainingCurves({"a": np.ones((3, 5)), "b": np.full((3, 5), 2.0), "c": np.full((3, 5), 3.0)})
    ax = plot_training_curves(curves, ["c", "a"])
    assert [line.get_label() for line in ax.get_lines()] == ["c", "a"]
    assert "3 seeds" in ax.get_title() and ax.get_ylabel().startswith("training loss")
    with pytest.raises(ValueError, match="labels must be one of"):
        plot_training_curves(curves, ["d"])


def test_plot_shortcut_scaling_one_panel_per_norm():
    result = run_shortcut_scaling(depth=3, width=8, seeds=[0], batch_size=8)
    axes = plot_shortcut_scaling(result)
    assert len(axes) == 3
    assert [line.get_label() for line in axes[1].get_lines()] == ["λ = 1, LayerNorm", "λ = 0.5, LayerNorm"]
    assert "LayerNorm" in axes[1].get_title() and "BatchNorm" in axes[2].get_title()


@pytest.mark.parametrize("settings", [dict(), dict(depth=100, residual=True, norm="batch", activation="gelu"),
                                      dict(depth=2, norm="rms", activation="tanh")])
def test_explorer_draw(settings):
    fig = Figure()
    draw_gradient_explorer(fig, **{**EXPLORER_DEFAULTS, **settings})
    ax = fig.axes[0]
    assert len(ax.get_lines()[0].get_xdata()) == settings.get("depth", EXPLORER_DEFAULTS["depth"])
    assert "first/last gradient" in ax.get_title() and ax.get_xlabel() and "dL/dh" in ax.get_ylabel()


def test_explorer_takes_its_seeds_from_the_caller():
    one, other = Figure(), Figure()
    draw_gradient_explorer(one, depth=5, seeds=[0])
    draw_gradient_explorer(other, depth=5, seeds=[7])
    y_one, y_other = (f.axes[0].get_lines()[0].get_ydata() for f in (one, other))
    assert not np.allclose(y_one, y_other)
    assert make_gradient_explorer(seeds=[5]).values == EXPLORER_DEFAULTS


def test_explorer_redraws_in_a_fraction_of_a_second(one_thread):
    explorer = make_gradient_explorer()
    assert explorer.values == EXPLORER_DEFAULTS
    explorer.controls["residual"].value = True
    explorer.controls["norm"].value = "layer"
    explorer.controls["depth"].value = 60
    # the computation and the drawing of a 60-block net (the slider's maximum), best of three (the
    # notebook's redraws take well under 250 ms on an idle machine; this bound leaves room for a
    # busy CI machine)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        explorer.redraw()
        times.append(time.perf_counter() - start)
    assert min(times) < 1.0
    assert explorer.figure.axes


@pytest.mark.parametrize(
    "settings, words",
    [(dict(norm="group"), ["norm", "'none'"]), (dict(activation="sigmoid"), ["activation", "'relu'"]),
     (dict(depth=1), ["depth", ">= 2"]), (dict(init="xavier"), ["init", "'he'"]), (dict(seeds=[]), ["seeds"])],
)
def test_explorer_bad_settings_name_the_argument(settings, words):
    with pytest.raises(ValueError) as info:
        draw_gradient_explorer(Figure(), **settings)
    for word in words:
        assert word in str(info.value)


def test_lecture_figures_are_registered():
    figures = all_figures()
    for name in ("gradient_per_block", "residual_stream_growth", "degradation", "shortcut_scaling"):
        assert figures[name].notebook == "01_residual_connections"

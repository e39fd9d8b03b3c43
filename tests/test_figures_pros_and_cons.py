"""Figures and the cost explorer of notebook 04 draw what they claim, fast, and reject bad settings."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from resnorm.experiments.cost import run_cost
from resnorm.experiments.information import ScaleTaskResult, StreamScaleResult
from resnorm.experiments.overfitting import OverfittingResult
from resnorm.experiments.param_count import ShortcutCount
from resnorm.experiments.training_speed import TrainingSpeedResult
from resnorm.figures import all_figures
from resnorm.figures.pros_and_cons import (COST_VARIANTS, EXPLORER_DEFAULTS, draw_cost, make_cost_explorer,
                                           measure_cost_ratios, plot_cost_memory, plot_cost_time,
                                           plot_overfitting, plot_scale_task, plot_shortcut_parameters,
                                           plot_stream_scale, plot_training_speed)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() or ax.get_xticklabels()
    assert ax.get_ylabel() and ax.get_title()


def test_shortcut_parameter_bars():
    ax = plot_shortcut_parameters({"identity": ShortcutCount(100, 0), "projection": ShortcutCount(90, 10)})
    assert [round(p.get_width(), 6) for p in ax.patches] == [0.0, 10.0]
    assert ax.get_xlabel() and ax.get_title()
    with pytest.raises(ValueError, match="counts"):
        plot_shortcut_parameters({})


def test_cost_figures():
    result = run_cost(widths=(8, 16), depth=2, batch_size=8, rounds=2, repeats=1)
    ax = plot_cost_time(result)
    _labelled(ax)
    labels = [line.get_label() for line in ax.get_lines()]
    assert all(variant in labels for variant in COST_VARIANTS)
    ax = plot_cost_memory(result)
    _labelled(ax)
    assert len(ax.patches) == 1 + len(COST_VARIANTS)


def test_result_figures():
    rng = np.random.default_rng(0)
    overfit = OverfittingResult({"plain": np.ones(3), "residual": np.ones(3)},
                                {"plain": rng.random(3), "residual": rng.random(3)},
                                {"plain": np.ones(3), "residual": np.ones(3)}, {"plain": 10, "residual": 10})
    _labelled(plot_overfitting(overfit))
    speed = TrainingSpeedResult({"a": rng.random((3, 20)) + 0.1, "b": rng.random((3, 20)) + 0.1}, window=5)
    _labelled(plot_training_speed(speed))
    streams = StreamScaleResult(np.tile(np.linspace(-1, 1, 10), (2, 1)), {"Post-LN residual": np.zeros((2, 10)),
                                                         "Pre-LN residual": np.tile(np.linspace(0, 1, 10), (2, 1))})
    ax = plot_stream_scale(streams)
    _labelled(ax)
    assert "slope 0.00" in ax.get_lines()[0].get_label() and "slope 0.50" in ax.get_lines()[1].get_label()
    scale = ScaleTaskResult({"LayerNorm on the input": np.full(3, 0.5), "Pre-LN residual": np.full(3, 0.9)},
                            {"LayerNorm on the input": np.ones((3, 4)), "Pre-LN residual": np.ones((3, 4))})
    _labelled(plot_scale_task(scale))


def test_measure_cost_ratios_and_draw_cost():
    ratios = measure_cost_ratios(16, 2, 16)
    assert set(ratios) == {"FLOPs (counted)", "memory (measured)", "time (measured)"}
    assert ratios["memory (measured)"]["residual"] == 1.0
    assert all(r > 1 for r in ratios["FLOPs (counted)"].values())
    fig = Figure()
    draw_cost(fig, **EXPLORER_DEFAULTS)
    ax = fig.axes[0]
    assert len(ax.patches) == 3 * len(COST_VARIANTS)
    assert ax.get_ylabel() and ax.get_title()


@pytest.mark.parametrize(
    "values, words",
    [
        (dict(width=48), ["width", "16", "128"]),
        (dict(batch_size=1000), ["batch_size", "16", "128"]),
        (dict(depth=0), ["depth", ">= 1"]),
        (dict(depth=9), ["depth", "<= 8"]),
    ],
)
def test_draw_cost_rejects_settings_outside_the_explorer(values, words):
    with pytest.raises(ValueError) as info:
        draw_cost(Figure(), **{**EXPLORER_DEFAULTS, **values})
    for word in words:
        assert word in str(info.value)


def test_explorer_redraws_every_control():
    explorer = make_cost_explorer()
    assert explorer.values == EXPLORER_DEFAULTS
    for name, value in (("width", 128), ("depth", 8), ("batch_size", 128)):
        explorer.controls[name].value = value
        assert explorer.figure.axes, f"no figure after changing {name}"
    # how fast it redraws is make bench's job (bench/bench.py), not a timed test's


def test_lecture_figures_are_registered():
    figures = all_figures()
    assert figures["pros_cons_cost_vs_width"].notebook == "04_pros_and_cons"
    assert figures["pros_cons_scale_task"].notebook == "04_pros_and_cons"

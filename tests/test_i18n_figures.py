"""The Chinese edition's figures and error messages: one figure per figures module draws Chinese
titles or legends with every glyph in the shipped font, and one error per module is Chinese."""

from __future__ import annotations

import logging
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

import resnorm
from resnorm.experiments.gradient_flow import mlp_layer_stats
from resnorm import measure, models, norms, training
from resnorm.experiments.param_count import ShortcutCount
from resnorm.experiments.stream_growth import run_stream_growth
from resnorm.figures import beyond_the_interview, layer_normalization, pros_and_cons, residual_connections
from resnorm.figures import start_here, transformer_residual_layernorm
from resnorm.plots import plot_curves

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    """The Chinese edition for one test (language and font), English again afterwards."""
    try:
        resnorm.setup(lang="zh")
        yield
    finally:
        resnorm.setup(lang="en")
        plt.close("all")


def texts(fig: Figure) -> list[str]:
    """Every title, axis label, legend entry, tick label and text of ``fig``."""
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        found += [t.get_text() for t in ax.texts + ax.get_xticklabels() + ax.get_yticklabels()]
        if ax.get_legend() is not None:
            found += [t.get_text() for t in ax.get_legend().get_texts()]
    return [t for t in found if t]


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def draw_without_missing_glyphs(fig: Figure) -> list[str]:
    """Draw ``fig`` (glyphs are looked up at draw time); a missing glyph fails the test.

    Text glyphs missing from every font warn; mathtext ones (a ``$...$`` label is drawn entirely
    with the mathtext fonts, which have no Chinese) are logged, so both are collected.
    """
    records = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(records)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
    finally:
        logger.removeHandler(records)
    missing = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    missing += [m for m in records.messages if "glyph" in m.lower()]
    assert not missing, missing
    return texts(fig)


def small_stats():
    return mlp_layer_stats(start_here.FIRST_NETS, depth=3, width=8, seeds=[0], batch_size=8)


FIGURES = {
    "start_here": lambda: start_here.plot_gradient_flow(small_stats().state_grads).figure,
    "residual_connections": lambda: _drawn(lambda fig: residual_connections.draw_gradient_explorer(
        fig, depth=3, seeds=[0])),
    "layer_normalization": lambda: _drawn(layer_normalization.draw_layernorm_explorer),
    "transformer_residual_layernorm": lambda: _drawn(lambda fig: transformer_residual_layernorm
                                                     .draw_placement_explorer(fig, depth=1)),
    "pros_and_cons": lambda: pros_and_cons.plot_shortcut_parameters(
        {"identity": ShortcutCount(branch=100, shortcut=0), "1x1 conv": ShortcutCount(branch=100, shortcut=10)}).figure,
    "beyond_the_interview": lambda: beyond_the_interview.plot_path_lengths(4).figure,
    "plots": lambda: plot_curves({"a": [1.0, 0.0, np.inf]}).figure,
}


def _drawn(draw) -> Figure:
    fig = Figure(figsize=(11, 3.8))
    draw(fig)
    return fig


@pytest.mark.parametrize("module", sorted(FIGURES))
def test_figure_speaks_chinese_with_every_glyph(module, chinese):
    shown = draw_without_missing_glyphs(FIGURES[module]())
    assert any(CJK.search(t) for t in shown), f"no Chinese text in the {module} figure: {shown}"


def test_figures_stay_english_by_default():
    fig = FIGURES["start_here"]()
    assert not any(CJK.search(t) for t in texts(fig))
    assert "plain" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close("all")


ERRORS = {
    "models": (TypeError, lambda: models.DeepMLP(depth=2, width=4, residual="yes")),
    "norms": (TypeError, lambda: norms.to_torch_norms("not a module")),
    "measure": (TypeError, lambda: measure.per_layer_grad_norms("not a model")),
    "training": (TypeError, lambda: training.train(torch.nn.Linear(2, 2), "not a function", steps=1, lr=0.1)),
    "plots": (ValueError, lambda: plot_curves({})),
    "figures": (ValueError, lambda: pros_and_cons.plot_shortcut_parameters({})),
    "experiments": (ValueError, lambda: run_stream_growth({})),
}


@pytest.mark.parametrize("module", sorted(ERRORS))
def test_error_speaks_chinese(module, chinese):
    error, call = ERRORS[module]
    with pytest.raises(error) as raised:
        call()
    assert CJK.search(str(raised.value)), str(raised.value)


@pytest.mark.parametrize("module", sorted(ERRORS))
def test_error_stays_english_by_default(module):
    error, call = ERRORS[module]
    with pytest.raises(error) as raised:
        call()
    assert not CJK.search(str(raised.value)), str(raised.value)


def test_norm_depth_labels_are_in_the_catalogue():
    """NORM_CONFIGS and MEAN_REMOVAL_ABLATION build their labels; the *_NAMES tuples write them out
    for the catalogue."""
    from resnorm.experiments.norm_depth import (
        MEAN_REMOVAL_ABLATION,
        MEAN_REMOVAL_NAMES,
        NORM_CONFIG_NAMES,
        NORM_CONFIGS,
    )

    assert tuple(NORM_CONFIGS) == NORM_CONFIG_NAMES
    assert tuple(MEAN_REMOVAL_ABLATION) == MEAN_REMOVAL_NAMES

"""Figures and explorer of notebook 03: they draw every series, label their axes, and redraw."""

import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from resnorm.experiments.init_gradients import run_init_gradients, run_stream_gradients
from resnorm.experiments.residual_stream import run_residual_stream
from resnorm.experiments.source_layer import run_source_stack
from resnorm.experiments.warmup import WarmupResult
from resnorm.measure import per_layer_grad_norms
from resnorm.models import PLACEMENTS, TinyTransformer
from resnorm.data import sequence_task
from resnorm.figures import all_figures
from resnorm.figures.transformer_residual_layernorm import (
    EXPLORER,
    draw_placement_explorer,
    explorer_curve,
    explorer_gradients,
    make_placement_explorer,
    plot_init_gradients,
    plot_residual_stream,
    plot_source_stack,
    plot_stream_gradients,
    plot_warmup,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labels(ax):
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def test_plot_source_stack():
    result = run_source_stack(depths=(1, 2), d_model=8, d_ff=16, n_heads=2, seeds=[0, 1], n_examples=4)
    left, right = plot_source_stack(result)
    assert _labels(left) == ["Post-LN", "Pre-LN", "source's layer"] == _labels(right)
    assert left.get_xlabel() == "number of blocks L" and right.get_yscale() == "log"
    assert left.get_title() and right.get_title()


def test_plot_source_stack_names_the_control():
    result = run_source_stack(depths=(1, 2), placements=("pre", "pre_no_residual"), d_model=8, d_ff=16,
                              n_heads=2, seeds=[0], n_examples=4)
    left, _ = plot_source_stack(result)
    assert _labels(left) == ["Pre-LN", "Pre-LN without x +"]


def test_plot_init_gradients_draws_the_reference_slopes():
    result = run_init_gradients(depths=(2, 4), profile_depth=4, d_model=8, d_ff=16, n_heads=2,
                                seeds=[0], n_examples=4)
    left, right = plot_init_gradients(result)
    assert _labels(left) == ["Post-LN", "Pre-LN"]
    assert "Post-LN" in _labels(right) and any("Theorem 1" in label for label in _labels(right))
    assert right.get_xscale() == "log" and right.get_yscale() == "log"


def test_plot_stream_gradients_one_panel_per_depth():
    result = run_stream_gradients(depths=(2, 3), d_model=8, d_ff=16, n_heads=2, seeds=[0], n_examples=4)
    axes = plot_stream_gradients(result)
    assert len(axes) == 2
    assert _labels(axes[0]) == ["Post-LN", "Post-LN, skip path only", "Pre-LN", "Pre-LN, skip path only"]
    assert "3 blocks" in axes[1].get_title() and axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="axes must be 2"):
        plot_stream_gradients(result, axes=[plt.subplots()[1]])


def test_plot_warmup_and_residual_stream():
    losses = {"a": np.linspace(2.3, 0.1, 10)[None, :], "b": np.full((1, 10), 2.3)}
    result = WarmupResult(losses, {"a": [None], "b": [None]}, {}, 0.03, 6, vocab_size=10)
    ax = plot_warmup(result)
    assert _labels(ax) == ["uniform guess, ln 10", "a", "b"]
    assert "0.03" in ax.get_title() and ax.get_ylabel()
    stream = run_residual_stream(depth=3, d_model=8, d_ff=8, n_heads=2, seeds=[0], n_examples=2)
    left, right = plot_residual_stream(stream)
    assert _labels(left) == ["Pre-LN", "Post-LN"] and right.get_ylabel()


def test_axes_must_be_a_pair():
    result = run_residual_stream(depth=2, d_model=8, d_ff=8, n_heads=2, seeds=[0], n_examples=2)
    with pytest.raises(ValueError, match="axes must be two"):
        plot_residual_stream(result, axes=[plt.subplots()[1]])


def test_explorer_draws_every_placement_and_caches_training():
    fig = Figure()
    for placement in ("post", "pre", "source"):
        fig.clear()
        draw_placement_explorer(fig, depth=2, placement=placement, warmup_steps=5, lr=0.01)
        left, right = fig.axes[:2]
        assert _labels(left) == ["Post-LN", "Pre-LN", "source's layer"]
        assert len(right.get_lines()) == 2  # the uniform guess and the curve
    assert explorer_gradients(2)["pre"].shape == (2,)
    start = time.perf_counter()
    explorer_curve(2, "pre", 5, 0.01)  # cached: no training
    assert time.perf_counter() - start < 0.01


def test_explorer_draws_a_one_block_model_as_points():
    fig = Figure()
    draw_placement_explorer(fig, depth=1, placement="pre", warmup_steps=0, lr=0.01)
    left = fig.axes[0]
    assert all(line.get_marker() == "o" for line in left.get_lines()[:3])
    assert left.get_title() == "1 block at initialisation"


def test_explorer_model_is_the_tiny_transformer():
    """The explorer's fast LayerNorms change nothing but speed: same gradients at init."""
    c = EXPLORER
    tokens, targets = sequence_task("reverse", c["batch_size"], c["seq_len"], c["vocab_size"], seed=0)
    fast = explorer_gradients(3)
    for placement in PLACEMENTS:
        torch.manual_seed(0)
        model = TinyTransformer(c["vocab_size"], 3, c["d_model"], c["n_heads"], c["d_ff"],
                                placement=placement, max_len=c["seq_len"])
        torch.nn.functional.cross_entropy(model(tokens).reshape(-1, c["vocab_size"]),
                                          targets.reshape(-1)).backward()
        norms = per_layer_grad_norms(model)
        plain = [norms[f"blocks.{l}.linear2"] for l in range(3)]
        np.testing.assert_allclose(fast[placement], plain, rtol=1e-4)


def test_explorer_default_shows_the_warmup_effect():
    """What the notebook's prose says the explorer shows, at its default depth and lr."""
    guess = np.log(EXPLORER["vocab_size"])
    post = explorer_curve(6, "post", 0, 0.03)
    post_warm = explorer_curve(6, "post", 20, 0.03)
    pre = explorer_curve(6, "pre", 0, 0.03)
    assert post.shape == (EXPLORER["steps"],) and np.isfinite(post).all()
    assert np.min(post[5:]) > guess - 0.3, "Post-LN without warm-up stays near the uniform guess"
    assert pre[-3:].mean() < guess - 1.0, "Pre-LN learns"
    assert post_warm[-3:].mean() < guess - 0.5, "Post-LN with warm-up learns"


def test_explorer_widget_redraws_on_change():
    explorer = make_placement_explorer()
    explorer.controls["depth"].value = 2
    explorer.controls["placement"].value = "pre"
    assert explorer.values["depth"] == 2 and explorer.values["placement"] == "pre"
    assert len(explorer.figure.axes) >= 2
    assert explorer.last_draw_ms > 0
    assert explorer.controls["depth"].max == EXPLORER["max_depth"]
    assert explorer.controls["warmup_steps"].max == EXPLORER["steps"]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: explorer_curve(9, "post", 0, 0.01), ["depth", "<= 8"]),
        (lambda: explorer_curve(2, "sandwich", 0, 0.01), ["placement", "'post'"]),
        (lambda: explorer_curve(2, "post", -1, 0.01), ["warmup_steps", ">= 0"]),
        (lambda: explorer_curve(2, "post", 0, 0.0), ["lr", "> 0"]),
        (lambda: explorer_gradients(0), ["depth", ">= 1"]),
    ],
)
def test_explorer_bad_settings_name_the_argument(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_lecture_figures_are_registered():
    figures = all_figures()
    for name in ("source_layer_loses_positions", "xiong_gradients_at_init", "warmup_post_vs_pre"):
        assert figures[name].notebook == "03_transformer_residual_layernorm"

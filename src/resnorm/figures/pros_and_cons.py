"""Figures of notebook 04 (pros and cons): parameters, cost, overfitting, training speed, information."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._validation import check_choice, check_int
from ..experiments.cost import (CostResult, cost_model, forward_flops, run_cost, saved_activation_bytes,
                                time_forward_backward)
from ..experiments.information import ScaleTaskResult, StreamScaleResult, run_scale_task
from ..experiments.overfitting import OverfittingResult
from ..experiments.param_count import ShortcutCount
from ..experiments.training_speed import TrainingSpeedResult
from ..i18n import N_, tr
from ..plots import plot_curves
from ..widgets import Explorer, explorer_factory
from . import lecture_figure

NOTEBOOK = "04_pros_and_cons"
COST_VARIANTS = (N_("residual"), N_("residual + LayerNorm"), N_("residual + RMSNorm"))
"""The variants drawn against the plain net (whose ratio is 1 by definition)."""

EXPLORER_WIDTHS = (16, 32, 64, 128)
EXPLORER_BATCH_SIZES = (16, 32, 64, 128)
EXPLORER_MAX_DEPTH = 8
EXPLORER_DEFAULTS = dict(width=64, depth=4, batch_size=128)
"""The explorer's choices, kept small so that a redraw (compute + draw) stays well under 250 ms."""

TIME_BUDGET_S = 0.05
"""Seconds the explorer may spend timing passes (at least one timed pass per variant)."""


_CJK_AFTER_LATIN = re.compile(r"(?<=[A-Za-z]) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=\+)")
"""Where a Chinese tick label breaks: between a Latin name and the Chinese after it, before a "+"."""


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots()[1]


def plot_shortcut_parameters(counts: Mapping[str, ShortcutCount], ax: Axes | None = None) -> Axes:
    """Share of a model's parameters that sit in its shortcuts (%), one bar per labelled count."""
    if not isinstance(counts, Mapping) or not counts:
        raise ValueError(tr("counts must be a non-empty mapping from a label to a ShortcutCount"))
    ax = _axes(ax)
    labels = list(counts)
    shares = [100 * counts[k].fraction for k in labels]
    bars = ax.barh([tr(label) for label in labels], shares, color=[f"C{i}" for i in range(len(labels))])
    for bar, share, label in zip(bars, shares, labels):
        text = (tr("0 (identity)") if share == 0
                else tr("{share:.1f}% ({n_params:,} params)", share=share, n_params=counts[label].shortcut))
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, "  " + text, va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, max(shares) * 1.9 + 1)
    ax.set_xlabel(tr("parameters in the shortcuts (% of the model)"))
    ax.set_title(tr("What shortcuts cost in parameters (counted)"))
    return ax


def plot_cost_time(result: CostResult, ax: Axes | None = None) -> Axes:
    """Measured time ratio to the plain net against width (median, min-max over rounds), with the
    counted FLOP ratio dashed in the same colour."""
    ax = plot_curves({v: result.time_ratio[v] for v in COST_VARIANTS}, steps=result.widths, ax=ax,
                     yscale="linear", xlabel=tr("width d (features per token)"),
                     ylabel=tr("cost / plain net's cost"),
                     title=tr("Forward + backward, depth {depth}, batch {batch_size}",
                              depth=result.depth, batch_size=result.batch_size))
    for i, v in enumerate(COST_VARIANTS):
        ax.plot(result.widths, result.flop_ratio[v], ls="--", color=f"C{i}", lw=1.2)
    ax.plot([], [], ls="--", color="0.3", label=tr("counted FLOPs (same colours)"))
    ax.plot([], [], color="0.3", label=tr("measured time (median, min–max)"))
    ax.axhline(1.0, color="0.5", lw=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xticks(result.widths, [str(w) for w in result.widths])
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_cost_memory(result: CostResult, ax: Axes | None = None) -> Axes:
    """Activation memory kept for the backward pass, relative to the plain net (one bar per variant)."""
    ax = _axes(ax)
    labels = [N_("plain")] + list(COST_VARIANTS)
    ratios = [float(np.median(result.memory_ratio[v])) for v in labels]
    bars = ax.bar(range(len(labels)), ratios, color=["0.6"] + [f"C{i}" for i in range(len(COST_VARIANTS))])
    for bar, ratio in zip(bars, ratios):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), f"{ratio:.2f}×", ha="center", va="bottom")
    short = {"residual + LayerNorm": N_("residual\n+ LayerNorm"), "residual + RMSNorm": N_("residual\n+ RMSNorm")}
    ax.set_xticks(range(len(labels)), [tr(short.get(label, label)) for label in labels], fontsize=9)
    ax.set_ylabel(tr("saved activations / plain net's"))
    ax.set_title(tr("Memory kept for backward, depth {depth} (measured)", depth=result.depth))
    ax.set_ylim(0, max(ratios) * 1.2)
    return ax


def plot_overfitting(result: OverfittingResult, ax: Axes | None = None) -> Axes:
    """Training (noisy labels) and test (clean labels) accuracy of each model: one dot per seed,
    a bar at the median."""
    ax = _axes(ax)
    labels = list(result.train_accuracy)
    for j, (name, values, color) in enumerate(((tr("train (noisy labels)"), result.train_accuracy, "C0"),
                                              (tr("test (clean labels)"), result.test_accuracy, "C1"))):
        for i, label in enumerate(labels):
            x = i + (j - 0.5) * 0.35
            ax.bar(x, np.median(values[label]), width=0.3, color=color, alpha=0.35,
                   label=name if i == 0 else None)
            ax.plot(np.full(len(values[label]), x), values[label], "o", color=color, ms=4)
    ax.set_xticks(range(len(labels)),
                  [tr("{label}\n({n_parameters:,} parameters)", label=tr(label),
                      n_parameters=result.n_parameters[label]) for label in labels])
    ax.set_ylabel(tr("accuracy (fraction)"))
    ax.set_ylim(0, 1.3)
    n_seeds = len(next(iter(result.test_accuracy.values())))
    ax.set_title(tr("Same size, same data: bars median, dots {n_seeds} seeds", n_seeds=n_seeds))
    ax.legend(loc="upper center", fontsize=9, ncol=2)
    return ax


def plot_training_speed(result: TrainingSpeedResult, ax: Axes | None = None) -> Axes:
    """Training loss per step of each configuration (median, min-max over seeds)."""
    n_seeds = next(iter(result.losses.values())).shape[0]
    return plot_curves({label: result.smoothed(label) for label in result.losses}, ax=ax,
                       ylabel=tr("training loss (nats, mean of last {window} steps)", window=result.window),
                       title=tr("Deep MLPs: median and min–max over {n_seeds} seeds", n_seeds=n_seeds))


def plot_stream_scale(result: StreamScaleResult, ax: Axes | None = None) -> Axes:
    """Log norm of the residual stream after the last block against the input's log scale (first seed;
    the legend gives the median slope over seeds)."""
    ax = _axes(ax)
    for i, (label, values) in enumerate(result.log_norm.items()):
        slope = np.round(np.median(result.slope(label)), 2) + 0.0  # no "-0.00"
        ax.plot(result.log_scale[0], values[0], ".", ms=3, color=f"C{i + 1}",
                label=tr("{label} (slope {slope:.2f})", label=tr(label), slope=slope))
    ax.set_xlabel(tr("log scale of the input, u (x = e^u z)"))
    ax.set_ylabel(tr("log norm of the residual stream"))
    ax.set_title(tr("At initialisation: does the stream keep the scale?"))
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_scale_task(result: ScaleTaskResult, ax: Axes | None = None) -> Axes:
    """Test accuracy on the loud-or-quiet task of each model, one dot per seed, chance level dashed."""
    ax = _axes(ax)
    labels = list(result.test_accuracy)
    for i, label in enumerate(labels):
        values = result.test_accuracy[label]
        ax.bar(i, np.median(values), width=0.5, color=f"C{i}", alpha=0.35)
        ax.plot(np.full(len(values), i), values, "o", color=f"C{i}", ms=4)
    ax.axhline(0.5, color="0.3", ls="--", lw=1, label=tr("chance"))
    # one tick label per model, broken into short lines (English: before "on the", "residual";
    # Chinese: see _CJK_AFTER_LATIN, and after a comma)
    ax.set_xticks(range(len(labels)), [_CJK_AFTER_LATIN.sub("\n", tr(label).replace("，", "，\n"))
                                       .replace(" on the ", "\non the ").replace(" residual", "\nresidual")
                                       for label in labels])
    ax.set_ylabel(tr("test accuracy (fraction)"))
    ax.set_ylim(0, 1.05)
    n_seeds = len(result.test_accuracy[labels[0]])
    ax.set_title(tr("Is the input loud or quiet? ({n_seeds} seeds)", n_seeds=n_seeds))
    ax.legend(loc="lower right")
    return ax


@lru_cache(maxsize=48)
def _explorer_model(variant: str, width: int, depth: int) -> torch.nn.Module:
    return cost_model(variant, width, depth)


def measure_cost_ratios(width: int, depth: int, batch_size: int, *,
                        time_budget_s: float = TIME_BUDGET_S) -> dict[str, dict[str, float]]:
    """Cost of each variant relative to the plain net, for one setting: ``{metric: {variant: ratio}}``.

    Metrics: ``"FLOPs (counted)"`` from :func:`~resnorm.experiments.cost.forward_flops`,
    ``"memory (measured)"`` from :func:`~resnorm.experiments.cost.saved_activation_bytes`,
    ``"time (measured)"``: forward + backward, the fastest of as many alternating passes as fit in
    ``time_budget_s`` (between 1 and 5 per variant, after one untimed warm-up pass each).
    """
    width = check_int("width", width, minimum=1)
    depth = check_int("depth", depth, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    variants = ("plain",) + COST_VARIANTS
    x = torch.randn(batch_size, width, generator=torch.Generator().manual_seed(0))
    models = {v: _explorer_model(v, width, depth) for v in variants}
    flops = {v: forward_flops(v, width, depth, batch_size) for v in variants}
    memory = {v: saved_activation_bytes(models[v], x) for v in variants}
    warm = time_forward_backward(models, x, repeats=1, rounds=1, warmup=0)
    one_round = sum(float(s[0]) for s in warm.values())
    repeats = int(min(5, max(1, time_budget_s // max(one_round, 1e-6))))
    seconds = time_forward_backward(models, x, repeats=repeats, rounds=1, warmup=0)
    return {
        N_("FLOPs (counted)"): {v: flops[v] / flops["plain"] for v in COST_VARIANTS},
        N_("memory (measured)"): {v: memory[v] / memory["plain"] for v in COST_VARIANTS},
        N_("time (measured)"): {v: float(seconds[v][0] / seconds["plain"][0]) for v in COST_VARIANTS},
    }


def draw_cost(fig: Figure, width: int = 64, depth: int = 4, batch_size: int = 128) -> None:
    """The explorer's figure: grouped bars of the three cost ratios of each variant to the plain net."""
    check_choice("width", width, EXPLORER_WIDTHS)
    check_choice("batch_size", batch_size, EXPLORER_BATCH_SIZES)
    check_int("depth", depth, minimum=1, maximum=EXPLORER_MAX_DEPTH)
    ratios = measure_cost_ratios(width, depth, batch_size)
    ax = fig.add_subplot()
    metrics = list(ratios)
    for i, variant in enumerate(COST_VARIANTS):
        xs = np.arange(len(metrics)) + (i - 1) * 0.27
        values = [ratios[m][variant] for m in metrics]
        ax.bar(xs, values, width=0.25, color=f"C{i}", label=tr(variant))
        for x, value in zip(xs, values):
            ax.text(x, value, f"{value:.2f}", ha="center", va="bottom", fontsize=8)
    ax.axhline(1.0, color="0.3", lw=1)
    ax.set_xticks(range(len(metrics)), [tr(m) for m in metrics])
    ax.set_ylabel(tr("cost / plain net's cost"))
    top = max(max(r.values()) for r in ratios.values())
    ax.set_ylim(0, max(2.0, 1.15 * top))
    ax.set_title(tr("width {width}, depth {depth}, batch {batch_size}: relative to the plain net",
                    width=width, depth=depth, batch_size=batch_size))
    ax.legend(loc="upper left", fontsize=9, ncol=3)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.1, top=0.92)  # fixed margins: no tight bbox needed


@explorer_factory
def make_cost_explorer() -> Explorer:
    """Width, depth and batch size -> the cost ratios of :func:`draw_cost`, measured on each change."""
    style = {"description_width": "initial"}
    controls = {
        "width": widgets.SelectionSlider(options=EXPLORER_WIDTHS, value=EXPLORER_DEFAULTS["width"],
                                         description=tr("width"), style=style),
        "depth": widgets.IntSlider(value=EXPLORER_DEFAULTS["depth"], min=1, max=EXPLORER_MAX_DEPTH,
                                   description=tr("depth"), style=style),
        "batch_size": widgets.SelectionSlider(options=EXPLORER_BATCH_SIZES,
                                              value=EXPLORER_DEFAULTS["batch_size"],
                                              description=tr("batch size"), style=style),
    }
    # the website's frames (measured on the machine that builds the site): width x three depths x two batch sizes
    site_grid = [{"width": list(EXPLORER_WIDTHS), "depth": [1, 4, 8], "batch_size": [16, 128]},
                 {"batch_size": list(EXPLORER_BATCH_SIZES)}]
    # a third faster to render (draw_cost sets margins)
    return Explorer(draw_cost, controls, tight_bbox=False, site_grid=site_grid)


@lecture_figure("pros_cons_cost_vs_width", notebook=NOTEBOOK,
                title="What residuals and norms cost: time, FLOPs and memory relative to a plain MLP")
def draw_cost_vs_width(fig: Figure) -> None:
    result = run_cost()
    fig.set_size_inches(12, 4)
    left, right = fig.subplots(1, 2)
    plot_cost_time(result, left)
    plot_cost_memory(result, right)


@lecture_figure("pros_cons_scale_task", notebook=NOTEBOOK,
                title="LayerNorm discards each vector's scale: lost at the input, kept by the Pre-LN stream")
def draw_scale_task(fig: Figure) -> None:
    plot_scale_task(run_scale_task(steps=100), fig.add_subplot())

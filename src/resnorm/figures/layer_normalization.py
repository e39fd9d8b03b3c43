"""Figures and the explorer of notebook 02 (layer normalization: purpose and implementation)."""

from __future__ import annotations

import warnings

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from torch import nn

from .._validation import check_choice, check_float, check_int
from ..experiments.batch_vs_layer import BatchVsLayerResult, run_batch_vs_layer
from ..experiments.gradient_noise import GradientNoiseResult
from ..experiments.invariance import InvarianceResult, published_table, run_invariance
from ..experiments.layernorm_eps import EpsResult
from ..experiments.norm_axes import NormAxesResult, run_norm_axes
from ..experiments.norm_cost import NormCostResult
from ..experiments.norm_depth import (
    MEAN_REMOVAL_ABLATION,
    MEAN_REMOVAL_FACTOR,
    NormDepthResult,
    run_norm_depth,
)
from ..experiments.scale_invariance import ScaleInvarianceResult
from ..experiments.source_layernorm import SourceLayerNormResult, run_source_layernorm, unbiased_scale
from ..i18n import tr
from ..norm_axes import KINDS, statistic_axes
from ..norms import LayerNorm, RMSNorm, SourceLayerNorm
from ..plots import draw_series, formula, plot_curves, plot_per_layer
from ..widgets import Explorer, explorer_factory
from . import lecture_figure

NOTEBOOK = "02_layer_normalization"


def _plain_log_label(value: float, _position=None) -> str:
    """A log axis's tick label as plain text: ``1e-3`` for a power of ten, else ``0.2``."""
    exponent = np.log10(value) if value > 0 else np.nan
    if np.isfinite(exponent) and abs(exponent - round(exponent)) < 1e-9:
        return f"{value:g}" if -2 <= exponent <= 3 else f"1e{round(exponent)}"
    return f"{value:.3g}"


def _drop_log_minor_ticks(axes) -> None:
    """Remove the minor ticks of every log-scaled axis of ``axes`` and label its major ticks in
    plain text: measuring the minor ticks' (empty) labels and typesetting ``$10^{-3}$`` cost most
    of a figure's rendering; the labelled major ticks stay."""
    for ax in np.ravel(axes):
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "log":
                axis.set_minor_locator(NullLocator())
                axis.set_major_formatter(FuncFormatter(_plain_log_label))


def _new_axes(fig: Figure | None, nrows: int, ncols: int, figsize) -> np.ndarray:
    """A grid of panels with fixed spacing (a layout engine would measure every label on each draw,
    a third of the rendering time); the outer margins are left to ``bbox_inches="tight"``."""
    fig = fig if fig is not None else plt.figure(figsize=figsize)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.12 if nrows == 1 else 0.08, top=0.9 if nrows == 1 else 0.94,
                        wspace=0.25, hspace=0.4)
    return np.atleast_1d(fig.subplots(nrows, ncols))


def plot_source_error(result: SourceLayerNormResult, ax: Axes | None = None) -> Axes:
    """Measured relative error of the source's LayerNorm per width, over ``1 - sqrt((d-1)/d)``."""
    ax = ax if ax is not None else plt.subplots()[1]
    d = np.unique(np.round(np.logspace(np.log10(2), np.log10(2048), 60)))
    ax.plot(d, [1 - unbiased_scale(int(v)) for v in d], color="0.4", lw=1.5,
            label=tr("predicted {formula}", formula=formula(r"$1 - \sqrt{(d-1)/d} \approx 1/(2d)$")))
    draw_series(ax, result.dims.astype(float), result.relative_error.T, label=tr("measured (min–max over seeds)"),
                color="C3", log=True)
    ax.plot(result.dims, np.median(result.relative_error, axis=1), "o", color="C3")
    for d_value, err in zip(result.dims, np.median(result.relative_error, axis=1)):
        ax.annotate(f"d={d_value}: {100 * err:.2g}%", (d_value, err), textcoords="offset points",
                    xytext=(6, 6), fontsize=9)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(tr("width d (features normalised together)"))
    ax.set_ylabel(tr("relative error {formula}", formula=formula(r"$\|LN_{src}(x) - LN(x)\| / \|LN(x)\|$")))
    ax.set_title(tr("The source's LayerNorm (unbiased var) is off by a factor sqrt((d-1)/d)"))
    ax.legend(loc="upper right")
    _drop_log_minor_ticks(ax)
    return ax


def plot_eps(result: EpsResult, fig: Figure | None = None) -> np.ndarray:
    """Two panels over the input's scale: output standard deviation and input-gradient norm, per eps."""
    axes = _new_axes(fig, 1, 2, (11, 3.8))
    labels = {float(e): ("eps = 0" if e == 0 else f"eps = {e:.0e}") for e in result.eps_values}
    plot_curves({labels[float(e)]: result.output_std[i].T for i, e in enumerate(result.eps_values)},
                steps=result.scales, ax=axes[0], xlabel=tr("input scale (std of x over its features)"),
                ylabel=tr("output std per example"), title=tr("eps squashes inputs smaller than sqrt(eps)"))
    plot_curves({labels[float(e)]: result.input_grad[i].T for i, e in enumerate(result.eps_values)},
                steps=result.scales, ax=axes[1], xlabel=tr("input scale (std of x over its features)"),
                ylabel=tr("$\\|\\partial L/\\partial x\\|$ per example"),
                title=tr("...and caps the gradient at about 1/sqrt(eps)"))
    for ax in axes:
        ax.set_xscale("log")
    _drop_log_minor_ticks(axes)
    return axes


def plot_batch_vs_layer(result: BatchVsLayerResult, fig: Figure | None = None) -> np.ndarray:
    """One batch (rows: examples, columns: features) before, after LayerNorm, after BatchNorm.

    The black frame marks the set of numbers one statistic is taken over: a row for LayerNorm
    (one example, all its features), a column for BatchNorm (one feature, all examples).
    """
    fig = fig if fig is not None else plt.figure(figsize=(12, 4))
    fig.set_layout_engine("constrained")
    axes = np.atleast_1d(fig.subplots(1, 3, sharey=True))
    panels = ((axes[0], result.example_input, tr("input: features differ\nin mean and scale"), None),
              (axes[1], result.example_ln, tr("after LayerNorm: every ROW\nhas mean 0 and std 1"), 1),
              (axes[2], result.example_bn, tr("after BatchNorm (train mode): every\nCOLUMN has mean 0 and std 1"), 0))
    for ax, values, title, axis in panels:
        n, d = values.shape
        image = ax.imshow(values, cmap="RdBu_r", vmin=-3, vmax=3, aspect="auto")
        if axis == 1:
            ax.add_patch(Rectangle((-0.5, -0.5), d, 1, fill=False, lw=3, ec="k"))
        elif axis == 0:
            ax.add_patch(Rectangle((-0.5, -0.5), 1, n, fill=False, lw=3, ec="k"))
        ax.set_xlabel(tr("feature (d = {d})", d=d))
        ax.set_title(title)
        ax.grid(False)
    axes[0].set_ylabel(tr("example (batch of {batch_size})", batch_size=result.example_input.shape[0]))
    fig.colorbar(image, ax=list(axes), label=tr("value (clipped to ±3)"), shrink=0.9)
    return axes


def plot_batch_dependence(result: BatchVsLayerResult, ax: Axes | None = None) -> Axes:
    """How much one example's output changes when the rest of its batch changes, per layer."""
    ax = ax if ax is not None else plt.subplots()[1]
    spread = result.companion_spread
    x = np.arange(len(result.methods))
    ax.bar(x, np.median(spread, axis=1), color=[f"C{i}" for i in x], alpha=0.8)
    for i in x:
        ax.plot(np.full(spread.shape[1], i), spread[i], "k.", ms=6)
        if np.all(spread[i] == 0):
            ax.annotate(tr("exactly 0"), (i, 0), textcoords="offset points", xytext=(0, 4), ha="center")
    ax.set_xticks(x, [tr(m).replace(" (", "\n(").replace("（", "\n（").replace(" + ", "\n+ ")
                      for m in result.methods])
    ax.set_xlabel(tr("layer"))
    ax.set_ylabel(tr("std of its output across batches"))
    ax.set_title(tr("One example in {n_batches} different batches: does its output change? (dots: seeds)",
                    n_batches=result.n_batches))
    return ax


def plot_invariance(result: InvarianceResult, published: dict | None = None, ax: Axes | None = None) -> Axes:
    """The invariance table as a heat map: colour is the output's relative change (log10, worst seed).

    Each cell says our verdict; a tick or a cross says whether it matches Ba et al. (2016),
    Table 1 (``published``), where the paper has that row.
    """
    ax = ax if ax is not None else plt.subplots(figsize=(11, 3.8))[1]
    published = published_table() if published is None else published
    worst = np.log10(np.maximum(result.change.max(axis=2), 1e-8))
    image = ax.imshow(worst, cmap="viridis", vmin=-8, vmax=0.5, aspect="auto")
    verdicts = result.verdicts()
    for i, method in enumerate(result.methods):
        for j, name in enumerate(result.transformations):
            ours = verdicts[method][name]
            text = tr(ours)
            if method in published:
                text += ("  ✓" if published[method][name] == ours
                         else tr("  ✗ paper: {verdict}", verdict=tr(published[method][name])))
            else:
                text += tr("\n(not in paper)")
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="k" if worst[i, j] > -4 else "w")
    ax.set_xticks(range(len(result.transformations)),
                  [tr(t).replace(" re-", "\nre-").replace("training case", "training\ncase")
                   for t in result.transformations], fontsize=9)
    ax.set_yticks(range(len(result.methods)), [tr(m) for m in result.methods])
    ax.set_xlabel(tr("transformation of the weights or the data"))
    ax.set_ylabel(tr("normalization"))
    ax.grid(False)
    ax.set_title(tr("Invariance, measured (✓ = agrees with Ba et al. 2016, Table 1)"))
    ax.figure.colorbar(image, ax=ax, label=tr("log10 relative change of output"))
    return ax


def plot_norm_depth(result: NormDepthResult, fig: Figure | None = None) -> np.ndarray:
    """2 x 2 panels: activation RMS (top) and RMS of the backpropagated gradient ``dL/dh`` (bottom)
    per hidden state (the stem's output, then each block's), for the plain nets (left, norm on the
    only path) and the residual nets (right, norm at the start of each branch)."""
    axes = _new_axes(fig, 2, 2, (12, 7.5))
    labels = list(result.activation_rms)
    n_seeds = result.activation_rms[labels[0]].shape[0]
    for col, kind in enumerate(("plain", "residual")):
        group = [label for label in labels if label.startswith(kind)]
        plot_per_layer({label: result.activation_rms[label] for label in group}, ax=axes[0, col],
                       xlabel=tr("hidden state (0: stem output, i: output of block i)"),
                       ylabel=tr("RMS of the hidden state h"),
                       title=tr("{kind} net: activation scale ({n_seeds} seeds)", kind=tr(kind),
                                n_seeds=n_seeds))
        plot_per_layer({label: result.state_grad_rms[label] for label in group}, ax=axes[1, col],
                       xlabel=tr("hidden state (0: stem output, i: output of block i)"),
                       ylabel=tr("RMS of $\\partial L/\\partial h$"),
                       title=tr("{kind} net: backpropagated gradient", kind=tr(kind)))
        axes[1, col].get_legend().remove()  # the panel above names the same lines
    _drop_log_minor_ticks(axes)
    return axes


def plot_mean_removal(result: NormDepthResult, predicted: float, ax: Axes | None = None) -> Axes:
    """Per configuration, the gradient's growth factor per block (dots: seeds, bar: median), with
    1 (no drift) and the ``predicted`` factor of a norm that removes the ReLU output's mean."""
    ax = ax if ax is not None else plt.subplots(figsize=(13, 4.2))[1]
    labels = list(result.state_grad_rms)
    x = np.arange(len(labels))
    factors = [result.per_block(label) for label in labels]
    ax.bar(x, [np.median(f) - 1 for f in factors], bottom=1, color=[f"C{i % 10}" for i in x], alpha=0.8)
    for i, f in enumerate(factors):
        ax.plot(np.full(f.size, i), f, "k.", ms=6)
    ax.axhline(1, color="0.3", lw=1)
    ax.axhline(predicted, color="C3", lw=1.5, ls="--", label=tr("ReLU mean removed: 1/sqrt(1 - 1/pi) = "
                                                                "{predicted:.2f}",
                                                                predicted=predicted))
    ax.set_xticks(x, [tr(label).replace(", ", "\n").replace("，", "\n").replace(" also ", "\nalso ")
                      for label in labels],
                  fontsize=8)
    ax.set_xlabel(tr("plain net: norm, activation, ablation (dots: seeds)"))
    ax.set_ylabel(tr("gradient growth per block (towards the input)"))
    ax.set_title(tr("Plain normalised nets: the gradient grows when the norm rescales away a forward loss"))
    ax.legend(loc="lower right")  # the arms with the most growth are in the middle, their dots high
    return ax


def plot_gradient_noise(result: GradientNoiseResult, fig: Figure | None = None) -> np.ndarray:
    """Left: mini-batch gradient noise relative to the full gradient, one bar per batch size;
    right: spread of the gradient norm across layers (dots: seeds)."""
    axes = _new_axes(fig, 1, 2, (11, 3.8))
    labels = list(result.relative_noise)
    x = np.arange(len(labels))
    n_sizes = len(result.batch_sizes)
    width = 0.8 / n_sizes
    for j, batch_size in enumerate(result.batch_sizes):
        offset = (j - (n_sizes - 1) / 2) * width
        values = [result.noise(label, batch_size) for label in labels]
        axes[0].bar(x + offset, [np.median(v) for v in values], width, color=f"C{j}", alpha=0.8,
                    label=tr("batch of {batch_size}", batch_size=batch_size))
        for i, v in enumerate(values):
            axes[0].plot(np.full(v.size, i + offset), v, "k.", ms=4)
    axes[0].set_ylabel(tr("$\\|g_B - g\\| / \\|g\\|$ per layer (median over layers)"))
    axes[0].set_title(tr("Mini-batch gradient noise: the batch size sets it, LN does not"))
    axes[0].legend(loc="upper right")
    spread = result.layer_spread
    axes[1].bar(x, [np.median(spread[label]) for label in labels], color=[f"C{i}" for i in x], alpha=0.8)
    for i, label in enumerate(labels):
        axes[1].plot(np.full(spread[label].size, i), spread[label], "k.", ms=6)
    axes[1].set_ylabel(tr("largest / smallest layer gradient norm"))
    axes[1].set_title(tr("Spread of gradient scale across layers"))
    for ax in axes:
        ax.set_xticks(x, [tr(label).replace(" + ", "\n+ ") for label in labels])
        ax.set_xlabel(tr("configuration, at initialisation (dots: seeds)"))
        ax.set_yscale("log")
    _drop_log_minor_ticks(axes)
    return axes


def plot_norm_cost(result: NormCostResult, ax: Axes | None = None) -> Axes:
    """Median forward time of each module (bars) with the 25-75% range over repeats."""
    ax = ax if ax is not None else plt.subplots()[1]
    labels = list(result.seconds)
    us = {label: result.seconds[label] * 1e6 for label in labels}
    medians = [np.median(us[label]) for label in labels]
    low = [medians[i] - np.percentile(us[label], 25) for i, label in enumerate(labels)]
    high = [np.percentile(us[label], 75) - medians[i] for i, label in enumerate(labels)]
    ax.bar(range(len(labels)), medians, yerr=[low, high], capsize=4, color=[f"C{i}" for i in range(len(labels))])
    ax.set_xticks(range(len(labels)), [tr(label) for label in labels])
    ax.set_xlabel(tr("module"))
    ax.set_ylabel(tr("forward time (µs, median)"))
    ax.set_title(tr("One forward pass, {n_repeats} repeats (bars: 25–75%)", n_repeats=len(result.seconds[labels[0]])))
    return ax


# --- explorer ---------------------------------------------------------------------------------

EXPLORER_NORMS = ("layer", "rms", "batch", "source")
"""Norms the explorer offers: ours, RMSNorm, BatchNorm (train mode) and the source's version."""

EXPLORER_DEFAULTS = dict(width=64, eps=1e-5, scale=1.0, shift=0.0, norm="layer")
"""The explorer's starting values (also the static figure above it)."""


def _explorer_norm(norm: str, width: int, eps: float) -> nn.Module:
    if norm == "layer":
        return LayerNorm(width, eps=eps)
    if norm == "rms":
        return RMSNorm(width, eps=eps)
    if norm == "batch":
        return nn.BatchNorm1d(width, eps=eps)
    return SourceLayerNorm(width, eps=eps)


def draw_layernorm_explorer(fig: Figure, width: int = 64, eps: float = 1e-5, scale: float = 1.0,
                            shift: float = 0.0, norm: str = "layer", batch_size: int = 64) -> None:
    """What one norm does to a batch ``x = scale * z + shift`` (``z`` standard normal, fixed seed).

    Left: each example's output mean and standard deviation over its ``width`` features (the
    targets of LayerNorm are 0 and 1). Right: each example's input-gradient norm ``||dL/dx||``
    for ``L = sum(output * r)`` with a fixed random ``r``, against the example's input standard
    deviation, on fixed log axes (so that moving a control moves the points).
    """
    width = check_int("width", width, minimum=1)
    eps = check_float("eps", eps, minimum=0.0)
    scale = check_float("scale", scale, minimum=0.0, strict_minimum=True)
    shift = check_float("shift", shift)
    check_choice("norm", norm, EXPLORER_NORMS)
    if norm == "batch" and batch_size < 2:
        raise ValueError(tr("batch norm needs batch_size >= 2"))
    g = torch.Generator().manual_seed(0)
    z = torch.randn(batch_size, width, generator=g)
    r = torch.randn(batch_size, width, generator=g)
    x = (scale * z + shift).requires_grad_(True)
    layer = _explorer_norm(norm, width, eps).train()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"var\(\): degrees of freedom")
        out = layer(x)
        (out * r).sum().backward()
    out = out.detach()
    mean = out.mean(-1).numpy()
    std = out.std(-1, correction=0).numpy()
    grad = x.grad.norm(dim=-1).numpy()
    in_std = x.detach().std(-1, correction=0).numpy() if width > 1 else np.full(batch_size, np.nan)
    ax1, ax2 = fig.subplots(1, 2)
    examples = np.arange(batch_size)
    ax1.plot(examples, mean, "o", ms=4, label=tr("mean over its features"))
    ax1.plot(examples, std, "s", ms=4, label=tr("std over its features"))
    ax1.axhline(0, color="0.5", lw=1)
    ax1.axhline(1, color="0.5", lw=1, ls="--")
    ax1.set_ylim(-1.6, 1.6)
    ax1.set_xlim(-1, batch_size)
    ax1.set_xlabel(tr("example in the batch"))
    ax1.set_ylabel(tr("output statistic (dimensionless)"))
    finite = np.isfinite(std).all()
    ax1.set_title(tr("{norm} norm output: median std {std:.3g}", norm=norm, std=np.median(std)) if finite
                  else tr("{norm} norm output: NaN (not a number)", norm=norm), y=1.0, pad=6)
    ax1.legend(loc="lower right", fontsize=8)
    sigma = np.logspace(-7, 3, 50)
    ax2.plot(sigma, np.sqrt(width) / sigma, color="0.6", lw=1, ls="--", label=tr("sqrt(d) / std(x) (no eps)"))
    ax2.plot(in_std, np.where(np.isfinite(grad), grad, np.nan), "o", ms=4, color="C2",
             label=tr("examples"))
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlim(1e-7, 1e3)
    ax2.set_ylim(1e-3, 1e9)
    ax2.set_xlabel(tr("input std over the features of one example"))
    ax2.set_ylabel(tr("‖dL/dx‖ per example"))
    # plain-text tick labels: mathtext ones ("$10^{-3}$") cost most of a redraw
    for axis in (ax2.xaxis, ax2.yaxis):
        axis.set_major_locator(LogLocator(base=100.0, numticks=12))
        axis.set_major_formatter(FuncFormatter(lambda value, _: f"1e{round(np.log10(value))}"))
        axis.set_minor_locator(NullLocator())
    ax2.set_title(tr("input gradient: median {grad:.3g}", grad=np.median(grad)) if np.isfinite(grad).all()
                  else tr("input gradient: NaN"), y=1.0, pad=6)
    ax2.legend(loc="upper right", fontsize=8)
    fig.suptitle(tr("x = {scale:.3g}·z + {shift:.3g}, width {width}, eps {eps:.0e}",
                    scale=scale, shift=shift, width=width, eps=eps), fontsize=11)
    # fixed margins and title heights (no tight layout, no search for a title's place): 2-3x faster
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.83, wspace=0.3)


@explorer_factory
def make_layernorm_explorer() -> Explorer:
    """Width, eps, input scale and shift, and norm type -> output statistics and gradient norms."""
    controls = {
        "width": widgets.SelectionSlider(options=[1, 2, 4, 8, 16, 64, 256, 512], value=64,
                                         description=tr("width d")),
        "eps": widgets.SelectionSlider(options=[0.0, 1e-8, 1e-5, 1e-3, 1e-1], value=1e-5,
                                       description="eps"),
        "scale": widgets.FloatLogSlider(value=1.0, base=10, min=-6, max=2, step=0.5,
                                        description=tr("input scale")),
        "shift": widgets.FloatSlider(value=0.0, min=-10, max=10, step=1, description=tr("input shift")),
        "norm": widgets.Dropdown(options=list(EXPLORER_NORMS), value="layer", description=tr("norm")),
    }
    # the website's frames: width x norm; input scale x eps (LayerNorm); input shift x norm
    site_grid = [
        {"width": [1, 2, 16, 64, 512], "norm": list(EXPLORER_NORMS)},
        {"scale": [1e-6, 1e-3, 1e-2, 1.0, 100.0], "eps": [0.0, 1e-5, 1e-1]},
        {"shift": [-10.0, 0.0, 10.0], "norm": list(EXPLORER_NORMS)},
    ]
    # draw_layernorm_explorer sets its margins: the whole figure is rendered, without a second layout
    return Explorer(draw_layernorm_explorer, controls, figsize=(11, 3.8), tight_bbox=False, site_grid=site_grid)


# --- key figures for slides -------------------------------------------------------------------

@lecture_figure("layernorm_source_error", notebook=NOTEBOOK,
                title="The source's LayerNorm is off by sqrt((d-1)/d)")
def draw_source_error(fig: Figure) -> None:
    plot_source_error(run_source_layernorm(), fig.add_subplot())


@lecture_figure("layernorm_what_it_normalises", notebook=NOTEBOOK,
                title="LayerNorm normalises each example; BatchNorm each feature")
def draw_batch_vs_layer(fig: Figure) -> None:
    fig.set_size_inches(12, 4)
    plot_batch_vs_layer(run_batch_vs_layer(), fig)


@lecture_figure("layernorm_invariance_table", notebook=NOTEBOOK,
                title="Ba et al. (2016) Table 1, measured for BatchNorm, weight norm, LayerNorm, RMSNorm")
def draw_invariance(fig: Figure) -> None:
    fig.set_size_inches(11, 3.8)
    plot_invariance(run_invariance(), ax=fig.add_subplot())


@lecture_figure("layernorm_depth_scales", notebook=NOTEBOOK,
                title="Activation and gradient scale per layer, with and without normalization")
def draw_norm_depth(fig: Figure) -> None:
    fig.set_size_inches(12, 7.5)
    plot_norm_depth(run_norm_depth(seeds=range(3)), fig)


@lecture_figure("layernorm_mean_removal_ablation", notebook=NOTEBOOK,
                title="Plain normalised nets: gradient growth per block, by norm and activation")
def draw_mean_removal(fig: Figure) -> None:
    fig.set_size_inches(13, 4.2)
    plot_mean_removal(run_norm_depth(MEAN_REMOVAL_ABLATION, seeds=range(3)), MEAN_REMOVAL_FACTOR,
                      ax=fig.add_subplot())


# --- which axes each norm reduces over (the cube picture) -------------------------------------

_CUBE_AXES = {"image": ("N", "C", "H, W"), "tokens": ("B", "D", "T")}
"""Cube edges per layout: horizontal, depth, vertical (H and W share the vertical edge)."""

_CUBE_CELLS = (5, 6, 4)
"""Cells drawn along the horizontal, depth and vertical edges; GroupNorm's groups are 2 cells deep."""

_NORM_TITLES = {"batch": "BatchNorm", "layer": "LayerNorm", "instance": "InstanceNorm", "group": "GroupNorm"}


def _cube_point(x: float, y: float, z: float) -> tuple[float, float]:
    """Oblique projection: depth ``y`` recedes up and to the right."""
    return x + 0.55 * y, z + 0.4 * y


def _cube_faces(x0, x1, y0, y1, z0, z1) -> list[list[tuple[float, float]]]:
    """The three visible faces (front, top, right) of a box, as projected polygons."""
    p = _cube_point
    return [[p(x0, y0, z0), p(x1, y0, z0), p(x1, y0, z1), p(x0, y0, z1)],
            [p(x0, y0, z1), p(x1, y0, z1), p(x1, y1, z1), p(x0, y1, z1)],
            [p(x1, y0, z0), p(x1, y1, z0), p(x1, y1, z1), p(x1, y0, z1)]]


def draw_norm_cube(ax: Axes, kind: str, layout: str, color: str = "C0") -> Axes:
    """One cube (batch x channels x positions) with the cells that share one mean of ``kind`` shaded.

    ``layout`` is ``"image"`` (edges ``N``, ``C``, ``H, W``) or ``"tokens"`` (``B``, ``D``, ``T``).
    The shaded block is read from :func:`resnorm.norm_axes.statistic_axes`: an axis it reduces
    over is shaded along its whole edge, any other axis for one cell (GroupNorm: one group of
    channels, drawn two cells deep). Our drawing of the picture of Wu & He (2018), Figure 2.
    """
    reduced = statistic_axes(kind, layout)
    horizontal, depth, vertical = _CUBE_AXES[layout]
    nx, ny, nz = _CUBE_CELLS
    full_x = horizontal in reduced
    full_y = depth in reduced
    group_y = f"{depth}/G" in reduced
    full_z = any(a in reduced for a in vertical.split(", "))
    box = (0 if full_x else nx - 1, nx, 0, ny if full_y else 2 if group_y else 1, 0 if full_z else nz - 1, nz)
    for face in _cube_faces(0, nx, 0, ny, 0, nz):
        ax.add_patch(Polygon(face, closed=True, fc="white", ec="none"))
    p = _cube_point
    grid = ([[p(i, 0, 0), p(i, 0, nz), p(i, ny, nz)] for i in range(nx + 1)]
            + [[p(0, j, nz), p(nx, j, nz), p(nx, j, 0)] for j in range(ny + 1)]
            + [[p(0, 0, k), p(nx, 0, k), p(nx, ny, k)] for k in range(nz + 1)])
    ax.add_collection(LineCollection(grid, colors="0.75", linewidths=0.6))
    for face in _cube_faces(*box):
        ax.add_patch(Polygon(face, closed=True, fc=color, ec="k", lw=1.2, alpha=0.75))
    for face in _cube_faces(0, nx, 0, ny, 0, nz):
        ax.add_patch(Polygon(face, closed=True, fill=False, ec="k", lw=1.2))
    ax.text(*_cube_point(nx / 2, 0, -0.35), horizontal, ha="center", va="top", fontsize=11)
    ax.text(*_cube_point(nx + 0.3, ny / 2, 0), depth, ha="left", va="top", fontsize=11)
    ax.text(*_cube_point(-0.3, 0, nz / 2), vertical, ha="right", va="center", fontsize=11)
    ax.set_xlim(-1.6, nx + 0.55 * ny + 1.2)
    ax.set_ylim(-1.2, nz + 0.4 * ny + 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_norm_axes(result: NormAxesResult, fig: Figure | None = None) -> np.ndarray:
    """Two rows of four cubes (images, token sequences) with the cells of one statistic shaded,
    each titled with the reduced axes and the number of means PyTorch's module computed
    (``result``, from :func:`~resnorm.experiments.norm_axes.run_norm_axes`)."""
    fig = fig if fig is not None else plt.figure(figsize=(12, 6.2))
    axes = fig.subplots(2, len(KINDS))
    for row, layout in enumerate(("image", "tokens")):
        shape = "×".join(str(s) for s in result.shapes[layout])
        names = "(N, C, H, W)" if layout == "image" else "(B, T, D)"
        for col, kind in enumerate(KINDS):
            key = (layout, kind)
            draw_norm_cube(axes[row, col], kind, layout, color=f"C{col}")
            over = ", ".join(result.predicted_axes[key])
            axes[row, col].set_title(tr("{norm}: over ({over})\n{n_means} means for {names} = {shape}",
                                        norm=_NORM_TITLES[kind], over=over, n_means=result.measured_count[key],
                                        names=names, shape=shape), fontsize=10)
    fig.suptitle(tr("One mean per shaded block: images (top), token sequences (bottom); GroupNorm with G = {groups}",
                    groups=result.groups), fontsize=12)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.86, wspace=0.05, hspace=0.3)
    return axes


@lecture_figure("norm_axes_cubes", notebook=NOTEBOOK,
                title="BatchNorm, LayerNorm, InstanceNorm, GroupNorm: the axes of their statistics")
def draw_norm_axes(fig: Figure) -> None:
    fig.set_size_inches(12, 6.2)
    plot_norm_axes(run_norm_axes(), fig)


def plot_scale_invariance(result: ScaleInvarianceResult, fig: Figure | None = None) -> np.ndarray:
    """Over SGD steps, per weight decay (median and min-max band over seeds), for the weights
    feeding the norm: ``|W|`` (left), the effective learning rate ``lr / |W|^2`` (middle), and the
    relative step ``|dW|/|W|`` (right, log), which also shrinks as the loss and its gradient do."""
    axes = _new_axes(fig, 1, 3, (14, 3.8))
    labels = [tr("weight decay {wd:g}", wd=wd) for wd in result.weight_decays]
    plot_curves(dict(zip(labels, result.weight_norm)), ax=axes[0], yscale="linear", ylabel=tr("|W| (Frobenius)"),
                title=tr("|W| grows without weight decay"))
    plot_curves(dict(zip(labels, result.lr / result.weight_norm ** 2)), ax=axes[1], yscale="linear",
                ylabel=tr("effective learning rate lr / |W|²"), title=tr("...so the effective learning rate falls"))
    plot_curves(dict(zip(labels, result.relative_step)), ax=axes[2], ylabel=tr("relative step |ΔW| / |W|"),
                title=tr("Relative step (also falls with the loss; lr {lr:g})", lr=result.lr))
    _drop_log_minor_ticks(axes)
    return axes

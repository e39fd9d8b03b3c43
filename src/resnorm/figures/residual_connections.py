"""Figures of notebook 01 (residual connections): gradients per block, stream growth (along a net
and with depth), degradation, shortcut scaling, explorer."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from .._validation import check_choice, check_int, check_seeds
from ..experiments.degradation import DEGRADATION_CONFIGS, TrainingCurves, run_degradation
from ..experiments.gradient_flow import FOUR_WAYS, PerLayerResult, mlp_layer_stats
from ..experiments.shortcut_scaling import ShortcutScalingResult, run_shortcut_scaling, scaling_label
from ..experiments.stream_growth import STREAM_CONFIGS, DepthSweepResult, StreamGrowthResult, run_stream_growth
from ..i18n import N_, tr
from ..models import ACTIVATIONS, INITS
from ..norms import NORM_NAMES
from ..plots import plot_curves, plot_per_layer
from ..widgets import Explorer, explorer_factory
from . import lecture_figure

NOTEBOOK = "01_residual_connections"

STATE_GRADIENT_LABEL = N_(r"$\|\partial L/\partial h\|$ at the block's output")
"""Y label of every plot of the backpropagated gradient ``dL/dh``."""


def _no_minor_ticks(ax: Axes) -> Axes:
    """No minor ticks on the y axis: on a log axis spanning many decades the labelled decades say
    it all, and placing the minor ticks is a third of the time to render such a figure."""
    ax.yaxis.set_minor_locator(NullLocator())
    return ax


def plot_per_layer_grads(result: PerLayerResult, ax: Axes | None = None, *, title: str | None = None,
                         ylabel: str = STATE_GRADIENT_LABEL) -> Axes:
    """One value per hidden block (by default ``||dL/dh||`` at its output), one line per configuration.

    ``result`` is a :class:`PerLayerResult` such as ``mlp_layer_stats(...).state_grads``; the
    lines are the median over seeds with the min-max band.
    """
    n_seeds, depth = result.blocks(next(iter(result.values))).shape
    return _no_minor_ticks(plot_per_layer(
        {label: result.blocks(label) for label in result.values},
        ax=ax,
        xlabel=tr("hidden block (input → output)"),
        ylabel=ylabel,
        title=title or tr("{depth}-block MLP at initialisation ({n_seeds} seeds)", depth=depth, n_seeds=n_seeds),
    ))


def plot_stream_growth(result: StreamGrowthResult, labels: Sequence[str] | None = None,
                       ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """The stream's RMS after each block over the stem's (solid: measured, median and min-max over
    seeds) and the product formula ``prod sqrt(1 + E[F^2]/E[h^2])`` from the measured ratios
    (dashed, median over seeds), for ``labels`` (default: every configuration)."""
    labels = list(result.stream_ms) if labels is None else list(labels)
    for label in labels:
        check_choice("labels", label, tuple(result.stream_ms))
    n_seeds = result.stream_ms[labels[0]].shape[0]
    ax = plot_curves({label: result.growth(label) for label in labels}, ax=ax, xlabel=tr("block l"),
                     ylabel=tr("RMS of h_l / RMS of h_0"),
                     title=title or tr("The residual stream, {depth} blocks ({n_seeds} seeds)",
                                       depth=result.depth, n_seeds=n_seeds))
    blocks = np.arange(result.depth + 1)
    for i, label in enumerate(labels):
        ax.plot(blocks, np.median(result.predicted_growth(label), axis=0), color=f"C{i}", ls="--", lw=1)
    ax.plot([], [], color="0.3", ls="--", lw=1, label=tr("product formula"))
    ax.legend(loc="upper left", fontsize=9)
    return _no_minor_ticks(ax)


def plot_growth_with_depth(result: DepthSweepResult, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """The stream's growth over a whole net, ``RMS(h_L) / RMS(h_0)``, against the net's depth ``L``
    (log scale; median and min-max over seeds), one line per configuration."""
    n_seeds = next(iter(result.growth.values())).shape[0]
    ax = plot_curves(result.growth, steps=result.depths, ax=ax, xlabel=tr("depth L (blocks)"),
                     ylabel=tr("RMS of h_L / RMS of h_0"),
                     title=title or tr("Growth of the stream over the whole net, by depth ({n_seeds} seeds)",
                                       n_seeds=n_seeds))
    shown = {tr(label) for label in result.growth}
    for line in ax.get_lines():
        if line.get_label() in shown:
            line.set_marker("o")
    return _no_minor_ticks(ax)


def plot_training_curves(curves: TrainingCurves, labels: Sequence[str] | None = None,
                         ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Training loss per step (mini-batch, nats), median and min-max over seeds, for ``labels``."""
    labels = list(curves.losses) if labels is None else list(labels)
    for label in labels:
        check_choice("labels", label, tuple(curves.losses))
    n_seeds = curves.losses[labels[0]].shape[0]
    return plot_curves({label: curves.losses[label] for label in labels}, ax=ax, yscale="log",
                       ylabel=tr("training loss (nats, per mini-batch)"),
                       title=title or tr("Training on the teacher task ({n_seeds} seeds)", n_seeds=n_seeds))


def plot_shortcut_scaling(result: ShortcutScalingResult, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """One panel per branch normalization: ``||dL/dh||`` per block for each shortcut scale."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, len(result.norms), figsize=(5.5 * len(result.norms), 4), sharey=False)[1]
        axes = np.atleast_1d(axes)
    if len(axes) != len(result.norms):
        raise ValueError(tr("axes must be {n_norms} Axes, one per norm; got {n_axes}",
                            n_norms=len(result.norms), n_axes=len(axes)))
    n_seeds = next(iter(result.grads.values.values())).shape[0]
    for ax, norm in zip(axes, result.norms):
        norm_name = tr(scaling_label(1.0, norm).split(", ")[1])  # "no norm" is translated
        _no_minor_ticks(plot_per_layer(
            {tr("λ = {scale:g}, {norm}", scale=s, norm=norm_name): result.grads.blocks(scaling_label(s, norm))
             for s in result.scales}, ax=ax,
            xlabel=tr("hidden block (input → output)"), ylabel=STATE_GRADIENT_LABEL,
            title=tr("{depth} blocks, {norm} ({n_seeds} seeds)", depth=result.depth, norm=norm_name,
                     n_seeds=n_seeds)))
    return axes


# --- the explorer ----------------------------------------------------------------------------

EXPLORER_DEFAULTS = dict(depth=30, residual=False, norm="none", activation="relu", init="default")
"""The explorer's starting state (and the static figure above it)."""

EXPLORER_NORMS = ("none",) + NORM_NAMES
EXPLORER_ACTIVATIONS = ("relu", "tanh", "gelu")


def _plain_log_ticks(ax: Axes) -> None:
    """Tick labels such as ``1e-06`` or ``0.11`` (two significant digits: distinct even within one
    decade) instead of mathtext powers of ten, and no minor ticks: drawing them is several times faster."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.2g}"))
    _no_minor_ticks(ax)


def draw_gradient_explorer(fig: Figure, depth: int = 30, residual: bool = False, norm: str = "none",
                           activation: str = "relu", init: str = "default", seeds=range(3)) -> None:
    """``||dL/dh||`` at each hidden block of one MLP configuration (width 32, batch 32, one net per seed).

    The title adds two summary numbers (medians over the seeds): the gradient at the first
    block's output divided by the one at the last block's, and the RMS of the last block's
    output divided by the stem's.
    """
    depth = check_int("depth", depth, minimum=2, maximum=200)
    check_choice("norm", norm, EXPLORER_NORMS)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    check_choice("init", init, INITS)
    seeds = check_seeds("seeds", seeds)
    kwargs = dict(residual=bool(residual), norm=None if norm == "none" else norm, activation=activation,
                  init=init)
    label = f"{'residual' if residual else 'plain'}, norm: {norm}, {activation}, {init} init"
    shown = tr("{net}, norm: {norm}, {activation}, {init} init",
               net=tr(N_("residual") if residual else N_("plain")), norm=norm, activation=activation, init=init)
    stats = mlp_layer_stats({label: kwargs}, depth=depth, width=32, seeds=seeds, batch_size=32)
    grads = stats.state_grads.blocks(label)
    ax = fig.add_subplot()
    # fixed margins (the explorer renders without a tight bounding box) and a fixed legend place
    # (matplotlib's "best" place searches the drawn data, the slowest step of a redraw)
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.13, top=0.91)
    plot_per_layer({shown: grads}, ax=ax, xlabel=tr("hidden block (input → output)"),
                   ylabel=tr("||dL/dh|| at the block's output"))
    _plain_log_ticks(ax)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # blocks are whole numbers
    ax.get_legend().set_loc("lower right")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.median(grads[:, 0] / grads[:, -1])
    growth = np.median(stats.activation_growth(label))
    ax.set_title(tr("{depth} blocks: first/last gradient {ratio:.1e}, signal growth {growth:.1e}",
                    depth=depth, ratio=ratio, growth=growth))


@explorer_factory
def make_gradient_explorer(seeds=range(3)) -> Explorer:
    """Depth, residual on/off, normalization, activation, init -> the per-block picture, redrawn live.

    ``seeds``: one net per seed, as for the static figure (the notebook passes its ``SEEDS``).
    """
    seeds = check_seeds("seeds", seeds)
    d = EXPLORER_DEFAULTS
    controls = {
        "depth": widgets.IntSlider(value=d["depth"], min=2, max=60, description=tr("depth"),
                                   continuous_update=False),
        "residual": widgets.Checkbox(value=d["residual"], description=tr("residual")),
        "norm": widgets.Dropdown(options=EXPLORER_NORMS, value=d["norm"], description=tr("norm")),
        "activation": widgets.Dropdown(options=EXPLORER_ACTIVATIONS, value=d["activation"],
                                       description=tr("activation")),
        "init": widgets.Dropdown(options=INITS, value=d["init"], description=tr("init")),
    }
    # the website's frames: depth x residual x norm, and the activations and inits of the
    # unnormalized net at depth 30 (where the init decides how the stream grows)
    site_grid = [
        {"depth": [5, 30, 60], "residual": [False, True], "norm": list(EXPLORER_NORMS)},
        {"residual": [False, True], "activation": list(EXPLORER_ACTIVATIONS), "init": list(INITS)},
    ]
    return Explorer(partial(draw_gradient_explorer, seeds=seeds), controls, tight_bbox=False, site_grid=site_grid)


# --- key figures for slides ------------------------------------------------------------------


@lecture_figure("gradient_per_block", notebook=NOTEBOOK,
                title="dL/dh at every block of 30-block MLPs: plain, residual, with and without LayerNorm")
def draw_gradient_per_block(fig: Figure) -> None:
    plot_per_layer_grads(mlp_layer_stats(FOUR_WAYS, depth=30, seeds=range(3)).state_grads, fig.add_subplot())


@lecture_figure("residual_stream_growth", notebook=NOTEBOOK,
                title="The residual stream over 100 blocks: default vs He init, scaled init, LayerNorm")
def draw_stream_growth(fig: Figure) -> None:
    plot_stream_growth(run_stream_growth(STREAM_CONFIGS), ax=fig.add_subplot())


@lecture_figure("degradation", notebook=NOTEBOOK,
                title="Degradation: a 15-block plain net trains worse than a 3-block one; a residual one does not")
def draw_degradation(fig: Figure) -> None:
    plot_training_curves(run_degradation(DEGRADATION_CONFIGS), ax=fig.add_subplot())


@lecture_figure("shortcut_scaling", notebook=NOTEBOOK,
                title="A shortcut scaled by 0.5: dL/dh vanishes without a norm, stays of one order with "
                      "LayerNorm, explodes with BatchNorm")
def draw_shortcut_scaling(fig: Figure) -> None:
    result = run_shortcut_scaling()
    plot_shortcut_scaling(result, fig.subplots(1, len(result.norms)))

"""Figures of notebook 01 (residual connections): depth sweep, degradation, shortcut scaling, explorer."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from .._validation import check_choice, check_int
from ..experiments.degradation import DEGRADATION_CONFIGS, TrainingCurves, run_degradation
from ..experiments.depth_sweep import FOUR_WAYS, DepthSweepResult, run_depth_sweep
from ..experiments.gradient_flow import PerLayerResult, mlp_layer_stats
from ..experiments.shortcut_scaling import ShortcutScalingResult, run_shortcut_scaling, scaling_label
from ..models import ACTIVATIONS
from ..norms import NORM_NAMES
from ..plots import plot_curves, plot_per_layer
from ..widgets import Explorer
from . import lecture_figure

NOTEBOOK = "01_residual_connections"


def plot_per_layer_grads(result: PerLayerResult, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Weight-gradient norm of each hidden block, one line per configuration (median, min-max over seeds)."""
    n_seeds, depth = result.blocks(next(iter(result.values))).shape
    return plot_per_layer(
        {label: result.blocks(label) for label in result.values},
        ax=ax,
        xlabel="hidden block (input → output)",
        title=title or f"{depth}-block MLP at initialisation ({n_seeds} seeds)",
    )


def plot_depth_sweep(result: DepthSweepResult, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """Two panels against depth: first/last block gradient ratio, and growth of the hidden signal."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, 2, figsize=(11, 4))[1]
    if len(axes) != 2:
        raise ValueError(f"axes must be two Axes (gradient ratio, signal growth); got {len(axes)}")
    n_seeds = next(iter(result.first_to_last.values())).shape[0]
    plot_curves(result.first_to_last, steps=result.depths, ax=axes[0], xlabel="depth (hidden blocks)",
                ylabel="first block's gradient / last block's",
                title=f"Does the gradient reach the input? ({n_seeds} seeds)")
    axes[0].axhline(1.0, color="0.5", lw=1, ls=":")
    plot_curves(result.activation_growth, steps=result.depths, ax=axes[1], xlabel="depth (hidden blocks)",
                ylabel="RMS of last block's output / stem's",
                title="Does the signal stay the same size?")
    axes[1].axhline(1.0, color="0.5", lw=1, ls=":")
    legend = axes[0].get_legend()
    handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    for ax in axes:
        ax.get_legend().remove()
    axes[0].figure.legend(handles, labels, loc="upper center", ncol=3, bbox_to_anchor=(0.5, 0.0))
    return axes


def plot_training_curves(curves: TrainingCurves, labels: Sequence[str] | None = None,
                         ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Training loss per step (mini-batch, nats), median and min-max over seeds, for ``labels``."""
    labels = list(curves.losses) if labels is None else list(labels)
    for label in labels:
        check_choice("labels", label, tuple(curves.losses))
    n_seeds = curves.losses[labels[0]].shape[0]
    return plot_curves({label: curves.losses[label] for label in labels}, ax=ax, yscale="log",
                       ylabel="training loss (nats, per mini-batch)",
                       title=title or f"Training on the teacher task ({n_seeds} seeds)")


def plot_shortcut_scaling(result: ShortcutScalingResult, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """One panel per branch normalization: gradient per block for each shortcut scale."""
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.subplots(1, len(result.norms), figsize=(5.5 * len(result.norms), 4), sharey=False)[1]
        axes = np.atleast_1d(axes)
    if len(axes) != len(result.norms):
        raise ValueError(f"axes must be {len(result.norms)} Axes, one per norm; got {len(axes)}")
    n_seeds = next(iter(result.grads.values.values())).shape[0]
    for ax, norm in zip(axes, result.norms):
        labels = [scaling_label(s, norm) for s in result.scales]
        plot_per_layer({label: result.grads.blocks(label) for label in labels}, ax=ax,
                       xlabel="hidden block (input → output)",
                       title=f"{result.depth} blocks, {scaling_label(1.0, norm).split(', ')[1]} ({n_seeds} seeds)")
    return axes


# --- the explorer ----------------------------------------------------------------------------

EXPLORER_DEFAULTS = dict(depth=30, residual=False, norm="none", activation="relu")
"""The explorer's starting state (and the static figure above it)."""

EXPLORER_NORMS = ("none",) + NORM_NAMES
EXPLORER_ACTIVATIONS = ("relu", "tanh", "gelu")


def _plain_log_ticks(ax: Axes) -> None:
    """Tick labels such as ``1e-06`` instead of mathtext powers of ten: drawing them is ~2x faster."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def draw_gradient_explorer(fig: Figure, depth: int = 30, residual: bool = False, norm: str = "none",
                           activation: str = "relu") -> None:
    """Gradient norm per hidden block of one MLP configuration (width 32, batch 64, 3 seeds).

    The title adds two summary numbers (medians over the seeds): the first block's gradient
    divided by the last block's, and the RMS of the last block's output divided by the stem's.
    """
    depth = check_int("depth", depth, minimum=2, maximum=200)
    check_choice("norm", norm, EXPLORER_NORMS)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    kwargs = dict(residual=bool(residual), norm=None if norm == "none" else norm, activation=activation)
    label = f"{'residual' if residual else 'plain'}, norm: {norm}, {activation}"
    stats = mlp_layer_stats({label: kwargs}, depth=depth, width=32, seeds=range(3), batch_size=64)
    grads = stats.grads.blocks(label)
    ax = fig.add_subplot()
    plot_per_layer({label: grads}, ax=ax, xlabel="hidden block (input → output)",
                   ylabel="gradient norm ||dL/dW||")
    _plain_log_ticks(ax)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.median(grads[:, 0] / grads[:, -1])
    growth = np.median(stats.activation_growth(label))
    ax.set_title(f"{depth} blocks: first/last gradient {ratio:.1e}, signal growth {growth:.1e}")


def make_gradient_explorer() -> Explorer:
    """Depth, residual on/off, normalization and activation -> the per-layer picture, redrawn live."""
    d = EXPLORER_DEFAULTS
    controls = {
        "depth": widgets.IntSlider(value=d["depth"], min=2, max=100, description="depth",
                                   continuous_update=False),
        "residual": widgets.Checkbox(value=d["residual"], description="residual"),
        "norm": widgets.Dropdown(options=EXPLORER_NORMS, value=d["norm"], description="norm"),
        "activation": widgets.Dropdown(options=EXPLORER_ACTIVATIONS, value=d["activation"],
                                       description="activation"),
    }
    return Explorer(draw_gradient_explorer, controls)


# --- key figures for slides ------------------------------------------------------------------


@lecture_figure("residual_depth_sweep", notebook=NOTEBOOK,
                title="Plain vs residual, with and without LayerNorm, from 2 to 100 blocks")
def draw_depth_sweep(fig: Figure) -> None:
    plot_depth_sweep(run_depth_sweep(FOUR_WAYS), fig.subplots(1, 2))


@lecture_figure("degradation", notebook=NOTEBOOK,
                title="Degradation: a 20-layer plain net trains worse than a 4-layer one; a residual one does not")
def draw_degradation(fig: Figure) -> None:
    plot_training_curves(run_degradation(DEGRADATION_CONFIGS), ax=fig.add_subplot())


@lecture_figure("shortcut_scaling", notebook=NOTEBOOK,
                title="A shortcut scaled by 0.5: the gradient vanishes (no norm) or grows towards the input (LayerNorm)")
def draw_shortcut_scaling(fig: Figure) -> None:
    plot_shortcut_scaling(run_shortcut_scaling(), fig.subplots(1, 2))

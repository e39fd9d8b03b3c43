"""Figures of notebook 05 (beyond the interview): lesions, shattered gradients, amplification,
re-weighted residuals, Dynamic Tanh, and the lesion explorer."""

from __future__ import annotations

import functools

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..experiments.amplification import AmplificationResult, run_amplification
from ..experiments.attention_logits import LogitGrowthResult, LogitScaleResult
from ..experiments.dyt import NormMapping, TanhFit, run_dyt
from ..experiments.fixup import FixupResult
from .._validation import check_seeds
from ..experiments.lesion import (
    LESION_SETTINGS,
    LesionResult,
    lesion_data,
    lesion_error,
    path_length_counts,
    run_lesion,
    trained_lesion_nets,
)
from ..experiments.reweighted import SequenceTrainingResult, run_deeper
from ..experiments.shattered import ShatteredResult, run_shattered
from ..i18n import N_, tr
from ..plots import plot_curves, plot_per_layer
from ..widgets import Explorer, explorer_factory
from . import lecture_figure

NOTEBOOK = "05_beyond_the_interview"

AMPLIFICATION_LABELS = {"post": "Post-LN", "pre": "Pre-LN", "deepnorm": "DeepNorm"}
"""Legend labels of the stacks of :func:`resnorm.experiments.amplification.run_amplification`."""

FIXUP_LABELS = {"he": N_("He init, no norm"), "default": N_("PyTorch default init, no norm"),
                "fixup": N_("Fixup init, no norm")}
"""Legend labels of the initialisations of :class:`resnorm.reweighted.FixupMLP`."""

EXPLORER_SEEDS = (0, 1, 2)
"""Default seeds of the nets the lesion explorer deletes blocks from (the notebook passes its own)."""


def _n_seeds(values: dict) -> int:
    return next(iter(values.values())).shape[0]


def plot_path_lengths(n_blocks: int, ax: Axes | None = None) -> Axes:
    """Bar chart of how many paths go through ``k`` residual branches, ``k = 0..n_blocks``."""
    counts = path_length_counts(n_blocks)
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots()[1]
    ax.bar(np.arange(n_blocks + 1), counts, color="C0")
    ax.set_xlabel(tr("path length k (residual branches the path goes through)"))
    ax.set_ylabel(tr("number of paths"))
    ax.set_title(tr("{n_blocks} residual blocks: {n_paths} paths, binomial({n_blocks}, k) of length k",
                    n_blocks=n_blocks, n_paths=2 ** n_blocks))
    return ax


def plot_lesion(result: LesionResult, ax: Axes | None = None) -> Axes:
    """Test error with one block deleted, per block, for the residual and the plain net."""
    ax = plot_per_layer(
        result.single,
        layer_labels=[str(i + 1) for i in range(result.depth)],
        ax=ax,
        log=False,
        xlabel=tr("deleted block"),
        ylabel=tr("test error (fraction wrong)"),
        title=tr("Delete one block: median, min–max over {n_seeds} seeds", n_seeds=_n_seeds(result.single)),
    )
    for i, (label, values) in enumerate(result.baseline.items()):
        ax.axhline(np.median(values), color=f"C{i}", ls="--", lw=1,
                   label=tr("{label}, nothing deleted", label=tr(label)))
    ax.set_ylim(0, 1)
    ax.legend(loc="center right", fontsize=9)
    return ax


def plot_lesion_k(result: LesionResult, ax: Axes | None = None) -> Axes:
    """Mean test error with ``k`` random blocks deleted, against ``k``."""
    ax = plot_curves(
        result.k_deleted,
        steps=np.arange(result.depth + 1),
        ax=ax,
        yscale="linear",
        xlabel=tr("number of blocks deleted k"),
        ylabel=tr("test error (fraction wrong)"),
        title=tr("Delete k random blocks: median, min–max over {n_seeds} seeds", n_seeds=_n_seeds(result.k_deleted)),
    )
    ax.set_ylim(0, 1)
    return ax


def plot_shattered_examples(result: ShatteredResult, ax: Axes | None = None) -> Axes:
    """d output / d input along the line for the deepest nets (first seed), each scaled to unit std."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots()[1]
    for i, (label, grads) in enumerate(result.example_gradients.items()):
        g = (grads - grads.mean()) / grads.std()
        ax.plot(result.inputs, g + 4 * i, color=f"C{i}", lw=1, label=tr(label))
    ax.set_xlabel(tr("input x"))
    ax.set_ylabel(tr("d output / d x (standardised, offset)"))
    ax.set_yticks([])
    ax.set_title(tr("Input gradients of {depth}-block nets at init", depth=result.depths[-1]))
    ax.legend(loc="upper right")
    return ax


def plot_shattered(result: ShatteredResult, ax: Axes | None = None) -> Axes:
    """Lag-1 autocorrelation of the input gradients against depth."""
    ax = plot_curves(
        result.autocorrelation,
        steps=result.depths,
        ax=ax,
        yscale="linear",
        xlabel=tr("depth (blocks)"),
        ylabel=tr("lag-1 autocorrelation of d out / d x"),
        title=tr("Smoothness of gradients: median, min–max over {n_seeds} seeds",
                 n_seeds=_n_seeds(result.autocorrelation)),
    )
    ax.set_xscale("log", base=2)
    ax.set_ylim(-0.3, 1.05)
    ax.axhline(0, color="0.5", lw=0.8)
    return ax


def plot_amplification(result: AmplificationResult, ax: Axes | None = None) -> Axes:
    """Squared output change relative to one layer, against depth (log-log), with ``N`` and ``1 + log2 N``."""
    depths = result.depths
    series = {AMPLIFICATION_LABELS[kind]: result.growth(kind) for kind in result.change}
    ax = plot_curves(
        series,
        steps=depths,
        ax=ax,
        xlabel=tr("depth N (blocks)"),
        ylabel=tr("squared output change / at N = 1"),
        title=tr("Squared output change under a small weight perturbation: median, min–max over seeds ({seeds})",
                 seeds=", ".join(f"{label} {values.shape[0]}" for label, values in series.items())),
    )
    ax.plot(depths, depths / depths[0], color="0.4", ls="--", lw=1, label="∝ N")
    ax.plot(depths, 1 + np.log2(depths / depths[0]), color="0.4", ls=":", lw=1.5, label="1 + log₂ N")
    ax.set_xscale("log", base=2)
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_fixup(result: FixupResult, ax: Axes | None = None) -> Axes:
    """Standard deviation of each hidden state relative to the stem output, per block, at init."""
    series = {FIXUP_LABELS[init]: values for init, values in result.signal.items()}
    depth = next(iter(series.values())).shape[1] - 1
    return plot_per_layer(
        series,
        layer_labels=[N_("stem")] + [str(i + 1) for i in range(depth)],
        ax=ax,
        xlabel=tr("after block"),
        ylabel=tr("std of the signal / std after the stem"),
        title=tr("{depth}-block residual MLP without norm, at init: median, min–max over {n_seeds} seeds",
                 depth=depth, n_seeds=_n_seeds(series)),
    )


def plot_training(result: SequenceTrainingResult, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Loss curves of a :class:`SequenceTrainingResult`, with the chance level marked."""
    ax = plot_curves(
        result.losses,
        ax=ax,
        ylabel=tr("training loss (nats per token)"),
        title=title or tr("Training loss: median, min–max over {n_seeds} seeds", n_seeds=_n_seeds(result.losses)),
    )
    ax.axhline(result.chance, color="0.4", ls="--", lw=1, label=tr("chance (uniform guess)"))
    ax.legend(loc="lower left", fontsize=9)
    return ax


def plot_norm_mapping(mapping: NormMapping, fit: TanhFit, ax: Axes | None = None, *,
                      max_points: int = 4000) -> Axes:
    """Each element's LayerNorm input against its normalised output, coloured by its token's std."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots()[1]
    x, y = mapping.x.ravel(), mapping.y.ravel()
    std = np.repeat(mapping.token_std, mapping.x.shape[1])
    keep = np.linspace(0, x.size - 1, min(max_points, x.size)).astype(int)
    points = ax.scatter(x[keep], y[keep], c=std[keep], s=3, cmap="viridis", rasterized=True)
    ax.figure.colorbar(points, ax=ax, label=tr("token std (LayerNorm's divisor)"))
    grid = np.linspace(x.min(), x.max(), 200)
    ax.plot(grid, fit.gamma * np.tanh(fit.alpha * grid) + fit.beta, color="C3", lw=2,
            label=tr("best γ·tanh(αx)+β, α = {alpha:.2g}", alpha=fit.alpha))
    ax.set_xlabel(tr("LayerNorm input (one element)"))
    ax.set_ylabel(tr("normalised output (before γ, β)"))
    ax.set_title(tr("A trained LayerNorm, element by element"))
    ax.legend(loc="upper left", fontsize=9)
    return ax


def _entropy_axes(ax: Axes, max_entropy: float) -> Axes:
    """The attention-entropy plots' common frame: the uniform-attention line (nats), a log2 x axis."""
    ax.axhline(max_entropy, color="0.4", ls="--", lw=1, label=tr("uniform attention, ln(keys)"))
    ax.set_xscale("log", base=2)
    ax.set_ylim(0, max_entropy * 1.1)
    ax.legend(loc="lower left", fontsize=9)
    return ax


def plot_logit_scale(result: LogitScaleResult, ax: Axes | None = None) -> Axes:
    """Attention entropy against ``d_k`` (log axis), logits ``q·k`` with and without the division by ``sqrt(d_k)``."""
    ax = plot_curves(
        {"q·k": result.raw_entropy, "q·k / sqrt(d_k)": result.scaled_entropy},
        steps=result.d_ks,
        ax=ax,
        yscale="linear",
        xlabel=tr("d_k (query and key size)"),
        ylabel=tr("attention entropy (nats)"),
        title=tr("Random unit-variance q, k: median, min–max over {n_seeds} seeds",
                 n_seeds=result.raw_entropy.shape[0]),
    )
    return _entropy_axes(ax, result.max_entropy)


def plot_logit_growth(result: LogitGrowthResult, ax: Axes | None = None) -> Axes:
    """Attention entropy as ``W_q`` and ``W_k`` are scaled by ``s``, without and with QK-norm."""
    ax = plot_curves(
        {tr("without QK-norm"): result.entropy["plain"], tr("with QK-norm"): result.entropy["qk-norm"]},
        steps=result.scales,
        ax=ax,
        yscale="linear",
        xlabel=tr("scale s of W_q and W_k"),
        ylabel=tr("attention entropy (nats)"),
        title=tr("One attention layer: median, min–max over {n_seeds} seeds",
                 n_seeds=result.entropy["plain"].shape[0]),
    )
    return _entropy_axes(ax, result.max_entropy)


# --- explorer ---------------------------------------------------------------------------------

def draw_lesion_explorer(fig: Figure, deleted=(), *, seeds=EXPLORER_SEEDS) -> None:
    """Test error of the lesion study's trained residual and plain nets with the blocks ``deleted``.

    ``deleted`` holds 0-based block indices; ``seeds`` are those of the study (each seed's nets
    are tested on that seed's test set). Bars: median over the seeds; lines: min-max; the hollow
    marker is the intact net's error.
    """
    deleted = tuple(sorted(set(deleted)))
    seeds = check_seeds("seeds", seeds)
    runs = [(trained_lesion_nets(seed, **LESION_SETTINGS), lesion_data(seed)[2:]) for seed in seeds]
    labels = list(runs[0][0])
    errors = np.array([[lesion_error(n[label], x, y, deleted) for n, (x, y) in runs] for label in labels])
    intact = np.array([[lesion_error(n[label], x, y) for n, (x, y) in runs] for label in labels])
    ax = fig.add_subplot()
    positions = np.arange(len(labels))
    median = np.median(errors, axis=1)
    ax.bar(positions, median, color=[f"C{i}" for i in range(len(labels))], width=0.6)
    ax.vlines(positions, errors.min(axis=1), errors.max(axis=1), color="k", lw=2)
    ax.plot(positions, np.median(intact, axis=1), "o", mfc="none", mec="k", ms=10, label=tr("nothing deleted"))
    for p, m, top in zip(positions, median, errors.max(axis=1)):
        ax.text(p + 0.05, top + 0.02, f"{m:.2f}", ha="left", va="bottom")
    ax.set_xticks(positions, [tr(label) for label in labels])
    ax.set_ylim(0, 1)
    ax.set_ylabel(tr("test error (fraction wrong)"))
    depth = LESION_SETTINGS["depth"]
    shown = ", ".join(str(i + 1) for i in deleted) or tr("none")
    paths = 2 ** (depth - len(deleted))
    ax.set_title(tr("Deleted blocks: {shown}  (residual net keeps {paths} of {n_paths} paths)\nmedian and min–max "
                    "over {n_runs} seeds",
                    shown=shown, paths=paths, n_paths=2 ** depth, n_runs=len(runs)), fontsize=11)
    ax.legend(loc="upper left")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.1, top=0.84)


@explorer_factory
def make_lesion_explorer(seeds=EXPLORER_SEEDS) -> Explorer:
    """Pick blocks to delete from the trained nets of the lesion study (its ``seeds``); see the test error."""
    seeds = check_seeds("seeds", seeds)
    depth = LESION_SETTINGS["depth"]
    controls = {
        "deleted": widgets.SelectMultiple(
            options=[(tr("block {number}", number=i + 1), i) for i in range(depth)], value=(), rows=depth,
            description=tr("delete"), layout=widgets.Layout(width="220px"),
        ),
    }
    # the website's frames: nothing, any one block or any two blocks deleted
    blocks = range(depth)
    site_grid = [{"deleted": [()] + [(i,) for i in blocks] + [(i, j) for i in blocks for j in blocks if i < j]}]
    # draw_lesion_explorer sets its margins: the whole figure is rendered, without a second layout
    return Explorer(functools.partial(draw_lesion_explorer, seeds=seeds), controls, tight_bbox=False,
                    site_grid=site_grid)


# --- key figures for slides -------------------------------------------------------------------

@lecture_figure("lesion_residual_vs_plain", notebook=NOTEBOOK,
                title="Deleting blocks: a residual net barely notices, a plain net breaks (Veit et al. 2016)")
def draw_lesion(fig: Figure) -> None:
    result = run_lesion(**LESION_SETTINGS)
    left, right = fig.subplots(1, 2)
    plot_lesion(result, left)
    plot_lesion_k(result, right)


@lecture_figure("shattered_gradients", notebook=NOTEBOOK,
                title="Shattered gradients: deep plain nets' input gradients lose their correlation (Balduzzi et al. 2017)")
def draw_shattered(fig: Figure) -> None:
    result = run_shattered(depths=(1, 8, 32), width=16, seeds=range(15))
    left, right = fig.subplots(1, 2)
    plot_shattered_examples(result, left)
    plot_shattered(result, right)


@lecture_figure("amplification_post_pre_deepnorm", notebook=NOTEBOOK,
                title="Output change under a small weight change grows with depth for Post-LN (Liu et al. 2020)")
def draw_amplification(fig: Figure) -> None:
    depths = (1, 2, 4, 8, 16)
    result = run_amplification(depths, kinds=("post", "pre"), n_draws=1, seeds=range(20))
    result.change.update(run_amplification(depths, kinds=("deepnorm",), n_draws=1, seeds=range(5)).change)
    plot_amplification(result, fig.add_subplot())


@lecture_figure("deepnorm_rezero_training", notebook=NOTEBOOK,
                title="Toy Transformers, lr 0.02, no warm-up: 6-layer Post-LN stays at chance; Pre-LN, DeepNorm, ReZero learn")
def draw_deeper(fig: Figure) -> None:
    plot_training(run_deeper(), fig.add_subplot())


@lecture_figure("dyt_vs_layernorm", notebook=NOTEBOOK,
                title="Dynamic Tanh replaces LayerNorm in a small Transformer (Zhu et al. 2025)")
def draw_dyt(fig: Figure) -> None:
    plot_training(run_dyt(), fig.add_subplot())

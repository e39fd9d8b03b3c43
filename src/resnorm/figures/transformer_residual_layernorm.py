"""Figures of notebook 03 (residuals and LayerNorm in the Transformer) and its explorer."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from .._validation import check_choice, check_float, check_int
from ..data import sequence_task
from ..experiments.init_gradients import InitGradientResult, StreamGradientResult, run_init_gradients
from ..experiments.residual_stream import ResidualStreamResult
from ..experiments.source_layer import SourceStackResult, run_source_stack
from ..experiments.warmup import WarmupResult, run_warmup
from ..i18n import N_, tr
from ..measure import per_layer_grad_norms
from ..models import PLACEMENTS, TinyTransformer
from ..norms import to_torch_norms
from ..plots import formula, plot_curves, plot_per_layer
from ..training import cross_entropy, train
from ..widgets import Explorer, explorer_factory
from . import lecture_figure

NOTEBOOK = "03_transformer_residual_layernorm"
PLACEMENT_LABELS = {"post": "Post-LN", "pre": "Pre-LN", "source": N_("source's layer"),
                    "pre_no_residual": N_("Pre-LN without x +")}
"""How the figures name each ``placement`` (and the control stack of
:func:`~resnorm.experiments.source_layer.run_source_stack`)."""


def _axes_pair(axes) -> tuple[Axes, Axes]:
    if axes is None:
        return tuple(plt.subplots(1, 2, figsize=(11, 3.8))[1])
    if len(axes) != 2:
        raise ValueError(tr("axes must be two matplotlib Axes; got {n_axes}", n_axes=len(axes)))
    return tuple(axes)


def plot_source_stack(result: SourceStackResult, axes=None) -> tuple[Axes, Axes]:
    """Left: how much the head's input differs between positions; right: the embedding gradient.

    Both against the number of blocks, one line per placement (median, min-max over seeds).
    """
    left, right = _axes_pair(axes)
    n_seeds = next(iter(result.embedding_grad.values())).shape[0]
    labels = {p: PLACEMENT_LABELS[p] for p in result.embedding_grad}
    plot_curves({labels[p]: v for p, v in result.position_spread.items()}, steps=result.depths,
                ax=left, yscale="linear", xlabel=tr("number of blocks L"),
                ylabel=tr("share that differs between positions"),
                title=tr("Can the output still tell positions apart?"))
    left.set_ylim(-0.03, 1.05)
    plot_curves({labels[p]: v for p, v in result.embedding_grad.items()}, steps=result.depths,
                ax=right, xlabel=tr("number of blocks L"),
                ylabel=tr("$\\|\\partial L/\\partial E\\|_F$ (token embeddings)"),
                title=tr("Gradient reaching the input, {n_seeds} seeds", n_seeds=n_seeds))
    for ax in (left, right):
        ax.set_xscale("log", base=2)
        ax.set_xticks(result.depths, [str(d) for d in result.depths])
    return left, right


def plot_init_gradients(result: InitGradientResult, axes=None) -> tuple[Axes, Axes]:
    """Left: ``||dL/dW^{2,l}||`` of every block of the ``profile_depth``-block models; right: the
    last block's against the number of blocks, on log-log axes, with the slopes of Theorem 1."""
    left, right = _axes_pair(axes)
    n_seeds = next(iter(result.last_layer.values())).shape[0]
    labels = {p: PLACEMENT_LABELS[p] for p in result.last_layer}
    plot_per_layer({labels[p]: v for p, v in result.per_layer.items()}, ax=left,
                   layer_labels=[str(l + 1) for l in range(result.profile_depth)],
                   xlabel=tr("block l of {profile_depth} (input → output)", profile_depth=result.profile_depth),
                   ylabel=tr("{formula} per sequence", formula=formula(r"$\|\partial L/\partial W^{2,l}\|_F$")),
                   title=tr("Each block's FFN gradient at init, {n_seeds} seeds", n_seeds=n_seeds))
    depths = result.depths
    reference = {"post": (0.0, formula(r"$\propto L^{0}$")), "pre": (-0.5, formula(r"$\propto L^{-1/2}$"))}
    for i, placement in enumerate(result.last_layer):
        if placement in reference:
            slope, text = reference[placement]
            start = np.median(result.last_layer[placement][:, 0])
            right.plot(depths, start * (depths / depths[0]) ** slope, ls="--", lw=1, color=f"C{i}",
                       label=tr("{text} (Theorem 1)", text=text))
    plot_curves({labels[p]: v for p, v in result.last_layer.items()}, steps=depths, ax=right,
                xlabel=tr("number of blocks L"),
                ylabel=tr("{formula} per sequence", formula=formula(r"$\|\partial L/\partial W^{2,L}\|_F$")),
                title=tr("Last block's FFN gradient against depth"))
    right.set_xscale("log")
    right.set_xticks(depths, [str(int(d)) for d in depths])
    right.minorticks_off()
    return left, right


PATH_LABELS = {"all": "", "skip": N_(", skip path only")}
"""How :func:`plot_stream_gradients` names each ``path`` (appended to the placement's label)."""


def plot_stream_gradients(result: StreamGradientResult, axes=None) -> tuple[Axes, ...]:
    """One panel per depth: ``||dloss/dx_l||`` at every stream position ``l`` (0 = the embeddings),
    one line per placement and path (median, min-max over seeds), on a log axis."""
    depths = result.depths
    if axes is None:
        axes = plt.subplots(1, len(depths), figsize=(5.5 * len(depths), 3.8))[1]
        axes = np.atleast_1d(axes)
    if len(axes) != len(depths):
        raise ValueError(tr("axes must be {n_depths} matplotlib Axes, one per depth; got {n_axes}",
                            n_depths=len(depths), n_axes=len(axes)))
    n_seeds = next(iter(next(iter(result.grads.values())).values())).shape[0]
    for ax, depth in zip(axes, depths):
        series = {tr(PLACEMENT_LABELS[p]) + tr(PATH_LABELS[path]): by_depth[depth]
                  for (p, path), by_depth in result.grads.items()}
        ticks = [str(l) if depth <= 8 or l % 4 == 0 else "" for l in range(depth + 1)]
        plot_per_layer(series, ax=ax, layer_labels=ticks,
                       xlabel=tr("stream after block l (0 = embeddings) of {depth}", depth=depth),
                       ylabel=tr("{formula} per sequence", formula=formula(r"$\|\partial L/\partial x_l\|$")),
                       title=tr("{depth} blocks at initialisation, {n_seeds} seeds", depth=depth, n_seeds=n_seeds))
    return tuple(axes)


def plot_warmup(result: WarmupResult, ax: Axes | None = None) -> Axes:
    """Training loss of each setting (median, min-max over seeds) and the loss of a uniform guess."""
    ax = ax if ax is not None else plt.subplots(figsize=(8, 4))[1]
    vocab_size = result.vocab_size
    ax.axhline(np.log(vocab_size), color="0.5", ls=":", lw=1, label=tr("uniform guess, ln {vocab_size}",
                                                                       vocab_size=vocab_size))
    n_seeds = next(iter(result.losses.values())).shape[0]
    plot_curves(result.losses, ax=ax,
                title=tr("{depth}-block Transformer unless labelled, Adam, peak lr {lr:g}: {n_seeds} seeds",
                         depth=result.depth, lr=result.lr, n_seeds=n_seeds))
    return ax


def plot_residual_stream(result: ResidualStreamResult, axes=None) -> tuple[Axes, Axes]:
    """Left: the stream's RMS entry after each block; right: how much each block changes it."""
    left, right = _axes_pair(axes)
    labels = {p: PLACEMENT_LABELS[p] for p in result.rms}
    blocks = np.arange(1, result.depth + 1)
    plot_curves({labels[p]: v[:, 1:] for p, v in result.rms.items()}, steps=blocks, ax=left,
                xlabel=tr("after block l"), ylabel=tr("RMS entry of {x} ({formula})", x=formula(r"$x_l$"),
                                                          formula=formula(r"$\|x_l\|/\sqrt{d}$")),
                title=tr("Size of the residual stream"))
    plot_curves({labels[p]: v for p, v in result.relative_change.items()}, steps=blocks, ax=right,
                xlabel=tr("block l"), ylabel=r"$\|x_l - x_{l-1}\| \,/\, \|x_{l-1}\|$",
                title=tr("How much each block changes it"))
    for ax in (left, right):
        ax.set_xscale("log")
    return left, right


# --- the explorer -------------------------------------------------------------------------------

EXPLORER = dict(d_model=16, n_heads=4, d_ff=32, vocab_size=6, seq_len=4, batch_size=32, steps=20,
                max_depth=8)
"""The explorer's model, data and training: a new setting is trained for ``steps`` Adam steps of
``batch_size`` fresh sequences, the first time it is asked for, and kept for the session.

Chosen so that a new setting is trained, drawn and rendered in a few tenths of a second on a
2-core CPU (``make bench`` measures the median per change; the course's budget is 250 ms) and
still shows section 4's effect: at 6 blocks and peak lr 0.03, Post-LN without warm-up stays at
the uniform guess (ln 6 = 1.79 nats) while Pre-LN and Post-LN with warm-up learn. Short
sequences and batches of 32 make the 20 steps count; the LayerNorms are PyTorch's
``nn.LayerNorm`` (the same function as :class:`resnorm.norms.LayerNorm`, one operation instead
of about ten small ones) and Adam is PyTorch's fused kernel, both for speed."""


def _explorer_model(depth: int, placement: str) -> TinyTransformer:
    """The explorer's ``TinyTransformer`` (seed 0), its LayerNorms swapped for ``nn.LayerNorm``.

    Each swapped norm keeps its parameters, so the model computes the same function (up to float
    rounding) with fewer, faster operations.
    """
    c = EXPLORER
    torch.manual_seed(0)
    return to_torch_norms(TinyTransformer(c["vocab_size"], depth, c["d_model"], c["n_heads"],
                                                  c["d_ff"], placement=placement, max_len=c["seq_len"]))


@lru_cache(maxsize=256)
def explorer_gradients(depth: int) -> dict[str, np.ndarray]:
    """Each block's ``||dL/dW^{2,l}||`` at initialisation, ``(depth,)`` per placement (one batch).

    One seed, the explorer's settings (:data:`EXPLORER`), the ``"reverse"`` task, PyTorch's default
    initialisation; cached.
    """
    depth = check_int("depth", depth, minimum=1, maximum=EXPLORER["max_depth"])
    c = EXPLORER
    tokens, targets = sequence_task("reverse", c["batch_size"], c["seq_len"], c["vocab_size"], seed=0)
    grads = {}
    for placement in PLACEMENTS:
        model = _explorer_model(depth, placement)
        cross_entropy(model(tokens), targets).backward()
        norms = per_layer_grad_norms(model)
        grads[placement] = np.array([norms[f"blocks.{l}.linear2"] for l in range(depth)])
    return grads


@lru_cache(maxsize=256)
def explorer_curve(depth: int, placement: str, warmup_steps: int, lr: float) -> np.ndarray:
    """Training loss (nats) of the first ``EXPLORER["steps"]`` Adam steps, ``(steps,)``; cached.

    A setting is trained once, the first time it is asked for, and kept for the session.
    """
    depth = check_int("depth", depth, minimum=1, maximum=EXPLORER["max_depth"])
    check_choice("placement", placement, PLACEMENTS)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=0)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    c = EXPLORER
    tokens, targets = sequence_task("reverse", c["batch_size"] * c["steps"], c["seq_len"],
                                    c["vocab_size"], seed=1)
    model = _explorer_model(depth, placement)

    def batches(step):
        rows = slice(step * c["batch_size"], (step + 1) * c["batch_size"])
        return tokens[rows], targets[rows]

    return train(model, batches, steps=c["steps"], lr=lr, warmup_steps=warmup_steps,
                 fused=True).losses


def _plain_log_ticks(ax: Axes) -> None:
    """Plain-text major tick labels and no minor ticks on a log y axis (mathtext labels are slow
    to lay out, and every tick costs time at each redraw)."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def _fixed_title(ax: Axes, title: str) -> None:
    """A title at a fixed height (an automatic one is checked against the tick labels at each draw)."""
    ax.set_title(title, y=1.0, pad=6)


def draw_placement_explorer(fig: Figure, depth: int = 6, placement: str = "post",
                            warmup_steps: int = 0, lr: float = 0.03) -> None:
    """Left: each block's FFN gradient at init, all three placements; right: the first training
    steps of the chosen setting.

    Drawn for speed (the explorer redraws it at every change): legends at fixed places instead of
    ``loc="best"``, plain tick labels, no minor ticks, titles at a fixed height.
    """
    grads = explorer_gradients(depth)
    losses = explorer_curve(depth, placement, warmup_steps, float(lr))
    left, right = fig.subplots(1, 2)
    plot_per_layer({PLACEMENT_LABELS[p]: g[None, :] for p, g in grads.items()}, ax=left,
                   xlabel=tr("block l (input → output)"), ylabel=tr("gradient norm of W2 (FFN output layer)"))
    lines = left.get_lines()[:len(grads)]
    for line in lines:
        line.set(marker="o", ms=4)  # a 1-block model is a single point
    left.set_xticks(range(depth), [str(l + 1) for l in range(depth)])
    low, high = min(g.min() for g in grads.values()), max(g.max() for g in grads.values())
    left.set_ylim(low / 3, high * 3)
    _plain_log_ticks(left)
    # one row in the headroom above the highest line (the y range ends 3x above it), keeping any
    # entry plot_per_layer added for values a log axis cannot show
    left.legend(handles=lines + left.get_legend().legend_handles[len(lines):], loc="upper center",
                ncols=3, fontsize=9, handlelength=1.5, columnspacing=1.2)
    _fixed_title(left, tr("{depth} blocks at initialisation", depth=depth) if depth > 1
                 else tr("1 block at initialisation"))
    guess = np.log(EXPLORER["vocab_size"])
    right.axhline(guess, color="0.5", ls=":", lw=1, label=tr("uniform guess, ln {vocab_size}",
                                                             vocab_size=EXPLORER['vocab_size']))
    plot_curves({tr("{placement}, warm-up {warmup_steps}", placement=tr(PLACEMENT_LABELS[placement]),
                    warmup_steps=warmup_steps): losses}, ax=right,
                yscale="linear")
    finite = losses[np.isfinite(losses)]
    right.set_ylim(0, min(3 * guess, max(1.3 * guess, 1.05 * finite.max() if finite.size else 0)))
    right.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    right.yaxis.set_major_locator(MaxNLocator(5))
    right.get_legend().set_loc("lower left")  # a loss curve starts near the uniform guess
    _fixed_title(right, tr("Training: {steps} Adam steps, peak lr {lr:g}", steps=EXPLORER["steps"], lr=lr))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.92, wspace=0.22)


@explorer_factory
def make_placement_explorer() -> Explorer:
    """Depth, placement, warm-up steps and learning rate -> gradients at init and a training curve.

    Building it trains and draws the default setting (and pays PyTorch's one-time set-up of Adam),
    so the first change of a control is as quick as the later ones.
    """
    style = {"description_width": "initial"}
    controls = {
        "depth": widgets.IntSlider(value=6, min=1, max=EXPLORER["max_depth"], description=tr("blocks"),
                                   style=style),
        "placement": widgets.Dropdown(options=[(tr(PLACEMENT_LABELS[p]), p) for p in PLACEMENTS],
                                      value="post", description=tr("placement"), style=style),
        "warmup_steps": widgets.IntSlider(value=0, min=0, max=EXPLORER["steps"], step=5,
                                          description=tr("warm-up steps"), style=style),
        "lr": widgets.SelectionSlider(options=[0.001, 0.003, 0.01, 0.03, 0.1], value=0.03,
                                      description=tr("peak lr"), style=style),
    }
    # the website's frames: depth x placement, and learning rate x warm-up x placement at 6 blocks
    site_grid = [
        {"depth": [1, 2, 4, 6, 8], "placement": list(PLACEMENTS)},
        {"placement": list(PLACEMENTS), "lr": [0.001, 0.003, 0.01, 0.03, 0.1], "warmup_steps": [0, 20]},
    ]
    return Explorer(draw_placement_explorer, controls, figsize=(11, 3.8), tight_bbox=False, site_grid=site_grid)


# --- key figures for slides ----------------------------------------------------------------------

@lecture_figure("source_layer_loses_positions", notebook=NOTEBOOK,
                title="The source's layer (x = x + x) loses the positions and the gradient")
def draw_source_stack(fig: Figure) -> None:
    plot_source_stack(run_source_stack(seeds=range(3)), fig.subplots(1, 2))


@lecture_figure("xiong_gradients_at_init", notebook=NOTEBOOK,
                title="Xiong et al. 2020 at toy scale: FFN gradients at initialisation")
def draw_init_gradients(fig: Figure) -> None:
    plot_init_gradients(run_init_gradients(), fig.subplots(1, 2))


@lecture_figure("warmup_post_vs_pre", notebook=NOTEBOOK,
                title="Deep Post-LN needs warm-up; Pre-LN does not")
def draw_warmup(fig: Figure) -> None:
    plot_warmup(run_warmup(), fig.add_subplot())

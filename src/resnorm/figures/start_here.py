"""Figures of notebook 00 (start here): the first gradient-flow picture."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..experiments.gradient_flow import PerLayerResult, mlp_grad_norms
from ..plots import plot_per_layer
from . import lecture_figure

THREE_WAYS = {
    "plain": dict(),
    "residual": dict(residual=True),
    "residual + LayerNorm": dict(residual=True, norm="layer"),
}
"""The three 30-layer MLPs of the start notebook: ``DeepMLP`` keyword arguments by label."""


def plot_gradient_flow(result: PerLayerResult, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Gradient norm of each hidden layer, one line per configuration (median, min-max over seeds)."""
    n_seeds, depth = result.blocks(next(iter(result.values))).shape
    return plot_per_layer(
        {label: result.blocks(label) for label in result.values},
        ax=ax,
        xlabel="hidden layer (input → output)",
        title=title or f"{depth}-layer MLP at initialisation: median and min–max over {n_seeds} seeds",
    )


@lecture_figure("gradient_flow_30_layers", notebook="00_start_here",
                title="Gradient norm per layer: plain vs residual vs residual + LayerNorm")
def draw_gradient_flow(fig: Figure) -> None:
    plot_gradient_flow(mlp_grad_norms(THREE_WAYS, depth=30, width=64, seeds=range(5)), fig.add_subplot())

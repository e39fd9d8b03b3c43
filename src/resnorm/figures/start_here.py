"""Figures of notebook 00 (start here): the first gradient-flow picture."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..experiments.gradient_flow import PerLayerResult, mlp_layer_stats
from ..i18n import N_, tr
from ..plots import plot_per_layer
from . import lecture_figure

FIRST_NETS = {
    N_("plain"): dict(),
    N_("residual"): dict(residual=True),
    N_("residual, He init"): dict(residual=True, init="he"),
    N_("residual, He init + LayerNorm"): dict(residual=True, init="he", norm="layer"),
}
"""The four 30-block MLPs of the start notebook: ``DeepMLP`` keyword arguments by label."""


def plot_gradient_flow(result: PerLayerResult, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """``||dL/dh||`` at each hidden block's output, one line per configuration (median, min-max over seeds).

    ``result`` is the ``state_grads`` of :func:`~resnorm.experiments.gradient_flow.mlp_layer_stats`.
    """
    n_seeds, depth = result.blocks(next(iter(result.values))).shape
    return plot_per_layer(
        {label: result.blocks(label) for label in result.values},
        ax=ax,
        xlabel=tr("hidden block (input → output)"),
        ylabel=tr("gradient $\\|\\partial L/\\partial h\\|$ at the block's output"),
        title=title or tr("{depth}-block MLP at initialisation: median and min–max over {n_seeds} seeds",
                          depth=depth, n_seeds=n_seeds),
    )


@lecture_figure("gradient_flow_30_layers", notebook="00_start_here",
                title="The gradient at every block: plain vs residual, default vs He init, with LayerNorm")
def draw_gradient_flow(fig: Figure) -> None:
    stats = mlp_layer_stats(FIRST_NETS, depth=30, width=64, seeds=range(5))
    plot_gradient_flow(stats.state_grads, fig.add_subplot())

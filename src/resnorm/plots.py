"""Figures of per-layer statistics and training curves, over several seeds at once.

Each series is an array of shape ``(n_seeds, n_points)``; the line is the median over seeds and
the shaded band spans the smallest to the largest seed, so one lucky run cannot pass for a
result. Values that a log axis cannot show (zero, negative, ``inf``, ``NaN``) are not dropped in
silence: they are drawn as markers on the bottom (zero or negative) or top (``inf``/``NaN``) edge
of the axes, and the legend says so. A log axis always carries at least two labelled ticks, however
narrow or wide its range (:func:`readable_log_axis`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.lines import Line2D
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, MaxNLocator, NullFormatter
from matplotlib.transforms import blended_transform_factory

from ._validation import check_choice
from .i18n import N_, language, tr


UNICODE_FORMULAS = {
    r"$1 - \sqrt{(d-1)/d} \approx 1/(2d)$": "1 − √((d−1)/d) ≈ 1/(2d)",
    r"$\|LN_{src}(x) - LN(x)\| / \|LN(x)\|$": "‖LN_src(x) − LN(x)‖ / ‖LN(x)‖",
    r"$\|\partial L/\partial W^{2,l}\|_F$": "‖∂L/∂W^(2,l)‖_F",
    r"$\|\partial L/\partial W^{2,L}\|_F$": "‖∂L/∂W^(2,L)‖_F",
    r"$\|\partial L/\partial x_l\|$": "‖∂L/∂x_l‖",
    r"$x_l$": "x_l",
    r"$\|x_l\|/\sqrt{d}$": "‖x_l‖/√d",
    r"$\propto L^{0}$": "∝ L⁰",
    r"$\propto L^{-1/2}$": "∝ L^(−1/2)",
}
"""Formulas of figure labels (matplotlib mathtext) written in Unicode, for the Chinese edition."""


def formula(mathtext: str) -> str:
    """A label's formula as drawn in the current edition: ``mathtext`` (``"$...$"``) in English; in
    Unicode (:data:`UNICODE_FORMULAS`) in the Chinese edition, whose labels put it next to Chinese
    text: matplotlib draws a string that holds ``$...$`` entirely with the mathtext fonts, which have
    no Chinese glyphs."""
    return mathtext if language() == "en" else UNICODE_FORMULAS.get(mathtext, mathtext)


def as_seed_array(name: str, values) -> np.ndarray:
    """``values`` as a float array of shape ``(n_seeds, n_points)`` (a 1-D input is one seed)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(
            tr("series {name!r} must have shape (n_seeds, n_points) or (n_points,); got {array_shape}",
               name=name, array_shape=array.shape)
        )
    return array


class ReadableLogLocator(LogLocator):
    """Major ticks of a log axis with at least two inside the view, at any range.

    Decades (1, 10, 100, ...) when two fit in the view; else 1-2-5 steps (0.2, 0.5, 1, 2, ...);
    else, for a range narrower than a factor of two, evenly spaced round values (0.96, 0.98, ...).
    """

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((vmin, vmax))
        ticks = super().tick_values(vmin, vmax)
        if lo <= 0 or not np.isfinite(hi):
            return ticks

        def inside(values):
            return int(np.sum((values >= lo * (1 - 1e-9)) & (values <= hi * (1 + 1e-9))))

        if inside(ticks) >= 2:
            return ticks
        ticks = LogLocator(base=self._base, subs=(1.0, 2.0, 5.0), numticks=self.numticks).tick_values(lo, hi)
        if inside(ticks) >= 2:
            return ticks
        linear = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        return linear[linear > 0]


class ReadableLogFormatter(LogFormatterSciNotation):
    """Labels every major tick: powers of the base as such, other values as plain numbers."""

    def __call__(self, x, pos=None):
        if x <= 0 or not np.isfinite(x):
            return ""
        exponent = np.log(x) / np.log(self._base)
        if abs(exponent - round(exponent)) < 1e-9:
            return super().__call__(x, pos)
        return f"$\\mathdefault{{{x:.3g}}}$"

    def set_locs(self, locs=None):
        super().set_locs(locs)
        self._sublabels = None  # label every tick the locator chose, not just the decades


def readable_log_axis(axis: Axis, base: float = 10.0) -> None:
    """Give a log-scaled ``axis`` (``ax.yaxis`` or ``ax.xaxis``) at least two labelled ticks at
    every range; ``base`` is the axis's log base.

    Matplotlib labels only powers of the base, so a view inside one decade (0.3 to 0.9) may show
    one label or none. Minor ticks stay as marks without labels.
    """
    if not (isinstance(base, (int, float)) and base > 1):
        raise ValueError(tr("base must be a number greater than 1; got {base!r}", base=base))
    axis.set_major_locator(ReadableLogLocator(base=base))
    axis.set_major_formatter(ReadableLogFormatter(base=base))
    axis.set_minor_formatter(NullFormatter())


def draw_series(ax: Axes, x: np.ndarray, values: np.ndarray, *, label: str, color, log: bool):
    """Median line and min-max band of ``values`` (``n_seeds x len(x)``) with invalid points marked.

    Returns ``(n_invalid_low, n_invalid_high)``: how many points went to the bottom edge (zero
    or negative on a log axis) and to the top edge (``inf``/``NaN``).
    """
    high = ~np.isfinite(values)
    low = (values <= 0) & ~high if log else np.zeros_like(high)
    valid = np.where(high | low, np.nan, values)
    with np.errstate(all="ignore"):
        any_valid = ~np.all(np.isnan(valid), axis=0)
        safe = np.where(any_valid[None, :], valid, 1.0)
        centre = np.where(any_valid, np.nanmedian(safe, axis=0), np.nan)
        lower = np.where(any_valid, np.nanmin(safe, axis=0), np.nan)
        upper = np.where(any_valid, np.nanmax(safe, axis=0), np.nan)
    ax.plot(x, centre, color=color, label=tr(label), lw=2)
    if values.shape[0] > 1:
        ax.fill_between(x, lower, upper, color=color, alpha=0.2, lw=0)
    edge = blended_transform_factory(ax.transData, ax.transAxes)
    for mask, y, marker in ((low, 0.02, "v"), (high, 0.98, "x")):
        columns = np.flatnonzero(mask.any(axis=0))
        if columns.size:
            ax.plot(x[columns], np.full(columns.size, y), marker, color=color, ms=7,
                    transform=edge, clip_on=False)
    return int(low.any(axis=0).sum()), int(high.any(axis=0).sum())


def _finish(ax: Axes, *, log: bool, xlabel: str, ylabel: str, title: str | None,
            n_low: int, n_high: int):
    if log:
        ax.set_yscale("log")
        readable_log_axis(ax.yaxis)
    ax.set_xlabel(tr(xlabel))
    ax.set_ylabel(tr(ylabel))
    if title:
        ax.set_title(title)
    handles, _ = ax.get_legend_handles_labels()
    if n_low:
        handles.append(Line2D([], [], ls="", marker="v", color="0.3",
                              label=tr("zero / negative (cannot be shown on log axis)")))
    if n_high:
        handles.append(Line2D([], [], ls="", marker="x", color="0.3", label="inf / NaN"))
    ax.legend(handles=handles, loc="best")


def plot_per_layer(
    series: Mapping[str, object],
    *,
    layer_labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    ylabel: str = N_(r"gradient norm $\|\partial L/\partial W\|_2$"),
    xlabel: str = N_("layer (input → output)"),
    title: str | None = None,
    log: bool = True,
) -> Axes:
    """One line per configuration: a statistic of each layer, median and min-max over seeds.

    ``series`` maps a configuration's label to an array ``(n_seeds, n_layers)``; every array must
    have the same number of layers. ``layer_labels`` (optional) names the layers on the x axis.
    """
    if not isinstance(series, Mapping) or not series:
        raise ValueError(tr("series must be a non-empty mapping from a label to an array of values"))
    arrays = {label: as_seed_array(label, v) for label, v in series.items()}
    widths = {a.shape[1] for a in arrays.values()}
    if len(widths) != 1:
        shapes = {label: a.shape for label, a in arrays.items()}
        raise ValueError(tr("every series must have the same number of layers; got shapes {shapes}", shapes=shapes))
    n_layers = widths.pop()
    if layer_labels is not None and len(layer_labels) != n_layers:
        raise ValueError(tr("layer_labels must have {n_layers} entries; got {n_layer_labels}",
                            n_layers=n_layers, n_layer_labels=len(layer_labels)))
    ax = ax if ax is not None else plt.subplots()[1]
    x = np.arange(n_layers)
    n_low = n_high = 0
    for i, (label, values) in enumerate(arrays.items()):
        low, high = draw_series(ax, x, values, label=label, color=f"C{i}", log=log)
        n_low, n_high = n_low + low, n_high + high
    if layer_labels is not None:
        step = max(1, n_layers // 12)
        ax.set_xticks(x[::step], [tr(layer_labels[i]) for i in x[::step]], rotation=45, ha="right")
    _finish(ax, log=log, xlabel=xlabel, ylabel=ylabel, title=title, n_low=n_low, n_high=n_high)
    return ax


def plot_curves(
    series: Mapping[str, object],
    *,
    steps: Sequence[float] | None = None,
    ax: Axes | None = None,
    ylabel: str = N_("training loss (nats)"),
    xlabel: str = N_("training step"),
    title: str | None = None,
    yscale: str = "log",
) -> Axes:
    """Training curves: one line per configuration, median and min-max over seeds.

    ``series`` maps a label to an array ``(n_seeds, n_steps)``; ``steps`` gives the x value of each
    column (default ``0, 1, ...``); ``yscale`` is ``"log"`` or ``"linear"``. A run that diverged
    (``inf``/``NaN``) shows as markers on the top edge from the step it diverged.
    """
    check_choice("yscale", yscale, ("log", "linear"))
    if not isinstance(series, Mapping) or not series:
        raise ValueError(tr("series must be a non-empty mapping from a label to an array of values"))
    ax = ax if ax is not None else plt.subplots()[1]
    log = yscale == "log"
    n_low = n_high = 0
    for i, (label, values) in enumerate(series.items()):
        values = as_seed_array(label, values)
        x = np.arange(values.shape[1]) if steps is None else np.asarray(steps, dtype=float)
        if x.shape != (values.shape[1],):
            raise ValueError(tr("steps must have {n_steps} entries for {label!r}; got {x_shape}",
                                n_steps=values.shape[1], label=label, x_shape=x.shape))
        low, high = draw_series(ax, x, values, label=label, color=f"C{i}", log=log)
        n_low, n_high = n_low + low, n_high + high
    _finish(ax, log=log, xlabel=xlabel, ylabel=ylabel, title=title, n_low=n_low, n_high=n_high)
    return ax

"""Interactive explorers: controls on top, a figure below that redraws on every change.

An :class:`Explorer` takes a ``draw(fig, **values)`` function and a set of ipywidgets controls.
The same ``draw`` makes the static figure printed above every explorer, for readers who see the
notebook without a kernel (GitHub, nbviewer, a PDF), so the two cannot drift apart.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Image, clear_output, display
from matplotlib.figure import Figure

from .i18n import tr

DrawFunction = Callable[..., None]

DOM_CLASS = "resnorm-explorer"
"""CSS class of every explorer's element in JupyterLab's page (the browser tests find explorers by it)."""


class Explorer(widgets.VBox):
    """Controls plus a figure; the figure is redrawn by ``draw(fig, **values)`` on each change.

    ``controls`` maps ``draw``'s keyword names to ipywidgets value widgets; their row wraps onto
    more lines when the notebook column is narrow, with a gap between controls. A ``ValueError``
    or ``TypeError`` from ``draw`` is shown as a one-line message instead of a traceback.
    ``last_draw_ms`` holds the time of the latest redraw (compute, draw and PNG rendering), in
    milliseconds, for tests and benchmarks; ``show_timing=True`` also prints it under the figure
    (off by default: students need not see it). The explorer renders its PNG itself, so it shows
    an image even in a kernel where pyplot's inline display was never loaded. By default the PNG is cropped to what is drawn
    (``savefig.bbox = "tight"`` of the course's style), which lays the figure out twice;
    ``tight_bbox=False`` renders the whole figure as ``draw`` laid it out (its margins set with
    ``fig.subplots_adjust``), about a third faster for a two-panel figure.
    """

    def __init__(self, draw: DrawFunction, controls: Mapping[str, widgets.ValueWidget], *,
                 figsize: tuple[float, float] = (7.0, 3.8), tight_bbox: bool = True,
                 show_timing: bool = False):
        if not callable(draw):
            raise TypeError(tr("draw must be a function draw(fig, **values); got {kind}", kind=type(draw).__name__))
        if not controls:
            raise ValueError(tr("controls must map at least one keyword of draw to a widget"))
        for name, flag in (("tight_bbox", tight_bbox), ("show_timing", show_timing)):
            if not isinstance(flag, bool):
                raise TypeError(tr("{name} must be True or False; got {flag!r}", name=name, flag=flag))
        self.tight_bbox = tight_bbox
        self.show_timing = show_timing
        self.draw = draw
        self.controls = dict(controls)
        self.figure = Figure(figsize=figsize)
        self.output = widgets.Output()
        self.last_draw_ms = float("nan")
        row = widgets.HBox(list(self.controls.values()),
                           layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px 24px"))
        super().__init__([row, self.output])
        # Marks the explorer in the browser's page, where the browser tests look for it.
        self.add_class(DOM_CLASS)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        """The current value of every control, by keyword."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> None:
        """Recompute and redraw the figure for the current control values."""
        start = time.perf_counter()
        self.figure.clear()
        with self.output:
            clear_output(wait=True)
            try:
                self.draw(self.figure, **self.values)
            except (ValueError, TypeError) as error:
                print(tr("Cannot draw this setting: {error}", error=error))
            else:
                png = io.BytesIO()
                whole = {} if self.tight_bbox else {"bbox_inches": self.figure.bbox_inches}
                self.figure.savefig(png, format="png", dpi=self.figure.dpi, **whole)
                display(Image(data=png.getvalue(), format="png"))
            self.last_draw_ms = 1000 * (time.perf_counter() - start)
            if self.show_timing:
                print(tr("redraw: {ms:.0f} ms", ms=self.last_draw_ms))

    def _on_change(self, _change) -> None:
        self.redraw()

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"Explorer({settings})"


def static_figure(draw: DrawFunction, *, figsize: tuple[float, float] = (7.0, 3.8), **values) -> Figure:
    """Draw ``draw(fig, **values)`` into a new pyplot figure (shown inline like any plot)."""
    fig = plt.figure(figsize=figsize)
    draw(fig, **values)
    return fig

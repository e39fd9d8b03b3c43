"""Interactive explorers: controls on top, a figure below that redraws on every change.

An :class:`Explorer` takes a ``draw(fig, **values)`` function and a set of ipywidgets controls.
The same ``draw`` makes the static figure printed above every explorer, for readers who see the
notebook without a kernel (GitHub, nbviewer, a PDF), so the two cannot drift apart.

For the website, where there is no kernel either, an explorer also says how to rebuild it: a
factory decorated with :func:`explorer_factory` records its own name and arguments in the
explorer's :attr:`Explorer.recipe`, which the notebook stores next to the widget (mimetype
:data:`RECIPE_MIMETYPE`). The site calls the factory again and renders the explorer's frames for
the settings of its ``site_grid`` (:mod:`resnorm.explorer_frames`) with the same drawing code.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import itertools
import time
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from IPython.display import Image, clear_output, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .i18n import tr

DrawFunction = Callable[..., None]

DOM_CLASS = "resnorm-explorer"
"""CSS class of every explorer's element in JupyterLab's page (the browser tests find explorers by it)."""

RECIPE_MIMETYPE = "application/vnd.resnorm.explorer+json"
"""Mimetype of the stored recipe of an explorer (JupyterLab shows the widget and ignores it)."""


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

    ``site_grid`` lists the settings the website precomputes (:meth:`site_settings`): a list of
    dicts from control name to the values to combine, each dict a product of its lists, the
    controls it leaves out at their initial value. None: the initial setting only.
    """

    def __init__(self, draw: DrawFunction, controls: Mapping[str, widgets.ValueWidget], *,
                 figsize: tuple[float, float] = (7.0, 3.8), tight_bbox: bool = True,
                 show_timing: bool = False, site_grid: Sequence[Mapping[str, Sequence]] | None = None):
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
        self.initial = {name: control.value for name, control in self.controls.items()}
        self.site_grid = _check_site_grid(site_grid, self.controls)
        self.recipe: dict | None = None  # set by explorer_factory
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

    def render_png(self, **values) -> bytes:
        """The figure for the setting ``values`` (one value per control), as PNG bytes at the figure's dpi.

        The controls do not move. Errors of ``draw`` propagate.
        """
        self.figure.clear()
        self.draw(self.figure, **values)
        png = io.BytesIO()
        whole = {} if self.tight_bbox else {"bbox_inches": self.figure.bbox_inches}
        self.figure.savefig(png, format="png", dpi=self.figure.dpi, **whole)
        return png.getvalue()

    def render_rgba(self, **values) -> np.ndarray:
        """The pixels of :meth:`render_png`, ``(height, width, 4)`` uint8 RGBA.

        With ``tight_bbox=False`` the figure is drawn straight into an Agg canvas, without the PNG
        encoding and decoding (a frame of the website costs a third less).
        """
        if self.tight_bbox:
            return np.asarray(PIL.Image.open(io.BytesIO(self.render_png(**values))).convert("RGBA"))
        self.figure.clear()
        self.draw(self.figure, **values)
        canvas = FigureCanvasAgg(self.figure)
        canvas.draw()
        return np.array(canvas.buffer_rgba())

    def site_settings(self) -> list[dict]:
        """Every setting of :attr:`site_grid`, once each, in order; the initial setting first."""
        settings = [dict(self.initial)]
        for block in self.site_grid:
            names = list(block)
            for combination in itertools.product(*(block[name] for name in names)):
                setting = dict(self.initial, **dict(zip(names, combination)))
                if setting not in settings:
                    settings.append(setting)
        return settings

    def redraw(self) -> None:
        """Recompute and redraw the figure for the current control values."""
        start = time.perf_counter()
        self.figure.clear()
        with self.output:
            clear_output(wait=True)
            try:
                png = self.render_png(**self.values)
            except (ValueError, TypeError) as error:
                print(tr("Cannot draw this setting: {error}", error=error))
            else:
                display(Image(data=png, format="png"))
            self.last_draw_ms = 1000 * (time.perf_counter() - start)
            if self.show_timing:
                print(tr("redraw: {ms:.0f} ms", ms=self.last_draw_ms))

    def _on_change(self, _change) -> None:
        self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.recipe is not None:
            bundle[RECIPE_MIMETYPE] = self.recipe
        return bundle

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"Explorer({settings})"


SINGLE_CHOICE = (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons, widgets.RadioButtons,
                 widgets.Select)
"""Controls that pick one of their options (their labels and values: ``_options_labels``, ``_options_values``)."""

SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)


def _allowed(control: widgets.ValueWidget, value) -> bool:
    """Whether ``value`` is a value the widget ``control`` can take."""
    if isinstance(control, widgets.SelectMultiple):
        return isinstance(value, tuple) and all(v in control._options_values for v in value)
    if isinstance(control, SINGLE_CHOICE):
        return value in control._options_values
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return isinstance(value, bool)
    if isinstance(control, SLIDERS):
        low, high = ((control.base ** control.min, control.base ** control.max)
                     if isinstance(control, widgets.FloatLogSlider) else (control.min, control.max))
        return not isinstance(value, bool) and isinstance(value, (int, float)) and low <= value <= high
    return False


def _check_site_grid(site_grid, controls: Mapping[str, widgets.ValueWidget]) -> list[dict]:
    """``site_grid`` as a list of dicts of lists, each value one the control can take."""
    if site_grid is None:
        return []
    if not isinstance(site_grid, (list, tuple)) or not all(isinstance(block, Mapping) for block in site_grid):
        raise TypeError(tr("site_grid must be a list of dicts from control name to a list of values; got {grid!r}",
                           grid=site_grid))
    checked = []
    for block in site_grid:
        for name, values in block.items():
            if name not in controls:
                raise ValueError(tr("site_grid names {name!r}, which is not a control; the controls are {names}",
                                    name=name, names=", ".join(controls)))
            if not isinstance(values, (list, tuple)) or not values:
                raise TypeError(tr("site_grid[{name!r}] must be a non-empty list of values; got {values!r}",
                                   name=name, values=values))
            bad = [value for value in values if not _allowed(controls[name], value)]
            if bad:
                raise ValueError(tr("site_grid[{name!r}] has values the control cannot take: {bad!r}",
                                    name=name, bad=bad))
        checked.append({name: list(values) for name, values in block.items()})
    return checked


def _recordable(value):
    """``value`` as JSON data (sequences become lists), or TypeError."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, range)):
        return [_recordable(item) for item in value]
    raise TypeError(type(value).__name__)


def explorer_factory(make: Callable[..., Explorer]) -> Callable[..., Explorer]:
    """Decorate a module-level function that returns an :class:`Explorer` so that the explorer
    records how to build it again: ``explorer.recipe = {"factory": "module:name", "kwargs": {...}}``
    with every argument (defaults filled in) as JSON data; sequences are recorded as lists, so the
    factory must accept a list where it accepts a sequence. An argument that is not such data
    leaves the recipe None (the website then shows the explorer's static figure only).
    """
    signature = inspect.signature(make)

    @functools.wraps(make)
    def build(*args, **kwargs) -> Explorer:
        explorer = make(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        try:
            recorded = {name: _recordable(value) for name, value in bound.arguments.items()}
        except TypeError:
            return explorer
        explorer.recipe = {"factory": f"{make.__module__}:{make.__qualname__}", "kwargs": recorded}
        return explorer

    return build


def rebuild(recipe: Mapping) -> Explorer:
    """The explorer that ``recipe`` (an :attr:`Explorer.recipe`) describes, built anew."""
    if not isinstance(recipe, Mapping) or set(recipe) != {"factory", "kwargs"}:
        raise ValueError(tr("recipe must be a dict with the keys factory and kwargs; got {recipe!r}", recipe=recipe))
    module, _, name = str(recipe["factory"]).partition(":")
    if not module.startswith("resnorm.") or not name:
        raise ValueError(tr("recipe factory must name a function of resnorm as 'module:name'; got {factory!r}",
                            factory=recipe["factory"]))
    make = getattr(importlib.import_module(module), name)
    return make(**recipe["kwargs"])


def static_figure(draw: DrawFunction, *, figsize: tuple[float, float] = (7.0, 3.8), **values) -> Figure:
    """Draw ``draw(fig, **values)`` into a new pyplot figure (shown inline like any plot)."""
    fig = plt.figure(figsize=figsize)
    draw(fig, **values)
    return fig

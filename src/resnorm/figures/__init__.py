"""The course's figures: one module per notebook, each figure a function of an experiment's result.

A module here (``resnorm.figures.start_here``, ...) holds, for its notebook:

- ``plot_<idea>(result, ax=None)``: draws the result of ``resnorm.experiments.<idea>.run_...``;
  the notebook calls it, so the notebook and every other use draw the same figure;
- the notebook's explorer (``make_<name>_explorer()``), whose draw function also makes the
  static figure above it;
- :func:`lecture_figure` registrations of the key figures, which ``python -m resnorm figures``
  renders to files for slides and handouts.

Every module of this package is imported on first use of :func:`all_figures`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from ..i18n import tr


@dataclass(frozen=True)
class LectureFigure:
    """A key figure: ``draw(fig)`` runs its experiment with the notebook's settings and draws it."""

    name: str
    notebook: str
    title: str
    draw: Callable[[Figure], None]


_REGISTRY: dict[str, LectureFigure] = {}
_loaded = False


def lecture_figure(name: str, *, notebook: str, title: str):
    """Decorator registering ``draw(fig)`` as the key figure ``name`` of ``notebook``."""

    def register(draw: Callable[[Figure], None]) -> Callable[[Figure], None]:
        if name in _REGISTRY:
            raise ValueError(tr("figure name {name!r} is already registered", name=name))
        _REGISTRY[name] = LectureFigure(name, notebook, title, draw)
        return draw

    return register


def all_figures() -> dict[str, LectureFigure]:
    """Every registered key figure by name, after importing all figure modules."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return dict(_REGISTRY)

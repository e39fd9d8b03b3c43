"""Write the course's key figures to image files, for slides and handouts beyond the notebooks.

The figures are the ones registered with :func:`resnorm.figures.lecture_figure`; each is drawn by
running its experiment with the notebook's settings, after the same ``resnorm.setup()`` as a
notebook (seed 0, one thread), so a file shows what the notebook shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path

from matplotlib.figure import Figure

from .figures import LectureFigure
from .progress import progress
from .i18n import check_language
from .session import setup, use_language

FORMATS = ("png", "svg", "pdf")
"""File formats :func:`export_figures` can write (matplotlib's names)."""


class FigureError(RuntimeError):
    """A registered figure's ``draw`` raised; the message names the figure and its notebook."""


# No creation dates in the files: the same figure gives the same bytes on every run.
_METADATA = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


@contextmanager
def _inner_progress_off():
    """One bar for the figures: the experiments' own bars would garble it in a terminal."""
    before = os.environ.get("RESNORM_PROGRESS")
    os.environ["RESNORM_PROGRESS"] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ["RESNORM_PROGRESS"]
        else:
            os.environ["RESNORM_PROGRESS"] = before


def figure_path(out_dir: str | Path, figure: LectureFigure, fmt: str) -> Path:
    """Where the figure goes: ``<out_dir>/<notebook>/<name>.<fmt>``."""
    return Path(out_dir) / figure.notebook / f"{figure.name}.{fmt}"


def render_figure(figure: LectureFigure, lang: str = "en") -> Figure:
    """Run the figure's experiment and draw it into a new (non-pyplot) matplotlib figure.

    ``lang`` is the edition (``"en"`` or ``"zh"``): the language of its titles and legends.
    """
    setup(seed=0, lang=lang)
    fig = Figure()
    figure.draw(fig)
    return fig


def export_figures(figures: Mapping[str, LectureFigure] | Iterable[LectureFigure], out_dir: str | Path,
                   formats: Iterable[str] = ("png", "svg"), lang: str = "en") -> list[Path]:
    """Draw every figure once and save it in each of ``formats``; return the files written.

    ``lang`` is the edition whose figures are drawn (``"en"`` or ``"zh"``); the language is
    English again afterwards.

    A progress bar counts the figures (``RESNORM_PROGRESS=0`` turns it off). A figure whose
    ``draw`` raises stops the export with a :class:`FigureError` naming it.
    """
    if isinstance(figures, Mapping):
        figures = list(figures.values())
    figures = list(figures)
    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"formats: unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    check_language(lang)
    written = []
    for figure in progress(figures, desc="lecture figures", total=len(figures)):
        try:
            with _inner_progress_off():
                fig = render_figure(figure, lang)
        except Exception as error:
            use_language("en")
            raise FigureError(f"figure {figure.name!r} of {figure.notebook} failed to draw: "
                              f"{type(error).__name__}: {error}") from error
        for fmt in formats:
            path = figure_path(out_dir, figure, fmt)
            path.parent.mkdir(parents=True, exist_ok=True)
            fig.savefig(path, format=fmt, metadata=_METADATA[fmt])
            written.append(path)
    use_language("en")
    return written

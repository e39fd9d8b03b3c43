"""``resnorm``: the course's command line, for instructors (also ``python -m resnorm``).

- ``resnorm figures --out DIR [--only NAME ...] [--format png svg pdf] [--lang en|zh]`` draws the
  key figures of every notebook (``resnorm.figures``) to files, in the English or the Chinese
  edition; ``figures --help`` lists them by notebook.
- ``resnorm slides --out DIR [NOTEBOOK ...]`` builds the offline reveal.js decks
  (``resnorm.slides``); by default of every ``notebooks/NN_*.ipynb`` under the current folder. A
  notebook is a path or a bare name (``02_layer_normalization``), as ``make slides NB=...`` takes.
- ``resnorm --version`` prints the installed version.

Bad arguments get argparse's treatment: the usage, one line naming the argument and what it
accepts, exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

PROG = "resnorm"
DEFAULT_FORMATS = ("png", "svg")


def _figure_list(figures: Mapping) -> str:
    """The registered figures under a heading per notebook, in notebook order."""
    if not figures:
        return "figures:\n  (none registered)"
    width = max(len(name) for name in figures)
    lines = ["figures, by notebook:"]
    for notebook in sorted({fig.notebook for fig in figures.values()}):
        lines.append(f"  {notebook}")
        lines += [f"    {name:<{width}}  {fig.title}" for name, fig in figures.items()
                  if fig.notebook == notebook]
    return "\n".join(lines)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("resnorm")
    except PackageNotFoundError:  # run from a source tree that was never installed
        from . import __version__

        return __version__


def build_parser(figures: Mapping | None = None) -> argparse.ArgumentParser:
    """The parser; ``figures`` (name -> LectureFigure) fills the figure names in ``figures --help``."""
    from .export import FORMATS

    parser = argparse.ArgumentParser(prog=PROG, description="Tools for teaching from the resnorm course.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    names = list(figures or {})
    fig_parser = commands.add_parser(
        "figures", help="draw the notebooks' key figures to PNG/SVG files",
        description="Run the experiment of each key figure with its notebook's settings and save\n"
                    "it as <out>/<notebook>/<name>.<format>.",
        epilog=_figure_list(figures or {}), formatter_class=argparse.RawDescriptionHelpFormatter)
    fig_parser.add_argument("--out", required=True, metavar="DIR",
                            help="folder to write into (created if missing)")
    fig_parser.add_argument("--only", nargs="+", metavar="NAME", choices=names,
                            help="draw only these figures (names listed below)")
    fig_parser.add_argument("--format", nargs="+", dest="formats", metavar="FORMAT", choices=FORMATS,
                            default=list(DEFAULT_FORMATS),
                            help=f"file formats, from {', '.join(FORMATS)} "
                                 f"(default: {' '.join(DEFAULT_FORMATS)})")
    fig_parser.add_argument("--lang", choices=("en", "zh"), default="en",
                            help="the edition: English (en, the default) or Chinese (zh) titles and legends")

    slide_parser = commands.add_parser(
        "slides", help="build an offline reveal.js slide deck per notebook",
        description="Write <out>/<notebook>.slides.html for each notebook, with reveal.js and "
                    "MathJax copied beside the decks: they open from the file system, offline.")
    slide_parser.add_argument("--out", required=True, metavar="DIR",
                              help="folder to write into (created if missing)")
    slide_parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                              help="notebooks to convert, as paths or bare names such as "
                                   "02_layer_normalization (default: every notebooks/NN_*.ipynb)")
    # Each command's errors are reported with its own usage line.
    fig_parser.set_defaults(subparser=fig_parser)
    slide_parser.set_defaults(subparser=slide_parser)
    return parser


def checked_out_dir(parser: argparse.ArgumentParser, value: str) -> Path:
    """``--out`` as a folder that exists and takes files; otherwise a one-line argparse error."""
    out = Path(value)
    if out.exists() and not out.is_dir():
        parser.error(f"argument --out: {value!r} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        parser.error(f"argument --out: cannot create folder {value!r}: {error.strerror or error}")
    try:
        # A real write, not os.access: access() says yes to root on a read-only file system.
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        parser.error(f"argument --out: folder {value!r} is not writable: {error.strerror or error}")
    return out


def _run_figures(parser: argparse.ArgumentParser, args: argparse.Namespace, figures: Mapping) -> int:
    from .export import FigureError, export_figures

    if not figures:
        parser.error("no lecture figures are registered (see resnorm.figures.lecture_figure)")
    names = list(dict.fromkeys(args.only)) if args.only else list(figures)
    out = checked_out_dir(parser, args.out)
    try:
        written = export_figures([figures[name] for name in names], out, args.formats, lang=args.lang)
    except FigureError as error:
        print(f"{PROG} figures: error: {error}", file=sys.stderr)
        return 1
    plural = "" if len(names) == 1 else "s"
    print(f"wrote {len(written)} files ({len(names)} figure{plural}, {' '.join(args.formats)}) to {out}")
    return 0


def notebook_path(parser: argparse.ArgumentParser, value: str) -> Path:
    """A notebook argument as an existing ``.ipynb``: a path, or a name looked up in notebooks/ (``zh/02_...`` too)."""
    path = Path(value)
    candidates = [path]
    if path.suffix != ".ipynb":
        candidates += [path.with_name(path.name + ".ipynb"), Path("notebooks") / f"{value}.ipynb"]
    for candidate in candidates:
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate
    parser.error(f"argument NOTEBOOK: {value!r} is neither an existing .ipynb file nor the name of "
                 "one in notebooks/ (e.g. 02_layer_normalization)")


def _run_slides(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .slides import build_slides, course_notebooks

    notebooks = [notebook_path(parser, nb) for nb in args.notebooks] or course_notebooks("notebooks")
    if not notebooks:
        parser.error("argument NOTEBOOK: none given, and no notebooks/NN_*.ipynb under "
                     f"{os.getcwd()}")
    out = checked_out_dir(parser, args.out)
    for deck in build_slides(notebooks, out):
        print(deck)
    return 0


def main(argv: Sequence[str] | None = None, *, figures: Mapping | None = None) -> int:
    """Run the command line; ``figures`` replaces the registry (for tests). Returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if figures is None and argv[:1] == ["figures"]:
        # Importing every figure module imports torch and the experiments: only when needed.
        from .figures import all_figures

        figures = all_figures()
    figures = figures or {}
    parser = build_parser(figures)
    args = parser.parse_args(argv)
    if args.command == "figures":
        return _run_figures(args.subparser, args, figures)
    return _run_slides(args.subparser, args)

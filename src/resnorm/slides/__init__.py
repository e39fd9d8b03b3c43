"""Slide decks of the notebooks: reveal.js HTML that works on a projector with no network.

:func:`build_slides` runs nbconvert's slides exporter on each notebook with the cells' slide tags
(``slideshow.slide_type``, see CONTRIBUTING.md) and the template ``offline_reveal.html.j2`` beside
this file, and writes next to the decks everything they load:

- ``reveal.js/``: reveal.js 5.2.1 (MIT, its LICENSE inside), shipped in this package. Why shipped:
  the PyPI package that carries reveal.js's ``dist`` files, sphinx-revealjs, pulls in all of
  Sphinx for them, and the 5.x ``dist/`` + ``plugin/notes/`` layout is the one nbconvert's reveal
  template is written for (6.x moved the plugins). Only what a deck loads is shipped:
  ``dist/reveal.{js,css}``, the white theme with its Source Sans Pro ``.woff`` fonts (OFL,
  LICENSE inside; browsers pick ``.woff`` over the ``.eot``/``.ttf`` the font CSS also names)
  and the speaker-notes plugin (press ``s`` in a deck).
- ``mathjax/``: MathJax 2.7 copied from the ``jupyter-server-mathjax`` package (a dependency of
  the course), so formulas render offline too. Without that package the decks still build and
  show formulas as TeX source.

The decks open from the file system (``file://``); copy the whole output folder to move them.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "offline_reveal.html.j2"
REVEAL = HERE / "reveal.js"
REVEAL_VERSION = "5.2.1"  # the npm release the files come from (their banner says 5.2.0)
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def course_notebooks(folder: str | Path = "notebooks") -> list[Path]:
    """The course's notebooks in ``folder`` (``NN_name.ipynb``), in order."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


def _mathjax_source() -> Path | None:
    # find_spec, not import: importing jupyter_server_mathjax imports all of jupyter_server.
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    static = Path(list(spec.submodule_search_locations)[0]) / "static"
    return static if (static / "MathJax.js").is_file() else None


def _sync_tree(source: Path, target: Path) -> None:
    """Copy the files of ``source`` that ``target`` lacks or has in another size or age."""
    for file in source.rglob("*"):
        if not file.is_file():
            continue
        copy = target / file.relative_to(source)
        stat = file.stat()
        if copy.is_file():
            have = copy.stat()
            if have.st_size == stat.st_size and int(have.st_mtime) == int(stat.st_mtime):
                continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, copy)


def copy_assets(out_dir: str | Path) -> dict[str, str]:
    """Copy reveal.js (and MathJax, when installed) into ``out_dir``; return the URLs to use.

    Files already there and unchanged are not copied again, so a rebuild is quick.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _sync_tree(REVEAL, out_dir / "reveal.js")
    urls = {"reveal": "reveal.js", "mathjax": ""}
    mathjax = _mathjax_source()
    if mathjax is not None:
        _sync_tree(mathjax, out_dir / "mathjax")
        urls["mathjax"] = f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    return urls


def build_slides(notebooks: Iterable[str | Path], out_dir: str | Path) -> list[Path]:
    """Write ``<out_dir>/<name>.slides.html`` for every notebook and the assets they load.

    Input and output prompts (``In [3]:``) are left out; cells tagged ``skip`` are left out,
    ``notes`` become speaker notes. Returns the paths of the decks, in the notebooks' order.
    """
    import nbformat
    from nbconvert.exporters import SlidesExporter

    from ..progress import progress

    notebooks = [Path(nb) for nb in notebooks]
    if not notebooks:
        raise ValueError("notebooks must name at least one .ipynb file")
    for nb in notebooks:
        if nb.suffix != ".ipynb" or not nb.is_file():
            raise ValueError(f"notebooks: {str(nb)!r} is not an existing .ipynb file")
    out_dir = Path(out_dir)
    urls = copy_assets(out_dir)
    exporter = SlidesExporter(
        template_file=str(TEMPLATE),
        reveal_url_prefix=urls["reveal"],
        reveal_theme="white",
        reveal_transition="slide",
        reveal_number="c/t",
        mathjax_url=urls["mathjax"],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    decks = []
    for nb in progress(notebooks, desc="slide decks"):
        body, _ = exporter.from_notebook_node(nbformat.read(nb, as_version=4),
                                              resources={"metadata": {"name": nb.stem}})
        deck = out_dir / f"{nb.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
    return decks

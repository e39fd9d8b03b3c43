"""Slide decks: every notebook is tagged for slides, and a deck loads nothing from the network."""

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from resnorm.slides import REVEAL, REVEAL_VERSION, build_slides, course_notebooks
from resnorm.widgets import DOM_CLASS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = course_notebooks(ROOT / "notebooks")
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def _slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_is_tagged_for_slides(notebook):
    nb = nbformat.read(notebook, as_version=4)
    untagged = [i for i, cell in enumerate(nb.cells) if _slide_type(cell) not in SLIDE_TYPES]
    assert not untagged, (f"{notebook.name}: cells {untagged} have no slideshow slide_type "
                          "(see CONTRIBUTING.md, 'Slide tags')")
    assert _slide_type(nb.cells[0]) == "slide", f"{notebook.name}: the first cell must start a slide"


def _widget_view(model_id):
    return new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2,
                                                     "version_minor": 0},
        "text/plain": "Explorer(depth=8)" if model_id == "explorer" else "progress: 3/3",
    })


def _tagged(cell, slide_type):
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    return cell


@pytest.fixture
def demo_notebook(tmp_path):
    nb = new_notebook(cells=[
        _tagged(new_markdown_cell("# The question\n\nWhy is $\\sqrt{d}$ here?"), "slide"),
        _tagged(new_code_cell("import resnorm  # SET-UP, NOT SHOWN"), "skip"),
        _tagged(new_markdown_cell("Say this aloud: THE SPEAKER NOTE"), "notes"),
        _tagged(new_code_cell("claim()", outputs=[new_output("stream", name="stdout", text="CLAIM OK\n")]),
                "fragment"),
        _tagged(new_code_cell("explore()", outputs=[_widget_view("progress"), _widget_view("explorer")]),
                "subslide"),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
        "explorer": {"model_name": "VBoxModel", "state": {"_dom_classes": [DOM_CLASS]}},
        "progress": {"model_name": "HBoxModel", "state": {"_dom_classes": []}},
    }, "version_major": 2, "version_minor": 0}}
    path = tmp_path / "07_demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_deck_follows_the_slide_tags(demo_notebook, tmp_path):
    (deck,) = build_slides([demo_notebook], tmp_path / "slides")
    assert deck == tmp_path / "slides" / "07_demo.slides.html"
    html = deck.read_text()
    assert "SET-UP, NOT SHOWN" not in html
    assert re.search(r'<aside class="notes">.*THE SPEAKER NOTE', html, re.S)
    assert re.search(r'class="fragment".*CLAIM OK', html, re.S)
    assert html.count("<section") >= 3  # slide, its vertical stack, the subslide
    # an explorer becomes a one-line note, other widgets (progress bars) are left out
    assert "Live in JupyterLab: Explorer(depth=8)" in html
    assert "progress: 3/3" not in html


def test_deck_loads_nothing_from_the_network(demo_notebook, tmp_path):
    (deck,) = build_slides([demo_notebook], tmp_path / "slides")
    html = deck.read_text()
    loaded = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert "reveal.js/dist/reveal.js" in loaded and "reveal.js/dist/reveal.css" in loaded
    remote = [url for url in loaded if re.match(r"(https?:)?//", url)]
    assert not remote, f"the deck loads {remote}"
    assert not re.search(r"import\s+\w+\s+from\s+'https?:", html), "a module import from the network"
    for url in loaded:
        assert (deck.parent / url.split("?")[0]).is_file(), f"{url} is not beside the deck"


def test_shipped_reveal_is_complete_and_licensed():
    # npm's reveal.js 5.2.1 carries a dist banner that still says 5.2.0
    major_minor = ".".join(REVEAL_VERSION.split(".")[:2])
    assert f"reveal.js {major_minor}." in (REVEAL / "dist" / "reveal.js").read_text()[:200]
    assert "MIT" in (REVEAL / "LICENSE").read_text()
    assert (REVEAL / "dist" / "theme" / "fonts" / "source-sans-pro" / "LICENSE").is_file()
    assert (REVEAL / "plugin" / "notes" / "notes.js").is_file()


def test_build_slides_rejects_bad_notebooks(tmp_path):
    with pytest.raises(ValueError, match="notebooks"):
        build_slides([], tmp_path)
    with pytest.raises(ValueError, match="not an existing .ipynb"):
        build_slides([tmp_path / "missing.ipynb"], tmp_path)

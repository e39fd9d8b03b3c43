"""Every markdown cell renders as its author meant: no bold or italics left as literal asterisks.

CommonMark (which the static site, nbconvert and many viewers use) does not close ``**`` right
after full-width punctuation when a CJK character follows: ``**问：**残差`` shows the asterisks.
Write ``**问**：残差`` instead (or put a space after the closing ``**``).
"""

import re
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/[0-9][0-9]_*.ipynb"))
RENDER = MarkdownIt("commonmark").enable("table")
CODE = re.compile(r"<code>.*?</code>|<pre>.*?</pre>", re.S)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_no_literal_emphasis_markers(notebook):
    nb = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        html = CODE.sub("", RENDER.render(cell.source))
        for line in html.splitlines():
            assert "**" not in line, (
                f"{notebook.name}, cell {index}: bold markers left unrendered in {line.strip()[:120]!r}; "
                "put full-width punctuation outside the closing ** (e.g. **问**：)"
            )

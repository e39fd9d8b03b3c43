"""The two editions are one course: same cells, same slide tags, the same program in every code cell.

The Chinese edition (``notebooks/zh/``) may differ from the English one (``notebooks/``) only in
its prose: markdown cells, comments and string literals (printed sentences, assertion messages,
labels). Code cells are compared token by token with Python's ``tokenize`` after dropping
comments and string literals, so a computation cannot drift between the editions.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHINESE_DIR = ROOT / "notebooks" / "zh"
CJK = re.compile(r"[\u4e00-\u9fff]")

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python >= 3.12 splits f-strings
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def program_tokens(source: str) -> list[str]:
    """The tokens of a code cell with comments dropped and each run of string literals as one ``STR``.

    Adjacent literals (``"a " "b"``, implicitly concatenated) count as one, so a translation may
    wrap a long sentence differently. IPython lines (``%magic``, ``!cmd``) are compared verbatim.
    """
    lines = [("#IPY " + line) if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    tokens: list[str] = []
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
        if _FSTRING_START is not None and tok.type == _FSTRING_START:
            depth += 1
            continue
        if _FSTRING_END is not None and tok.type == _FSTRING_END:
            depth -= 1
            tok_is_string = depth == 0
            if not tok_is_string:
                continue
        elif depth:
            continue
        else:
            tok_is_string = tok.type == tokenize.STRING
        if tok.type == tokenize.COMMENT and tok.string.startswith("#IPY "):
            tokens.append(tok.string)
        elif tok_is_string:
            if not tokens or tokens[-1] != "STR":
                tokens.append("STR")
        elif tok.type not in _SKIPPED:
            tokens.append(tok.string if tok.type not in (tokenize.INDENT, tokenize.DEDENT) else tokenize.tok_name[tok.type])
    return tokens


def slide_metadata(cell) -> tuple:
    return (cell.cell_type, cell.metadata.get("slideshow", {}).get("slide_type"), tuple(cell.metadata.get("tags", [])))


def pair(english: Path):
    chinese = CHINESE_DIR / english.name
    assert chinese.exists(), f"{english.name} has no Chinese twin: add notebooks/zh/{english.name}"
    return nbformat.read(english, as_version=4), nbformat.read(chinese, as_version=4)


def test_program_tokens_ignore_prose_only():
    english = 'print(f"{n} blocks: growth {g:.1f}x")  # the stream\nassert g > 1, "it grows"\n'
    chinese = 'print(f"{n} 个块：增长 {g:.1f} 倍")  # 残差流\nassert g > 1, "它在增长" \\\n    "。"\n'
    assert program_tokens(english) == program_tokens(chinese)
    assert program_tokens("x = f(a, 2)\n") != program_tokens("x = f(a, 3)\n")
    assert program_tokens('setup(lang="en")\n') == program_tokens('setup(lang="zh")\n')
    assert program_tokens("%matplotlib inline\nx = 1\n") != program_tokens("%matplotlib widget\nx = 1\n")


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_same_cells_and_slide_tags(english):
    en, zh = pair(english)
    assert [slide_metadata(c) for c in en.cells] == [slide_metadata(c) for c in zh.cells], (
        f"notebooks/zh/{english.name} must have the cells of {english.name} in the same order, each with the "
        "same type, slide type and tags")


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_code_cells_are_the_same_program(english):
    en, zh = pair(english)
    for number, (a, b) in enumerate(zip(en.cells, zh.cells), start=1):
        if a.cell_type == "code":
            assert program_tokens(a.source) == program_tokens(b.source), (
                f"cell {number} of {english.name}: the Chinese code differs beyond strings and comments\n"
                f"--- English ---\n{a.source}\n--- Chinese ---\n{b.source}")


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_chinese_edition_sets_its_language(english):
    _, zh = pair(english)
    code = "\n".join(c.source for c in zh.cells if c.cell_type == "code")
    assert 'lang="zh"' in code, f"notebooks/zh/{english.name} must call resnorm.setup(..., lang=\"zh\")"


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_every_chinese_markdown_cell_is_chinese(english):
    _, zh = pair(english)
    english_only = [c.source[:120] for c in zh.cells if c.cell_type == "markdown" and not CJK.search(c.source)]
    assert not english_only, f"notebooks/zh/{english.name} has markdown cells without Chinese:\n" + "\n".join(english_only)


WIDE = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_no_line_break_inside_a_chinese_sentence(english):
    """A line break between two Chinese characters renders as a stray space: one line per paragraph.

    (A heading is a line of its own: text right after it starts a new paragraph.)"""
    _, zh = pair(english)
    breaks = [f"{a.strip()[-20:]} / {b.strip()[:20]}" for c in zh.cells if c.cell_type == "markdown"
              for a, b in zip(c.source.splitlines(), c.source.splitlines()[1:])
              if re.search(WIDE + r"$", a) and re.match(WIDE, b) and not a.startswith("#")]
    assert not breaks, f"notebooks/zh/{english.name}: join these lines:\n" + "\n".join(breaks)


def test_no_chinese_notebook_without_english_original():
    orphans = sorted(p.name for p in CHINESE_DIR.glob("*.ipynb") if not (ROOT / "notebooks" / p.name).exists())
    assert not orphans, f"Chinese notebooks without an English original: {orphans}"

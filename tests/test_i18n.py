"""One catalogue, one lookup: every sentence resnorm shows has its Chinese, with the same fields."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import matplotlib
import pytest

import resnorm
from resnorm import i18n
from resnorm.locale.zh import MESSAGES

SRC = Path(resnorm.__file__).parent
CATALOGUE_FILE = SRC / "locale" / "zh.py"


def marked_messages() -> dict[str, str]:
    """Every literal passed to ``tr(...)`` or ``N_(...)`` in resnorm, with where it is.

    ``tr(variable)`` shows a text marked with ``N_`` elsewhere; ``N_`` itself needs a literal.
    """
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if path == CATALOGUE_FILE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "N_")
                    and node.args):
                first = node.args[0]
                if node.func.id == "tr" and not isinstance(first, ast.Constant):
                    continue
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path.relative_to(SRC)}:{node.lineno}: {node.func.id}() needs a string literal (the "
                    "catalogue's key), not an expression; pass the variable parts as {fields}")
                found.setdefault(first.value, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def fields(template: str) -> list[tuple[str, str, str]]:
    return sorted((name, spec or "", conv or "") for _, name, spec, conv in string.Formatter().parse(template)
                  if name is not None)


def test_every_marked_message_has_a_translation():
    missing = [f"{where}: {message!r}" for message, where in marked_messages().items() if message not in MESSAGES]
    assert not missing, "no Chinese in resnorm/locale/zh.py for:\n" + "\n".join(missing)


def test_no_unused_translations():
    unused = sorted(set(MESSAGES) - set(marked_messages()))
    assert not unused, "resnorm/locale/zh.py has entries no code uses:\n" + "\n".join(map(repr, unused))


def test_translations_keep_the_fields():
    wrong = [key for key, text in MESSAGES.items() if fields(key) != fields(text)]
    assert not wrong, "these translations change the {fields} of their key:\n" + "\n".join(map(repr, wrong))


def test_no_key_twice_in_the_catalogue():
    tree = ast.parse(CATALOGUE_FILE.read_text(encoding="utf-8"))
    keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys]
    assert len(keys) == len(set(keys)), [k for k in set(keys) if keys.count(k) > 1]


def test_chinese_punctuation_is_full_width():
    """A Chinese sentence uses ，。：；！？ (half-width ones are for code, numbers and English)."""
    half = re.compile(r"[\u4e00-\u9fff][,;!?](?=\s|$)|[\u4e00-\u9fff]:(?=\s)")
    wrong = [text for text in MESSAGES.values() if half.search(text)]
    assert not wrong, "half-width punctuation after Chinese text:\n" + "\n".join(wrong)


def test_tr_fills_fields_in_both_languages():
    without_fields = next(key for key in MESSAGES if not fields(key))
    try:
        i18n.set_language("en")
        assert i18n.tr("{name} must be > {minimum}; got {value!r}", name="lr", minimum=0, value=-1.0) == \
            "lr must be > 0; got -1.0"
        assert i18n.tr(without_fields) == without_fields
        i18n.set_language("zh")
        assert i18n.tr("{name} must be > {minimum}; got {value!r}", name="lr", minimum=0, value=-1.0) == \
            "lr 必须 > 0，实际为 -1.0"
        assert i18n.tr(without_fields) == MESSAGES[without_fields] != without_fields
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("current", i18n.LANGUAGES)
def test_an_unknown_language_is_named_in_both_languages_by_every_function_that_takes_lang(current, tmp_path):
    """One check, one message, in English and Chinese whatever the current language: the reader who
    mistyped lang has not got their language yet. A refused lang changes nothing."""
    from resnorm.export import export_figures

    takes_lang = {
        "check_language": i18n.check_language,
        "set_language": i18n.set_language,
        "catalogue": i18n.catalogue,
        "setup": lambda lang: resnorm.setup(lang=lang),
        "export_figures": lambda lang: export_figures([], tmp_path, lang=lang),
    }
    try:
        i18n.set_language(current)
        for name, call in takes_lang.items():
            with pytest.raises(ValueError) as error:
                call("zh-CN")
            assert str(error.value) == ("lang must be one of 'en', 'zh'; got 'zh-CN' "
                                        "(lang 必须是 'en', 'zh' 之一，实际为 'zh-CN')"), name
            assert i18n.language() == current, name
        assert [i18n.check_language(lang) for lang in i18n.LANGUAGES] == ["en", "zh"]
    finally:
        i18n.set_language("en")


def test_setup_switches_language_and_font():
    try:
        resnorm.setup(lang="zh")
        assert resnorm.language() == "zh"
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "WenQuanYi Micro Hei"]
    finally:
        resnorm.setup(lang="en")
    assert resnorm.language() == "en"
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]


def test_cjk_font_has_every_chinese_character_the_course_uses():
    """No empty boxes: each CJK character of the catalogue and the Chinese notebooks is in the font."""
    from matplotlib.ft2font import FT2Font

    from resnorm.session import CJK_FONT

    font = FT2Font(str(CJK_FONT))
    charmap = font.get_charmap()
    texts = list(MESSAGES.values())
    texts += [p.read_text(encoding="utf-8") for p in (SRC.parents[1] / "notebooks" / "zh").glob("*.py")]
    cjk = sorted({c for text in texts for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"})
    missing = [c for c in cjk if ord(c) not in charmap]
    assert not missing, f"characters without a glyph in {CJK_FONT.name}: {''.join(missing)}"

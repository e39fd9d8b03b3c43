"""The language of everything resnorm shows a reader: one catalogue, one lookup.

The English text is the key, as in gettext: a module writes ``tr("not yet: {why}", why=...)``
where it shows a sentence, and the English edition shows exactly that. In the Chinese edition
(``resnorm.setup(lang="zh")``) :func:`tr` looks the sentence up in ``resnorm.locale.zh.MESSAGES``
and fills the same ``{fields}``. Text that is built before the language is known (an exercise's
title at import time, a table of labels) is marked with :func:`N_` and translated with :func:`tr`
where it is shown. ``tests/test_i18n.py`` checks that every marked sentence has a translation
with the same fields.
"""

from __future__ import annotations

from importlib import import_module

LANGUAGES = ("en", "zh")
"""The editions: ``"en"`` (English) and ``"zh"`` (简体中文)."""

_state = {"language": "en"}


def set_language(lang: str) -> str:
    """Show resnorm's text in ``lang`` (one of :data:`LANGUAGES`) from now on; returns it."""
    if lang not in LANGUAGES:
        # Not tr(): the message must be readable whatever the current language is.
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}; got {lang!r} "
                         f"(lang 必须是 {' 或 '.join(map(repr, LANGUAGES))} 之一)")
    _state["language"] = lang
    return lang


def language() -> str:
    """The current language, ``"en"`` unless :func:`set_language` (or ``setup(lang=...)``) changed it."""
    return _state["language"]


def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang`` keyed by their English text (empty for English)."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGUAGES))}; got {lang!r}")
    if lang == "en":
        return {}
    return import_module(f"{__package__}.locale.{lang}").MESSAGES


def tr(message: str, /, **fields) -> str:
    """``message`` in the current language with its ``{name}`` fields filled from ``fields``.

    ``message`` is the English text, a :meth:`str.format` template (``{value!r}``, ``{x:.2f}``
    work): a literal where the sentence is shown, or a variable holding a text that was marked
    with :func:`N_` where it was written (an exercise's title, a configuration's name that is
    also a dict key: the data keep the English, only what is shown changes). A text without a
    translation is shown as it is.
    """
    text = catalogue(language()).get(message, message) if language() != "en" else message
    return text.format(**fields) if fields else text


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (returns it unchanged)."""
    return message

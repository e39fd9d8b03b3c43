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


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (returns it unchanged)."""
    return message


_UNKNOWN_LANGUAGE = N_("lang must be one of {allowed}; got {lang!r}")


def check_language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; else a ``ValueError`` naming ``lang`` and the allowed values.

    The message is in every edition's language at once (English first, the others in parentheses),
    whatever the current language: a reader whose ``lang`` is wrong has not got their language yet.
    """
    if lang not in LANGUAGES:
        allowed = ", ".join(map(repr, LANGUAGES))
        texts = [catalogue(each).get(_UNKNOWN_LANGUAGE, _UNKNOWN_LANGUAGE) for each in LANGUAGES]
        english, *others = (text.format(allowed=allowed, lang=lang) for text in texts)
        raise ValueError(f"{english} ({'; '.join(others)})")
    return lang


def set_language(lang: str) -> str:
    """Show resnorm's text in ``lang`` (one of :data:`LANGUAGES`) from now on; returns it."""
    _state["language"] = check_language(lang)
    return lang


def language() -> str:
    """The current language, ``"en"`` unless :func:`set_language` (or ``setup(lang=...)``) changed it."""
    return _state["language"]


def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang`` keyed by their English text (empty for English)."""
    if check_language(lang) == "en":
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

"""Exercises with instant feedback: ``check(key, answer)``, ``hint(key)``, ``solution(key)``.

Each notebook's exercises live in a module of this package (``resnorm.exercises.residual``, ...)
that registers :class:`Exercise` objects when imported; every module here is imported on first
use, so a notebook needs only ``from resnorm.exercises import check, hint, solution``.

An exercise carries a reference answer and typical wrong answers, so the tests can prove that
its checker accepts the one and rejects the others with a helpful message.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from collections.abc import Iterator, Mapping
from typing import Any

from ..i18n import tr


class Texts(Mapping):
    """A read-only ``{key: text}`` table whose texts (marked with ``N_()``) read in the current language.

    For tables a notebook prints, such as the statements of an exercise: the keys are data and stay
    as they are; each value is translated when it is read.
    """

    def __init__(self, texts: dict[str, str]):
        self._texts = dict(texts)

    def __getitem__(self, key: str) -> str:
        return tr(self._texts[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __repr__(self) -> str:
        return f"Texts({dict(self)!r})"


class Incorrect(Exception):
    """Raised by a checker with a message that tells the student what is wrong."""


ShownText = str | Callable[[], str]
"""A hint or solution: a text marked with ``N_()``, or a function of no arguments that returns the text
in the current language (for a text filled from several marked parts, which is no key of the catalogue)."""


def shown_text(text: ShownText) -> str:
    """A hint or solution as the reader sees it now: a marked text translated, or what the function returns."""
    return text() if callable(text) else tr(text)


@dataclass(frozen=True)
class Exercise:
    """One task: ``checker(answer)`` returns ``None`` if right and raises :class:`Incorrect` if not.

    ``reference()`` builds a correct answer and each of ``wrong`` builds a wrong one; the tests
    use both. ``hints`` are shown one at a time; ``solution`` is code or text shown on request.
    Each hint and the solution is a :data:`ShownText`: a text, or a function called when the reader asks.
    """

    key: str
    title: str
    checker: Callable[[Any], None]
    reference: Callable[[], Any]
    wrong: tuple[Callable[[], Any], ...]
    hints: tuple[ShownText, ...]
    solution: ShownText

    def __post_init__(self):
        if not isinstance(self.hints, tuple):
            raise TypeError(tr("hints must be a tuple of texts or functions returning one; got {kind}",
                               kind=type(self.hints).__name__))
        for name, text in [(f"hints[{i}]", h) for i, h in enumerate(self.hints)] + [("solution", self.solution)]:
            if not (isinstance(text, str) or callable(text)):
                raise TypeError(tr("{name} must be a text or a function returning one; got {kind}", name=name,
                                   kind=type(text).__name__))


_REGISTRY: dict[str, Exercise] = {}
_loaded = False


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (keys must be unique)."""
    if exercise.key in _REGISTRY:
        raise ValueError(tr("exercise key {key!r} is already registered", key=exercise.key))
    _REGISTRY[exercise.key] = exercise
    return exercise


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise by key, after importing all exercise modules."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return dict(_REGISTRY)


def get(key: str) -> Exercise:
    """The exercise registered under ``key``; a ``ValueError`` lists the keys if it is unknown."""
    exercises = all_exercises()
    if key not in exercises:
        raise ValueError(tr("key must be one of {keys}; got {key!r}", keys=", ".join(map(repr, sorted(exercises))),
                            key=key))
    return exercises[key]


def evaluate(key: str, answer) -> tuple[bool, str]:
    """``(passed, message)`` for ``answer`` to exercise ``key``, without printing."""
    exercise = get(key)
    if answer is None or answer is Ellipsis:
        return False, tr("not attempted yet: replace the ... with your answer and run the cell again")
    try:
        exercise.checker(answer)
    except Incorrect as wrong:
        return False, tr("not yet: {why}", why=wrong)
    return True, tr("correct: {title}", title=tr(exercise.title))


def check(key: str, answer) -> bool:
    """Check ``answer`` to exercise ``key``, print the feedback and return whether it passed."""
    passed, message = evaluate(key, answer)
    print(("✅ " if passed else "❌ ") + message)
    return passed


def hint(key: str, n: int | None = None) -> None:
    """Print the hints of exercise ``key`` (all of them, or the first ``n``)."""
    hints = get(key).hints
    for i, text in enumerate(hints[:n] if n else hints, start=1):
        print(tr("Hint {i}: {text}", i=i, text=shown_text(text)))


def solution(key: str) -> None:
    """Print the solution of exercise ``key``."""
    print(shown_text(get(key).solution))


def expect_number(answer, expected: float, *, rtol: float = 0.01, what: str | None = None) -> float:
    """Reusable checker step: ``answer`` must be a real number within ``rtol`` (relative) of ``expected``.

    Returns the answer as a float; raises :class:`Incorrect` naming ``what`` otherwise, saying
    whether the answer is too large or too small, and by how much, without giving it away.
    ``what`` is in the reader's language (``tr("...")``); by default "the answer".
    """
    from numbers import Real

    what = tr("the answer") if what is None else what
    if isinstance(answer, bool) or not isinstance(answer, Real):
        raise Incorrect(tr("{what} must be a number (an int or a float); got {kind}", what=what,
                            kind=type(answer).__name__))
    value = float(answer)
    if value != value or value in (float("inf"), float("-inf")):
        raise Incorrect(tr("{what} must be a finite number; got {value}", what=what, value=value))
    if abs(value - expected) > rtol * abs(expected):
        direction = tr("too large") if value > expected else tr("too small")
        if expected != 0 and value != 0 and (value > 0) == (expected > 0):
            ratio = max(value / expected, expected / value)
            if ratio >= 1.5:
                message = tr("{what} is {direction} by a factor of about {ratio:.2g}", what=what,
                             direction=direction, ratio=ratio)
            else:
                message = tr("{what} is {direction} by a little", what=what, direction=direction)
        elif value * expected < 0:
            message = tr("{what} is {direction} and of the wrong sign", what=what, direction=direction)
        else:
            message = tr("{what} is {direction}", what=what, direction=direction)
        raise Incorrect(message)
    return value


def expect_choices(answer, expected, allowed, *, explain=None, what: str | None = None) -> set:
    """Reusable checker step: ``answer`` must be exactly the set ``expected`` of options from ``allowed``.

    ``answer`` may be a set, list or tuple (or one option). An unknown option lists the allowed
    ones; otherwise the first wrong option (missing or extra) is reported with its entry of
    ``explain`` (a dict option -> why), or a generic message. Returns the answer as a set.
    ``what`` and ``explain`` are in the reader's language (``tr("...")``); ``what`` is by default
    "the answer".
    """
    what = tr("the answer") if what is None else what
    allowed = list(allowed)
    if isinstance(answer, (str, int)) and not isinstance(answer, bool):
        answer = {answer}
    if not isinstance(answer, (set, frozenset, list, tuple)):
        raise Incorrect(tr("{what} must be a set of options such as {{{option!r}}}; got {kind}", what=what,
                           option=allowed[0], kind=type(answer).__name__))
    try:
        chosen = set(answer)
    except TypeError:
        raise Incorrect(tr("{what} must contain options such as {option!r}, not lists or dicts", what=what,
                           option=allowed[0])) from None
    unknown = [a for a in answer if a not in allowed]
    if unknown:
        raise Incorrect(tr("{option!r} is not one of the options; choose from {allowed}", option=unknown[0],
                           allowed=", ".join(map(repr, allowed))))
    explain = dict(explain or {})
    for option in allowed:
        if (option in chosen) != (option in expected):
            why = explain.get(option)
            if option in chosen:
                message = tr("{option!r} should not be in {what}", option=option, what=what)
            else:  # name a missing option only when there is an explanation to go with it
                message = (tr("{what} is missing an option", what=what) if why is None
                           else tr("{option!r} is missing", option=option))
            raise Incorrect(tr("{message}: {why}", message=message, why=why) if why else message)
    return chosen

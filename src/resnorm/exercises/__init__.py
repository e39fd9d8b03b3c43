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
from typing import Any


class Incorrect(Exception):
    """Raised by a checker with a message that tells the student what is wrong."""


@dataclass(frozen=True)
class Exercise:
    """One task: ``checker(answer)`` returns ``None`` if right and raises :class:`Incorrect` if not.

    ``reference()`` builds a correct answer and each of ``wrong`` builds a wrong one; the tests
    use both. ``hints`` are shown one at a time; ``solution`` is code or text shown on request.
    """

    key: str
    title: str
    checker: Callable[[Any], None]
    reference: Callable[[], Any]
    wrong: tuple[Callable[[], Any], ...]
    hints: tuple[str, ...]
    solution: str


_REGISTRY: dict[str, Exercise] = {}
_loaded = False


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (keys must be unique)."""
    if exercise.key in _REGISTRY:
        raise ValueError(f"exercise key {exercise.key!r} is already registered")
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
        raise ValueError(f"key must be one of {', '.join(map(repr, sorted(exercises)))}; got {key!r}")
    return exercises[key]


def evaluate(key: str, answer) -> tuple[bool, str]:
    """``(passed, message)`` for ``answer`` to exercise ``key``, without printing."""
    exercise = get(key)
    if answer is None or answer is Ellipsis:
        return False, "not attempted yet: replace the ... with your answer and run the cell again"
    try:
        exercise.checker(answer)
    except Incorrect as wrong:
        return False, f"not yet: {wrong}"
    return True, f"correct: {exercise.title}"


def check(key: str, answer) -> bool:
    """Check ``answer`` to exercise ``key``, print the feedback and return whether it passed."""
    passed, message = evaluate(key, answer)
    print(("✅ " if passed else "❌ ") + message)
    return passed


def hint(key: str, n: int | None = None) -> None:
    """Print the hints of exercise ``key`` (all of them, or the first ``n``)."""
    hints = get(key).hints
    for i, text in enumerate(hints[:n] if n else hints, start=1):
        print(f"Hint {i}: {text}")


def solution(key: str) -> None:
    """Print the solution of exercise ``key``."""
    print(get(key).solution)


def expect_number(answer, expected: float, *, rtol: float = 0.01, what: str = "the answer") -> float:
    """Reusable checker step: ``answer`` must be a real number within ``rtol`` (relative) of ``expected``.

    Returns the answer as a float; raises :class:`Incorrect` naming ``what`` otherwise, saying
    whether the answer is too large or too small, and by how much, without giving it away.
    """
    from numbers import Real

    if isinstance(answer, bool) or not isinstance(answer, Real):
        raise Incorrect(f"{what} must be a number (an int or a float); got {type(answer).__name__}")
    value = float(answer)
    if value != value or value in (float("inf"), float("-inf")):
        raise Incorrect(f"{what} must be a finite number; got {value}")
    if abs(value - expected) > rtol * abs(expected):
        direction = "too large" if value > expected else "too small"
        if expected != 0 and value != 0 and (value > 0) == (expected > 0):
            ratio = max(value / expected, expected / value)
            size = f"by a factor of about {ratio:.2g}" if ratio >= 1.5 else "by a little"
        else:
            size = "and of the wrong sign" if value * expected < 0 else ""
        raise Incorrect(f"{what} is {direction} {size}".rstrip())
    return value


def expect_choices(answer, expected, allowed, *, explain=None, what: str = "the answer") -> set:
    """Reusable checker step: ``answer`` must be exactly the set ``expected`` of options from ``allowed``.

    ``answer`` may be a set, list or tuple (or one option). An unknown option lists the allowed
    ones; otherwise the first wrong option (missing or extra) is reported with its entry of
    ``explain`` (a dict option -> why), or a generic message. Returns the answer as a set.
    """
    allowed = list(allowed)
    if isinstance(answer, (str, int)) and not isinstance(answer, bool):
        answer = {answer}
    if not isinstance(answer, (set, frozenset, list, tuple)):
        raise Incorrect(f"{what} must be a set of options such as {{{allowed[0]!r}}}; "
                        f"got {type(answer).__name__}")
    try:
        chosen = set(answer)
    except TypeError:
        raise Incorrect(f"{what} must contain options such as {allowed[0]!r}, not lists or dicts") from None
    unknown = [a for a in answer if a not in allowed]
    if unknown:
        raise Incorrect(f"{unknown[0]!r} is not one of the options; choose from "
                        f"{', '.join(map(repr, allowed))}")
    explain = dict(explain or {})
    for option in allowed:
        if (option in chosen) != (option in expected):
            why = explain.get(option)
            if option in chosen:
                message = f"{option!r} should not be in {what}"
            else:  # name a missing option only when there is an explanation to go with it
                message = f"{what} is missing an option" if why is None else f"{option!r} is missing"
            raise Incorrect(f"{message}: {why}" if why else message)
    return chosen

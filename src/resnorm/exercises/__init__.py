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

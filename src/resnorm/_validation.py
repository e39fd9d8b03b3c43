"""Argument checks shared by every public function.

Each check raises an error whose message names the argument, the value it got and what is
allowed, so that a reader sees at once what to change instead of a deep traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

from .i18n import tr


def check_choice(name: str, value, allowed: Iterable):
    """Return ``value`` if it is one of ``allowed``; otherwise raise ``ValueError``."""
    allowed = tuple(allowed)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ValueError(tr("{name} must be one of {shown}; got {value!r}", name=name, shown=shown, value=value))
    return value


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` if it is an integer within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(tr("{name} must be an integer; got {kind} {value!r}", name=name, kind=type(value).__name__,
                           value=value))
    _check_range(name, value, minimum, maximum)
    return int(value)


def check_float(
    name: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number within the given bounds.

    With ``strict_minimum`` the value must be strictly greater than ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(tr("{name} must be a real number; got {kind} {value!r}", name=name,
                           kind=type(value).__name__, value=value))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(tr("{name} must be finite; got {value!r}", name=name, value=value))
    if strict_minimum and minimum is not None and value <= minimum:
        raise ValueError(tr("{name} must be > {minimum}; got {value!r}", name=name, minimum=minimum, value=value))
    _check_range(name, value, minimum, maximum)
    return value


def check_seeds(name: str, seeds) -> tuple[int, ...]:
    """Return ``seeds`` as a non-empty tuple of non-negative integers."""
    if isinstance(seeds, Integral) and not isinstance(seeds, bool):
        raise TypeError(tr("{name} must be a sequence of integers such as range(5); got the int {seeds!r}",
                           name=name, seeds=seeds))
    try:
        seeds = tuple(seeds)
    except TypeError:
        raise TypeError(tr("{name} must be a sequence of integers; got {kind}", name=name,
                           kind=type(seeds).__name__)) from None
    if not seeds:
        raise ValueError(tr("{name} must contain at least one seed; got an empty sequence", name=name))
    return tuple(check_int(f"{name}[{i}]", s, minimum=0) for i, s in enumerate(seeds))


def _check_range(name, value, minimum, maximum):
    if minimum is not None and value < minimum:
        raise ValueError(tr("{name} must be >= {minimum}; got {value!r}", name=name, minimum=minimum, value=value))
    if maximum is not None and value > maximum:
        raise ValueError(tr("{name} must be <= {maximum}; got {value!r}", name=name, maximum=maximum, value=value))

"""Progress bars for loops that take more than a moment.

The bar shows counts only (no rates or times), so a notebook's stored output is the same on
every run and nbval can compare it. ``RESNORM_PROGRESS=0`` in the environment turns bars off.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from tqdm.auto import tqdm

BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} {bar}"


def progress(iterable: Iterable, *, desc: str, total: int | None = None) -> Iterable:
    """Wrap ``iterable`` in a progress bar labelled ``desc`` (a notebook widget or a text bar)."""
    disable = os.environ.get("RESNORM_PROGRESS", "1") == "0"
    return tqdm(iterable, desc=desc, total=total, bar_format=BAR_FORMAT, disable=disable)

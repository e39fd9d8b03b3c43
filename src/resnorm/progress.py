"""Progress bars for loops that take more than a moment.

The bar shows counts only (no rates or times), so a notebook's stored output is the same on
every run and nbval can compare it. ``RESNORM_PROGRESS=0`` in the environment turns bars off.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from tqdm.auto import tqdm

from .i18n import N_, tr

BAR_FORMAT = N_("{desc}: {n_fmt}/{total_fmt} {bar}")
"""tqdm's layout of a bar (its Chinese form has a full-width colon after the label)."""


def progress(iterable: Iterable, *, desc: str, total: int | None = None) -> Iterable:
    """Wrap ``iterable`` in a progress bar labelled ``desc`` (a notebook widget or a text bar).

    ``desc`` is shown as given: a caller passes it in the reader's language, ``tr("...")``.
    """
    disable = os.environ.get("RESNORM_PROGRESS", "1") == "0"
    return tqdm(iterable, desc=desc, total=total, bar_format=tr("{desc}: {n_fmt}/{total_fmt} {bar}"), disable=disable)

"""One call at the top of every notebook that makes its numbers repeatable and its figures uniform."""

from __future__ import annotations

import os
import random
from pathlib import Path

import matplotlib as mpl
import numpy as np
import torch
from matplotlib import font_manager

from ._validation import check_int
from .i18n import check_language, set_language, tr

STYLE = {
    "figure.figsize": (7.0, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "svg.hashsalt": "resnorm",
}
"""Matplotlib settings shared by every figure of the course."""

CJK_FONT = Path(__file__).parent / "fonts" / "wqy-microhei.ttc"
"""The font of the Chinese edition's figures (WenQuanYi Micro Hei, shipped with resnorm)."""

FONT_FAMILIES = {"en": ["DejaVu Sans"], "zh": ["DejaVu Sans", "WenQuanYi Micro Hei"]}
"""Matplotlib's font list per edition: a character DejaVu Sans lacks is drawn by the next font."""


def use_language(lang: str) -> None:
    """Show resnorm's text and figures in ``lang`` (``"en"`` or ``"zh"``): messages and fonts.

    The Chinese edition draws CJK characters with the shipped :data:`CJK_FONT`, registered with
    matplotlib here, so no system font is needed; Latin text and symbols stay in DejaVu Sans.
    """
    set_language(lang)
    if lang == "zh" and "WenQuanYi Micro Hei" not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(CJK_FONT))
    mpl.rcParams["font.family"] = FONT_FAMILIES[lang]


SEED_SHIFT_VARIABLE = "RESNORM_SEED_SHIFT"
"""Environment variable that shifts every notebook's seeds (the other-seeds check sets it)."""


def seed_shift() -> int:
    """The shift that :func:`seeds` adds: ``RESNORM_SEED_SHIFT`` if set (an integer >= 0), else 0.

    A claim must hold because its effect is real, not because of the seeds it was written with;
    ``tests/test_other_seeds.py`` re-runs every notebook with this variable set to other values.
    """
    raw = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    if not raw:
        return 0
    try:
        shift = int(raw)
    except ValueError:
        raise ValueError(tr("{variable} must be an integer >= 0; got {raw!r}", variable=SEED_SHIFT_VARIABLE,
                            raw=raw)) from None
    if shift < 0:
        raise ValueError(tr("{variable} must be an integer >= 0; got {raw!r}", variable=SEED_SHIFT_VARIABLE, raw=raw))
    return shift


def seeds(n: int) -> tuple[int, ...]:
    """The ``n`` seeds a notebook passes to its experiments: ``(0, 1, ..., n - 1)`` plus :func:`seed_shift`.

    Every experiment takes all of its randomness (weights, data, batch order) from the seeds it is
    given, so a notebook that writes ``SEEDS = resnorm.seeds(5)`` and passes ``seeds=SEEDS`` runs
    the same claims on other seeds when ``RESNORM_SEED_SHIFT`` is set.
    """
    n = check_int("n", n, minimum=1)
    shift = seed_shift()
    return tuple(range(shift, shift + n))


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's global random generators with ``seed``."""
    seed = check_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def setup(seed: int = 0, *, threads: int = 1, lang: str = "en") -> None:
    """Make a notebook repeatable: seeds, ``threads`` CPU threads, no denormals, print and plot style.

    ``lang`` is the edition, ``"en"`` or ``"zh"``: the language of what resnorm prints, draws and
    raises (exercise feedback, explorer labels, progress bars, error messages; see
    :mod:`resnorm.i18n`) and the figures' font.

    ``seed`` (plus :func:`seed_shift`) seeds the global generators, for whatever a notebook draws
    itself; experiments do not use them: they take their seeds as arguments (see :func:`seeds`).

    One thread keeps the last digits of results identical from run to run (a sum's order depends
    on the thread split); flushing denormal floats keeps deep plain nets, whose signals shrink
    below 1e-38, from running 10-100x slower on the CPU.
    """
    check_language(lang)
    threads = check_int("threads", threads, minimum=1)
    seed_everything(check_int("seed", seed, minimum=0) + seed_shift())
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    torch.set_printoptions(precision=3, sci_mode=False)
    np.set_printoptions(precision=3, suppress=True)
    mpl.rcParams.update(STYLE)
    use_language(lang)

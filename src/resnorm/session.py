"""One call at the top of every notebook that makes its numbers repeatable and its figures uniform."""

from __future__ import annotations

import random

import matplotlib as mpl
import numpy as np
import torch

from ._validation import check_int

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


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's global random generators with ``seed``."""
    seed = check_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def setup(seed: int = 0, *, threads: int = 1) -> None:
    """Make a notebook repeatable: seeds, ``threads`` CPU threads, no denormals, print and plot style.

    One thread keeps the last digits of results identical from run to run (a sum's order depends
    on the thread split); flushing denormal floats keeps deep plain nets, whose signals shrink
    below 1e-38, from running 10-100x slower on the CPU.
    """
    threads = check_int("threads", threads, minimum=1)
    seed_everything(seed)
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    torch.set_printoptions(precision=3, sci_mode=False)
    np.set_printoptions(precision=3, suppress=True)
    mpl.rcParams.update(STYLE)

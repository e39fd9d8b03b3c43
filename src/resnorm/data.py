"""Tiny data sets made on the fly from a seed: nothing is downloaded, everything fits in memory."""

from __future__ import annotations

import csv
from pathlib import Path

import torch

from ._validation import check_choice, check_int

SEQUENCE_TASKS = ("reverse", "sort")
"""Names of the sequence tasks of :func:`sequence_task`."""


def teacher_classification(n_samples: int, in_features: int = 16, n_classes: int = 4, *,
                           seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian inputs labelled by a fixed random teacher: a learnable, non-linear task.

    The teacher is a random 2-layer tanh network; the label is the arg-max of its ``n_classes``
    outputs. Returns ``x`` of shape ``(n_samples, in_features)`` (float32, standard normal) and
    ``y`` of shape ``(n_samples,)`` (int64 in ``[0, n_classes)``). Same seed, same data.
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    in_features = check_int("in_features", in_features, minimum=1)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n_samples, in_features, generator=g)
    w1 = torch.randn(in_features, 4 * in_features, generator=g) / in_features ** 0.5
    w2 = torch.randn(4 * in_features, n_classes, generator=g) / (4 * in_features) ** 0.5
    y = (torch.tanh(x @ w1 * 2.0) @ w2).argmax(dim=1)
    return x, y


def sequence_task(kind: str, n_samples: int, seq_len: int = 8, vocab_size: int = 10, *,
                  seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Token sequences and their targets for a sequence-to-sequence task.

    ``kind="reverse"``: the target is the input read backwards. ``kind="sort"``: the target is
    the input sorted. Both need attention across positions. Returns ``tokens`` and ``targets``,
    both int64 of shape ``(n_samples, seq_len)`` with ids in ``[0, vocab_size)``.
    """
    check_choice("kind", kind, SEQUENCE_TASKS)
    n_samples = check_int("n_samples", n_samples, minimum=1)
    seq_len = check_int("seq_len", seq_len, minimum=2)
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(vocab_size, (n_samples, seq_len), generator=g)
    targets = tokens.flip(1) if kind == "reverse" else tokens.sort(dim=1).values
    return tokens, targets


DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The course's ``data/`` folder (the package is installed in editable mode from the repository)."""


def load_reference(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>.csv``, a table of published numbers, as dicts of strings.

    Lines starting with ``#`` are the citation (paper, year, figure or table) and are skipped;
    the first other line is the header. A ``ValueError`` lists the available names.
    """
    available = sorted(p.stem for p in DATA_DIR.glob("*.csv"))
    check_choice("name", name, available)
    with open(DATA_DIR / f"{name}.csv", newline="", encoding="utf-8") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def reference_citation(name: str) -> str:
    """The ``#`` lines at the top of ``data/<name>.csv``, joined: where its numbers come from."""
    check_choice("name", name, sorted(p.stem for p in DATA_DIR.glob("*.csv")))
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8") as file:
        return " ".join(line[1:].strip() for line in file if line.startswith("#"))

"""Lesion study (Veit, Wilber & Belongie 2016): delete blocks of a trained net, measure the error.

A residual block computes ``h + f(h)``; deleting it leaves ``h``, which the next block can still
read. A plain block computes ``f(h)``; deleting it (passing ``h`` on unchanged, as Veit et al. do)
hands the next layer an input it has never seen. Both nets are trained on the same teacher task
(:func:`resnorm.data.teacher_classification`), then evaluated with blocks deleted. A seed fixes
everything random: the teacher and its data, the initial weights, the mini-batches and the sets
of deleted blocks.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from math import comb

import numpy as np
import torch

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import teacher_classification
from ..i18n import N_, tr
from ..models import DeepMLP
from ..norms import NORM_NAMES
from ..progress import progress
from ..training import train

LESION_NETS = {N_("residual"): True, N_("plain"): False}
"""The two nets of the study, by label: the value is ``DeepMLP``'s ``residual`` switch."""

N_TRAIN, N_TEST, IN_FEATURES, N_CLASSES = 2048, 1024, 16, 4
"""Size of the teacher task: training and test examples, input features, classes."""

LESION_SETTINGS = dict(depth=8, width=32, norm="batch", steps=40, lr=1e-2)
"""The notebook's nets: 8 blocks of width 32 with BatchNorm (as the ResNets of Veit et al.),
40 Adam steps at learning rate 0.01. The explorer reuses the nets trained with these."""


@dataclass
class LesionResult:
    """Test errors (fraction of misclassified test examples, 0..1) with blocks deleted.

    For each label of :data:`LESION_NETS`: ``baseline[label]`` ``(n_seeds,)`` is the intact net;
    ``single[label]`` ``(n_seeds, depth)`` has block ``i`` deleted in column ``i``;
    ``k_deleted[label]`` ``(n_seeds, depth + 1)`` is the mean over random sets of ``k`` deleted
    blocks in column ``k``. ``majority_error`` ``(n_seeds,)`` is the error of always answering
    the most common class of the seed's test set (the level of guessing).
    """

    depth: int
    baseline: dict[str, np.ndarray]
    single: dict[str, np.ndarray]
    k_deleted: dict[str, np.ndarray]
    majority_error: np.ndarray

    def single_increase(self, label: str) -> np.ndarray:
        """Error with one block deleted minus the intact error: ``(n_seeds, depth)``."""
        return self.single[label] - self.baseline[label][:, None]


def lesion_data(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(x_train, y_train, x_test, y_test)`` of the teacher task drawn with ``seed`` (teacher and data)."""
    seed = check_int("seed", seed, minimum=0)
    return _lesion_data(seed)


@functools.lru_cache(maxsize=8)
def _lesion_data(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    x, y = teacher_classification(N_TRAIN + N_TEST, IN_FEATURES, N_CLASSES, seed=seed)
    return x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]


def trained_lesion_nets(seed: int, *, depth: int = 8, width: int = 32, norm: str | None = "batch",
                        steps: int = 40, lr: float = 1e-2, batch_size: int = 256) -> dict[str, DeepMLP]:
    """The residual and the plain :class:`DeepMLP` trained with ``seed`` (cached: same call, same nets).

    Both learn the task :func:`lesion_data` of ``seed``, start from ``torch.manual_seed(seed)``
    and see the same mini-batches, drawn with a generator seeded by ``seed`` (Adam, ``steps``
    steps at learning rate ``lr``). Returned in eval mode; do not train them further.
    """
    seed = check_int("seed", seed, minimum=0)
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    check_choice("norm", norm, (None,) + NORM_NAMES)
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    return _train_lesion_nets(seed, depth, width, norm, steps, lr, batch_size)


@functools.lru_cache(maxsize=16)
def _train_lesion_nets(seed, depth, width, norm, steps, lr, batch_size) -> dict[str, DeepMLP]:
    x_train, y_train, _, _ = lesion_data(seed)
    nets = {}
    for label, residual in LESION_NETS.items():
        torch.manual_seed(seed)
        net = DeepMLP(depth, width, in_features=IN_FEATURES, out_features=N_CLASSES,
                      residual=residual, norm=norm)
        order = torch.Generator().manual_seed(seed)

        def batches(step, order=order):
            index = torch.randint(N_TRAIN, (batch_size,), generator=order)
            return x_train[index], y_train[index]

        train(net, batches, steps=steps, lr=lr, fused=True)
        nets[label] = net.eval()
    return nets


def lesion_error(model: DeepMLP, x: torch.Tensor, y: torch.Tensor, deleted: Iterable[int] = ()) -> float:
    """Fraction of ``(x, y)`` that ``model`` misclassifies with the blocks ``deleted`` skipped.

    ``deleted`` holds 0-based block indices; a deleted block passes its input on unchanged.
    """
    if not isinstance(model, DeepMLP):
        raise TypeError(tr("model must be a resnorm.models.DeepMLP; got {type_name}", type_name=type(model).__name__))
    depth = len(model.blocks)
    deleted = set(deleted)
    for i in deleted:
        check_int("deleted block", i, minimum=0, maximum=depth - 1)
    model.eval()
    with torch.no_grad():
        h = model.stem(x)
        for i, block in enumerate(model.blocks):
            if i not in deleted:
                h = block(h)
        wrong = model.head(h).argmax(dim=1) != y
    return float(wrong.float().mean())


def path_length_counts(n_blocks: int) -> np.ndarray:
    """Number of input-to-output paths of each length ``k = 0..n_blocks`` in ``n_blocks`` residual blocks.

    Each block is either passed through its branch or skipped, so there are ``2**n`` paths and
    ``binomial(n, k)`` of them go through exactly ``k`` branches (Veit et al. 2016, Sec. 3).
    """
    n_blocks = check_int("n_blocks", n_blocks, minimum=0)
    return np.array([comb(n_blocks, k) for k in range(n_blocks + 1)])


def run_lesion(*, depth: int = 8, width: int = 32, norm: str | None = "batch", steps: int = 40,
               lr: float = 1e-2, seeds=range(3), n_subsets: int = 5) -> LesionResult:
    """Train both nets per seed, then delete each block alone and ``k`` random blocks at a time.

    For each ``k`` in ``1..depth-1`` the error is averaged over ``n_subsets`` random sets of
    blocks (drawn with a generator seeded by the seed); ``k = 0`` and ``k = depth`` have one set.
    Each seed has its own task, nets and test set (see :func:`trained_lesion_nets`). A progress
    bar counts the seeds.
    """
    seeds = check_seeds("seeds", seeds)
    n_subsets = check_int("n_subsets", n_subsets, minimum=1)
    baseline = {label: [] for label in LESION_NETS}
    single = {label: [] for label in LESION_NETS}
    k_deleted = {label: [] for label in LESION_NETS}
    majority_error = []
    for seed in progress(seeds, desc=tr("seeds (train, then delete blocks)")):
        _, _, x_test, y_test = lesion_data(seed)
        majority_error.append(1 - float(torch.bincount(y_test).max()) / len(y_test))
        nets = trained_lesion_nets(seed, depth=depth, width=width, norm=norm, steps=steps, lr=lr)
        choose = np.random.default_rng(seed)
        subsets = [[()]] + [
            [tuple(choose.choice(depth, size=k, replace=False)) for _ in range(n_subsets)]
            for k in range(1, depth)
        ] + [[tuple(range(depth))]]
        for label, net in nets.items():
            baseline[label].append(lesion_error(net, x_test, y_test))
            single[label].append([lesion_error(net, x_test, y_test, (i,)) for i in range(depth)])
            k_deleted[label].append(
                [np.mean([lesion_error(net, x_test, y_test, s) for s in sets]) for sets in subsets]
            )
    as_arrays = lambda values: {label: np.array(v) for label, v in values.items()}
    return LesionResult(depth, as_arrays(baseline), as_arrays(single), as_arrays(k_deleted),
                        np.array(majority_error))

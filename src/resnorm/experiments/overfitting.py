"""Do residual connections make a network overfit? Plain vs residual MLPs of identical size, noisy labels.

The claim under test (the interview text): residual connections add parameters, so they make
overfitting more likely. Identity shortcuts add no parameter (the two models here have exactly
the same parameter count, checked), so any difference in overfitting has another cause.

Setting: a small training set of :func:`resnorm.data.teacher_classification` with a fraction of
its labels replaced by random ones (label noise, which an over-fitting model memorises), a large
clean test set, full-batch Adam long enough for both models to fit the training set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_float, check_int, check_seeds
from ..data import teacher_classification
from ..i18n import N_
from ..models import DeepMLP
from ..stacked import train_stacked

CONFIGS = {N_("plain"): dict(residual=False), N_("plain, He init"): dict(residual=False, init="he"),
           N_("residual"): dict(residual=True)}
"""The models compared, as :class:`DeepMLP` keyword arguments: plain and residual at PyTorch's
default initialisation, and the plain net with He initialisation (the ablation that separates the
shortcut from a better-scaled start)."""


@dataclass
class OverfittingResult:
    """Per model label: ``train_accuracy``/``test_accuracy`` ``(n_seeds,)`` (fractions; train on
    the noisy labels the model was trained on, test on clean labels), ``n_parameters`` (int) and
    ``noise_memorised`` ``(n_seeds,)``: fraction of the corrupted training labels (those that differ
    from the teacher's) that the model reproduces."""

    train_accuracy: dict[str, np.ndarray]
    test_accuracy: dict[str, np.ndarray]
    noise_memorised: dict[str, np.ndarray]
    n_parameters: dict[str, int]

    def gap(self, label: str) -> np.ndarray:
        """Generalisation gap per seed: training minus test accuracy, ``(n_seeds,)``."""
        return self.train_accuracy[label] - self.test_accuracy[label]


def noisy_split(n_train: int, n_test: int, *, in_features: int = 16, n_classes: int = 4,
                label_noise: float = 0.25, seed: int = 0):
    """Training and test sets from one teacher; a ``label_noise`` fraction of the training labels
    is replaced by uniformly random classes (so about ``1 / n_classes`` of those keep their true
    class by chance).

    Returns ``x_train, y_train, x_test, y_test, corrupted`` (``corrupted``: bool ``(n_train,)``,
    the examples whose training label differs from the teacher's).
    """
    n_train = check_int("n_train", n_train, minimum=1)
    n_test = check_int("n_test", n_test, minimum=1)
    label_noise = check_float("label_noise", label_noise, minimum=0.0, maximum=1.0)
    x, y = teacher_classification(n_train + n_test, in_features, n_classes, seed=seed)
    g = torch.Generator().manual_seed(seed + 1000)
    flipped = torch.rand(n_train, generator=g) < label_noise
    y_train = y[:n_train].clone()
    y_train[flipped] = torch.randint(n_classes, (int(flipped.sum()),), generator=g)
    return x[:n_train], y_train, x[n_train:], y[n_train:], y_train != y[:n_train]


def run_overfitting(*, depth: int = 4, width: int = 64, n_train: int = 128, n_test: int = 2000,
                    label_noise: float = 0.25, steps: int = 150, lr: float = 3e-3,
                    seeds=range(5)) -> OverfittingResult:
    """Train each model of :data:`CONFIGS` (a :class:`DeepMLP`, 16 inputs, 4 classes) on :func:`noisy_split`.

    Per seed, every model starts from ``torch.manual_seed(seed)`` and sees the same data; training
    is full-batch Adam for ``steps`` steps (cross-entropy, nats), the seeds of one model side by
    side (:func:`resnorm.stacked.train_stacked`).
    """
    seeds = check_seeds("seeds", seeds)
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    splits = [noisy_split(n_train, n_test, label_noise=label_noise, seed=seed) for seed in seeds]
    x, y, x_test, y_test, corrupted = (torch.stack(tensors) for tensors in zip(*splits))
    train_acc, test_acc, memorised, n_parameters = {}, {}, {}, {}
    for label, kwargs in CONFIGS.items():
        models = []
        for seed in seeds:
            torch.manual_seed(seed)
            models.append(DeepMLP(depth, width, in_features=16, out_features=4, **kwargs))
        n_parameters[label] = sum(p.numel() for p in models[0].parameters())
        train_stacked(models, lambda step: (x, y), steps=steps, lr=lr)
        with torch.no_grad():
            predicted = torch.stack([model.eval()(x[k]).argmax(1) for k, model in enumerate(models)])
            predicted_test = torch.stack([model(x_test[k]).argmax(1) for k, model in enumerate(models)])
        train_acc[label] = (predicted == y).float().mean(1).double().numpy()
        test_acc[label] = (predicted_test == y_test).float().mean(1).double().numpy()
        memorised[label] = np.array([(predicted[k][corrupted[k]] == y[k][corrupted[k]]).float().mean().item()
                                     for k in range(len(seeds))])
    return OverfittingResult(train_acc, test_acc, memorised, n_parameters)

"""The degradation problem (He et al. 2016, Fig. 1 and 4): a deeper plain net trains worse.

Several :class:`~resnorm.models.DeepMLP` configurations are trained on the same seeded teacher
task with the same mini-batches; the result is every run's training loss after every step, so a
figure can show the median and the spread over seeds and a claim can compare the final losses
seed by seed. As in He et al., every net has batch normalization. He et al. checked that their
plain BatchNorm nets had healthy gradients; these small MLPs do not: the gradient of a deep plain
BatchNorm net *grows* towards the input at initialisation, which :func:`initial_gradient_ratio`
measures. :data:`LAYERNORM_ABLATION`, the plain nets with LayerNorm, is the ablation without
that explosion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import teacher_classification
from ..i18n import N_, tr
from ..models import DeepMLP
from ..norms import to_torch_norms
from ..progress import progress
from ..training import OPTIMIZERS, train

DEGRADATION_CONFIGS = {
    N_("plain, 3 blocks"): dict(depth=3, norm="batch"),
    N_("plain, 15 blocks"): dict(depth=15, norm="batch"),
    N_("residual, 15 blocks"): dict(depth=15, residual=True, norm="batch"),
}
"""The nets of notebook 01's degradation experiment: ``DeepMLP`` keyword arguments (with ``depth``).

Every block has two linear layers, so 3 and 15 blocks are 6 and 30 linear layers."""

LAYERNORM_ABLATION = {
    N_("plain, 3 blocks, LayerNorm"): dict(depth=3, norm="layer"),
    N_("plain, 15 blocks, LayerNorm"): dict(depth=15, norm="layer"),
}
"""The plain nets of :data:`DEGRADATION_CONFIGS` with LayerNorm instead of BatchNorm: their
gradient does not explode at initialisation, so they test whether degradation needs that explosion."""


@dataclass
class TrainingCurves:
    """``losses[label]`` has shape ``(n_seeds, steps)``: the mini-batch training loss (nats) after each step.

    A run that diverged has ``NaN`` from the step it diverged at.
    """

    losses: dict[str, np.ndarray]

    def final(self, label: str, window: int = 20) -> np.ndarray:
        """Per seed, the mean training loss over the last ``window`` steps: ``(n_seeds,)``.

        Averaging a window smooths the noise of single mini-batches; ``NaN`` if the run diverged.
        """
        if label not in self.losses:
            raise ValueError(tr("label must be one of {choices}; got {label!r}",
                                choices=', '.join(map(repr, self.losses)), label=label))
        losses = self.losses[label]
        window = check_int("window", window, minimum=1, maximum=losses.shape[1])
        return losses[:, -window:].mean(axis=1)

    def merged(self, other: TrainingCurves) -> TrainingCurves:
        """A new result with the curves of both (labels must not overlap)."""
        overlap = set(self.losses) & set(other.losses)
        if overlap:
            raise ValueError(tr("other must not repeat a label; both have {overlap}", overlap=sorted(overlap)))
        return TrainingCurves({**self.losses, **other.losses})


def minibatches(x: torch.Tensor, y: torch.Tensor, *, batch_size: int, steps: int, seed: int):
    """A function ``step -> (inputs, targets)`` walking through seeded shuffles of ``(x, y)``.

    Each epoch is a fresh permutation drawn from a generator seeded with ``seed``, so two nets
    trained with the same seed see exactly the same mini-batches in the same order.
    """
    n = len(x)
    batch_size = check_int("batch_size", batch_size, minimum=1, maximum=n)
    steps = check_int("steps", steps, minimum=1)
    generator = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    order = torch.cat([torch.randperm(n, generator=generator)[: per_epoch * batch_size] for _ in range(epochs)])

    def batch(step: int) -> tuple[torch.Tensor, torch.Tensor]:
        index = order[step * batch_size:(step + 1) * batch_size]
        return x[index], y[index]

    return batch


def initial_gradient_ratio(
    configs: Mapping[str, Mapping] = DEGRADATION_CONFIGS,
    *,
    width: int = 32,
    n_samples: int = 4096,
    batch_size: int = 128,
    in_features: int = 16,
    n_classes: int = 4,
    seeds=range(3),
) -> dict[str, np.ndarray]:
    """Per configuration and seed, ``||dL/dh||`` at the first block's output over the last block's, at step 0.

    The nets, data set and first mini-batch are exactly those of :func:`run_degradation` with
    the same arguments (``configs`` with ``depth``), before any update: far above 1 means the
    gradient explodes towards the input, far below 1 that it vanishes. Returns ``label ->
    (n_seeds,)``. ``dL/dh`` is the backpropagated gradient of the cross-entropy (nats) of the
    first mini-batch, its L2 norm over the batch.
    """
    _check_configs(configs)
    width = check_int("width", width, minimum=1)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2, maximum=n_samples)
    seeds = check_seeds("seeds", seeds)
    ratios: dict[str, list[float]] = {label: [] for label in configs}
    for seed in seeds:
        x, y = teacher_classification(n_samples, in_features, n_classes, seed=seed)
        inputs, targets = minibatches(x, y, batch_size=batch_size, steps=1, seed=seed)(0)
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = DeepMLP(width=width, in_features=in_features, out_features=n_classes, **kwargs)
            states = model.hidden_states(inputs)
            for state in states:
                state.retain_grad()
            F.cross_entropy(model.head(states[-1]), targets).backward()
            ratios[label].append((states[1].grad.double().norm() / states[-1].grad.double().norm()).item())
    return {label: np.array(v) for label, v in ratios.items()}


def _check_configs(configs) -> None:
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    for label, kwargs in configs.items():
        if "depth" not in kwargs:
            raise ValueError(tr("configs[{label!r}] must give a depth, e.g. dict(depth=15, norm='batch')",
                                label=label))


def run_degradation(
    configs: Mapping[str, Mapping] = DEGRADATION_CONFIGS,
    *,
    steps: int = 30,
    lr: float = 1e-2,
    optimizer: str = "adam",
    width: int = 32,
    n_samples: int = 4096,
    batch_size: int = 128,
    in_features: int = 16,
    n_classes: int = 4,
    seeds=range(3),
) -> TrainingCurves:
    """Train each configuration once per seed on ``teacher_classification`` and record the losses.

    ``configs`` maps a label to ``DeepMLP`` keyword arguments that include ``depth``. For a seed,
    the data set (``n_samples`` examples, ``in_features`` inputs, ``n_classes`` classes), the
    initialisation and the mini-batch order are the same for every configuration. The optimizer
    runs fused (see :func:`~resnorm.training.train`) and LayerNorms run as ``torch.nn.LayerNorm``
    (:func:`~resnorm.norms.to_torch_norms`, the same function); a progress bar counts the runs.
    """
    _check_configs(configs)
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    check_choice("optimizer", optimizer, OPTIMIZERS)
    width = check_int("width", width, minimum=1)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2, maximum=n_samples)
    seeds = check_seeds("seeds", seeds)
    losses: dict[str, list[np.ndarray]] = {label: [] for label in configs}
    runs = [(seed, label) for seed in seeds for label in configs]
    data = {}
    for seed, label in progress(runs, desc=tr("training runs")):
        if seed not in data:
            data[seed] = teacher_classification(n_samples, in_features, n_classes, seed=seed)
        x, y = data[seed]
        torch.manual_seed(seed)
        model = DeepMLP(width=width, in_features=in_features, out_features=n_classes, **configs[label])
        to_torch_norms(model)  # the same function as resnorm's LayerNorm, in one fused operation
        batches = minibatches(x, y, batch_size=batch_size, steps=steps, seed=seed)
        result = train(model, batches, steps=steps, lr=lr, optimizer=optimizer, fused=True)
        losses[label].append(result.losses)
    return TrainingCurves({label: np.stack(v) for label, v in losses.items()})

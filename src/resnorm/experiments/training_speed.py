"""Does a residual connection (or a LayerNorm) make training faster? Loss per step of deep MLPs.

"Faster" has two parts: how many steps a model needs to reach a given loss
(:func:`run_training_speed`), and how long each step takes (:func:`step_time_ratio`, the same
models, width, depth and batch size). A model wins in compute time only if it saves more steps
than its per-step overhead costs.

:data:`SPEED_CONFIGS` adds to the four nets of :data:`~resnorm.experiments.gradient_flow.FOUR_WAYS`
(PyTorch's default initialisation) a plain net with He initialisation: the ablation that separates
what a shortcut or a norm does from what it repairs of a badly scaled initialisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_float, check_int, check_seeds
from ..data import teacher_classification
from ..i18n import N_, tr
from ..models import DeepMLP
from ..progress import progress
from ..stacked import stack_batches, train_stacked
from .cost import time_forward_backward, use_torch_norms
from .gradient_flow import FOUR_WAYS

SPEED_CONFIGS = {**FOUR_WAYS, N_("plain, He init"): dict(init="he")}
"""The nets of the training-speed comparison (:class:`DeepMLP` keyword arguments by label): the four of
``FOUR_WAYS`` at PyTorch's default initialisation, and the plain net with ``init="he"``."""


@dataclass
class TrainingSpeedResult:
    """``losses[label]``: ``(n_seeds, steps)`` training loss (nats) after each step."""

    losses: dict[str, np.ndarray]
    window: int

    def smoothed(self, label: str) -> np.ndarray:
        """Running mean of the loss over the last ``window`` steps: ``(n_seeds, steps)``."""
        losses = self.losses[label]
        cumulative = np.cumsum(losses, axis=1)
        out = np.empty_like(losses)
        for t in range(losses.shape[1]):
            lo = max(0, t - self.window + 1)
            out[:, t] = (cumulative[:, t] - (cumulative[:, lo - 1] if lo else 0)) / (t - lo + 1)
        return out

    def final_loss(self, label: str) -> np.ndarray:
        """Mean loss of the last ``window`` steps, per seed: ``(n_seeds,)``."""
        return self.smoothed(label)[:, -1]

    def steps_to_reach(self, label: str, target: np.ndarray) -> np.ndarray:
        """Per seed, the first step (1-based) at which the smoothed loss is <= ``target[seed]``;
        ``inf`` if it never gets there. ``target``: ``(n_seeds,)`` or a number."""
        smoothed = self.smoothed(label)
        target = np.broadcast_to(np.asarray(target, dtype=float), (smoothed.shape[0],))
        out = np.full(smoothed.shape[0], np.inf)
        for k in range(smoothed.shape[0]):
            hits = np.flatnonzero(smoothed[k] <= target[k])
            if hits.size:
                out[k] = hits[0] + 1
        return out


def run_training_speed(configs: Mapping[str, Mapping] = FOUR_WAYS, *, depth: int = 12, width: int = 32,
                       steps: int = 100, batch_size: int = 128, lr: float = 3e-3, n_samples: int = 4096,
                       window: int = 10, seeds=range(3)) -> TrainingSpeedResult:
    """Train each configuration of :class:`DeepMLP` (16 inputs, 4 classes) with Adam on minibatches
    of :func:`resnorm.data.teacher_classification` (``n_samples`` examples from ``seed``).

    Per seed, every configuration starts from ``torch.manual_seed(seed)`` and sees the same
    minibatches. ``window`` is the smoothing window of :class:`TrainingSpeedResult`. The seeds of
    one configuration are trained side by side (:func:`resnorm.stacked.train_stacked`).
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    seeds = check_seeds("seeds", seeds)
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    n_samples = check_int("n_samples", n_samples, minimum=1)
    window = check_int("window", window, minimum=1)
    data = [teacher_classification(n_samples, 16, 4, seed=seed) for seed in seeds]
    x, y = (torch.stack(tensors) for tensors in zip(*data))
    order = torch.stack([torch.randint(n_samples, (steps, batch_size), generator=torch.Generator().manual_seed(seed))
                         for seed in seeds])
    losses = {}
    for label in progress(configs, desc=tr("nets trained (all seeds at once)")):
        models = []
        for seed in seeds:
            torch.manual_seed(seed)
            models.append(DeepMLP(depth, width, in_features=16, out_features=4, **configs[label]))
        losses[label] = train_stacked(models, lambda step: stack_batches(x, y, index=order[:, step]),
                                      steps=steps, lr=lr).losses
    return TrainingSpeedResult(losses, window)


def step_time_ratio(configs: Mapping[str, Mapping] = FOUR_WAYS, *, depth: int = 12, width: int = 32,
                    batch_size: int = 128, reference: str = "plain", rounds: int = 5, repeats: int = 3,
                    fused: bool = True, seed: int = 0) -> dict[str, np.ndarray]:
    """Time of one forward + backward pass of each configuration, relative to ``reference``:
    ``{label: (rounds,)}`` ratios, for the models and batches of :func:`run_training_speed`
    (:class:`DeepMLP` with 16 inputs and 4 outputs; weights and a ``(batch_size, 16)`` input from
    ``seed``).

    Timed by :func:`resnorm.experiments.cost.time_forward_backward` (thread CPU time, the models
    taking turns, fastest of ``repeats`` per round). The optimiser's update is left out: it does
    about the same work for every configuration, so leaving it out can only make the ratios
    larger than those of a whole training step. With ``fused`` (the default) the norms are PyTorch's
    ``nn.LayerNorm`` / ``nn.RMSNorm`` (:func:`~resnorm.experiments.cost.use_torch_norms`), as a
    practitioner would use them; without, the course's from-scratch layers, which compute the same
    values with more, smaller operations.
    """
    if not isinstance(configs, Mapping) or reference not in configs:
        raise ValueError(tr("configs must be a mapping that contains the reference {reference!r}; got {got!r}",
                            reference=reference, got=list(configs) if isinstance(configs, Mapping) else configs))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if not isinstance(fused, bool):
        raise TypeError(tr("fused must be True or False; got {fused!r}", fused=fused))
    x = torch.randn(batch_size, 16, generator=torch.Generator().manual_seed(seed))
    models = {}
    for label, config in configs.items():
        torch.manual_seed(seed)
        model = DeepMLP(depth, width, in_features=16, out_features=4, **config)
        models[label] = use_torch_norms(model) if fused else model
    seconds = time_forward_backward(models, x, repeats=repeats, rounds=rounds)
    return {label: seconds[label] / seconds[reference] for label in configs}

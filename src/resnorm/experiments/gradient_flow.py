"""Gradient norm of every layer of a deep MLP at initialisation, for several configurations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_int, check_seeds
from ..measure import per_layer_grad_norms
from ..models import DeepMLP

FOUR_WAYS = {
    "plain": dict(),
    "plain + LayerNorm": dict(norm="layer"),
    "residual": dict(residual=True),
    "residual + LayerNorm": dict(residual=True, norm="layer"),
}
"""Two switches, four MLPs (``DeepMLP`` keyword arguments by label): the comparison notebooks 01,
02 and 04 run at several depths, for gradients, gradient noise and training speed."""


@dataclass
class PerLayerResult:
    """Per-layer values for several configurations.

    ``values[label]`` has shape ``(n_seeds, n_layers)``; column ``j`` is layer ``layer_names[j]``
    (input to output: the stem, each block's Linear, the head).
    """

    layer_names: list[str]
    values: dict[str, np.ndarray]

    def blocks(self, label: str) -> np.ndarray:
        """The columns of the hidden blocks only (stem and head dropped): ``(n_seeds, depth)``."""
        columns = [j for j, name in enumerate(self.layer_names) if name.startswith("blocks.")]
        return self.values[label][:, columns]

    def first_to_last_ratio(self, label: str) -> np.ndarray:
        """Per seed, the first block's value divided by the last block's: ``(n_seeds,)``.

        Far below 1 means the gradient vanishes on its way to the input; far above 1, it explodes.
        """
        blocks = self.blocks(label)
        return blocks[:, 0] / blocks[:, -1]


def mlp_grad_norms(
    configs: Mapping[str, Mapping],
    *,
    depth: int = 30,
    width: int = 64,
    seeds=range(5),
    batch_size: int = 128,
    n_classes: int = 10,
) -> PerLayerResult:
    """Per-layer weight-gradient norms of freshly initialised :class:`DeepMLP` models.

    ``configs`` maps a label to keyword arguments of :class:`DeepMLP` (``residual``, ``norm``,
    ``activation``, ...). For each seed, every configuration sees the same batch: standard normal
    inputs ``(batch_size, width)`` and uniform random labels in ``[0, n_classes)``; the loss is
    cross-entropy of the head's logits (nats), and one ``backward()`` gives the gradients.
    """
    return mlp_layer_stats(configs, depth=depth, width=width, seeds=seeds,
                           batch_size=batch_size, n_classes=n_classes).grads


@dataclass
class LayerStats:
    """Weight-gradient norms and hidden-state scales of the same models on the same batch.

    ``grads`` is what :func:`mlp_grad_norms` returns (layers ``stem``, ``blocks.i.linear``,
    ``head``). ``activations`` has one column per hidden state, ``stem`` then ``blocks.0`` ...
    ``blocks.{depth-1}`` (the output of each block); each value is the root mean square of
    that state over the batch and the width, in the units of the input (standard normal, RMS 1).
    """

    grads: PerLayerResult
    activations: PerLayerResult

    def activation_growth(self, label: str) -> np.ndarray:
        """Per seed, RMS of the last block's output divided by RMS of the stem's: ``(n_seeds,)``."""
        values = self.activations.values[label]
        return values[:, -1] / values[:, 0]


def mlp_layer_stats(
    configs: Mapping[str, Mapping],
    *,
    depth: int = 30,
    width: int = 64,
    seeds=range(5),
    batch_size: int = 128,
    n_classes: int = 10,
) -> LayerStats:
    """Like :func:`mlp_grad_norms` (same models, batches and gradients), plus each hidden state's RMS.

    One forward pass per model keeps the hidden states (``DeepMLP.hidden_states``), the head
    and a cross-entropy loss follow, and one ``backward()`` gives the gradients; so
    ``result.grads`` is what ``mlp_grad_norms(...)`` returns for the same arguments.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError("configs must be a non-empty mapping from a label to DeepMLP keyword arguments")
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    grads: dict[str, list[list[float]]] = {label: [] for label in configs}
    scales: dict[str, list[list[float]]] = {label: [] for label in configs}
    layer_names: list[str] = []
    for seed in seeds:
        data = torch.Generator().manual_seed(seed)
        x = torch.randn(batch_size, width, generator=data)
        y = torch.randint(n_classes, (batch_size,), generator=data)
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = DeepMLP(depth, width, out_features=n_classes, **kwargs)
            states = model.hidden_states(x)
            F.cross_entropy(model.head(states[-1]), y).backward()
            norms = per_layer_grad_norms(model)
            layer_names = list(norms)
            grads[label].append(list(norms.values()))
            scales[label].append(torch.stack([s.detach().pow(2).mean() for s in states]).sqrt().tolist())
    state_names = ["stem"] + [f"blocks.{i}" for i in range(depth)]
    return LayerStats(
        PerLayerResult(layer_names, {label: np.array(v) for label, v in grads.items()}),
        PerLayerResult(state_names, {label: np.array(v) for label, v in scales.items()}),
    )

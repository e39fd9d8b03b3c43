"""How the gradient and the signal of a deep MLP at initialisation change with its depth.

For each depth and configuration, one freshly initialised :class:`~resnorm.models.DeepMLP` per
seed gets one batch and one ``backward()`` (as in :mod:`resnorm.experiments.gradient_flow`), and
three numbers are kept: how much of the last block's gradient reaches the first block, how large
the last block's gradient is, and how much the hidden signal grew from the stem to the last block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_choice, check_int, check_seeds
from ..models import ACTIVATIONS, DeepMLP
from .gradient_flow import FOUR_WAYS, LayerStats, mlp_layer_stats

DEPTHS = (2, 5, 10, 20, 30, 50, 100)
"""Depths (number of hidden blocks) of the sweep in notebook 01."""


@dataclass
class DepthSweepResult:
    """Per configuration, arrays of shape ``(n_seeds, n_depths)``; column ``j`` is ``depths[j]``.

    - ``first_to_last[label]``: first block's weight-gradient norm / last block's (1 = no loss
      on the way to the input; far below 1 = vanishing; far above 1 = growing towards the input);
    - ``last_grad[label]``: the last block's weight-gradient norm (loss units per unit weight);
    - ``activation_growth[label]``: RMS of the last block's output / RMS of the stem's output.

    ``per_layer[depth]`` keeps the full per-layer measurement at each depth (a
    :class:`~resnorm.experiments.gradient_flow.LayerStats`).
    """

    depths: np.ndarray
    first_to_last: dict[str, np.ndarray]
    last_grad: dict[str, np.ndarray]
    activation_growth: dict[str, np.ndarray]
    per_layer: dict[int, LayerStats]

    def at_depth(self, depth: int) -> int:
        """Column index of ``depth``; a ``ValueError`` lists the depths that were run."""
        matches = np.flatnonzero(self.depths == depth)
        if not matches.size:
            raise ValueError(f"depth must be one of {', '.join(map(str, self.depths))}; got {depth!r}")
        return int(matches[0])


def run_depth_sweep(
    configs: Mapping[str, Mapping] = FOUR_WAYS,
    *,
    depths=DEPTHS,
    width: int = 64,
    seeds=range(3),
    batch_size: int = 128,
) -> DepthSweepResult:
    """Measure every configuration of ``configs`` at every depth of ``depths`` (each >= 2).

    ``configs`` maps a label to ``DeepMLP`` keyword arguments; each model sees standard normal
    inputs ``(batch_size, width)`` and random labels of 10 classes (cross-entropy, nats).
    """
    try:
        depths = tuple(depths)
    except TypeError:
        raise TypeError(f"depths must be a sequence of integers such as (2, 10, 30); got {depths!r}") from None
    if not depths:
        raise ValueError("depths must contain at least one depth; got an empty sequence")
    depths = tuple(check_int(f"depths[{i}]", d, minimum=2) for i, d in enumerate(depths))
    if len(set(depths)) != len(depths):
        raise ValueError(f"depths must not repeat a depth; got {depths}")
    seeds = check_seeds("seeds", seeds)
    ratio, last, growth = ({label: [] for label in configs} for _ in range(3))
    per_layer = {}
    for depth in depths:
        stats = mlp_layer_stats(configs, depth=depth, width=width, seeds=seeds, batch_size=batch_size)
        per_layer[depth] = stats
        for label in configs:
            blocks = stats.grads.blocks(label)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio[label].append(blocks[:, 0] / blocks[:, -1])
            last[label].append(blocks[:, -1])
            growth[label].append(stats.activation_growth(label))
    stack = lambda d: {label: np.stack(v, axis=1) for label, v in d.items()}  # noqa: E731
    return DepthSweepResult(np.array(depths), stack(ratio), stack(last), stack(growth), per_layer)


def stream_mean_share(activation: str = "relu", *, depth: int = 30, width: int = 64, seeds=range(3),
                      batch_size: int = 128) -> np.ndarray:
    """How much of a residual MLP's stream is one shared direction: ``(n_seeds,)`` fractions in [0, 1].

    For the output ``h`` (``batch x width``) of the last block of a freshly initialised
    ``DeepMLP(depth, width, residual=True, activation=activation)`` fed standard normal inputs,
    returns ``mean_j(mean_b(h)_j ** 2) / mean(h ** 2)``: the part of the mean square that is the
    batch mean, identical for every example. Near 1, the blocks keep adding the same vector.
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    shares = []
    for seed in seeds:
        x = torch.randn(batch_size, width, generator=torch.Generator().manual_seed(seed))
        torch.manual_seed(seed)
        model = DeepMLP(depth, width, residual=True, activation=activation)
        with torch.no_grad():
            h = model.hidden_states(x)[-1]
        shares.append((h.mean(0).pow(2).mean() / h.pow(2).mean()).item())
    return np.array(shares)

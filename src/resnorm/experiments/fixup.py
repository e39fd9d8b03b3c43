"""Fixup (Zhang, Dauphin & Ma 2019) at initialisation: a deep residual MLP with no norm at all.

With a standard (He) initialisation and no normalization, each residual block adds a branch as
large as its input, so the signal's size multiplies at every block. Fixup starts each branch at
exactly zero (its last layer is zero) and shrinks the branch's other layer with depth, so the
net starts as the identity; the zero layers still get a gradient and start learning at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_float, check_int, check_seeds
from ..optimizers import SGD
from ..reweighted import FIXUP_INITS, FixupMLP


@dataclass
class FixupResult:
    """Signal size per block and the gradient that reaches the zero-initialised layers.

    ``signal[init]`` ``(n_seeds, depth + 1)``: standard deviation of each hidden state (the stem
    output, then each block's output) divided by the stem output's. ``last_layer_grad``
    ``(n_seeds, 2, depth)``: with ``init="fixup"``, the norm of the loss gradient (cross-entropy,
    nats per unit weight) with respect to each block's zero-initialised ``linear2`` weight, at
    initialisation (``[:, 0]``) and after one plain gradient step (``[:, 1]``).
    """

    signal: dict[str, np.ndarray]
    last_layer_grad: np.ndarray


def run_fixup(depth: int = 16, width: int = 32, *, batch_size: int = 128, n_classes: int = 4,
              lr: float = 0.1, seeds=range(5)) -> FixupResult:
    """Build :class:`FixupMLP` with each init of :data:`FIXUP_INITS` per seed and measure at init.

    Inputs are standard normal ``(batch_size, width)`` with uniform random labels in
    ``[0, n_classes)``, drawn from a generator seeded by the seed. The step between the two
    gradient measurements is plain SGD with learning rate ``lr``.
    """
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    seeds = check_seeds("seeds", seeds)
    signal = {init: [] for init in FIXUP_INITS}
    grads = []
    for seed in seeds:
        data = torch.Generator().manual_seed(seed)
        x = torch.randn(batch_size, width, generator=data)
        y = torch.randint(n_classes, (batch_size,), generator=data)
        for init in FIXUP_INITS:
            torch.manual_seed(seed)
            model = FixupMLP(depth, width, out_features=n_classes, init=init)
            with torch.no_grad():
                states = model.hidden_states(x)
            stds = torch.stack([h.std() for h in states])
            signal[init].append((stds / stds[0]).numpy())
            if init == "fixup":
                grads.append(_last_layer_grads_before_and_after_one_step(model, x, y, lr))
    return FixupResult({init: np.array(v) for init, v in signal.items()}, np.array(grads))


def _last_layer_grads_before_and_after_one_step(model: FixupMLP, x, y, lr: float) -> list[list[float]]:
    optimizer = SGD(model.parameters(), lr=lr)
    norms = []
    for _ in range(2):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        norms.append([float(block.linear2.weight.grad.norm()) for block in model.blocks])
        optimizer.step()
    return norms

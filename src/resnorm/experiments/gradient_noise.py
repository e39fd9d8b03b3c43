"""Does LayerNorm "reduce the variance of the gradient"? Two readings of the claim, both measured.

1. Across mini-batches (sampling noise): how far one mini-batch's gradient is from the
   full-batch gradient, relative to the latter's size.
2. Across layers (scale): how unequal the layers' gradient norms are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_int, check_seeds
from ..data import teacher_classification
from ..measure import per_layer_grad_norms
from ..models import DeepMLP
from .gradient_flow import FOUR_WAYS


@dataclass
class GradientNoiseResult:
    """Per configuration, arrays of shape ``(n_seeds,)``, dimensionless.

    ``relative_noise``: mean over mini-batches of ``||g_B - g|| / ||g||``, with ``g_B`` a
    mini-batch gradient and ``g`` the full-batch one (all weights, flattened).
    ``layer_spread``: largest over smallest per-layer gradient norm of the hidden blocks, for the
    full-batch gradient.
    """

    relative_noise: dict[str, np.ndarray]
    layer_spread: dict[str, np.ndarray]


def _flat_grad(model: nn.Module) -> torch.Tensor:
    return torch.cat([m.weight.grad.flatten() for m in model.modules() if isinstance(m, nn.Linear)])


def run_gradient_noise(configs: Mapping[str, Mapping] = FOUR_WAYS, *, depth: int = 16, width: int = 32,
                       seeds=range(5), n_samples: int = 2048, batch_size: int = 32,
                       n_batches: int = 16) -> GradientNoiseResult:
    """Gradients at initialisation on a teacher classification task (16 inputs, 4 classes).

    For each seed: the data set (``teacher_classification(n_samples, seed=seed)``), the model's
    initial weights and the ``n_batches`` mini-batches of ``batch_size`` are the same for every
    configuration.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError("configs must be a non-empty mapping from a label to DeepMLP keyword arguments")
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2, maximum=n_samples)
    n_batches = check_int("n_batches", n_batches, minimum=2)
    noise = {label: [] for label in configs}
    spread = {label: [] for label in configs}
    for seed in seeds:
        x, y = teacher_classification(n_samples, 16, 4, seed=seed)
        g = torch.Generator().manual_seed(seed)
        batches = [torch.randint(n_samples, (batch_size,), generator=g) for _ in range(n_batches)]
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = DeepMLP(depth, width, in_features=16, out_features=4, **kwargs)
            F.cross_entropy(model(x), y).backward()
            full = _flat_grad(model).clone()
            layers = np.array([v for k, v in per_layer_grad_norms(model).items() if k.startswith("blocks.")])
            spread[label].append(layers.max() / layers.min())
            distances = []
            for idx in batches:
                model.zero_grad()
                F.cross_entropy(model(x[idx]), y[idx]).backward()
                distances.append((_flat_grad(model) - full).norm().item())
            noise[label].append(np.mean(distances) / full.norm().item())
    return GradientNoiseResult({k: np.array(v) for k, v in noise.items()},
                               {k: np.array(v) for k, v in spread.items()})

"""Activation and gradient scale through a deep MLP at initialisation, for each normalization.

In a plain net the norm sits on the only path (every block normalises its input); in a residual
net :class:`~resnorm.models.DeepMLP` puts it at the start of each branch (pre-norm), so the
residual stream itself is never normalised. The two placements do different things.

The gradient measured is the one a derivation through the blocks' Jacobians predicts: the
backpropagated gradient ``dL/dh`` of each hidden state ``h``, not a weight gradient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_int, check_seeds
from ..models import DeepMLP

NORM_CONFIGS = {
    **{
        f"{'residual' if residual else 'plain'}{'' if norm is None else ' + ' + label}":
            dict(residual=residual, norm=norm)
        for residual in (False, True)
        for norm, label in ((None, ""), ("layer", "LayerNorm"), ("rms", "RMSNorm"), ("batch", "BatchNorm"))
    },
    "residual, He init": dict(residual=True, init="he"),
    "residual + LayerNorm, He init": dict(residual=True, norm="layer", init="he"),
}
"""Ten :class:`DeepMLP` configurations by label: plain / residual, times no norm and the three
norms, at PyTorch's default initialisation (weak branches: ``Var f(h) / Var h ~ 1/18``); and the
residual net without and with LayerNorm at He initialisation, where each branch is as strong as
its input (``Var f(h) ~ Var h`` without a norm)."""

MEAN_REMOVAL_ABLATION = {
    **{f"LayerNorm, {act}": dict(norm="layer", activation=act) for act in ("relu", "tanh", "identity")},
    "LayerNorm, relu also ending the branch": dict(norm="layer", branch="act_before_addition"),
    **{f"BatchNorm, {act}": dict(norm="batch", activation=act) for act in ("relu", "tanh", "identity")},
}
"""Plain :class:`DeepMLP` configurations that tell apart what makes a plain normalised net's
gradient grow towards the input: which norm (statistics over an example's features, or over the
batch), which activation, and whether the norm's input is a ReLU output (He et al. 2016b's
"ReLU before addition" branch, ``branch="act_before_addition"``)."""

MEAN_REMOVAL_FACTOR = 1 / math.sqrt(1 - 1 / math.pi)
"""``1/sqrt(1 - 1/pi) ~ 1.21``: root mean square over standard deviation of ``relu(z)``, ``z`` a
centred Gaussian. A norm that subtracts the ReLU output's positive mean divides by the standard
deviation, and the gradient through it grows by this factor per block."""


@dataclass
class NormDepthResult:
    """Per-layer scale of activations and of the backpropagated gradient, per configuration.

    Both dicts map a label to ``(n_seeds, depth + 1)``: column 0 is the stem's output (the first
    block's input), column ``i`` the output of block ``i - 1``. ``activation_rms``: root mean
    square of that hidden state over the batch and the width (the input has RMS 1).
    ``state_grad_rms``: root mean square of ``dL/dh`` for that hidden state ``h`` (``L`` the mean
    cross-entropy, nats).
    """

    activation_rms: dict[str, np.ndarray]
    state_grad_rms: dict[str, np.ndarray]

    def growth(self, label: str) -> np.ndarray:
        """Per seed: RMS of the last block's output divided by that of the first block's."""
        rms = self.activation_rms[label]
        return rms[:, -1] / rms[:, 1]

    def grad_ratio(self, label: str) -> np.ndarray:
        """Per seed: RMS of ``dL/dh`` at the first block's input over that at the last block's output.

        Far below 1: the gradient vanishes on its way to the input; far above 1: it grows.
        """
        grad = self.state_grad_rms[label]
        return grad[:, 0] / grad[:, -1]

    def per_block(self, label: str) -> np.ndarray:
        """Per seed: the factor by which the gradient grows per block, ``grad_ratio ** (1/depth)``."""
        depth = self.state_grad_rms[label].shape[1] - 1
        return self.grad_ratio(label) ** (1 / depth)


def run_norm_depth(configs: Mapping[str, Mapping] = NORM_CONFIGS, *, depth: int = 30, width: int = 64,
                   seeds=range(5), batch_size: int = 128, n_classes: int = 10) -> NormDepthResult:
    """One forward and backward pass per configuration and seed, on the same batch per seed.

    ``configs`` maps a label to :class:`DeepMLP` keyword arguments. Per seed, the batch (inputs
    standard normal ``(batch_size, width)``, labels uniform in ``[0, n_classes)``) and the
    weights (``torch.manual_seed(seed)`` before building each model) come from that seed. The
    loss is the cross-entropy of the head's logits. BatchNorm uses batch statistics (train mode).
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError("configs must be a non-empty mapping from a label to DeepMLP keyword arguments")
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    scales: dict[str, list[list[float]]] = {label: [] for label in configs}
    grads: dict[str, list[list[float]]] = {label: [] for label in configs}
    for seed in seeds:
        data = torch.Generator().manual_seed(seed)
        x = torch.randn(batch_size, width, generator=data)
        y = torch.randint(n_classes, (batch_size,), generator=data)
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = DeepMLP(depth, width, out_features=n_classes, **kwargs)
            states = model.hidden_states(x)
            for state in states:
                state.retain_grad()
            F.cross_entropy(model.head(states[-1]), y).backward()
            scales[label].append([s.detach().pow(2).mean().sqrt().item() for s in states])
            grads[label].append([s.grad.pow(2).mean().sqrt().item() for s in states])
    return NormDepthResult({k: np.array(v) for k, v in scales.items()},
                           {k: np.array(v) for k, v in grads.items()})

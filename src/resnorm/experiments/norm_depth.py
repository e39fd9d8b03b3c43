"""Activation and gradient scale through a deep MLP at initialisation, for each normalization.

In a plain net the norm sits on the only path (every block normalises its input); in a residual
net :class:`~resnorm.models.DeepMLP` puts it at the start of each branch (pre-norm), so the
residual stream itself is never normalised. The two placements do different things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .gradient_flow import PerLayerResult, mlp_layer_stats

NORM_CONFIGS = {
    f"{'residual' if residual else 'plain'}{'' if norm is None else ' + ' + label}":
        dict(residual=residual, norm=norm)
    for residual in (False, True)
    for norm, label in ((None, ""), ("layer", "LayerNorm"), ("rms", "RMSNorm"), ("batch", "BatchNorm"))
}
"""Eight :class:`DeepMLP` configurations by label: plain / residual, times no norm and the three norms."""


@dataclass
class NormDepthResult:
    """Per-layer scale of activations and gradients.

    ``activation_rms[label]``: ``(n_seeds, depth + 1)``, the root-mean-square of the stem output
    and of each block's output (dimensionless, input has RMS 1). ``grads``: the weight-gradient
    norm of every Linear layer (stem, blocks, head), as in
    :func:`~resnorm.experiments.gradient_flow.mlp_grad_norms`.
    """

    activation_rms: dict[str, np.ndarray]
    grads: PerLayerResult

    def growth(self, label: str) -> np.ndarray:
        """Per seed: RMS of the last block's output divided by that of the first block's."""
        rms = self.activation_rms[label]
        return rms[:, -1] / rms[:, 1]


def run_norm_depth(configs: Mapping[str, Mapping] = NORM_CONFIGS, *, depth: int = 30, width: int = 64,
                   seeds=range(5), batch_size: int = 128, n_classes: int = 10) -> NormDepthResult:
    """One forward and backward pass per configuration and seed, on the same batch per seed.

    Inputs are standard normal ``(batch_size, width)``, labels uniform in ``[0, n_classes)``, the
    loss cross-entropy of the head's logits (nats). BatchNorm uses batch statistics (train mode).
    """
    stats = mlp_layer_stats(configs, depth=depth, width=width, seeds=seeds,
                            batch_size=batch_size, n_classes=n_classes)
    return NormDepthResult(dict(stats.activations.values), stats.grads)

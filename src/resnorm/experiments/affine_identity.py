"""What the gain ``gamma`` and bias ``beta`` can give back of what a normalization removed.

BatchNorm removes one mean and one scale per feature, shared by the batch: with
``gamma = sqrt(var + eps)`` and ``beta = mean`` of that batch it returns its input exactly (Ioffe
& Szegedy 2015, section 3: the inserted transform can represent the identity). LayerNorm removes
one mean and one scale per *example*; ``gamma`` and ``beta`` are per feature and shared by all
examples, so they cannot give each example its own mean and scale back. Measured: the best
per-feature ``gamma, beta`` (least squares) for each layer, on inputs whose examples differ in
mean and scale, and, as the ablation, on inputs whose examples share them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_int, check_seeds
from ..i18n import tr


@dataclass
class AffineIdentityResult:
    """Per seed ``(n_seeds,)``, dimensionless.

    ``batchnorm_error``: ``max |BN(x) - x| / max |x|`` for BatchNorm (train mode) with
    ``gamma = sqrt(batch var + eps)``, ``beta = batch mean``. ``layernorm_residual``: the part of
    ``x`` the best per-feature ``gamma, beta`` after LayerNorm cannot reproduce,
    ``||x - fit|| / ||x - feature means||``, on inputs whose examples differ in mean and scale;
    ``layernorm_residual_shared``: the same when every example has the same mean and scale.
    """

    batchnorm_error: np.ndarray
    layernorm_residual: np.ndarray
    layernorm_residual_shared: np.ndarray


def best_affine_fit(normalised: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """``gamma * normalised + beta`` closest to ``target`` (least squares), ``gamma, beta`` per feature.

    Both ``(batch, d)``; the fit is done column by column (one feature at a time), as a norm's
    gain and bias act. Returns the fitted ``(batch, d)`` tensor.
    """
    if normalised.shape != target.shape or normalised.dim() != 2:
        raise ValueError(tr("normalised and target must both have shape (batch, d); got {normalised_shape} and "
                            "{target_shape}",
                            normalised_shape=tuple(normalised.shape), target_shape=tuple(target.shape)))
    n_c = normalised - normalised.mean(0)
    t_c = target - target.mean(0)
    gamma = (n_c * t_c).sum(0) / n_c.pow(2).sum(0).clamp_min(torch.finfo(n_c.dtype).tiny)
    beta = target.mean(0) - gamma * normalised.mean(0)
    return gamma * normalised + beta


def _residual(layer: nn.Module, x: torch.Tensor) -> float:
    fit = best_affine_fit(layer(x), x)
    return ((x - fit).norm() / (x - x.mean(0)).norm()).item()


def run_affine_identity(seeds=range(3), *, d: int = 16, batch_size: int = 32) -> AffineIdentityResult:
    """Inputs ``x = a_i * z + b_i + m`` (``z`` standard normal ``(batch_size, d)``): each example
    ``i`` has its own scale ``a_i`` (uniform in [0.5, 2]) and shift ``b_i`` (standard normal), each
    feature its own offset ``m`` (standard normal). The ablation's input gives every example the
    same mean and scale, ``x = 1.7 * LN(z) + 0.7``. All from ``seed``."""
    seeds = check_seeds("seeds", seeds)
    d = check_int("d", d, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    out = {k: [] for k in ("bn", "ln", "shared")}
    for seed in seeds:
        g = torch.Generator().manual_seed(seed)
        z = torch.randn(batch_size, d, generator=g)
        a = 0.5 + 1.5 * torch.rand(batch_size, 1, generator=g)
        b = torch.randn(batch_size, 1, generator=g)
        m = torch.randn(d, generator=g)
        x = a * z + b + m
        bn = nn.BatchNorm1d(d)
        with torch.no_grad():
            bn.weight.copy_((x.var(0, correction=0) + bn.eps).sqrt())
            bn.bias.copy_(x.mean(0))
            out["bn"].append(((bn.train()(x) - x).abs().max() / x.abs().max()).item())
            ln = nn.LayerNorm(d, elementwise_affine=False)
            out["ln"].append(_residual(ln, x))
            shared = 1.7 * ln(z) + 0.7
            out["shared"].append(_residual(ln, shared))
    return AffineIdentityResult(*(np.array(out[k]) for k in ("bn", "ln", "shared")))

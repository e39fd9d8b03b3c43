"""The source text's LayerNorm (unbiased variance) against the true one: a scale error of sqrt((d-1)/d)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_int, check_seeds
from ..i18n import tr
from ..norms import LayerNorm, SourceLayerNorm


@dataclass
class SourceLayerNormResult:
    """How far the source's LayerNorm is from ``torch.nn.LayerNorm``, per width.

    ``relative_error`` ``(n_dims, n_seeds)``: ``||source(x) - LN(x)|| / ||LN(x)||`` (both with
    gain 1, bias 0, ``eps=1e-5``); ``predicted`` ``(n_dims,)``: ``1 - sqrt((d - 1) / d)``;
    ``allclose`` ``(n_dims, n_seeds)``: ``torch.allclose(source(x), nn.LayerNorm(d)(x))`` with its
    default tolerances (``rtol=1e-5``, ``atol=1e-8``).
    ``d1_source`` and ``d1_ours`` ``(batch_size,)``: the outputs for a single feature (``d = 1``).
    """

    dims: np.ndarray
    relative_error: np.ndarray
    predicted: np.ndarray
    allclose: np.ndarray
    d1_source: np.ndarray
    d1_ours: np.ndarray


def unbiased_scale(d: int) -> float:
    """``sqrt((d - 1) / d)``: the factor by which the unbiased-variance version shrinks the output."""
    d = check_int("d", d, minimum=1)
    return math.sqrt((d - 1) / d)


def run_source_layernorm(dims=(8, 64, 512), seeds=range(3), *, batch_size: int = 32) -> SourceLayerNormResult:
    """Feed the same standard normal batch ``(batch_size, d)`` to both versions, for each width.

    PyTorch warns that ``var()`` of one value has no degrees of freedom; the ``d = 1`` case
    silences that warning because the NaN it produces is the point being shown.
    """
    dims = tuple(check_int(f"dims[{i}]", d, minimum=2) for i, d in enumerate(dims))
    if not dims:
        raise ValueError(tr("dims must contain at least one width >= 2; got an empty sequence"))
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    error = np.zeros((len(dims), len(seeds)))
    close = np.zeros((len(dims), len(seeds)), dtype=bool)
    with torch.no_grad():
        for j, d in enumerate(dims):
            for k, seed in enumerate(seeds):
                x = torch.randn(batch_size, d, generator=torch.Generator().manual_seed(seed))
                source, true = SourceLayerNorm(d)(x), nn.LayerNorm(d)(x)
                error[j, k] = ((source - true).norm() / true.norm()).item()
                close[j, k] = torch.allclose(source, true)
        x1 = torch.randn(batch_size, 1, generator=torch.Generator().manual_seed(seeds[0]))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"var\(\): degrees of freedom")
            d1_source = SourceLayerNorm(1)(x1).flatten().numpy()
        d1_ours = LayerNorm(1)(x1).flatten().numpy()
    predicted = np.array([1 - unbiased_scale(d) for d in dims])
    return SourceLayerNormResult(np.array(dims), error, predicted, close, d1_source, d1_ours)

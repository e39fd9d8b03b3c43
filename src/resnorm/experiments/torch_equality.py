"""Our from-scratch norms against PyTorch's own modules: largest differences, forward and backward."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_int, check_seeds
from ..i18n import tr
from ..norms import LayerNorm, RMSNorm, SourceLayerNorm

PAIRS = {
    "LayerNorm vs nn.LayerNorm": (LayerNorm, nn.LayerNorm),
    "RMSNorm vs nn.RMSNorm": (RMSNorm, nn.RMSNorm),
    "SourceLayerNorm vs nn.LayerNorm": (SourceLayerNorm, nn.LayerNorm),
}
"""The compared pairs, by label: (our module class, PyTorch's module class)."""


@dataclass
class TorchEqualityResult:
    """Largest absolute differences between our module and PyTorch's, per pair, width and seed.

    Every array has shape ``(n_pairs, n_dims, n_seeds)``; row ``i`` is pair ``labels[i]``, column
    ``j`` the width ``dims[j]``. ``forward``: outputs; ``input_grad``: ``dL/dx``; ``param_grad``:
    gradients of the gain and bias (largest of the two). ``allclose``: ``torch.allclose`` of the
    outputs with its default tolerances (``rtol=1e-5, atol=1e-8``).
    """

    labels: list[str]
    dims: np.ndarray
    forward: np.ndarray
    input_grad: np.ndarray
    param_grad: np.ndarray
    allclose: np.ndarray

    def worst(self, label: str) -> dict[str, float]:
        """The largest difference over widths and seeds, for outputs, input and parameter gradients."""
        i = self.labels.index(label)
        return {"forward": float(self.forward[i].max()), "input_grad": float(self.input_grad[i].max()),
                "param_grad": float(self.param_grad[i].max())}


def _copy_affine(ours: nn.Module, theirs: nn.Module, generator: torch.Generator) -> None:
    """Give both modules the same random gain (and bias, if any)."""
    gain = getattr(ours, "weight", None)
    if gain is None:  # SourceLayerNorm names them gamma and beta
        gain, bias = ours.gamma, ours.beta
    else:
        bias = getattr(ours, "bias", None)
    with torch.no_grad():
        gain.copy_(1 + 0.5 * torch.randn(gain.shape, generator=generator))
        theirs.weight.copy_(gain)
        if bias is not None:
            bias.copy_(0.5 * torch.randn(bias.shape, generator=generator))
            theirs.bias.copy_(bias)


def _run(module: nn.Module, x: torch.Tensor, upstream: torch.Tensor):
    x = x.clone().requires_grad_(True)
    out = module(x)
    out.backward(upstream)
    params = [p.grad for p in module.parameters()]
    return out.detach(), x.grad, params


def run_torch_equality(dims=(8, 64, 512), seeds=range(3), *, batch_size: int = 16) -> TorchEqualityResult:
    """Compare each pair of :data:`PAIRS` on the same inputs, gains, biases and upstream gradient.

    Input ``x`` of shape ``(batch_size, d)`` is ``3 * N(0, 1) + 2`` (not already normalised),
    the gain ``1 + 0.5 N(0, 1)``, the bias ``0.5 N(0, 1)``, and the backward pass gets a standard
    normal upstream gradient. Both modules use their default ``eps`` (``1e-5`` for the layer norms,
    ``1e-6`` for RMSNorm, passed to ``nn.RMSNorm`` explicitly because its default is different).
    """
    dims = tuple(check_int(f"dims[{i}]", d, minimum=2) for i, d in enumerate(dims))
    if not dims:
        raise ValueError(tr("dims must contain at least one width >= 2; got an empty sequence"))
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    shape = (len(PAIRS), len(dims), len(seeds))
    forward, input_grad, param_grad = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    allclose = np.zeros(shape, dtype=bool)
    for i, (ours_class, theirs_class) in enumerate(PAIRS.values()):
        for j, d in enumerate(dims):
            for k, seed in enumerate(seeds):
                g = torch.Generator().manual_seed(seed)
                ours = ours_class(d)
                theirs = theirs_class(d, eps=1e-6) if theirs_class is nn.RMSNorm else theirs_class(d)
                _copy_affine(ours, theirs, g)
                x = 3 * torch.randn(batch_size, d, generator=g) + 2
                upstream = torch.randn(batch_size, d, generator=g)
                out_a, gx_a, gp_a = _run(ours, x, upstream)
                out_b, gx_b, gp_b = _run(theirs, x, upstream)
                forward[i, j, k] = (out_a - out_b).abs().max().item()
                input_grad[i, j, k] = (gx_a - gx_b).abs().max().item()
                param_grad[i, j, k] = max((a - b).abs().max().item() for a, b in zip(gp_a, gp_b))
                allclose[i, j, k] = torch.allclose(out_a, out_b)
    return TorchEqualityResult(list(PAIRS), np.array(dims), forward, input_grad, param_grad, allclose)

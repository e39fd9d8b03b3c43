"""What ``eps`` in ``sqrt(var + eps)`` does: it bounds the gradient and squashes tiny-scale inputs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_float, check_int, check_seeds
from ..i18n import tr
from ..norms import LayerNorm


@dataclass
class EpsResult:
    """LayerNorm outputs and input gradients as the input's scale shrinks, for several ``eps``.

    ``output_std`` and ``input_grad`` have shape ``(n_eps, n_scales, n_seeds)``: the median over
    examples of the per-example standard deviation of the output (dimensionless; 1 means fully
    normalised) and of ``||dL/dx||`` for one example (per unit of input), with
    ``L = sum(output * r)`` for a fixed standard normal ``r``. ``constant_input_finite[i]`` says
    whether a constant input vector (zero variance) gives a finite output with ``eps_values[i]``.
    """

    scales: np.ndarray
    eps_values: np.ndarray
    output_std: np.ndarray
    input_grad: np.ndarray
    constant_input_finite: np.ndarray

    def at(self, field: str, eps: float, scale: float) -> np.ndarray:
        """``field`` (``"output_std"`` or ``"input_grad"``) over seeds at the given ``eps`` and scale."""
        i = int(np.flatnonzero(np.isclose(self.eps_values, eps, rtol=1e-9, atol=0))[0])
        j = int(np.argmin(np.abs(np.log(self.scales) - np.log(scale))))
        return getattr(self, field)[i, j]


def run_layernorm_eps(scales=tuple(np.logspace(-6, 2, 17)), eps_values=(0.0, 1e-5, 1e-3),
                      seeds=range(3), *, d: int = 64, batch_size: int = 32) -> EpsResult:
    """Normalise ``scale * z + 1`` for standard normal ``z`` of shape ``(batch_size, d)``.

    The shift 1 is removed by the mean; what is left is a vector of standard deviation ``scale``.
    """
    scales = np.array([check_float(f"scales[{i}]", s, minimum=0.0, strict_minimum=True)
                       for i, s in enumerate(scales)])
    eps_values = np.array([check_float(f"eps_values[{i}]", e, minimum=0.0) for i, e in enumerate(eps_values)])
    if scales.size == 0 or eps_values.size == 0:
        raise ValueError(tr("scales and eps_values must each contain at least one value"))
    seeds = check_seeds("seeds", seeds)
    d = check_int("d", d, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    shape = (eps_values.size, scales.size, len(seeds))
    output_std, input_grad = np.zeros(shape), np.zeros(shape)
    for i, eps in enumerate(eps_values):
        norm = LayerNorm(d, eps=float(eps))
        for k, seed in enumerate(seeds):
            g = torch.Generator().manual_seed(seed)
            z = torch.randn(batch_size, d, generator=g)
            r = torch.randn(batch_size, d, generator=g)
            for j, scale in enumerate(scales):
                x = (float(scale) * z + 1).requires_grad_(True)
                out = norm(x)
                (out * r).sum().backward()
                output_std[i, j, k] = out.detach().std(-1, correction=0).median().item()
                input_grad[i, j, k] = x.grad.norm(dim=-1).median().item()
    constant = torch.full((1, d), 0.5)
    with torch.no_grad():
        finite = np.array([bool(torch.isfinite(LayerNorm(d, eps=float(e))(constant)).all())
                           for e in eps_values])
    return EpsResult(scales, eps_values, output_std, input_grad, finite)

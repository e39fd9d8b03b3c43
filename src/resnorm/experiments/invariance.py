"""Ba et al. (2016), Table 1, measured: which transformations leave each normalization unchanged.

The model is the one of the paper's equations: summed inputs ``a = W x`` of a linear layer
(``W`` of shape ``(d_out, d_in)``, no bias of its own), followed by a normalization with its own
gain and bias. Each transformation changes ``W`` or the data ``x``; the layer is *invariant* to
it if the normalised output of every example is unchanged.

The transformations, with ``delta > 0`` a number, ``gamma`` and ``c`` vectors of size ``d_in``:

- weight matrix re-scaling: ``W -> delta W``;
- weight matrix re-centering: ``W -> W + 1 gamma^T`` (the same vector added to every row, i.e.
  the same shift ``gamma . x`` added to every neuron's summed input);
- weight vector re-scaling: row ``i`` (neuron ``i``'s incoming weights) times its own ``delta_i``;
- dataset re-scaling: every ``x -> delta x``;
- dataset re-centering: every ``x -> x + c``;
- single training case re-scaling: one example ``x_0 -> delta x_0``, the others unchanged.

BatchNorm uses its training-mode (batch) statistics, as in the paper's analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_float, check_int, check_seeds
from ..i18n import N_, tr
from ..norms import LayerNorm, RMSNorm

TRANSFORMATIONS = (
    N_("weight matrix re-scaling"),
    N_("weight matrix re-centering"),
    N_("weight vector re-scaling"),
    N_("dataset re-scaling"),
    N_("dataset re-centering"),
    N_("single training case re-scaling"),
)
"""The six columns of Ba et al. (2016), Table 1, in the paper's order."""

METHODS = (N_("batch norm"), N_("weight norm"), N_("layer norm"), N_("rms norm"))
"""The normalizations measured: the paper's three rows and RMSNorm (Zhang & Sennrich 2019)."""


@dataclass
class InvarianceResult:
    """``change[i, j, k]``: how much method ``methods[i]``'s output moved under transformation
    ``transformations[j]`` for seed ``k``, as ``max |out' - out| / max |out|`` over the batch
    (dimensionless; float32 rounding gives about 1e-6 when nothing changed)."""

    methods: list[str]
    transformations: list[str]
    change: np.ndarray
    invariant_below: float
    changed_above: float

    def verdicts(self) -> dict[str, dict[str, str]]:
        """``"invariant"`` if every seed's change is below ``invariant_below``, ``"no"`` if every
        seed's is above ``changed_above``, else ``"unclear"``; by method, then transformation."""
        table = {}
        for i, method in enumerate(self.methods):
            table[method] = {}
            for j, name in enumerate(self.transformations):
                values = self.change[i, j]
                if np.all(values < self.invariant_below):
                    table[method][name] = N_("invariant")
                elif np.all(values > self.changed_above):
                    table[method][name] = N_("no")
                else:
                    table[method][name] = N_("unclear")
        return table


class WeightNormLinear(nn.Module):
    """Weight normalization (Salimans & Kingma 2016) of a bias-free linear layer.

    ``a_i = g_i (v_i . x) / ||v_i||`` for each row ``v_i`` of ``weight``; a transformation of the
    weights acts on ``v``. Input ``(batch, d_in)``, output ``(batch, d_out)``.
    """

    def __init__(self, weight: torch.Tensor, gain: torch.Tensor):
        super().__init__()
        self.weight = nn.Parameter(weight.clone())
        self.gain = nn.Parameter(gain.clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.gain * (x @ self.weight.T) / self.weight.norm(dim=1)


def _layer(method: str, weight: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor):
    """``x -> norm(W x)`` for ``method``, with the norm's gain and bias set to ``gain``, ``bias``."""
    d_out = weight.shape[0]
    if method == "weight norm":
        return WeightNormLinear(weight, gain)
    norm = {"batch norm": lambda: nn.BatchNorm1d(d_out), "layer norm": lambda: LayerNorm(d_out),
            "rms norm": lambda: RMSNorm(d_out)}[method]()
    with torch.no_grad():
        norm.weight.copy_(gain)
        if getattr(norm, "bias", None) is not None:
            norm.bias.copy_(bias)
    return lambda x: norm.train()(x @ weight.T)


def _transform(name: str, weight: torch.Tensor, x: torch.Tensor, g: torch.Generator, delta: float):
    d_out, d_in = weight.shape
    if name == "weight matrix re-scaling":
        return delta * weight, x
    if name == "weight matrix re-centering":
        return weight + torch.randn(1, d_in, generator=g), x
    if name == "weight vector re-scaling":
        return weight * (0.2 + 4.8 * torch.rand(d_out, 1, generator=g)), x
    if name == "dataset re-scaling":
        return weight, delta * x
    if name == "dataset re-centering":
        return weight, x + 2 * torch.randn(1, d_in, generator=g)
    x = x.clone()
    x[0] *= delta
    return weight, x


def run_invariance(seeds=range(3), *, d_in: int = 16, d_out: int = 32, batch_size: int = 64,
                   delta: float = 3.0, invariant_below: float = 1e-3,
                   changed_above: float = 1e-2) -> InvarianceResult:
    """Apply every transformation to every method, per seed, and measure the output's change.

    Per seed: ``x`` standard normal ``(batch_size, d_in)``, ``W`` with PyTorch's default
    ``nn.Linear`` initialisation, the norm's gain ``1 + 0.5 N(0, 1)`` and bias ``0.5 N(0, 1)``
    (so the check does not rely on the default gain 1 and bias 0). ``delta`` is the factor of the
    re-scalings (``weight vector re-scaling`` draws one factor per row in [0.2, 5]).
    """
    seeds = check_seeds("seeds", seeds)
    d_in = check_int("d_in", d_in, minimum=1)
    d_out = check_int("d_out", d_out, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    delta = check_float("delta", delta, minimum=0.0, strict_minimum=True)
    if delta == 1.0:
        raise ValueError(tr("delta must differ from 1 (1 transforms nothing); got 1.0"))
    invariant_below = check_float("invariant_below", invariant_below, minimum=0.0, strict_minimum=True)
    changed_above = check_float("changed_above", changed_above, minimum=invariant_below)
    change = np.zeros((len(METHODS), len(TRANSFORMATIONS), len(seeds)))
    with torch.no_grad():
        for k, seed in enumerate(seeds):
            g = torch.Generator().manual_seed(seed)
            torch.manual_seed(seed)
            weight = nn.Linear(d_in, d_out, bias=False).weight.detach()
            gain = 1 + 0.5 * torch.randn(d_out, generator=g)
            bias = 0.5 * torch.randn(d_out, generator=g)
            x = torch.randn(batch_size, d_in, generator=g)
            for i, method in enumerate(METHODS):
                base = _layer(method, weight, gain, bias)(x)
                for j, name in enumerate(TRANSFORMATIONS):
                    g_t = torch.Generator().manual_seed(1000 * seed + j)  # same change for every method
                    weight2, x2 = _transform(name, weight, x, g_t, delta)
                    out = _layer(method, weight2, gain, bias)(x2)
                    change[i, j, k] = ((out - base).abs().max() / base.abs().max()).item()
    return InvarianceResult(list(METHODS), list(TRANSFORMATIONS), change, invariant_below, changed_above)


def published_table() -> dict[str, dict[str, str]]:
    """Ba et al. (2016), Table 1, from ``data/ba2016_table1_invariance.csv``: method -> column -> verdict."""
    from ..data import load_reference

    rows = load_reference("ba2016_table1_invariance")
    return {row["method"]: {name: row[name] for name in TRANSFORMATIONS} for row in rows}

"""Normalization layers written from scratch, each a few lines that follow the formula.

All layers normalise over the last dimension: an input of shape ``(..., d)`` gives an output of
the same shape, each length-``d`` vector (one token, one example) handled on its own.

``LayerNorm`` and ``RMSNorm`` are tested to equal ``torch.nn.LayerNorm`` and ``torch.nn.RMSNorm``
in forward and backward. ``SourceLayerNorm`` keeps the bug of the interview text (unbiased
variance) so that the course can show what it changes.
"""

from __future__ import annotations

import torch
from torch import nn

from ._validation import check_choice, check_float, check_int
from .i18n import tr

NORM_NAMES = ("layer", "rms", "batch")
"""Names accepted by :func:`make_norm` (``None`` means no normalization)."""


class LayerNorm(nn.Module):
    """Layer normalization (Ba et al. 2016): ``weight * (x - mean) / sqrt(var + eps) + bias``.

    ``mean`` and the *biased* variance ``var = mean((x - mean)**2)`` are taken over the last
    dimension of size ``d``. Parameter names match ``torch.nn.LayerNorm`` so state dicts load.
    """

    def __init__(self, d: int, eps: float = 1e-5):
        super().__init__()
        self.d = check_int("d", d, minimum=1)
        self.eps = check_float("eps", eps, minimum=0.0)
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """Back to the identity scale and shift (weight 1, bias 0), as ``torch.nn.LayerNorm``'s."""
        self.weight.fill_(1.0)
        self.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(-1, keepdim=True)
        var = (x - mean).pow(2).mean(-1, keepdim=True)
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias

    def extra_repr(self) -> str:
        return f"{self.d}, eps={self.eps}"


class RMSNorm(nn.Module):
    """RMS normalization (Zhang & Sennrich 2019): ``weight * x / sqrt(mean(x**2) + eps)``.

    No centering and no bias: one statistic per vector instead of two.
    """

    def __init__(self, d: int, eps: float = 1e-6):
        super().__init__()
        self.d = check_int("d", d, minimum=1)
        self.eps = check_float("eps", eps, minimum=0.0)
        self.weight = nn.Parameter(torch.ones(d))

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """Back to the identity scale (weight 1)."""
        self.weight.fill_(1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def extra_repr(self) -> str:
        return f"{self.d}, eps={self.eps}"


class SourceLayerNorm(nn.Module):
    """The interview text's LayerNorm, kept as written: it uses ``x.var(-1)``.

    ``Tensor.var`` is the *unbiased* estimate (divides by ``d - 1``), so the output is the true
    layer norm scaled by ``sqrt((d - 1) / d)`` (for ``eps`` -> 0), and it is NaN for ``d = 1``.
    Names (``gamma``, ``beta``, ``epsilon``) are the source's.
    """

    def __init__(self, d: int, eps: float = 1e-5):
        super().__init__()
        self.num_features = check_int("d", d, minimum=1)
        self.epsilon = check_float("eps", eps, minimum=0.0)
        self.gamma = nn.Parameter(torch.ones(d))
        self.beta = nn.Parameter(torch.zeros(d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(-1, keepdim=True)
        var = x.var(-1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + self.epsilon)
        return self.gamma * x + self.beta


class DynamicTanh(nn.Module):
    """Dynamic Tanh (Zhu et al. 2025): ``weight * tanh(alpha * x) + bias``, a drop-in for a norm.

    No statistics are computed: each element is squashed on its own by a tanh whose input scale
    ``alpha`` is one learnable scalar (shape ``(1,)``, starting at ``alpha0``); ``weight`` and
    ``bias`` (shape ``(d,)``) are the usual per-feature affine parameters. Input ``(..., d)``.
    """

    def __init__(self, d: int, alpha0: float = 0.5):
        super().__init__()
        self.d = check_int("d", d, minimum=1)
        alpha0 = check_float("alpha0", alpha0)
        self.alpha = nn.Parameter(torch.full((1,), alpha0))
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * torch.tanh(self.alpha * x) + self.bias

    def extra_repr(self) -> str:
        return f"{self.d}, alpha={self.alpha.item():.3g}"


def to_torch_norms(module: nn.Module) -> nn.Module:
    """Swap, in place, every from-scratch :class:`LayerNorm` and :class:`RMSNorm` inside ``module``
    for PyTorch's fused ``nn.LayerNorm`` / ``nn.RMSNorm`` holding the *same* parameter tensors.

    The outputs are equal up to float rounding; the fused kernels only make training faster
    (a norm is one call instead of about ten). Other modules are left alone. Returns ``module``.
    """
    if not isinstance(module, nn.Module):
        raise TypeError(tr("module must be a torch.nn.Module; got {type_name}", type_name=type(module).__name__))
    for parent in list(module.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, LayerNorm):
                fused = nn.LayerNorm(child.d, eps=child.eps)
                fused.weight, fused.bias = child.weight, child.bias
            elif isinstance(child, RMSNorm):
                fused = nn.RMSNorm(child.d, eps=child.eps)
                fused.weight = child.weight
            else:
                continue
            setattr(parent, name, fused)
    return module


def make_norm(name: str | None, d: int) -> nn.Module:
    """Return a fresh normalization layer for vectors of size ``d`` by name.

    ``name`` is one of :data:`NORM_NAMES` or ``None`` (an ``nn.Identity``). ``"batch"`` gives
    ``torch.nn.BatchNorm1d(d)``, which expects inputs of shape ``(batch, d)``.
    """
    if name is None:
        return nn.Identity()
    check_choice("norm", name, NORM_NAMES + (None,))
    if name == "layer":
        return LayerNorm(d)
    if name == "rms":
        return RMSNorm(d)
    return nn.BatchNorm1d(d)

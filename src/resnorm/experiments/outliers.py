"""Outlier channels in the residual stream, and why they hurt INT8 quantization (and how SmoothQuant helps).

Large language models carry a few feature dimensions with values far larger than the rest
(Dettmers et al. 2022; Sun et al. 2024). Per-tensor absmax INT8 quantization divides a tensor by
one step size ``max|X| / 127``: one outlier channel makes that step large for every other channel,
whose values then round coarsely. SmoothQuant (Xiao et al. 2023) divides activation channel ``j``
by ``s_j`` and multiplies row ``j`` of the weight by ``s_j``, ``s_j = max|X_j|**a / max|W_j|**(1-a)``:
``X W`` is unchanged, and the activation's range is moved partly into the weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_float, check_int, check_seeds
from ..i18n import tr

QUANT_CASES = ("no outlier", "outlier", "outlier + SmoothQuant")
"""The cases of :func:`run_outlier_quantization`."""


def absmax_int8(t: torch.Tensor) -> torch.Tensor:
    """``t`` quantized to INT8 with one absmax step for the whole tensor, then dequantized (same shape and units).

    Step ``max|t| / 127``; each entry is rounded to a multiple of the step in ``[-127, 127]``.
    """
    if not isinstance(t, torch.Tensor) or not t.is_floating_point():
        raise TypeError(tr("t must be a floating-point torch.Tensor; got {type_name}", type_name=type(t).__name__))
    step = t.abs().max() / 127
    if step == 0:
        return t.clone()
    return torch.round(t / step).clamp(-127, 127) * step


def smoothquant_scales(x: torch.Tensor, w: torch.Tensor, alpha: float = 0.5) -> torch.Tensor:
    """SmoothQuant's per-channel factors ``s_j = max|X_j|**alpha / max|W_j|**(1 - alpha)``: shape ``(d,)``.

    ``x`` ``(n_tokens, d)`` are activations, ``w`` ``(d, d_out)`` the weight they multiply
    (``x @ w``); ``X_j`` is column ``j`` of ``x``, ``W_j`` row ``j`` of ``w``. Use
    ``(x / s) @ (s[:, None] * w)``, which equals ``x @ w``.
    """
    if x.dim() != 2 or w.dim() != 2 or x.shape[1] != w.shape[0]:
        raise ValueError(tr("x must be (n_tokens, d) and w (d, d_out); got shapes {x_shape} and {w_shape}",
                            x_shape=tuple(x.shape), w_shape=tuple(w.shape)))
    alpha = check_float("alpha", alpha, minimum=0.0, maximum=1.0)
    return x.abs().amax(0).pow(alpha) / w.abs().amax(1).pow(1 - alpha)


@dataclass
class OutlierQuantResult:
    """INT8 errors per case of :data:`QUANT_CASES`, each ``(n_seeds,)``, relative (RMS error / RMS value).

    ``channel_error[case]``: of the ordinary activation channels (all but the outlier channel)
    after quantizing the activations (for SmoothQuant, of ``X / s`` rescaled back).
    ``product_error[case]``: of ``Q(X) Q(W)`` against the exact ``X W``. ``smoothing_change``:
    relative change of ``X W`` from SmoothQuant's rescaling alone, in float32 (rounding only).
    ``outlier_ratio``: the outlier channel's largest ``|value|`` over the median ``|value|``.
    """

    channel_error: dict[str, np.ndarray]
    product_error: dict[str, np.ndarray]
    smoothing_change: np.ndarray
    outlier_ratio: np.ndarray


def _relative(error: torch.Tensor, reference: torch.Tensor) -> float:
    return float(error.norm() / reference.norm())


def run_outlier_quantization(*, n_tokens: int = 256, d: int = 64, d_out: int = 64, outlier_scale: float = 20.0,
                             alpha: float = 0.5, seeds=range(5)) -> OutlierQuantResult:
    """Quantize activations ``X`` and weight ``W`` to INT8, with and without one outlier channel.

    Per seed (a generator seeded by it): ``X`` ``(n_tokens, d)`` standard normal and ``W``
    ``(d, d_out)`` normal with variance ``1/d``; the outlier case multiplies channel 0 of ``X``
    by ``outlier_scale``, the SmoothQuant case then applies :func:`smoothquant_scales` (``alpha``)
    before quantizing.
    """
    n_tokens = check_int("n_tokens", n_tokens, minimum=2)
    d = check_int("d", d, minimum=2)
    d_out = check_int("d_out", d_out, minimum=1)
    outlier_scale = check_float("outlier_scale", outlier_scale, minimum=1.0)
    seeds = check_seeds("seeds", seeds)
    channel = {case: [] for case in QUANT_CASES}
    product = {case: [] for case in QUANT_CASES}
    change, ratio = [], []
    for seed in seeds:
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(n_tokens, d, generator=generator)
        w = torch.randn(d, d_out, generator=generator) / d ** 0.5
        with_outlier = x.clone()
        with_outlier[:, 0] *= outlier_scale
        ratio.append(float(with_outlier[:, 0].abs().max() / with_outlier.abs().median()))
        s = smoothquant_scales(with_outlier, w, alpha)
        cases = {"no outlier": (x, w, torch.ones(d)), "outlier": (with_outlier, w, torch.ones(d)),
                 "outlier + SmoothQuant": (with_outlier / s, s[:, None] * w, s)}
        for case, (xq, wq, scale) in cases.items():
            reference = x if case == "no outlier" else with_outlier
            restored = absmax_int8(xq) * scale
            channel[case].append(_relative(restored[:, 1:] - reference[:, 1:], reference[:, 1:]))
            exact = reference @ w
            product[case].append(_relative(absmax_int8(xq) @ absmax_int8(wq) - exact, exact))
        exact = with_outlier @ w
        change.append(_relative((with_outlier / s) @ (s[:, None] * w) - exact, exact))
    as_arrays = lambda values: {case: np.array(v) for case, v in values.items()}
    return OutlierQuantResult(as_arrays(channel), as_arrays(product), np.array(change), np.array(ratio))

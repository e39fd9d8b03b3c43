"""Dynamic Tanh (Zhu et al. 2025) against LayerNorm in a small Pre-LN Transformer.

Two questions: does a Transformer whose norms are all replaced by ``weight * tanh(alpha * x) +
bias`` still train (on the same toy task, same steps)? And why might it: looked at element by
element, a trained LayerNorm maps its input to its output along an S-shaped cloud, because the
tokens with a large spread are divided by a large standard deviation (Zhu et al., Fig. 2-4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..i18n import tr
from ..norms import LayerNorm
from .reweighted import SequenceTrainingResult, run_sequence_training

DYT_CONFIGS = {
    "LayerNorm": dict(kind="pre", depth=2, norm="layer"),
    "DyT": dict(kind="pre", depth=2, norm="dyt"),
}
"""The notebook's comparison: two Pre-LN ``TinyTransformer`` models that differ only in the norm."""


def run_dyt(configs=DYT_CONFIGS, *, steps: int = 60, lr: float = 2e-2, seeds=range(3),
            **kwargs) -> SequenceTrainingResult:
    """Train the LayerNorm and the DyT Transformer on the reverse task (see ``run_sequence_training``)."""
    return run_sequence_training(configs, steps=steps, lr=lr, seeds=seeds, **kwargs)


@dataclass
class NormMapping:
    """One LayerNorm's elements: its input ``x`` and normalised output ``y`` (before the affine).

    Both ``(n_tokens, d)``; ``token_std`` ``(n_tokens,)`` is each token's standard deviation, the
    divisor of its row (``y = (x - mean) / token_std``, up to eps).
    """

    x: np.ndarray
    y: np.ndarray
    token_std: np.ndarray


@torch.no_grad()
def norm_mapping(model: nn.Module, tokens: torch.Tensor, module_name: str = "final_norm") -> NormMapping:
    """Record what the LayerNorm ``module_name`` of ``model`` receives and returns on ``tokens``.

    The LayerNorm is resnorm's or PyTorch's (as in a model trained by ``run_sequence_training``).
    """
    norm = dict(model.named_modules()).get(module_name)
    if not isinstance(norm, (LayerNorm, nn.LayerNorm)):
        names = [n for n, m in model.named_modules() if isinstance(m, (LayerNorm, nn.LayerNorm))]
        raise ValueError(tr("module_name must name a LayerNorm of the model, one of {names}; got {module_name!r}",
                            names=names, module_name=module_name))
    caught = []
    handle = norm.register_forward_hook(lambda module, inputs, output: caught.append(inputs[0]))
    try:
        model(tokens)
    finally:
        handle.remove()
    x = caught[0].reshape(-1, caught[0].shape[-1])
    mean = x.mean(-1, keepdim=True)
    std = torch.sqrt((x - mean).pow(2).mean(-1, keepdim=True) + norm.eps)
    return NormMapping(x.numpy(), ((x - mean) / std).numpy(), std[:, 0].numpy())


@dataclass
class TanhFit:
    """Best ``gamma * tanh(alpha * x) + beta`` and best straight line through a cloud of points.

    ``tanh_mse`` and ``line_mse`` are the mean squared errors of the two fits (units of y**2).
    """

    alpha: float
    gamma: float
    beta: float
    tanh_mse: float
    line_mse: float


def fit_tanh(x, y, *, alphas=None) -> TanhFit:
    """Least-squares fit of ``y ~ gamma * tanh(alpha * x) + beta`` and of ``y ~ a * x + b``.

    ``alpha`` is searched on a grid (default 200 values from ``1e-3 / max|x|`` to ``30 / max|x|``,
    geometric); for each, ``gamma`` and ``beta`` are exact least squares. A near-zero ``alpha``
    makes the tanh a straight line, so ``tanh_mse`` is never much above ``line_mse``.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape or x.size < 3:
        raise ValueError(tr("x and y must have the same number (>= 3) of values; got {x_size} and {y_size}",
                            x_size=x.size, y_size=y.size))
    scale = float(np.max(np.abs(x)))
    if scale == 0.0:
        raise ValueError(tr("x must not be all zeros"))
    alphas = np.geomspace(1e-3 / scale, 30.0 / scale, 200) if alphas is None else np.asarray(alphas, float)
    yc = y - y.mean()
    best = (np.inf, 0.0, 0.0, 0.0)
    for chunk in np.array_split(alphas, max(1, len(alphas) // 25)):
        t = np.tanh(chunk[:, None] * x[None, :])
        tc = t - t.mean(axis=1, keepdims=True)
        var_t = np.mean(tc * tc, axis=1)
        cov = tc @ yc / x.size
        gamma = cov / np.where(var_t > 0, var_t, np.inf)
        mse = np.mean(yc * yc) - gamma * cov
        i = int(np.argmin(mse))
        if mse[i] < best[0]:
            beta = float(y.mean() - gamma[i] * t[i].mean())
            best = (float(max(mse[i], 0.0)), float(chunk[i]), float(gamma[i]), beta)
    line = np.polyfit(x, y, 1)
    line_mse = float(np.mean((np.polyval(line, x) - y) ** 2))
    return TanhFit(best[1], best[2], best[3], best[0], line_mse)

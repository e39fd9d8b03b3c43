"""Shattered gradients (Balduzzi et al. 2017): how smooth is d output / d input along a line?

Take a net with one input and one output, feed ``n_points`` inputs evenly spaced on a line and
compute the derivative of the output with respect to each input. In a shallow net neighbouring
inputs get similar derivatives; in a deep plain net the derivatives look like white noise. The
lag-1 autocorrelation of that sequence (1 = smooth, 0 = white noise) measures it.

Balduzzi et al.'s analysis assumes variance-preserving (He) initialisation, where a plain ReLU
net's gradients decorrelate exponentially with depth. At PyTorch's smaller default weights the
decay is much slower over the depths measured here, so :func:`run_shattered` uses He
initialisation by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_choice, check_float, check_int, check_seeds
from ..i18n import tr
from ..models import INITS, DeepMLP
from ..norms import NORM_NAMES

SHATTERED_NETS = {"plain": False, "residual": True}
"""The nets compared, by label: the value is ``DeepMLP``'s ``residual`` switch."""


@dataclass
class ShatteredResult:
    """Lag-1 autocorrelation of input gradients, and one example of the gradients themselves.

    ``autocorrelation[label]`` has shape ``(n_seeds, len(depths))`` (dimensionless, -1..1);
    ``inputs`` ``(n_points,)`` are the inputs on the line; ``example_gradients[label]``
    ``(n_points,)`` is d output / d input at each of them for the deepest net and the first seed.
    """

    depths: np.ndarray
    autocorrelation: dict[str, np.ndarray]
    inputs: np.ndarray
    example_gradients: dict[str, np.ndarray]


def input_gradients(model: torch.nn.Module, x: torch.Tensor) -> np.ndarray:
    """d output / d input of a one-input, one-output ``model`` at each row of ``x`` ``(n, 1)``.

    The rows must not interact (no batch statistics), so that the gradient of the summed outputs
    is each input's own derivative. Returns ``(n,)``.
    """
    if x.dim() != 2 or x.shape[1] != 1:
        raise ValueError(tr("x must have shape (n, 1); got shape {x_shape}", x_shape=tuple(x.shape)))
    x = x.detach().clone().requires_grad_(True)
    out = model(x)
    if out.shape != (x.shape[0], 1):
        raise ValueError(tr("model must map (n, 1) to (n, 1); got output shape {out_shape}",
                            out_shape=tuple(out.shape)))
    (grad,) = torch.autograd.grad(out.sum(), x)
    return grad[:, 0].numpy()


def lag1_autocorrelation(values) -> float:
    """Correlation of a sequence with itself shifted by one step (mean removed): about 0 for white noise.

    Returns ``NaN`` for a constant sequence (no variation to correlate).
    """
    g = np.asarray(values, dtype=float)
    if g.ndim != 1 or g.size < 3:
        raise ValueError(tr("values must be a 1-D sequence of at least 3 numbers; got shape {values_shape}",
                            values_shape=g.shape))
    g = g - g.mean()
    power = float(np.sum(g * g))
    if power == 0.0:
        return float("nan")
    return float(np.sum(g[1:] * g[:-1]) / power)


def run_shattered(depths=(1, 2, 4, 8, 16, 32), *, width: int = 32, norm: str | None = "layer",
                  init: str = "he", n_points: int = 256, x_range: float = 2.0,
                  seeds=range(5)) -> ShatteredResult:
    """Lag-1 autocorrelation of d output / d input over ``n_points`` inputs in ``[-x_range, x_range]``.

    For every depth and seed, a plain and a residual :class:`DeepMLP` (``in_features =
    out_features = 1``, ``width``, ``norm``, ``init``) are built from ``torch.manual_seed(seed)``
    at initialisation. The stem then gets PyTorch's default initialisation whatever ``init``
    is: its random bias keeps the line of inputs off the origin (with zero biases a ReLU net is
    positively homogeneous, LayerNorm is scale invariant, and the output would be constant on
    each side of ``x = 0``). ``norm`` must act per example (``"layer"``, ``"rms"`` or ``None``),
    so that each input's gradient is its own.
    """
    depths = tuple(check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths))
    if not depths:
        raise ValueError(tr("depths must contain at least one depth; got an empty sequence"))
    width = check_int("width", width, minimum=1)
    check_choice("norm", norm, (None,) + tuple(n for n in NORM_NAMES if n != "batch"))
    check_choice("init", init, INITS)
    n_points = check_int("n_points", n_points, minimum=3)
    x_range = check_float("x_range", x_range, minimum=0.0, strict_minimum=True)
    seeds = check_seeds("seeds", seeds)
    x = torch.linspace(-x_range, x_range, n_points).unsqueeze(1)
    values = {label: np.zeros((len(seeds), len(depths))) for label in SHATTERED_NETS}
    examples = {}
    for s, seed in enumerate(seeds):
        for j, depth in enumerate(depths):
            for label, residual in SHATTERED_NETS.items():
                torch.manual_seed(seed)
                model = DeepMLP(depth, width, in_features=1, out_features=1, residual=residual,
                                norm=norm, init=init)
                model.stem.reset_parameters()
                grads = input_gradients(model, x)
                values[label][s, j] = lag1_autocorrelation(grads)
                if s == 0 and j == len(depths) - 1:
                    examples[label] = grads
    return ShatteredResult(np.array(depths), values, x[:, 0].numpy(), examples)

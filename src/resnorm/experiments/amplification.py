"""Amplification (Liu et al. 2020): how much does a small random weight change move the output?

For a stack of ``N`` Transformer blocks at initialisation, every weight matrix ``W`` of the
blocks is perturbed to ``W + delta * rms(W) * noise`` (standard normal noise) and the *squared*
output change ``mean((F(x, W') - F(x, W))**2)`` is measured. Liu et al. (2020, Theorem 1 and
Sec. 4) show that this squared change is ``O(N)`` for Post-LN (so the change itself grows like
``sqrt(N)``) and ``O(log N)`` for Pre-LN: a Post-LN layer leans on its residual branch, so every
layer's small change is passed on undiminished. :func:`fit_growth` fits both a power law and a
logarithm to a measured curve, so that the two can be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_choice, check_float, check_int, check_seeds
from ..models import TransformerBlock
from ..norms import LayerNorm
from ..reweighted import DeepNormBlock, deepnorm_constants

AMPLIFICATION_KINDS = ("post", "pre", "deepnorm")
"""Stacks measured: Post-LN, Pre-LN (with a final LayerNorm) and DeepNorm blocks."""

INITS = ("xavier", "default")
"""Weight initialisation of the Post-LN and Pre-LN stacks (DeepNorm always uses its own)."""


@dataclass
class AmplificationResult:
    """Squared output change per depth: ``change[kind]`` has shape ``(n_seeds, len(depths))``.

    The change is the mean squared difference of the outputs (per element; the outputs are
    normalised, so it is in units of their variance), averaged over the perturbation draws.
    """

    depths: np.ndarray
    change: dict[str, np.ndarray]

    def growth(self, kind: str) -> np.ndarray:
        """Change relative to the shallowest stack of the same seed: ``(n_seeds, len(depths))``."""
        return self.change[kind] / self.change[kind][:, :1]

    def fit(self, kind: str) -> GrowthFit:
        """:func:`fit_growth` of the median (over seeds) of :meth:`growth`."""
        check_choice("kind", kind, tuple(self.change))
        return fit_growth(self.depths, np.median(self.growth(kind), axis=0))


@dataclass
class GrowthFit:
    """Two one-parameter models of a growth curve ``g(N)`` with ``g(N0) = 1`` at the first depth ``N0``.

    Power law ``g = (N / N0) ** exponent``; logarithm ``g = 1 + log_coefficient * ln(N / N0)``.
    ``power_rms`` and ``log_rms`` are the root-mean-square errors of each model in ``ln g``
    (dimensionless: 0.1 means the model is off by about 10% on average). A curve that grows
    like a power of ``N`` has ``power_rms`` far below ``log_rms``, and the reverse for a log.
    """

    exponent: float
    power_rms: float
    log_coefficient: float
    log_rms: float


def fit_growth(depths, growth) -> GrowthFit:
    """Least-squares fits of ``growth`` against ``depths`` by a power law and by a logarithm, in ``ln g``.

    ``depths`` are increasing positive depths, ``growth`` the positive values relative to the
    first depth (so ``growth[0]`` should be 1; both models pass through it). The power law's
    exponent is exact least squares; the log's coefficient is searched on a geometric grid
    from ``1e-3`` to ``1e3``. Both need at least three depths.
    """
    n = np.asarray(depths, dtype=float)
    g = np.asarray(growth, dtype=float)
    if n.ndim != 1 or n.shape != g.shape or n.size < 3:
        raise ValueError(f"depths and growth must be 1-D of the same length >= 3; got shapes {n.shape} and {g.shape}")
    if np.any(n <= 0) or np.any(np.diff(n) <= 0):
        raise ValueError(f"depths must be positive and increasing; got {n.tolist()}")
    if not np.all(np.isfinite(g)) or np.any(g <= 0):
        raise ValueError(f"growth must be finite and positive; got {g.tolist()}")
    x, y = np.log(n / n[0]), np.log(g)
    exponent = float(x @ y / (x @ x))
    power_rms = float(np.sqrt(np.mean((y - exponent * x) ** 2)))
    coefficients = np.geomspace(1e-3, 1e3, 4001)
    errors = np.mean((y[None, :] - np.log1p(coefficients[:, None] * x[None, :])) ** 2, axis=1)
    best = int(np.argmin(errors))
    return GrowthFit(exponent, power_rms, float(coefficients[best]), float(np.sqrt(errors[best])))


def build_stack(kind: str, depth: int, *, d_model: int = 32, n_heads: int = 4, d_ff: int = 64,
                init: str = "xavier") -> tuple[nn.ModuleList, nn.Module]:
    """``depth`` blocks of ``kind`` and the module applied after them, from the global seed.

    The module after the blocks is the final LayerNorm for ``"pre"`` and ``nn.Identity`` otherwise
    (the other stacks end in a norm already). ``init="xavier"`` re-initialises every weight
    matrix of Post-LN and Pre-LN blocks with ``xavier_uniform_`` (the usual choice in Transformer
    code); ``"default"`` keeps PyTorch's. DeepNorm blocks always use DeepNorm's own init, with the
    constants of ``depth`` blocks.
    """
    check_choice("kind", kind, AMPLIFICATION_KINDS)
    depth = check_int("depth", depth, minimum=1)
    check_choice("init", init, INITS)
    if kind == "deepnorm":
        alpha, beta = deepnorm_constants(depth)
        blocks = nn.ModuleList(DeepNormBlock(d_model, n_heads, d_ff, alpha=alpha, beta=beta)
                               for _ in range(depth))
        return blocks, nn.Identity()
    blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, placement=kind) for _ in range(depth))
    if init == "xavier":
        for p in blocks.parameters():
            if p.dim() == 2:
                nn.init.xavier_uniform_(p)
    return blocks, (LayerNorm(d_model) if kind == "pre" else nn.Identity())


def _outputs(blocks: nn.ModuleList, final: nn.Module, x: torch.Tensor, depths) -> list[torch.Tensor]:
    outputs, h = [], x
    for n, block in enumerate(blocks, start=1):
        h = block(h)
        if n in depths:
            outputs.append(final(h))
    return outputs


@torch.no_grad()
def output_change(blocks: nn.ModuleList, final: nn.Module, x: torch.Tensor, *, depths=None,
                  delta: float = 0.01, n_draws: int = 2, generator: torch.Generator | None = None) -> np.ndarray:
    """Mean squared output change when the blocks' weight matrices are perturbed: ``(len(depths),)``.

    The output at depth ``N`` is ``final`` applied after the first ``N`` blocks (``depths``
    defaults to all of them, one pass computes every depth). Each of ``n_draws`` draws adds
    ``delta * rms(W) * noise`` to every 2-D parameter ``W`` of the blocks, measures, and restores
    the weights exactly; the result is the mean over draws.
    """
    depths = tuple(range(1, len(blocks) + 1)) if depths is None else tuple(depths)
    for d in depths:
        check_int("depths", d, minimum=1, maximum=len(blocks))
    delta = check_float("delta", delta, minimum=0.0, strict_minimum=True)
    n_draws = check_int("n_draws", n_draws, minimum=1)
    weights = [p for p in blocks.parameters() if p.dim() == 2]
    reference = _outputs(blocks, final, x, depths)
    total = np.zeros(len(depths))
    for _ in range(n_draws):
        saved = [w.clone() for w in weights]
        for w in weights:
            w.add_(delta * w.pow(2).mean().sqrt() * torch.randn(w.shape, generator=generator))
        perturbed = _outputs(blocks, final, x, depths)
        total += [float((a - b).pow(2).mean()) for a, b in zip(perturbed, reference)]
        for w, s in zip(weights, saved):
            w.copy_(s)
    return total / n_draws


def run_amplification(depths=(1, 2, 4, 8, 16, 32), *, kinds=AMPLIFICATION_KINDS, d_model: int = 32,
                      n_heads: int = 4, d_ff: int = 64, delta: float = 0.01, n_draws: int = 2,
                      init: str = "xavier", batch_size: int = 16, seq_len: int = 8,
                      seeds=range(5)) -> AmplificationResult:
    """Output change under a ``delta``-relative random weight perturbation, for each depth and kind.

    Post-LN and Pre-LN: the depth-``N`` net is the first ``N`` blocks of one stack built from
    ``torch.manual_seed(seed)``. DeepNorm: every depth gets its own stack (its constants depend
    on the depth). The input is standard normal ``(batch_size, seq_len, d_model)``.
    """
    depths = tuple(check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths))
    if not depths:
        raise ValueError("depths must contain at least one depth; got an empty sequence")
    kinds = tuple(check_choice("kinds", k, AMPLIFICATION_KINDS) for k in kinds)
    if not kinds:
        raise ValueError("kinds must contain at least one of 'post', 'pre', 'deepnorm'")
    delta = check_float("delta", delta, minimum=0.0, strict_minimum=True)
    n_draws = check_int("n_draws", n_draws, minimum=1)
    check_choice("init", init, INITS)
    seeds = check_seeds("seeds", seeds)
    size = dict(d_model=d_model, n_heads=n_heads, d_ff=d_ff, init=init)
    measure = dict(delta=delta, n_draws=n_draws)
    change = {kind: np.zeros((len(seeds), len(depths))) for kind in kinds}
    for s, seed in enumerate(seeds):
        x = torch.randn(batch_size, seq_len, d_model, generator=torch.Generator().manual_seed(seed))
        for kind in kinds:
            noise = torch.Generator().manual_seed(10_000 + seed)
            if kind == "deepnorm":
                for j, depth in enumerate(depths):
                    torch.manual_seed(seed)
                    blocks, final = build_stack(kind, depth, **size)
                    change[kind][s, j] = output_change(blocks, final, x, depths=(depth,),
                                                       generator=noise, **measure)[0]
            else:
                torch.manual_seed(seed)
                blocks, final = build_stack(kind, max(depths), **size)
                change[kind][s] = output_change(blocks, final, x, depths=depths, generator=noise, **measure)
    return AmplificationResult(np.array(depths), change)

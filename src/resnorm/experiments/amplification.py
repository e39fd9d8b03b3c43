"""Amplification (Liu et al. 2020): how much does a small random weight change move the output?

For a stack of ``N`` Transformer blocks at initialisation, every weight matrix ``W`` of the
blocks is perturbed to ``W + delta * sqrt(2 / (fan_in + fan_out)) * noise`` (standard normal
noise, Xavier's standard deviation: a size that does not depend on what ``W`` holds, as an Adam
step does not) and the *squared* output change ``mean((F(x, W') - F(x, W))**2)`` is measured.
Liu et al. (2020, Sec. 4) show that this squared change is ``O(N)`` for Post-LN (so the change
itself grows like ``sqrt(N)``) and ``O(log N)`` for Pre-LN. :func:`fit_growth` fits both a
power law and a logarithm to a measured curve, so that the two can be told apart;
:func:`branch_variance_ratio` measures how large each branch starts relative to its input,
which decides Pre-LN's ``log N`` (each branch about a ``1/l`` share of a growing stream).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_choice, check_float, check_int, check_seeds
from ..i18n import tr
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

    def bootstrap_exponents(self, kind: str, *, n_boot: int = 1000, seed: int = 0) -> np.ndarray:
        """Power-law exponents of the median curve of ``n_boot`` resamples of the seeds: ``(n_boot,)``.

        Each resample draws ``n_seeds`` seeds with replacement (generator seeded by ``seed``) and
        fits ``a * N**p`` to the median of their :meth:`growth`; the spread of ``p`` over the
        resamples is how much the exponent depends on which seeds were drawn.
        """
        check_choice("kind", kind, tuple(self.change))
        n_boot = check_int("n_boot", n_boot, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        growth = self.growth(kind)
        rows = np.random.default_rng(seed).integers(len(growth), size=(n_boot, len(growth)))
        medians = np.median(growth[rows], axis=1)
        x = np.log(self.depths / self.depths[0]) - np.log(self.depths / self.depths[0]).mean()
        y = np.log(medians)
        return (y - y.mean(axis=1, keepdims=True)) @ x / (x @ x)


@dataclass
class GrowthFit:
    """Two two-parameter models of a growth curve ``g(N)``, with ``x = ln(N / N0)`` for the first depth ``N0``.

    Power law ``g = a * (N / N0) ** exponent``; logarithm ``g = b * (1 + log_coefficient * x)``
    (that is ``b + c * ln(N / N0)`` with ``c = b * log_coefficient``). ``power_rms`` and
    ``log_rms`` are the root-mean-square errors of each model in ``ln g`` (dimensionless: 0.1
    means the model is off by about 10% on average). ``per_doubling`` is ``2 ** exponent``, the
    power law's factor per doubling of the depth.
    """

    exponent: float
    power_rms: float
    log_coefficient: float
    log_rms: float

    @property
    def per_doubling(self) -> float:
        return float(2.0 ** self.exponent)


def fit_growth(depths, growth) -> GrowthFit:
    """Least-squares fits of ``growth`` against ``depths`` by a power law and by a logarithm, in ``ln g``.

    ``depths`` are increasing positive depths, ``growth`` positive values (usually relative to
    the first depth). Both models have two free parameters (see :class:`GrowthFit`), so neither
    is forced through the first point. The power law is exact linear least squares; the log's
    relative coefficient is searched on a geometric grid from ``1e-3`` to ``1e3`` with its scale
    exact for each. Both need at least three depths.
    """
    n = np.asarray(depths, dtype=float)
    g = np.asarray(growth, dtype=float)
    if n.ndim != 1 or n.shape != g.shape or n.size < 3:
        raise ValueError(tr("depths and growth must be 1-D of the same length >= 3; got shapes {depths_shape} and "
                            "{growth_shape}",
                            depths_shape=n.shape, growth_shape=g.shape))
    if np.any(n <= 0) or np.any(np.diff(n) <= 0):
        raise ValueError(tr("depths must be positive and increasing; got {depths}", depths=n.tolist()))
    if not np.all(np.isfinite(g)) or np.any(g <= 0):
        raise ValueError(tr("growth must be finite and positive; got {growth}", growth=g.tolist()))
    x, y = np.log(n / n[0]), np.log(g)
    xc, yc = x - x.mean(), y - y.mean()
    exponent = float(xc @ yc / (xc @ xc))
    power_rms = float(np.sqrt(np.mean((yc - exponent * xc) ** 2)))
    coefficients = np.geomspace(1e-3, 1e3, 4001)
    shapes = np.log1p(coefficients[:, None] * x[None, :])
    residuals = yc[None, :] - (shapes - shapes.mean(axis=1, keepdims=True))
    errors = np.mean(residuals ** 2, axis=1)
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


def branch_variance_ratio(init: str = "xavier", *, d_model: int = 32, n_heads: int = 4, d_ff: int = 64,
                          batch_size: int = 16, seq_len: int = 8, seeds=range(5)) -> dict[str, np.ndarray]:
    """Variance of each branch's output over its input's, at initialisation: ``{branch: (n_seeds,)}``.

    For a :class:`~resnorm.models.TransformerBlock` built as in :func:`build_stack` (``init``)
    from ``torch.manual_seed(seed)``, the attention (``"attention"``) and the feed-forward
    sublayer (``"feed-forward"``) are applied to a standard normal input ``(batch_size, seq_len,
    d_model)`` drawn with a generator seeded by the seed. 1 means the branch starts as large as
    its input; the ratios do not depend on the placement (both see a unit-variance input).
    """
    check_choice("init", init, INITS)
    seeds = check_seeds("seeds", seeds)
    ratios = {"attention": [], "feed-forward": []}
    with torch.no_grad():
        for seed in seeds:
            x = torch.randn(batch_size, seq_len, d_model, generator=torch.Generator().manual_seed(seed))
            torch.manual_seed(seed)
            (block,), _ = build_stack("post", 1, d_model=d_model, n_heads=n_heads, d_ff=d_ff, init=init)
            ratios["attention"].append(float(block.attn(x).var() / x.var()))
            ratios["feed-forward"].append(float(block.ffn(x).var() / x.var()))
    return {branch: np.array(values) for branch, values in ratios.items()}


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
    ``delta * sqrt(2 / (fan_in + fan_out)) * noise`` to every 2-D parameter ``W`` of the blocks
    (``W`` of shape ``(fan_out, fan_in)``): a size independent of the weights, so that a stack
    whose weights start small (DeepNorm) is not perturbed less. It measures, then restores the
    weights exactly; the result is the mean over draws.
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
            w.add_(delta * math.sqrt(2.0 / sum(w.shape)) * torch.randn(w.shape, generator=generator))
        perturbed = _outputs(blocks, final, x, depths)
        total += [float((a - b).pow(2).mean()) for a, b in zip(perturbed, reference)]
        for w, s in zip(weights, saved):
            w.copy_(s)
    return total / n_draws


def run_amplification(depths=(1, 2, 4, 8, 16, 32), *, kinds=AMPLIFICATION_KINDS, d_model: int = 32,
                      n_heads: int = 4, d_ff: int = 64, delta: float = 0.01, n_draws: int = 2,
                      init: str = "xavier", batch_size: int = 16, seq_len: int = 8,
                      seeds=range(5)) -> AmplificationResult:
    """Output change under a small random weight perturbation (see :func:`output_change`), per depth and kind.

    Post-LN and Pre-LN: the depth-``N`` net is the first ``N`` blocks of one stack built from
    ``torch.manual_seed(seed)``. DeepNorm: every depth gets its own stack (its constants depend
    on the depth). The input is standard normal ``(batch_size, seq_len, d_model)``.
    """
    depths = tuple(check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths))
    if not depths:
        raise ValueError(tr("depths must contain at least one depth; got an empty sequence"))
    kinds = tuple(check_choice("kinds", k, AMPLIFICATION_KINDS) for k in kinds)
    if not kinds:
        raise ValueError(tr("kinds must contain at least one of 'post', 'pre', 'deepnorm'"))
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

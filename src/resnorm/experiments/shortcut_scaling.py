"""Scaling the shortcut (He et al. 2016b, Table 1 and Fig. 2-3): ``h -> lam * h + f(h)`` with ``lam != 1``.

Through ``L`` such blocks the identity path multiplies the gradient by ``lam ** L``, so with
``lam = 0.5`` the clean path back to the input is gone and the gradient has to squeeze through
the branches, as in a plain net. The experiment measures the backpropagated gradient ``dL/dh`` at
every block of freshly initialised residual MLPs for each shortcut scale, with and without a
normalization in the branch. Without a norm, one block multiplies the gradient's mean square by
about ``lam ** 2 + g``, where ``g`` is the branch's own backward gain (1/18 at PyTorch's default
initialisation), so ``lam = 0.5`` gives about ``sqrt(0.25 + 1/18) = 0.55`` per block. A norm in
the branch changes that: with a LayerNorm, which rescales the shrinking stream, the gradient no
longer vanishes at initialisation, and with a BatchNorm it explodes towards the input instead, as
in plain BatchNorm nets (:data:`~resnorm.experiments.gradient_flow.PLAIN_NORM_ABLATION`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_float, check_int, check_seeds
from ..i18n import N_, tr
from ..norms import NORM_NAMES
from .gradient_flow import PerLayerResult, mlp_layer_stats

SCALES = (1.0, 0.5)
"""Shortcut scales of notebook 01: the identity and He et al.'s constant 0.5."""

NORMS = (None, "layer", "batch")
"""Branch normalizations of notebook 01's shortcut experiment: none, pre-norm LayerNorm, and
BatchNorm (the norm of the degradation nets it is trained with)."""


def identity_path_gain(scale: float, n_blocks: int) -> float:
    """Factor by which the identity path alone scales the gradient through ``n_blocks`` blocks.

    Each block's shortcut contributes ``scale`` to the Jacobian, so the product is
    ``scale ** n_blocks`` (the branches add further terms, which this factor leaves out).
    """
    scale = check_float("scale", scale)
    n_blocks = check_int("n_blocks", n_blocks, minimum=0)
    return scale ** n_blocks


def scaling_label(scale: float, norm: str | None) -> str:
    """The label of one configuration, e.g. ``"λ = 0.5, no norm"`` or ``"λ = 1, LayerNorm"``."""
    names = {None: N_("no norm"), "layer": "LayerNorm", "rms": "RMSNorm", "batch": "BatchNorm"}
    return f"λ = {scale:g}, {names[norm]}"


@dataclass
class ShortcutScalingResult:
    """Backpropagated gradient norms ``||dL/dh||`` (see :class:`PerLayerResult`) for every (scale, norm) pair.

    ``grads.values[scaling_label(scale, norm)]`` has shape ``(n_seeds, depth + 1)``: the stem's
    output, then each block's output (``grads.blocks(label)`` keeps the blocks).
    """

    scales: tuple[float, ...]
    norms: tuple[str | None, ...]
    depth: int
    grads: PerLayerResult

    def first_to_last(self, scale: float, norm: str | None) -> np.ndarray:
        """Per seed, ``||dL/dh||`` at the first block's output / at the last block's: ``(n_seeds,)``."""
        label = scaling_label(scale, norm)
        if label not in self.grads.values:
            raise ValueError(
                tr("(scale, norm) must be one of {pairs}; got {got!r}",
                   pairs=[(s, n) for s in self.scales for n in self.norms], got=(scale, norm))
            )
        return self.grads.first_to_last_ratio(label)


def run_shortcut_scaling(
    scales: Sequence[float] = SCALES,
    *,
    norms: Sequence[str | None] = NORMS,
    depth: int = 30,
    width: int = 64,
    seeds=range(3),
    batch_size: int = 128,
) -> ShortcutScalingResult:
    """``||dL/dh||`` at every block of residual ``DeepMLP(depth, width)`` nets, each shortcut scaled.

    Every scale in ``scales`` (finite, > 0) is combined with every branch normalization in
    ``norms`` (``None`` or one of ``"layer"``, ``"rms"``, ``"batch"``); one batch and one
    ``backward()`` per seed, as in :func:`~resnorm.experiments.gradient_flow.mlp_layer_stats`
    (whose ``state_grads`` this returns).
    """
    scales = tuple(scales)
    if not scales:
        raise ValueError(tr("scales must contain at least one shortcut scale, such as (1.0, 0.5)"))
    scales = tuple(check_float(f"scales[{i}]", s, minimum=0.0, strict_minimum=True) for i, s in enumerate(scales))
    norms = tuple(norms)
    if not norms:
        raise ValueError(tr("norms must contain at least one entry, such as (None, 'layer')"))
    for i, norm in enumerate(norms):
        check_choice(f"norms[{i}]", norm, (None,) + NORM_NAMES)
    depth = check_int("depth", depth, minimum=2)
    seeds = check_seeds("seeds", seeds)
    configs = {
        scaling_label(scale, norm): dict(residual=True, norm=norm, shortcut_scale=scale)
        for norm in norms for scale in scales
    }
    grads = mlp_layer_stats(configs, depth=depth, width=width, seeds=seeds, batch_size=batch_size).state_grads
    return ShortcutScalingResult(scales, norms, depth, grads)

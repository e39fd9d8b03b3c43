"""Does LayerNorm "reduce the variance of the gradient"? Two readings of the claim, both measured.

1. Across mini-batches (sampling noise): how far one mini-batch's gradient is from the
   full-batch gradient, relative to the latter's size, at two batch sizes (mini-batches drawn
   with replacement, so the expected squared distance is ``tr(Cov) / batch_size``: the noise
   falls like ``1/sqrt(batch_size)`` for any model). Measured per layer and summarised by the
   median over the hidden layers: in a net whose layers' gradients differ by orders of
   magnitude, the flattened gradient would be the largest layers' alone.
2. Across layers (scale): how unequal the layers' gradient norms are.

Both at initialisation only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_int, check_seeds
from ..data import teacher_classification
from ..i18n import tr
from ..models import DeepMLP
from .gradient_flow import FOUR_WAYS


@dataclass
class GradientNoiseResult:
    """Per configuration, dimensionless.

    ``relative_noise[label]`` ``(n_seeds, n_batch_sizes)``: median over the hidden blocks' weight
    matrices of the per-layer relative noise, the mean over mini-batches of
    ``||g_B - g|| / ||g||`` with ``g_B`` that layer's weight gradient on a mini-batch of
    ``batch_sizes[j]`` examples and ``g`` its full-batch one.
    ``layer_spread[label]`` ``(n_seeds,)``: largest over smallest per-layer gradient norm of the
    hidden blocks, for the full-batch gradient.
    """

    batch_sizes: tuple[int, ...]
    relative_noise: dict[str, np.ndarray]
    layer_spread: dict[str, np.ndarray]

    def noise(self, label: str, batch_size: int | None = None) -> np.ndarray:
        """``relative_noise`` of ``label`` at ``batch_size`` (default: the first), ``(n_seeds,)``."""
        j = 0 if batch_size is None else self.batch_sizes.index(batch_size)
        return self.relative_noise[label][:, j]


def _block_layers(model: nn.Module) -> list[nn.Linear]:
    """The hidden blocks' linear layers, input to output (all ``width x width``)."""
    return [m for name, m in model.named_modules() if name.startswith("blocks.") and isinstance(m, nn.Linear)]


def _grouped_grads(model: nn.Module, layers: list[nn.Linear], x: torch.Tensor, y: torch.Tensor,
                   n_groups: int) -> torch.Tensor:
    """Each group's weight gradients of ``layers``, ``(n_groups, n_layers, width * width)``, from one
    pass over ``x`` (``n_groups`` equal consecutive groups of examples), for the loss of each group
    being its mean cross-entropy.

    A linear layer's weight gradient is ``sum_i delta_i a_i^T`` over examples (``a_i`` its input,
    ``delta_i`` the gradient at its output); every layer of the model acts on each example alone
    (no BatchNorm), so summing the groups' losses keeps each example's ``delta_i``, and the sum can
    be split by group afterwards.
    """
    inputs, outputs = [], []

    def record(module, args, out):
        inputs.append(args[0])
        outputs.append(out)

    hooks = [m.register_forward_hook(record) for m in layers]
    try:
        logits = model(x.detach().requires_grad_(True))  # the parameters need no gradient of their own
    finally:
        for hook in hooks:
            hook.remove()
    per_example = F.cross_entropy(logits, y, reduction="none")
    deltas = torch.autograd.grad(per_example.view(n_groups, -1).mean(1).sum(), outputs)
    with torch.no_grad():
        return torch.stack([torch.einsum("gbo,gbi->goi", d.reshape(n_groups, -1, d.shape[-1]),
                                         a.reshape(n_groups, -1, a.shape[-1])).flatten(1)
                            for d, a in zip(deltas, inputs)], dim=1)


def run_gradient_noise(configs: Mapping[str, Mapping] = FOUR_WAYS, *, depth: int = 16, width: int = 32,
                       seeds=range(5), n_samples: int = 1024, batch_sizes=(32, 128),
                       n_batches: int = 8) -> GradientNoiseResult:
    """Gradients at initialisation on a teacher classification task (16 inputs, 4 classes).

    For each seed: the data set (``teacher_classification(n_samples, seed=seed)``), the model's
    initial weights (``torch.manual_seed(seed)``) and the ``n_batches`` mini-batches of each size
    in ``batch_sizes`` (drawn with replacement from a generator seeded with ``seed``) are the same
    for every configuration.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    if isinstance(batch_sizes, (str, bytes)) or not hasattr(batch_sizes, "__iter__") or not list(batch_sizes):
        raise ValueError(tr("batch_sizes must be a non-empty sequence of integers; got {batch_sizes!r}",
                            batch_sizes=batch_sizes))
    batch_sizes = tuple(check_int("batch_sizes", b, minimum=2, maximum=n_samples) for b in batch_sizes)
    n_batches = check_int("n_batches", n_batches, minimum=2)
    if any(kwargs.get("norm") == "batch" for kwargs in configs.values()):
        raise ValueError(tr("configs must not use norm='batch': every mini-batch's gradient is split off one pass "
                            "over all of them, which needs layers that act on each example alone"))
    noise = {label: [] for label in configs}
    spread = {label: [] for label in configs}
    for seed in seeds:
        x, y = teacher_classification(n_samples, 16, 4, seed=seed)
        g = torch.Generator().manual_seed(seed)
        batches = [[torch.randint(n_samples, (b,), generator=g) for _ in range(n_batches)] for b in batch_sizes]
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = DeepMLP(depth, width, in_features=16, out_features=4, **kwargs).requires_grad_(False)
            layers = _block_layers(model)
            full = _grouped_grads(model, layers, x, y, 1)[0]
            full_norms = full.norm(dim=1).numpy()
            spread[label].append(full_norms.max() / full_norms.min())
            per_size = []
            for same_size in batches:
                idx = torch.cat(same_size)  # all mini-batches of one size in one pass
                distances = (_grouped_grads(model, layers, x[idx], y[idx], n_batches) - full).norm(dim=2).numpy()
                per_size.append(float(np.median(np.mean(distances, axis=0) / full_norms)))
            noise[label].append(per_size)
    return GradientNoiseResult(batch_sizes, {k: np.array(v) for k, v in noise.items()},
                               {k: np.array(v) for k, v in spread.items()})

"""Gradient norm of every layer of a deep MLP at initialisation, for several configurations.

Two views of the same backward pass: the weight gradient of each Linear layer, ``||dL/dW||``
(what an optimizer sees; for a layer with input ``h`` it is about ``||dL/dz|| * ||h||``), and the
backpropagated gradient at each hidden state, ``||dL/dh||`` (what the chain rule multiplies, block
after block, and what the per-block factors of notebook 01 predict).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_int, check_seeds
from ..i18n import N_, tr
from ..measure import per_layer_grad_norms
from ..models import DeepMLP

FOUR_WAYS = {
    N_("plain"): dict(),
    N_("plain + LayerNorm"): dict(norm="layer"),
    N_("residual"): dict(residual=True),
    N_("residual + LayerNorm"): dict(residual=True, norm="layer"),
}
"""Two switches, four MLPs (``DeepMLP`` keyword arguments by label): the comparison notebooks 01,
02 and 04 run at several depths, for gradients, gradient noise and training speed."""

PLAIN_LAYERNORM_ABLATION = {
    N_("ReLU inside the branch"): dict(norm="layer"),
    N_("block ends in a ReLU"): dict(norm="layer", branch="act_before_addition"),
    N_("block ends in a tanh"): dict(norm="layer", branch="act_before_addition", activation="tanh"),
    N_("no activation"): dict(norm="layer", activation="identity"),
}
"""Plain nets with a LayerNorm at the start of each block, differing in what the block's output is
(``DeepMLP`` keyword arguments): the output of a linear layer (the course's block; either sign,
mean zero), of a ReLU (never negative: a positive mean that the next LayerNorm removes), of a
tanh (either sign), or a linear net. Notebook 01 asks which of them make the gradient grow."""

PLAIN_NORM_ABLATION = {
    **PLAIN_LAYERNORM_ABLATION,
    N_("RMSNorm, block ends in a ReLU"): dict(norm="rms", branch="act_before_addition"),
    N_("BatchNorm, ReLU inside the branch"): dict(norm="batch"),
}
""":data:`PLAIN_LAYERNORM_ABLATION` plus two plain nets that separate the two parts of the growth:
RMSNorm keeps the ReLU ending but does not subtract a mean (it only divides by the root mean
square), and BatchNorm subtracts each feature's mean over the batch, which is positive after the
branch's hidden ReLU even when the block ends in a linear layer (``DeepMLP`` keyword arguments)."""


@torch.no_grad()
def zero_linear_biases(model: nn.Module) -> nn.Module:
    """Set the bias of every ``nn.Linear`` in ``model`` to 0, in place; return ``model``.

    The weights keep their initialisation, so the result differs from the original net only by
    the biases (``init="he"`` also zeroes them, but changes the weights' scale as well).
    """
    for module in model.modules():
        if isinstance(module, nn.Linear) and module.bias is not None:
            module.bias.zero_()
    return model


def random_batch(seed: int, *, batch_size: int, width: int, n_classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One seeded batch: standard normal inputs ``(batch_size, width)`` and labels in ``[0, n_classes)``.

    Drawn from a generator seeded with ``seed`` (the global random state is not touched).
    """
    data = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    x = torch.randn(batch_size, width, generator=data)
    y = torch.randint(n_classes, (batch_size,), generator=data)
    return x, y


@dataclass
class PerLayerResult:
    """Per-layer values for several configurations.

    ``values[label]`` has shape ``(n_seeds, n_layers)``; column ``j`` is layer ``layer_names[j]``
    (input to output: the stem, each block's Linear, the head).
    """

    layer_names: list[str]
    values: dict[str, np.ndarray]

    def blocks(self, label: str) -> np.ndarray:
        """The columns of the hidden blocks only (stem and head dropped): ``(n_seeds, depth)``."""
        columns = [j for j, name in enumerate(self.layer_names) if name.startswith("blocks.")]
        return self.values[label][:, columns]

    def first_to_last_ratio(self, label: str) -> np.ndarray:
        """Per seed, the first block's value divided by the last block's: ``(n_seeds,)``.

        Far below 1 means the gradient vanishes on its way to the input; far above 1, it explodes.
        """
        blocks = self.blocks(label)
        return blocks[:, 0] / blocks[:, -1]

    def per_block_factor(self, label: str) -> np.ndarray:
        """Per seed, the geometric mean of the factor between successive block columns: ``(n_seeds,)``.

        ``first_to_last_ratio ** (1 / (n - 1))`` for ``n`` block columns; for the backpropagated
        gradients ``dL/dh`` (one column per block) it is the factor that one block multiplies the
        gradient by on its way to the input, the quantity notebook 01 derives.
        """
        n = self.blocks(label).shape[1]
        if n < 2:
            raise ValueError(tr("per_block_factor needs at least two block columns; {label!r} has {n}",
                                label=label, n=n))
        return self.first_to_last_ratio(label) ** (1.0 / (n - 1))


def mlp_grad_norms(
    configs: Mapping[str, Mapping],
    *,
    depth: int = 30,
    width: int = 64,
    seeds=range(5),
    batch_size: int = 128,
    n_classes: int = 10,
) -> PerLayerResult:
    """Per-layer weight-gradient norms of freshly initialised :class:`DeepMLP` models.

    ``configs`` maps a label to keyword arguments of :class:`DeepMLP` (``residual``, ``norm``,
    ``activation``, ...). For each seed, every configuration sees the same batch: standard normal
    inputs ``(batch_size, width)`` and uniform random labels in ``[0, n_classes)``; the loss is
    cross-entropy of the head's logits (nats), and one ``backward()`` gives the gradients.
    """
    return mlp_layer_stats(configs, depth=depth, width=width, seeds=seeds,
                           batch_size=batch_size, n_classes=n_classes).grads


@dataclass
class LayerStats:
    """Weight-gradient norms and hidden-state scales of the same models on the same batch.

    ``grads`` is what :func:`mlp_grad_norms` returns (layers ``stem``, ``blocks.i.linear1``,
    ``blocks.i.linear2``, ``head``). ``activations`` has one column per hidden state, ``stem``
    then ``blocks.0`` ... ``blocks.{depth-1}`` (the output of each block); each value is the root
    mean square of that state over the batch and the width, in the units of the input (standard
    normal, RMS 1). ``state_grads`` has the same columns: the L2 norm of the backpropagated
    gradient ``dL/dh`` at that hidden state, over the whole batch (loss units per unit of ``h``).
    """

    grads: PerLayerResult
    activations: PerLayerResult
    state_grads: PerLayerResult | None = None

    def activation_growth(self, label: str) -> np.ndarray:
        """Per seed, RMS of the last block's output divided by RMS of the stem's: ``(n_seeds,)``."""
        values = self.activations.values[label]
        return values[:, -1] / values[:, 0]


def mlp_layer_stats(
    configs: Mapping[str, Mapping],
    *,
    depth: int = 30,
    width: int = 64,
    seeds=range(5),
    batch_size: int = 128,
    n_classes: int = 10,
    zero_biases: bool = False,
) -> LayerStats:
    """Like :func:`mlp_grad_norms` (same models, batches and gradients), plus each hidden state's RMS.

    One forward pass per model keeps the hidden states (``DeepMLP.hidden_states``, each with
    ``retain_grad()``), the head and a cross-entropy loss follow, and one ``backward()`` gives
    the gradients; so ``result.grads`` is what ``mlp_grad_norms(...)`` returns for the same
    arguments, and ``result.state_grads`` holds ``||dL/dh||`` at every hidden state.
    For a seed, the batch is drawn from a generator seeded with ``seed`` and every model's
    weights from ``torch.manual_seed(seed)``: nothing depends on the global random state before
    the call. ``zero_biases=True`` sets the bias of every ``Linear`` layer (stem, blocks, head)
    to 0 after the initialisation, keeping the weights: the ablation of the biases' share of the
    forward signal.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    if not isinstance(zero_biases, bool):
        raise TypeError(tr("zero_biases must be True or False; got {zero_biases!r}", zero_biases=zero_biases))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    grads: dict[str, list[list[float]]] = {label: [] for label in configs}
    scales: dict[str, list[list[float]]] = {label: [] for label in configs}
    state_grads: dict[str, list[list[float]]] = {label: [] for label in configs}
    layer_names: list[str] = []
    # one model per configuration, its weights drawn again for each seed (the same numbers as a
    # model built after torch.manual_seed(seed), without the cost of building it)
    models = {label: DeepMLP(depth, width, out_features=n_classes, **kwargs) for label, kwargs in configs.items()}
    for seed in seeds:
        x, y = random_batch(seed, batch_size=batch_size, width=width, n_classes=n_classes)
        for label, model in models.items():
            torch.manual_seed(seed)
            model.reset_parameters()
            if zero_biases:
                zero_linear_biases(model)
            states = model.hidden_states(x)
            for state in states:
                state.retain_grad()
            F.cross_entropy(model.head(states[-1]), y).backward()
            norms = per_layer_grad_norms(model)
            layer_names = list(norms)
            grads[label].append(list(norms.values()))
            scales[label].append(torch.stack([s.detach().pow(2).mean() for s in states]).sqrt().tolist())
            # float64, as in per_layer_grad_norms: a deep plain net's dL/dh has float32 squares of 0
            state_grads[label].append(torch.stack(torch._foreach_norm([s.grad.double() for s in states])).tolist())
    state_names = ["stem"] + [f"blocks.{i}" for i in range(depth)]
    return LayerStats(
        PerLayerResult(layer_names, {label: np.array(v) for label, v in grads.items()}),
        PerLayerResult(state_names, {label: np.array(v) for label, v in scales.items()}),
        PerLayerResult(state_names, {label: np.array(v) for label, v in state_grads.items()}),
    )

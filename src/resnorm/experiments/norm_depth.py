"""Activation and gradient scale through a deep MLP at initialisation, for each normalization.

In a plain net the norm sits on the only path (every block normalises its input); in a residual
net :class:`~resnorm.models.DeepMLP` puts it at the start of each branch (pre-norm), so the
residual stream itself is never normalised. The two placements do different things.

The gradient measured is the one a derivation through the blocks' Jacobians predicts: the
backpropagated gradient ``dL/dh`` of each hidden state ``h``, not a weight gradient.

A configuration is a dict of :class:`DeepMLP` keyword arguments plus two ablation switches
applied after construction (see :data:`ABLATION_SWITCHES`): ``zero_biases`` and
``linear1_gain``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_choice, check_float, check_int, check_seeds
from ..i18n import N_, tr
from ..models import DeepMLP

NORM_CONFIGS = {
    **{
        f"{'residual' if residual else 'plain'}{'' if norm is None else ' + ' + label}":
            dict(residual=residual, norm=norm)
        for residual in (False, True)
        for norm, label in ((None, ""), ("layer", "LayerNorm"), ("rms", "RMSNorm"), ("batch", "BatchNorm"))
    },
    **{f"{kind}{suffix}, He init": dict(residual=kind == "residual", norm=norm, init="he")
       for kind in ("plain", "residual") for norm, suffix in ((None, ""), ("layer", " + LayerNorm"))},
}
"""Twelve :class:`DeepMLP` configurations by label: plain / residual, times no norm and the three
norms, at PyTorch's default initialisation (weak branches: ``Var f(h) / Var h ~ 1/18``); and the
plain and residual nets without and with LayerNorm at He initialisation (zero biases), where each
branch is as strong as its input (``Var f(h) ~ Var h`` without a norm)."""

NORM_CONFIG_NAMES = (N_("plain"), N_("plain + LayerNorm"), N_("plain + RMSNorm"), N_("plain + BatchNorm"),
                     N_("residual"), N_("residual + LayerNorm"), N_("residual + RMSNorm"),
                     N_("residual + BatchNorm"), N_("plain, He init"), N_("plain + LayerNorm, He init"),
                     N_("residual, He init"), N_("residual + LayerNorm, He init"))
"""The labels of :data:`NORM_CONFIGS`, written out so that the catalogue has them: the figures
show them in the reader's language (:func:`resnorm.plots.shown_label`)."""

ABLATION_SWITCHES = ("zero_biases", "linear1_gain")
"""Configuration keys that :func:`run_norm_depth` applies after building the model:
``zero_biases=True`` sets every bias to 0 (keeping PyTorch's default weights);
``linear1_gain=g`` multiplies each block's ``linear1`` weights by ``g`` (the activation's input
variance by about ``g**2``)."""

TANH_INPUT_GAIN = math.sqrt(3)
"""At PyTorch's default initialisation ``linear1`` gives the activation inputs of variance about
``1/3`` (weights uniform in ``+-1/sqrt(fan_in)`` on a normalised input); times ``sqrt(3)`` they
have variance about 1, where tanh is clearly non-linear."""

MEAN_REMOVAL_ABLATION = {
    f"{label}, {act}{suffix}": dict(norm=norm, activation=act, **extra)
    for norm, label in (("layer", "LayerNorm"), ("batch", "BatchNorm"))
    for act, suffix, extra in (
        ("relu", "", {}), ("relu", ", zero biases", dict(zero_biases=True)),
        ("tanh", "", {}), ("tanh", ", input var 1", dict(linear1_gain=TANH_INPUT_GAIN)),
        ("identity", "", {}), ("identity", ", zero biases", dict(zero_biases=True)),
    )
    if not (norm == "batch" and act == "identity" and extra)  # BatchNorm subtracts every bias exactly
}
MEAN_REMOVAL_ABLATION["LayerNorm, relu also ending the branch"] = dict(norm="layer", branch="act_before_addition")
"""Plain :class:`DeepMLP` configurations that tell apart what makes a plain normalised net's
gradient grow towards the input: which norm (statistics over an example's features, or over the
batch), which activation and how non-linear it is at its input's scale (tanh at the default
input variance ~1/3, or ~1), whether the biases are zero, and whether the norm's input is a ReLU
output (He et al. 2016b's "ReLU before addition" branch, ``branch="act_before_addition"``).
BatchNorm without an activation has no zero-bias arm: its per-feature mean removes every bias,
so the arm would equal the one with biases."""

MEAN_REMOVAL_NAMES = ("LayerNorm, relu", N_("LayerNorm, relu, zero biases"), "LayerNorm, tanh",
                      N_("LayerNorm, tanh, input var 1"), "LayerNorm, identity", N_("LayerNorm, identity, zero biases"),
                      "BatchNorm, relu", N_("BatchNorm, relu, zero biases"), "BatchNorm, tanh",
                      N_("BatchNorm, tanh, input var 1"), "BatchNorm, identity",
                      N_("LayerNorm, relu also ending the branch"))
"""The labels of :data:`MEAN_REMOVAL_ABLATION`, written out so that the catalogue has those with
words to translate: the figures show them in the reader's language."""

MEAN_REMOVAL_FACTOR = 1 / math.sqrt(1 - 1 / math.pi)
"""``1/sqrt(1 - 1/pi) ~ 1.21``: root mean square over standard deviation of ``relu(z)``, ``z`` a
centred Gaussian; ``mean_field_rate("relu", v)`` for every ``v``."""


def mean_field_rate(activation: str, input_var: float) -> float:
    """Infinite-width gradient growth per block of a plain net with a norm before ``activation``.

    ``sqrt(E[phi'(u)^2] Var u / Var phi(u))`` for ``u ~ N(0, input_var)``: the norm restores the
    forward variance that ``phi`` loses, while the backward pass loses only ``E[phi'(u)^2]``; the
    estimate assumes that the rest of the block scales the forward mean square and the backward
    gradient alike. ReLU: ``1/sqrt(1 - 1/pi)`` at every ``input_var`` (the lost part is its squared
    mean); identity: 1; tanh: 1 in the linear regime, growing with ``input_var`` (computed by
    100-point Gauss-Hermite quadrature).
    """
    check_choice("activation", activation, ("relu", "tanh", "identity"))
    input_var = check_float("input_var", input_var, minimum=0.0, strict_minimum=True)
    if activation != "tanh":
        return MEAN_REMOVAL_FACTOR if activation == "relu" else 1.0
    nodes, weights = np.polynomial.hermite_e.hermegauss(100)
    weights = weights / weights.sum()
    phi = np.tanh(nodes * math.sqrt(input_var))
    return float(math.sqrt(weights @ (1 - phi ** 2) ** 2 * input_var / (weights @ phi ** 2)))


@dataclass
class NormDepthResult:
    """Per-layer scale of activations and of the backpropagated gradient, per configuration.

    Both dicts map a label to ``(n_seeds, depth + 1)``: column 0 is the stem's output (the first
    block's input), column ``i`` the output of block ``i - 1``. ``activation_rms``: root mean
    square of that hidden state over the batch and the width (the input has RMS 1).
    ``state_grad_rms``: root mean square of ``dL/dh`` for that hidden state ``h`` (``L`` the mean
    cross-entropy, nats).
    """

    activation_rms: dict[str, np.ndarray]
    state_grad_rms: dict[str, np.ndarray]

    def growth(self, label: str) -> np.ndarray:
        """Per seed: RMS of the last block's output divided by that of the first block's."""
        rms = self.activation_rms[label]
        return rms[:, -1] / rms[:, 1]

    def grad_ratio(self, label: str) -> np.ndarray:
        """Per seed: RMS of ``dL/dh`` at the first block's input over that at the last block's output.

        Far below 1: the gradient vanishes on its way to the input; far above 1: it grows.
        """
        grad = self.state_grad_rms[label]
        return grad[:, 0] / grad[:, -1]

    def per_block(self, label: str) -> np.ndarray:
        """Per seed: the factor by which the gradient grows per block, ``grad_ratio ** (1/depth)``."""
        depth = self.state_grad_rms[label].shape[1] - 1
        return self.grad_ratio(label) ** (1 / depth)


def _build(depth: int, width: int, n_classes: int, config: Mapping) -> DeepMLP:
    kwargs = {k: v for k, v in config.items() if k not in ABLATION_SWITCHES}
    zero_biases = config.get("zero_biases", False)
    if not isinstance(zero_biases, bool):
        raise TypeError(tr("zero_biases must be True or False; got {zero_biases!r}", zero_biases=zero_biases))
    gain = check_float("linear1_gain", config.get("linear1_gain", 1.0), minimum=0.0)
    model = DeepMLP(depth, width, out_features=n_classes, **kwargs)
    with torch.no_grad():
        for block in model.blocks:
            block.linear1.weight.mul_(gain)
        if zero_biases:
            for module in model.modules():
                if isinstance(module, torch.nn.Linear):
                    module.bias.zero_()
    return model


def run_norm_depth(configs: Mapping[str, Mapping] = NORM_CONFIGS, *, depth: int = 30, width: int = 64,
                   seeds=range(5), batch_size: int = 128, n_classes: int = 10) -> NormDepthResult:
    """One forward and backward pass per configuration and seed, on the same batch per seed.

    ``configs`` maps a label to :class:`DeepMLP` keyword arguments, plus optionally the
    :data:`ABLATION_SWITCHES`. Per seed, the batch (inputs
    standard normal ``(batch_size, width)``, labels uniform in ``[0, n_classes)``) and the
    weights (``torch.manual_seed(seed)`` before building each model) come from that seed. The
    loss is the cross-entropy of the head's logits. BatchNorm uses batch statistics (train mode).
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    scales: dict[str, list[list[float]]] = {label: [] for label in configs}
    grads: dict[str, list[list[float]]] = {label: [] for label in configs}
    for seed in seeds:
        data = torch.Generator().manual_seed(seed)
        x = torch.randn(batch_size, width, generator=data)
        y = torch.randint(n_classes, (batch_size,), generator=data)
        for label, kwargs in configs.items():
            torch.manual_seed(seed)
            model = _build(depth, width, n_classes, kwargs).requires_grad_(False)
            states = model.hidden_states(x.requires_grad_(True))  # only dL/dh is needed, no weight gradients
            state_grads = torch.autograd.grad(F.cross_entropy(model.head(states[-1]), y), states)
            scales[label].append(torch.stack([s.detach().pow(2).mean().sqrt() for s in states]).tolist())
            grads[label].append(torch.stack([g.pow(2).mean().sqrt() for g in state_grads]).tolist())
    return NormDepthResult({k: np.array(v) for k, v in scales.items()},
                           {k: np.array(v) for k, v in grads.items()})

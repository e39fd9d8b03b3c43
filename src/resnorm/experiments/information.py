"""What LayerNorm throws away (each vector's mean and scale) and when a network loses it for good.

LayerNorm maps ``x`` and ``a x + b`` (``a > 0`` and ``b`` numbers, one per vector) to the same
output: two numbers per token are discarded, and nothing else (:func:`what_layernorm_discards`).
Whether a *network* loses them depends on where the norm sits:

- LayerNorm applied to the raw input: the scale is gone before any layer sees it;
- Post-LN residual (``h = LN(h + f(h))``): the stream is normalised after every block, so its
  norm is fixed; the scale survives only if the first layers wrote it into the direction;
- Pre-LN residual (``h = h + f(LN(h))``): the stream itself is never normalised; the branches read
  a normalised copy. The stream is ``stem(x)`` plus the branch outputs (not ``x``), so it only
  partly follows the input's scale; with a final LayerNorm before the head (as every Pre-LN
  Transformer has), the scale survives only in the direction, as for Post-LN.

The rule the ablations test: the scale is lost for good only where everything before a norm is
positively homogeneous in the input's scale (adds nothing fixed that stays the same when the
input is scaled), e.g. a norm on the raw input, or bias-free linear + ReLU layers before it
(``"Post-LN residual, no biases"``: every ``nn.Linear`` bias zeroed and frozen).

:func:`run_scale_task` trains the models of :data:`MODELS` on a task whose label *is* the input's
scale (:func:`scale_task`), and :func:`stream_scale` shows at initialisation how much of the
input's scale each residual stream keeps. Every norm of these models is PyTorch's ``nn.LayerNorm``
(the values of :class:`resnorm.norms.LayerNorm` in one fused operation, so training is faster).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_float, check_int, check_seeds
from ..i18n import N_, tr
from ..models import DeepMLP, MLPBlock
from ..stacked import stack_batches, train_stacked
from .cost import use_torch_norms

MODELS = (N_("LayerNorm on the input"), N_("Post-LN residual"), N_("Post-LN residual, no biases"),
          N_("Pre-LN residual"), N_("Pre-LN residual + final LN"))
"""The networks of :func:`run_scale_task`, by label (:func:`make_model`)."""


def discarded_statistics(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The two numbers per vector that LayerNorm discards: ``mean`` and ``std`` (biased), ``(..., 1)``.

    With them, ``x == mean + std * layer_norm(x)`` (for ``eps -> 0``, gain 1 and bias 0).
    """
    if not isinstance(x, torch.Tensor) or x.dim() < 1:
        raise TypeError(tr("x must be a torch.Tensor of shape (..., d)"))
    mean = x.mean(-1, keepdim=True)
    std = (x - mean).pow(2).mean(-1, keepdim=True).sqrt()
    return mean, std


@dataclass(frozen=True)
class DiscardResult:
    """How much LayerNorm's output moves when each vector is re-scaled and shifted
    (``change_per_vector``), when one feature is shifted for every vector (``change_per_feature``),
    and how exactly ``mean + std * LN(x)`` rebuilds ``x`` (``rebuild_error``); all are maxima of
    absolute differences, in units of the output (LN outputs have unit variance)."""

    change_per_vector: float
    change_per_feature: float
    rebuild_error: float


def what_layernorm_discards(*, n: int = 256, d: int = 16, seed: int = 0) -> DiscardResult:
    """Apply ``x -> a x + b`` (``a`` log-uniform in [0.1, 10], ``b`` ~ N(0, 9), one pair per vector)
    and ``x -> x + c e_0`` (the first feature shifted by ``c = 3`` for all vectors) to standard
    normal ``x`` of shape ``(n, d)``, and measure LayerNorm's output change (``nn.LayerNorm(d)``
    at initialisation: gain 1, bias 0)."""
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=2)
    g = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    x = torch.randn(n, d, generator=g)
    a = 10 ** (2 * torch.rand(n, 1, generator=g) - 1)
    b = 3 * torch.randn(n, 1, generator=g)
    shift = torch.zeros(1, d)
    shift[0, 0] = 3.0
    norm = nn.LayerNorm(d)
    with torch.no_grad():
        out = norm(x)
        per_vector = (norm(a * x + b) - out).abs().max().item()
        per_feature = (norm(x + shift) - out).abs().max().item()
        mean, std = discarded_statistics(x)
        rebuild = (mean + std * F.layer_norm(x, (d,), eps=0.0) - x).abs().max().item()
    return DiscardResult(per_vector, per_feature, rebuild)


def scale_task(n_samples: int, in_features: int = 16, *, seed: int = 0, max_log_scale: float = 1.5):
    """A task whose answer is the input's scale: is this vector loud or quiet?

    ``x = exp(u) z`` with ``z`` standard normal ``(n_samples, in_features)`` and ``u`` uniform in
    ``[-max_log_scale, max_log_scale]``; the label is ``1`` if ``u > 0`` (loud) else ``0``. The
    direction ``z / |z|`` carries no information about the label. Returns ``x`` (float32), ``y``
    (int64) and ``u`` (float32, the log-scale), each with ``n_samples`` rows.
    """
    n_samples = check_int("n_samples", n_samples, minimum=1)
    in_features = check_int("in_features", in_features, minimum=1)
    max_log_scale = check_float("max_log_scale", max_log_scale, minimum=0.0, strict_minimum=True)
    g = torch.Generator().manual_seed(check_int("seed", seed, minimum=0))
    z = torch.randn(n_samples, in_features, generator=g)
    u = (2 * torch.rand(n_samples, generator=g) - 1) * max_log_scale
    return z * u.exp()[:, None], (u > 0).long(), u


class PostLNMLP(nn.Module):
    """``stem -> depth x [h = LN(h + f(h))] -> head``: the Post-LN counterpart of
    ``DeepMLP(residual=True, norm="layer")``, with the same branch ``f(h) = linear2(relu(linear1(h)))``
    (a residual :class:`~resnorm.models.MLPBlock` without a norm of its own) and the LayerNorm moved
    from the start of the branch onto the stream. Same parameters; input ``(batch, in_features)``,
    output ``(batch, out_features)``."""

    def __init__(self, depth: int, width: int, *, in_features: int, out_features: int):
        super().__init__()
        depth = check_int("depth", depth, minimum=1)
        width = check_int("width", width, minimum=1)
        self.stem = nn.Linear(in_features, width)
        self.blocks = nn.ModuleList(MLPBlock(width, residual=True, norm=None, activation="relu")
                                    for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(width) for _ in range(depth))
        self.head = nn.Linear(width, out_features)

    def stream(self, x: torch.Tensor) -> torch.Tensor:
        """The residual stream after the last block, ``(batch, width)``."""
        h = self.stem(x)
        for block, norm in zip(self.blocks, self.norms):
            h = norm(block(h))
        return h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.stream(x))


class FinalNormMLP(nn.Module):
    """A Pre-LN residual :class:`DeepMLP` with a LayerNorm on its last hidden state, before the head
    (the final norm of every Pre-LN Transformer). Input ``(batch, in_features)``, output
    ``(batch, out_features)``."""

    def __init__(self, depth: int, width: int, *, in_features: int, out_features: int):
        super().__init__()
        self.net = use_torch_norms(DeepMLP(depth, width, in_features=in_features, out_features=out_features,
                                           residual=True, norm="layer"))
        self.final_norm = nn.LayerNorm(width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net.head(self.final_norm(self.net.hidden_states(x)[-1]))


def remove_biases(model: nn.Module) -> nn.Module:
    """Zero every ``nn.Linear`` bias of ``model`` and freeze it (``requires_grad=False``), in place;
    returns ``model``. The norms' own shifts are left alone (they come after the norm)."""
    if not isinstance(model, nn.Module):
        raise TypeError(tr("model must be a torch.nn.Module; got {type_name}", type_name=type(model).__name__))
    for module in model.modules():
        if isinstance(module, nn.Linear) and module.bias is not None:
            with torch.no_grad():
                module.bias.zero_()
            module.bias.requires_grad_(False)
    return model


class InputNormMLP(nn.Module):
    """``LayerNorm(in_features)`` on the raw input, then a Pre-LN residual :class:`DeepMLP`."""

    def __init__(self, depth: int, width: int, *, in_features: int, out_features: int):
        super().__init__()
        self.input_norm = nn.LayerNorm(in_features)
        self.net = use_torch_norms(DeepMLP(depth, width, in_features=in_features, out_features=out_features,
                                           residual=True, norm="layer"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(self.input_norm(x))


def make_model(label: str, depth: int, width: int, *, in_features: int, out_features: int) -> nn.Module:
    """One of :data:`MODELS` by label (all have the same blocks and nearly the same size)."""
    if label not in MODELS:
        raise ValueError(tr("label must be one of {choices}; got {label!r}",
                            choices=', '.join(map(repr, MODELS)), label=label))
    sizes = dict(in_features=in_features, out_features=out_features)
    if label == "LayerNorm on the input":
        return InputNormMLP(depth, width, **sizes)
    if label == "Post-LN residual":
        return PostLNMLP(depth, width, **sizes)
    if label == "Post-LN residual, no biases":
        return remove_biases(PostLNMLP(depth, width, **sizes))
    if label == "Pre-LN residual + final LN":
        return FinalNormMLP(depth, width, **sizes)
    return use_torch_norms(DeepMLP(depth, width, residual=True, norm="layer", **sizes))


def _pre_ln_stream(model: DeepMLP, x: torch.Tensor) -> torch.Tensor:
    return model.hidden_states(x)[-1]


@dataclass
class StreamScaleResult:
    """At initialisation, per seed: ``log_scale`` ``(n_seeds, n)`` of that seed's inputs and, per
    residual model, ``log_norm[label]`` ``(n_seeds, n)``: log of the residual stream's norm after
    the last block."""

    log_scale: np.ndarray
    log_norm: dict[str, np.ndarray]

    def slope(self, label: str) -> np.ndarray:
        """Per seed, the least-squares slope of log stream norm against log input scale:
        1 means the stream's norm follows the input's scale, 0 means it is blind to it."""
        u = self.log_scale - self.log_scale.mean(axis=1, keepdims=True)
        values = self.log_norm[label]
        values = values - values.mean(axis=1, keepdims=True)
        return (values * u).sum(axis=1) / (u * u).sum(axis=1)


def stream_scale(*, depth: int = 2, width: int = 32, in_features: int = 16, n: int = 512,
                 seeds=range(3)) -> StreamScaleResult:
    """Feed :func:`scale_task` inputs to fresh Post-LN and Pre-LN residual nets; record the stream's norm.

    Per seed: the inputs (``n`` of them) and both nets' weights come from ``seed``.
    """
    seeds = check_seeds("seeds", seeds)
    n = check_int("n", n, minimum=2)
    log_scale = []
    log_norm = {label: [] for label in ("Post-LN residual", "Pre-LN residual")}
    with torch.no_grad():
        for seed in seeds:
            x, _, u = scale_task(n, in_features, seed=seed)
            log_scale.append(u.numpy())
            for label in log_norm:
                torch.manual_seed(seed)
                model = make_model(label, depth, width, in_features=in_features, out_features=2)
                h = model.stream(x) if label == "Post-LN residual" else _pre_ln_stream(model, x)
                log_norm[label].append(h.norm(dim=1).log().numpy())
    return StreamScaleResult(np.array(log_scale), {k: np.array(v) for k, v in log_norm.items()})


@dataclass
class ScaleTaskResult:
    """``test_accuracy[label]``: ``(n_seeds,)`` accuracy on held-out data (chance is about 0.5);
    ``losses[label]``: ``(n_seeds, steps)`` training loss (nats)."""

    test_accuracy: dict[str, np.ndarray]
    losses: dict[str, np.ndarray]


def run_scale_task(*, depth: int = 2, width: int = 32, in_features: int = 16, n_train: int = 1024,
                   n_test: int = 2000, steps: int = 150, batch_size: int = 128, lr: float = 3e-3,
                   seeds=range(3), models=MODELS) -> ScaleTaskResult:
    """Train each of ``models`` on :func:`scale_task` (Adam, minibatches) and test on fresh data.

    Per seed: training and test data (one draw of ``n_train + n_test`` examples, split), weights
    and minibatch order all from ``seed``; every model sees the same minibatches. The seeds of one
    model are trained side by side (:func:`resnorm.stacked.train_stacked`).
    """
    seeds = check_seeds("seeds", seeds)
    steps = check_int("steps", steps, minimum=1)
    n_train = check_int("n_train", n_train, minimum=1)
    n_test = check_int("n_test", n_test, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    for label in models:
        if label not in MODELS:
            raise ValueError(tr("models must contain only {choices}; got {label!r}",
                                choices=', '.join(map(repr, MODELS)), label=label))
    data = [scale_task(n_train + n_test, in_features, seed=seed) for seed in seeds]
    x_all, y_all = torch.stack([x for x, _, _ in data]), torch.stack([y for _, y, _ in data])
    x, y, x_test, y_test = x_all[:, :n_train], y_all[:, :n_train], x_all[:, n_train:], y_all[:, n_train:]
    order = torch.stack([torch.randint(n_train, (steps, batch_size), generator=torch.Generator().manual_seed(seed))
                         for seed in seeds])
    accuracy, losses = {}, {}
    for label in models:
        nets = []
        for seed in seeds:
            torch.manual_seed(seed)
            nets.append(make_model(label, depth, width, in_features=in_features, out_features=2))
        losses[label] = train_stacked(nets, lambda step: stack_batches(x, y, index=order[:, step]),
                                      steps=steps, lr=lr).losses
        with torch.no_grad():
            accuracy[label] = np.array([(net.eval()(x_test[k]).argmax(1) == y_test[k]).float().mean().item()
                                        for k, net in enumerate(nets)])
    return ScaleTaskResult(accuracy, losses)

"""LayerNorm's backward pass, and what scale invariance does to the weights that feed a norm.

1. The gradient LayerNorm passes back, ``dL/dx = (1/sigma) (v - mean(v) - x_hat mean(v x_hat))``
   with ``v = gamma * dL/dy``, is orthogonal to the all-ones vector and to the normalised input
   ``x_hat`` (the two directions LayerNorm ignores: shifting ``x`` and scaling it). RMSNorm
   subtracts no mean, so its gradient is orthogonal to ``x`` only: the ablation.
2. A weight matrix ``W`` whose output goes straight into a norm leaves the loss unchanged when it
   is scaled, ``L(cW) = L(W)``; hence ``<dL/dW, W> = 0`` and ``dL/dW(cW) = dL/dW(W) / c``. Plain
   SGD then only ever increases ``|W|`` (``|W'|^2 = |W|^2 + lr^2 |g|^2``), and for a given direction
   ``W/|W|`` the relative step is ``|dW| / |W| = (lr / |W|^2) |dL/dW (W/|W|)|``: the effective
   learning rate is ``lr / |W|^2`` (van Laarhoven 2017). Weight decay shrinks ``|W|`` every step and
   pulls it towards the norm at which shrinking and gradient growth balance.
   Ablations: the readout layer of the same net and the first layer of a net without the norm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_float, check_int, check_seeds
from ..data import teacher_classification
from ..i18n import tr
from ..norms import RMSNorm
from ..optimizers import SGD


def layernorm_input_grad(x: torch.Tensor, upstream: torch.Tensor, weight: torch.Tensor,
                         eps: float = 1e-5) -> torch.Tensor:
    """``dL/dx`` of ``nn.LayerNorm`` over the last axis, in closed form, for ``dL/dy = upstream``.

    ``x`` and ``upstream`` ``(..., d)``, ``weight`` (the gain) ``(d,)``. The bias does not enter.
    """
    if x.shape != upstream.shape or weight.shape != x.shape[-1:]:
        raise ValueError(tr("x and upstream must have the same shape (..., d) and weight (d,); got {x_shape}, "
                            "{upstream_shape}, {weight_shape}",
                            x_shape=tuple(x.shape), upstream_shape=tuple(upstream.shape),
                            weight_shape=tuple(weight.shape)))
    eps = check_float("eps", eps, minimum=0.0)
    sigma = (x.var(-1, keepdim=True, correction=0) + eps).sqrt()
    x_hat = (x - x.mean(-1, keepdim=True)) / sigma
    v = weight * upstream
    return (v - v.mean(-1, keepdim=True) - x_hat * (v * x_hat).mean(-1, keepdim=True)) / sigma


def _cosine(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Cosine between matching rows (or whole tensors flattened when 1-row), ``(rows,)``."""
    return (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1))


@dataclass
class NormGradientResult:
    """Per seed ``(n_seeds,)``: the largest ``|cosine|`` over the batch between the input
    gradient and a direction. ``ln_ones``, ``ln_xhat``: LayerNorm's gradient with the all-ones
    vector and with its normalised input; ``rms_ones``, ``rms_x``: RMSNorm's with the all-ones
    vector (median ``|cosine|`` over the batch: the ablation) and with its input.
    ``closed_form_error``: ``max |autograd - closed form| / max |autograd|`` for LayerNorm."""

    ln_ones: np.ndarray
    ln_xhat: np.ndarray
    rms_ones: np.ndarray
    rms_x: np.ndarray
    closed_form_error: np.ndarray


def run_norm_gradient(seeds=range(3), *, d: int = 64, batch_size: int = 32) -> NormGradientResult:
    """Inputs ``3 z + 2`` (not normalised, mean 2), a random gain, a random upstream gradient."""
    seeds = check_seeds("seeds", seeds)
    d = check_int("d", d, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    out = {k: [] for k in ("ln_ones", "ln_xhat", "rms_ones", "rms_x", "err")}
    ones = torch.ones(d)
    for seed in seeds:
        g = torch.Generator().manual_seed(seed)
        x = (3 * torch.randn(batch_size, d, generator=g) + 2).requires_grad_(True)
        upstream = torch.randn(batch_size, d, generator=g)
        gain = 1 + 0.5 * torch.randn(d, generator=g)
        ln, rms = nn.LayerNorm(d), RMSNorm(d)
        with torch.no_grad():
            ln.weight.copy_(gain)
            rms.weight.copy_(gain)
        (grad_ln,) = torch.autograd.grad(ln(x), x, upstream)
        (grad_rms,) = torch.autograd.grad(rms(x), x, upstream)
        x = x.detach()
        x_hat = (x - x.mean(-1, keepdim=True)) / x.std(-1, keepdim=True, correction=0)
        out["ln_ones"].append(_cosine(grad_ln, ones).abs().max().item())
        out["ln_xhat"].append(_cosine(grad_ln, x_hat).abs().max().item())
        out["rms_ones"].append(_cosine(grad_rms, ones).abs().median().item())
        out["rms_x"].append(_cosine(grad_rms, x).abs().max().item())
        closed = layernorm_input_grad(x, upstream, gain, ln.eps)
        out["err"].append(((closed - grad_ln).abs().max() / grad_ln.abs().max()).item())
    return NormGradientResult(*(np.array(out[k]) for k in ("ln_ones", "ln_xhat", "rms_ones", "rms_x", "err")))


class NormedNet(nn.Module):
    """``first`` (no bias) -> LayerNorm (optional) -> ReLU -> ``head``: the smallest net in which
    a weight matrix (``first``) feeds a norm. Input ``(batch, in_features)``, logits
    ``(batch, n_classes)``. Without the norm, ``first`` is an ordinary layer (the ablation)."""

    def __init__(self, in_features: int, width: int, n_classes: int, *, norm: bool = True):
        super().__init__()
        self.first = nn.Linear(in_features, width, bias=False)
        self.norm = nn.LayerNorm(width) if norm else nn.Identity()
        self.head = nn.Linear(width, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.norm(self.first(x))))


@dataclass
class ScaleInvarianceResult:
    """At initialisation, per seed ``(n_seeds,)``: cosines ``<dL/dW, W> / (|dL/dW| |W|)`` for the
    layer feeding the norm (``cos_first``), the readout layer of the same net (``cos_head``) and the
    first layer of the net without the norm (``cos_first_no_norm``); ``grad_scaling``:
    ``c |dL/dW(cW)| / |dL/dW(W)|`` for ``c`` in ``scales``, ``(n_seeds, n_scales)``.

    During ``steps`` steps of full-batch SGD, for each weight decay in ``weight_decays``
    ``(n_decays, n_seeds, steps + 1)``: ``weight_norm`` ``|W|`` of the layer feeding the norm and
    ``loss`` (cross-entropy, nats); ``(n_decays, n_seeds, steps)``: ``relative_step``
    ``|W_{t+1} - W_t| / |W_t|`` and ``norm_identity_error``: ``| |W_{t+1}|^2 - (1 - lr wd)^2 |W_t|^2
    - lr^2 |g_t|^2 | / |W_{t+1}|^2`` (0 when the gradient is orthogonal to ``W``).
    ``gamma_mean``: the norm's mean gain at the end, ``(n_decays, n_seeds)`` (never decayed).
    """

    scales: tuple[float, ...]
    weight_decays: tuple[float, ...]
    lr: float
    cos_first: np.ndarray
    cos_head: np.ndarray
    cos_first_no_norm: np.ndarray
    grad_scaling: np.ndarray
    weight_norm: np.ndarray
    relative_step: np.ndarray
    norm_identity_error: np.ndarray
    loss: np.ndarray
    gamma_mean: np.ndarray


def _first_grad(model: NormedNet, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    return model.first.weight.grad.clone()


def run_scale_invariance(seeds=range(3), *, width: int = 32, n_samples: int = 128, steps: int = 100,
                         lr: float = 1.5, weight_decays=(0.0, 0.1), scales=(0.5, 2.0, 4.0)
                         ) -> ScaleInvarianceResult:
    """:class:`NormedNet` on ``teacher_classification(n_samples, seed=seed)`` (16 inputs, 4 classes),
    initial weights from ``torch.manual_seed(seed)``. Full-batch SGD without momentum
    (:class:`resnorm.optimizers.SGD`), weight decay only on ``first``, the scale-invariant weights:
    on them it cannot change the function the net computes, only ``|W|`` and with it the effective
    learning rate ``lr / |W|^2`` (decaying ``head`` too would also shrink the logits)."""
    seeds = check_seeds("seeds", seeds)
    width = check_int("width", width, minimum=2)
    n_samples = check_int("n_samples", n_samples, minimum=2)
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    weight_decays = tuple(check_float(f"weight_decays[{i}]", w, minimum=0.0) for i, w in enumerate(weight_decays))
    scales = tuple(check_float(f"scales[{i}]", c, minimum=0.0, strict_minimum=True) for i, c in enumerate(scales))
    if not weight_decays or not scales:
        raise ValueError(tr("weight_decays and scales must each contain at least one value"))
    cos = {k: [] for k in ("first", "head", "no_norm")}
    scaling = []
    shape = (len(weight_decays), len(seeds))
    weight_norm, loss = np.zeros(shape + (steps + 1,)), np.zeros(shape + (steps + 1,))
    relative_step, identity_error = np.zeros(shape + (steps,)), np.zeros(shape + (steps,))
    gamma_mean = np.zeros(shape)
    for k, seed in enumerate(seeds):
        x, y = teacher_classification(n_samples, 16, 4, seed=seed)
        torch.manual_seed(seed)
        model = NormedNet(16, width, 4)
        torch.manual_seed(seed)
        plain = NormedNet(16, width, 4, norm=False)
        initial = {name: p.detach().clone() for name, p in model.state_dict().items()}
        g0 = _first_grad(model, x, y)
        cos["first"].append(_cosine(g0.flatten(), model.first.weight.detach().flatten()).item())
        cos["head"].append(_cosine(model.head.weight.grad.flatten(), model.head.weight.detach().flatten()).item())
        g_plain = _first_grad(plain, x, y)
        cos["no_norm"].append(_cosine(g_plain.flatten(), plain.first.weight.detach().flatten()).item())
        row = []
        for c in scales:
            with torch.no_grad():
                model.first.weight.copy_(c * initial["first.weight"])
            row.append(c * _first_grad(model, x, y).norm().item() / g0.norm().item())
        scaling.append(row)
        for i, wd in enumerate(weight_decays):
            model.load_state_dict(initial)
            w = model.first.weight
            others = [p for p in model.parameters() if p is not w]
            optimizers = (SGD([w], lr=lr, weight_decay=wd), SGD(others, lr=lr))
            norm_sq, grad_sq = torch.zeros(steps + 1), torch.zeros(steps)
            step_norm, losses = torch.zeros(steps), torch.zeros(steps + 1)
            for t in range(steps):
                before = w.detach().clone()
                model.zero_grad()
                current = F.cross_entropy(model(x), y)
                current.backward()
                for optimizer in optimizers:
                    optimizer.step()
                with torch.no_grad():
                    losses[t] = current
                    norm_sq[t] = before.pow(2).sum()
                    grad_sq[t] = w.grad.pow(2).sum()
                    step_norm[t] = (w - before).norm()
            with torch.no_grad():
                norm_sq[steps] = w.pow(2).sum()
                losses[steps] = F.cross_entropy(model(x), y)
                gamma_mean[i, k] = model.norm.weight.mean().item()
            n = norm_sq.double().numpy()
            weight_norm[i, k] = np.sqrt(n)
            loss[i, k] = losses.numpy()
            relative_step[i, k] = step_norm.numpy() / weight_norm[i, k, :-1]
            predicted = (1 - lr * wd) ** 2 * n[:-1] + lr ** 2 * grad_sq.double().numpy()
            identity_error[i, k] = np.abs(n[1:] - predicted) / n[1:]
    return ScaleInvarianceResult(scales, weight_decays, lr, np.array(cos["first"]), np.array(cos["head"]),
                                 np.array(cos["no_norm"]), np.array(scaling), weight_norm, relative_step,
                                 identity_error, loss, gamma_mean)

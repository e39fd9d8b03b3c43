"""What residual connections and normalization cost: FLOPs (counted), memory (measured), time (measured).

The model is :class:`~resnorm.models.DeepMLP` (``stem -> depth x block -> head``, all of width
``d``) in four variants that differ in one place each (:data:`VARIANTS`). The norms are PyTorch's
own ``nn.LayerNorm`` and ``nn.RMSNorm`` (what a practitioner uses), unless ``fused=False`` asks for
the course's from-scratch versions, which compute the same values with more, smaller operations.

- **FLOPs** are counted with a stated convention (:func:`block_flops`); PyTorch's
  ``FlopCounterMode`` counts only the matrix multiplications, which the four variants share.
- **Activation memory** is the bytes of the tensors autograd keeps for the backward pass,
  recorded with ``torch.autograd.graph.saved_tensors_hooks`` (each storage counted once,
  parameters excluded). Deterministic: it depends on shapes only.
- **Time** of one forward + backward pass is measured as the CPU time of the thread that computes
  it (``time.thread_time``; :func:`resnorm.setup` gives PyTorch one thread, and autograd runs CPU
  work in the calling thread), so the moments when the operating system hands the CPU to another
  program are not counted; wall time (``clock="wall"``) jumps by factors of 2-4 on a busy
  machine. The variants are timed in alternation, each round keeps the fastest of a few passes,
  and results are ratios to the plain net measured in the same round.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from .._validation import check_choice, check_int
from ..i18n import tr
from ..models import DeepMLP

VARIANTS = {
    "plain": dict(residual=False, norm=None),
    "residual": dict(residual=True, norm=None),
    "residual + LayerNorm": dict(residual=True, norm="layer"),
    "residual + RMSNorm": dict(residual=True, norm="rms"),
}
"""The four blocks compared, around the branch ``f(h) = linear2(relu(linear1(h)))`` of
:class:`~resnorm.models.DeepMLP`: plain ``h -> f(h)``, residual ``h -> h + f(h)``, and the residual
block with a LayerNorm or an RMSNorm at the start of the branch (Pre-LN, ``h -> h + f(norm(h))``)."""

FLOP_CONVENTION = {
    "linear": "2 x (2 d^2 + d): the branch's two linear layers (a multiply-add is 2 FLOPs; plus the bias)",
    "relu": "d (between the two linear layers)",
    "add": "d (the residual sum)",
    "LayerNorm": "7 d + 2 (mean, centre, square, mean, scale, weight, bias; eps and rsqrt)",
    "RMSNorm": "4 d + 2 (square, mean, scale, weight; eps and rsqrt)",
}
"""Forward FLOPs per token of each part of a block of width ``d``, as :func:`block_flops` counts them."""


def _check_variant(variant: str) -> str:
    return check_choice("variant", variant, tuple(VARIANTS))


def cost_model(variant: str, width: int, depth: int, *, fused: bool = True, seed: int = 0,
               branch: str = "standard") -> DeepMLP:
    """A :class:`DeepMLP` of ``depth`` blocks of width ``width`` (input and output too) in ``variant``.

    With ``fused`` the norms are ``torch.nn.LayerNorm(width)`` / ``torch.nn.RMSNorm(width, eps=1e-6)``;
    without, the course's from-scratch :mod:`resnorm.norms` layers. Weights from ``seed``.
    ``branch`` is passed to :class:`DeepMLP` (``"act_before_addition"``: He et al.'s ablation).
    """
    _check_variant(variant)
    width = check_int("width", width, minimum=1)
    depth = check_int("depth", depth, minimum=1)
    if not isinstance(fused, bool):
        raise TypeError(tr("fused must be True or False; got {fused!r}", fused=fused))
    torch.manual_seed(check_int("seed", seed, minimum=0))
    model = DeepMLP(depth, width, branch=branch, **VARIANTS[variant])
    return use_torch_norms(model) if fused else model


def use_torch_norms(model: DeepMLP) -> DeepMLP:
    """Replace, in place, each block's from-scratch norm of a :class:`DeepMLP` by PyTorch's own:
    ``nn.LayerNorm(width)`` for ``norm="layer"``, ``nn.RMSNorm(width, eps=1e-6)`` for ``"rms"``
    (same values at initialisation: gain 1, bias 0). Returns ``model``; a model without norms is
    returned unchanged."""
    if not isinstance(model, DeepMLP):
        raise TypeError(tr("model must be a resnorm.models.DeepMLP; got {type_name}", type_name=type(model).__name__))
    norm, width = model.config["norm"], model.config["width"]
    if norm not in (None, "layer", "rms"):
        raise ValueError(tr("model's norm must be None, 'layer' or 'rms' to swap in PyTorch's; got {norm!r}",
                            norm=norm))
    if norm is not None:
        for block in model.blocks:
            block.norm = nn.LayerNorm(width) if norm == "layer" else nn.RMSNorm(width, eps=1e-6)
    return model


def block_flops(variant: str, width: int) -> dict[str, int]:
    """Forward FLOPs per token of one block of ``variant`` at width ``width``, by part.

    Keys ``"linear"``, ``"relu"``, ``"add"``, ``"norm"`` (0 where the variant has no such part);
    the convention is :data:`FLOP_CONVENTION`.
    """
    _check_variant(variant)
    d = check_int("width", width, minimum=1)
    norm = VARIANTS[variant]["norm"]
    return {
        "linear": 2 * (2 * d * d + d),
        "relu": d,
        "add": d if VARIANTS[variant]["residual"] else 0,
        "norm": {None: 0, "layer": 7 * d + 2, "rms": 4 * d + 2}[norm],
    }


def forward_flops(variant: str, width: int, depth: int, batch_size: int) -> int:
    """Forward FLOPs of the whole :func:`cost_model` on a batch: stem, ``depth`` blocks, head."""
    depth = check_int("depth", depth, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    per_token = depth * sum(block_flops(variant, width).values()) + 2 * (2 * width * width + width)
    return batch_size * per_token


def matmul_flops(model: nn.Module, x: torch.Tensor) -> int:
    """FLOPs of ``model(x)`` (forward) as PyTorch's ``FlopCounterMode`` counts them.

    It counts matrix multiplications only (``2 m n k`` each; no bias, norm, activation or add).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(tr("model must be a torch.nn.Module; got {type_name}", type_name=type(model).__name__))
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    return int(counter.get_total_flops())


def saved_activation_bytes(fn, *inputs: torch.Tensor) -> int:
    """Bytes of the tensors that autograd saves for the backward pass of ``fn(*inputs)``.

    ``fn`` is a model (``nn.Module``) or any function of tensors. Every saved tensor is recorded
    by ``saved_tensors_hooks`` during one forward pass; tensors that share a storage (a layer's
    output saved by the next layer too) count once, and the parameters of ``fn`` (if it is a
    module) are left out: what remains is activation memory (the input included, which the
    first layer keeps for its weight gradient).
    """
    if not callable(fn):
        raise TypeError(tr("fn must be a torch.nn.Module or a function of tensors; got {type_name}",
                           type_name=type(fn).__name__))
    parameters = {p.untyped_storage()._cdata for p in fn.parameters()} if isinstance(fn, nn.Module) else set()
    seen: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        if storage._cdata not in parameters:
            seen[storage._cdata] = storage.nbytes()
        return tensor

    with torch.enable_grad(), torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn(*inputs)
    return sum(seen.values())


def saved_tensors_per_block(variant: str, width: int = 64, *, batch_size: int = 128, fused: bool = True,
                            branch: str = "standard") -> float:
    """Activation memory that one more block of ``variant`` keeps for the backward pass, in units of
    one ``(batch_size, width)`` float32 activation.

    Measured with :func:`saved_activation_bytes` as the difference between a :func:`cost_model` of
    8 and of 4 blocks, divided by 4: the stem and the head, the same in both, cancel. Depends on
    shapes only (a norm's per-token statistics add ``2 / width`` each).
    """
    batch_size = check_int("batch_size", batch_size, minimum=1)
    x = torch.zeros(batch_size, check_int("width", width, minimum=1))
    four, eight = (saved_activation_bytes(cost_model(variant, width, depth, fused=fused, branch=branch), x)
                   for depth in (4, 8))
    return (eight - four) / 4 / (x.numel() * x.element_size())


CLOCKS = {"thread": time.thread_time, "wall": time.perf_counter}
"""Clocks :func:`time_forward_backward` can use: the calling thread's CPU time, or wall time."""


def time_forward_backward(models: Mapping[str, nn.Module], x: torch.Tensor, *, repeats: int = 3,
                          rounds: int = 5, warmup: int = 1, clock: str = "thread") -> dict[str, np.ndarray]:
    """Time (s) of one forward + backward pass of each model: ``(rounds,)`` values per model.

    ``clock="thread"`` measures the CPU time of the calling thread (what the pass costs, whatever
    else runs on the machine); ``"wall"`` the elapsed time. In every round each model runs
    ``repeats`` times, the models taking turns, so that a busy moment slows all of them alike;
    the round's value is the *fastest* of its repeats (interference can only add time to a pass,
    so the minimum is the least disturbed estimate). ``warmup`` untimed passes per model come
    first. The loss is ``mean(model(x)**2)``.
    """
    if not isinstance(models, Mapping) or not models:
        raise ValueError(tr("models must be a non-empty mapping from a label to a torch.nn.Module"))
    repeats = check_int("repeats", repeats, minimum=1)
    rounds = check_int("rounds", rounds, minimum=1)
    warmup = check_int("warmup", warmup, minimum=0)
    now = CLOCKS[check_choice("clock", clock, tuple(CLOCKS))]

    def step(model: nn.Module) -> float:
        model.zero_grad(set_to_none=True)
        start = now()
        model(x).square().mean().backward()
        return now() - start

    for _ in range(warmup):
        for model in models.values():
            step(model)
    seconds = {label: np.zeros(rounds) for label in models}
    for r in range(rounds):
        samples: dict[str, list[float]] = {label: [] for label in models}
        for _ in range(repeats):
            for label, model in models.items():
                samples[label].append(step(model))
        for label in models:
            seconds[label][r] = min(samples[label])
    return seconds


@dataclass
class CostResult:
    """Costs of every variant at several widths, relative to the plain net of the same width.

    ``flop_ratio[v]`` and ``memory_ratio[v]``: ``(n_widths,)``, counted and deterministic;
    ``time_ratio[v]``: ``(rounds, n_widths)``, measured; ``seconds[v]``: ``(rounds, n_widths)``
    absolute times of one pass (s of thread CPU time, machine-dependent); ``memory_bytes[v]``:
    ``(n_widths,)`` saved bytes. (What ``FlopCounterMode`` sees is :func:`matmul_flops`.)
    """

    widths: np.ndarray
    depth: int
    batch_size: int
    flop_ratio: dict[str, np.ndarray]
    memory_ratio: dict[str, np.ndarray]
    time_ratio: dict[str, np.ndarray]
    seconds: dict[str, np.ndarray]
    memory_bytes: dict[str, np.ndarray]

    @property
    def variants(self) -> list[str]:
        return list(self.flop_ratio)

    def median_time_ratio(self, variant: str) -> np.ndarray:
        """Median over rounds of ``time_ratio[variant]``: ``(n_widths,)``."""
        return np.median(self.time_ratio[variant], axis=0)


def run_cost(widths=(16, 64, 256), *, depth: int = 4, batch_size: int = 128, rounds: int = 5,
             repeats: int = 3, variants=tuple(VARIANTS), seed: int = 0) -> CostResult:
    """Count FLOPs and saved bytes, and time forward + backward, of each variant at each width.

    Input: standard normal ``(batch_size, width)`` and the models' weights (:func:`cost_model`),
    both from ``seed``. FLOPs and bytes depend on shapes only; the seed only moves the times a little.
    """
    widths = tuple(check_int(f"widths[{i}]", w, minimum=1) for i, w in enumerate(widths))
    if not widths:
        raise ValueError(tr("widths must contain at least one width; got an empty sequence"))
    depth = check_int("depth", depth, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    variants = tuple(_check_variant(v) for v in variants)
    seed = check_int("seed", seed, minimum=0)
    if "plain" not in variants:
        raise ValueError(tr("variants must include 'plain' (the reference of every ratio); got {variants}",
                            variants=variants))
    shape = (len(widths),)
    flops = {v: np.zeros(shape) for v in variants}
    memory = {v: np.zeros(shape) for v in variants}
    seconds = {v: np.zeros((rounds, len(widths))) for v in variants}
    for j, width in enumerate(widths):
        x = torch.randn(batch_size, width, generator=torch.Generator().manual_seed(seed))
        models = {v: cost_model(v, width, depth, seed=seed) for v in variants}
        for v, model in models.items():
            flops[v][j] = forward_flops(v, width, depth, batch_size)
            memory[v][j] = saved_activation_bytes(model, x)
        timed = time_forward_backward(models, x, repeats=repeats, rounds=rounds)
        for v in variants:
            seconds[v][:, j] = timed[v]
    return CostResult(
        widths=np.array(widths), depth=depth, batch_size=batch_size,
        flop_ratio={v: flops[v] / flops["plain"] for v in variants},
        memory_ratio={v: memory[v] / memory["plain"] for v in variants},
        time_ratio={v: seconds[v] / seconds["plain"] for v in variants},
        seconds=seconds, memory_bytes=memory,
    )

"""What RMSNorm saves over LayerNorm: fewer operations (counted) and less time (measured).

Counting is exact and repeatable: every PyTorch function a module calls (``mean``, ``sub``,
``sqrt``, ...) is recorded. The LayerNorm compared is written as economically as the RMSNorm:
:class:`LayerNormCentredOnce` computes ``x - mean`` once (``resnorm.norms.LayerNorm`` writes it
twice, for readability). Timing is not: it depends on the machine and on what else runs on it, so the two
modules are timed in alternation (a busy moment slows both) and compared by their median.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from .._validation import check_int
from ..i18n import tr
from ..norms import LayerNorm, RMSNorm

REDUCTIONS = frozenset({"mean", "sum", "var", "std", "var_mean", "std_mean", "norm"})
"""Functions that reduce over a dimension."""

FUSED = frozenset({"layer_norm", "rms_norm"})
"""PyTorch's fused kernels: one call that computes the statistics inside (``layer_norm`` two,
mean and variance; ``rms_norm`` one)."""


class LayerNormCentredOnce(LayerNorm):
    """:class:`resnorm.norms.LayerNorm` with ``x - mean`` computed once: the same function in
    one subtraction fewer. Input and output ``(..., d)``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        centred = x - x.mean(-1, keepdim=True)
        var = centred.pow(2).mean(-1, keepdim=True)
        return self.weight * centred / torch.sqrt(var + self.eps) + self.bias


class _OpRecorder(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.ops: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.ops.append(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


def count_ops(module: nn.Module, x: torch.Tensor) -> list[str]:
    """Names of the PyTorch functions that ``module(x)`` calls (forward, no autograd), in order."""
    if not isinstance(module, nn.Module):
        raise TypeError(tr("module must be a torch.nn.Module; got {type_name}", type_name=type(module).__name__))
    if not isinstance(x, torch.Tensor):
        raise TypeError(tr("x must be a torch.Tensor; got {type_name}", type_name=type(x).__name__))
    with torch.no_grad(), _OpRecorder() as recorder:
        module(x)
    return recorder.ops


def modules_to_compare(d: int) -> dict[str, nn.Module]:
    """Our two from-scratch layers (LayerNorm as :class:`LayerNormCentredOnce`) and PyTorch's two,
    by label, for vectors of size ``d``."""
    d = check_int("d", d, minimum=1)
    return {"LayerNorm (ours)": LayerNormCentredOnce(d), "RMSNorm (ours)": RMSNorm(d),
            "nn.LayerNorm": nn.LayerNorm(d), "nn.RMSNorm": nn.RMSNorm(d, eps=1e-6)}


@dataclass
class NormCostResult:
    """``ops[label]``: the PyTorch functions one forward pass calls; ``seconds[label]``: ``(repeats,)``
    wall times of one forward pass (s), measured in alternation with the other modules."""

    ops: dict[str, list[str]]
    seconds: dict[str, np.ndarray]

    def reductions(self, label: str) -> int:
        """How many of ``ops[label]`` are explicit reductions (see :data:`REDUCTIONS`); a fused
        kernel (:data:`FUSED`) counts 0, its statistics are inside it."""
        return sum(op in REDUCTIONS for op in self.ops[label])

    def fused(self, label: str) -> bool:
        """Whether ``label``'s forward pass is one fused PyTorch kernel (see :data:`FUSED`)."""
        return self.ops[label] in ([op] for op in FUSED)

    def median_us(self, label: str) -> float:
        """Median time of one forward pass, in microseconds."""
        return float(np.median(self.seconds[label]) * 1e6)

    def ratio(self, label: str, reference: str) -> float:
        """Median time of ``label`` divided by the median time of ``reference``."""
        return float(np.median(self.seconds[label]) / np.median(self.seconds[reference]))


def run_norm_cost(*, d: int = 512, batch_size: int = 256, repeats: int = 200, warmup: int = 10,
                  seed: int = 0) -> NormCostResult:
    """Count the ops of each module of :func:`modules_to_compare` and time its forward pass.

    Input: standard normal ``(batch_size, d)``; forward only, without autograd. Each repeat
    times every module once, in the same order, after ``warmup`` untimed rounds.
    """
    d = check_int("d", d, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    repeats = check_int("repeats", repeats, minimum=1)
    warmup = check_int("warmup", warmup, minimum=0)
    seed = check_int("seed", seed, minimum=0)
    modules = modules_to_compare(d)
    x = torch.randn(batch_size, d, generator=torch.Generator().manual_seed(seed))
    ops = {label: count_ops(m, x) for label, m in modules.items()}
    seconds = {label: np.zeros(repeats) for label in modules}
    with torch.no_grad():
        for _ in range(warmup):
            for m in modules.values():
                m(x)
        for r in range(repeats):
            for label, m in modules.items():
                start = time.perf_counter()
                m(x)
                seconds[label][r] = time.perf_counter() - start
    return NormCostResult(ops, seconds)

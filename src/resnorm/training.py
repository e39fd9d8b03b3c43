"""A small, explicit training loop that notices divergence and supports learning-rate warm-up."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ._validation import check_choice, check_float, check_int
from .i18n import tr
from .optimizers import SGD, Adam

OPTIMIZERS = ("adam", "sgd")


@dataclass
class TrainResult:
    """Loss after each step (nats; ``NaN`` after divergence) and the step it diverged at, if any."""

    losses: np.ndarray
    diverged_at: int | None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def __str__(self) -> str:
        if self.diverged:
            return f"diverged: loss became non-finite at step {self.diverged_at}"
        return f"final loss {self.losses[-1]:.3g} nats after {len(self.losses)} steps"


def warmup_lr(step: int, *, lr: float, warmup_steps: int) -> float:
    """Learning rate at ``step`` (0-based): linear ramp from ``lr / warmup_steps`` to ``lr``."""
    if warmup_steps <= 0:
        return lr
    return lr * min(1.0, (step + 1) / warmup_steps)


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy (nats) for logits ``(..., n_classes)`` and integer targets ``(...)``."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def train(
    model: nn.Module,
    batches: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    *,
    steps: int,
    lr: float,
    warmup_steps: int = 0,
    optimizer: str = "adam",
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = cross_entropy,
    fused: bool = False,
) -> TrainResult:
    """Train ``model`` for ``steps`` steps on ``batches(step) -> (inputs, targets)``.

    The learning rate follows :func:`warmup_lr`. If the loss or a gradient becomes non-finite,
    training stops, the remaining losses are ``NaN`` and ``diverged_at`` records the step.
    ``fused=True`` runs Adam in PyTorch's fused kernel (the same update in one call per step,
    about twice as fast for small deep models on a CPU; equal up to float rounding).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(tr("model must be a torch.nn.Module; got {type_name}", type_name=type(model).__name__))
    if not callable(batches):
        raise TypeError(tr("batches must be a function step -> (inputs, targets)"))
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=0)
    check_choice("optimizer", optimizer, OPTIMIZERS)
    if not isinstance(fused, bool):
        raise TypeError(tr("fused must be True or False; got {fused!r}", fused=fused))
    opt = Adam(model.parameters(), lr=lr, fused=fused) if optimizer == "adam" else SGD(model.parameters(), lr=lr)
    losses = np.full(steps, np.nan)
    model.train()
    for step in range(steps):
        opt.lr = warmup_lr(step, lr=lr, warmup_steps=warmup_steps)
        inputs, targets = batches(step)
        loss = loss_fn(model(inputs), targets)
        value = loss.item()
        if not math.isfinite(value):
            return TrainResult(losses, step)
        opt.zero_grad()
        loss.backward()
        # The largest |entry| of every gradient in one fused call: finite exactly when all entries are.
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        grads_finite = bool(torch.isfinite(torch.stack(torch._foreach_norm(grads, float("inf")))).all())
        losses[step] = value
        if not grads_finite:
            losses[step] = np.nan
            return TrainResult(losses, step)
        opt.step()
    return TrainResult(losses, None)

"""Train the same network from several seeds at once: one stacked model, one optimiser step per step.

An experiment that repeats a small training run over seeds spends most of its time dispatching
small operations, not computing. :func:`train_stacked` stacks the parameters of ``n`` models of
the same architecture (``torch.func.stack_module_state``), runs them with ``torch.vmap`` and
updates them with one fused Adam step. Each model sees only its own inputs and its own loss, and
Adam is element-wise, so every model follows the same trajectory as with
:func:`resnorm.training.train` on its own (equal up to float rounding: batched matrix products
round differently), in a fraction of the time. At the end the trained weights are copied back
into the models.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, stack_module_state

from ._validation import check_float, check_int
from .i18n import tr
from .optimizers import Adam
from .training import cross_entropy, warmup_lr


@dataclass
class StackedTrainResult:
    """``losses``: ``(n_models, steps)`` loss of each model after each step (nats; ``NaN`` after
    it diverged); ``diverged_at``: per model, the step at which its loss or a gradient became
    non-finite, or ``None``."""

    losses: np.ndarray
    diverged_at: list[int | None]


def train_stacked(
    models: Sequence[nn.Module],
    batches: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    *,
    steps: int,
    lr: float,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = cross_entropy,
    stacked_losses: Callable[[dict[str, torch.Tensor], torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    warmup_steps: int = 0,
) -> StackedTrainResult:
    """Train ``models`` (same architecture, e.g. one per seed) side by side with Adam (fused).

    ``batches(step)`` returns ``(inputs, targets)`` with a leading model dimension:
    ``inputs[k]`` and ``targets[k]`` are the batch of ``models[k]`` (e.g. ``(n_models, batch,
    features)`` and ``(n_models, batch)``). ``loss_fn(outputs, targets)`` is one model's loss (a
    scalar). A model whose loss or gradient becomes non-finite stops there, as with
    :func:`resnorm.training.train`: its later losses are ``NaN`` and its weights are those from
    before that step; the others go on. The models are trained in place (``model.train()``
    mode); they must have no buffers (a BatchNorm's running statistics cannot be updated under
    ``torch.vmap``) and no tied weights (one tensor under two names).

    ``stacked_losses(params, inputs, targets)``, if given, replaces ``torch.vmap`` of ``loss_fn``
    on the models' own forward: from the stacked parameters (name -> ``(n_models, *shape)``) and
    the stacked batch it returns every model's loss, ``(n_models,)`` (e.g.
    :func:`resnorm.stacked_transformer.stacked_sequence_losses`, written out for speed). The
    learning rate follows :func:`resnorm.training.warmup_lr` with ``warmup_steps``.
    """
    if not isinstance(models, Sequence) or not models or not all(isinstance(m, nn.Module) for m in models):
        raise TypeError(tr("models must be a non-empty sequence of torch.nn.Module"))
    if len({type(m) for m in models}) != 1:
        raise ValueError(tr("models must all have the same architecture (the same class)"))
    if any(True for m in models for _ in m.buffers()):
        raise ValueError(tr("models must have no buffers (e.g. no BatchNorm): running statistics cannot be updated "
                            "under torch.vmap"))
    if not callable(batches):
        raise TypeError(tr("batches must be a function step -> (inputs, targets), each with a leading model "
                           "dimension"))
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    warmup_steps = check_int("warmup_steps", warmup_steps, minimum=0)
    if stacked_losses is not None and not callable(stacked_losses):
        raise TypeError(tr("stacked_losses must be None or a function (params, inputs, targets) -> losses "
                           "(n_models,)"))
    for model in models:
        model.train()
    params, _ = stack_module_state(list(models))
    trainable = {name: p for name, p in params.items() if p.requires_grad}
    template = copy.deepcopy(models[0]).to("meta")

    def one_loss(model_params, inputs, targets):
        return loss_fn(functional_call(template, model_params, (inputs,), tie_weights=False), targets)

    losses_of = torch.vmap(one_loss) if stacked_losses is None else stacked_losses
    opt = Adam(list(trainable.values()), lr=lr, fused=True)
    n = len(models)
    losses = np.full((n, steps), np.nan)
    diverged_at: list[int | None] = [None] * n
    alive = torch.ones(n, dtype=torch.bool)
    for step in range(steps):
        opt.lr = warmup_lr(step, lr=lr, warmup_steps=warmup_steps)
        inputs, targets = batches(step)
        if inputs.shape[0] != n or targets.shape[0] != n:
            raise ValueError(tr("batches(step) must return inputs and targets with a leading dimension of {n} (one "
                                "per model); got {inputs_shape} and {targets_shape}",
                                n=n, inputs_shape=tuple(inputs.shape), targets_shape=tuple(targets.shape)))
        loss = losses_of(params, inputs, targets)
        values = loss.detach()
        newly_diverged = alive & ~torch.isfinite(values)
        opt.zero_grad()
        torch.where(alive & ~newly_diverged, loss, 0.0).sum().backward()
        # The sum of a model's gradient entries is finite exactly when all of them are (unless
        # the sum overflows, at |gradients| near 1e38: a diverged model too).
        grad_sum = torch.cat([p.grad.flatten(1) for p in trainable.values() if p.grad is not None], 1).sum(1)
        newly_diverged |= alive & ~torch.isfinite(grad_sum)
        for k in torch.nonzero(newly_diverged).flatten().tolist():
            diverged_at[k] = step
        alive &= ~newly_diverged
        losses[:, step] = np.where(alive.numpy(), values.numpy(), np.nan)
        if not alive.any():
            break
        if not alive.all():  # stopped models keep their weights, as if their training had ended
            before = {name: p.detach()[~alive].clone() for name, p in trainable.items()}
        opt.step()
        if not alive.all():
            with torch.no_grad():
                for name, p in trainable.items():
                    p[~alive] = before[name]
    with torch.no_grad():
        for k, model in enumerate(models):
            for name, p in model.named_parameters():
                p.copy_(params[name][k])
    return StackedTrainResult(losses, diverged_at)


def stack_batches(*tensors: torch.Tensor, index: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Per model ``k``, the rows ``index[k]`` of ``tensors[...][k]``: a minibatch for each model.

    Each tensor is ``(n_models, n_examples, ...)`` and ``index`` ``(n_models, batch)`` (int64);
    returns tensors ``(n_models, batch, ...)``.
    """
    if index.dim() != 2:
        raise ValueError(tr("index must have shape (n_models, batch); got {index_shape}",
                            index_shape=tuple(index.shape)))
    rows = torch.arange(index.shape[0])[:, None]
    return tuple(t[rows, index] for t in tensors)


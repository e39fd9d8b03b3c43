"""Adam and plain SGD in a few explicit tensor operations, for the course's training loops.

Each update is, operation for operation, the one of PyTorch's optimizers on CPU tensors:
:class:`Adam` is ``torch.optim.Adam`` (its single-tensor path, or its fused kernel with
``fused=True``) and :class:`SGD` is ``torch.optim.SGD`` without momentum (with or without its
``weight_decay``), so a run ends with
bitwise the same weights (the unit tests check it). Why not use ``torch.optim`` itself: its first
optimizer imports PyTorch's compiler (``torch._dynamo``), 1.5-2 s of a notebook's 20 s budget,
for a feature these small loops never use.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from ._validation import check_float
from .i18n import tr


def _trainable(params: Iterable[nn.Parameter]) -> list[nn.Parameter]:
    params = list(params)
    if not params or not all(isinstance(p, torch.Tensor) for p in params):
        raise TypeError(tr("params must be a non-empty iterable of tensors, e.g. model.parameters()"))
    return params


class SGD:
    """Gradient descent without momentum: ``p <- p - lr * (grad + weight_decay * p)`` for every
    ``p`` with a gradient (``torch.optim.SGD``'s coupled L2 weight decay; 0: none). To decay only
    some parameters (e.g. the weight matrices, not the norms' gains and biases), give each group
    its own ``SGD``."""

    def __init__(self, params: Iterable[nn.Parameter], *, lr: float, weight_decay: float = 0.0):
        self.params = _trainable(params)
        self.lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
        self.weight_decay = check_float("weight_decay", weight_decay, minimum=0.0)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                grad = p.grad.add(p, alpha=self.weight_decay) if self.weight_decay else p.grad
                p.add_(grad, alpha=-self.lr)


class Adam:
    """Adam (Kingma & Ba 2015) without weight decay; ``lr`` may be changed between steps.

    Per parameter it keeps the step count ``t`` and the running means ``m`` of the gradient and
    ``v`` of its square; the update is ``p <- p - lr * m_hat / (sqrt(v_hat) + eps)`` with the
    bias-corrected ``m_hat = m / (1 - beta1^t)`` and ``v_hat = v / (1 - beta2^t)``.
    ``fused=True`` runs the whole update in PyTorch's fused kernel (one call per step).
    """

    def __init__(self, params: Iterable[nn.Parameter], *, lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, fused: bool = False):
        self.params = _trainable(params)
        self.lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
        if (not isinstance(betas, tuple) or len(betas) != 2
                or not all(isinstance(b, float) and 0.0 <= b < 1.0 for b in betas)):
            raise ValueError(tr("betas must be a pair of floats in [0, 1); got {betas!r}", betas=betas))
        self.beta1, self.beta2 = betas
        self.eps = check_float("eps", eps, minimum=0.0)
        if not isinstance(fused, bool):
            raise TypeError(tr("fused must be True or False; got {fused!r}", fused=fused))
        self.fused = fused
        self.state: dict[nn.Parameter, tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = {}

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def _state(self, p: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if p not in self.state:  # step count as a float32 tensor, as torch.optim keeps it
            self.state[p] = (torch.tensor(0.0), torch.zeros_like(p), torch.zeros_like(p))
        return self.state[p]

    @torch.no_grad()
    def step(self) -> None:
        params = [p for p in self.params if p.grad is not None]
        steps, means, squares = zip(*(self._state(p) for p in params)) if params else ((), (), ())
        if self.fused and params:
            torch._foreach_add_(list(steps), 1)
            torch._fused_adam_(params, [p.grad for p in params], list(means), list(squares), [], list(steps),
                               amsgrad=False, lr=self.lr, beta1=self.beta1, beta2=self.beta2,
                               weight_decay=0.0, eps=self.eps, maximize=False)
            return
        for p, t, m, v in zip(params, steps, means, squares):
            t += 1
            grad = p.grad
            m.lerp_(grad, 1 - self.beta1)
            v.mul_(self.beta2).addcmul_(grad, grad, value=1 - self.beta2)
            count = t.item()
            step_size = self.lr / (1 - self.beta1 ** count)
            denom = (v.sqrt() / (1 - self.beta2 ** count) ** 0.5).add_(self.eps)
            p.addcdiv_(m, denom, value=-step_size)

"""Notebook 06, part 1: write it from scratch, against the clock, checked against PyTorch.

Each task asks for an ``nn.Module`` class. The checker builds the reader's module and PyTorch's
(``nn.LayerNorm``, ``nn.RMSNorm``, ``nn.BatchNorm1d``, ``nn.MultiheadAttention``,
``nn.TransformerEncoderLayer``, or a block made of them), copies PyTorch's state dict into the
reader's (so the parameter names must be PyTorch's), runs both through the same *probe* (a
fixed sequence of calls recording outputs, gradients and buffers) and compares the records in
order. At the first difference it runs the same probe on each known mistake of the task; if one
of them reproduces the reader's record, its explanation is the feedback.

:func:`task` starts the clock of a task (and states its time box); :func:`check` checks an
answer like :func:`resnorm.exercises.check` and adds how long the reader took since then.
"""

from __future__ import annotations

import inspect
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..i18n import N_, tr
from ..models import SelfAttention, TransformerBlock
from ..norms import LayerNorm, RMSNorm
from . import Exercise, Incorrect, ShownText, evaluate, get, register

ATOL = 1e-4
"""Tolerance of every comparison: ``|a - b| <= ATOL * (1 + |b|)`` element-wise."""


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a module class built like the right one, and what is wrong with it."""

    build: type
    explanation: str


@dataclass(frozen=True)
class ScratchTask:
    """A write-it-from-scratch task of the drill.

    ``make_torch()`` builds PyTorch's module, with seeded non-trivial parameters, for the
    constructor arguments ``args``; ``probe(module, generator)`` returns an ordered dict from a
    description ("output for a (6, 8) input") to a tensor; ``minutes`` is the time box.
    ``optional_state`` lists state-dict keys the reader's module may leave out.
    """

    key: str
    title: str
    minutes: int
    args: tuple
    make_torch: Callable[[], nn.Module]
    probe: Callable[[nn.Module, torch.Generator], dict]
    reference: type
    mistakes: tuple[Mistake, ...]
    hints: tuple[ShownText, ...]
    solution: ShownText
    fresh_like_torch: bool = True
    optional_state: tuple[str, ...] = ()


TASKS: dict[str, ScratchTask] = {}
"""The drill's write-it-from-scratch tasks by exercise key."""

_STARTED: dict[str, float] = {}


# --- the checker shared by every task -------------------------------------------------------


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    return (a.shape == b.shape and bool(torch.isfinite(a).all())
            and bool(((a - b).abs() <= ATOL * (1 + b.abs())).all()))


def _build(cls, args: tuple) -> nn.Module:
    try:
        module = cls(*args)
    except Exception as error:  # noqa: BLE001 - any failure of the reader's code is feedback
        raise Incorrect(tr("{call} raised {kind}: {error}", call=f"{cls.__name__}{args}",
                              kind=type(error).__name__, error=error)) from None
    if not isinstance(module, nn.Module):
        raise Incorrect(tr("{call} must build an nn.Module; got {kind}", call=f"{cls.__name__}{args}",
                              kind=type(module).__name__))
    return module


def _state_names(module: nn.Module) -> str:
    return ", ".join(f"{k} {tuple(v.shape)}" for k, v in module.state_dict().items()) or "nothing"


def _load(module: nn.Module, torch_module: nn.Module, task: ScratchTask) -> None:
    """Copy PyTorch's state dict into the reader's module: same names, same shapes."""
    state = {k: v for k, v in torch_module.state_dict().items()
             if k.rsplit(".", 1)[-1] not in task.optional_state or k in module.state_dict()}
    ours = set(module.state_dict())
    missing = [k for k in state if k not in ours]
    unexpected = [k for k in ours if k not in state]
    if missing or unexpected:
        what = []
        if missing:
            what.append(tr("it lacks {names}", names=", ".join(missing)))
        if unexpected:
            what.append(tr("it has {names}, which PyTorch's has not", names=", ".join(unexpected)))
        raise Incorrect(tr(
            "the state dict of your module does not match {torch}'s: "
            "{what}. PyTorch's holds {state}: name parameters "
            "(nn.Parameter) and running statistics (self.register_buffer) the same way, so "
            "a checkpoint of one loads into the other",
            torch=type(torch_module).__name__, what="; ".join(what), state=_state_names(torch_module)))
    ours = module.state_dict()
    for name, value in state.items():
        if ours[name].shape != value.shape:
            raise Incorrect(tr("{name} has shape {shape}; PyTorch's has "
                               "{torch_shape} (a norm has one gain and one bias per feature)",
                               name=name, shape=tuple(ours[name].shape), torch_shape=tuple(value.shape)))
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as error:
        raise Incorrect(tr("PyTorch's state dict does not load into your module: {error}. "
                           "PyTorch's holds {state}", error=error, state=_state_names(torch_module))) from None


def _run_probe(task: ScratchTask, module: nn.Module, seed: int = 0) -> dict:
    """The probe's record of ``module``; the reader's exceptions become :class:`Incorrect`."""
    try:
        with warnings.catch_warnings():  # the feedback explains; PyTorch's warnings would only repeat it
            warnings.simplefilter("ignore")
            record = task.probe(module, torch.Generator().manual_seed(seed))
    except Incorrect:
        raise
    except Exception as error:  # noqa: BLE001
        raise Incorrect(tr("running your module raised {kind}: {error}", kind=type(error).__name__,
                           error=error)) from None
    return record


def _diagnose(task: ScratchTask, state: dict, got: dict, upto: str) -> str | None:
    """The explanation of the first known mistake whose record equals ``got`` up to entry ``upto``.

    Each mistake is built, given the same ``state`` as the reader's module, and probed.
    """
    for mistake in task.mistakes:
        variant = mistake.build(*task.args)
        try:
            variant.load_state_dict(state, strict=False)
            with warnings.catch_warnings():  # e.g. a variance of one example in a wrong variant
                warnings.simplefilter("ignore")
                record = task.probe(variant, torch.Generator().manual_seed(0))
        except Exception:  # noqa: BLE001 - a mistake that crashes is not this reader's mistake
            continue
        for name, value in got.items():
            if name not in record or not _close(value, record[name]):
                break
            if name == upto:
                return tr(mistake.explanation)
    return None


def _check(task: ScratchTask, answer) -> None:
    if not (isinstance(answer, type) and issubclass(answer, nn.Module)):
        raise Incorrect(tr("answer must be your nn.Module class itself (answer = MyClass, not an "
                           "instance); got {kind}", kind=type(answer).__name__))
    if task.fresh_like_torch:  # deterministic initial state: compare before any copying
        fresh, torch_fresh = _build(answer, task.args), type(task.make_torch())(*task.args)
        for name, want in torch_fresh.state_dict().items():
            got = fresh.state_dict().get(name)
            if got is not None and got.shape == want.shape and not torch.equal(got, want):
                value = want.flatten()[0].item()
                raise Incorrect(tr("a fresh module must start as PyTorch's does: {name} should be all "
                                   "{value:g} (yours starts at {yours:g})", name=name, value=value,
                                   yours=got.flatten()[0].item()))
    module = _build(answer, task.args)
    torch_module = task.make_torch()
    _load(module, torch_module, task)
    state = {k: v.clone() for k, v in torch_module.state_dict().items()}  # the probe may change it
    expected = task.probe(torch_module, torch.Generator().manual_seed(0))
    got = _run_probe(task, module)
    for name, want in expected.items():  # the same entries: the probe is the same code
        value = got[name]
        if value.shape != want.shape:
            raise Incorrect(tr("{name}: shape {shape}, PyTorch's is {torch_shape}", name=name,
                               shape=tuple(value.shape), torch_shape=tuple(want.shape)))
        if not _close(value, want):
            why = _diagnose(task, state, got, name)
            diff = (value - want).abs().max().item()
            raise Incorrect(tr("{name} differs from PyTorch's (max difference {diff:.2g}): ", name=name, diff=diff)
                            + (why or tr("compare your code with the formula line by line")))


def _register(task: ScratchTask) -> ScratchTask:
    TASKS[task.key] = task
    register(Exercise(
        key=task.key,
        title=task.title,
        checker=lambda answer: _check(task, answer),
        reference=lambda: task.reference,
        wrong=tuple((lambda m=m: m.build) for m in task.mistakes),
        hints=task.hints,
        solution=task.solution,
    ))
    return task


# --- the clock ------------------------------------------------------------------------------


def task(key: str) -> None:
    """Start the clock of task ``key`` and print its time box."""
    spec = _task(key)
    _STARTED[key] = time.monotonic()
    print(tr("⏱ {title}: time box {minutes} min, the clock runs from now", title=tr(spec.title),
             minutes=spec.minutes))


def elapsed(key: str) -> float | None:
    """Seconds since :func:`task` ran for ``key`` (``None`` if it has not)."""
    _task(key)
    start = _STARTED.get(key)
    return None if start is None else time.monotonic() - start


def check(key: str, answer) -> bool:
    """Check ``answer`` to task ``key``, print the feedback and the time taken; return whether it passed."""
    spec = _task(key)
    passed, message = evaluate(key, answer)
    print(("✅ " if passed else "❌ ") + message)
    seconds = elapsed(key)
    if seconds is None:
        print(tr("⏱ time box {minutes} min (run the task cell first to start the clock)", minutes=spec.minutes))
    elif seconds <= 60 * spec.minutes:
        print(tr("⏱ {min} min {s:02d} s since the task cell ran: within the {minutes} min time box",
                 min=int(seconds // 60), s=int(seconds % 60), minutes=spec.minutes))
    else:
        print(tr("⏱ {min} min {s:02d} s since the task cell ran: over the {minutes} min time box",
                 min=int(seconds // 60), s=int(seconds % 60), minutes=spec.minutes))
    return passed


def _task(key: str) -> ScratchTask:
    get(key)  # registers every module's exercises; a ValueError lists the keys
    if key not in TASKS:
        raise ValueError(tr("key must be one of {tasks}; got {key!r}", tasks=", ".join(map(repr, TASKS)), key=key))
    return TASKS[key]


# --- shared probe steps ---------------------------------------------------------------------


def _forward(module: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = module(x)
    if isinstance(out, tuple):
        raise Incorrect(tr("your forward returns a tuple; return the output tensor only "
                           "(nn.MultiheadAttention returns (output, weights); your module should not)"))
    if not isinstance(out, torch.Tensor):
        raise Incorrect(tr("your forward must return a tensor; it returned {kind}", kind=type(out).__name__))
    return out


def _randomise(module: nn.Module, seed: int) -> nn.Module:
    """Give every parameter of ``module`` seeded values, in place, so that no mistake hides.

    Gains (1-d weights) ``1 + 0.5 N(0, 1)``, biases ``0.2 N(0, 1)``, matrices ``N(0, 1/fan_in)``
    (attention scores of order 1, so a softmax over the wrong dim shows).
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() > 1:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[-1]))
            elif name.endswith("weight"):
                p.copy_(1 + 0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
    return module


def _grads(out: torch.Tensor, x: torch.Tensor, module: nn.Module, g: torch.Generator,
           names: tuple[str, ...]) -> dict:
    """Gradients of ``(out * up).sum()`` for a seeded ``up``, w.r.t. ``x`` and the named parameters."""
    params = dict(module.named_parameters())
    names = ("input",) + tuple(n for n in names if n in params)
    wanted = [x] + [params[n] for n in names[1:]]
    up = torch.randn(out.shape, generator=g)
    grads = torch.autograd.grad(out, wanted, up, allow_unused=True)
    record = {}
    for name, grad in zip(names, grads):
        if grad is None and name == "input":
            raise Incorrect(tr("no gradient reaches the input: keep every step in the autograd graph "
                               "(no .detach(), .data or NumPy)"))
        if grad is None:
            raise Incorrect(tr("no gradient reaches the {name}: keep every step in the autograd graph "
                               "(no .detach(), .data or NumPy)", name=name))
        if name == "input":
            record[tr("gradient with respect to the input")] = grad
        else:
            record[tr("gradient with respect to the {name}", name=name)] = grad
    return record


# --- 06.layernorm ---------------------------------------------------------------------------

D = 8


def _probe_norm(module: nn.Module, g: torch.Generator) -> dict:
    record = {}
    x = 2 * torch.randn(6, D, generator=g) + 1
    record[tr("output for a (6, 8) input")] = _forward(module, x).detach()
    x = (3 * torch.randn(2, 5, D, generator=g) - 2).requires_grad_(True)
    out = _forward(module, x)
    record[tr("output for a (2, 5, 8) input")] = out.detach()
    record.update(_grads(out, x, module, g, ("weight", "bias")))
    x = 1e-3 * torch.randn(4, D, generator=g)
    record[tr("output for a tiny (4, 8) input (std 0.001)")] = _forward(module, x).detach()
    return record


class _LayerNormUnbiased(LayerNorm):
    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        return self.weight * (x - mean) / torch.sqrt(x.var(-1, keepdim=True) + self.eps) + self.bias


class _LayerNormOverBatch(LayerNorm):
    def forward(self, x):
        mean = x.mean(0, keepdim=True)
        var = (x - mean).pow(2).mean(0, keepdim=True)
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias


class _LayerNormEpsOutside(LayerNorm):
    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        std = (x - mean).pow(2).mean(-1, keepdim=True).sqrt()
        return self.weight * (x - mean) / (std + self.eps) + self.bias


class _LayerNormDetached(LayerNorm):
    def forward(self, x):
        mean = x.mean(-1, keepdim=True).detach()
        var = (x - mean).pow(2).mean(-1, keepdim=True).detach()
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias


class _LayerNormScalarGain(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(1))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        var = (x - mean).pow(2).mean(-1, keepdim=True)
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias


_register(ScratchTask(
    key="06.layernorm",
    title=N_("LayerNorm(d, eps=1e-5) from scratch, equal to nn.LayerNorm"),
    minutes=5,
    args=(D,),
    make_torch=lambda: _randomise(nn.LayerNorm(D), 1),
    probe=_probe_norm,
    reference=LayerNorm,
    mistakes=(
        Mistake(_LayerNormUnbiased, N_("x.var() is the UNBIASED variance (divides by d - 1); "
                "LayerNorm uses the biased one, the mean of (x - mean)**2 (x.var(-1, correction=0)): "
                "yours is too small by sqrt((d-1)/d)")),
        Mistake(_LayerNormOverBatch, N_("the statistics are taken over dim 0 (the batch), which is "
                "BatchNorm; LayerNorm takes them over the last dim, per example: "
                "x.mean(-1, keepdim=True)")),
        Mistake(_LayerNormEpsOutside, N_("eps is added to the standard deviation, sqrt(var) + eps (a "
                "convention some code uses, e.g. the Annotated Transformer); nn.LayerNorm adds it "
                "to the variance, sqrt(var + eps). Both avoid dividing by zero; they differ for "
                "inputs whose std is about sqrt(eps) or below, like the tiny input here")),
        Mistake(_LayerNormDetached, N_("the mean and variance are detached from the graph: the forward "
                "pass is right, the gradient is not; LayerNorm backpropagates through its statistics")),
        Mistake(_LayerNormScalarGain, N_("one scalar gain and bias: LayerNorm learns one gain and one "
                "bias PER FEATURE, vectors of size d")),
    ),
    hints=(
        N_("Two parameters, nn.Parameter(torch.ones(d)) named weight and nn.Parameter(torch.zeros(d)) "
        "named bias; statistics over the last dim with keepdim=True."),
        N_("The variance is the biased one (divide by d) and, as in nn.LayerNorm, eps goes inside "
        "the square root."),
    ),
    solution=inspect.getsource(LayerNorm),
))

# --- 06.rmsnorm -----------------------------------------------------------------------------


class _RMSNormCentred(RMSNorm):
    def forward(self, x):
        x = x - x.mean(-1, keepdim=True)
        return self.weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class _RMSNormEpsOutside(RMSNorm):
    def forward(self, x):
        return self.weight * x / (torch.sqrt(x.pow(2).mean(-1, keepdim=True)) + self.eps)


class _RMSNormStd(RMSNorm):
    def forward(self, x):
        return self.weight * x / torch.sqrt(x.var(-1, keepdim=True, correction=0) + self.eps)


class _RMSNormWithBias(LayerNorm):
    def __init__(self, d, eps=1e-6):
        super().__init__(d, eps)

    def forward(self, x):
        return self.weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) + self.bias


_register(ScratchTask(
    key="06.rmsnorm",
    title=N_("RMSNorm(d, eps=1e-6) from scratch, equal to nn.RMSNorm"),
    minutes=3,
    args=(D,),
    make_torch=lambda: _randomise(nn.RMSNorm(D, eps=1e-6), 2),
    probe=_probe_norm,
    reference=RMSNorm,
    mistakes=(
        Mistake(_RMSNormCentred, N_("you subtract the mean: RMSNorm does not centre, it divides x "
                "itself by sqrt(mean(x**2) + eps)")),
        Mistake(_RMSNormStd, N_("you divide by the standard deviation (the variance subtracts the "
                "mean); RMSNorm divides by the root mean square, sqrt(mean(x**2) + eps)")),
        Mistake(_RMSNormEpsOutside, N_("eps is outside the square root: write sqrt(mean(x**2) + eps)")),
        Mistake(_RMSNormWithBias, N_("RMSNorm has a gain (weight) and no bias")),
    ),
    hints=(
        N_("Start from LayerNorm and delete what RMSNorm does not do: the mean and the bias."),
        N_("One parameter, weight = nn.Parameter(torch.ones(d)); one statistic, mean(x**2) over the "
        "last dim; eps inside the root."),
    ),
    solution=inspect.getsource(RMSNorm),
))

# --- 06.batchnorm ---------------------------------------------------------------------------


class _BatchNorm1d(nn.Module):
    """BatchNorm1d(d, eps=1e-5, momentum=0.1) for inputs ``(batch, d)``, equal to ``nn.BatchNorm1d``.

    Training: normalise with the batch's mean and *biased* variance over dim 0, and update
    ``running = (1 - momentum) * running + momentum * batch`` with the *unbiased* variance.
    Evaluation: normalise with the running statistics; nothing is updated.
    """

    def __init__(self, d, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))
        self.register_buffer("running_mean", torch.zeros(d))
        self.register_buffer("running_var", torch.ones(d))

    def batch_statistics(self, x):
        return x.mean(0), x.var(0, correction=0)

    def update_running(self, x):
        with torch.no_grad():
            self.running_mean.lerp_(x.mean(0), self.momentum)
            self.running_var.lerp_(x.var(0, correction=1), self.momentum)

    def forward(self, x):
        if self.training:
            mean, var = self.batch_statistics(x)
            self.update_running(x)
        else:
            mean, var = self.running_mean, self.running_var
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias


class _BatchNormUnbiasedNormalise(_BatchNorm1d):
    def batch_statistics(self, x):
        return x.mean(0), x.var(0)


class _BatchNormBiasedRunning(_BatchNorm1d):
    def update_running(self, x):
        with torch.no_grad():
            self.running_mean.lerp_(x.mean(0), self.momentum)
            self.running_var.lerp_(x.var(0, correction=0), self.momentum)


class _BatchNormKerasMomentum(_BatchNorm1d):
    def update_running(self, x):
        with torch.no_grad():
            self.running_mean.lerp_(x.mean(0), 1 - self.momentum)
            self.running_var.lerp_(x.var(0), 1 - self.momentum)


class _BatchNormNoEvalSwitch(_BatchNorm1d):
    def forward(self, x):
        mean, var = self.batch_statistics(x)
        self.update_running(x)
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias


class _BatchNormOverFeatures(_BatchNorm1d):
    def batch_statistics(self, x):
        return x.mean(-1, keepdim=True), x.var(-1, keepdim=True, correction=0)


class _BatchNormPlainAttributes(_BatchNorm1d):
    def __init__(self, d, eps=1e-5, momentum=0.1):
        nn.Module.__init__(self)
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))
        self.running_mean = torch.zeros(d)  # plain attributes: not in the state dict
        self.running_var = torch.ones(d)


BN_D, BN_BATCH = 4, 16


def _probe_batchnorm(module: nn.Module, g: torch.Generator) -> dict:
    record = {}
    module.train()
    for step in range(3):
        x = (1 + step) * torch.randn(BN_BATCH, BN_D, generator=g) + 2 * step - 1
        x.requires_grad_(step == 0)
        out = _forward(module, x)
        record[tr("training-mode output, batch {n}", n=step + 1)] = out.detach()
        if step == 0:
            record.update(_grads(out, x, module, g, ("weight", "bias")))
        for name in ("running_mean", "running_var"):
            record[tr("{name} after training batch {n}", name=name, n=step + 1)] = module.state_dict()[name].clone()
    module.eval()
    x = 3 * torch.randn(8, BN_D, generator=g) + 1
    with torch.no_grad():
        record[tr("eval-mode output (uses the running statistics)")] = _forward(module, x)
        record[tr("eval-mode output for the first example alone")] = _forward(module, x[:1])
    for name in ("running_mean", "running_var"):
        record[tr("{name} after an eval-mode batch (must not change)", name=name)] = module.state_dict()[name].clone()
    return record


def _torch_batchnorm() -> nn.Module:
    return _randomise(nn.BatchNorm1d(BN_D), 3)


_register(ScratchTask(
    key="06.batchnorm",
    title=N_("BatchNorm1d(d, eps=1e-5, momentum=0.1) with running statistics and train/eval, "
          "equal to nn.BatchNorm1d"),
    minutes=8,
    args=(BN_D,),
    make_torch=_torch_batchnorm,
    probe=_probe_batchnorm,
    reference=_BatchNorm1d,
    mistakes=(
        Mistake(_BatchNormUnbiasedNormalise, N_("in training, normalise with the BIASED batch "
                "variance (divide by the batch size); the unbiased one belongs only in the "
                "running_var update")),
        Mistake(_BatchNormBiasedRunning, N_("running_var must be updated with the UNBIASED batch "
                "variance (times n / (n - 1)), as nn.BatchNorm1d does, while the output uses the "
                "biased one")),
        Mistake(_BatchNormKerasMomentum, N_("momentum is the weight of the NEW batch in PyTorch: "
                "running = (1 - momentum) * running + momentum * batch (Keras and TensorFlow use "
                "the opposite convention)")),
        Mistake(_BatchNormNoEvalSwitch, N_("in eval mode use the running statistics, not the batch's: "
                "check self.training; at inference an example's output must not depend on the "
                "rest of the batch, and the running statistics must not change")),
        Mistake(_BatchNormPlainAttributes, N_("running_mean and running_var are plain tensor "
                "attributes: register them with self.register_buffer, so they are saved in the "
                "state dict and move with .to(device)")),
        Mistake(_BatchNormOverFeatures, N_("the statistics are taken over the features of each "
                "example (that is LayerNorm); BatchNorm takes each feature's statistics over the "
                "batch, dim 0")),
    ),
    hints=(
        N_("Parameters weight (ones) and bias (zeros); buffers running_mean (zeros) and running_var "
        "(ones) made with self.register_buffer, so they are in the state dict."),
        N_("Training: batch mean and biased variance over dim 0 for the output; update the buffers "
        "under torch.no_grad() with momentum 0.1 and the unbiased variance. Eval: use the buffers."),
    ),
    solution=inspect.getsource(_BatchNorm1d),
    optional_state=("num_batches_tracked",),
))

# --- 06.residual_block ----------------------------------------------------------------------

RB_D, RB_HIDDEN = 8, 16


class _TorchResidualBlock(nn.Module):
    """The pre-norm residual block made of PyTorch's layers: ``x + linear2(relu(linear1(norm(x))))``."""

    def __init__(self, d, d_hidden):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.linear1 = nn.Linear(d, d_hidden)
        self.linear2 = nn.Linear(d_hidden, d)

    def forward(self, x):
        return x + self.linear2(F.relu(self.linear1(self.norm(x))))


class _ResidualBlock(nn.Module):
    """Pre-norm residual block: ``x + linear2(relu(linear1(norm(x))))``, input and output ``(..., d)``."""

    def __init__(self, d, d_hidden):
        super().__init__()
        self.norm = LayerNorm(d)
        self.linear1 = nn.Linear(d, d_hidden)
        self.linear2 = nn.Linear(d_hidden, d)

    def branch(self, x):
        return self.linear2(torch.relu(self.linear1(self.norm(x))))

    def forward(self, x):
        return x + self.branch(x)


class _ResidualNoShortcut(_ResidualBlock):
    def forward(self, x):
        return self.branch(x)


class _ResidualReluAfterAdd(_ResidualBlock):
    def forward(self, x):
        return torch.relu(x + self.branch(x))


class _ResidualPostNorm(_ResidualBlock):
    def forward(self, x):
        return self.norm(x + self.linear2(torch.relu(self.linear1(x))))


class _ResidualInPlace(_ResidualBlock):
    def forward(self, x):
        x += self.branch(x)
        return x


class _ResidualDoubled(_ResidualBlock):
    def forward(self, x):
        x = self.branch(x)
        return x + x


_IN_PLACE = N_("x += f(x) modifies the caller's tensor in place (and breaks autograd when x is "
             "needed for a gradient): write x = x + f(x)")


def _probe_residual(module: nn.Module, g: torch.Generator) -> dict:
    """Output, the caller's input afterwards, and gradients; an in-place write that autograd
    refuses (e.g. into the input nn.LayerNorm saved for backward) is named, not shown raw."""
    x = 2 * torch.randn(4, RB_D, generator=g) - 1
    before = x.clone()
    with torch.no_grad():
        record = {tr("output for a (4, 8) input"): _forward(module, x).clone()}
    record[tr("the caller's input after the call (must be unchanged)")] = x
    x = before.clone().requires_grad_(True)
    try:
        out = _forward(module, x * 1)  # x * 1: an in-place add then fails here, not on a leaf
        record.update(_grads(out, x, module, g, ("linear1.weight", "norm.weight")))
    except RuntimeError as error:
        if "modified by an inplace operation" not in str(error):
            raise
        raise Incorrect(tr("autograd failed: a tensor it saved for the backward pass was modified "
                           "in place. {advice}", advice=tr(_IN_PLACE))) from None
    return record


_register(ScratchTask(
    key="06.residual_block",
    title=N_("a pre-norm residual block x + linear2(relu(linear1(norm(x))))"),
    minutes=4,
    args=(RB_D, RB_HIDDEN),
    make_torch=lambda: _randomise(_TorchResidualBlock(RB_D, RB_HIDDEN), 4),
    probe=_probe_residual,
    reference=_ResidualBlock,
    mistakes=(
        Mistake(_ResidualNoShortcut, N_("the shortcut is missing: a residual block returns x + f(x), "
                "not f(x)")),
        Mistake(_ResidualDoubled, N_("x = f(x); x + x adds the branch to itself and loses the input: "
                "keep x and return x + f(x)")),
        Mistake(_ResidualReluAfterAdd, N_("a ReLU after the addition (the original ResNet block) "
                "makes the stream non-negative and is no longer an identity path; in the "
                "pre-activation block nothing follows the addition")),
        Mistake(_ResidualPostNorm, N_("the norm is applied after the addition (Post-LN); in a "
                "pre-norm block it normalises the branch's input, and the stream itself is "
                "never normalised")),
        Mistake(_ResidualInPlace, _IN_PLACE),
    ),
    hints=(
        N_("Submodules named norm (a LayerNorm of size d), linear1 (d -> d_hidden), linear2 "
        "(d_hidden -> d): PyTorch's state dict of the same block must load."),
        N_("The branch is f(x) = linear2(relu(linear1(norm(x)))); the output is x + f(x), out of place."),
    ),
    solution=inspect.getsource(_ResidualBlock),
    fresh_like_torch=False,
))

# --- 06.attention ---------------------------------------------------------------------------

MHA_D, MHA_HEADS = 16, 4


class _TorchSelfAttention(nn.MultiheadAttention):
    """``nn.MultiheadAttention`` as self-attention on ``(batch, seq, d_model)``, returning the output only."""

    def __init__(self, d_model, n_heads):
        super().__init__(d_model, n_heads, batch_first=True)

    def forward(self, x):
        return super().forward(x, x, x, need_weights=False)[0]


class _MultiHeadSelfAttention(nn.Module):
    """Multi-head self-attention written out; ``(batch, seq, d_model) -> (batch, seq, d_model)``.

    ``in_proj_weight`` (``3 d_model x d_model``) and ``in_proj_bias`` make queries, keys and
    values; each head attends with ``softmax(q k^T / sqrt(d_head)) v``; ``out_proj`` mixes the
    heads. Names as in ``nn.MultiheadAttention``, so its state dict loads.
    """

    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d_model, d_model))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d_model))
        self.out_proj = nn.Linear(d_model, d_model)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def heads(self, t):  # (batch, seq, d_model) -> (batch, heads, seq, d_head)
        batch, seq, d_model = t.shape
        return t.view(batch, seq, self.n_heads, d_model // self.n_heads).transpose(1, 2)

    def scores(self, q, k):
        return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])

    def forward(self, x):
        batch, seq, d_model = x.shape
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q, k, v = self.heads(q), self.heads(k), self.heads(v)
        y = self.scores(q, k).softmax(dim=-1) @ v
        return self.out_proj(y.transpose(1, 2).reshape(batch, seq, d_model))


class _AttentionScaleDModel(_MultiHeadSelfAttention):
    def scores(self, q, k):
        return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1] * self.n_heads)


class _AttentionNoScale(_MultiHeadSelfAttention):
    def scores(self, q, k):
        return q @ k.transpose(-2, -1)


class _AttentionSoftmaxOverQueries(_MultiHeadSelfAttention):
    def forward(self, x):
        batch, seq, d_model = x.shape
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q, k, v = self.heads(q), self.heads(k), self.heads(v)
        y = self.scores(q, k).softmax(dim=-2) @ v
        return self.out_proj(y.transpose(1, 2).reshape(batch, seq, d_model))


class _AttentionHeadsWithoutTranspose(_MultiHeadSelfAttention):
    def heads(self, t):
        batch, seq, d_model = t.shape
        return t.reshape(batch, self.n_heads, seq, d_model // self.n_heads)


class _AttentionReturnsTuple(_MultiHeadSelfAttention):
    def forward(self, x):
        return super().forward(x), None


def _probe_attention(module: nn.Module, g: torch.Generator) -> dict:
    x = torch.randn(2, 5, MHA_D, generator=g).requires_grad_(True)
    out = _forward(module, x)
    record = {tr("output for a (2, 5, 16) input"): out.detach()}
    record.update(_grads(out, x, module, g, ("in_proj_weight",)))
    return record


def _torch_attention() -> nn.Module:
    torch_module = _TorchSelfAttention(MHA_D, MHA_HEADS)
    return _randomise(torch_module, 5)


_ATTENTION_MISTAKES = (
    Mistake(_AttentionReturnsTuple, N_("return the output tensor only")),
    Mistake(_AttentionScaleDModel, N_("the scores are divided by sqrt(d_model); each head divides "
            "by sqrt(d_head) = sqrt(d_model / n_heads), its own key size")),
    Mistake(_AttentionNoScale, N_("the scores are not scaled: divide q k^T by sqrt(d_head)")),
    Mistake(_AttentionSoftmaxOverQueries, N_("the softmax runs over the queries (dim=-2); each "
            "query's weights over the keys must sum to 1: softmax(dim=-1)")),
    Mistake(_AttentionHeadsWithoutTranspose, N_("the heads are split with a reshape to (batch, "
            "heads, seq, d_head) without a transpose, which mixes tokens; view as (batch, seq, "
            "heads, d_head), then transpose(1, 2)")),
)

_register(ScratchTask(
    key="06.attention",
    title=N_("multi-head self-attention, equal to nn.MultiheadAttention through its state dict"),
    minutes=10,
    args=(MHA_D, MHA_HEADS),
    make_torch=_torch_attention,
    probe=_probe_attention,
    reference=SelfAttention,
    mistakes=_ATTENTION_MISTAKES,
    hints=(
        N_("Parameters named as nn.MultiheadAttention's: in_proj_weight (3 d, d), in_proj_bias (3 d), "
        "out_proj = nn.Linear(d, d). forward(x) takes one (batch, seq, d) tensor and returns one."),
        N_("q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, -1); split heads with "
        ".view(batch, seq, heads, d_head).transpose(1, 2); softmax(q k^T / sqrt(d_head), dim=-1) v."),
    ),
    solution=inspect.getsource(_MultiHeadSelfAttention),
    fresh_like_torch=False,
))

# --- 06.pre_ln_block ------------------------------------------------------------------------

TB_D, TB_HEADS, TB_FF = 16, 4, 32


class _PreLNBlock(nn.Module):
    """Pre-LN Transformer block: ``x = x + attn(norm1(x)); x = x + ffn(norm2(x))``.

    Names as in ``nn.TransformerEncoderLayer(..., norm_first=True, batch_first=True)``, so its
    state dict loads strictly. ``ffn(x) = linear2(relu(linear1(x)))``; input ``(batch, seq, d)``.
    """

    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        self.self_attn = _MultiHeadSelfAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def ffn(self, x):
        return self.linear2(torch.relu(self.linear1(x)))

    def forward(self, x):
        x = x + self.self_attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


class _BlockPostLN(_PreLNBlock):
    def forward(self, x):
        x = self.norm1(x + self.self_attn(x))
        return self.norm2(x + self.ffn(x))


class _BlockSource(_PreLNBlock):
    def forward(self, x):
        x = self.self_attn(self.norm1(x))
        x = x + x
        x = self.ffn(self.norm2(x))
        return x + x


class _BlockNormedStream(_PreLNBlock):
    def forward(self, x):
        x = self.norm1(x)
        x = x + self.self_attn(x)
        x = self.norm2(x)
        return x + self.ffn(x)


class _BlockNoFFNShortcut(_PreLNBlock):
    def forward(self, x):
        x = x + self.self_attn(self.norm1(x))
        return self.ffn(self.norm2(x))


class _BlockGelu(_PreLNBlock):
    def ffn(self, x):
        return self.linear2(F.gelu(self.linear1(x)))


class _CoursePreLNBlock(TransformerBlock):
    """The course's :class:`~resnorm.models.TransformerBlock` with ``placement="pre"``."""

    def __init__(self, d_model, n_heads, d_ff):
        super().__init__(d_model, n_heads, d_ff, placement="pre")


_SELF_ATTN_NOTE = N_("# self_attn: your attention class of the previous task\n")


def _torch_block() -> nn.Module:
    layer = nn.TransformerEncoderLayer(TB_D, TB_HEADS, TB_FF, dropout=0.0, batch_first=True,
                                       norm_first=True)
    return _randomise(layer, 6)


def _probe_block(module: nn.Module, g: torch.Generator) -> dict:
    module.eval()
    x = (2 * torch.randn(2, 5, TB_D, generator=g) + 0.5).requires_grad_(True)
    out = _forward(module, x)
    record = {tr("output for a (2, 5, 16) input"): out.detach()}
    record.update(_grads(out, x, module, g, ("linear1.weight", "norm1.weight")))
    return record


_register(ScratchTask(
    key="06.pre_ln_block",
    title=N_("a Pre-LN Transformer block, equal to nn.TransformerEncoderLayer(norm_first=True) "
          "through its state dict"),
    minutes=10,
    args=(TB_D, TB_HEADS, TB_FF),
    make_torch=_torch_block,
    probe=_probe_block,
    reference=_CoursePreLNBlock,
    mistakes=(
        Mistake(_BlockPostLN, N_("that is Post-LN (norm after the addition); Pre-LN normalises each "
                "sub-layer's input: x = x + attn(norm1(x)); x = x + ffn(norm2(x))")),
        Mistake(_BlockSource, N_("x = attn(norm1(x)); x = x + x doubles the branch and drops the "
                "residual stream (the source text's bug): add the branch to the block's input")),
        Mistake(_BlockNormedStream, N_("you normalise the stream itself (x = norm1(x), then add): the "
                "shortcut must carry the un-normalised x; only the branch's input is normalised")),
        Mistake(_BlockNoFFNShortcut, N_("the feed-forward sub-layer has no shortcut: "
                "x = x + ffn(norm2(x))")),
        Mistake(_BlockGelu, N_("nn.TransformerEncoderLayer's default activation is ReLU, not GELU")),
    ),
    hints=(
        N_("Submodules self_attn (your attention, with in_proj_weight, in_proj_bias, out_proj), "
        "linear1 (d -> d_ff), linear2 (d_ff -> d), norm1, norm2: the names of "
        "nn.TransformerEncoderLayer."),
        N_("forward: x = x + self_attn(norm1(x)); return x + linear2(relu(linear1(norm2(x))))."),
    ),
    solution=lambda: tr(_SELF_ATTN_NOTE) + inspect.getsource(_PreLNBlock),
    fresh_like_torch=False,
))

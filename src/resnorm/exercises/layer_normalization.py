"""Exercises of notebook 02 (layer normalization): implement it, find the source's bug, RMSNorm."""

from __future__ import annotations

import math
from numbers import Real

import torch
import torch.nn.functional as F

from ..experiments.invariance import TRANSFORMATIONS
from ..i18n import N_, tr
from . import Exercise, Incorrect, register

# --- 02.implement_layernorm ------------------------------------------------------------------


def _call(function, *args):
    """Call the student's function; any exception becomes an :class:`Incorrect` with its message."""
    try:
        out = function(*args)
    except Exception as error:  # noqa: BLE001 - any failure of student code is feedback
        raise Incorrect(tr("your function raised {error_type}: {error}",
                           error_type=type(error).__name__, error=error)) from None
    if not isinstance(out, torch.Tensor):
        raise Incorrect(tr("your function must return a torch.Tensor; it returned {kind}", kind=type(out).__name__))
    if out.shape != args[0].shape:
        raise Incorrect(tr("the output must have the input's shape {expected}; got {got}",
                           expected=tuple(args[0].shape), got=tuple(out.shape)))
    return out


def _close(a: torch.Tensor, b: torch.Tensor, tol: float = 1e-4) -> bool:
    return bool(torch.isfinite(a).all()) and bool(((a - b).abs() <= tol * (1 + b.abs())).all())


def _check_layer_norm(answer) -> None:
    if not callable(answer):
        raise Incorrect(tr("answer must be a function layer_norm(x, weight, bias, eps) - got {kind}",
                           kind=type(answer).__name__))
    g = torch.Generator().manual_seed(2)
    # 1. gain 1, bias 0, ordinary scale: diagnose the classic mistakes by their signature
    d = 8
    x = 2 * torch.randn(6, d, generator=g) + 1
    ones, zeros = torch.ones(d), torch.zeros(d)
    out = _call(answer, x, ones, zeros, 1e-5)
    expected = F.layer_norm(x, (d,), ones, zeros, 1e-5)
    if not _close(out, expected):
        if _close(out, expected * math.sqrt((d - 1) / d), 1e-3):
            raise Incorrect(tr("your output is the right one times sqrt((d-1)/d): that is the unbiased "
                               "variance (x.var() divides by d-1); LayerNorm uses the biased one "
                               "(divide by d: x.var(-1, correction=0))"))
        if out.mean(-1).abs().max() > 1e-3:
            raise Incorrect(tr("each example's output should have mean 0 over its features: take the "
                               "mean and variance over the LAST dimension (dim=-1, keepdim=True), "
                               "not over the batch"))
        raise Incorrect(tr("the output differs from F.layer_norm; "
                           "compute (x - mean) / sqrt(var + eps) over the last dimension"))
    # 2. random gain and bias, a 3-d input (batch, seq, d) and a backward pass
    d = 64
    x = (3 * torch.randn(2, 5, d, generator=g) - 2).requires_grad_(True)
    w = (1 + 0.5 * torch.randn(d, generator=g)).requires_grad_(True)
    b = (0.5 * torch.randn(d, generator=g)).requires_grad_(True)
    up = torch.randn(2, 5, d, generator=g)
    out = _call(answer, x, w, b, 1e-5)
    if not _close(out, F.layer_norm(x, (d,), w, b, 1e-5)):
        raise Incorrect(tr("with a gain and a bias the output is wrong: the result is "
                           "weight * normalised + bias (element-wise, one gain and bias per feature), "
                           "for inputs of any number of leading dimensions"))
    if not out.requires_grad:
        raise Incorrect(tr("the output carries no gradient: do not detach or use .data / numpy"))
    grads = torch.autograd.grad(out, (x, w, b), up, allow_unused=True)
    ref = torch.autograd.grad(F.layer_norm(x, (d,), w, b, 1e-5), (x, w, b), up)
    for name, got, want in zip(("x", "weight", "bias"), grads, ref):
        if got is None or not _close(got, want, 1e-3):
            raise Incorrect(tr("the forward pass is right but the gradient with respect to {name} is not: the mean and "
                               "variance must stay in the autograd graph (no .detach())", name=name))
    # 3. tiny-scale input: eps belongs inside the square root
    d = 16
    x = 1e-3 * torch.randn(4, d, generator=g)
    ones, zeros = torch.ones(d), torch.zeros(d)
    out = _call(answer, x, ones, zeros, 1e-5)
    if not _close(out, F.layer_norm(x, (d,), ones, zeros, 1e-5)):
        raise Incorrect(tr("right for ordinary inputs but wrong for tiny ones (std 1e-3): eps goes "
                           "inside the square root, sqrt(var + eps), not sqrt(var) + eps"))


def _layer_norm_reference():
    def layer_norm(x, weight, bias, eps=1e-5):
        mean = x.mean(-1, keepdim=True)
        var = (x - mean).pow(2).mean(-1, keepdim=True)
        return weight * (x - mean) / torch.sqrt(var + eps) + bias

    return layer_norm


def _layer_norm_unbiased():
    def layer_norm(x, weight, bias, eps=1e-5):
        mean = x.mean(-1, keepdim=True)
        return weight * (x - mean) / torch.sqrt(x.var(-1, keepdim=True) + eps) + bias

    return layer_norm


def _layer_norm_over_batch():
    def layer_norm(x, weight, bias, eps=1e-5):
        mean = x.mean(0, keepdim=True)
        var = (x - mean).pow(2).mean(0, keepdim=True)
        return weight * (x - mean) / torch.sqrt(var + eps) + bias

    return layer_norm


def _layer_norm_eps_outside():
    def layer_norm(x, weight, bias, eps=1e-5):
        mean = x.mean(-1, keepdim=True)
        var = (x - mean).pow(2).mean(-1, keepdim=True)
        return weight * (x - mean) / (torch.sqrt(var) + eps) + bias

    return layer_norm


register(Exercise(
    key="02.implement_layernorm",
    title=N_("LayerNorm from scratch, equal to F.layer_norm in forward and backward"),
    checker=_check_layer_norm,
    reference=_layer_norm_reference,
    wrong=(_layer_norm_unbiased, _layer_norm_over_batch, _layer_norm_eps_outside),
    hints=(
        N_("Every statistic is taken over the last dimension, one example (or token) at a time: "
           "x.mean(-1, keepdim=True)."),
        N_("The variance is the biased one: the mean of (x - mean)**2, dividing by d, not d - 1."),
        N_("eps goes inside the square root; the gain and bias are applied last, element-wise."),
    ),
    solution=(
        N_("def layer_norm(x, weight, bias, eps=1e-5):\n"
           "    mean = x.mean(-1, keepdim=True)\n"
           "    var = (x - mean).pow(2).mean(-1, keepdim=True)   # biased: divide by d\n"
           "    return weight * (x - mean) / torch.sqrt(var + eps) + bias\n"
           "\n"
           "answer = layer_norm")
    ),
))

# --- 02.source_factor ------------------------------------------------------------------------

SOURCE_FACTOR_D = 64


def _check_source_factor(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, Real):
        raise Incorrect(tr("answer must be a number (a float); got {kind}", kind=type(answer).__name__))
    d = SOURCE_FACTOR_D
    value = float(answer)
    if abs(value - math.sqrt((d - 1) / d)) < 1e-4:
        return
    if abs(value - (d - 1) / d) < 1e-4:
        raise Incorrect(tr("{value:.4f} is the ratio of the two variances; the output divides by the square root of "
                           "the variance", value=value))
    if value > 1:
        raise Incorrect(tr("the unbiased variance divides by d-1, so it is LARGER than the biased one; "
                           "dividing by something larger makes the source's output smaller: the "
                           "factor is below 1"))
    if abs(value - 1) < 1e-4:
        raise Incorrect(tr("the two are not equal: run the comparison in the notebook and look at "
                           "what x.var() divides by"))
    raise Incorrect(tr("not the factor for d = {d}; write it with d: how do the two variances compare, and what "
                       "does the output divide by?", d=d))


register(Exercise(
    key="02.source_factor",
    title=N_("the factor the source's unbiased variance puts on the output"),
    checker=_check_source_factor,
    reference=lambda: math.sqrt((SOURCE_FACTOR_D - 1) / SOURCE_FACTOR_D),
    wrong=(lambda: 63 / 64, lambda: math.sqrt(64 / 63), lambda: 1.0),
    hints=(
        N_("x.var(-1) divides the sum of squared deviations by d - 1; nn.LayerNorm divides by d."),
        N_("So var_source = var * d / (d - 1), and the output is divided by the square root of it."),
    ),
    solution=(
        N_("import math\n"
           "d = 64\n"
           "answer = math.sqrt((d - 1) / d)   # 0.9922: the source's output is 0.78% too small")
    ),
))

# --- 02.implement_rmsnorm --------------------------------------------------------------------


def _check_rms_norm(answer) -> None:
    if not callable(answer):
        raise Incorrect(tr("answer must be a function rms_norm(x, weight, eps) - got {kind}",
                           kind=type(answer).__name__))
    g = torch.Generator().manual_seed(3)
    d = 32
    x = (2 * torch.randn(3, 4, d, generator=g) + 1.5).requires_grad_(True)
    w = (1 + 0.5 * torch.randn(d, generator=g)).requires_grad_(True)
    up = torch.randn(3, 4, d, generator=g)
    out = _call(answer, x, w, 1e-6)
    expected = F.rms_norm(x, (d,), w, 1e-6)
    if not _close(out, expected):
        if (out.detach() / w.detach()).mean(-1).abs().max() < 1e-3:
            raise Incorrect(tr("your output has mean 0 per example: RMSNorm does NOT subtract the mean; "
                               "it divides x by sqrt(mean(x**2) + eps)"))
        if _close(out, F.rms_norm(x, (d,), None, 1e-6)):
            raise Incorrect(tr("the gain is missing: multiply by weight (one gain per feature)"))
        raise Incorrect(tr("the output differs from F.rms_norm: x / sqrt(mean(x**2, last dim) + eps) * weight"))
    grads = torch.autograd.grad(out, (x, w), up, allow_unused=True)
    ref = torch.autograd.grad(expected, (x, w), up)
    for name, got, want in zip(("x", "weight"), grads, ref):
        if got is None or not _close(got, want, 1e-3):
            raise Incorrect(tr("forward right, gradient with respect to {name} wrong: keep every statistic in the "
                               "autograd graph", name=name))
    x = 1e-4 * torch.randn(4, d, generator=g)
    if not _close(_call(answer, x, torch.ones(d), 1e-6), F.rms_norm(x, (d,), None, 1e-6)):
        raise Incorrect(tr("right for ordinary inputs, wrong for tiny ones (scale 1e-4): eps goes inside "
                           "the square root, sqrt(mean(x**2) + eps)"))


def _rms_reference():
    def rms_norm(x, weight, eps=1e-6):
        return weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)

    return rms_norm


def _rms_centred():
    def rms_norm(x, weight, eps=1e-6):
        x = x - x.mean(-1, keepdim=True)
        return weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)

    return rms_norm


def _rms_eps_outside():
    def rms_norm(x, weight, eps=1e-6):
        return weight * x / (torch.sqrt(x.pow(2).mean(-1, keepdim=True)) + eps)

    return rms_norm


def _rms_no_gain():
    def rms_norm(x, weight, eps=1e-6):
        return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)

    return rms_norm


register(Exercise(
    key="02.implement_rmsnorm",
    title=N_("RMSNorm from scratch, equal to F.rms_norm in forward and backward"),
    checker=_check_rms_norm,
    reference=_rms_reference,
    wrong=(_rms_centred, _rms_eps_outside, _rms_no_gain),
    hints=(
        N_("Start from your LayerNorm and delete what RMSNorm does not do: the mean and the bias."),
        N_("The one statistic is the mean of x**2 over the last dimension; eps goes inside the root."),
    ),
    solution=(
        N_("def rms_norm(x, weight, eps=1e-6):\n"
           "    return weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)\n"
           "\n"
           "answer = rms_norm")
    ),
))

# --- 02.rms_invariances ----------------------------------------------------------------------

RMS_INVARIANT = frozenset({"weight matrix re-scaling", "dataset re-scaling", "single training case re-scaling"})
"""The columns of Ba et al. (2016), Table 1, under which RMSNorm's output does not change: Zhang &
Sennrich (2019), Table 1, give this row."""

_WHY = {
    "weight matrix re-scaling": N_("scaling W scales every summed input, and the RMS with it"),
    "dataset re-scaling": N_("scaling every x scales W x, and the RMS with it"),
    "single training case re-scaling": N_("RMSNorm sees one example at a time, and scaling it scales its RMS"),
    "weight matrix re-centering": N_("adding the same vector to every row of W adds a common shift "
                                     "to all summed inputs; LayerNorm subtracts it, RMSNorm does not"),
    "dataset re-centering": N_("shifting every x by c adds W c, a different shift per neuron"),
    "weight vector re-scaling": N_("scaling one neuron's weights changes that neuron relative to the "
                                   "others; only a per-neuron statistic (BatchNorm) undoes it"),
}


def _check_rms_invariances(answer) -> None:
    if isinstance(answer, str) or not isinstance(answer, (set, frozenset, list, tuple)):
        raise Incorrect(tr("answer must be a set of column names, e.g. {{\"dataset re-scaling\"}}; got {kind}",
                           kind=type(answer).__name__))
    unknown = [a for a in answer if a not in TRANSFORMATIONS]
    if unknown:
        raise Incorrect(tr("unknown name(s) {unknown}; the allowed names are: {allowed}", unknown=unknown,
                           allowed=", ".join(repr(t) for t in TRANSFORMATIONS)))
    chosen = set(answer)
    extra = sorted(chosen - RMS_INVARIANT)
    if extra:
        raise Incorrect(tr("RMSNorm is NOT invariant to {option!r}: {why}",
                           option=extra[0], why=tr(_WHY[extra[0]])))
    missing = sorted(RMS_INVARIANT - chosen)
    if missing:
        raise Incorrect(tr("RMSNorm is also invariant to {option!r}: {why}",
                           option=missing[0], why=tr(_WHY[missing[0]])))


register(Exercise(
    key="02.rms_invariances",
    title=N_("the invariances of RMSNorm (Ba et al. 2016's Table 1 columns; Zhang & Sennrich 2019, Table 1)"),
    checker=_check_rms_invariances,
    reference=lambda: set(RMS_INVARIANT),
    wrong=(
        lambda: set(RMS_INVARIANT) | {"weight matrix re-centering"},  # LayerNorm's row
        lambda: {"weight matrix re-scaling", "weight vector re-scaling", "dataset re-scaling",
                 "dataset re-centering"},  # BatchNorm's row
        lambda: set(TRANSFORMATIONS),
    ),
    hints=(
        N_("RMSNorm divides each example's summed inputs by their root mean square. Which changes "
           "multiply all of them by the same positive number?"),
        N_("It never subtracts anything, so no shift (re-centering) is undone."),
    ),
    solution=(
        N_("answer = {\"weight matrix re-scaling\", \"dataset re-scaling\",\n"
           "          \"single training case re-scaling\"}\n"
           "# LayerNorm's row minus 'weight matrix re-centering': the mean subtraction is what undoes\n"
           "# a common shift (Zhang & Sennrich 2019, Table 1). The invariance table in the notebook\n"
           "# measures all of them.")
    ),
))

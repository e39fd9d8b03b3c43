"""Exercises of notebook 04 (pros and cons): count a projection, price the add, rebuild what LN drops."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..i18n import N_, tr
from . import Exercise, Incorrect, register

# --- 04.projection_params -------------------------------------------------------------------------

PROJECTION_IN, PROJECTION_OUT = 64, 128


def _check_projection(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise Incorrect(tr("give a whole number of parameters (an int); got {kind} {answer!r}",
                           kind=type(answer).__name__, answer=answer))
    weights = PROJECTION_IN * PROJECTION_OUT
    if answer == 0:
        raise Incorrect(tr("0 is right for an identity shortcut, but 64 -> 128 channels cannot be an "
                           "identity: the shortcut is a 1x1 convolution with weights"))
    if answer == weights:
        raise Incorrect(tr("{answer} counts the weights only: nn.Conv2d has bias=True by default, one bias per "
                           "output channel", answer=answer))
    if answer == 9 * weights + PROJECTION_OUT or answer == 9 * weights:
        raise Incorrect(tr("that is a 3x3 convolution; the projection's kernel is 1x1"))
    if answer != weights + PROJECTION_OUT:
        raise Incorrect(tr("{answer} is not it: a 1x1 convolution has in_channels x out_channels weights plus "
                           "out_channels biases", answer=answer))


register(Exercise(
    key="04.projection_params",
    title=N_("a 1x1 projection shortcut from 64 to 128 channels has 64*128 + 128 = 8,320 parameters"),
    checker=_check_projection,
    reference=lambda: PROJECTION_IN * PROJECTION_OUT + PROJECTION_OUT,
    wrong=(lambda: 0, lambda: PROJECTION_IN * PROJECTION_OUT, lambda: 9 * PROJECTION_IN * PROJECTION_OUT + 128),
    hints=(
        N_("The source's block uses nn.Conv2d(in_channels, out_channels, kernel_size=1) when the channel "
           "counts differ. How many weights does a 1x1 kernel have per (input, output) channel pair?"),
        N_("Check your count with resnorm.experiments.param_count.count_parameters(nn.Conv2d(64, 128, 1))."),
    ),
    solution=N_("answer = 64 * 128 + 128  # 1x1 kernel: one weight per channel pair, plus one bias per output channel"),
))

# --- 04.add_flop_share ----------------------------------------------------------------------------

ADD_WIDTH = 512


def _check_add_share(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        raise Incorrect(tr("give a number (a fraction such as 0.01); got {answer!r}", answer=answer))
    d = ADD_WIDTH
    expected = d / (2 * 2 * d * d)
    if answer >= 0.5:
        raise Incorrect(tr("the add does not double the work: it is one addition per feature, while each "
                           "Linear layer does d multiply-adds per feature"))
    if abs(answer - 2 * expected) < 0.1 * expected:
        raise Incorrect(tr("that is the add next to one Linear layer; the branch has two of them"))
    if abs(answer - 4 * expected) < 0.1 * expected:
        raise Incorrect(tr("close: a multiply-add counts as 2 FLOPs, and the branch has two Linear layers"))
    if abs(answer - 100 * expected) < 10 * expected:
        raise Incorrect(tr("give a fraction, not a percentage"))
    if abs(answer - expected) > 0.1 * expected:
        raise Incorrect(tr("{answer:.3g} is off: per token the add costs d FLOPs and each Linear layer 2 d^2",
                           answer=answer))


register(Exercise(
    key="04.add_flop_share",
    title=N_("the identity shortcut adds 1/(4d) = 1/2048 of a two-layer Linear(512, 512) branch's FLOPs"),
    checker=_check_add_share,
    reference=lambda: 1 / (4 * ADD_WIDTH),
    wrong=(lambda: 1.0, lambda: 1 / (2 * ADD_WIDTH), lambda: 1 / ADD_WIDTH, lambda: 100 / (4 * ADD_WIDTH)),
    hints=(
        N_("Per token, the add h + f(h) does one addition per feature: d FLOPs."),
        N_("Per token, each Linear(d, d) does d x d multiply-adds; count a multiply-add as 2 FLOPs, and the "
           "branch has two such layers."),
    ),
    solution=N_("d = 512\nanswer = d / (2 * (2 * d * d))  # = 1/2048, about 0.05%"),
))

# --- 04.rebuild_from_layernorm --------------------------------------------------------------------


def _check_rebuild(answer) -> None:
    if not callable(answer):
        raise Incorrect(tr("give a function stats(x) that returns (mean, std)"))
    x = 3 * torch.randn(6, 8, generator=torch.Generator().manual_seed(4)) + 1.5
    try:
        mean, std = answer(x)
        rebuilt = mean + std * F.layer_norm(x, (x.shape[-1],), eps=0.0)
    except Incorrect:
        raise
    except Exception as error:  # a shape or type mistake in the student's function
        raise Incorrect(tr("stats(x) failed or returned the wrong shapes ({error_type}: {error}); return two "
                           "tensors of shape (..., 1), e.g. with keepdim=True",
                           error_type=type(error).__name__, error=error)) from None
    if not isinstance(rebuilt, torch.Tensor) or rebuilt.shape != x.shape:
        raise Incorrect(tr("mean and std must have shape (..., 1) (keepdim=True) so that they broadcast over the "
                           "features; mean + std * LN(x) had shape {shape}", shape=getattr(rebuilt, 'shape', None)))
    error = (rebuilt - x).abs().max().item()
    if error > 1e-4:
        ratio = (std / x.std(-1, keepdim=True)).mean().item() if isinstance(std, torch.Tensor) else float("nan")
        if abs(ratio - 1) < 1e-4:
            raise Incorrect(tr("x.std() is the unbiased estimate (divides by d - 1); LayerNorm uses the "
                               "biased one (divides by d), the same bug as the source's LayerNorm snippet"))
        raise Incorrect(tr("mean + std * LN(x) misses x by up to {error:.3g}; return the mean and the standard "
                           "deviation (not the variance) over the last dimension", error=error))


register(Exercise(
    key="04.rebuild_from_layernorm",
    title=N_("LayerNorm discards exactly two numbers per vector: its mean and its (biased) std"),
    checker=_check_rebuild,
    reference=lambda: (lambda x: (x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False))),
    wrong=(
        lambda: (lambda x: (x.mean(-1, keepdim=True), x.std(-1, keepdim=True))),
        lambda: (lambda x: (x.mean(-1, keepdim=True), x.var(-1, keepdim=True, unbiased=False))),
        lambda: (lambda x: (x.mean(-1), x.std(-1, unbiased=False))),
    ),
    hints=(
        N_("LayerNorm computes (x - mean) / std per vector; undo it: x = mean + std * LN(x)."),
        N_("Take both statistics over the last dimension with keepdim=True, and use the biased standard "
           "deviation (unbiased=False), as nn.LayerNorm does."),
    ),
    solution=(N_("def stats(x):\n"
                 "    return x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False)\n\n"
                 "answer = stats")),
))

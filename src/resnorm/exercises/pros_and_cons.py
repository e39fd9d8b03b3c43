"""Exercises of notebook 04 (pros and cons): count a projection, price the add, rebuild what LN drops."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from . import Exercise, Incorrect, register

# --- 04.projection_params -------------------------------------------------------------------------

PROJECTION_IN, PROJECTION_OUT = 64, 128


def _check_projection(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise Incorrect(f"give a whole number of parameters (an int); got {type(answer).__name__} {answer!r}")
    weights = PROJECTION_IN * PROJECTION_OUT
    if answer == 0:
        raise Incorrect("0 is right for an identity shortcut, but 64 -> 128 channels cannot be an "
                        "identity: the shortcut is a 1x1 convolution with weights")
    if answer == weights:
        raise Incorrect(f"{answer} counts the weights only: nn.Conv2d has bias=True by default, one "
                        "bias per output channel")
    if answer == 9 * weights + PROJECTION_OUT or answer == 9 * weights:
        raise Incorrect("that is a 3x3 convolution; the projection's kernel is 1x1")
    if answer != weights + PROJECTION_OUT:
        raise Incorrect(f"{answer} is not it: a 1x1 convolution has in_channels x out_channels weights "
                        "plus out_channels biases")


register(Exercise(
    key="04.projection_params",
    title="a 1x1 projection shortcut from 64 to 128 channels has 64*128 + 128 = 8,320 parameters",
    checker=_check_projection,
    reference=lambda: PROJECTION_IN * PROJECTION_OUT + PROJECTION_OUT,
    wrong=(lambda: 0, lambda: PROJECTION_IN * PROJECTION_OUT, lambda: 9 * PROJECTION_IN * PROJECTION_OUT + 128),
    hints=(
        "The source's block uses nn.Conv2d(in_channels, out_channels, kernel_size=1) when the channel "
        "counts differ. How many weights does a 1x1 kernel have per (input, output) channel pair?",
        "Check your count with resnorm.experiments.param_count.count_parameters(nn.Conv2d(64, 128, 1)).",
    ),
    solution="answer = 64 * 128 + 128  # 1x1 kernel: one weight per channel pair, plus one bias per output channel",
))

# --- 04.add_flop_share ----------------------------------------------------------------------------

ADD_WIDTH = 512


def _check_add_share(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        raise Incorrect(f"give a number (a fraction such as 0.01); got {answer!r}")
    d = ADD_WIDTH
    expected = d / (2 * 2 * d * d)
    if answer >= 0.5:
        raise Incorrect("the add does not double the work: it is one addition per feature, while each "
                        "Linear layer does d multiply-adds per feature")
    if abs(answer - 2 * expected) < 0.1 * expected:
        raise Incorrect("that is the add next to one Linear layer; the branch has two of them")
    if abs(answer - 4 * expected) < 0.1 * expected:
        raise Incorrect("close: a multiply-add counts as 2 FLOPs, and the branch has two Linear layers")
    if abs(answer - 100 * expected) < 10 * expected:
        raise Incorrect("give a fraction, not a percentage")
    if abs(answer - expected) > 0.1 * expected:
        raise Incorrect(f"{answer:.3g} is off: per token the add costs d FLOPs and each Linear layer 2 d^2")


register(Exercise(
    key="04.add_flop_share",
    title="the identity shortcut adds 1/(4d) = 1/2048 of a two-layer Linear(512, 512) branch's FLOPs",
    checker=_check_add_share,
    reference=lambda: 1 / (4 * ADD_WIDTH),
    wrong=(lambda: 1.0, lambda: 1 / (2 * ADD_WIDTH), lambda: 1 / ADD_WIDTH, lambda: 100 / (4 * ADD_WIDTH)),
    hints=(
        "Per token, the add h + f(h) does one addition per feature: d FLOPs.",
        "Per token, each Linear(d, d) does d x d multiply-adds; count a multiply-add as 2 FLOPs, and the "
        "branch has two such layers.",
    ),
    solution="d = 512\nanswer = d / (2 * (2 * d * d))  # = 1/2048, about 0.05%",
))

# --- 04.rebuild_from_layernorm --------------------------------------------------------------------


def _check_rebuild(answer) -> None:
    if not callable(answer):
        raise Incorrect("give a function stats(x) that returns (mean, std)")
    x = 3 * torch.randn(6, 8, generator=torch.Generator().manual_seed(4)) + 1.5
    try:
        mean, std = answer(x)
        rebuilt = mean + std * F.layer_norm(x, (x.shape[-1],), eps=0.0)
    except Incorrect:
        raise
    except Exception as error:  # a shape or type mistake in the student's function
        raise Incorrect(f"stats(x) failed or returned the wrong shapes ({type(error).__name__}: {error}); "
                        "return two tensors of shape (..., 1), e.g. with keepdim=True") from None
    if not isinstance(rebuilt, torch.Tensor) or rebuilt.shape != x.shape:
        raise Incorrect("mean and std must have shape (..., 1) (keepdim=True) so that they broadcast "
                        f"over the features; mean + std * LN(x) had shape {getattr(rebuilt, 'shape', None)}")
    error = (rebuilt - x).abs().max().item()
    if error > 1e-4:
        ratio = (std / x.std(-1, keepdim=True)).mean().item() if isinstance(std, torch.Tensor) else float("nan")
        if abs(ratio - 1) < 1e-4:
            raise Incorrect("x.std() is the unbiased estimate (divides by d - 1); LayerNorm uses the "
                            "biased one (divides by d), the same bug as the source's LayerNorm snippet")
        raise Incorrect(f"mean + std * LN(x) misses x by up to {error:.3g}; return the mean and the "
                        "standard deviation (not the variance) over the last dimension")


register(Exercise(
    key="04.rebuild_from_layernorm",
    title="LayerNorm discards exactly two numbers per vector: its mean and its (biased) std",
    checker=_check_rebuild,
    reference=lambda: (lambda x: (x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False))),
    wrong=(
        lambda: (lambda x: (x.mean(-1, keepdim=True), x.std(-1, keepdim=True))),
        lambda: (lambda x: (x.mean(-1, keepdim=True), x.var(-1, keepdim=True, unbiased=False))),
        lambda: (lambda x: (x.mean(-1), x.std(-1, unbiased=False))),
    ),
    hints=(
        "LayerNorm computes (x - mean) / std per vector; undo it: x = mean + std * LN(x).",
        "Take both statistics over the last dimension with keepdim=True, and use the biased standard "
        "deviation (unbiased=False), as nn.LayerNorm does.",
    ),
    solution=("def stats(x):\n"
              "    return x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False)\n\n"
              "answer = stats"),
))

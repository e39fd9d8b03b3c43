"""Exercises of notebook 05 (beyond the interview): count paths, compute DeepNorm's constants,
write Dynamic Tanh."""

from __future__ import annotations

from math import comb
from numbers import Integral, Real

import torch

from ..norms import DynamicTanh
from ..i18n import N_, tr
from . import Exercise, Incorrect, register

# --- 05.paths --------------------------------------------------------------------------------

PATHS_BLOCKS, PATHS_LENGTH = 10, 3
"""The question: in a net of 10 residual blocks, how many paths go through exactly 3 branches?"""


def _check_paths(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, Integral):
        raise Incorrect(tr("the answer must be a whole number of paths; got {kind} {answer!r}",
                           kind=type(answer).__name__, answer=answer))
    n, k = PATHS_BLOCKS, PATHS_LENGTH
    if answer == comb(n, k):
        return
    if answer == 2 ** n:
        raise Incorrect(tr("{answer} is the number of all paths (each block: branch or skip); count only those that "
                           "take exactly {k} branches", answer=answer, k=k))
    if answer == n * (n - 1) * (n - 2):
        raise Incorrect(tr("you counted ordered choices: a path visits its blocks in the network's "
                           "order, so the order of choosing them does not matter - divide by 3!"))
    if answer == n * k or answer == n ** k:
        raise Incorrect(tr("a path of length {k} is a choice of which {k} of the {n} branches it takes: count the "
                           "subsets of that size", k=k, n=n))
    raise Incorrect(tr("count the ways to choose which {k} of the {n} branches a path goes through", k=k, n=n))


register(Exercise(
    key="05.paths",
    title=N_("counting the paths of a residual net"),
    checker=_check_paths,
    reference=lambda: comb(PATHS_BLOCKS, PATHS_LENGTH),
    wrong=(lambda: 2 ** PATHS_BLOCKS, lambda: 10 * 9 * 8, lambda: 30),
    hints=(
        N_("Unroll the net: at every block a path either goes through the branch or takes the shortcut."),
        N_("A path of length k is fixed by the set of k branches it goes through: 'n choose k'."),
    ),
    solution=N_("from math import comb\nanswer = comb(10, 3)   # 120 of the 2**10 = 1024 paths"),
))

# --- 05.deepnorm -----------------------------------------------------------------------------

DEEPNORM_LAYERS = 18
"""The question: DeepNorm's (alpha, beta) for an encoder-only Transformer of 18 layers."""


def _check_deepnorm(answer) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect(tr("the answer must be a pair (alpha, beta); got {kind} {answer!r}",
                           kind=type(answer).__name__, answer=answer))
    if not all(isinstance(v, Real) and not isinstance(v, bool) for v in answer):
        raise Incorrect(tr("alpha and beta must both be numbers"))
    alpha, beta = (float(v) for v in answer)
    n = DEEPNORM_LAYERS
    expected_alpha, expected_beta = (2 * n) ** 0.25, (8 * n) ** -0.25
    close = lambda a, b: abs(a - b) <= 0.005 * abs(b)
    if close(alpha, expected_alpha) and close(beta, expected_beta):
        return
    if close(alpha, expected_beta) and close(beta, expected_alpha):
        raise Incorrect(tr("alpha and beta are swapped: alpha (> 1) up-weights the shortcut, "
                           "beta (< 1) shrinks the initial weights of the branch"))
    if close(alpha, (2 * n) ** 0.5) or close(beta, (8 * n) ** -0.5):
        raise Incorrect(tr("the encoder-only constants use fourth roots, not square roots"))
    if alpha <= 1 or beta >= 1:
        raise Incorrect(tr("DeepNorm makes alpha > 1 (a stronger shortcut) and beta < 1 (a smaller "
                           "initial branch); yours do not"))
    raise Incorrect(tr("use alpha = (2N)^(1/4) and beta = (8N)^(-1/4) with N = {n}", n=n))


register(Exercise(
    key="05.deepnorm",
    title=N_("DeepNorm's constants for an 18-layer encoder"),
    checker=_check_deepnorm,
    reference=lambda: ((2 * DEEPNORM_LAYERS) ** 0.25, (8 * DEEPNORM_LAYERS) ** -0.25),
    wrong=(
        lambda: ((8 * DEEPNORM_LAYERS) ** -0.25, (2 * DEEPNORM_LAYERS) ** 0.25),
        lambda: ((2 * DEEPNORM_LAYERS) ** 0.5, (8 * DEEPNORM_LAYERS) ** -0.5),
        lambda: (1.0, 1.0),
    ),
    hints=(
        N_("For an encoder-only model with N layers, Wang et al. (2022) use alpha = (2N)^(1/4) "
           "and beta = (8N)^(-1/4)."),
        N_("In Python, x ** 0.25 is the fourth root and x ** -0.25 its inverse."),
    ),
    solution=N_("N = 18\nanswer = ((2 * N) ** 0.25, (8 * N) ** -0.25)   # about (2.449, 0.289)\n"
                "# or: from resnorm.reweighted import deepnorm_constants; answer = deepnorm_constants(18)"),
))

# --- 05.dyt ----------------------------------------------------------------------------------


def _check_dyt(answer) -> None:
    if not callable(answer):
        raise Incorrect(tr("the answer must be a function dyt(x, alpha, weight, bias); got {kind}",
                           kind=type(answer).__name__))
    g = torch.Generator().manual_seed(5)
    reference = DynamicTanh(6, alpha0=0.7)
    with torch.no_grad():
        reference.weight.copy_(torch.randn(6, generator=g))
        reference.bias.copy_(torch.randn(6, generator=g))
    x = 3 * torch.randn(4, 5, 6, generator=g)
    alpha, weight, bias = reference.alpha.detach(), reference.weight.detach(), reference.bias.detach()
    try:
        with torch.no_grad():
            out = answer(x.clone(), alpha.clone(), weight.clone(), bias.clone())
    except Exception as error:  # noqa: BLE001 - any failure of student code is feedback
        raise Incorrect(tr("your function raised {error_type}: {error}",
                           error_type=type(error).__name__, error=error)) from None
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise Incorrect(tr("return a tensor of the input's shape {expected}; got {shape}",
                           expected=tuple(x.shape), shape=shape))
    with torch.no_grad():
        expected = reference(x)
    if torch.allclose(out, expected, atol=1e-5):
        return
    if torch.allclose(out, weight * torch.tanh(x) + bias, atol=1e-5):
        raise Incorrect(tr("alpha is missing: it scales the input inside the tanh"))
    if torch.allclose(out, torch.tanh(alpha * (weight * x + bias)), atol=1e-5):
        raise Incorrect(tr("the affine weight and bias come after the tanh, not before it"))
    if torch.allclose(out, torch.tanh(alpha * x), atol=1e-5):
        raise Incorrect(tr("the per-feature weight and bias are missing after the tanh"))
    raise Incorrect(tr("the output is not weight * tanh(alpha * x) + bias"))


register(Exercise(
    key="05.dyt",
    title=N_("Dynamic Tanh in one line"),
    checker=_check_dyt,
    reference=lambda: (lambda x, alpha, weight, bias: weight * torch.tanh(alpha * x) + bias),
    wrong=(
        lambda: (lambda x, alpha, weight, bias: weight * torch.tanh(x) + bias),
        lambda: (lambda x, alpha, weight, bias: torch.tanh(alpha * (weight * x + bias))),
        lambda: (lambda x, alpha, weight, bias: torch.tanh(alpha * x)),
    ),
    hints=(
        N_("DyT squashes each element on its own: no mean, no variance."),
        N_("First scale by the scalar alpha, then tanh, then the per-feature weight and bias."),
    ),
    solution=N_("def dyt(x, alpha, weight, bias):\n    return weight * torch.tanh(alpha * x) + bias\n\n"
                "answer = dyt"),
))

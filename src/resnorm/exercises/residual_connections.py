"""Exercises of notebook 01 (residual connections): write the block, predict, count, spot the bugs."""

from __future__ import annotations

import torch
from torch import nn

from ..i18n import N_, tr
from . import Exercise, Incorrect, Texts, expect_choices, expect_number, register

# --- 01.residual_forward ---------------------------------------------------------------------


def _branches() -> list[nn.Module]:
    """Two branches of the course's shape (``Linear -> act -> Linear``), built without touching
    the global random state of the student's kernel."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(11)
        relu = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))
        tanh = nn.Sequential(nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8))
    return [relu, tanh]


def _check_residual_forward(answer) -> None:
    if not callable(answer):
        raise Incorrect(tr("answer must be a function residual_forward(h, branch); got {kind}",
                           kind=type(answer).__name__))
    h = torch.randn(5, 8, generator=torch.Generator().manual_seed(3))
    for branch in _branches():
        h_before = h.clone()
        with torch.no_grad():
            expected = h + branch(h)
            try:
                out = answer(h, branch)
            except Exception as error:  # noqa: BLE001 - any failure of student code is feedback
                raise Incorrect(tr("your function raised {error_type}: {error}",
                                   error_type=type(error).__name__, error=error)) from None
            if not torch.equal(h, h_before):
                raise Incorrect(tr("your function changed its input h in place (e.g. `h += ...` or an "
                                   "in-place ReLU): the caller's tensor is overwritten - the bug of the "
                                   "source's block; build a new tensor instead"))
            if not isinstance(out, torch.Tensor) or out.shape != h.shape:
                shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
                raise Incorrect(tr("return a tensor of the input's shape {expected}; got {shape}",
                                   expected=tuple(h.shape), shape=shape))
            fh = branch(h)
        if torch.allclose(out, expected, atol=1e-6):
            continue
        if torch.allclose(out, fh, atol=1e-6):
            raise Incorrect(tr("you return only the branch f(h): that is a plain layer; "
                               "the identity path (the input itself) must be added back"))
        if torch.allclose(out, 2 * fh, atol=1e-6):
            raise Incorrect(tr("you add the branch to itself (like the source's `x = x + x`): "
                               "the sum must be input + branch(input)"))
        if torch.allclose(out, torch.relu(expected), atol=1e-6):
            raise Incorrect(tr("you apply a ReLU after the sum: that makes the stream non-negative "
                               "and is not part of x + F(x); return the plain sum"))
        if torch.allclose(out, h + branch(torch.relu(h)), atol=1e-6):
            raise Incorrect(tr("you feed relu(h) to the branch: the branch gets the block's input as it is"))
        raise Incorrect(tr("the output is not h + branch(h)"))


register(Exercise(
    key="01.residual_forward",
    title=N_("the forward pass of a residual block"),
    checker=_check_residual_forward,
    reference=lambda: (lambda h, branch: h + branch(h)),
    wrong=(
        lambda: (lambda h, branch: branch(h)),
        lambda: (lambda h, branch: branch(h) + branch(h)),
        lambda: (lambda h, branch: h.add_(branch(h))),
        lambda: (lambda h, branch: torch.relu(h + branch(h))),
    ),
    hints=(
        N_("A residual block computes output = input + F(input), where F is the branch."),
        N_("Do not modify h itself (no +=, no in-place ops): return a new tensor."),
    ),
    solution=N_("def residual_forward(h, branch):\n    return h + branch(h)\n\nanswer = residual_forward"),
))

# --- 01.which_vanishes -----------------------------------------------------------------------

CONFIGURATIONS = ("plain", "plain + LayerNorm", "residual", "residual + LayerNorm")
"""The four 30-layer MLPs of the notebook's first experiment (labels of ``FOUR_WAYS``)."""

register(Exercise(
    key="01.which_vanishes",
    title=N_("which 30-layer nets lose the gradient"),
    checker=lambda answer: expect_choices(
        answer, {"plain"}, CONFIGURATIONS, what=tr("the set of vanishing nets"),
        explain={
            "plain": tr("30 Linear-ReLU-Linear blocks at default init shrink the gradient by about "
                        "sqrt(1/18) per block"),
            "plain + LayerNorm": tr("each LayerNorm scales the backward pass up by 1/sigma, which undoes "
                                    "most of what the branch takes off: the gradient shrinks only a few "
                                    "percent per block (PyTorch's default biases add to the forward signal "
                                    "but not to the backward gain), it does not vanish"),
            "residual": tr("the identity path hands the gradient back unchanged, so it reaches the "
                           "first block, even a little larger (sqrt(19/18) per block)"),
            "residual + LayerNorm": tr("at PyTorch's default init it behaves like the plain residual net: "
                                       "the identity path carries the gradient to the first block"),
        },
    ),
    reference=lambda: {"plain"},
    wrong=(
        lambda: {"plain", "plain + LayerNorm"},
        lambda: {"plain", "residual"},
        lambda: set(),
        lambda: {"plain", "batchnorm"},
    ),
    hints=(
        N_("Vanishing means: the gradient at the first block's output is less than 1/1000 of the one "
           "at the last block's."),
        N_("Which nets give the gradient a path that does not go through a weight matrix at every layer? "
           "And what does a normalization do to the backward signal of a plain net?"),
    ),
    solution=N_('answer = {"plain"}\n# plain + LayerNorm: it shrinks a few percent per block (first/last 0.05 to 0.4,\n'
                "# from the default biases); residual and residual + LayerNorm: the identity path carries it."),
))

# --- 01.he_factor ----------------------------------------------------------------------------

HE_FACTOR = 1.0
"""Backward through Linear(var 2/n) -> ReLU -> Linear(var 1/n): mean square x 1 * 1/2 * 2 = 1."""


def _check_he_factor(answer) -> None:
    if isinstance(answer, str):
        raise Incorrect(tr("give a number, not a string: e.g. answer = (1 / 18) ** 0.5 (Python computes it)"))
    try:
        expect_number(answer, HE_FACTOR, rtol=0.01, what=tr("the factor per block"))
    except Incorrect:
        if isinstance(answer, (int, float)) and abs(answer - 2 ** 0.5) < 0.01:
            raise Incorrect(tr("sqrt(2) is the factor of a *residual* block (1 + 1 for the mean square); "
                               "this block is plain")) from None
        if isinstance(answer, (int, float)) and abs(answer - 0.5 ** 0.5) < 0.01:
            raise Incorrect(tr("you counted the ReLU's 1/2 but not the gain of 2 of the first layer's "
                               "weights (variance 2/n, times n rows)")) from None
        if isinstance(answer, (int, float)) and abs(answer - (1 / 18) ** 0.5) < 0.01:
            raise Incorrect(tr("sqrt(1/18) is PyTorch's default init (variance 1/(3n)); here the "
                               "variances are 2/n and 1/n")) from None
        raise


register(Exercise(
    key="01.he_factor",
    title=N_("the backward factor of one plain block at He initialisation"),
    checker=_check_he_factor,
    reference=lambda: HE_FACTOR,
    wrong=(
        lambda: 2 ** 0.5,
        lambda: 0.5 ** 0.5,
        lambda: (1 / 18) ** 0.5,
        lambda: "1",
    ),
    hints=(
        N_("Backward through Linear(n, n) with weight variance v, the gradient's mean square is "
           "multiplied by n * v; through a ReLU by about 1/2."),
        N_("Multiply the three mean-square factors, then take the square root for the norm."),
    ),
    solution=N_("answer = (2 * 0.5 * 1) ** 0.5   # = 1.0: He init keeps the plain net's gradient at "
                "its size (and a residual block then doubles its mean square)"),
))

# --- 01.shortcut_gain ------------------------------------------------------------------------

N_BLOCKS = 40
SCALE = 0.5

register(Exercise(
    key="01.shortcut_gain",
    title=N_("what a 0.5 shortcut does to the gradient"),
    checker=lambda answer: _check_gain(answer),
    reference=lambda: SCALE ** N_BLOCKS,
    wrong=(
        lambda: SCALE,
        lambda: SCALE * N_BLOCKS,
        lambda: 2.0 ** N_BLOCKS,
        lambda: "0.5**40",
    ),
    hints=(
        N_("One block with a scaled shortcut computes lam * h + F(h); the identity part of its "
           "Jacobian is lam times the identity matrix."),
        N_("Going backward through several blocks, the Jacobians multiply."),
    ),
    solution=N_("answer = 0.5 ** 40   # = 9.09e-13: the identity path is effectively gone"),
))


def _check_gain(answer) -> None:
    if isinstance(answer, str):
        raise Incorrect(tr("give a number, not a string: e.g. answer = 0.5 ** 3 (Python computes it)"))
    expected = SCALE ** N_BLOCKS
    try:
        expect_number(answer, expected, rtol=0.01, what=tr("the gain"))
    except Incorrect as wrong:
        if answer == SCALE:
            raise Incorrect(tr("0.5 is the gain of one block; there are 40 of them in a row")) from None
        if answer == SCALE * N_BLOCKS:
            raise Incorrect(tr("the factors of successive blocks multiply, they do not add")) from None
        if isinstance(answer, (int, float)) and answer > 1:
            raise Incorrect(tr("{wrong} - a scale below 1 shrinks the gradient, the gain must be < 1",
                               wrong=wrong)) from None
        raise


# --- 01.source_block -------------------------------------------------------------------------

STATEMENTS = Texts({
    "a": N_("Its leading self.relu(x) changes nothing when the block follows another such block."),
    "b": N_("With nn.ReLU(inplace=True) the tensor kept as `identity` is overwritten by relu(x)."),
    "c": N_("The shortcut adds parameters even when in_channels == out_channels."),
    "d": N_("The block has no normalization layer."),
    "e": N_("Its 1x1 projection shortcut cannot downsample: the block cannot halve the resolution."),
    "f": N_("The in-place ReLU only saves memory and never changes any result."),
})
"""Statements about the source's ``ResidualBlock``, by letter; the exercise asks which are true."""

register(Exercise(
    key="01.source_block",
    title=N_("what is wrong with the source's ResidualBlock"),
    checker=lambda answer: expect_choices(
        answer, {"a", "b", "d", "e"}, STATEMENTS, what=tr("the set of true statements"),
        explain={
            "a": tr("the previous block ends with a ReLU, so the input is already >= 0"),
            "b": tr("identity and x are the same tensor, and an in-place ReLU rewrites it"),
            "c": tr("with equal channels self.shortcut is None: the identity shortcut is free"),
            "d": tr("there is no BatchNorm (He et al. put one after every convolution)"),
            "e": tr("its stride is fixed at 1 and the convolutions have no stride either"),
            "f": tr("it overwrote the caller's tensor and changed the outputs in the notebook, and "
                    "backward() through two stacked blocks fails"),
        },
    ),
    reference=lambda: {"a", "b", "d", "e"},
    wrong=(
        lambda: {"a", "b", "c", "d", "e"},
        lambda: {"b", "d", "e"},
        lambda: {"a", "b", "d", "e", "f"},
        lambda: "a, b, d",
    ),
    hints=(
        N_("Run the notebook's section on the source's block: each statement is measured there."),
        N_("Look at what `self.shortcut` is when the channel counts are equal."),
    ),
    solution=N_('answer = {"a", "b", "d", "e"}'),
))

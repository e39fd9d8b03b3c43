"""Exercises of notebook 03: fix the source's layer, write a Post-LN block, predict a depth scaling."""

from __future__ import annotations

from numbers import Real

import torch

from ..models import TransformerBlock
from ..i18n import N_, tr
from . import Exercise, Incorrect, register

D_MODEL, N_HEADS, D_FF = 16, 4, 32


def _blocks_and_input(placement: str):
    """Two seeded blocks (one as built, one with re-drawn norm parameters) and an input."""
    torch.manual_seed(3)
    block = TransformerBlock(D_MODEL, N_HEADS, D_FF, placement=placement).eval()
    other = TransformerBlock(D_MODEL, N_HEADS, D_FF, placement=placement).eval()
    with torch.no_grad():  # norms that are not the identity, so a missing norm shows
        for norm in (other.norm1, other.norm2):
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.5, 0.5)
    x = 2.0 * torch.randn(3, 5, D_MODEL) + 0.5
    return (block, other), x


def _call(answer, block, x):
    if not callable(answer):
        raise Incorrect(tr("answer must be a function forward(block, x) -> tensor; got {kind}",
                           kind=type(answer).__name__))
    try:
        with torch.no_grad():
            out = answer(block, x)
    except Exception as error:  # the student's code may fail in any way; report it, do not crash
        raise Incorrect(tr("calling your function raised {error_type}: {error}",
                           error_type=type(error).__name__, error=error)) from None
    if not isinstance(out, torch.Tensor):
        raise Incorrect(tr("your function must return a tensor; it returned {kind}", kind=type(out).__name__))
    if out.shape != x.shape:
        raise Incorrect(tr("the output must have the input's shape {expected}; got {got}",
                           expected=tuple(x.shape), got=tuple(out.shape)))
    return out


def _source_forward(block, x):
    x = block.norm1(x)
    x = block.attn(x)
    x = x + x
    x = block.norm2(x)
    x = block.ffn(x)
    return x + x


def _post_forward(block, x):
    x = block.norm1(x + block.attn(x))
    return block.norm2(x + block.ffn(x))


def _post_without_second_residual(block, x):
    x = block.norm1(x + block.attn(x))
    return block.norm2(block.ffn(x))


def _pre_forward(block, x):
    x = x + block.attn(block.norm1(x))
    return x + block.ffn(block.norm2(x))


KNOWN_FORWARDS = {N_("the source's layer"): _source_forward, N_("a Post-LN block"): _post_forward,
                  N_("a Pre-LN block"): _pre_forward}
"""Forward passes that a wrong answer is recognised as, by name."""


def _computes(answer, block, x, forward) -> bool:
    return torch.allclose(answer, forward(block, x), atol=1e-5, rtol=1e-5)


@torch.no_grad()
def _check_forward(answer, placement: str, accepted: dict) -> None:
    """Accept ``answer`` if, on every test block, it computes the same one of ``accepted``
    (name -> forward); otherwise raise :class:`Incorrect` saying what it computes instead."""
    blocks, x = _blocks_and_input(placement)
    outputs = [_call(answer, block, x) for block in blocks]
    for forward in accepted.values():
        if all(_computes(out, block, x, forward) for out, block in zip(outputs, blocks)):
            return
    wanted = tr(" or ").join(tr(name) for name in accepted)
    for out, block in zip(outputs, blocks):
        for label, forward in KNOWN_FORWARDS.items():
            if label not in accepted and _computes(out, block, x, forward):
                if label == "the source's layer":
                    raise Incorrect(tr("this is the source's layer: `x = x + x` adds the branch to itself and "
                                       "the block's input never reaches its output; add the branch to the "
                                       "block's input instead"))
                raise Incorrect(tr("this computes {label}, not {wanted}: check where the norms sit relative to "
                                   "the sums", label=tr(label), wanted=wanted))
    first = next(iter(accepted.values()))
    error = float((outputs[0] - first(blocks[0], x)).abs().max())
    raise Incorrect(tr("the output differs from {wanted} by up to {error:.3g}; compare each line with the "
                       "formulas above the exercise", wanted=wanted, error=error))


def check_fixed_source_layer(answer) -> None:
    """Exercise 1: a correct block from the source's parts, Pre-LN (its norms already sit before
    each sublayer, so adding the residual sums is the smallest fix) or Post-LN."""
    _check_forward(answer, "pre", {"a Pre-LN block": _pre_forward, "a Post-LN block": _post_forward})


def check_post_ln(answer) -> None:
    """Exercise 2: the Post-LN block of Vaswani et al. (2017)."""
    _check_forward(answer, "post", {"a Post-LN block": _post_forward})


def check_depth_ratios(answer) -> None:
    if not isinstance(answer, dict) or set(answer) != {"post", "pre"}:
        raise Incorrect(tr('answer must be a dict with the keys "post" and "pre", e.g. {"post": 1.0, "pre": 1.0}'))
    for key, value in answer.items():
        if isinstance(value, bool) or not isinstance(value, Real):
            raise Incorrect(tr("answer[{key!r}] must be a number (a ratio); got {value!r}", key=key, value=value))
    post, pre = float(answer["post"]), float(answer["pre"])
    if not 0.8 <= post <= 1.25:
        raise Incorrect(tr("Post-LN ratio {post:g}: in Post-LN the last block's gradient does not depend on the "
                           "number of blocks (Theorem 1)", post=post))
    if abs(pre - 0.25) < 0.05:
        raise Incorrect(tr("Pre-LN ratio 0.25 would be 1/L; the gradient scales with 1/||x_L||, and ||x_L||^2 "
                           "grows like L"))
    if not 0.4 <= pre <= 0.6:
        raise Incorrect(tr("Pre-LN ratio {pre:g}: the last block's gradient scales like 1/sqrt(L); what is "
                           "sqrt(4/16)?", pre=pre))


FIX_SOLUTION = N_('''\
def fixed_layer(block, x):
    x = x + block.attn(block.norm1(x))     # add the branch to the layer's input, not to itself
    return x + block.ffn(block.norm2(x))
# The source's norms already sit before each sublayer, so this is a Pre-LN block; a stack of
# them needs one more norm before the head (TinyTransformer.final_norm). A Post-LN block is
# accepted too (exercise 2).
''')

POST_SOLUTION = N_('''\
def post_ln(block, x):
    x = block.norm1(x + block.attn(x))     # sum first, then normalise
    return block.norm2(x + block.ffn(x))   # no final norm needed: the last block ends with one
''')

register(Exercise(
    key="03.fix_source_layer",
    title=N_("the source's layer, fixed"),
    checker=check_fixed_source_layer,
    reference=lambda: _pre_forward,
    wrong=(lambda: _source_forward, lambda: _post_without_second_residual,
           lambda: (lambda block, x: block.ffn(block.norm2(block.attn(block.norm1(x)))))),
    hints=(
        N_("A residual branch adds its output to the branch's *input*: y = x + f(x), never f(x) + f(x)."),
        N_("Keep the source's norms where they are (before each sublayer) and add each sublayer's output "
           "to the input of that sublayer's norm: x = x + attn(norm1(x))."),
        N_("Two sub-layers, two sums: attention with norm1, then the feed-forward net with norm2. That is "
           "Pre-LN; a Post-LN block, x = norm(x + sublayer(x)), is also a correct fix."),
    ),
    solution=FIX_SOLUTION,
))

register(Exercise(
    key="03.post_ln_block",
    title=N_("a Post-LN block"),
    checker=check_post_ln,
    reference=lambda: _post_forward,
    wrong=(lambda: _pre_forward, lambda: _source_forward, lambda: _post_without_second_residual),
    hints=(
        N_("Post-LN (Vaswani et al. 2017) normalises after each sum: x = norm(x + sublayer(x))."),
        N_("The sublayer sees the un-normalised stream; the norm comes after the sum, so with zeroed "
           "branches the block returns norm2(norm1(x))."),
    ),
    solution=POST_SOLUTION,
))

register(Exercise(
    key="03.depth_ratios",
    title=N_("how the last block's gradient scales with depth"),
    checker=check_depth_ratios,
    reference=lambda: {"post": 1.0, "pre": 0.5},
    wrong=(lambda: {"post": 1.0, "pre": 0.25}, lambda: {"post": 0.5, "pre": 1.0},
           lambda: {"post": 1.0, "pre": 1.0}, lambda: 0.5),
    hints=(
        N_("Theorem 1 of Xiong et al. (2020): Post-LN about independent of L; Pre-LN about 1/sqrt(L) "
           "(the limit where the blocks' contributions to the stream outweigh the input)."),
        N_("Going from 4 to 16 blocks multiplies L by 4."),
    ),
    solution=N_('answer = {"post": 1.0, "pre": 0.5}   # Pre-LN: sqrt(4 / 16) = 0.5'),
))

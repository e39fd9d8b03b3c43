"""Exercises of notebook 03: fix the source's layer, write a Pre-LN block, predict a depth scaling."""

from __future__ import annotations

from numbers import Real

import torch

from ..models import TransformerBlock
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
        raise Incorrect(f"answer must be a function forward(block, x) -> tensor; got {type(answer).__name__}")
    try:
        with torch.no_grad():
            out = answer(block, x)
    except Exception as error:  # the student's code may fail in any way; report it, do not crash
        raise Incorrect(f"calling your function raised {type(error).__name__}: {error}") from None
    if not isinstance(out, torch.Tensor):
        raise Incorrect(f"your function must return a tensor; it returned {type(out).__name__}")
    if out.shape != x.shape:
        raise Incorrect(f"the output must have the input's shape {tuple(x.shape)}; got {tuple(out.shape)}")
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


@torch.no_grad()
def _check_forward(answer, placement: str, expected_forward, name: str):
    blocks, x = _blocks_and_input(placement)
    for block in blocks:
        out = _call(answer, block, x)
        if torch.allclose(out, expected_forward(block, x), atol=1e-5, rtol=1e-5):
            continue
        known = {"the source's layer": _source_forward, "a Post-LN block": _post_forward,
                 "a Pre-LN block": _pre_forward}
        for label, forward in known.items():
            if torch.allclose(out, forward(block, x), atol=1e-5, rtol=1e-5):
                if label == "the source's layer":
                    raise Incorrect("this is the source's layer: `x = x + x` adds the branch to itself and "
                                    "the block's input never reaches its output; add the branch to the "
                                    "block's input instead")
                raise Incorrect(f"this computes {label}, not {name}: check where the norms sit "
                                "relative to the sums")
        error = float((out - expected_forward(block, x)).abs().max())
        raise Incorrect(f"the output differs from {name} by up to {error:.3g}; compare each line "
                        "with the formula above the exercise")


def check_post_ln(answer) -> None:
    _check_forward(answer, "post", _post_forward, "a Post-LN block")


def check_pre_ln(answer) -> None:
    _check_forward(answer, "pre", _pre_forward, "a Pre-LN block")


def check_depth_ratios(answer) -> None:
    if not isinstance(answer, dict) or set(answer) != {"post", "pre"}:
        raise Incorrect('answer must be a dict with the keys "post" and "pre", e.g. {"post": 1.0, "pre": 1.0}')
    for key, value in answer.items():
        if isinstance(value, bool) or not isinstance(value, Real):
            raise Incorrect(f"answer[{key!r}] must be a number (a ratio); got {value!r}")
    post, pre = float(answer["post"]), float(answer["pre"])
    if not 0.8 <= post <= 1.25:
        raise Incorrect(f"Post-LN ratio {post:g}: in Post-LN the last block's gradient does not depend on "
                        "the number of blocks (Theorem 1)")
    if abs(pre - 0.25) < 0.05:
        raise Incorrect("Pre-LN ratio 0.25 would be 1/L; the gradient scales with 1/||x_L||, and ||x_L||^2 "
                        "grows like L")
    if not 0.4 <= pre <= 0.6:
        raise Incorrect(f"Pre-LN ratio {pre:g}: the last block's gradient scales like 1/sqrt(L); what is "
                        "sqrt(4/16)?")


POST_SOLUTION = '''\
def post_ln(block, x):
    x = block.norm1(x + block.attn(x))     # sum first, then normalise
    return block.norm2(x + block.ffn(x))
'''

PRE_SOLUTION = '''\
def pre_ln(block, x):
    x = x + block.attn(block.norm1(x))     # normalise the branch input only
    return x + block.ffn(block.norm2(x))   # the stream itself is never normalised
# A stack of these needs one more norm before the head (TinyTransformer.final_norm).
'''

register(Exercise(
    key="03.fix_source_layer",
    title="the source's layer, fixed as a Post-LN block",
    checker=check_post_ln,
    reference=lambda: _post_forward,
    wrong=(lambda: _source_forward, lambda: _pre_forward,
           lambda: _post_without_second_residual),
    hints=(
        "A residual branch adds its output to the branch's *input*: y = x + f(x), never f(x) + f(x).",
        "Post-LN (Vaswani et al. 2017) normalises after each sum: x = norm(x + sublayer(x)).",
        "Two sub-layers, two sums, two norms: attention with norm1, then the feed-forward net with norm2.",
    ),
    solution=POST_SOLUTION,
))

register(Exercise(
    key="03.pre_ln_block",
    title="a Pre-LN block",
    checker=check_pre_ln,
    reference=lambda: _pre_forward,
    wrong=(lambda: _post_forward, lambda: _source_forward,
           lambda: (lambda block, x: block.norm2(x + block.attn(block.norm1(x))))),
    hints=(
        "In Pre-LN only the input of each branch is normalised: x = x + sublayer(norm(x)).",
        "Nothing normalises the sum itself; with zeroed branches the block returns x exactly.",
    ),
    solution=PRE_SOLUTION,
))

register(Exercise(
    key="03.depth_ratios",
    title="how the last block's gradient scales with depth",
    checker=check_depth_ratios,
    reference=lambda: {"post": 1.0, "pre": 0.5},
    wrong=(lambda: {"post": 1.0, "pre": 0.25}, lambda: {"post": 0.5, "pre": 1.0},
           lambda: {"post": 1.0, "pre": 1.0}, lambda: 0.5),
    hints=(
        "Theorem 1 of Xiong et al. (2020): Post-LN about independent of L; Pre-LN about 1/sqrt(L) "
        "(the limit where the blocks' contributions to the stream outweigh the input).",
        "Going from 4 to 16 blocks multiplies L by 4.",
    ),
    solution='answer = {"post": 1.0, "pre": 0.5}   # Pre-LN: sqrt(4 / 16) = 0.5',
))

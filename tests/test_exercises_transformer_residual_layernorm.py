"""Notebook 03's exercise checkers: which blocks each accepts, and the feedback for the others."""

import pytest

from resnorm.exercises import evaluate
from resnorm.exercises.transformer_residual_layernorm import _post_forward, _pre_forward, _source_forward


@pytest.mark.parametrize("forward", [_pre_forward, _post_forward], ids=["pre", "post"])
def test_fixing_the_source_layer_accepts_pre_ln_and_post_ln(forward):
    passed, message = evaluate("03.fix_source_layer", forward)
    assert passed, message


@pytest.mark.parametrize(
    "key, answer, words",
    [
        ("03.fix_source_layer", _source_forward, ["source's layer", "x = x + x"]),
        ("03.post_ln_block", _pre_forward, ["a Pre-LN block", "not a Post-LN block"]),
        ("03.post_ln_block", lambda block, x: x, ["differs from a Post-LN block"]),
        ("03.fix_source_layer", lambda block, x: 2 * x, ["a Pre-LN block or a Post-LN block"]),
        ("03.fix_source_layer", "post", ["must be a function"]),
    ],
)
def test_feedback_names_what_the_answer_computes(key, answer, words):
    passed, message = evaluate(key, answer)
    assert not passed
    for word in words:
        assert word in message

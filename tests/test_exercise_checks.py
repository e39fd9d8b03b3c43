"""The reusable checker steps and the specific feedback of notebook 01's exercises."""

import pytest
import torch

from resnorm.exercises import Incorrect, evaluate, expect_choices, expect_number


def test_expect_number():
    assert expect_number(0.5, 0.5) == 0.5
    assert expect_number(101, 100, rtol=0.02) == 101.0
    for answer, words in [(2.0, "too large by a factor of about 2"), (0.25, "too small by a factor of about 4"),
                          (-1.0, "wrong sign"), ("1", "must be a number"), (True, "must be a number"),
                          (float("nan"), "finite"), (1.1, "too large by a little")]:
        with pytest.raises(Incorrect, match=words):
            expect_number(answer, 1.0, rtol=0.01)


def test_expect_choices():
    allowed = ("a", "b", "c")
    assert expect_choices({"a", "b"}, {"a", "b"}, allowed) == {"a", "b"}
    assert expect_choices(["b", "a"], {"a", "b"}, allowed) == {"a", "b"}
    assert expect_choices("a", {"a"}, allowed) == {"a"}
    with pytest.raises(Incorrect, match="'d' is not one of the options; choose from 'a', 'b', 'c'"):
        expect_choices({"a", "d"}, {"a"}, allowed)
    with pytest.raises(Incorrect, match="'c' should not be in the answer: because"):
        expect_choices({"a", "c"}, {"a"}, allowed, explain={"c": "because"})
    with pytest.raises(Incorrect, match="the answer is missing an option$"):
        expect_choices({"a"}, {"a", "b"}, allowed)
    with pytest.raises(Incorrect, match="'b' is missing: why"):
        expect_choices({"a"}, {"a", "b"}, allowed, explain={"b": "why"})
    with pytest.raises(Incorrect, match="must be a set of options"):
        expect_choices(3.5, {"a"}, allowed)
    with pytest.raises(Incorrect, match="not lists or dicts"):
        expect_choices([["a"]], {"a"}, allowed)


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda h, branch: branch(h), "identity path"),
        (lambda h, branch: branch(h) + branch(h), "x = x + x"),
        (lambda h, branch: h.add_(branch(h)), "in place"),
        (lambda h, branch: torch.relu(h + branch(h)), "ReLU after the sum"),
        (lambda h, branch: h + branch(torch.relu(h)), "relu(h)"),
        (lambda h, branch: (h + branch(h))[:, :4], "shape"),
        (lambda h, branch: 1 / 0, "ZeroDivisionError"),
        (lambda h, branch: h - branch(h), "not h + branch(h)"),
        (3, "must be a function"),
    ],
)
def test_residual_forward_feedback(answer, words):
    passed, message = evaluate("01.residual_forward", answer)
    assert not passed and words in message


@pytest.mark.parametrize(
    "key, answer, words",
    [
        ("01.which_vanishes", {"plain", "plain + LayerNorm"}, "it does not vanish"),
        ("01.he_factor", 2 ** 0.5, "residual"),
        ("01.he_factor", 0.5 ** 0.5, "gain of 2"),
        ("01.he_factor", (1 / 18) ** 0.5, "default init"),
        ("01.he_factor", "1", "not a string"),
        ("01.he_factor", 0.25, "too small"),
        ("01.which_vanishes", {"plain", "residual"}, "identity path"),
        ("01.which_vanishes", set(), "missing"),
        ("01.shortcut_gain", 0.5, "one block"),
        ("01.shortcut_gain", 20.0, "multiply"),
        ("01.shortcut_gain", 2.0 ** 40, "must be < 1"),
        ("01.shortcut_gain", 0.5 ** 39, "too large by a factor of about 2"),
        ("01.shortcut_gain", "0.5**40", "not a string"),
        ("01.source_block", {"a", "b", "c", "d", "e"}, "'c' should not be"),
        ("01.source_block", {"a", "b", "d", "e", "f"}, "'f' should not be"),
        ("01.source_block", {"b", "d", "e"}, "'a' is missing"),
    ],
)
def test_specific_feedback(key, answer, words):
    passed, message = evaluate(key, answer)
    assert not passed and words in message, message


def test_right_answers_pass():
    assert evaluate("01.residual_forward", lambda h, branch: branch(h) + h)[0]
    assert evaluate("01.which_vanishes", ["plain"])[0]
    assert evaluate("01.he_factor", 1)[0]
    assert evaluate("01.shortcut_gain", 0.5 ** 40)[0]
    assert evaluate("01.source_block", ("e", "d", "b", "a"))[0]

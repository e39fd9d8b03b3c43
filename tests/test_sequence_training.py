"""Toy sequence training of notebook 05: model kinds, loss curves, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.reweighted import (
    DEEPER_CONFIGS,
    make_sequence_model,
    run_deeper,
    run_sequence_training,
)
from resnorm.models import TinyTransformer
from resnorm.norms import DynamicTanh
from resnorm.reweighted import ReweightedTransformer


def test_make_sequence_model_kinds():
    assert isinstance(make_sequence_model("post", 2), TinyTransformer)
    pre = make_sequence_model("pre", 2, norm="dyt")
    assert isinstance(pre.final_norm, DynamicTanh)
    assert make_sequence_model("deepnorm", 3).kind == "deepnorm"
    assert isinstance(make_sequence_model("rezero", 3), ReweightedTransformer)
    assert make_sequence_model("rezero", 1)(torch.randint(10, (2, 8))).shape == (2, 8, 10)


def test_run_sequence_training_shapes_repeatability_and_final():
    configs = {"a": dict(kind="pre", depth=1), "b": dict(kind="rezero", depth=1)}
    r = run_sequence_training(configs, steps=4, seeds=[0, 1])
    again = run_sequence_training(configs, steps=4, seeds=[0, 1])
    assert r.losses["a"].shape == (2, 4) and len(r.models["b"]) == 2
    np.testing.assert_array_equal(r.losses["b"], again.losses["b"])
    assert r.final("a", last=2).shape == (2,)
    np.testing.assert_allclose(r.final("a", last=1), r.losses["a"][:, -1])
    assert len(r.tokens) == 2 and r.tokens[0].shape == (2048, 8)


def test_each_seed_draws_its_own_data():
    r = run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=2, seeds=[0, 1])
    assert not torch.equal(r.tokens[0], r.tokens[1])
    again = run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=2, seeds=[1])
    assert torch.equal(again.tokens[0], r.tokens[1])
    np.testing.assert_array_equal(again.losses["a"][0], r.losses["a"][1])


def test_final_marks_a_diverged_run_as_inf():
    r = run_sequence_training({"a": dict(kind="post", depth=1)}, steps=3, seeds=[0])
    r.losses["a"][0, -1] = np.nan
    assert np.isinf(r.final("a")[0])


def test_deeper_configs_are_the_notebook_comparison():
    assert [c["kind"] for c in DEEPER_CONFIGS.values()] == ["post", "post", "deepnorm", "rezero"]
    r = run_deeper({"DeepNorm": dict(kind="deepnorm", depth=2)}, steps=2, seeds=[0])
    assert r.losses["DeepNorm"].shape == (1, 2)
    assert len(run_deeper({"a": dict(kind="post", depth=1)}, steps=1).models["a"]) == 5


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: make_sequence_model("sandwich", 2), ValueError, ["kind", "'post'", "'rezero'"]),
        (lambda: make_sequence_model("pre", 2, norm="batch"), ValueError, ["norm", "'dyt'"]),
        (lambda: run_sequence_training({}), ValueError, ["configs"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, task="copy"), ValueError,
         ["task", "'reverse'", "'sort'"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=0), ValueError, ["steps"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, lr=-1.0), ValueError, ["lr"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)

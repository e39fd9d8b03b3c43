"""Experiments are repeatable, return the documented shapes, and reject bad arguments."""

import numpy as np
import pytest

from resnorm.experiments.gradient_flow import mlp_grad_norms


def test_mlp_grad_norms_shapes_and_repeatability():
    configs = {"plain": {}, "res": {"residual": True, "norm": "layer"}}
    a = mlp_grad_norms(configs, depth=4, width=8, seeds=[0, 1], batch_size=16)
    b = mlp_grad_norms(configs, depth=4, width=8, seeds=[0, 1], batch_size=16)
    assert a.layer_names[0] == "stem" and a.layer_names[-1] == "head"
    assert a.values["plain"].shape == (2, 10)  # stem, two Linear layers per block, head
    assert a.blocks("res").shape == (2, 8)
    assert a.first_to_last_ratio("res").shape == (2,)
    for label in configs:
        np.testing.assert_array_equal(a.values[label], b.values[label])


def test_plain_deep_mlp_vanishes_and_residual_layernorm_does_not():
    configs = {"plain": {}, "res+ln": {"residual": True, "norm": "layer"}}
    r = mlp_grad_norms(configs, depth=20, width=32, seeds=[0, 1, 2])
    assert np.all(r.first_to_last_ratio("plain") < 1e-4)
    assert np.all((r.first_to_last_ratio("res+ln") > 0.1) & (r.first_to_last_ratio("res+ln") < 10))


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(configs={"a": {}}, seeds=3), TypeError, ["seeds", "range(5)"]),
        (dict(configs={"a": {}}, seeds=[]), ValueError, ["seeds"]),
        (dict(configs={"a": {}}, seeds=[-1]), ValueError, ["seeds[0]"]),
        (dict(configs={"a": {}}, depth=0), ValueError, ["depth"]),
        (dict(configs={"a": {"norm": "group"}}), ValueError, ["norm", "'layer'"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        mlp_grad_norms(**kwargs)
    for word in words:
        assert word in str(info.value)

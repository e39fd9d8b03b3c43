"""Training speed of deep MLPs: smoothing, steps to a target loss, bad input."""

import numpy as np
import pytest

from resnorm.experiments.gradient_flow import FOUR_WAYS
from resnorm.experiments.training_speed import (SPEED_CONFIGS, TrainingSpeedResult, run_training_speed,
                                                step_time_ratio)


def test_training_speed_smoothing_and_steps_to_reach():
    losses = np.array([[4.0, 3.0, 2.0, 1.0], [4.0, 4.0, 4.0, 4.0]])
    result = TrainingSpeedResult({"a": losses}, window=2)
    np.testing.assert_allclose(result.smoothed("a")[0], [4.0, 3.5, 2.5, 1.5])
    np.testing.assert_allclose(result.final_loss("a"), [1.5, 4.0])
    np.testing.assert_array_equal(result.steps_to_reach("a", 2.5), [3, np.inf])
    np.testing.assert_array_equal(result.steps_to_reach("a", np.array([4.0, 4.0])), [1, 1])


def test_run_training_speed_shapes():
    configs = {"plain": {}, "residual": {"residual": True}}
    result = run_training_speed(configs, depth=2, width=8, steps=4, batch_size=8, n_samples=64, seeds=[0, 1])
    assert result.losses["plain"].shape == (2, 4)
    assert np.all(np.isfinite(result.losses["residual"]))


def test_step_time_ratio_is_relative_to_the_reference():
    configs = {"plain": {}, "residual + LayerNorm": {"residual": True, "norm": "layer"}}
    ratios = step_time_ratio(configs, depth=2, width=8, batch_size=8, rounds=3, repeats=1, seed=1)
    assert set(ratios) == set(configs)
    np.testing.assert_array_equal(ratios["plain"], 1.0)
    assert ratios["residual + LayerNorm"].shape == (3,) and np.all(ratios["residual + LayerNorm"] > 0)
    scratch = step_time_ratio(configs, depth=2, width=8, batch_size=8, rounds=2, repeats=1, fused=False, seed=1)
    assert scratch["residual + LayerNorm"].shape == (2,)


def test_speed_configs_add_a_he_initialised_plain_net_to_the_four_ways():
    assert {label: SPEED_CONFIGS[label] for label in FOUR_WAYS} == FOUR_WAYS
    assert SPEED_CONFIGS["plain, He init"] == {"init": "he"}


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_training_speed({}), ValueError, ["configs"]),
        (lambda: run_training_speed(lr=0.0), ValueError, ["lr", "> 0"]),
        (lambda: run_training_speed(window=0), ValueError, ["window"]),
        (lambda: step_time_ratio({"residual": {}}), ValueError, ["configs", "'plain'"]),
        (lambda: step_time_ratio(seed=-1, rounds=1, repeats=1), ValueError, ["seed", ">= 0"]),
        (lambda: step_time_ratio(fused="yes", rounds=1, repeats=1), TypeError, ["fused", "True or False"]),
        (lambda: run_training_speed({"x": {"norm": "group"}}, steps=1, seeds=[0]), ValueError, ["norm"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

"""Training speed of deep MLPs: smoothing, steps to a target loss, bad input."""

import numpy as np
import pytest

from resnorm.experiments.training_speed import TrainingSpeedResult, run_training_speed


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


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_training_speed({}), ValueError, ["configs"]),
        (lambda: run_training_speed(lr=0.0), ValueError, ["lr", "> 0"]),
        (lambda: run_training_speed(window=0), ValueError, ["window"]),
        (lambda: run_training_speed({"x": {"norm": "group"}}, steps=1, seeds=[0]), ValueError, ["norm"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

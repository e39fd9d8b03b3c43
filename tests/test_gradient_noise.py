"""Mini-batch gradient noise and the spread of gradient scale across layers."""

import numpy as np
import pytest

from resnorm.experiments.gradient_flow import FOUR_WAYS
from resnorm.experiments.gradient_noise import run_gradient_noise


def test_shapes_repeatability_and_effects():
    kwargs = dict(depth=8, width=16, seeds=[0, 1], n_samples=256, batch_size=16, n_batches=4)
    a = run_gradient_noise(**kwargs)
    b = run_gradient_noise(**kwargs)
    assert set(a.relative_noise) == set(FOUR_WAYS)
    for label in FOUR_WAYS:
        assert a.relative_noise[label].shape == a.layer_spread[label].shape == (2,)
        np.testing.assert_array_equal(a.relative_noise[label], b.relative_noise[label])
        assert np.all(a.layer_spread[label] >= 1) and np.all(a.relative_noise[label] > 0)
    assert np.all(a.layer_spread["residual + LayerNorm"] < a.layer_spread["residual"])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(batch_size=4096, n_samples=128), ValueError, ["batch_size", "<= 128"]),
        (dict(n_batches=1), ValueError, ["n_batches", ">= 2"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_gradient_noise(**kwargs)
    for word in words:
        assert word in str(info.value)

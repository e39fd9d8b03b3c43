"""eps squashes inputs below sqrt(eps), caps the gradient, and keeps constant inputs finite."""

import math

import numpy as np
import pytest

from resnorm.experiments.layernorm_eps import run_layernorm_eps


def test_eps_effects():
    r = run_layernorm_eps(scales=(1e-6, 1e-4, 1.0), eps_values=(0.0, 1e-5), seeds=[0, 1], d=64, batch_size=16)
    assert r.output_std.shape == r.input_grad.shape == (2, 3, 2)
    np.testing.assert_allclose(r.at("output_std", 0.0, 1e-6), 1.0, atol=1e-2)
    np.testing.assert_allclose(r.at("output_std", 1e-5, 1e-4), 1e-4 / math.sqrt(1e-8 + 1e-5), rtol=0.1)
    assert np.all(r.at("input_grad", 0.0, 1e-6) > 1e5 * r.at("input_grad", 0.0, 1.0))
    assert r.input_grad[1].max() < 1e3 * r.at("input_grad", 1e-5, 1.0).min()
    assert list(r.constant_input_finite) == [False, True]


def test_at_picks_the_nearest_scale():
    r = run_layernorm_eps(scales=(1e-3, 1.0), eps_values=(1e-5,), seeds=[0], d=8, batch_size=4)
    np.testing.assert_array_equal(r.at("output_std", 1e-5, 0.9), r.output_std[0, 1])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(scales=(0.0,)), ValueError, ["scales[0]", "> 0"]),
        (dict(scales=()), ValueError, ["scales"]),
        (dict(eps_values=(-1.0,)), ValueError, ["eps_values[0]", ">= 0"]),
        (dict(d=1), ValueError, ["d", ">= 2"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_layernorm_eps(**kwargs)
    for word in words:
        assert word in str(info.value)

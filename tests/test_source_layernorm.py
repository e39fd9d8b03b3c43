"""The source's LayerNorm is off by sqrt((d-1)/d) and NaN at d = 1; ours is not."""

import math

import numpy as np
import pytest

from resnorm.experiments.source_layernorm import run_source_layernorm, unbiased_scale


def test_error_matches_the_formula():
    r = run_source_layernorm(dims=(8, 64, 512), seeds=[0, 1])
    assert r.relative_error.shape == (3, 2) and r.allclose.shape == (3, 2)
    np.testing.assert_allclose(r.predicted, [0.0646, 0.00784, 0.000977], rtol=1e-2)
    np.testing.assert_allclose(r.relative_error, r.predicted[:, None] * np.ones((1, 2)), rtol=1e-3)
    assert not r.allclose.any()
    assert np.isnan(r.d1_source).all() and (r.d1_ours == 0).all()


def test_unbiased_scale():
    assert unbiased_scale(1) == 0.0
    assert unbiased_scale(64) == pytest.approx(math.sqrt(63 / 64))
    with pytest.raises(ValueError, match="d must be >= 1"):
        unbiased_scale(0)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(dims=()), ValueError, ["dims"]),
        (dict(dims=(1,)), ValueError, ["dims[0]", ">= 2"]),
        (dict(seeds=5), TypeError, ["seeds", "range(5)"]),
        (dict(batch_size=0), ValueError, ["batch_size"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_source_layernorm(**kwargs)
    for word in words:
        assert word in str(info.value)

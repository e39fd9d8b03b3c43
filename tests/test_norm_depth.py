"""Activation and gradient scale per layer: consistent with mlp_grad_norms, and the key effects."""

import numpy as np
import pytest

from resnorm.experiments.gradient_flow import mlp_grad_norms
from resnorm.experiments.norm_depth import NORM_CONFIGS, run_norm_depth


def test_grads_equal_mlp_grad_norms_and_shapes():
    configs = {"plain + LayerNorm": dict(norm="layer"), "residual": dict(residual=True)}
    r = run_norm_depth(configs, depth=5, width=16, seeds=[0, 1], batch_size=32)
    ref = mlp_grad_norms(configs, depth=5, width=16, seeds=[0, 1], batch_size=32)
    for label in configs:
        assert r.activation_rms[label].shape == (2, 6)
        np.testing.assert_allclose(r.grads.values[label], ref.values[label], rtol=1e-5)
        assert r.growth(label).shape == (2,)


def test_norms_fix_forward_scale_but_not_plain_gradient_drift():
    r = run_norm_depth(NORM_CONFIGS, depth=20, width=32, seeds=[0, 1], batch_size=64)
    assert len(NORM_CONFIGS) == 8
    assert np.all(np.abs(np.log(r.growth("plain + LayerNorm"))) < np.log(1.3))
    assert np.all(r.growth("residual") > 5 * r.growth("residual + LayerNorm"))
    assert np.all(r.grads.first_to_last_ratio("plain + LayerNorm") > 5)
    assert np.all(r.grads.first_to_last_ratio("plain") < 1e-5)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(depth=0), ValueError, ["depth"]),
        (dict(width=0), ValueError, ["width"]),
        (dict(batch_size=1), ValueError, ["batch_size"]),
        (dict(configs={"a": {"norm": "group"}}, depth=2), ValueError, ["norm", "'layer'"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_norm_depth(**kwargs)
    for word in words:
        assert word in str(info.value)

"""Shortcut scaling: the identity-path gain, the per-layer measurement, bad input."""

import numpy as np
import pytest

from resnorm.experiments.gradient_flow import mlp_layer_stats
from resnorm.experiments.shortcut_scaling import (
    identity_path_gain,
    run_shortcut_scaling,
    scaling_label,
)


def test_identity_path_gain():
    assert identity_path_gain(1.0, 50) == 1.0
    assert identity_path_gain(0.5, 3) == 0.125
    assert identity_path_gain(0.5, 0) == 1.0


def test_labels():
    assert scaling_label(0.5, None) == "λ = 0.5, no norm"
    assert scaling_label(1.0, "layer") == "λ = 1, LayerNorm"


def test_run_shortcut_scaling_is_the_state_gradients_of_scaled_residual_nets():
    result = run_shortcut_scaling((1.0, 0.5), norms=(None,), depth=4, width=8, seeds=[0, 1], batch_size=16)
    reference = mlp_layer_stats({"x": dict(residual=True, shortcut_scale=0.5)}, depth=4, width=8,
                                seeds=[0, 1], batch_size=16).state_grads
    np.testing.assert_array_equal(result.grads.values[scaling_label(0.5, None)], reference.values["x"])
    assert result.first_to_last(0.5, None).shape == (2,)
    with pytest.raises(ValueError, match=r"\(scale, norm\) must be one of"):
        result.first_to_last(0.5, "layer")


def test_half_shortcut_vanishes_without_norm_not_with_layernorm_and_explodes_with_batchnorm():
    result = run_shortcut_scaling(depth=20, width=64, seeds=[0, 1, 2], batch_size=64)
    assert result.norms == (None, "layer", "batch")
    # mean square per block: 0.5**2 from the shortcut + 1/18 from the branch
    factor = result.first_to_last(0.5, None) ** (1 / 19)
    np.testing.assert_allclose(factor, np.sqrt(0.25 + 1 / 18), rtol=0.1)
    assert np.all(result.first_to_last(0.5, "layer") > 1e-2)
    assert np.all(result.first_to_last(0.5, "batch") > 5)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: identity_path_gain("half", 2), TypeError, ["scale", "real number"]),
        (lambda: identity_path_gain(0.5, -1), ValueError, ["n_blocks", ">= 0"]),
        (lambda: run_shortcut_scaling(()), ValueError, ["scales"]),
        (lambda: run_shortcut_scaling((1.0, 0.0)), ValueError, ["scales[1]", "> 0"]),
        (lambda: run_shortcut_scaling(norms=()), ValueError, ["norms"]),
        (lambda: run_shortcut_scaling(norms=("group",)), ValueError, ["norms[0]", "'layer'"]),
        (lambda: run_shortcut_scaling(depth=1), ValueError, ["depth", ">= 2"]),
        (lambda: run_shortcut_scaling(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

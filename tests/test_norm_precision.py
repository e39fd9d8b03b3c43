"""LayerNorm of large activations in float16 and float32; what autocast keeps in float32; bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.norm_precision import autocast_output_dtypes, run_norm_precision


def test_float16_variance_overflows_float32_does_not():
    r = run_norm_precision(n_tokens=4, d=32, scale=300.0, seeds=[0, 1])
    assert np.all(np.isinf(r.variance["float16"])) and np.all(np.isfinite(r.variance["float32"]))
    np.testing.assert_allclose(r.variance["float32"], 300.0 ** 2, rtol=0.5)
    assert np.all(r.error["float16"] > 1) and np.all(r.error["float32"] < 1e-4)


def test_small_activations_are_fine_in_float16():
    r = run_norm_precision(n_tokens=4, d=32, scale=1.0, seeds=[0])
    assert np.all(np.isfinite(r.variance["float16"])) and np.all(r.error["float16"] < 0.05)


def test_autocast_keeps_norms_in_float32():
    for dtype in (torch.float16, torch.bfloat16):
        dtypes = autocast_output_dtypes(dtype)
        assert dtypes == {"linear": dtype, "layer_norm": torch.float32, "rms_norm": torch.float32}


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: autocast_output_dtypes(torch.float64), ValueError, ["dtype", "float16", "bfloat16"]),
        (lambda: run_norm_precision(d=1), ValueError, ["d", ">= 2"]),
        (lambda: run_norm_precision(scale=0.0), ValueError, ["scale", "> 0"]),
        (lambda: run_norm_precision(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

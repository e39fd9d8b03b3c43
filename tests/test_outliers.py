"""INT8 quantization with an outlier channel, SmoothQuant's rescaling, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.outliers import QUANT_CASES, absmax_int8, run_outlier_quantization, smoothquant_scales


def test_absmax_int8_rounds_to_127_steps_of_the_largest_value():
    t = torch.tensor([-2.54, 0.0, 0.011, 1.0])
    q = absmax_int8(t)
    step = 2.54 / 127
    torch.testing.assert_close(q, torch.round(t / step) * step)
    assert float((q - t).abs().max()) <= step / 2 + 1e-7
    torch.testing.assert_close(absmax_int8(torch.zeros(3)), torch.zeros(3))


def test_smoothquant_scales_follow_the_formula_and_keep_the_product():
    torch.manual_seed(0)
    x, w = torch.randn(10, 4), torch.randn(4, 3)
    s = smoothquant_scales(x, w, alpha=0.5)
    expected = (x.abs().amax(0) / w.abs().amax(1)).sqrt()
    torch.testing.assert_close(s, expected)
    torch.testing.assert_close((x / s) @ (s[:, None] * w), x @ w)
    torch.testing.assert_close(smoothquant_scales(x, w, alpha=1.0), x.abs().amax(0))


def test_run_outlier_quantization_shapes_and_effect():
    r = run_outlier_quantization(n_tokens=64, d=16, d_out=8, seeds=[0, 1])
    assert set(r.channel_error) == set(QUANT_CASES) and r.product_error["outlier"].shape == (2,)
    assert np.all(r.channel_error["outlier"] > 5 * r.channel_error["no outlier"])
    assert np.all(r.product_error["outlier + SmoothQuant"] < r.product_error["outlier"])
    assert np.all(r.smoothing_change < 1e-5) and np.all(r.outlier_ratio > 10)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: absmax_int8([1.0]), TypeError, ["t", "floating-point"]),
        (lambda: smoothquant_scales(torch.ones(3, 2), torch.ones(3, 2)), ValueError, ["x", "w", "(d, d_out)"]),
        (lambda: smoothquant_scales(torch.ones(3, 2), torch.ones(2, 2), alpha=2.0), ValueError, ["alpha", "<= 1"]),
        (lambda: run_outlier_quantization(d=1), ValueError, ["d", ">= 2"]),
        (lambda: run_outlier_quantization(outlier_scale=0.5), ValueError, ["outlier_scale", ">= 1"]),
        (lambda: run_outlier_quantization(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

"""Attention logits: the 1/sqrt(d_k) scaling, logit growth with the weights, QK-norm, bad input."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.experiments.attention_logits import (
    attention_entropy,
    attention_logits,
    run_logit_growth,
    run_logit_scale,
)


def test_attention_entropy_limits():
    uniform = torch.zeros(3, 8)
    one_hot = torch.tensor([[100.0, 0, 0, 0]])
    np.testing.assert_allclose(attention_entropy(uniform).numpy(), math.log(8), rtol=1e-6)
    assert float(attention_entropy(one_hot)) < 1e-6


def test_attention_logits_match_a_direct_computation_and_torch_layer_norm():
    torch.manual_seed(0)
    x, w_q, w_k = torch.randn(5, 6), torch.randn(4, 6), torch.randn(4, 6)
    q, k = x @ w_q.T, x @ w_k.T
    torch.testing.assert_close(attention_logits(x, w_q, w_k), q @ k.T / 2.0)
    norm = nn.LayerNorm(4, elementwise_affine=False)
    torch.testing.assert_close(attention_logits(x, w_q, w_k, qk_norm=True), norm(q) @ norm(k).T / 2.0)
    # QK-norm removes the scale of the weights, and bounds every logit by sqrt(d_k).
    torch.testing.assert_close(attention_logits(x, 10 * w_q, 10 * w_k, qk_norm=True),
                               attention_logits(x, w_q, w_k, qk_norm=True), atol=1e-4, rtol=1e-4)
    assert attention_logits(x, 10 * w_q, 10 * w_k, qk_norm=True).abs().max() <= 2.0 + 1e-5


def test_run_logit_scale_variance_grows_like_d_k_unless_scaled():
    r = run_logit_scale(d_ks=(4, 64), n_queries=128, seeds=[0, 1])
    assert r.raw_variance.shape == (2, 2)
    np.testing.assert_allclose(np.median(r.raw_variance, 0) / r.d_ks, 1.0, atol=0.3)
    np.testing.assert_allclose(np.median(r.scaled_variance, 0), 1.0, atol=0.3)
    assert np.all(r.raw_entropy[:, 1] < r.scaled_entropy[:, 1])
    assert r.max_entropy == pytest.approx(math.log(32))


def test_run_logit_growth_plain_grows_like_s_squared_qk_norm_does_not():
    r = run_logit_growth(scales=(1.0, 4.0), d_model=16, d_k=16, seq_len=8, seeds=[0])
    np.testing.assert_allclose(r.max_logit["plain"][:, 1] / r.max_logit["plain"][:, 0], 16.0, rtol=1e-4)
    np.testing.assert_allclose(r.max_logit["qk-norm"][:, 1], r.max_logit["qk-norm"][:, 0], rtol=1e-4)
    assert r.entropy["plain"][0, 1] < r.entropy["plain"][0, 0]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_logit_scale(d_ks=()), ValueError, ["d_ks"]),
        (lambda: run_logit_scale(d_ks=(0,)), ValueError, ["d_ks[0]", ">= 1"]),
        (lambda: run_logit_scale(n_keys=1), ValueError, ["n_keys", ">= 2"]),
        (lambda: run_logit_scale(seeds=[]), ValueError, ["seeds"]),
        (lambda: run_logit_growth(scales=()), ValueError, ["scales"]),
        (lambda: run_logit_growth(scales=(0.0,)), ValueError, ["scales[0]", "> 0"]),
        (lambda: run_logit_growth(d_k=1), ValueError, ["d_k", ">= 2"]),
        (lambda: attention_logits(torch.ones(3), torch.ones(2, 3), torch.ones(2, 3)), ValueError, ["x", "w_q"]),
        (lambda: attention_logits(torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3), qk_norm=1), TypeError,
         ["qk_norm"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

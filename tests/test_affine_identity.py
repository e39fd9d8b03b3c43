"""What gamma and beta can give back: all of BatchNorm's batch statistics, not LayerNorm's per-example ones."""

import numpy as np
import pytest
import torch

from resnorm.experiments.affine_identity import best_affine_fit, run_affine_identity


def test_batchnorm_returns_its_input_layernorm_cannot():
    r = run_affine_identity(seeds=[0, 1], d=8, batch_size=16)
    assert r.batchnorm_error.shape == r.layernorm_residual.shape == r.layernorm_residual_shared.shape == (2,)
    assert np.all(r.batchnorm_error < 1e-5)
    assert np.all(r.layernorm_residual > 0.3)
    assert np.all(r.layernorm_residual_shared < 1e-4)


def test_best_affine_fit_is_per_feature_least_squares():
    g = torch.Generator().manual_seed(0)
    n = torch.randn(20, 3, generator=g)
    target = n * torch.tensor([2.0, -1.0, 0.5]) + torch.tensor([1.0, 0.0, -3.0])
    torch.testing.assert_close(best_affine_fit(n, target), target)
    noisy = target + 0.1 * torch.randn(20, 3, generator=g)
    fit = best_affine_fit(n, noisy)
    for j in range(3):  # each column: numpy's least squares on [n, 1]
        design = np.stack([n[:, j].numpy(), np.ones(20)], axis=1)
        coef, *_ = np.linalg.lstsq(design, noisy[:, j].numpy(), rcond=None)
        np.testing.assert_allclose(fit[:, j].numpy(), design @ coef, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: best_affine_fit(torch.zeros(4, 3), torch.zeros(4, 2)), ValueError, ["normalised", "target", "(batch, d)"]),
        (lambda: best_affine_fit(torch.zeros(4), torch.zeros(4)), ValueError, ["(batch, d)"]),
        (lambda: run_affine_identity(seeds=[]), ValueError, ["seeds"]),
        (lambda: run_affine_identity(d=1), ValueError, ["d", ">= 2"]),
        (lambda: run_affine_identity(batch_size=1), ValueError, ["batch_size", ">= 2"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

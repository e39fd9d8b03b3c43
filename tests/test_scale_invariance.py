"""LayerNorm's input gradient (closed form, orthogonality) and scale-invariant weights under SGD."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from resnorm.experiments.scale_invariance import (
    NormedNet,
    layernorm_input_grad,
    run_norm_gradient,
    run_scale_invariance,
)


def test_closed_form_equals_autograd():
    g = torch.Generator().manual_seed(1)
    x = (2 * torch.randn(2, 3, 16, generator=g) + 1).requires_grad_(True)
    up = torch.randn(2, 3, 16, generator=g)
    ln = torch.nn.LayerNorm(16, eps=1e-3)
    with torch.no_grad():
        ln.weight.normal_(generator=g)
    (expected,) = torch.autograd.grad(ln(x), x, up)
    torch.testing.assert_close(layernorm_input_grad(x.detach(), up, ln.weight.detach(), 1e-3), expected,
                               rtol=1e-4, atol=1e-6)


def test_norm_gradient_orthogonality_and_rms_ablation():
    r = run_norm_gradient(seeds=[0, 1], d=32, batch_size=8)
    assert r.ln_ones.shape == (2,)
    assert np.all(r.closed_form_error < 1e-5)
    assert np.all(r.ln_ones < 1e-5) and np.all(r.ln_xhat < 1e-5)
    assert np.all(r.rms_ones > 0.02) and np.all(r.rms_x < 1e-5)


def test_scale_invariance_training_matches_torch_sgd_and_grows_the_norm():
    r = run_scale_invariance(seeds=[0], width=16, n_samples=64, steps=20, lr=1.0, weight_decays=(0.0, 0.05))
    assert r.weight_norm.shape == r.loss.shape == (2, 1, 21)
    assert r.relative_step.shape == r.norm_identity_error.shape == (2, 1, 20)
    assert abs(r.cos_first[0]) < 1e-4 and abs(r.cos_head[0]) > 1e-2
    np.testing.assert_allclose(r.grad_scaling, 1, atol=1e-3)
    assert np.all(np.diff(r.weight_norm[0, 0]) > 0), "no weight decay: |W| grows every step"
    assert np.all(r.norm_identity_error < 1e-4)
    # the same run with torch.optim.SGD, weight decay on the scale-invariant `first` only
    from resnorm.data import teacher_classification

    x, y = teacher_classification(64, 16, 4, seed=0)
    torch.manual_seed(0)
    model = NormedNet(16, 16, 4)
    others = [p for p in model.parameters() if p is not model.first.weight]
    opt = torch.optim.SGD([{"params": [model.first.weight], "weight_decay": 0.05}, {"params": others}], lr=1.0)
    norms = [model.first.weight.norm().item()]
    for _ in range(20):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
        norms.append(model.first.weight.norm().item())
    np.testing.assert_allclose(r.weight_norm[1, 0], norms, rtol=1e-6)
    np.testing.assert_allclose(r.gamma_mean[1, 0], model.norm.weight.mean().item(), rtol=1e-6)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: layernorm_input_grad(torch.zeros(2, 4), torch.zeros(2, 3), torch.ones(4)), ValueError, ["upstream"]),
        (lambda: layernorm_input_grad(torch.zeros(2, 4), torch.zeros(2, 4), torch.ones(4), eps=-1.0),
         ValueError, ["eps", ">= 0"]),
        (lambda: run_norm_gradient(d=1), ValueError, ["d", ">= 2"]),
        (lambda: run_scale_invariance(steps=0), ValueError, ["steps", ">= 1"]),
        (lambda: run_scale_invariance(lr=0.0), ValueError, ["lr", "> 0"]),
        (lambda: run_scale_invariance(weight_decays=()), ValueError, ["weight_decays"]),
        (lambda: run_scale_invariance(weight_decays=(-0.1,)), ValueError, ["weight_decays[0]", ">= 0"]),
        (lambda: run_scale_invariance(scales=(0.0,)), ValueError, ["scales[0]", "> 0"]),
        (lambda: run_scale_invariance(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

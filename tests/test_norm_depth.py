"""Activation and backpropagated-gradient scale per hidden state, and the mean-removal ablation."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from resnorm.experiments.norm_depth import (
    MEAN_REMOVAL_ABLATION,
    MEAN_REMOVAL_FACTOR,
    NORM_CONFIGS,
    TANH_INPUT_GAIN,
    mean_field_rate,
    run_norm_depth,
)
from resnorm.models import DeepMLP


def test_shapes_and_gradient_equal_a_direct_computation():
    configs = {"plain + LayerNorm": dict(norm="layer"), "residual": dict(residual=True)}
    r = run_norm_depth(configs, depth=5, width=16, seeds=[3, 4], batch_size=32)
    for label, kwargs in configs.items():
        assert r.activation_rms[label].shape == r.state_grad_rms[label].shape == (2, 6)
        assert r.growth(label).shape == r.grad_ratio(label).shape == r.per_block(label).shape == (2,)
        # seed 4, by hand: dL/dh of the stem's output and of the last block's output
        data = torch.Generator().manual_seed(4)
        x = torch.randn(32, 16, generator=data)
        y = torch.randint(10, (32,), generator=data)
        torch.manual_seed(4)
        model = DeepMLP(5, 16, out_features=10, **kwargs)
        stem = model.stem(x)
        h = stem
        for block in model.blocks:
            h = block(h)
        g_stem, g_last = torch.autograd.grad(F.cross_entropy(model.head(h), y), (stem, h))
        np.testing.assert_allclose(r.state_grad_rms[label][1, [0, -1]],
                                   [g_stem.pow(2).mean().sqrt().item(), g_last.pow(2).mean().sqrt().item()],
                                   rtol=1e-5)
        np.testing.assert_allclose(r.activation_rms[label][1, -1], h.pow(2).mean().sqrt().item(), rtol=1e-5)
        np.testing.assert_allclose(r.per_block(label) ** 5, r.grad_ratio(label), rtol=1e-6)


def test_all_randomness_comes_from_the_seeds():
    configs = {"plain + BatchNorm": dict(norm="batch")}
    kwargs = dict(depth=3, width=8, batch_size=16)
    torch.manual_seed(123)
    a = run_norm_depth(configs, seeds=[7], **kwargs)
    torch.manual_seed(456)
    b = run_norm_depth(configs, seeds=[7], **kwargs)
    c = run_norm_depth(configs, seeds=[8], **kwargs)
    np.testing.assert_array_equal(a.state_grad_rms["plain + BatchNorm"], b.state_grad_rms["plain + BatchNorm"])
    assert not np.array_equal(a.state_grad_rms["plain + BatchNorm"], c.state_grad_rms["plain + BatchNorm"])


def test_norms_bound_the_stream_and_stop_plain_vanishing():
    r = run_norm_depth(NORM_CONFIGS, depth=20, width=32, seeds=[0, 1], batch_size=64)
    assert len(NORM_CONFIGS) == 12
    assert np.all(r.grad_ratio("plain") < 1e-6)
    assert np.all(r.grad_ratio("plain + LayerNorm") > 1e-3)
    assert np.all(r.growth("residual, He init") > 20 * r.growth("residual + LayerNorm, He init"))


def test_mean_removal_ablation_separates_relu_mean_from_the_rest():
    r = run_norm_depth(MEAN_REMOVAL_ABLATION, depth=20, width=64, seeds=[0, 1], batch_size=128)
    a = torch.relu(torch.randn(1_000_000, generator=torch.Generator().manual_seed(0)))
    rms_over_std = (a.pow(2).mean().sqrt() / a.std(correction=0)).item()
    assert math.isclose(MEAN_REMOVAL_FACTOR, rms_over_std, rel_tol=2e-3)
    assert np.all(r.per_block("BatchNorm, relu") > r.per_block("BatchNorm, tanh") + 0.08)
    assert np.all(r.per_block("LayerNorm, relu also ending the branch") > r.per_block("LayerNorm, relu") + 0.08)
    assert np.all(r.per_block("BatchNorm, tanh, input var 1") > r.per_block("BatchNorm, tanh") + 0.04)
    assert "BatchNorm, identity, zero biases" not in MEAN_REMOVAL_ABLATION


def test_ablation_switches_zero_the_biases_and_scale_linear1():
    base = {"a": dict(norm="layer", activation="tanh")}
    switched = {"a": dict(norm="layer", activation="tanh", zero_biases=True, linear1_gain=TANH_INPUT_GAIN)}
    kwargs = dict(depth=2, width=64, seeds=[0], batch_size=256)
    r0, r1 = run_norm_depth(base, **kwargs), run_norm_depth(switched, **kwargs)
    assert not np.allclose(r0.state_grad_rms["a"], r1.state_grad_rms["a"])
    # by hand: the switched model equals the default one with zero biases and linear1 * sqrt(3)
    torch.manual_seed(0)
    model = DeepMLP(2, 64, out_features=10, norm="layer", activation="tanh")
    with torch.no_grad():
        for block in model.blocks:
            block.linear1.weight.mul_(TANH_INPUT_GAIN)
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                m.bias.zero_()
    x = torch.randn(256, 64, generator=torch.Generator().manual_seed(0))
    np.testing.assert_allclose(r1.activation_rms["a"][0, -1], model.hidden_states(x)[-1].pow(2).mean().sqrt().item(),
                               rtol=1e-5)
    # the tanh input's variance is about 1 with the gain, about 1/3 without
    u = model.blocks[0].linear1(model.blocks[0].norm(model.stem(x)))
    assert 0.8 < u.var().item() < 1.25


def test_mean_field_rate_matches_closed_forms_and_sampling():
    assert mean_field_rate("relu", 0.5) == pytest.approx(MEAN_REMOVAL_FACTOR)
    assert mean_field_rate("identity", 3.0) == 1.0
    u = torch.randn(2_000_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    for var in (1 / 3, 1.0, 2.0):
        t = torch.tanh(u * math.sqrt(var))
        sampled = math.sqrt((1 - t ** 2).pow(2).mean().item() * var / t.var().item())
        assert mean_field_rate("tanh", var) == pytest.approx(sampled, rel=2e-3)
    assert 1 < mean_field_rate("tanh", 1 / 3) < mean_field_rate("tanh", 1.0) < mean_field_rate("tanh", 2.0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: mean_field_rate("gelu", 1.0), ValueError, ["activation", "'tanh'"]),
        (lambda: mean_field_rate("tanh", 0.0), ValueError, ["input_var", "> 0"]),
        (lambda: run_norm_depth({"a": dict(zero_biases=1)}, depth=2), TypeError, ["zero_biases", "True or False"]),
        (lambda: run_norm_depth({"a": dict(linear1_gain=-1.0)}, depth=2), ValueError, ["linear1_gain", ">= 0"]),
    ],
)
def test_bad_ablation_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(depth=0), ValueError, ["depth"]),
        (dict(width=0), ValueError, ["width"]),
        (dict(batch_size=1), ValueError, ["batch_size"]),
        (dict(n_classes=1), ValueError, ["n_classes"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
        (dict(configs={"a": {"norm": "group"}}, depth=2), ValueError, ["norm", "'layer'"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_norm_depth(**kwargs)
    for word in words:
        assert word in str(info.value)

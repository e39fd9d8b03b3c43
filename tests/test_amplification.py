"""Amplification: stacks, output change under perturbation, the experiment, bad input."""

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.experiments.amplification import (
    branch_variance_ratio,
    build_stack,
    fit_growth,
    output_change,
    run_amplification,
)
from resnorm.norms import LayerNorm
from resnorm.reweighted import DeepNormBlock


def test_build_stack_kinds():
    torch.manual_seed(0)
    blocks, final = build_stack("pre", 3, d_model=8, n_heads=2, d_ff=16)
    assert len(blocks) == 3 and isinstance(final, LayerNorm)
    blocks, final = build_stack("post", 2, d_model=8, n_heads=2, d_ff=16, init="default")
    assert isinstance(final, nn.Identity) and blocks[0].placement == "post"
    blocks, _ = build_stack("deepnorm", 4, d_model=8, n_heads=2, d_ff=16)
    assert isinstance(blocks[0], DeepNormBlock) and blocks[0].alpha == pytest.approx(8 ** 0.25)


def test_output_change_restores_weights_and_scales_with_delta():
    torch.manual_seed(0)
    blocks, final = build_stack("post", 3, d_model=8, n_heads=2, d_ff=16)
    before = [p.clone() for p in blocks.parameters()]
    x = torch.randn(4, 5, 8)
    small = output_change(blocks, final, x, delta=1e-3, n_draws=2, generator=torch.Generator().manual_seed(1))
    large = output_change(blocks, final, x, delta=1e-2, n_draws=2, generator=torch.Generator().manual_seed(1))
    for a, b in zip(before, blocks.parameters()):
        assert torch.equal(a, b)
    assert small.shape == (3,) and np.all(small > 0)
    np.testing.assert_allclose(large / small, 100, rtol=0.2)  # squared change ~ delta**2
    one = output_change(blocks, final, x, depths=(2,), generator=torch.Generator().manual_seed(1))
    assert one.shape == (1,)


def test_run_amplification_shapes_and_growth():
    r = run_amplification(depths=(1, 4), d_model=8, n_heads=2, d_ff=16, seeds=[0, 1])
    assert set(r.change) == {"post", "pre", "deepnorm"}
    assert r.change["post"].shape == (2, 2)
    np.testing.assert_allclose(r.growth("pre")[:, 0], 1.0)
    assert np.all(r.growth("post")[:, 1] > 1.5)


def test_fit_growth_tells_a_power_law_from_a_logarithm():
    depths = np.array([1, 2, 4, 8, 16, 32, 64])
    power = fit_growth(depths, 3.0 * depths ** 0.5)  # two parameters: the scale is free
    assert power.exponent == pytest.approx(0.5) and power.power_rms < 1e-9
    assert power.per_doubling == pytest.approx(2 ** 0.5)
    assert power.log_rms > 10 * power.power_rms + 0.02
    log = fit_growth(depths, 5.0 * (1 + 2.0 * np.log(depths)))
    assert log.log_coefficient == pytest.approx(2.0, rel=0.01) and log.log_rms < 1e-3
    assert log.power_rms > 10 * log.log_rms
    shifted = fit_growth(depths * 2, depths ** 1.0)
    assert shifted.exponent == pytest.approx(1.0)


def test_perturbation_size_does_not_depend_on_the_weights():
    """Each matrix gets delta * sqrt(2 / (fan_in + fan_out)) * noise, whatever its weights are."""
    torch.manual_seed(0)
    blocks, final = build_stack("post", 2, d_model=8, n_heads=2, d_ff=16)
    x = torch.randn(4, 5, 8)
    weights = [p for p in blocks.parameters() if p.dim() == 2]
    noise = torch.Generator().manual_seed(2)
    expected = [0.01 * np.sqrt(2 / sum(w.shape)) * torch.randn(w.shape, generator=noise) for w in weights]
    with torch.no_grad():
        reference = final(blocks[1](blocks[0](x)))
        saved = [w.clone() for w in weights]
        for w, e in zip(weights, expected):
            w.add_(e)
        moved = final(blocks[1](blocks[0](x)))
        for w, s in zip(weights, saved):
            w.copy_(s)
    measured = output_change(blocks, final, x, depths=(2,), n_draws=1, generator=torch.Generator().manual_seed(2))
    assert measured[0] == pytest.approx((moved - reference).pow(2).mean().item(), rel=1e-5)


def test_bootstrap_exponents_spread_around_the_median_fit():
    r = run_amplification(depths=(1, 2, 4), kinds=("post",), d_model=8, n_heads=2, d_ff=16, seeds=[0, 1, 2])
    exponents = r.bootstrap_exponents("post", n_boot=200, seed=0)
    assert exponents.shape == (200,)
    assert exponents.min() <= r.fit("post").exponent + 1e-9 <= exponents.max() + 2e-9
    np.testing.assert_array_equal(exponents, r.bootstrap_exponents("post", n_boot=200, seed=0))
    with pytest.raises(ValueError, match="n_boot"):
        r.bootstrap_exponents("post", n_boot=0)


def test_branch_variance_ratio_is_smaller_at_default_init():
    xavier = branch_variance_ratio("xavier", d_model=16, n_heads=2, d_ff=32, seeds=[0, 1])
    default = branch_variance_ratio("default", d_model=16, n_heads=2, d_ff=32, seeds=[0, 1])
    assert set(xavier) == {"attention", "feed-forward"} and xavier["attention"].shape == (2,)
    assert np.all(default["feed-forward"] < xavier["feed-forward"])
    assert np.all(xavier["feed-forward"] < 1)


def test_result_fit_uses_the_median_growth():
    r = run_amplification(depths=(1, 2, 4), kinds=("post",), d_model=8, n_heads=2, d_ff=16, seeds=[0, 1, 2])
    expected = fit_growth(r.depths, np.median(r.growth("post"), axis=0))
    assert r.fit("post") == expected
    with pytest.raises(ValueError, match="kind"):
        r.fit("pre")


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: build_stack("admin", 2), ValueError, ["kind", "'post'", "'pre'", "'deepnorm'"]),
        (lambda: build_stack("post", 2, init="orthogonal"), ValueError, ["init", "'xavier'", "'default'"]),
        (lambda: run_amplification(depths=()), ValueError, ["depths"]),
        (lambda: run_amplification(kinds=()), ValueError, ["kinds"]),
        (lambda: run_amplification(kinds=("side",)), ValueError, ["kinds", "'post'"]),
        (lambda: run_amplification(delta=0), ValueError, ["delta", "> 0"]),
        (lambda: run_amplification(n_draws=0), ValueError, ["n_draws", ">= 1"]),
        (lambda: run_amplification(seeds=[]), ValueError, ["seeds"]),
        (lambda: fit_growth([1, 2], [1, 2]), ValueError, ["depths", "growth", ">= 3"]),
        (lambda: branch_variance_ratio("orthogonal"), ValueError, ["init", "'xavier'"]),
        (lambda: branch_variance_ratio(seeds=[]), ValueError, ["seeds"]),
        (lambda: fit_growth([1, 4, 2], [1, 2, 3]), ValueError, ["depths", "increasing"]),
        (lambda: fit_growth([1, 2, 4], [1, 0, 3]), ValueError, ["growth", "positive"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_output_change_rejects_a_depth_beyond_the_stack():
    blocks, final = build_stack("post", 2, d_model=8, n_heads=2, d_ff=16)
    with pytest.raises(ValueError, match="depths must be <= 2"):
        output_change(blocks, final, torch.randn(1, 2, 8), depths=(3,))

"""The from-scratch norms equal PyTorch's own, forward and backward; the source's does not."""

import math

import pytest
import torch
from torch import nn

from resnorm.norms import DynamicTanh, LayerNorm, RMSNorm, SourceLayerNorm, make_norm, to_torch_norms


def _random_affine(module, generator):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=generator))


def _forward_backward(module, x, upstream):
    x = x.clone().requires_grad_(True)
    out = module(x)
    out.backward(upstream)
    return out.detach(), x.grad, [p.grad for p in module.parameters()]


@pytest.mark.parametrize("d", [1, 8, 64, 512])
def test_layernorm_equals_torch(d):
    g = torch.Generator().manual_seed(d)
    ours, theirs = LayerNorm(d), nn.LayerNorm(d)
    _random_affine(ours, g)
    theirs.load_state_dict(ours.state_dict(), strict=True)
    x = 3 * torch.randn(4, 5, d, generator=g) + 2
    upstream = torch.randn(4, 5, d, generator=g)
    # at d = 1, x - mean is pure rounding error (~1e-7), amplified by 1/sqrt(eps) ~ 300
    atol = 1e-3 if d == 1 else 1e-5
    for a, b in zip(_forward_backward(ours, x, upstream)[:2], _forward_backward(theirs, x, upstream)[:2]):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=atol)
    for pa, pb in zip(ours.parameters(), theirs.parameters()):
        torch.testing.assert_close(pa.grad, pb.grad, rtol=1e-5, atol=atol)


@pytest.mark.parametrize("d", [1, 8, 64, 512])
def test_rmsnorm_equals_torch(d):
    g = torch.Generator().manual_seed(d)
    ours, theirs = RMSNorm(d, eps=1e-6), nn.RMSNorm(d, eps=1e-6)
    _random_affine(ours, g)
    theirs.load_state_dict(ours.state_dict(), strict=True)
    x = 3 * torch.randn(4, 5, d, generator=g) + 2
    upstream = torch.randn(4, 5, d, generator=g)
    out_a, gx_a, gp_a = _forward_backward(ours, x, upstream)
    out_b, gx_b, gp_b = _forward_backward(theirs, x, upstream)
    torch.testing.assert_close(out_a, out_b, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(gx_a, gx_b, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(gp_a[0], gp_b[0], rtol=1e-5, atol=1e-4)


def test_default_eps_match_pytorch_conventions():
    assert LayerNorm(4).eps == nn.LayerNorm(4).eps == 1e-5
    assert RMSNorm(4).eps == 1e-6


@pytest.mark.parametrize("d, expected_rel_error", [(8, 0.065), (64, 0.0078), (512, 0.00098)])
def test_source_layernorm_is_scaled_by_sqrt_d_minus_1_over_d(d, expected_rel_error):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(16, d, generator=g)
    source = SourceLayerNorm(d, eps=0.0)(x)
    true = LayerNorm(d, eps=0.0)(x)
    torch.testing.assert_close(source, true * math.sqrt((d - 1) / d), rtol=1e-5, atol=1e-6)
    rel = ((source - true).norm() / true.norm()).item()
    assert rel == pytest.approx(1 - math.sqrt((d - 1) / d), rel=1e-3)
    assert rel == pytest.approx(expected_rel_error, rel=0.02)
    assert not torch.allclose(SourceLayerNorm(d)(x), nn.LayerNorm(d)(x))


@pytest.mark.filterwarnings(r"ignore:var\(\). degrees of freedom")
def test_source_layernorm_is_nan_for_a_single_feature():
    assert torch.isnan(SourceLayerNorm(1)(torch.randn(3, 1))).all()
    assert torch.isfinite(LayerNorm(1)(torch.randn(3, 1))).all()


def test_make_norm():
    assert isinstance(make_norm(None, 4), nn.Identity)
    assert isinstance(make_norm("layer", 4), LayerNorm)
    assert isinstance(make_norm("rms", 4), RMSNorm)
    assert isinstance(make_norm("batch", 4), nn.BatchNorm1d)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: make_norm("group", 4), ValueError, ["norm", "'layer'", "'rms'", "'batch'", "'group'"]),
        (lambda: LayerNorm(0), ValueError, ["d", ">= 1"]),
        (lambda: LayerNorm(4.5), TypeError, ["d", "integer"]),
        (lambda: RMSNorm(4, eps=-1.0), ValueError, ["eps", ">= 0"]),
        (lambda: SourceLayerNorm(-2), ValueError, ["d"]),
        (lambda: LayerNorm(4, eps=float("nan")), ValueError, ["eps", "finite"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_to_torch_norms_swaps_in_pytorch_norms_with_the_same_parameters():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 6), LayerNorm(6), nn.Sequential(RMSNorm(6), DynamicTanh(6)))
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))
    x = torch.randn(4, 6, requires_grad=True)
    expected = model(x)
    (grad_expected,) = torch.autograd.grad(expected.sum(), x)
    weight = model[1].weight
    assert to_torch_norms(model) is model
    assert isinstance(model[1], nn.LayerNorm) and isinstance(model[2][0], nn.RMSNorm)
    assert isinstance(model[2][1], DynamicTanh)
    assert model[1].weight is weight
    got = model(x)
    (grad_got,) = torch.autograd.grad(got.sum(), x)
    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(grad_got, grad_expected)


def test_to_torch_norms_rejects_a_non_module():
    with pytest.raises(TypeError, match="module must be a torch.nn.Module"):
        to_torch_norms("model")


def test_reset_parameters_restores_the_start_as_pytorchs_norms_do():
    for ours, theirs in ((LayerNorm(5), nn.LayerNorm(5)), (RMSNorm(5), nn.RMSNorm(5))):
        with torch.no_grad():
            for p in ours.parameters():
                p.normal_()
        ours.reset_parameters()
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
            assert torch.equal(p, q), (type(ours).__name__, name)

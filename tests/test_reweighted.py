"""Re-weighted residual blocks (ReZero, SkipInit, DeepNorm, Fixup): formulas, init, bad input."""

import math

import pytest
import torch
from torch import nn

from resnorm.models import TransformerBlock
from resnorm.reweighted import (
    DeepNormBlock,
    FixupMLP,
    ReweightedTransformer,
    ReZeroBlock,
    ScaledResidual,
    deepnorm_constants,
)


def test_deepnorm_constants_follow_the_encoder_only_formula():
    for n in (1, 6, 18, 1000):
        alpha, beta = deepnorm_constants(n)
        assert math.isclose(alpha, (2 * n) ** 0.25) and math.isclose(beta, (8 * n) ** -0.25)
    alpha, beta = deepnorm_constants(18)
    assert round(alpha, 3) == 2.449 and round(beta, 4) == 0.2887


def test_scaled_residual_is_identity_at_zero_and_branch_still_gets_a_gradient():
    torch.manual_seed(0)
    block = ScaledResidual(nn.Linear(4, 4))
    x = torch.randn(3, 4)
    assert torch.equal(block(x), x)
    block(x).pow(2).sum().backward()
    assert block.alpha.grad.abs().item() > 0
    block = ScaledResidual(nn.Linear(4, 4), alpha0=0.5)
    torch.testing.assert_close(block(x), x + 0.5 * block.branch(x))


def test_rezero_block_is_identity_at_init_and_matches_its_formula():
    torch.manual_seed(0)
    block = ReZeroBlock(8, 2, 16)
    x = torch.randn(2, 5, 8)
    assert torch.equal(block(x), x)
    with torch.no_grad():
        block.alpha_attn.fill_(0.3)
        block.alpha_ffn.fill_(-0.7)
    h = x + 0.3 * block.self_attn(x)
    torch.testing.assert_close(block(x), h - 0.7 * block.ffn(h))


def test_deepnorm_block_with_unit_constants_is_the_post_ln_block():
    torch.manual_seed(0)
    ours = DeepNormBlock(8, 2, 16, alpha=1.0, beta=1.0)
    post = TransformerBlock(8, 2, 16, placement="post")
    post.load_state_dict(ours.state_dict(), strict=True)
    x = torch.randn(2, 5, 8)
    torch.testing.assert_close(ours(x), post(x))


def test_deepnorm_block_scales_the_shortcut_by_alpha():
    torch.manual_seed(0)
    block = DeepNormBlock(8, 2, 16, alpha=2.0, beta=0.5)
    x = torch.randn(2, 5, 8)
    h = block.norm1(2.0 * x + block.self_attn(x))
    torch.testing.assert_close(block(x), block.norm2(2.0 * h + block.ffn(h)))


def test_deepnorm_init_scales_value_output_and_ffn_by_beta():
    torch.manual_seed(0)
    d, d_ff, beta = 64, 256, 0.25
    block = DeepNormBlock(d, 4, d_ff, alpha=1.0, beta=beta)
    q, k, v = block.self_attn.in_proj_weight.split(d, dim=0)
    xavier_std = lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out))
    for w, gain in ((q, 1.0), (k, 1.0), (v, beta), (block.self_attn.out_proj.weight, beta)):
        assert w.std().item() == pytest.approx(gain * xavier_std(d, d), rel=0.1)
    assert block.linear1.weight.std().item() == pytest.approx(beta * xavier_std(d, d_ff), rel=0.1)
    assert block.linear2.weight.std().item() == pytest.approx(beta * xavier_std(d_ff, d), rel=0.1)
    assert block.linear1.bias.abs().max().item() == 0 and block.self_attn.in_proj_bias.abs().max().item() == 0


@pytest.mark.parametrize("kind", ["rezero", "deepnorm"])
def test_reweighted_transformer_shapes_and_learns(kind):
    torch.manual_seed(0)
    model = ReweightedTransformer(7, 3, 8, 2, 16, kind=kind, max_len=6)
    tokens = torch.randint(7, (4, 6))
    assert model(tokens).shape == (4, 6, 7)
    if kind == "deepnorm":
        alpha, beta = deepnorm_constants(3)
        assert all(b.alpha == alpha and b.beta == beta for b in model.blocks)
    loss = nn.functional.cross_entropy(model(tokens).reshape(-1, 7), tokens.reshape(-1))
    loss.backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)


def test_fixup_mlp_starts_as_identity_with_zero_output():
    torch.manual_seed(0)
    model = FixupMLP(6, 16, in_features=3, out_features=2)
    x = torch.randn(10, 3)
    states = model.hidden_states(x)
    assert len(states) == 7
    for h in states[1:]:
        assert torch.equal(h, states[0])
    assert torch.equal(model(x), torch.zeros(10, 2))
    std = model.blocks[0].linear1.weight.std().item()
    assert std == pytest.approx(math.sqrt(2 / 16) / math.sqrt(6), rel=0.15)


def test_fixup_mlp_he_init_grows_and_default_init_barely_does():
    torch.manual_seed(0)
    x = torch.randn(64, 16)
    he = FixupMLP(10, 16, init="he").hidden_states(x)
    default = FixupMLP(10, 16, init="default").hidden_states(x)
    assert he[-1].std() / he[0].std() > 10
    assert default[-1].std() / default[0].std() < 3


def test_fixup_mlp_he_init_matches_deep_mlp_he():
    """Gain sqrt(2) on linear1 (a ReLU follows it), gain 1 on linear2: the variance doubles per block."""
    torch.manual_seed(0)
    model = FixupMLP(1, 512, init="he")
    assert model.blocks[0].linear1.weight.std().item() == pytest.approx(math.sqrt(2 / 512), rel=0.02)
    assert model.blocks[0].linear2.weight.std().item() == pytest.approx(math.sqrt(1 / 512), rel=0.02)
    states = FixupMLP(8, 256, init="he").hidden_states(torch.randn(512, 256))
    ratio = (states[-1].var() / states[0].var()).item()
    assert 2 ** 8 / 3 < ratio < 2 ** 8 * 3


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: deepnorm_constants(0), ValueError, ["n_layers", ">= 1"]),
        (lambda: deepnorm_constants(2.5), TypeError, ["n_layers", "integer"]),
        (lambda: ScaledResidual("not a module"), TypeError, ["branch", "Module"]),
        (lambda: ScaledResidual(nn.Identity(), alpha0=float("nan")), ValueError, ["alpha0", "finite"]),
        (lambda: ReZeroBlock(10, 3, 16), ValueError, ["d_model", "divisible", "n_heads"]),
        (lambda: DeepNormBlock(8, 2, 16, alpha=0.0, beta=0.5), ValueError, ["alpha", "> 0"]),
        (lambda: DeepNormBlock(8, 2, 16, alpha=1.0, beta=-1.0), ValueError, ["beta", "> 0"]),
        (lambda: ReweightedTransformer(7, 2, kind="admin"), ValueError, ["kind", "'rezero'", "'deepnorm'"]),
        (lambda: ReweightedTransformer(1, 2), ValueError, ["vocab_size", ">= 2"]),
        (lambda: ReweightedTransformer(7, 0), ValueError, ["depth", ">= 1"]),
        (lambda: ReweightedTransformer(7, 2, kind="rezero", alpha=2.0), ValueError, ["alpha", "'deepnorm'"]),
        (lambda: FixupMLP(4, 8, init="xavier"), ValueError, ["init", "'fixup'", "'he'", "'default'"]),
        (lambda: FixupMLP(0, 8), ValueError, ["depth"]),
        (lambda: FixupMLP(2, 8, in_features=0), ValueError, ["in_features"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_reweighted_transformer_rejects_bad_tokens():
    model = ReweightedTransformer(7, 1, 8, 2, 16, max_len=4)
    with pytest.raises(ValueError, match="tokens must have shape"):
        model(torch.zeros(2, 5, dtype=torch.long))

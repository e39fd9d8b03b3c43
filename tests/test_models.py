"""DeepMLP, TransformerBlock and TinyTransformer: structure, equality with PyTorch, bad input."""

import pytest
import torch
from torch import nn

from resnorm.models import DeepMLP, TinyTransformer, TransformerBlock
from resnorm.norms import LayerNorm, to_torch_norms


def test_deep_mlp_shapes_and_defaults():
    model = DeepMLP(3, 16)
    assert model(torch.randn(5, 16)).shape == (5, 16)
    model = DeepMLP(3, 16, in_features=7, out_features=2, residual=True, norm="batch")
    assert model(torch.randn(5, 7)).shape == (5, 2)
    assert len(model.blocks) == 3
    assert len(model.hidden_states(torch.randn(5, 7))) == 4


def test_residual_block_adds_identity_to_the_same_branch():
    torch.manual_seed(0)
    plain = DeepMLP(1, 8, norm="layer")
    torch.manual_seed(0)
    residual = DeepMLP(1, 8, norm="layer", residual=True)
    h = torch.randn(4, 8)
    torch.testing.assert_close(residual.blocks[0](h), h + plain.blocks[0](h))
    torch.manual_seed(0)
    half = DeepMLP(1, 8, norm="layer", residual=True, shortcut_scale=0.5)
    torch.testing.assert_close(half.blocks[0](h), 0.5 * h + plain.blocks[0](h))


def test_the_branch_is_two_linear_layers_with_the_activation_between():
    torch.manual_seed(0)
    model = DeepMLP(1, 8, norm="layer", residual=True)
    block, h = model.blocks[0], torch.randn(4, 8)
    expected = h + block.linear2(torch.relu(block.linear1(nn.functional.layer_norm(h, (8,)))))
    torch.testing.assert_close(block(h), expected)
    torch.manual_seed(0)
    ablation = DeepMLP(1, 8, norm="layer", residual=True, branch="act_before_addition")
    torch.testing.assert_close(ablation.blocks[0](h), h + torch.relu(expected - h))


def test_standard_branch_has_mean_zero_and_the_ablation_does_not():
    torch.manual_seed(0)
    h = torch.randn(4096, 64)
    standard = DeepMLP(1, 64).blocks[0].branch(h)
    ablation = DeepMLP(1, 64, branch="act_before_addition").blocks[0].branch(h)
    assert abs(standard.mean()) < 0.1 * standard.std()
    assert ablation.min() >= 0 and ablation.mean() > 0.5 * ablation.std()


def test_he_init_keeps_the_branch_variance_and_scaled_init_divides_it_by_2_depth():
    torch.manual_seed(0)
    h = torch.randn(8192, 256)
    def branch_gain(init, depth=8):
        model = DeepMLP(depth, 256, init=init)
        with torch.no_grad():
            return (model.blocks[0].branch(h).var() / h.var()).item()
    assert branch_gain("he") == pytest.approx(1.0, rel=0.1)
    assert branch_gain("scaled") == pytest.approx(1 / 16, rel=0.1)
    assert branch_gain("default") == pytest.approx(1 / 18, rel=0.25)  # (1/3)(1/2)(1/3), plus biases
    model = DeepMLP(3, 16, init="he")
    assert all(torch.count_nonzero(m.bias) == 0 for m in model.modules() if isinstance(m, nn.Linear))


def test_zero_init_last_makes_every_block_the_identity_and_changes_nothing_else():
    x = torch.randn(16, 8)
    for init in ("default", "he"):
        torch.manual_seed(3)
        model = DeepMLP(5, 8, residual=True, init=init, zero_init_last=True)
        torch.manual_seed(3)
        reference = DeepMLP(5, 8, residual=True, init=init)
        assert model.config["zero_init_last"] and not reference.config["zero_init_last"]
        for (name, p), (_, q) in zip(model.named_parameters(), reference.named_parameters()):
            if ".linear2." in name:
                assert torch.count_nonzero(p) == 0, name
            else:
                assert torch.equal(p, q), name
        states = model.hidden_states(x)
        assert all(torch.equal(s, states[0]) for s in states)
        torch.testing.assert_close(model(x), model.head(model.stem(x)))


def test_zero_init_last_blocks_learn_from_the_first_step():
    torch.manual_seed(0)
    model = DeepMLP(4, 8, residual=True, zero_init_last=True)
    model(torch.randn(16, 8)).pow(2).mean().backward()
    assert torch.count_nonzero(model.blocks[0].linear1.weight.grad) == 0
    assert torch.count_nonzero(model.blocks[0].linear2.weight.grad) > 0


@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(residual=True, init="he", norm="batch"),
    dict(residual=True, init="scaled", norm="layer", branch="act_before_addition", activation="tanh"),
    dict(residual=True, init="he", norm="rms", zero_init_last=True),
])
def test_reset_parameters_gives_the_weights_of_a_fresh_model(kwargs):
    torch.manual_seed(7)
    fresh = DeepMLP(4, 8, out_features=3, **kwargs)
    torch.manual_seed(0)
    reused = DeepMLP(4, 8, out_features=3, **kwargs)
    with torch.no_grad():  # a used model: parameters, BatchNorm statistics and gradients all changed
        for p in reused.parameters():
            p.add_(1.0)
    reused(torch.randn(16, 8)).sum().backward()
    torch.manual_seed(7)
    reused.reset_parameters()
    for (name, p), q in zip(fresh.state_dict().items(), reused.state_dict().values()):
        assert torch.equal(p, q), name
    assert all(p.grad is None for p in reused.parameters())
    to_torch_norms(reused)  # torch's LayerNorm has its own reset_parameters
    torch.manual_seed(7)
    reused.reset_parameters()
    x = torch.randn(16, 8)
    torch.testing.assert_close(reused(x), fresh(x))


def test_identity_shortcuts_add_no_parameters():
    count = lambda m: sum(p.numel() for p in m.parameters())
    assert count(DeepMLP(10, 32)) == count(DeepMLP(10, 32, residual=True))


@pytest.mark.parametrize("placement, norm_first", [("post", False), ("pre", True)])
def test_transformer_block_equals_torch_encoder_layer(placement, norm_first):
    torch.manual_seed(0)
    theirs = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True, norm_first=norm_first)
    ours = TransformerBlock(16, 4, 32, placement=placement)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    theirs.eval(), ours.eval()  # eval() alone would take PyTorch's fused fast path; compare both modes
    x = torch.randn(3, 5, 16)
    for mode in (True, False):
        ours.train(mode), theirs.train(mode)
        xa, xb = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
        out_a, out_b = ours(xa), theirs(xb)
        torch.testing.assert_close(out_a, out_b, rtol=1e-5, atol=1e-5)
        out_a.pow(2).sum().backward()
        out_b.pow(2).sum().backward()
        torch.testing.assert_close(xa.grad, xb.grad, rtol=1e-4, atol=1e-5)


def test_transformer_block_parameter_names_match_torch():
    theirs = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True)
    assert list(TransformerBlock(16, 4, 32).state_dict()) == list(theirs.state_dict())


def test_source_block_loses_the_residual_stream():
    torch.manual_seed(0)
    block = TransformerBlock(8, 2, 16, placement="source")
    post = TransformerBlock(8, 2, 16, placement="post")
    post.load_state_dict(block.state_dict())
    for b in (block, post):  # zero the branches' last layers: a good block is then the identity up to norms
        nn.init.zeros_(b.self_attn.out_proj.weight)
        nn.init.zeros_(b.linear2.weight)
        nn.init.zeros_(b.linear2.bias)
    x = torch.randn(2, 3, 8)
    assert torch.count_nonzero(block(x)) == 0
    norm = LayerNorm(8)
    torch.testing.assert_close(post(x), norm(norm(x)))


def test_tiny_transformer_builds_independent_blocks():
    model = TinyTransformer(10, depth=3, placement="pre")
    w = [b.linear1.weight for b in model.blocks]
    assert not torch.equal(w[0], w[1])
    assert model(torch.randint(10, (2, 7))).shape == (2, 7, 10)
    assert isinstance(TinyTransformer(10, depth=2, placement="post").final_norm, nn.Identity)


def test_tiny_transformer_final_norm_switch():
    assert isinstance(TinyTransformer(10, depth=2, placement="pre", final_norm=False).final_norm, nn.Identity)
    assert isinstance(TinyTransformer(10, depth=2, placement="post", final_norm=True).final_norm, LayerNorm)
    torch.manual_seed(0)
    with_norm = TinyTransformer(10, depth=2, placement="pre")
    torch.manual_seed(0)
    without = TinyTransformer(10, depth=2, placement="pre", final_norm=False)
    tokens = torch.randint(10, (2, 5))
    x = with_norm.token_embedding(tokens) + with_norm.position_embedding(torch.arange(5))
    for block in with_norm.blocks:
        x = block(x)
    torch.testing.assert_close(without(tokens), with_norm.head(x))


def test_transformer_block_without_residual_drops_only_the_sums():
    torch.manual_seed(0)
    block = TransformerBlock(8, 2, 16, placement="pre", residual=False)
    x = torch.randn(2, 3, 8)
    h = block.attn(block.norm1(x))
    torch.testing.assert_close(block(x), block.ffn(block.norm2(h)))
    post = TransformerBlock(8, 2, 16, placement="post", residual=False)
    h = post.norm1(post.attn(x))
    torch.testing.assert_close(post(x), post.norm2(post.ffn(h)))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: DeepMLP(0), ValueError, ["depth", ">= 1"]),
        (lambda: DeepMLP(3, 0), ValueError, ["width", ">= 1"]),
        (lambda: DeepMLP(3, norm="group"), ValueError, ["norm", "'layer'", "'rms'", "'batch'", "None"]),
        (lambda: DeepMLP(3, activation="swish"), ValueError, ["activation", "'relu'", "'tanh'"]),
        (lambda: DeepMLP(3, residual="yes"), TypeError, ["residual"]),
        (lambda: DeepMLP(3, shortcut_scale=0.5), ValueError, ["shortcut_scale", "residual=True"]),
        (lambda: DeepMLP(2.5), TypeError, ["depth", "integer"]),
        (lambda: DeepMLP(3, init="xavier"), ValueError, ["init", "'default'", "'he'", "'scaled'"]),
        (lambda: DeepMLP(3, branch="relu"), ValueError, ["branch", "'standard'", "'act_before_addition'"]),
        (lambda: DeepMLP(3, residual=True, zero_init_last=1), TypeError, ["zero_init_last", "True or False"]),
        (lambda: DeepMLP(3, zero_init_last=True), ValueError, ["zero_init_last=True", "residual=True"]),
        (lambda: TransformerBlock(10, 3, 16), ValueError, ["d_model", "n_heads", "divisible"]),
        (lambda: TransformerBlock(8, 2, 16, placement="sandwich"), ValueError,
         ["placement", "'post'", "'pre'", "'source'"]),
        (lambda: TransformerBlock(8, 2, 16, dropout=1.5), ValueError, ["dropout", "<= 1"]),
        (lambda: TransformerBlock(8, 2, 16, norm="group"), ValueError, ["norm", "'layer'", "'rms'"]),
        (lambda: TransformerBlock(8, 2, 16)(torch.randn(3, 8)), ValueError, ["x", "(batch, seq, d_model)"]),
        (lambda: TransformerBlock(8, 2, 16, residual=1), TypeError, ["residual", "True or False"]),
        (lambda: TransformerBlock(8, 2, 16, placement="source", residual=False), ValueError,
         ["residual=False", "'post'", "'pre'", "placement='source'"]),
        (lambda: TinyTransformer(10, depth=2, final_norm="yes"), TypeError, ["final_norm", "None, True or False"]),
        (lambda: TinyTransformer(1, depth=2), ValueError, ["vocab_size", ">= 2"]),
        (lambda: TinyTransformer(5, depth=1, max_len=4)(torch.zeros(1, 9, dtype=torch.long)), ValueError,
         ["tokens", "max_len=4"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_check_block_sizes_names_the_argument():
    from resnorm.models import check_block_sizes
    assert check_block_sizes(16, 4, 32) == (16, 4, 32)
    for args, word in (((0, 4, 32), "d_model"), ((16, 0, 32), "n_heads"), ((16, 4, 0), "d_ff"),
                       ((18, 4, 32), "divisible")):
        with pytest.raises(ValueError, match=word):
            check_block_sizes(*args)

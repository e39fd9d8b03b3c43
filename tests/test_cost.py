"""Cost of residuals and norms: counted FLOPs, saved-tensor bytes, timing plumbing."""

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.experiments.cost import (VARIANTS, block_flops, cost_model, forward_flops, matmul_flops,
                                      run_cost, saved_activation_bytes, saved_tensors_per_block,
                                      time_forward_backward, use_torch_norms)
from resnorm.models import DeepMLP
from resnorm.norms import LayerNorm, RMSNorm


def test_cost_model_uses_torch_norms_and_equals_the_from_scratch_model():
    for variant, kind, ours in (("residual + LayerNorm", nn.LayerNorm, LayerNorm),
                                ("residual + RMSNorm", nn.RMSNorm, RMSNorm)):
        fused = cost_model(variant, 16, 3, seed=1)
        scratch = cost_model(variant, 16, 3, fused=False, seed=1)
        assert all(isinstance(b.norm, kind) for b in fused.blocks)
        assert all(isinstance(b.norm, ours) for b in scratch.blocks)
        scratch.load_state_dict(fused.state_dict(), strict=True)
        x = torch.randn(5, 16)
        torch.testing.assert_close(fused(x), scratch(x), rtol=1e-5, atol=1e-5)
    plain = cost_model("plain", 8, 2)
    assert not plain.blocks[0].residual and isinstance(plain.blocks[0].norm, nn.Identity)


def test_use_torch_norms_swaps_in_pytorch_modules_with_the_same_output():
    torch.manual_seed(2)
    ours = DeepMLP(3, 8, in_features=4, out_features=2, residual=True, norm="layer")
    theirs = DeepMLP(3, 8, in_features=4, out_features=2, residual=True, norm="layer")
    theirs.load_state_dict(ours.state_dict())
    assert use_torch_norms(theirs) is theirs
    assert all(isinstance(b.norm, nn.LayerNorm) for b in theirs.blocks)
    x = torch.randn(6, 4)
    torch.testing.assert_close(theirs(x), ours(x), rtol=1e-5, atol=1e-5)
    rms = use_torch_norms(DeepMLP(2, 8, norm="rms"))
    assert all(isinstance(b.norm, nn.RMSNorm) and b.norm.eps == 1e-6 for b in rms.blocks)
    plain = DeepMLP(2, 8)
    assert all(isinstance(b.norm, nn.Identity) for b in use_torch_norms(plain).blocks)


def test_block_flops_follow_the_convention():
    d = 10
    assert block_flops("plain", d) == {"linear": 2 * (2 * d * d + d), "relu": d, "add": 0, "norm": 0}
    assert block_flops("residual", d)["add"] == d
    assert block_flops("residual + LayerNorm", d)["norm"] == 7 * d + 2
    assert block_flops("residual + RMSNorm", d)["norm"] == 4 * d + 2
    per_token = 3 * (2 * (2 * d * d + d) + d) + 2 * (2 * d * d + d)  # 3 blocks, stem and head
    assert forward_flops("plain", d, 3, 4) == 4 * per_token


def test_flop_counter_sees_only_matrix_multiplications():
    x = torch.randn(8, 16)
    expected = 8 * 6 * 2 * 16 * 16  # stem + 2 blocks of 2 linear layers + head, 2 d^2 each, per example
    for variant in VARIANTS:
        assert matmul_flops(cost_model(variant, 16, 2), x) == expected


def test_saved_bytes_of_elementary_operations():
    a = torch.randn(4, 8, requires_grad=True)
    b = torch.randn(4, 8, requires_grad=True)
    one = 4 * 8 * 4
    assert saved_activation_bytes(torch.add, a, b) == 0
    assert saved_activation_bytes(torch.mul, a, b) == 2 * one
    linear = nn.Linear(8, 3)
    assert saved_activation_bytes(linear, a) == one  # its input; the weight is a parameter


def test_saved_bytes_per_block_of_each_variant():
    x = torch.randn(32, 16)
    one = x.numel() * 4

    def per_block(variant):
        two, three = (saved_activation_bytes(cost_model(variant, 16, depth), x) for depth in (2, 3))
        return (three - two) / one

    # plain and residual: the block's input (kept by linear1) and the ReLU's output (kept by the
    # ReLU and by linear2); the add keeps nothing, and its sum is the next block's input
    assert per_block("plain") == 2.0
    assert per_block("residual") == 2.0
    assert per_block("residual + LayerNorm") == pytest.approx(3 + 2 / 16)  # + LN's input, mean, rstd


def test_saved_tensors_per_block_and_the_act_before_addition_ablation():
    assert saved_tensors_per_block("plain", 16, batch_size=8) == 2.0
    assert saved_tensors_per_block("residual", 16, batch_size=8) == 2.0
    # a branch that ends in a ReLU: the ReLU keeps its output and the next block keeps the sum
    assert saved_tensors_per_block("plain", 16, batch_size=8, branch="act_before_addition") == 2.0
    assert saved_tensors_per_block("residual", 16, batch_size=8, branch="act_before_addition") == 3.0
    assert saved_tensors_per_block("residual + LayerNorm", 16, batch_size=8) == pytest.approx(3 + 2 / 16)
    assert saved_tensors_per_block("residual + LayerNorm", 16, batch_size=8, fused=False) > 3 + 2 / 16


def test_time_forward_backward_shapes():
    models = {"a": cost_model("plain", 8, 1), "b": cost_model("residual", 8, 1)}
    seconds = time_forward_backward(models, torch.randn(4, 8), repeats=2, rounds=3, warmup=0)
    assert set(seconds) == {"a", "b"}
    assert all(s.shape == (3,) and np.all(s > 0) for s in seconds.values())
    wall = time_forward_backward(models, torch.randn(4, 8), repeats=1, rounds=2, clock="wall")
    assert all(s.shape == (2,) and np.all(s > 0) for s in wall.values())


def test_run_cost_ratios():
    result = run_cost(widths=(8, 16), depth=2, batch_size=8, rounds=2, repeats=1)
    assert result.variants == list(VARIANTS)
    for variant in VARIANTS:
        assert result.flop_ratio[variant].shape == (2,)
        assert result.time_ratio[variant].shape == (2, 2)
        assert result.median_time_ratio(variant).shape == (2,)
    np.testing.assert_array_equal(result.flop_ratio["plain"], 1.0)
    np.testing.assert_array_equal(result.time_ratio["plain"], 1.0)
    np.testing.assert_array_equal(result.memory_ratio["residual"], 1.0)
    assert np.all(np.diff(result.flop_ratio["residual + LayerNorm"]) < 0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: cost_model("dense", 8, 2), ValueError, ["variant", "'plain'", "'residual + RMSNorm'"]),
        (lambda: cost_model("plain", 0, 2), ValueError, ["width", ">= 1"]),
        (lambda: cost_model("plain", 8, 2, fused=1), TypeError, ["fused", "True or False"]),
        (lambda: block_flops("residual", 2.5), TypeError, ["width", "integer"]),
        (lambda: forward_flops("plain", 8, 2, 0), ValueError, ["batch_size"]),
        (lambda: matmul_flops("model", torch.ones(1)), TypeError, ["model"]),
        (lambda: saved_activation_bytes(3, torch.ones(1)), TypeError, ["fn"]),
        (lambda: time_forward_backward({}, torch.ones(1)), ValueError, ["models"]),
        (lambda: time_forward_backward({"a": nn.Linear(1, 1)}, torch.ones(1), clock="cpu"), ValueError,
         ["clock", "'thread'", "'wall'"]),
        (lambda: run_cost(widths=()), ValueError, ["widths"]),
        (lambda: run_cost(widths=(8, -1)), ValueError, ["widths[1]"]),
        (lambda: run_cost(variants=("residual",)), ValueError, ["variants", "'plain'"]),
        (lambda: run_cost(seed=-1), ValueError, ["seed", ">= 0"]),
        (lambda: saved_tensors_per_block("plain", batch_size=0), ValueError, ["batch_size"]),
        (lambda: use_torch_norms(nn.Linear(2, 2)), TypeError, ["model", "DeepMLP"]),
        (lambda: use_torch_norms(DeepMLP(2, 8, norm="batch")), ValueError, ["norm", "'layer'", "'rms'"]),
        (lambda: saved_tensors_per_block("plain", branch="relu"), ValueError, ["branch", "'standard'"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

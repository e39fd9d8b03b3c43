"""The parallel block: its fused input projection, its serial twin, bad input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from resnorm.experiments.parallel_block import run_parallel_block
from resnorm.parallel_block import ParallelBlock


def test_parallel_block_is_the_formula():
    torch.manual_seed(0)
    block = ParallelBlock(8, 2, 16)
    x = torch.randn(2, 5, 8)
    h = F.layer_norm(x, (8,), block.norm.weight, block.norm.bias)
    attention = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    attention.load_state_dict(block.self_attn.state_dict())
    expected = x + attention(h, h, h, need_weights=False)[0] + block.linear2(F.relu(block.linear1(h)))
    torch.testing.assert_close(block(x), expected, atol=1e-5, rtol=1e-5)


def test_fused_projection_gives_the_same_output_and_gradients():
    torch.manual_seed(1)
    block = ParallelBlock(8, 2, 16)
    weight, bias = block.fused_input_weight()
    assert weight.shape == (3 * 8 + 16, 8) and bias.shape == (3 * 8 + 16,)
    x = torch.randn(3, 4, 8)
    torch.testing.assert_close(block.forward_fused(x), block(x), atol=1e-5, rtol=1e-5)
    block.forward_fused(x).sum().backward()
    fused_grad = block.linear1.weight.grad.clone()
    block.zero_grad()
    block(x).sum().backward()
    torch.testing.assert_close(fused_grad, block.linear1.weight.grad, atol=1e-5, rtol=1e-5)


def test_serial_twin_has_the_same_weights_and_a_different_function():
    torch.manual_seed(2)
    block = ParallelBlock(8, 2, 16)
    twin = block.serial_twin()
    torch.testing.assert_close(twin.norm2.weight, block.norm.weight)
    torch.testing.assert_close(twin.self_attn.in_proj_weight, block.self_attn.in_proj_weight)
    x = torch.randn(2, 5, 8)
    h = twin.norm1(x)
    a = twin.self_attn(h)
    torch.testing.assert_close(twin(x), x + a + twin.ffn(twin.norm2(x + a)))
    assert not torch.allclose(twin(x), block(x))


def test_run_parallel_block():
    r = run_parallel_block(d_model=8, n_heads=2, d_ff=16, seeds=[0, 1])
    assert r.fused_difference.shape == (2,) and np.all(r.fused_difference < 1e-5)
    assert np.all(r.serial_difference > 0.01)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: ParallelBlock(6, 4, 8), ValueError, ["d_model", "n_heads", "divisible"]),
        (lambda: ParallelBlock(0, 1, 8), ValueError, ["d_model", ">= 1"]),
        (lambda: ParallelBlock(8, 2, 16)(torch.ones(8)), ValueError, ["x", "(batch, seq, d_model)"]),
        (lambda: ParallelBlock(8, 2, 16).forward_fused(torch.ones(2, 8)), ValueError, ["x", "(batch, seq, d_model)"]),
        (lambda: run_parallel_block(seq_len=0), ValueError, ["seq_len", ">= 1"]),
        (lambda: run_parallel_block(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

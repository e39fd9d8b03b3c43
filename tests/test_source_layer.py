"""The source's Transformer layer against the correct ones: zero branches, stacks, the tuple."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm.data import sequence_task
from resnorm.experiments.init_gradients import first_blocks
from resnorm.experiments.source_layer import (
    multihead_attention_returns_a_tuple,
    position_spread,
    run_source_stack,
    zero_branch_outputs,
    zero_branches_,
)
from resnorm.models import TinyTransformer, TransformerBlock


def test_zero_branches_makes_both_branches_output_zero():
    torch.manual_seed(0)
    block = zero_branches_(TransformerBlock(8, 2, 16))
    x = torch.randn(2, 3, 8)
    assert torch.count_nonzero(block.attn(x)) == 0
    assert torch.count_nonzero(block.ffn(x)) == 0


def test_zero_branch_outputs_identity_normalised_input_and_zero():
    result = zero_branch_outputs(d_model=8, n_heads=2, d_ff=16, seed=1)
    torch.testing.assert_close(result.outputs["pre"], result.x, rtol=0, atol=0)
    twice = F.layer_norm(F.layer_norm(result.x, (8,)), (8,))
    torch.testing.assert_close(result.outputs["post"], twice)
    torch.testing.assert_close(result.layer_norm_of_input(2), twice)
    assert torch.count_nonzero(result.outputs["source"]) == 0
    assert result.relative_size("source") == 0.0
    assert result.max_difference("pre", result.x) == 0.0


def test_position_spread_is_zero_for_identical_positions_and_positive_otherwise():
    same = torch.randn(4, 1, 8).expand(4, 5, 8)
    assert position_spread(same) == pytest.approx(0.0, abs=1e-6)
    assert 0.5 < position_spread(torch.randn(4, 5, 8)) <= 1.0


def test_source_stack_loses_positions_and_correct_stacks_keep_them():
    result = run_source_stack(depths=(1, 4), d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    assert result.position_spread["source"].shape == (2, 2)
    assert np.all(result.position_spread["source"][:, 1] < 1e-2)
    assert np.all(result.position_spread["post"] > 0.5) and np.all(result.position_spread["pre"] > 0.5)
    again = run_source_stack(depths=(1, 4), d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    np.testing.assert_array_equal(result.embedding_grad["pre"], again.embedding_grad["pre"])


def test_source_stack_of_each_depth_is_the_prefix_of_one_deep_stack():
    result = run_source_stack(depths=(1, 3), placements=("source",), d_model=16, d_ff=32, seeds=[4],
                              n_examples=8)
    tokens, targets = sequence_task("reverse", 8, 8, 10, seed=4)
    torch.manual_seed(4)
    model = TinyTransformer(10, 3, 16, 4, 32, max_len=8, placement="source")
    for j, depth in enumerate((1, 3)):
        prefix = first_blocks(model, depth)
        prefix.zero_grad()
        F.cross_entropy(prefix(tokens).reshape(-1, 10), targets.reshape(-1)).backward()
        np.testing.assert_allclose(result.embedding_grad["source"][0, j],
                                   float(model.token_embedding.weight.grad.norm()), rtol=1e-4)


def test_pre_ln_without_its_residual_sums_loses_the_positions_too():
    result = run_source_stack(depths=(1, 4), placements=("pre", "pre_no_residual"), d_model=16, d_ff=32,
                              seeds=[0, 1], n_examples=8)
    assert set(result.embedding_grad) == {"pre", "pre_no_residual"}
    assert np.all(result.position_spread["pre_no_residual"][:, 1] < 1e-2)
    assert np.all(result.position_spread["pre"] > 0.5)


def test_multihead_attention_returns_a_tuple_that_dropout_rejects():
    kind, message = multihead_attention_returns_a_tuple()
    assert kind == "tuple"
    assert "tuple" in message
    out = nn.MultiheadAttention(8, 2, batch_first=True)(*(torch.zeros(1, 2, 8),) * 3)
    assert isinstance(out, tuple) and len(out) == 2


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: zero_branches_(nn.Linear(2, 2)), TypeError, ["block", "TransformerBlock"]),
        (lambda: zero_branch_outputs(seed=-1), ValueError, ["seed", ">= 0"]),
        (lambda: zero_branch_outputs(d_model=10, n_heads=3), ValueError, ["d_model", "n_heads"]),
        (lambda: zero_branch_outputs().max_difference("sandwich", torch.zeros(1)), ValueError,
         ["placement", "'post'", "'pre'", "'source'"]),
        (lambda: position_spread(torch.zeros(3, 4)), ValueError, ["h", "(batch, seq, d)"]),
        (lambda: run_source_stack(depths=()), ValueError, ["depths"]),
        (lambda: run_source_stack(depths=(0,)), ValueError, ["depths[0]", ">= 1"]),
        (lambda: run_source_stack(placements=("peri",)), ValueError, ["placement", "'source'", "'pre_no_residual'"]),
        (lambda: run_source_stack(placements=()), ValueError, ["placements"]),
        (lambda: run_source_stack(seeds=[]), ValueError, ["seeds"]),
    ],
)

def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

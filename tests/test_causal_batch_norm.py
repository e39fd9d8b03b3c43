"""BatchNorm in a causal Transformer: token BatchNorm, causal attention, the three measured effects."""

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.experiments.causal_batch_norm import SETTINGS, relative_change, run_causal_batch_norm
from resnorm.models import TinyTransformer, TokenBatchNorm, TransformerBlock

SMALL = dict(depth=1, d_model=8, n_heads=2, d_ff=16, batch_size=4, seq_len=5, n_pad=2, vocab_size=6,
             n_calibration=3)


@pytest.mark.parametrize("training", [True, False])
def test_token_batch_norm_equals_torch_batch_norm_over_the_sequence_axis(training):
    torch.manual_seed(0)
    x = torch.randn(4, 6, 8)
    ours, theirs = TokenBatchNorm(8), nn.BatchNorm1d(8)
    with torch.no_grad():
        ours.weight.uniform_(0.5, 1.5)
        ours.bias.uniform_(-1, 1)
    theirs.load_state_dict(ours.state_dict())
    ours(x), theirs(x.transpose(1, 2))  # one training step of the running statistics
    ours.train(training), theirs.train(training)
    expected = theirs(x.transpose(1, 2)).transpose(1, 2)
    torch.testing.assert_close(ours(x), expected)
    torch.testing.assert_close(ours.running_mean, theirs.running_mean)


def test_causal_attention_hides_later_positions():
    torch.manual_seed(0)
    block = TransformerBlock(8, 2, 16, placement="pre", causal=True)
    x = torch.randn(2, 5, 8)
    y = x.clone()
    y[:, -1] = torch.randn(2, 8)  # a different last token (a constant shift would be normalised away)
    assert torch.equal(block(x)[:, :-1], block(y)[:, :-1])
    torch.manual_seed(0)
    full = TransformerBlock(8, 2, 16, placement="pre")
    assert not torch.allclose(full(x)[:, :-1], full(y)[:, :-1])


def test_causal_and_batch_norm_options_are_checked():
    with pytest.raises(TypeError, match="causal must be True or False"):
        TransformerBlock(8, 2, 16, causal=1)
    with pytest.raises(ValueError) as info:
        TransformerBlock(8, 2, 16, norm="group")
    assert "'batch'" in str(info.value) and "'layer'" in str(info.value)
    model = TinyTransformer(6, 1, 8, 2, 16, norm="batch", causal=True)
    assert isinstance(model.final_norm, TokenBatchNorm) and model.blocks[0].self_attn.causal


def test_run_causal_batch_norm_shapes_and_what_it_measures():
    a = run_causal_batch_norm(seeds=[0, 1], **SMALL)
    b = run_causal_batch_norm(seeds=[0, 1], **SMALL)
    for label in SETTINGS:
        assert a.earlier_positions[label].shape == (2,)
        np.testing.assert_array_equal(a.padding[label], b.padding[label])
    train = "BatchNorm, training mode"
    assert np.all(a.earlier_positions[train] > 1e-3) and np.all(a.other_sequences[train] > 1e-3)
    assert np.all(a.padding[train] > 1e-3)
    for label in ("BatchNorm, eval mode", "LayerNorm"):
        assert np.all(a.earlier_positions[label] < 1e-6) and np.all(a.other_sequences[label] < 1e-6)
        assert np.all(a.padding[label] < 1e-6)
    assert np.all(a.eval_vs_training["batch"] > 1e-3) and np.all(a.alone_vs_in_batch["batch"] > 1e-3)
    assert np.all(a.eval_vs_training["layer"] < 1e-6) and np.all(a.alone_vs_in_batch["layer"] < 1e-6)
    assert (a.batch_size, a.seq_len, a.n_pad) == (4, 5, 2)


def test_relative_change():
    ref = torch.tensor([[1.0, -1.0], [1.0, -1.0]])
    assert relative_change(ref, ref) == 0.0
    assert relative_change(ref, ref + torch.tensor([[0.5, 0.0], [0.0, 0.0]])) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same shape"):
        relative_change(ref, ref[0])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(batch_size=1), ValueError, ["batch_size", ">= 2"]),
        (dict(seq_len=1), ValueError, ["seq_len", ">= 2"]),
        (dict(n_pad=0), ValueError, ["n_pad", ">= 1"]),
        (dict(vocab_size=2), ValueError, ["vocab_size", ">= 3"]),
        (dict(n_calibration=0), ValueError, ["n_calibration", ">= 1"]),
        (dict(depth=0), ValueError, ["depth", ">= 1"]),
        (dict(seeds=3), TypeError, ["seeds", "range(5)"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_causal_batch_norm(**kwargs)
    for word in words:
        assert word in str(info.value)

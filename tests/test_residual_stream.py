"""The residual stream: its states, its size per layer, and the Pre-LN growth."""

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.experiments.residual_stream import run_residual_stream, stream_rms, stream_states
from resnorm.models import TinyTransformer


def test_stream_states_start_at_the_embeddings_and_end_before_the_final_norm():
    torch.manual_seed(0)
    model = TinyTransformer(6, 3, 16, 4, 32, placement="pre", max_len=5)
    tokens = torch.randint(6, (2, 5))
    states = stream_states(model, tokens)
    assert len(states) == 4 and states[0].shape == (2, 5, 16)
    torch.testing.assert_close(states[0], model.token_embedding(tokens) + model.position_embedding.weight)
    torch.testing.assert_close(model.head(model.final_norm(states[-1])), model(tokens))
    assert stream_rms(model, tokens).shape == (4,)


def test_post_ln_stream_is_normalised_and_pre_ln_stream_grows():
    result = run_residual_stream(depth=8, d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    assert result.rms["pre"].shape == (2, 9) and result.relative_change["post"].shape == (2, 8)
    np.testing.assert_allclose(result.rms["post"][:, 1:], 1.0, atol=0.05)
    assert np.all(result.rms["pre"][:, -1] > 2 * result.rms["pre"][:, 1])
    assert np.all(result.growth_exponent("pre") > 0.2)
    assert np.all(np.abs(result.growth_exponent("post")) < 0.05)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_residual_stream(depth=1), ValueError, ["depth", ">= 2"]),
        (lambda: run_residual_stream(init="orthogonal"), ValueError, ["init", "'xiong'", "'default'"]),
        (lambda: run_residual_stream(placements=("mid",)), ValueError, ["placement", "'pre'"]),
        (lambda: run_residual_stream(placements=()), ValueError, ["placements"]),
        (lambda: run_residual_stream(seeds=[-1]), ValueError, ["seeds[0]"]),
        (lambda: stream_states(nn.Linear(2, 2), torch.zeros(1, 2, dtype=torch.long)), TypeError,
         ["model", "TinyTransformer"]),
        (lambda: stream_states(TinyTransformer(5, 1), torch.zeros(2, dtype=torch.long)), ValueError,
         ["tokens", "(batch, seq)"]),
        (lambda: run_residual_stream(depth=4, d_model=8, d_ff=8, seeds=[0], n_examples=2)
         .growth_exponent("pre", first_block=4), ValueError, ["first_block", "<= 3"]),
        (lambda: run_residual_stream(depth=4, d_model=8, d_ff=8, seeds=[0], n_examples=2)
         .growth_exponent("source"), ValueError, ["placement", "'pre'", "'post'"]),
    ],
)

def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

"""Our Post-LN and Pre-LN blocks equal torch.nn.TransformerEncoderLayer with the same weights."""

import pytest

from resnorm.experiments.encoder_layer_equality import compare_with_torch_encoder_layer


@pytest.mark.parametrize("placement, norm_first", [("post", False), ("pre", True)])
def test_matching_arrangements_are_equal(placement, norm_first):
    result = compare_with_torch_encoder_layer(placement, d_model=16, n_heads=2, d_ff=24, seed=3)
    assert result.norm_first is norm_first
    assert result.output_diff < 1e-5 and result.eval_output_diff < 1e-5
    assert result.input_grad_diff < 1e-4
    assert result.input_grad_scale > 0.1, "a read-out that LayerNorm does not make constant"
    assert result.relative_input_grad_diff < 1e-5
    assert result.n_parameters == 4 * 16 * 16 + 4 * 16 + 2 * 16 * 24 + 24 + 16 + 4 * 16


@pytest.mark.parametrize("placement, norm_first", [("post", True), ("pre", False), ("source", True)])
def test_other_wirings_of_the_same_weights_differ(placement, norm_first):
    result = compare_with_torch_encoder_layer(placement, norm_first=norm_first)
    assert result.output_diff > 0.1


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(placement="sandwich"), ValueError, ["placement", "'post'", "'pre'", "'source'"]),
        (dict(placement="post", norm_first="yes"), TypeError, ["norm_first", "True", "False", "None"]),
        (dict(placement="post", seed=-2), ValueError, ["seed", ">= 0"]),
        (dict(placement="post", d_model=10, n_heads=4), ValueError, ["d_model", "n_heads"]),
    ],
)

def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        compare_with_torch_encoder_layer(**kwargs)
    for word in words:
        assert word in str(info.value)

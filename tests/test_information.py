"""What LayerNorm discards, the loud-or-quiet task, and the Post-LN / Pre-LN models."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm.experiments.information import (MODELS, FinalNormMLP, InputNormMLP, PostLNMLP,
                                             discarded_statistics, make_model, remove_biases,
                                             run_scale_task, scale_task, stream_scale,
                                             what_layernorm_discards)
from resnorm.models import DeepMLP


def test_discarded_statistics_rebuild_the_input_from_torch_layer_norm():
    x = 2 * torch.randn(3, 5, 7) + 1
    mean, std = discarded_statistics(x)
    assert mean.shape == std.shape == (3, 5, 1)
    torch.testing.assert_close(mean + std * F.layer_norm(x, (7,), eps=0.0), x, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(std, x.std(-1, keepdim=True, unbiased=False))


def test_layernorm_ignores_scale_and_shift_of_each_vector_only():
    result = what_layernorm_discards(n=64, d=8, seed=1)
    assert result.change_per_vector < 1e-2
    assert result.change_per_feature > 1.0
    assert result.rebuild_error < 1e-5


def test_scale_task_labels_are_the_sign_of_the_log_scale():
    x, y, u = scale_task(500, 6, seed=2)
    assert x.shape == (500, 6) and y.shape == u.shape == (500,)
    assert y.dtype == torch.int64
    torch.testing.assert_close(y, (u > 0).long())
    assert 0.4 < y.float().mean() < 0.6
    # the scale is in the length: dividing out |x| leaves directions that do not depend on u
    torch.testing.assert_close(scale_task(500, 6, seed=2)[0], x)


def test_post_ln_mlp_is_the_post_ln_composition():
    torch.manual_seed(0)
    model = PostLNMLP(2, 8, in_features=3, out_features=2)
    x = torch.randn(4, 3)
    h = model.stem(x)
    for block, norm in zip(model.blocks, model.norms):
        branch = block.linear2(torch.relu(block.linear1(h)))  # the standard zero-mean branch, no norm
        h = nn.functional.layer_norm(h + branch, (8,), norm.weight, norm.bias, eps=1e-5)
    torch.testing.assert_close(model(x), model.head(h))
    # every token of the stream has norm sqrt(width) at initialisation (gain 1, bias 0)
    torch.testing.assert_close(model.stream(x).norm(dim=1), torch.full((4,), 8 ** 0.5), rtol=1e-4, atol=1e-4)


def test_make_model_builds_every_model():
    kinds = [type(make_model(label, 2, 8, in_features=4, out_features=2)) for label in MODELS]
    assert kinds == [InputNormMLP, PostLNMLP, PostLNMLP, DeepMLP, FinalNormMLP]
    input_norm = make_model(MODELS[0], 2, 8, in_features=4, out_features=2)
    x = torch.randn(5, 4)
    torch.testing.assert_close(input_norm(3 * x + 1), input_norm(x), rtol=1e-4, atol=1e-4)


def test_post_ln_and_pre_ln_models_have_the_same_parameters():
    post, pre = (make_model(label, 3, 8, in_features=4, out_features=2)
                 for label in ("Post-LN residual", "Pre-LN residual"))
    assert sum(p.numel() for p in post.parameters()) == sum(p.numel() for p in pre.parameters())


def test_final_norm_mlp_is_pre_ln_with_a_layer_norm_before_the_head():
    torch.manual_seed(0)
    model = FinalNormMLP(2, 8, in_features=3, out_features=2)
    x = torch.randn(4, 3)
    h = model.net.hidden_states(x)[-1]
    expected = model.net.head(nn.functional.layer_norm(h, (8,), eps=1e-5))
    torch.testing.assert_close(model(x), expected, rtol=1e-4, atol=1e-4)


def test_remove_biases_makes_post_ln_blind_to_the_input_scale():
    torch.manual_seed(0)
    model = make_model("Post-LN residual, no biases", 2, 8, in_features=4, out_features=2)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert linears and all(torch.all(m.bias == 0) and not m.bias.requires_grad for m in linears)
    x = torch.randn(5, 4)
    # every layer before each norm is positively homogeneous, so the output ignores the scale
    torch.testing.assert_close(model(7 * x), model(x), rtol=1e-4, atol=1e-4)
    with_biases = make_model("Post-LN residual", 2, 8, in_features=4, out_features=2)
    assert not torch.allclose(with_biases(7 * x), with_biases(x), atol=1e-3)


def test_stream_scale_post_ln_is_blind_and_pre_ln_follows():
    result = stream_scale(depth=1, width=8, n=128, seeds=[0, 1])
    assert result.log_scale.shape == result.log_norm["Post-LN residual"].shape == (2, 128)
    assert not np.array_equal(result.log_scale[0], result.log_scale[1]), "each seed draws its own inputs"
    np.testing.assert_array_equal(stream_scale(depth=1, width=8, n=128, seeds=[1]).log_scale[0],
                                  result.log_scale[1])
    assert np.all(np.abs(result.slope("Post-LN residual")) < 1e-3)
    assert np.all(result.slope("Pre-LN residual") > 0.2)


def test_run_scale_task_shapes():
    result = run_scale_task(depth=1, width=8, n_train=64, n_test=50, steps=3, batch_size=16, seeds=[0, 1],
                            models=MODELS[:2])
    assert set(result.test_accuracy) == set(MODELS[:2])
    assert result.test_accuracy[MODELS[0]].shape == (2,)
    assert result.losses[MODELS[1]].shape == (2, 3)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: discarded_statistics([1.0, 2.0]), TypeError, ["x", "(..., d)"]),
        (lambda: what_layernorm_discards(d=1), ValueError, ["d", ">= 2"]),
        (lambda: scale_task(0), ValueError, ["n_samples"]),
        (lambda: scale_task(10, max_log_scale=0.0), ValueError, ["max_log_scale", "> 0"]),
        (lambda: make_model("LN", 1, 4, in_features=2, out_features=2), ValueError, ["label", "'Pre-LN residual'"]),
        (lambda: run_scale_task(models=("BatchNorm",)), ValueError, ["models", "'Post-LN residual'"]),
        (lambda: stream_scale(seeds=[]), ValueError, ["seeds"]),
        (lambda: remove_biases("net"), TypeError, ["model", "torch.nn.Module"]),
        (lambda: stream_scale(n=1), ValueError, ["n", ">= 2"]),
        (lambda: run_scale_task(steps=0), ValueError, ["steps"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

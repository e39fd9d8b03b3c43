"""Gradients at initialisation (Xiong et al. 2020): the init, the per-example norms, the sweep."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm.experiments.init_gradients import (
    UNIT_SCALE_EMBEDDING_STD,
    block_outputs,
    first_blocks,
    init_transformer_,
    per_example_grad_norms,
    prefix_last_layer_gradients,
    run_init_gradients,
    run_stream_gradients,
    stream_gradient_norms,
)
from resnorm.models import TinyTransformer


def test_xiong_init_is_xavier_with_zero_biases_and_small_embeddings():
    torch.manual_seed(0)
    model = init_transformer_(TinyTransformer(10, 2, 32, 4, 64, placement="pre"), "xiong")
    for module in model.modules():
        if isinstance(module, nn.Linear):
            fan_out, fan_in = module.weight.shape
            assert module.weight.abs().max() <= (6 / (fan_in + fan_out)) ** 0.5
            assert torch.count_nonzero(module.bias) == 0
    assert torch.count_nonzero(model.blocks[0].self_attn.in_proj_bias) == 0
    std = model.token_embedding.weight.std().item()
    assert 0.015 < std < 0.025


def test_default_init_leaves_the_model_untouched():
    torch.manual_seed(0)
    model = TinyTransformer(10, 2, placement="post")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    init_transformer_(model, "default")
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key])


def test_per_example_norms_equal_one_backward_per_example():
    torch.manual_seed(0)
    model = TinyTransformer(7, 2, 16, 4, 32, placement="post", max_len=5)
    tokens = torch.randint(7, (4, 5))
    targets = torch.randint(7, (4, 5))
    names = ["blocks.0.linear1", "blocks.1.linear2", "blocks.1.self_attn.out_proj", "head"]
    fast = per_example_grad_norms(model, tokens, targets, names)
    assert fast.shape == (4, len(names))
    modules = dict(model.named_modules())
    for b in range(4):
        model.zero_grad()
        logits = model(tokens[b:b + 1])
        F.cross_entropy(logits.reshape(-1, 7), targets[b:b + 1].reshape(-1)).backward()
        slow = [modules[n].weight.grad.norm().item() for n in names]
        np.testing.assert_allclose(fast[b], slow, rtol=1e-4)


def test_first_blocks_shares_the_modules_and_leaves_the_model_whole():
    torch.manual_seed(0)
    model = TinyTransformer(7, 4, 16, 4, 32, placement="pre", max_len=5)
    prefix = first_blocks(model, 2)
    assert len(prefix.blocks) == 2 and len(model.blocks) == 4
    assert prefix.blocks[1] is model.blocks[1] and prefix.head is model.head
    tokens = torch.randint(7, (3, 5))
    x = model.token_embedding(tokens) + model.position_embedding(torch.arange(5))
    expected = model.head(model.final_norm(model.blocks[1](model.blocks[0](x))))
    torch.testing.assert_close(prefix(tokens), expected)
    states = block_outputs(model, tokens)
    assert len(states) == 5
    torch.testing.assert_close(model.head(model.final_norm(states[2])), expected)
    with pytest.raises(TypeError, match="TinyTransformer"):
        block_outputs(nn.Linear(2, 2), tokens)


def test_prefix_gradients_equal_those_of_each_prefix_on_its_own():
    torch.manual_seed(0)
    model = TinyTransformer(7, 4, 16, 4, 32, placement="post", max_len=5)
    tokens, targets = torch.randint(7, (3, 5)), torch.randint(7, (3, 5))
    last, profile, rms = prefix_last_layer_gradients(model, tokens, targets, (1, 3, 4), profile_depth=3)
    assert last.shape == (3, 3) and profile.shape == (3, 3) and rms.shape == (3,)
    for j, depth in enumerate((1, 3, 4)):
        names = [f"blocks.{l}.linear2" for l in range(depth)]
        direct = per_example_grad_norms(first_blocks(model, depth), tokens, targets, names)
        np.testing.assert_allclose(last[:, j], direct[:, -1], rtol=1e-4)
        if depth == 3:
            np.testing.assert_allclose(profile, direct, rtol=1e-4)
    np.testing.assert_allclose(rms, 1.0, atol=1e-3)  # Post-LN: each prefix ends with a LayerNorm
    with pytest.raises(ValueError, match="depths\\[0\\]"):
        prefix_last_layer_gradients(model, tokens, targets, (5,))


def test_run_init_gradients_shapes_repeatability_and_direction():
    kwargs = dict(depths=(2, 8), profile_depth=8, d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    a = run_init_gradients(**kwargs)
    b = run_init_gradients(**kwargs)
    assert a.last_layer["post"].shape == (2, 2) and a.per_layer["pre"].shape == (2, 8)
    np.testing.assert_array_equal(a.last_layer["pre"], b.last_layer["pre"])
    np.testing.assert_array_equal(a.per_layer["pre"][:, -1], a.last_layer["pre"][:, -1])
    assert a.slopes("pre").shape == (2,)
    assert np.all(a.slopes("pre") < a.slopes("post"))  # Pre-LN shrinks with depth, Post-LN does not
    assert a.median_slope("pre") < -0.2
    assert a.median_slope("post") == np.median(a.slopes("post"))  # the median of the seeds' own slopes


def test_init_gradients_record_the_stream_size_and_the_embedding_scale():
    kwargs = dict(depths=(2, 8), profile_depth=8, d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    small = run_init_gradients(**kwargs)
    unit = run_init_gradients(embedding_std=UNIT_SCALE_EMBEDDING_STD, **kwargs)
    assert small.embedding_std == 0.02 and unit.embedding_std == UNIT_SCALE_EMBEDDING_STD
    np.testing.assert_allclose(small.stream_rms["post"], 1.0, atol=1e-3)  # the last LN's output
    assert np.all(small.stream_rms["pre"][:, 1] > small.stream_rms["pre"][:, 0])  # grows with L
    assert np.all(unit.stream_rms["pre"][:, 0] > small.stream_rms["pre"][:, 0])  # the input adds to it
    # unit-scale inputs make the Pre-LN gradient shrink more slowly with depth (Lemma 2)
    assert np.all(unit.slopes("pre") > small.slopes("pre"))
    corrected = small.stream_corrected_slopes("pre")
    expected = [np.polyfit(np.log(small.depths), np.log(g * r), 1)[0]
                for g, r in zip(small.last_layer["pre"], small.stream_rms["pre"])]
    np.testing.assert_allclose(corrected, expected)


def test_without_the_final_norm_the_pre_ln_gradient_no_longer_shrinks_with_depth():
    kwargs = dict(depths=(2, 8), profile_depth=8, d_model=16, d_ff=32, seeds=[0, 1], n_examples=8,
                  placements=("pre",))
    with_norm = run_init_gradients(**kwargs)
    without = run_init_gradients(final_norm=False, **kwargs)
    assert with_norm.final_norm is None and without.final_norm is False
    assert np.all(without.slopes("pre") > with_norm.slopes("pre") + 0.3)
    np.testing.assert_array_equal(without.stream_rms["pre"], with_norm.stream_rms["pre"])  # same x_L


def test_stream_gradient_norms_equal_one_backward_per_example():
    torch.manual_seed(0)
    model = TinyTransformer(7, 2, 16, 4, 32, placement="pre", max_len=5)
    tokens, targets = torch.randint(7, (3, 5)), torch.randint(7, (3, 5))
    fast = stream_gradient_norms(model, tokens, targets)
    assert fast.shape == (3, 3)
    for b in range(3):
        x = (model.token_embedding(tokens[b:b + 1]) + model.position_embedding(torch.arange(5)))
        x = x.detach().requires_grad_(True)
        logits = model.head(model.final_norm(model.blocks[1](model.blocks[0](x))))
        F.cross_entropy(logits.reshape(-1, 7), targets[b:b + 1].reshape(-1)).backward()
        np.testing.assert_allclose(fast[b, 0], x.grad.norm().item(), rtol=1e-4)


def test_skip_path_is_an_identity_in_pre_ln_and_shrinks_the_gradient_in_post_ln():
    tokens, targets = torch.randint(7, (4, 5), generator=torch.Generator().manual_seed(1)), \
        torch.randint(7, (4, 5), generator=torch.Generator().manual_seed(2))
    for placement in ("pre", "post"):
        torch.manual_seed(0)
        model = TinyTransformer(7, 3, 16, 4, 32, placement=placement, max_len=5)
        skip = stream_gradient_norms(model, tokens, targets, "skip")
        if placement == "pre":
            np.testing.assert_allclose(skip[:, 0], skip[:, -1], rtol=1e-6)
        else:
            assert np.all(skip[:, 0] < skip[:, -1])
    result = run_stream_gradients(depths=(2, 4), d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    assert result.grads[("post", "all")][4].shape == (2, 5)
    np.testing.assert_allclose(result.input_over_output("pre", "skip", 4), 1.0, rtol=1e-5)
    assert np.all(result.input_over_output("post", "skip", 4) < result.input_over_output("post", "skip", 2))
    again = run_stream_gradients(depths=(2, 4), d_model=16, d_ff=32, seeds=[0, 1], n_examples=8)
    np.testing.assert_array_equal(again.grads[("post", "all")][2], result.grads[("post", "all")][2])


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda r: r.input_over_output("source", "all", 2), ["placement", "'post'", "'pre'"]),
        (lambda r: r.input_over_output("post", "branch", 2), ["path", "'all'", "'skip'"]),
        (lambda r: r.input_over_output("post", "all", 3), ["depth", "2"]),
    ],
)
def test_stream_gradient_result_bad_input_names_the_argument(call, words):
    result = run_stream_gradients(depths=(2,), d_model=8, d_ff=8, n_heads=2, seeds=[0], n_examples=2)
    with pytest.raises(ValueError) as info:
        call(result)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_init_gradients(init="kaiming"), ValueError, ["init", "'xiong'", "'default'"]),
        (lambda: run_init_gradients(final_norm=1), TypeError, ["final_norm", "None, True or False"]),
        (lambda: run_init_gradients(depths=(2, 4), profile_depth=3), ValueError, ["profile_depth", "2, 4"]),
        (lambda: run_init_gradients(depths=(4,)), ValueError, ["depths", "two"]),
        (lambda: run_init_gradients(depths=(2, 0)), ValueError, ["depths[1]", ">= 1"]),
        (lambda: run_init_gradients(placements=("middle",)), ValueError, ["placement", "'post'", "'pre'"]),
        (lambda: run_init_gradients(placements=()), ValueError, ["placements"]),
        (lambda: run_init_gradients(seeds=3), TypeError, ["seeds", "range(5)"]),
        (lambda: run_init_gradients(n_examples=0), ValueError, ["n_examples", ">= 1"]),
        (lambda: run_init_gradients(embedding_std=0), ValueError, ["embedding_std", "> 0"]),
        (lambda: run_stream_gradients(depths=()), ValueError, ["depths"]),
        (lambda: run_stream_gradients(depths=(2, 2)), ValueError, ["depths", "each once"]),
        (lambda: run_stream_gradients(depths=(0,)), ValueError, ["depths[0]", ">= 1"]),
        (lambda: run_stream_gradients(placements=("middle",)), ValueError, ["placement", "'post'"]),
        (lambda: run_stream_gradients(placements=()), ValueError, ["placements"]),
        (lambda: run_stream_gradients(paths=("branch",)), ValueError, ["path", "'all'", "'skip'"]),
        (lambda: run_stream_gradients(paths=()), ValueError, ["paths"]),
        (lambda: run_stream_gradients(embedding_std=-1.0), ValueError, ["embedding_std", "> 0"]),
        (lambda: run_stream_gradients(seeds=3), TypeError, ["seeds", "range(5)"]),
        (lambda: run_stream_gradients(n_examples=0), ValueError, ["n_examples", ">= 1"]),
        (lambda: stream_gradient_norms(nn.Linear(2, 2), torch.zeros(2, 3, dtype=torch.long),
                                       torch.zeros(2, 3, dtype=torch.long)), TypeError, ["model", "TinyTransformer"]),
        (lambda: stream_gradient_norms(TinyTransformer(5, 1), torch.zeros(2, 3, dtype=torch.long),
                                       torch.zeros(2, 3, dtype=torch.long), "branch"), ValueError, ["path", "'skip'"]),
        (lambda: stream_gradient_norms(TinyTransformer(5, 1), torch.zeros(2, 3, dtype=torch.long),
                                       torch.zeros(2, 4, dtype=torch.long)), ValueError, ["tokens", "(batch, seq)"]),
        (lambda: init_transformer_(nn.Linear(2, 2)), TypeError, ["model", "TinyTransformer"]),
        (lambda: init_transformer_(TinyTransformer(5, 1), "xavier"), ValueError, ["init", "'xiong'"]),
        (lambda: init_transformer_(TinyTransformer(5, 1), embedding_std=0.0), ValueError, ["embedding_std", "> 0"]),
        (lambda: per_example_grad_norms(TinyTransformer(5, 1), torch.zeros(2, 3, dtype=torch.long),
                                        torch.zeros(2, 3, dtype=torch.long), ["blocks.0.norm1"]),
         ValueError, ["layer_names", "nn.Linear"]),
        (lambda: per_example_grad_norms(TinyTransformer(5, 1), torch.zeros(2, 3, dtype=torch.long),
                                        torch.zeros(2, 4, dtype=torch.long), ["head"]),
         ValueError, ["tokens", "targets", "(batch, seq)"]),
        (lambda: per_example_grad_norms(TinyTransformer(5, 1), torch.zeros(2, 3, dtype=torch.long),
                                        torch.zeros(2, 3, dtype=torch.long), []),
         ValueError, ["layer_names"]),
    ],
)

def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

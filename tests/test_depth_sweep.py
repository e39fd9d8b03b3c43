"""The depth sweep and the per-layer statistics it is built on: shapes, agreement, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.depth_sweep import FOUR_WAYS, run_depth_sweep, stream_mean_share
from resnorm.experiments.gradient_flow import mlp_grad_norms, mlp_layer_stats

CONFIGS = {"plain": {}, "res+ln": {"residual": True, "norm": "layer"}}


def test_layer_stats_gradients_equal_mlp_grad_norms():
    stats = mlp_layer_stats(CONFIGS, depth=5, width=8, seeds=[0, 1], batch_size=16)
    reference = mlp_grad_norms(CONFIGS, depth=5, width=8, seeds=[0, 1], batch_size=16)
    assert stats.grads.layer_names == reference.layer_names
    for label in CONFIGS:
        np.testing.assert_allclose(stats.grads.values[label], reference.values[label], rtol=1e-5)


def test_layer_stats_activations_are_the_rms_of_each_hidden_state():
    stats = mlp_layer_stats({"res": {"residual": True}}, depth=3, width=8, seeds=[4], batch_size=16)
    assert stats.activations.layer_names == ["stem", "blocks.0", "blocks.1", "blocks.2"]
    assert stats.activations.values["res"].shape == (1, 4)
    from resnorm.models import DeepMLP

    x = torch.randn(16, 8, generator=torch.Generator().manual_seed(4))
    torch.manual_seed(4)
    states = DeepMLP(3, 8, out_features=10, residual=True).hidden_states(x)
    expected = [s.pow(2).mean().sqrt().item() for s in states]
    np.testing.assert_allclose(stats.activations.values["res"][0], expected, rtol=1e-6)
    np.testing.assert_allclose(stats.activation_growth("res"), [expected[-1] / expected[0]], rtol=1e-6)


def test_layer_stats_norms_do_not_underflow_to_zero():
    # 70 plain blocks: the first block's gradient entries are ~1e-29, their float32 squares are 0
    stats = mlp_layer_stats({"plain": {}}, depth=70, seeds=[0])
    assert 0 < stats.grads.blocks("plain")[0, 0] < 1e-20
    grads = mlp_grad_norms({"plain": {}}, depth=70, seeds=[0])
    np.testing.assert_array_equal(grads.values["plain"], stats.grads.values["plain"])


def test_depth_sweep_shapes_and_contents():
    result = run_depth_sweep(CONFIGS, depths=(2, 4), width=8, seeds=[0, 1, 2], batch_size=16)
    np.testing.assert_array_equal(result.depths, [2, 4])
    for table in (result.first_to_last, result.last_grad, result.activation_growth):
        assert set(table) == set(CONFIGS) and table["plain"].shape == (3, 2)
    assert set(result.per_layer) == {2, 4}
    per_layer = result.per_layer[4]
    np.testing.assert_allclose(result.first_to_last["plain"][:, 1], per_layer.grads.first_to_last_ratio("plain"))
    np.testing.assert_allclose(result.activation_growth["res+ln"][:, 1], per_layer.activation_growth("res+ln"))
    assert result.at_depth(4) == 1


def test_depth_sweep_reproduces_the_notebook_claims_at_small_scale():
    result = run_depth_sweep(FOUR_WAYS, depths=(20,), width=32, seeds=[0, 1, 2], batch_size=64)
    assert np.all(result.first_to_last["plain"] < 1e-4)
    assert np.all(result.first_to_last["residual"] > 1e-2)
    assert np.all(result.activation_growth["residual"] > 5 * result.activation_growth["residual + LayerNorm"])


def test_stream_mean_share():
    relu = stream_mean_share("relu", depth=20, width=32, seeds=[0, 1])
    tanh = stream_mean_share("tanh", depth=20, width=32, seeds=[0, 1])
    assert relu.shape == (2,) and np.all((0 <= tanh) & (tanh <= 1))
    assert np.all(relu > 0.8) and np.all(tanh < 0.2)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_depth_sweep(CONFIGS, depths=[]), ValueError, ["depths"]),
        (lambda: run_depth_sweep(CONFIGS, depths=5), TypeError, ["depths", "sequence"]),
        (lambda: run_depth_sweep(CONFIGS, depths=[1, 3]), ValueError, ["depths[0]", ">= 2"]),
        (lambda: run_depth_sweep(CONFIGS, depths=[3, 3]), ValueError, ["depths", "repeat"]),
        (lambda: run_depth_sweep(CONFIGS, depths=[2], seeds=[]), ValueError, ["seeds"]),
        (lambda: run_depth_sweep({}, depths=[2]), ValueError, ["configs"]),
        (lambda: run_depth_sweep(CONFIGS, depths=[2], width=8).at_depth(7), ValueError, ["depth must be one of", "2"]),
        (lambda: mlp_layer_stats({}), ValueError, ["configs"]),
        (lambda: mlp_layer_stats(CONFIGS, depth=0), ValueError, ["depth"]),
        (lambda: mlp_layer_stats(CONFIGS, batch_size=1), ValueError, ["batch_size"]),
        (lambda: stream_mean_share("sigmoid"), ValueError, ["activation", "'relu'"]),
        (lambda: stream_mean_share(depth=0), ValueError, ["depth"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

"""The residual stream's growth and the per-state gradients it is measured with: shapes,
agreement with a direct computation, the product formula, bad input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from resnorm.experiments.gradient_flow import (
    PLAIN_NORM_ABLATION,
    mlp_grad_norms,
    mlp_layer_stats,
    random_batch,
    zero_linear_biases,
)
from resnorm.experiments.stream_growth import (
    BRANCH_MEAN_ABLATION,
    INIT_CONFIGS,
    STREAM_CONFIGS,
    ZERO_INIT_ABLATION,
    DepthSweepResult,
    StreamGrowthResult,
    growth_with_depth,
    mean_pairwise_cosine,
    run_stream_growth,
)
from resnorm.models import DeepMLP

CONFIGS = {"plain": {}, "res+ln": {"residual": True, "norm": "layer"}}


def test_layer_stats_gradients_equal_mlp_grad_norms():
    stats = mlp_layer_stats(CONFIGS, depth=5, width=8, seeds=[0, 1], batch_size=16)
    reference = mlp_grad_norms(CONFIGS, depth=5, width=8, seeds=[0, 1], batch_size=16)
    assert stats.grads.layer_names == reference.layer_names
    assert stats.grads.layer_names[1:3] == ["blocks.0.linear1", "blocks.0.linear2"]
    for label in CONFIGS:
        np.testing.assert_allclose(stats.grads.values[label], reference.values[label], rtol=1e-5)


def _direct(seed, depth=3, width=8, batch_size=16, **kwargs):
    x, y = random_batch(seed, batch_size=batch_size, width=width, n_classes=10)
    torch.manual_seed(seed)
    model = DeepMLP(depth, width, out_features=10, **kwargs)
    states = model.hidden_states(x)
    for s in states:
        s.retain_grad()
    F.cross_entropy(model.head(states[-1]), y).backward()
    return states


def test_layer_stats_activations_and_state_gradients_match_a_direct_computation():
    stats = mlp_layer_stats({"res": {"residual": True}}, depth=3, width=8, seeds=[4], batch_size=16)
    assert stats.activations.layer_names == ["stem", "blocks.0", "blocks.1", "blocks.2"]
    assert stats.state_grads.layer_names == stats.activations.layer_names
    assert stats.activations.values["res"].shape == (1, 4)
    states = _direct(4, residual=True)
    rms = [s.pow(2).mean().sqrt().item() for s in states]
    grad_norms = [s.grad.norm().item() for s in states]
    np.testing.assert_allclose(stats.activations.values["res"][0], rms, rtol=1e-6)
    np.testing.assert_allclose(stats.activation_growth("res"), [rms[-1] / rms[0]], rtol=1e-6)
    np.testing.assert_allclose(stats.state_grads.values["res"][0], grad_norms, rtol=1e-5)


def test_random_batch_is_seeded_and_leaves_the_global_state_alone():
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    x, y = random_batch(7, batch_size=5, width=3, n_classes=4)
    assert torch.equal(torch.random.get_rng_state(), before)
    x2, y2 = random_batch(7, batch_size=5, width=3, n_classes=4)
    assert x.shape == (5, 3) and torch.equal(x, x2) and torch.equal(y, y2) and y.max() < 4
    with pytest.raises(ValueError, match="seed"):
        random_batch(-1, batch_size=5, width=3, n_classes=4)


def test_per_block_factor():
    stats = mlp_layer_stats({"plain": {}}, depth=6, width=16, seeds=[0], batch_size=16)
    blocks = stats.state_grads.blocks("plain")
    np.testing.assert_allclose(stats.state_grads.per_block_factor("plain"),
                               (blocks[:, 0] / blocks[:, -1]) ** (1 / 5))
    one = mlp_layer_stats({"plain": {}}, depth=1, width=4, seeds=[0], batch_size=4).state_grads
    with pytest.raises(ValueError, match="at least two block columns"):
        one.per_block_factor("plain")


def test_layer_stats_norms_do_not_underflow_to_zero():
    # 30 plain blocks: dL/dh at the first block is ~1e-19 of the last, squares below float32's range
    stats = mlp_layer_stats({"plain": {}}, depth=30, seeds=[0])
    first = stats.state_grads.blocks("plain")[0, 0]
    assert 0 < first < 1e-15


def test_plain_gradient_shrinks_by_the_derived_factor():
    # Linear(var 1/(3n)) -> ReLU -> Linear(var 1/(3n)): mean square x 1/3 * 1/2 * 1/3 per block
    stats = mlp_layer_stats({"plain": {}, "res": {"residual": True}}, depth=20, width=64, seeds=[0, 1])
    np.testing.assert_allclose(stats.state_grads.per_block_factor("plain"), np.sqrt(1 / 18), rtol=0.1)
    np.testing.assert_allclose(stats.state_grads.per_block_factor("res"), np.sqrt(19 / 18), rtol=0.02)


def test_stream_growth_matches_a_direct_computation():
    result = run_stream_growth({"he": dict(residual=True, init="he")}, depth=4, width=8, seeds=[3], batch_size=16)
    states = _direct(3, depth=4, residual=True, init="he")
    ms = [s.detach().double().pow(2).mean().item() for s in states]
    np.testing.assert_allclose(result.stream_ms["he"][0], ms, rtol=1e-5)
    np.testing.assert_allclose(result.growth("he")[0], np.sqrt(np.array(ms) / ms[0]), rtol=1e-5)
    np.testing.assert_allclose(result.state_grads["he"][0], [s.grad.norm().item() for s in states], rtol=1e-5)
    branch = np.array(ms[1:]) - np.array(ms[:-1])  # E[x'^2] - E[x^2] = E[F^2] + 2 E[x F]
    assert result.branch_ms["he"].shape == (1, 4) and np.all(result.branch_ms["he"] > 0)
    cross = branch - result.branch_ms["he"][0]
    assert np.all(np.abs(cross) < result.branch_ms["he"][0])


def test_cross_term_and_mean_cosine_match_a_direct_computation():
    result = run_stream_growth({"d": dict(residual=True)}, depth=3, width=8, seeds=[2], batch_size=16)
    torch.manual_seed(2)
    model = DeepMLP(3, 8, out_features=10, residual=True)
    x, _ = random_batch(2, batch_size=16, width=8, n_classes=10)
    h = model.stem(x).detach()
    cross, cosines = [], [mean_pairwise_cosine(h)]
    for block in model.blocks:
        f = block.branch(h).detach()
        cross.append((2 * (h * f).mean() / h.pow(2).mean()).item())
        h = h + f
        cosines.append(mean_pairwise_cosine(h))
    np.testing.assert_allclose(result.cross_term("d")[0], cross, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(result.mean_cosine["d"][0], cosines, rtol=1e-6)
    assert result.mean_cosine["d"].shape == (1, 4)


def test_mean_pairwise_cosine():
    same = torch.ones(5, 3)
    assert mean_pairwise_cosine(same) == pytest.approx(1.0)
    assert mean_pairwise_cosine(torch.tensor([[1.0, 0.0], [-1.0, 0.0]])) == pytest.approx(-1.0)
    assert mean_pairwise_cosine(torch.eye(4)) == pytest.approx(0.0)
    rows = F.normalize(torch.randn(6, 4, generator=torch.Generator().manual_seed(0)).double(), dim=1)
    gram = rows @ rows.T
    expected = (gram.sum() - gram.trace()) / 30
    assert mean_pairwise_cosine(rows) == pytest.approx(expected.item(), rel=1e-9)
    assert mean_pairwise_cosine(rows).shape == () and mean_pairwise_cosine(rows).dtype == torch.float64
    for bad in (torch.ones(1, 3), torch.ones(3), torch.ones(2, 1, 3), [[1.0, 0.0], [0.0, 1.0]]):
        with pytest.raises(ValueError, match=r"h must be a \(\.\.\., batch, width\) tensor with batch >= 2"):
            mean_pairwise_cosine(bad)


def test_mean_pairwise_cosine_of_several_states_is_the_one_of_each():
    h = torch.randn(2, 3, 6, 4, generator=torch.Generator().manual_seed(1))
    batched = mean_pairwise_cosine(h)
    assert batched.shape == (2, 3)
    expected = [[mean_pairwise_cosine(state).item() for state in states] for states in h]
    np.testing.assert_allclose(batched.numpy(), expected, rtol=1e-12)


def test_cross_term_zscore_is_the_mean_over_its_standard_error():
    stream = np.array([[1.0, 2.0, 3.5, 5.0]])
    branch = np.array([[0.8, 1.0, 1.8]])
    result = StreamGrowthResult(3, {"a": stream}, {"a": branch}, {"a": np.ones((1, 4))}, {"a": np.zeros((1, 4))})
    cross = np.array([0.2 / 1.0, 0.5 / 2.0, -0.3 / 3.5])
    np.testing.assert_allclose(result.cross_term("a")[0], cross)
    np.testing.assert_allclose(result.cross_term_zscore("a"), [cross.mean() / (cross.std(ddof=1) / np.sqrt(3))])
    one_block = StreamGrowthResult(1, {"a": stream[:, :2]}, {"a": branch[:, :1]}, {}, {})
    with pytest.raises(ValueError, match="depth >= 2"):
        one_block.cross_term_zscore("a")
    with pytest.raises(ValueError, match="label must be one of"):
        result.cross_term_zscore("b")


def test_growth_with_depth_collects_each_run_and_the_exponent_tells_geometric_from_bounded():
    runs = [run_stream_growth(INIT_CONFIGS, depth=d, width=32, seeds=[0, 1], batch_size=32) for d in (8, 16, 32)]
    sweep = growth_with_depth(runs)
    assert sweep.depths == (8, 16, 32) and list(sweep.growth) == list(INIT_CONFIGS)
    for j, run in enumerate(runs):
        np.testing.assert_allclose(sweep.growth["He init"][:, j], run.growth("He init")[:, -1])
        np.testing.assert_allclose(sweep.gradient_growth["He init"][:, j], run.gradient_growth("He init"))
    assert np.all(np.abs(sweep.depth_exponent("He init") - 1) < 0.2)
    assert np.all(np.abs(sweep.depth_exponent("He init, branch x 1/sqrt(2L)")) < 0.3)
    assert list(growth_with_depth(runs, ["He init"]).growth) == ["He init"]


def test_depth_exponent_of_exact_curves():
    depths = (10, 20, 40)
    geometric = np.array([[1.1 ** d for d in depths]])
    power = np.exp(np.sqrt(depths))[None, :]
    sweep = DepthSweepResult(depths, {"g": geometric, "p": power, "one": np.ones((1, 3))}, {})
    np.testing.assert_allclose(sweep.depth_exponent("g"), [1.0])
    np.testing.assert_allclose(sweep.depth_exponent("p"), [0.5])
    with pytest.raises(ValueError, match="growth above 1"):
        sweep.depth_exponent("one")
    with pytest.raises(ValueError, match="label must be one of"):
        sweep.depth_exponent("x")


def test_zero_init_ablation_starts_at_the_identity():
    stats = mlp_layer_stats(ZERO_INIT_ABLATION, depth=6, width=16, seeds=[0], batch_size=16)
    zeroed = "He init, last layer zeroed"
    assert np.all(stats.activation_growth(zeroed) == 1)
    assert np.all(stats.state_grads.values[zeroed][:, 0] == stats.state_grads.values[zeroed][:, -1])
    assert np.all(stats.activation_growth("He init") > 2)


def test_zero_biases_keeps_the_weights_and_zeroes_every_linear_bias():
    torch.manual_seed(0)
    model = DeepMLP(3, 8, residual=True, norm="layer")
    weights = {name: p.clone() for name, p in model.named_parameters() if name.endswith("weight")}
    assert zero_linear_biases(model) is model
    for name, p in model.named_parameters():
        if name.endswith("weight"):
            assert torch.equal(p, weights[name])
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            assert torch.count_nonzero(module.bias) == 0
    stats = mlp_layer_stats({"p": dict(norm="layer")}, depth=3, width=8, seeds=[1], batch_size=8, zero_biases=True)
    x, y = random_batch(1, batch_size=8, width=8, n_classes=10)
    torch.manual_seed(1)
    reference = zero_linear_biases(DeepMLP(3, 8, out_features=10, norm="layer"))
    states = reference.hidden_states(x)
    rms = [s.pow(2).mean().sqrt().item() for s in states]
    np.testing.assert_allclose(stats.activations.values["p"][0], rms, rtol=1e-6)


def test_norm_removing_a_mean_makes_a_plain_net_grow_and_rmsnorm_does_not():
    stats = mlp_layer_stats(PLAIN_NORM_ABLATION, depth=20, seeds=[0, 1], zero_biases=True).state_grads
    mean_removal = 1 / np.sqrt(1 - 1 / np.pi)
    for label in ("block ends in a ReLU", "BatchNorm, ReLU inside the branch"):
        np.testing.assert_allclose(stats.per_block_factor(label), mean_removal, rtol=0.1)
    np.testing.assert_allclose(stats.per_block_factor("RMSNorm, block ends in a ReLU"), 1.0, atol=0.06)


def test_predicted_growth_is_the_cumulative_product():
    result = run_stream_growth({"d": dict(residual=True)}, depth=3, width=8, seeds=[0, 1], batch_size=8)
    ratio = result.branch_ratio("d")
    predicted = result.predicted_growth("d")
    assert predicted.shape == (2, 4)
    np.testing.assert_allclose(predicted[:, 0], 1.0)
    np.testing.assert_allclose(predicted[:, -1], np.sqrt(np.prod(1 + ratio, axis=1)))
    error = result.formula_error_per_block("d")
    np.testing.assert_allclose(error, (result.growth("d")[:, -1] / predicted[:, -1]) ** (1 / 3) - 1)


def test_growth_depends_on_the_initialisation_and_the_formula_needs_a_zero_mean_branch():
    result = run_stream_growth({**STREAM_CONFIGS, **BRANCH_MEAN_ABLATION}, depth=40, width=64, seeds=[0, 1])
    final = {label: result.growth(label)[:, -1] for label in result.stream_ms}
    assert np.all(final["He init"] > 1e4) and np.all(final["He init, branch x 1/sqrt(2L)"] < 1.5)
    assert np.all(final["default init"] < 10) and np.all(final["He init + LayerNorm"] < 10)
    for label in (*STREAM_CONFIGS, "tanh before addition"):  # zero-mean branches: the cross terms average out
        assert np.all(np.abs(result.cross_term_zscore(label)) < 4), label
    assert np.all(result.cross_term_zscore("ReLU before addition") > 10)
    assert np.all(result.formula_error_per_block("ReLU before addition") > 0.04)
    assert np.all(result.gradient_growth("He init") > 1e4)


def _tiny(depth):
    return run_stream_growth({"d": dict(residual=True)}, depth=depth, width=4, seeds=[0], batch_size=4)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_stream_growth({}), ValueError, ["configs"]),
        (lambda: run_stream_growth({"p": {}}), ValueError, ["configs['p']", "residual=True"]),
        (lambda: run_stream_growth({"h": dict(residual=True, shortcut_scale=0.5)}), ValueError, ["shortcut_scale=1.0"]),
        (lambda: run_stream_growth(depth=0), ValueError, ["depth", ">= 1"]),
        (lambda: run_stream_growth(seeds=[]), ValueError, ["seeds"]),
        (lambda: run_stream_growth(seeds=3), TypeError, ["seeds", "range(5)"]),
        (lambda: run_stream_growth(batch_size=1), ValueError, ["batch_size"]),
        (lambda: run_stream_growth({"d": dict(residual=True)}, depth=2, width=4, seeds=[0],
                                   batch_size=4).growth("x"), ValueError, ["label must be one of", "'d'"]),
        (lambda: growth_with_depth([]), ValueError, ["runs", "at least two"]),
        (lambda: growth_with_depth([_tiny(4), _tiny(2)]), ValueError, ["increasing depth", "(4, 2)"]),
        (lambda: growth_with_depth([_tiny(2), _tiny(4)], ["x"]), ValueError, ["labels", "'d'"]),
        (lambda: mlp_layer_stats({}), ValueError, ["configs"]),
        (lambda: mlp_layer_stats(CONFIGS, depth=0), ValueError, ["depth"]),
        (lambda: mlp_layer_stats(CONFIGS, batch_size=1), ValueError, ["batch_size"]),
        (lambda: mlp_layer_stats(CONFIGS, zero_biases="yes"), TypeError, ["zero_biases", "True or False"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

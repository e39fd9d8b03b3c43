"""Training curves of the degradation experiment: same data and batches per seed, repeatable, checked input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from resnorm.data import teacher_classification
from resnorm.experiments.degradation import TrainingCurves, initial_gradient_ratio, minibatches, run_degradation
from resnorm.models import DeepMLP
from resnorm.training import train

SMALL = {"shallow": dict(depth=2, norm="batch"), "deep res": dict(depth=4, residual=True, norm="batch")}


def test_minibatches_walk_through_seeded_epochs():
    x, y = torch.arange(10.0)[:, None], torch.arange(10)
    batches = minibatches(x, y, batch_size=4, steps=5, seed=3)
    again = minibatches(x, y, batch_size=4, steps=5, seed=3)
    first_epoch = torch.cat([batches(0)[1], batches(1)[1]])
    assert len(set(first_epoch.tolist())) == 8  # no example twice within an epoch
    for step in range(5):
        assert torch.equal(batches(step)[0], again(step)[0])
        assert torch.equal(batches(step)[0][:, 0].long(), batches(step)[1])
    assert not torch.equal(minibatches(x, y, batch_size=4, steps=5, seed=4)(0)[1], batches(0)[1])


def test_run_degradation_shapes_and_repeatability():
    kwargs = dict(steps=6, n_samples=64, batch_size=16, width=8, seeds=[0, 1])
    a, b = run_degradation(SMALL, **kwargs), run_degradation(SMALL, **kwargs)
    assert set(a.losses) == set(SMALL)
    for label in SMALL:
        assert a.losses[label].shape == (2, 6)
        np.testing.assert_array_equal(a.losses[label], b.losses[label])
        np.testing.assert_allclose(a.final(label, window=2), a.losses[label][:, -2:].mean(axis=1))
    assert np.all(np.isfinite(a.losses["shallow"]))


def test_initial_gradient_ratio_is_dl_dh_first_over_last_on_the_first_minibatch():
    kwargs = dict(width=8, n_samples=64, batch_size=16, seeds=[3])
    ratios = initial_gradient_ratio(SMALL, **kwargs)
    assert set(ratios) == set(SMALL) and ratios["shallow"].shape == (1,)
    x, y = teacher_classification(64, 16, 4, seed=3)
    inputs, targets = minibatches(x, y, batch_size=16, steps=1, seed=3)(0)
    torch.manual_seed(3)
    model = DeepMLP(width=8, in_features=16, out_features=4, **SMALL["deep res"])
    states = model.hidden_states(inputs)
    for s in states:
        s.retain_grad()
    F.cross_entropy(model.head(states[-1]), targets).backward()
    expected = (states[1].grad.norm() / states[-1].grad.norm()).item()
    np.testing.assert_allclose(ratios["deep res"], [expected], rtol=1e-5)


def test_plain_batchnorm_gradient_explodes_at_init_and_layernorm_does_not():
    configs = {"bn": dict(depth=20, norm="batch"), "ln": dict(depth=20, norm="layer")}
    ratios = initial_gradient_ratio(configs, seeds=[0, 1])
    assert np.all(ratios["bn"] > 10) and np.all(ratios["ln"] < 2)


def test_run_degradation_trains_each_config_like_train_would():
    curves = run_degradation({"net": dict(depth=3)}, steps=4, n_samples=32, batch_size=8, width=8, seeds=[5])
    x, y = teacher_classification(32, 16, 4, seed=5)
    torch.manual_seed(5)
    model = DeepMLP(3, 8, in_features=16, out_features=4)
    expected = train(model, minibatches(x, y, batch_size=8, steps=4, seed=5), steps=4, lr=1e-2, fused=True)
    np.testing.assert_array_equal(curves.losses["net"][0], expected.losses)


def test_merged_and_final():
    a = TrainingCurves({"a": np.ones((2, 5))})
    b = TrainingCurves({"b": np.zeros((2, 5))})
    assert set(a.merged(b).losses) == {"a", "b"}
    with pytest.raises(ValueError, match="other must not repeat a label"):
        a.merged(a)
    with pytest.raises(ValueError, match="label must be one of 'a'"):
        a.final("b")
    with pytest.raises(ValueError, match="window must be <= 5"):
        a.final("a", window=6)


def test_fused_training_matches_the_default_optimizer():
    x, y = torch.randn(32, 8, generator=torch.Generator().manual_seed(0)), torch.arange(32) % 3
    results = []
    for fused in (False, True):
        torch.manual_seed(0)
        model = DeepMLP(3, 8, out_features=3)
        results.append(train(model, lambda step: (x, y), steps=20, lr=1e-2, fused=fused).losses)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-4)
    with pytest.raises(TypeError, match="fused must be True or False"):
        train(DeepMLP(1, 4), lambda step: (x[:, :4], y), steps=1, lr=1e-2, fused="yes")


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: run_degradation({}), ValueError, ["configs"]),
        (lambda: initial_gradient_ratio({}), ValueError, ["configs"]),
        (lambda: initial_gradient_ratio({"a": dict(norm="batch")}), ValueError, ["configs['a']", "depth"]),
        (lambda: initial_gradient_ratio(SMALL, seeds=[]), ValueError, ["seeds"]),
        (lambda: initial_gradient_ratio(SMALL, n_samples=64, batch_size=128), ValueError, ["batch_size", "<= 64"]),
        (lambda: run_degradation({"a": dict(norm="batch")}), ValueError, ["configs['a']", "depth"]),
        (lambda: run_degradation(SMALL, steps=0), ValueError, ["steps", ">= 1"]),
        (lambda: run_degradation(SMALL, lr=0.0), ValueError, ["lr", "> 0"]),
        (lambda: run_degradation(SMALL, optimizer="rmsprop"), ValueError, ["optimizer", "'adam'", "'sgd'"]),
        (lambda: run_degradation(SMALL, n_samples=64, batch_size=128), ValueError, ["batch_size", "<= 64"]),
        (lambda: run_degradation(SMALL, seeds=2), TypeError, ["seeds", "range(5)"]),
        (lambda: minibatches(torch.zeros(4, 1), torch.zeros(4), batch_size=8, steps=1, seed=0), ValueError,
         ["batch_size", "<= 4"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

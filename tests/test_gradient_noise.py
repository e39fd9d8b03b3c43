"""Mini-batch gradient noise at two batch sizes, and the spread of gradient scale across layers."""

import numpy as np
import pytest
import torch

from resnorm.experiments.gradient_flow import FOUR_WAYS
from resnorm.experiments.gradient_noise import run_gradient_noise


def test_shapes_repeatability_and_effects():
    kwargs = dict(depth=8, width=16, seeds=[0, 1], n_samples=256, batch_sizes=(16, 64), n_batches=4)
    torch.manual_seed(1)
    a = run_gradient_noise(**kwargs)
    torch.manual_seed(2)
    b = run_gradient_noise(**kwargs)
    assert a.batch_sizes == (16, 64)
    assert set(a.relative_noise) == set(FOUR_WAYS)
    for label in FOUR_WAYS:
        assert a.relative_noise[label].shape == (2, 2) and a.layer_spread[label].shape == (2,)
        np.testing.assert_array_equal(a.relative_noise[label], b.relative_noise[label])
        np.testing.assert_array_equal(a.noise(label, 64), a.relative_noise[label][:, 1])
        np.testing.assert_array_equal(a.noise(label), a.relative_noise[label][:, 0])
        assert np.all(a.layer_spread[label] >= 1) and np.all(a.relative_noise[label] > 0)
        assert np.all(a.noise(label, 64) < a.noise(label, 16)), "four times the batch, less noise"
    assert np.all(a.layer_spread["plain + LayerNorm"] < a.layer_spread["plain"])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(batch_sizes=(4096,), n_samples=128), ValueError, ["batch_sizes", "<= 128"]),
        (dict(batch_sizes=()), ValueError, ["batch_sizes", "non-empty"]),
        (dict(batch_sizes=32), ValueError, ["batch_sizes", "sequence"]),
        (dict(batch_sizes=(1.5,)), TypeError, ["batch_sizes", "integer"]),
        (dict(n_batches=1), ValueError, ["n_batches", ">= 2"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_gradient_noise(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_noise_is_the_median_over_layers_of_each_layers_relative_noise():
    import torch.nn.functional as F

    from resnorm.data import teacher_classification
    from resnorm.models import DeepMLP

    configs = {"plain": dict()}
    r = run_gradient_noise(configs, depth=3, width=8, seeds=[5], n_samples=64, batch_sizes=(16,), n_batches=2)
    x, y = teacher_classification(64, 16, 4, seed=5)
    g = torch.Generator().manual_seed(5)
    batches = [torch.randint(64, (16,), generator=g) for _ in range(2)]
    torch.manual_seed(5)
    model = DeepMLP(3, 8, in_features=16, out_features=4)
    layers = [m for n, m in model.named_modules() if n.startswith("blocks.") and isinstance(m, torch.nn.Linear)]
    F.cross_entropy(model(x), y).backward()
    full = [m.weight.grad.clone() for m in layers]
    distances = []
    for idx in batches:
        model.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        distances.append([(m.weight.grad - f).norm().item() / f.norm().item() for m, f in zip(layers, full)])
    expected = np.median(np.mean(distances, axis=0))
    np.testing.assert_allclose(r.relative_noise["plain"][0, 0], expected, rtol=1e-5)
    norms = [f.norm().item() for f in full]
    np.testing.assert_allclose(r.layer_spread["plain"][0], max(norms) / min(norms), rtol=1e-5)

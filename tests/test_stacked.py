"""Training several models side by side: same trajectories as one by one, divergence per model, bad input."""

import numpy as np
import pytest
import torch
from torch import nn

from resnorm.models import DeepMLP
from resnorm.stacked import stack_batches, train_stacked
from resnorm.training import train


def _models(seeds, **kwargs):
    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(DeepMLP(3, 8, in_features=4, out_features=3, **kwargs))
    return models


@pytest.mark.parametrize("kwargs", [{}, {"residual": True, "norm": "layer"}])
def test_stacked_training_follows_each_model_trained_alone(kwargs):
    seeds = (0, 1, 2)
    x = torch.randn(len(seeds), 20, 6, 4, generator=torch.Generator().manual_seed(5))
    y = torch.randint(3, (len(seeds), 20, 6), generator=torch.Generator().manual_seed(6))
    stacked = _models(seeds, **kwargs)
    result = train_stacked(stacked, lambda step: (x[:, step], y[:, step]), steps=20, lr=1e-2)
    assert result.losses.shape == (3, 20) and result.diverged_at == [None] * 3
    for k, alone in enumerate(_models(seeds, **kwargs)):
        losses = train(alone, lambda step: (x[k, step], y[k, step]), steps=20, lr=1e-2, fused=True).losses
        np.testing.assert_allclose(result.losses[k], losses, rtol=1e-4)
        for (name, p), q in zip(stacked[k].named_parameters(), alone.parameters()):
            torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5, msg=name)


def test_frozen_parameters_stay_frozen():
    models = _models((0, 1))
    for model in models:
        model.head.bias.requires_grad_(False)
    before = [model.head.bias.clone() for model in models]
    x, y = torch.randn(2, 6, 4), torch.randint(3, (2, 6))
    train_stacked(models, lambda step: (x, y), steps=3, lr=1e-2)
    for model, bias in zip(models, before):
        assert torch.equal(model.head.bias, bias)


def test_a_diverging_model_stops_and_the_others_go_on():
    models = _models((0, 1))
    x, y = torch.randn(2, 6, 4), torch.randint(3, (2, 6))

    def batches(step):
        inputs = x.clone()
        if step >= 2:
            inputs[1, 0, 0] = float("nan")  # the second model's batch goes bad at step 2
        return inputs, y

    result = train_stacked(models, batches, steps=5, lr=1e-2)
    assert result.diverged_at == [None, 2]
    assert np.all(np.isfinite(result.losses[0]))
    assert np.all(np.isfinite(result.losses[1, :2])) and np.all(np.isnan(result.losses[1, 2:]))
    alone = _models((1,))[0]
    alone_result = train(alone, lambda step: tuple(t[1] for t in batches(step)), steps=5, lr=1e-2, fused=True)
    assert alone_result.diverged_at == 2
    for p, q in zip(models[1].parameters(), alone.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)  # its weights from before the bad step


def test_stack_batches_picks_rows_per_model():
    data = torch.arange(12.0).reshape(2, 6)[..., None]
    labels = torch.arange(12).reshape(2, 6)
    picked, picked_labels = stack_batches(data, labels, index=torch.tensor([[0, 5], [1, 1]]))
    assert picked.shape == (2, 2, 1)
    assert picked_labels.tolist() == [[0, 5], [7, 7]]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: train_stacked([], lambda s: None, steps=1, lr=1.0), TypeError, ["models"]),
        (lambda: train_stacked([nn.Linear(2, 2), DeepMLP(1, 2)], lambda s: None, steps=1, lr=1.0),
         ValueError, ["models", "same architecture"]),
        (lambda: train_stacked([DeepMLP(1, 2, norm="batch")], lambda s: None, steps=1, lr=1.0),
         ValueError, ["models", "buffers"]),
        (lambda: train_stacked([DeepMLP(1, 2)], "data", steps=1, lr=1.0), TypeError, ["batches"]),
        (lambda: train_stacked([DeepMLP(1, 2)], lambda s: None, steps=0, lr=1.0), ValueError, ["steps"]),
        (lambda: train_stacked([DeepMLP(1, 2)], lambda s: None, steps=1, lr=0.0), ValueError, ["lr"]),
        (lambda: train_stacked([DeepMLP(1, 2)] * 2, lambda s: (torch.ones(3, 1, 2), torch.zeros(3, 1).long()),
                               steps=1, lr=1.0), ValueError, ["batches", "leading dimension of 2"]),
        (lambda: stack_batches(torch.ones(2, 3), index=torch.zeros(2, dtype=torch.long)), ValueError, ["index"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

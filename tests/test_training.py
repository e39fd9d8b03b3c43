"""The training loop learns, warms up, notices divergence, and rejects bad arguments."""

import numpy as np
import pytest
import torch

from resnorm.data import sequence_task, teacher_classification
from resnorm.models import DeepMLP
from resnorm.training import train, warmup_lr


def test_data_is_repeatable_and_shaped():
    x, y = teacher_classification(32, 8, 3, seed=1)
    x2, y2 = teacher_classification(32, 8, 3, seed=1)
    assert x.shape == (32, 8) and y.shape == (32,) and torch.equal(y, y2) and torch.equal(x, x2)
    assert len(torch.unique(y)) > 1
    tokens, targets = sequence_task("reverse", 4, seq_len=5)
    assert torch.equal(targets, tokens.flip(1))
    tokens, targets = sequence_task("sort", 4, seq_len=5)
    assert torch.all(targets[:, 1:] >= targets[:, :-1])


def test_warmup_ramps_linearly():
    assert warmup_lr(0, lr=1.0, warmup_steps=4) == 0.25
    assert warmup_lr(3, lr=1.0, warmup_steps=4) == 1.0
    assert warmup_lr(10, lr=1.0, warmup_steps=0) == 1.0


def test_training_reduces_the_loss():
    torch.manual_seed(0)
    x, y = teacher_classification(128, 8, 3)
    result = train(DeepMLP(2, 32, in_features=8, out_features=3), lambda step: (x, y), steps=60, lr=1e-2)
    assert not result.diverged
    assert result.losses[-1] < 0.7 * result.losses[0]
    assert "final loss" in str(result)


def test_divergence_is_reported_with_its_step():
    torch.manual_seed(0)
    x, y = teacher_classification(64, 8, 3)
    model = DeepMLP(2, 16, in_features=8, out_features=3)
    result = train(model, lambda step: (x * (float("inf") if step >= 3 else 1.0), y), steps=10, lr=1e-3)
    assert result.diverged_at == 3
    assert np.isnan(result.losses[3:]).all() and np.isfinite(result.losses[:3]).all()
    assert "step 3" in str(result)


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        (dict(steps=0, lr=0.1), ValueError, "steps"),
        (dict(steps=5, lr=0.0), ValueError, "lr"),
        (dict(steps=5, lr=0.1, warmup_steps=-1), ValueError, "warmup_steps"),
        (dict(steps=5, lr=0.1, optimizer="lion"), ValueError, "optimizer"),
    ],
)
def test_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        train(DeepMLP(1, 4), lambda s: (torch.randn(2, 4), torch.tensor([0, 1])), **kwargs)
    with pytest.raises(ValueError, match="kind"):
        sequence_task("copy", 3)


def test_reference_tables_load_with_their_citation():
    from resnorm.data import load_reference, reference_citation

    rows = load_reference("he2016_cifar10_resnet")
    assert rows[0]["depth"] == "20" and float(rows[-1]["resnet_test_error_pct"]) < 8
    assert "He" in reference_citation("he2016_cifar10_resnet")
    with pytest.raises(ValueError, match="name must be one of"):
        load_reference("no_such_table")


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_non_finite_gradient_stops_training(bad):
    torch.manual_seed(0)
    x, y = teacher_classification(32, 8, 3)
    model = DeepMLP(1, 8, in_features=8, out_features=3)
    model.head.weight.register_hook(lambda g: g * bad if bad != bad else g + bad)
    result = train(model, lambda step: (x, y), steps=5, lr=1e-3)
    assert result.diverged_at == 0 and np.isnan(result.losses).all()

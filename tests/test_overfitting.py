"""Plain vs residual overfitting experiment: noisy labels, equal sizes, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.overfitting import noisy_split, run_overfitting


def test_noisy_split_corrupts_about_the_requested_fraction():
    x, y, x_test, y_test, flipped = noisy_split(2000, 30, label_noise=0.25, seed=3)
    assert x.shape == (2000, 16) and x_test.shape == (30, 16) and y_test.shape == (30,)
    assert 0.15 < flipped.float().mean() < 0.23, "a quarter replaced, a quarter of those by their own class"
    clean = noisy_split(2000, 30, label_noise=0.0, seed=3)
    assert torch.equal(clean[1][~flipped], y[~flipped])
    assert not torch.any(clean[1][flipped] == y[flipped]), "every corrupted label differs from the teacher's"
    assert not clean[4].any()


def test_run_overfitting_shapes_and_equal_sizes():
    result = run_overfitting(depth=2, width=8, n_train=32, n_test=40, steps=5, seeds=[0, 1])
    assert result.n_parameters["plain"] == result.n_parameters["residual"] == result.n_parameters["plain, He init"]
    for label in ("plain", "plain, He init", "residual"):
        assert result.train_accuracy[label].shape == (2,)
        assert result.gap(label).shape == (2,)
        assert np.all((0 <= result.noise_memorised[label]) & (result.noise_memorised[label] <= 1))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: noisy_split(10, 10, label_noise=1.5), ValueError, ["label_noise", "<= 1"]),
        (lambda: noisy_split(0, 10), ValueError, ["n_train"]),
        (lambda: run_overfitting(seeds=3), TypeError, ["seeds"]),
        (lambda: run_overfitting(depth=0), ValueError, ["depth"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

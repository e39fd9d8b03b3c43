"""Shattered gradients: input gradients, autocorrelation, the experiment, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.shattered import input_gradients, lag1_autocorrelation, run_shattered


def test_input_gradients_of_a_known_function():
    model = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False))
    with torch.no_grad():
        model[0].weight.fill_(3.0)
    x = torch.linspace(-1, 1, 5).unsqueeze(1)
    np.testing.assert_allclose(input_gradients(model, x), 3.0)
    square = lambda t: t.pow(2)
    np.testing.assert_allclose(input_gradients(square, x), 2 * x[:, 0].numpy(), rtol=1e-6)


def test_lag1_autocorrelation_of_smooth_and_white_sequences():
    t = np.linspace(0, 1, 500)
    assert lag1_autocorrelation(np.sin(2 * np.pi * t)) > 0.99
    noise = np.random.default_rng(0).normal(size=5000)
    assert abs(lag1_autocorrelation(noise)) < 0.05
    assert lag1_autocorrelation([1, -1, 1, -1, 1, -1]) < -0.8
    assert np.isnan(lag1_autocorrelation([2, 2, 2]))


def test_run_shattered_shapes_and_the_effect():
    r = run_shattered(depths=(1, 32), n_points=128, seeds=range(5))
    assert r.autocorrelation["plain"].shape == (5, 2) and r.inputs.shape == (128,)
    assert r.example_gradients["residual"].shape == (128,)
    assert np.all(r.autocorrelation["plain"][:, 0] > 0.8)
    median = {label: np.median(values[:, 1]) for label, values in r.autocorrelation.items()}
    assert median["residual"] > median["plain"] + 0.3


def test_the_stem_keeps_a_bias_so_the_output_is_not_flat_on_each_side_of_zero():
    r = run_shattered(depths=(2,), width=8, n_points=32, seeds=[0])
    for grads in r.example_gradients.values():
        assert np.std(grads[:16]) > 0 and np.std(grads[16:]) > 0


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: run_shattered(depths=()), ValueError, ["depths"]),
        (lambda: run_shattered(depths=(0,)), ValueError, ["depths[0]", ">= 1"]),
        (lambda: run_shattered(norm="batch"), ValueError, ["norm", "'layer'", "'rms'", "None"]),
        (lambda: run_shattered(init="xavier"), ValueError, ["init", "'default'", "'he'", "'scaled'"]),
        (lambda: run_shattered(n_points=2), ValueError, ["n_points", ">= 3"]),
        (lambda: run_shattered(x_range=0), ValueError, ["x_range", "> 0"]),
        (lambda: run_shattered(seeds=3), TypeError, ["seeds"]),
        (lambda: input_gradients(lambda t: t, torch.zeros(3, 2)), ValueError, ["x", "(n, 1)"]),
        (lambda: input_gradients(lambda t: t.repeat(1, 2), torch.zeros(3, 1)), ValueError, ["model", "(n, 1)"]),
        (lambda: lag1_autocorrelation([1, 2]), ValueError, ["values", "at least 3"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)

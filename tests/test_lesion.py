"""Lesion study: deleting blocks, path counts, caching of the trained nets, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.lesion import (
    LESION_SETTINGS,
    lesion_data,
    lesion_error,
    path_length_counts,
    run_lesion,
    trained_lesion_nets,
)
from resnorm.models import DeepMLP


SMALL = dict(depth=3, width=8, norm="layer", steps=5, lr=1e-2)


def test_path_length_counts_are_binomial():
    assert path_length_counts(0).tolist() == [1]
    assert path_length_counts(3).tolist() == [1, 3, 3, 1]
    counts = path_length_counts(10)
    assert counts.sum() == 2 ** 10 and counts[3] == 120


def test_lesion_error_skips_the_deleted_blocks():
    torch.manual_seed(0)
    model = DeepMLP(3, 8, in_features=4, out_features=3, residual=True, norm="layer")
    x, y = torch.randn(50, 4), torch.randint(3, (50,))
    with torch.no_grad():
        h = model.blocks[2](model.blocks[0](model.stem(x)))
        expected = float((model.head(h).argmax(1) != y).float().mean())
    assert lesion_error(model, x, y, deleted=[1]) == expected
    intact = float((model(x).argmax(1) != y).float().mean())
    assert lesion_error(model, x, y) == intact


def test_trained_nets_are_cached_and_in_eval_mode():
    a = trained_lesion_nets(0, **SMALL)
    b = trained_lesion_nets(0, **dict(reversed(list(SMALL.items()))))
    assert a is b
    assert set(a) == {"residual", "plain"} and not a["plain"].training
    assert a["residual"].config["residual"] and not a["plain"].config["residual"]


def test_run_lesion_shapes_and_repeatability():
    r = run_lesion(**SMALL, seeds=[0, 1], n_subsets=2)
    assert r.depth == 3
    assert r.baseline["plain"].shape == (2,) and r.single["residual"].shape == (2, 3)
    assert r.k_deleted["plain"].shape == (2, 4) and r.single_increase("plain").shape == (2, 3)
    np.testing.assert_array_equal(r.k_deleted["residual"][:, 0], r.baseline["residual"])
    again = run_lesion(**SMALL, seeds=[0, 1], n_subsets=2)
    np.testing.assert_array_equal(r.single["plain"], again.single["plain"])


def test_lesion_data_is_a_split_drawn_from_the_seed():
    x_train, y_train, x_test, y_test = lesion_data(0)
    assert x_train.shape == (2048, 16) and x_test.shape == (1024, 16)
    assert set(y_test.unique().tolist()) <= {0, 1, 2, 3}
    assert torch.equal(lesion_data(0)[3], y_test)
    assert not torch.equal(lesion_data(1)[0], x_train)


def test_majority_error_is_the_error_of_guessing_the_most_common_class():
    r = run_lesion(**SMALL, seeds=[3], n_subsets=1)
    y_test = lesion_data(3)[3]
    expected = 1 - torch.bincount(y_test).max().item() / len(y_test)
    assert r.majority_error.shape == (1,) and r.majority_error[0] == pytest.approx(expected)


def test_notebook_settings_are_complete():
    assert set(LESION_SETTINGS) == {"depth", "width", "norm", "steps", "lr"}


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: path_length_counts(-1), ValueError, ["n_blocks", ">= 0"]),
        (lambda: trained_lesion_nets(0, norm="group"), ValueError, ["norm", "'batch'"]),
        (lambda: trained_lesion_nets(0, lr=0.0), ValueError, ["lr", "> 0"]),
        (lambda: trained_lesion_nets(-1), ValueError, ["seed", ">= 0"]),
        (lambda: lesion_data(-1), ValueError, ["seed", ">= 0"]),
        (lambda: run_lesion(**SMALL, seeds=[]), ValueError, ["seeds"]),
        (lambda: run_lesion(**SMALL, n_subsets=0), ValueError, ["n_subsets"]),
        (lambda: lesion_error(torch.nn.Linear(2, 2), torch.zeros(1, 2), torch.zeros(1)), TypeError, ["model", "DeepMLP"]),
        (lambda: lesion_error(DeepMLP(2, 4), torch.zeros(1, 4), torch.zeros(1), [2]), ValueError,
         ["deleted block", "<= 1"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)

"""Plots draw every configuration, keep the seed spread, and survive zeros, inf and NaN."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from resnorm.plots import plot_curves, plot_per_layer


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_one_line_and_one_band_per_configuration():
    rng = np.random.default_rng(0)
    ax = plot_per_layer({"a": rng.random((5, 10)) + 0.1, "b": rng.random((5, 10)) + 1})
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert len(ax.collections) == 2
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() and ax.get_ylabel()


def test_median_line_and_min_max_band():
    values = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]])
    ax = plot_per_layer({"a": values})
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [2.0, 20.0])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(1.0) and band.max() == pytest.approx(40.0)


def test_zeros_inf_and_nan_are_marked_not_dropped():
    values = np.array([[1.0, 0.0, np.inf, np.nan, 2.0]])
    ax = plot_per_layer({"bad": values})
    ax.figure.canvas.draw()  # must render without error
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("zero" in label for label in labels)
    assert any("NaN" in label for label in labels)
    markers = [line for line in ax.get_lines() if line.get_linestyle() in ("None", "")]
    assert {tuple(m.get_xdata()) for m in markers} == {(1.0,), (2.0, 3.0)}


def test_all_nan_series_still_draws():
    ax = plot_per_layer({"nan": np.full((3, 4), np.nan), "ok": np.ones((3, 4))})
    ax.figure.canvas.draw()


def test_curves_mark_divergence_and_accept_steps():
    curves = np.array([[2.0, 1.0, np.nan], [2.0, 1.5, 1.0]])
    ax = plot_curves({"run": curves}, steps=[0, 10, 20])
    ax.figure.canvas.draw()
    assert ax.get_xlabel() == "training step"
    assert any("NaN" in t.get_text() for t in ax.get_legend().get_texts())


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: plot_per_layer({}), ValueError, ["series"]),
        (lambda: plot_per_layer({"a": np.ones((2, 3)), "b": np.ones((2, 4))}), ValueError,
         ["same number of layers"]),
        (lambda: plot_per_layer({"a": np.ones((2, 3))}, layer_labels=["x"]), ValueError,
         ["layer_labels", "3"]),
        (lambda: plot_per_layer({"a": np.ones((2, 3, 4))}), ValueError, ["'a'", "(n_seeds, n_points)"]),
        (lambda: plot_curves({"a": np.ones(3)}, yscale="symlog"), ValueError,
         ["yscale", "'log'", "'linear'"]),
        (lambda: plot_curves({"a": np.ones(3)}, steps=[1, 2]), ValueError, ["steps", "3"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

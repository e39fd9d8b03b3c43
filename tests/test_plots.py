"""Plots draw every configuration, keep the seed spread, and survive zeros, inf and NaN."""

import ast
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import resnorm
from resnorm.plots import UNICODE_FORMULAS, plot_curves, plot_per_layer


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


RANGES = [(0.95, 1.05), (0.3, 0.9), (1.5, 9.0), (2.0, 3.0), (12.0, 80.0), (0.5, 40.0),
          (1e-8, 3e-8), (1e-3, 1e3), (1e-30, 1e30), (1e-100, 1e100)]


def _labelled_ticks(ax, lo, hi):
    ax.figure.canvas.draw()
    ticks = ax.yaxis.get_major_ticks()
    locs = ax.yaxis.get_majorticklocs()
    return [(loc, t.label1.get_text()) for loc, t in zip(locs, ticks)
            if t.label1.get_visible() and t.label1.get_text() and lo * (1 - 1e-9) <= loc <= hi * (1 + 1e-9)]


@pytest.mark.parametrize("lo, hi", RANGES, ids=lambda v: f"{v:g}")
def test_log_axis_has_two_labelled_ticks_at_any_range(lo, hi):
    for ax in (plot_per_layer({"a": np.geomspace(lo, hi, 6)}),
               plot_curves({"a": np.geomspace(lo, hi, 6)})):
        ax.set_ylim(lo, hi)
        labelled = _labelled_ticks(ax, lo, hi)
        assert len(labelled) >= 2, f"range {lo:g}..{hi:g}: labelled ticks {labelled}"
        texts = [text for _, text in labelled]
        assert len(set(texts)) == len(texts), f"range {lo:g}..{hi:g}: repeated labels {texts}"


def test_readable_log_axis_on_any_axes():
    from resnorm.plots import readable_log_axis

    ax = plt.subplots()[1]
    ax.plot([1, 2], [0.42, 0.47])
    ax.set_yscale("log")
    readable_log_axis(ax.yaxis)
    assert len(_labelled_ticks(ax, *ax.get_ylim())) >= 2


def test_readable_log_axis_base_two_and_bad_base():
    from resnorm.plots import readable_log_axis

    ax = plt.subplots()[1]
    ax.plot([2, 3], [1, 2])
    ax.set_xscale("log", base=2)
    readable_log_axis(ax.xaxis, base=2)
    ax.figure.canvas.draw()
    lo, hi = ax.get_xlim()
    labelled = [t.label1.get_text() for loc, t in zip(ax.xaxis.get_majorticklocs(), ax.xaxis.get_major_ticks())
                if t.label1.get_text() and lo <= loc <= hi]
    assert len(labelled) >= 2, labelled
    with pytest.raises(ValueError, match="base"):
        readable_log_axis(ax.xaxis, base=1)


def formula_arguments() -> tuple[dict[str, str], list[str]]:
    """The string literals passed to ``formula(...)`` anywhere in resnorm, each with where it is
    first, and where a call passes anything else."""
    src = Path(resnorm.__file__).parent
    literals, others = {}, []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and "formula" in (getattr(node.func, "id", None),
                                                            getattr(node.func, "attr", None)):
                where = f"{path.relative_to(src)}:{node.lineno}"
                first = node.args[0] if len(node.args) == 1 and not node.keywords else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    literals.setdefault(first.value, where)
                else:
                    others.append(where)
    return literals, others


def test_every_formula_has_a_unicode_twin_and_every_twin_is_used():
    """plots.UNICODE_FORMULAS is kept in step with the figures' formula() calls by hand; this keeps it honest."""
    literals, others = formula_arguments()
    assert not others, "formula() takes one string literal (so that this test sees it):\n" + "\n".join(others)
    assert literals, "no formula() call found in resnorm: the search is broken"
    missing = [f"{where}: {text!r}" for text, where in literals.items() if text not in UNICODE_FORMULAS]
    assert not missing, "no entry in plots.UNICODE_FORMULAS for:\n" + "\n".join(missing)
    unused = sorted(set(UNICODE_FORMULAS) - set(literals))
    assert not unused, "plots.UNICODE_FORMULAS has entries no formula() call uses:\n" + "\n".join(unused)
    assert not [twin for twin in UNICODE_FORMULAS.values() if "$" in twin], "a Unicode twin holds mathtext"

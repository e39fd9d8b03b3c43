"""Notebook 02's figures draw every result, its explorer redraws fast, its exercises are consistent."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from resnorm.exercises import evaluate
from resnorm.experiments.batch_vs_layer import run_batch_vs_layer
from resnorm.experiments.gradient_noise import run_gradient_noise
from resnorm.experiments.invariance import run_invariance
from resnorm.experiments.layernorm_eps import run_layernorm_eps
from resnorm.experiments.norm_axes import run_norm_axes
from resnorm.experiments.norm_cost import run_norm_cost
from resnorm.experiments.norm_depth import MEAN_REMOVAL_ABLATION, MEAN_REMOVAL_FACTOR, NORM_CONFIGS, run_norm_depth
from resnorm.experiments.scale_invariance import run_scale_invariance
from resnorm.experiments.source_layernorm import run_source_layernorm
from resnorm.figures import all_figures
from resnorm.figures import layer_normalization as figs


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_plot_draws_with_labels_and_titles():
    axes = [
        figs.plot_source_error(run_source_layernorm(seeds=[0])),
        *figs.plot_eps(run_layernorm_eps(scales=(1e-4, 1.0), seeds=[0], d=8, batch_size=4)),
        *figs.plot_batch_vs_layer(run_batch_vs_layer(seeds=[0], n_batches=3)),
        figs.plot_batch_dependence(run_batch_vs_layer(seeds=[0], n_batches=3)),
        figs.plot_invariance(run_invariance(seeds=[0])),
        *figs.plot_norm_depth(run_norm_depth(NORM_CONFIGS, depth=3, width=8, seeds=[0], batch_size=8)).flatten(),
        figs.plot_mean_removal(run_norm_depth(MEAN_REMOVAL_ABLATION, depth=3, width=8, seeds=[0], batch_size=8),
                               MEAN_REMOVAL_FACTOR),
        *figs.plot_gradient_noise(run_gradient_noise(depth=3, width=8, seeds=[0], n_samples=64,
                                                     batch_sizes=(8, 32), n_batches=2)),
        figs.plot_norm_cost(run_norm_cost(d=8, batch_size=4, repeats=3)),
        *figs.plot_scale_invariance(run_scale_invariance(seeds=[0], width=8, n_samples=16, steps=3)),
    ]
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel()


def test_invariance_figure_marks_agreement_with_the_paper():
    ax = figs.plot_invariance(run_invariance(seeds=[0]))
    texts = [t.get_text() for t in ax.texts]
    assert sum("✓" in t for t in texts) == 18 and not any("✗" in t for t in texts)
    assert sum("not in paper" in t for t in texts) == 6


@pytest.mark.parametrize("norm", figs.EXPLORER_NORMS)
@pytest.mark.parametrize("width", [1, 2, 64])
def test_explorer_draw_every_norm_and_width(norm, width):
    fig = Figure()
    figs.draw_layernorm_explorer(fig, width=width, eps=1e-5, scale=1e-3, shift=2.0, norm=norm)
    assert len(fig.axes) == 2


def test_explorer_redraws_on_every_change():
    # How fast it redraws is make bench's job (bench/bench.py), not a timed test's.
    explorer = figs.make_layernorm_explorer()
    for width in (8, 512, 64):
        explorer.controls["width"].value = width
        assert explorer.last_draw_ms > 0
    assert explorer.values == figs.EXPLORER_DEFAULTS


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(norm="group"), ValueError, ["norm", "'layer'", "'source'"]),
        (dict(width=0), ValueError, ["width", ">= 1"]),
        (dict(eps=-1.0), ValueError, ["eps", ">= 0"]),
        (dict(scale=0.0), ValueError, ["scale", "> 0"]),
        (dict(shift=float("nan")), ValueError, ["shift", "finite"]),
    ],
)
def test_explorer_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        figs.draw_layernorm_explorer(Figure(), **kwargs)
    for word in words:
        assert word in str(info.value)


def test_lecture_figures_are_registered_for_this_notebook():
    names = {n for n, f in all_figures().items() if f.notebook == figs.NOTEBOOK}
    assert {"layernorm_source_error", "layernorm_invariance_table", "layernorm_depth_scales",
            "layernorm_what_it_normalises", "layernorm_mean_removal_ablation", "norm_axes_cubes"} <= names


def test_cube_figure_shades_one_statistic_per_norm_and_layout():
    axes = figs.plot_norm_axes(run_norm_axes())
    assert axes.shape == (2, 4)
    titles = [ax.get_title() for ax in axes.flat]
    assert titles[1].startswith("LayerNorm: over (C, H, W)\n4 means")
    assert titles[5].startswith("LayerNorm: over (D)\n20 means")
    for ax in axes.flat:  # 3 white faces, 3 shaded, 3 outlines
        assert len(ax.patches) == 9 and not ax.axison


def test_norm_cube_rejects_unknown_names():
    fig = Figure()
    with pytest.raises(ValueError, match="kind"):
        figs.draw_norm_cube(fig.add_subplot(), "weight", "image")
    with pytest.raises(ValueError, match="layout"):
        figs.draw_norm_cube(fig.add_subplot(), "layer", "video")


def test_exercise_answers_agree_with_the_experiments():
    # the source-factor exercise's answer is the measured scale error
    r = run_source_layernorm(dims=(64,), seeds=[0])
    assert evaluate("02.source_factor", 1 - float(r.relative_error[0, 0]))[0]
    assert evaluate("02.source_factor", math.sqrt(63 / 64))[0]
    # the exercise rejects non-numbers and strings with a message
    assert not evaluate("02.source_factor", "0.99")[0]
    assert not evaluate("02.rms_invariances", "dataset re-scaling")[0]
    assert not evaluate("02.implement_layernorm", 3)[0]
    passed, message = evaluate("02.implement_layernorm", lambda x, w, b: x)
    assert not passed and "raised TypeError" in message


def test_layernorm_exercise_catches_detached_statistics():
    import torch

    def detached(x, weight, bias, eps=1e-5):
        mean = x.mean(-1, keepdim=True).detach()
        var = (x - mean).pow(2).mean(-1, keepdim=True).detach()
        return weight * (x - mean) / torch.sqrt(var + eps) + bias

    passed, message = evaluate("02.implement_layernorm", detached)
    assert not passed and "gradient" in message

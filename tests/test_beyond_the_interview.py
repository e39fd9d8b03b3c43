"""Figures and the lesion explorer of notebook 05 draw what their results hold."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from resnorm.experiments.amplification import run_amplification
from resnorm.experiments.attention_logits import run_logit_growth, run_logit_scale
from resnorm.experiments.dyt import NormMapping, TanhFit
from resnorm.experiments.fixup import run_fixup
from resnorm.experiments.lesion import run_lesion
from resnorm.experiments.reweighted import run_sequence_training
from resnorm.experiments.shattered import run_shattered
from resnorm.figures import all_figures
from resnorm.figures import beyond_the_interview as figures
from resnorm.widgets import static_figure


def test_lesion_figures():
    r = run_lesion(depth=3, width=8, norm="layer", steps=3, seeds=[0, 1], n_subsets=2)
    ax = figures.plot_lesion(r)
    assert len(ax.get_lines()) >= 4 and "2 seeds" in ax.get_title()
    ax = figures.plot_lesion_k(r)
    assert list(ax.get_lines()[0].get_xdata()) == [0, 1, 2, 3]
    ax = figures.plot_path_lengths(4)
    assert [p.get_height() for p in ax.patches] == [1, 4, 6, 4, 1]
    plt.close("all")


def test_shattered_amplification_fixup_figures():
    sh = run_shattered(depths=(1, 2), width=8, n_points=16, seeds=[0])
    assert len(figures.plot_shattered_examples(sh).get_lines()) == 2
    assert figures.plot_shattered(sh).get_xscale() == "log"
    amp = run_amplification(depths=(1, 2), d_model=8, n_heads=2, d_ff=16, seeds=[0, 1])
    labels = [t.get_text() for t in figures.plot_amplification(amp).get_legend().get_texts()]
    assert {"Post-LN", "Pre-LN", "DeepNorm", "∝ N"} <= set(labels)
    ax = figures.plot_fixup(run_fixup(depth=3, width=8, seeds=[0]))
    assert "3-block" in ax.get_title()
    plt.close("all")


def test_training_and_norm_mapping_figures():
    r = run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=3, seeds=[0])
    ax = figures.plot_training(r, title="t")
    assert ax.get_title() == "t" and any("chance" in t.get_text() for t in ax.get_legend().get_texts())
    x = np.linspace(-3, 3, 40).reshape(4, 10)
    mapping = NormMapping(x, np.tanh(x), np.ones(4))
    ax = figures.plot_norm_mapping(mapping, TanhFit(1.0, 1.0, 0.0, 0.0, 0.1))
    assert len(ax.collections) == 1
    plt.close("all")


def test_attention_logit_figures():
    ax = figures.plot_logit_scale(run_logit_scale(d_ks=(4, 16), n_queries=8, seeds=[0, 1]))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"q·k", "q·k / sqrt(d_k)"} <= set(labels) and "2 seeds" in ax.get_title()
    assert ax.get_xscale() == "log"
    ax = figures.plot_logit_growth(run_logit_growth(scales=(1.0, 2.0), d_model=8, d_k=8, seq_len=4, seeds=[0]))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"without QK-norm", "with QK-norm"} <= set(labels)
    plt.close("all")


def test_lesion_explorer_reports_paths():
    explorer = figures.make_lesion_explorer()
    explorer.controls["deleted"].value = (0, 3)
    assert explorer.figure.axes and "1, 4" in explorer.figure.axes[0].get_title()
    assert "64 of 256 paths" in explorer.figure.axes[0].get_title()
    fig = static_figure(figures.draw_lesion_explorer, deleted=())
    assert "none" in fig.axes[0].get_title()
    fig = static_figure(figures.draw_lesion_explorer, deleted=(1,), seeds=(0, 1))
    assert "2 seeds" in fig.axes[0].get_title()
    plt.close("all")


def test_lesion_explorer_rejects_bad_seeds():
    with pytest.raises(ValueError, match="seeds"):
        figures.make_lesion_explorer(seeds=())


def test_key_figures_are_registered():
    names = {n for n, f in all_figures().items() if f.notebook == figures.NOTEBOOK}
    assert {"lesion_residual_vs_plain", "shattered_gradients", "amplification_post_pre_deepnorm",
            "deepnorm_rezero_training", "dyt_vs_layernorm"} <= names

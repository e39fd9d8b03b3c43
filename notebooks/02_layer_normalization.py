# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # 02 · Layer normalization: what it is for, and how to implement it
#
# **题目：** 请描述层规范化的目的，并解释如何实现。（原文写作“层规范化”，本课程统一用“层归一化”。）
#
# **The question:** What is layer normalization for, and how do you implement it?
#
# This is question 2 of the Chinese study text. Its answer calls LayerNorm a *regularisation*
# technique, says it rescales "each neuron's input", and gives a code snippet that is subtly
# wrong. This notebook builds LayerNorm from scratch, proves it equal to PyTorch's, and measures
# every claim: what LayerNorm normalises over, what it is invariant to, what it does to the
# activations and gradients of a deep net, and what it does *not* do.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer
#
# What a strong candidate says in 30 seconds (each point is measured below):

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **What:** for each example (each token), over its own `d` features: subtract the mean, divide
#   by `sqrt(var + eps)` with the *biased* variance (divide by `d`), then apply a learned gain
#   and bias, one per feature (vectors of size `d`, not scalars).
# - **Why:** it fixes the scale of every layer's input, so activations cannot drift with depth. In
#   a residual (pre-norm) stack the stream, and the gradient on its way back to the input, then
#   grow only like `sqrt(depth)` instead of exponentially. It is an aid to *optimisation*, not
#   mainly a regulariser: it is deterministic, identical in training and inference, and adds no
#   noise (it still affects generalisation: with weight decay it sets an effective learning rate
#   for the weights whose output goes straight into a norm, and its gain and bias can over-fit).
# - **Versus BatchNorm:** its statistics come from one example, so it works at batch size 1
#   (BatchNorm fails there in training mode), does not depend on the rest of the batch, and
#   needs no running averages.
# - **The axes:** for images `(N, C, H, W)` BatchNorm takes one mean per channel, InstanceNorm
#   one per image and channel, GroupNorm one per image and channel group, LayerNorm one per
#   image; in a Transformer LayerNorm takes one per token, over its `D` features.
# - **Gain and bias:** they give back a per-feature scale and shift (initialised to 1 and 0);
#   BatchNorm can undo itself exactly this way (for the statistics it used), LayerNorm cannot
#   restore each example's own mean and scale. Weights whose output goes straight into a norm are scale invariant: their gradient
#   is orthogonal to them, so SGD makes them grow and their effective learning rate fall, unless
#   weight decay holds them; the gain and bias themselves are usually not decayed.
# - **Invariances (Ba et al. 2016, Table 1):** unchanged when one example, the whole data set or
#   the layer's weight matrix is re-scaled, or when the same vector is added to every row of the
#   weight matrix; not when the same vector is added to every example.
# - **What it does not do:** it is no substitute for the identity path of a residual net (the
#   plain net's vanishing gradient at PyTorch's default initialisation is an initialisation
#   problem, which He initialisation fixes without a norm; what shortcuts add is shown by the
#   degradation problem, notebook 01, and shattered gradients, notebook 05), and it does not reduce
#   the mini-batch noise of the gradient (the batch size does).
# - **Implementation traps:** `x.var()` is the *unbiased* variance: it shrinks the output by
#   `sqrt((d-1)/d)` and is NaN for `d = 1`; `eps` goes inside the square root.
# - **RMSNorm** drops the mean and the bias: one statistic instead of two, cheaper, the same
#   invariances except re-centering.

# %% slideshow={"slide_type": "skip"}
import inspect
import math

import numpy as np
import torch
from torch import nn

import resnorm
from resnorm.data import reference_citation
from resnorm.exercises import check, hint, solution
from resnorm.experiments.affine_identity import run_affine_identity
from resnorm.experiments.batch_vs_layer import run_batch_vs_layer
from resnorm.experiments.gradient_noise import run_gradient_noise
from resnorm.experiments.invariance import published_table, run_invariance
from resnorm.experiments.layernorm_eps import run_layernorm_eps
from resnorm.experiments.norm_axes import run_norm_axes
from resnorm.experiments.norm_cost import LayerNormCentredOnce, run_norm_cost
from resnorm.experiments.norm_depth import (
    MEAN_REMOVAL_ABLATION,
    MEAN_REMOVAL_FACTOR,
    NORM_CONFIGS,
    mean_field_rate,
    run_norm_depth,
)
from resnorm.experiments.scale_invariance import run_norm_gradient, run_scale_invariance
from resnorm.experiments.source_layernorm import run_source_layernorm
from resnorm.experiments.torch_equality import run_torch_equality
from resnorm.figures.layer_normalization import (
    EXPLORER_DEFAULTS,
    draw_layernorm_explorer,
    make_layernorm_explorer,
    plot_batch_dependence,
    plot_batch_vs_layer,
    plot_eps,
    plot_gradient_noise,
    plot_invariance,
    plot_mean_removal,
    plot_norm_cost,
    plot_norm_axes,
    plot_norm_depth,
    plot_scale_invariance,
    plot_source_error,
)
from resnorm.norms import LayerNorm, RMSNorm
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(5)  # every experiment below takes its seeds from here


def sig(value: float, digits: int = 2) -> str:
    """``value`` rounded to ``digits`` significant digits, printed without an exponent if short."""
    return f"{float(f'{value:.{digits}g}'):g}"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The implementation, from scratch
#
# For one vector `x` of `d` features (one example, or one token of a sequence):
#
# $$\mu = \frac1d\sum_i x_i,\qquad \sigma^2 = \frac1d\sum_i (x_i-\mu)^2,\qquad
# \mathrm{LN}(x)_i = \gamma_i\,\frac{x_i-\mu}{\sqrt{\sigma^2+\epsilon}} + \beta_i .$$
#
# The course's version, `resnorm.norms.LayerNorm`, is these three lines:

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(LayerNorm.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# The gain $\gamma$ and bias $\beta$ are vectors with one entry per feature. The source says
# "a learnable scalar and offset" (一个可学习的标量和偏移量); its own code, like PyTorch, uses
# vectors. (A demonstration: the check below reads the shapes of PyTorch's own module.)

# %% slideshow={"slide_type": "fragment"}
shapes = {name: tuple(p.shape) for name, p in nn.LayerNorm(64).named_parameters()}
print("nn.LayerNorm(64) parameters:", shapes)
assert shapes == {"weight": (64,), "bias": (64,)}, "gain and bias are per-feature vectors"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Equal to `torch.nn.LayerNorm`, forward and backward
#
# Same input (`3·N(0,1) + 2`, not already normalised), same random gain and bias, same upstream
# gradient; widths 8, 64 and 512, three seeds. We compare the outputs, the gradient with respect
# to the input, and the gradients of the gain and bias. RMSNorm (section 5) and the source's
# version are checked the same way.

# %% slideshow={"slide_type": "fragment"}
equality = run_torch_equality(dims=(8, 64, 512), seeds=SEEDS[:3])
print("largest |ours - PyTorch's| over d = 8, 64, 512 and 3 seeds:")
print(f"{'':33s} {'output':>8s} {'dL/dx':>8s} {'dL/dgain, dL/dbias':>20s}")
for label in equality.labels:
    worst = equality.worst(label)
    cells = [("< 1e-5" if v < 1e-5 else sig(v, 1)) for v in worst.values()]
    print(f"{label:33s} {cells[0]:>8s} {cells[1]:>8s} {cells[2]:>20s}")

for label in ("LayerNorm vs nn.LayerNorm", "RMSNorm vs nn.RMSNorm"):
    assert max(equality.worst(label).values()) < 1e-5, f"{label}: should agree to float32 rounding"
source_worst = equality.worst("SourceLayerNorm vs nn.LayerNorm")
assert min(source_worst.values()) > 1e-3, "the source's version should differ visibly"
assert not equality.allclose[equality.labels.index("SourceLayerNorm vs nn.LayerNorm")].any()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The source's version uses the wrong variance
#
# The source writes `var = x.var(-1, keepdim=True)`. PyTorch's `Tensor.var` is the *unbiased*
# estimate: it divides by `d - 1`. LayerNorm (Ba et al. 2016, and `nn.LayerNorm`) divides by
# `d`. So the source divides by a slightly larger number and its output is the true output times
# `sqrt((d-1)/d)`: a relative error of `1 - sqrt((d-1)/d) ≈ 1/(2d)`. At `d = 1` the unbiased
# variance is `0/0`.

# %% slideshow={"slide_type": "fragment"}
source = run_source_layernorm(dims=(8, 64, 512), seeds=SEEDS[:3])
print(f"{'d':>5s} {'measured error':>15s} {'1 - sqrt((d-1)/d)':>18s} {'allclose (default tolerances)':>30s}")
for d, measured, predicted, close in zip(source.dims, source.relative_error, source.predicted, source.allclose):
    print(f"{d:5d} {sig(100 * np.median(measured)):>14s}% {sig(100 * predicted):>17s}% {str(close.any()):>30s}")
print(f"d = 1: the source's output is {np.unique(source.d1_source)} for all {source.d1_source.size} "
      f"examples; ours is {np.unique(source.d1_ours)} (the bias)")

assert np.allclose(source.relative_error, source.predicted[:, None], rtol=1e-3), "error = 1 - sqrt((d-1)/d)"
assert not source.allclose.any(), "never allclose to nn.LayerNorm with default tolerances, even at d = 512"
assert np.isnan(source.d1_source).all() and np.isfinite(source.d1_ours).all()

# %% slideshow={"slide_type": "subslide"}
_ = plot_source_error(source)

# %% [markdown] slideshow={"slide_type": "-"}
# The error is small at transformer widths (0.1% at `d = 512`), which is exactly why it survives:
# a model trains fine with it. But the layer is no longer LayerNorm: weights trained with one do
# not give the same outputs with the other, and a unit test against `nn.LayerNorm` with
# `torch.allclose`'s default tolerances (`rtol=1e-5`, `atol=1e-8`) fails at every width (a loose
# `rtol=1e-3` would let `d = 512` pass). The fix is one argument:
# `x.var(-1, keepdim=True, correction=0)`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why `eps`, and why inside the square root
#
# Without `eps`, a vector whose features are all equal has variance 0, and LayerNorm computes
# `0/0`. With `eps`, the division is defined, and the gradient, which scales like
# `1/sqrt(var + eps)`, is capped. The price: inputs whose standard deviation is below
# `sqrt(eps)` are no longer normalised to 1. We shrink the scale of the input from `1e2` down
# to `1e-6` (width 64, three seeds) for three values of `eps`.

# %% slideshow={"slide_type": "-"}
eps_result = run_layernorm_eps(scales=np.logspace(-6, 2, 17), eps_values=(0.0, 1e-5, 1e-3), seeds=SEEDS[:3])
_ = plot_eps(eps_result)

# %% slideshow={"slide_type": "fragment"}
std_default_tiny = eps_result.at("output_std", 1e-5, 1e-4)
grad_no_eps = eps_result.at("input_grad", 0.0, 1e-6) / eps_result.at("input_grad", 0.0, 1.0)
grad_default = eps_result.input_grad[1].max() / eps_result.at("input_grad", 1e-5, 1.0).min()
print(f"eps = 1e-5, input std 1e-4: output std {sig(np.median(std_default_tiny))} "
      f"(predicted 1e-4 / sqrt(1e-8 + 1e-5) = {sig(1e-4 / math.sqrt(1e-8 + 1e-5))})")
print(f"eps = 0: the input gradient grows {sig(np.median(grad_no_eps), 1)}x from input std 1 to 1e-6")
print(f"eps = 1e-5: it grows at most {sig(grad_default, 1)}x (about 1/sqrt(1e-5) = 316)")
for eps, finite in zip(eps_result.eps_values, eps_result.constant_input_finite):
    print(f"a constant input vector with eps = {eps:g}: {'finite output' if finite else 'NaN output'}")

assert np.all(np.abs(std_default_tiny - 1e-4 / math.sqrt(1e-8 + 1e-5)) < 0.003), "eps squashes tiny inputs"
assert np.all(eps_result.at("output_std", 1e-5, 1.0) > 0.99), "ordinary inputs are normalised"
assert np.all(grad_no_eps > 1e5), "without eps the gradient grows like 1/std"
assert grad_default < 1e3, "with eps the gradient is capped near 1/sqrt(eps)"
assert list(eps_result.constant_input_finite) == [False, True, True]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### "Normalised" does not mean "standard normal"
#
# The source says LayerNorm scales its input "to a standard normal distribution"
# (缩放到一个标准正态分布). It only makes each vector's mean 0 and variance 1. It is an affine map
# of each vector, so the *shape* of the values is untouched: a skewed vector stays exactly as
# skewed. Here 512 features drawn from an exponential distribution (skewness 2). The first check is
# a demonstration (an affine map cannot change skewness); the second shows how far from normal the
# output is:

# %% slideshow={"slide_type": "fragment"}
def skewness(t: torch.Tensor) -> torch.Tensor:
    """Skewness of each row: 0 for a symmetric distribution such as the normal."""
    centred = t - t.mean(-1, keepdim=True)
    return centred.pow(3).mean(-1) / centred.pow(2).mean(-1).pow(1.5)


uniform = torch.rand(8, 512, generator=torch.Generator().manual_seed(SEEDS[0]))
skewed = -torch.log(uniform)  # exponential samples
normalised = LayerNorm(512)(skewed).detach()
print(f"skewness per example before: {sig(skewness(skewed).median().item())}, "
      f"after LayerNorm: {sig(skewness(normalised).median().item())} (a normal distribution: 0)")
assert torch.allclose(skewness(normalised), skewness(skewed), atol=1e-3), "LN keeps the shape"
assert skewness(normalised).min() > 1, "the output is far from normal"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. What LayerNorm normalises over, and what BatchNorm does
#
# A layer's activations for a batch form a matrix `(batch, d)`. **LayerNorm** takes its
# statistics along a *row*: one example, all its features. **BatchNorm** (Ioffe & Szegedy 2015)
# takes them along a *column*: one feature, all examples of the batch. The source's description,
# "for each neuron's input, compute its mean and variance" (对于每个神经元的输入，计算其均值和方差),
# is per-neuron: that is BatchNorm's view, not LayerNorm's. Below, one batch of 8 examples with
# 12 features whose means and scales differ. The first check below is a demonstration (each norm
# does what its formula says, on its own axis); the second measures what it leaves on the other
# axis.

# %% slideshow={"slide_type": "subslide"}
batch = run_batch_vs_layer(seeds=SEEDS[:3], d=12, batch_size=8, n_batches=30)
_ = plot_batch_vs_layer(batch)

# %% slideshow={"slide_type": "fragment"}
ln_rows_ok = batch.ln_example_mean.max() < 1e-5 and batch.ln_example_std.max() < 1e-3
bn_columns_ok = batch.bn_feature_mean.max() < 1e-5 and batch.bn_feature_std.max() < 1e-3
print(f"LayerNorm: every example (row) has mean 0 and std 1: {ln_rows_ok}; "
      f"largest |mean| of a feature (column): {sig(batch.ln_feature_mean.min())} or more")
print(f"BatchNorm: every feature (column) has mean 0 and std 1: {bn_columns_ok}; "
      f"largest |mean| of an example (row): {sig(batch.bn_example_mean.min())} or more")
assert ln_rows_ok and bn_columns_ok
assert batch.ln_feature_mean.min() > 0.3 and batch.bn_example_mean.min() > 0.1, "each only normalises its own axis"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Batch size 1, and training versus inference
#
# Because LayerNorm's statistics come from the example itself, a batch of one example is fine,
# and nothing changes between `model.train()` and `model.eval()`. In training mode BatchNorm
# cannot take the statistics of a single example (it raises an error; in eval mode it works, with
# its running averages), and at inference it switches to running averages collected during
# training (here warmed up on 100 batches), which are not the statistics of the current batch. (LayerNorm's zero gap is a demonstration: it has no mode-dependent code path.)

# %% slideshow={"slide_type": "fragment"}
for name, outcome in batch.batch_of_one.items():
    print(f"batch of 1 through {name}: {outcome}")
print(f"largest |train-mode output - eval-mode output|: LayerNorm {sig(batch.ln_train_eval_gap.max(), 1)}, "
      f"BatchNorm {sig(batch.bn_train_eval_gap.min(), 1)} or more")
assert batch.batch_of_one["LayerNorm"] == "ok"
assert batch.batch_of_one["BatchNorm (train mode)"].startswith("ValueError")
assert np.all(batch.ln_train_eval_gap == 0), "LayerNorm: identical in train and eval mode"
assert np.all(batch.bn_train_eval_gap > 0.3), "BatchNorm: train and eval modes differ"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Four norms, four sets of axes
#
# Convolutional nets add more axes: an image batch is `(N, C, H, W)` (examples, channels, rows,
# columns), a batch of token sequences `(B, T, D)` (sequences, positions, features). Each norm
# takes one mean and one variance per block of numbers it reduces over (Wu & He 2018, Figure 2,
# drew this as a cube; the drawing below is ours): **BatchNorm** per channel over the batch and
# all positions; **InstanceNorm** (Ulyanov et al. 2016) per example *and* channel, over the
# positions; **GroupNorm** (Wu & He 2018) per example over a group of `C/G` channels and all
# positions; **LayerNorm** per example over everything else. Be precise about LayerNorm: for
# images Ba et al. normalise a whole layer, `(C, H, W)`, one mean per image; a Transformer
# normalises each token over its `D` features only, `B·T` means. `resnorm.norm_axes` states the
# axes; to check them, we give PyTorch's modules (`nn.BatchNorm2d`, `nn.LayerNorm`,
# `nn.InstanceNorm2d`, `nn.GroupNorm`, and their 1-d versions on `(B, D, T)` for sequences) a
# random tensor and search their outputs for the smallest sets of axes with mean 0 everywhere.

# %% slideshow={"slide_type": "subslide"}
axes_result = run_norm_axes(image_shape=(4, 6, 5, 5), token_shape=(4, 5, 6), groups=3, seed=SEEDS[0])
_ = plot_norm_axes(axes_result)

# %% slideshow={"slide_type": "fragment"}
print(f"{'':17s} {'PyTorch: mean 0 over':>21s} {'ours':>10s} {'means: PyTorch':>15s} {'ours':>5s}")
for key, measured in axes_result.measured_axes.items():
    print(f"{', '.join(key):17s} {', '.join(measured or ('none',)):>21s} {', '.join(axes_result.predicted_axes[key]):>10s} "
          f"{axes_result.measured_count[key]:>15d} {axes_result.predicted_count[key]:>5d}")
for key in axes_result.measured_axes:
    assert axes_result.measured_axes[key] == axes_result.predicted_axes[key], f"{key}: reduced axes"
    assert axes_result.measured_count[key] == axes_result.predicted_count[key], f"{key}: number of means"
    assert axes_result.largest_mean[key] < 1e-5 and axes_result.largest_std_error[key] < 1e-3, key
assert axes_result.measured_count[("image", "layer")] == 4 and axes_result.measured_count[("tokens", "layer")] == 4 * 5, \
    "LayerNorm: one mean per image, but one per token of a sequence"

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch's modules take their statistics exactly over the axes of the table (an exhaustive search
# of the outputs: a smaller set of axes never has mean 0 everywhere). InstanceNorm is GroupNorm
# with one channel per group, LayerNorm on images GroupNorm with one group. On token sequences,
# BatchNorm (in training mode), InstanceNorm and GroupNorm all mix positions, including future ones; a causal
# language model cannot use them, which is one more reason Transformers use LayerNorm (or RMSNorm)
# per token.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why BatchNorm was invented: the internal covariate shift debate
#
# Ioffe & Szegedy (2015) motivated BatchNorm by *internal covariate shift*: each layer's input
# distribution changes as the layers before it train, so each layer chases a moving target;
# fixing the mean and variance of every input was to remove that. Santurkar et al. (2018) tested
# the explanation. They added random noise with a changing mean and variance *after* each
# BatchNorm layer, so that the shift was larger than without any norm, and the network still
# trained about as well as with plain BatchNorm (their Figure 2). They also found that BatchNorm
# need not reduce the shift by their measures, and argued that what it does is make the loss
# landscape smoother: the loss and its gradient change more slowly along the training path (a
# better Lipschitz constant and "β-smoothness", their section 3). Neither paper is about
# LayerNorm; what this notebook measures for LayerNorm is more modest: it fixes the scale of each
# layer's input (section 4), and the weights that feed it become scale invariant (section 8).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. What LayerNorm is invariant to
#
# Ba et al. (2016), Table 1, lists which changes of the weights or the data leave each
# normalization's output unchanged. Take a linear layer's summed inputs `a = W x` (`W` is `d_out × d_in`, row `i` holds neuron
# `i`'s incoming weights; as in the paper's equations there is no separate bias before the norm)
# followed by a normalization. A transformation leaves the layer *invariant* if the normalised
# output of every example is unchanged. The six columns of the paper's table, as we implement
# them (`δ > 0` a number, `v` and `c` vectors; `v` is not the gain `γ`):
#
# | transformation | what changes |
# |---|---|
# | weight matrix re-scaling | `W → δW` |
# | weight matrix re-centering | `W → W + 1vᵀ`: the *same* vector `v` added to every row, so every neuron's summed input shifts by the same `v·x` |
# | weight vector re-scaling | row `i` times its own `δᵢ` (one neuron's incoming weights) |
# | dataset re-scaling | every example `x → δx` |
# | dataset re-centering | every example `x → x + c` |
# | single training case re-scaling | one example `x₀ → δx₀`, the others unchanged |
#
# We measure all six for BatchNorm (training-mode statistics), weight normalization
# (Salimans & Kingma 2016: `aᵢ = gᵢ vᵢ·x / ‖vᵢ‖`), LayerNorm and RMSNorm, with a random gain and
# bias in each norm, `δ = 3`, three seeds, and compare with the published table, shipped with the
# course. Every verdict follows from the formulas by algebra (while the summed inputs' variance
# is much larger than `eps`), so the agreement below is a *demonstration* that our code and the
# six transformations are what the paper means, not a discovery:

# %% slideshow={"slide_type": "-"}
print(reference_citation("ba2016_table1_invariance"))
published = published_table()
invariance = run_invariance(seeds=SEEDS[:3], delta=3.0)

# %% slideshow={"slide_type": "subslide"}
_ = plot_invariance(invariance, published)

# %% slideshow={"slide_type": "fragment"}
ours = invariance.verdicts()
print(f"{'':32s}" + "".join(f"{m:>13s}" for m in invariance.methods))
for name in invariance.transformations:
    print(f"{name:32s}" + "".join(f"{ours[m][name]:>13s}" for m in invariance.methods))
agree = [ours[m][t] == published[m][t] for m in published for t in invariance.transformations]
change = invariance.change
print(f"\nagreement with Ba et al. (2016), Table 1: {sum(agree)} of {len(agree)} cells")
print(f"'invariant' cells: the output moved by less than {invariance.invariant_below:g} (relative); "
      f"'no' cells: by at least {sig(change[change > invariance.changed_above].min(), 1)}")

assert "unclear" not in {v for row in ours.values() for v in row.values()}, "every cell decided with margin"
assert all(agree), "demonstration: our code reproduces the published table"
ln_row, rms_row = ours["layer norm"], ours["rms norm"]
assert {t for t in rms_row if rms_row[t] != ln_row[t]} == {"weight matrix re-centering"}, \
    "demonstration: RMSNorm's row is LayerNorm's minus re-centering (Zhang & Sennrich 2019, Table 1)"

# %% [markdown] slideshow={"slide_type": "notes"}
# Our measurement agrees with the published table in all 18 cells (a demonstration: the verdicts
# hold by algebra). The fourth row, RMSNorm, is Zhang & Sennrich's (2019) Table 1, with the same
# verdicts: LayerNorm's invariances except weight-matrix re-centering, because RMSNorm never
# subtracts the mean. Two remarks. "Invariant" is exact only while the summed inputs' variance is
# much larger than `eps`: scaling the inputs down towards `sqrt(eps)` breaks it (section 1). And
# the invariance to re-scaling a *single* example is what the source's vague "more robust to
# changes in the input" can honestly mean: LayerNorm does not make a network robust to adding
# the same vector to every example (dataset re-centering: "no"). Applied directly to a vector, LayerNorm also ignores a
# constant added to all of that vector's features (the explorer's `shift` slider below); seen
# from the summed inputs of a layer, that is the weight-matrix re-centering column. Shifting an
# example by an arbitrary vector is not undone.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Activations and gradients in a deep net
#
# A 30-block MLP of width 64 (`resnorm.models.DeepMLP`, ReLU), one batch, one backward pass, three
# seeds. Each block has the branch `f(h) = W₂·act(W₁·norm(h) + b₁) + b₂`, the shape of a
# Transformer's feed-forward sublayer (its output comes from a linear layer: mean zero, either
# sign). A **plain** block computes `h → f(h)`: the norm is on the only path, every block's input
# is normalised. A **residual** block computes `h → h + f(h)` (pre-norm, as in GPT-2): the norm
# sits at the start of the branch and the residual stream `h` itself is never normalised.
# (Post-norm, `norm(h + f(h))`, is the subject of notebook 03.) Eight configurations use
# PyTorch's default initialisation, where each branch is weak (it returns about `1/18` of its
# input's variance); four repeat the plain and the residual net, without a norm and with
# LayerNorm, at He initialisation (zero biases), where a branch without a norm returns as much
# variance as it receives:

# %% slideshow={"slide_type": "-"}
NORM_CONFIGS

# %% [markdown] slideshow={"slide_type": "-"}
# We record, for every hidden state `h` (the stem's output, then each block's output), its root
# mean square and that of the backpropagated gradient `∂L/∂h`: the quantity that a derivation
# through the blocks' Jacobians predicts.

# %% slideshow={"slide_type": "subslide"}
depth_result = run_norm_depth(NORM_CONFIGS, depth=30, width=64, seeds=SEEDS[:3])
_ = plot_norm_depth(depth_result)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What a norm does.** In the plain net without a norm at PyTorch's default initialisation,
# every block shrinks the signal (a block returns about `1/18` of its input's variance), the
# hidden state falls within a few blocks to a floor set by the biases, and the gradient vanishes
# on its way to the input until it underflows. With a norm on the path, every block starts from
# unit scale and the gradient no longer vanishes. But that vanishing is an initialisation
# problem: at He initialisation the plain net keeps its gradient *without* a norm. In the
# residual net, the stream's variance is multiplied by about `1 + Var f / Var h` per block: at
# default initialisation the branches are weak and the stream grows only a little, norm or not;
# at He initialisation the product explodes, and the pre-norm bounds it: each branch then adds
# a fixed amount of variance, so after `l` blocks the stream's variance is about `l + 1` times
# the stem's. The RMS grows like `sqrt(depth)` (predicted last/first block:
# `sqrt((L + 1)/2)`), and so does the gradient on its way back (input/output: `sqrt(L + 1)`):
# pre-norm turns exponential growth into `sqrt(depth)` growth, not into equal gradients.

# %% slideshow={"slide_type": "fragment"}
L = 30
for label in NORM_CONFIGS:
    print(f"{label:30s} RMS of h: last/first block {sig(np.median(depth_result.growth(label))):>6s}"
          f"   RMS of dL/dh: input/output {sig(np.median(depth_result.grad_ratio(label))):>7s}")
print(f"pre-norm at He init, predicted: RMS of h {sig(math.sqrt((L + 1) / 2))}, dL/dh {sig(math.sqrt(L + 1))}")

assert np.all(depth_result.grad_ratio("plain") < 1e-8), "plain, default init: the gradient vanishes towards the input"
assert np.all(depth_result.grad_ratio("plain, He init") > 0.05), "plain, He init: no vanishing, without any norm"
for label in ("plain + LayerNorm", "plain + RMSNorm", "plain + BatchNorm"):
    assert np.all(depth_result.grad_ratio(label) > 1e-3), f"{label}: no vanishing of the default-init kind"
assert np.all(depth_result.growth("residual, He init") > 1e3), "He init, no norm: the stream explodes"
he_prenorm = "residual + LayerNorm, He init"
assert abs(np.median(depth_result.growth(he_prenorm)) / math.sqrt((L + 1) / 2) - 1) < 0.15, \
    "pre-norm, He init: the stream's RMS grows like sqrt(depth)"
assert abs(np.median(depth_result.grad_ratio(he_prenorm)) / math.sqrt(L + 1) - 1) < 0.25, \
    "pre-norm, He init: the gradient grows towards the input like sqrt(depth)"
for label in ("residual + LayerNorm", "residual + RMSNorm", "residual + BatchNorm"):
    ratio = depth_result.grad_ratio(label)
    assert np.all((ratio > 1) & (ratio < 10)), f"{label}, default init (weak branches): the gradient grows a few-fold"

# %% [markdown] slideshow={"slide_type": "subslide"}
# **What a norm does not fix.** A norm controls the *forward* scale; the gradient still passes
# through every block's Jacobian. In the table above, at default initialisation, plain +
# LayerNorm and plain + RMSNorm lose a little gradient per block, and plain + BatchNorm *gains*
# almost a fifth per block, more than a hundredfold over 30 blocks. Why?
#
# In mean-field theory (infinitely wide layers) a plain net with a norm before the activation `φ`
# changes the gradient per block by `sqrt(E[φ'(u)²]·Var u / Var φ(u))`, `u` the activation's
# input: the norm rescales away whatever forward variance `φ` loses, while the backward pass
# loses only `E[φ'(u)²]` (the estimate assumes that the rest of the block scales the forward
# mean square and the backward gradient by the same factor, true for ReLU, only roughly for a
# saturating `φ`). For ReLU the lost part is the positive mean: a norm that subtracts it divides
# by the standard deviation, `sqrt(1 - 1/π)` of the root mean square, so the gradient grows
# `1/sqrt(1 - 1/π) ≈ 1.21` per block. For tanh the loss is saturation, small near the linear
# regime: `1.02` at the input variance `1/3` that PyTorch's default weights give, `1.09` at
# variance 1. In our branch a ReLU's mean leaves through `W₂`: for each feature, over the batch,
# it is a fixed offset, which BatchNorm removes; for each example, over its features, the random
# signs of `W₂` average it away, so LayerNorm has nothing to remove. The ablation: plain nets with
# LayerNorm or BatchNorm and ReLU, tanh (at its default input variance, and with `W₁` times
# `sqrt(3)`: variance 1) or no activation, with PyTorch's biases or zero biases, plus He et al.'s
# (2016b) "ReLU before addition" branch, whose last ReLU hands LayerNorm a positive mean.

# %% slideshow={"slide_type": "subslide"}
ablation = run_norm_depth(MEAN_REMOVAL_ABLATION, depth=30, width=64, seeds=SEEDS[:3])
_ = plot_mean_removal(ablation, MEAN_REMOVAL_FACTOR)

# %% slideshow={"slide_type": "fragment"}
rate = ablation.per_block
for label in MEAN_REMOVAL_ABLATION:
    print(f"{label:40s} gradient growth per block {sig(np.median(rate(label)), 3):>5s}")
tanh_default, tanh_var1 = mean_field_rate("tanh", 1 / 3), mean_field_rate("tanh", 1.0)
print(f"mean-field estimates: ReLU mean removed {sig(MEAN_REMOVAL_FACTOR, 3)}, tanh at input variance 1/3 "
      f"{sig(tanh_default, 3)}, at 1 {sig(tanh_var1, 3)}, no activation 1")

for with_mean, without_mean in (("BatchNorm, relu", "BatchNorm, identity"),
                                ("LayerNorm, relu also ending the branch", "LayerNorm, relu")):
    assert np.all(rate(with_mean) > rate(without_mean) + 0.1), \
        f"{with_mean} vs {without_mean}: removing a ReLU mean adds at least half the predicted 0.21 per block"
for label in ("BatchNorm, relu", "BatchNorm, relu, zero biases"):
    assert abs(np.median(rate(label)) - MEAN_REMOVAL_FACTOR) < 0.06, f"{label}: close to 1/sqrt(1 - 1/pi)"
for norm in ("LayerNorm", "BatchNorm"):
    assert np.all(rate(f"{norm}, tanh, input var 1") > rate(f"{norm}, tanh") + 0.04), \
        f"{norm}: a more saturated tanh (no mean at all) makes the gradient grow"
    assert abs(np.median(rate(f"{norm}, tanh, input var 1")) - tanh_var1) < 0.05, f"{norm}: near the tanh estimate"
for label in ("LayerNorm, relu", "LayerNorm, tanh", "LayerNorm, identity"):
    assert np.all(rate(label) < 1.03), f"{label}: LayerNorm removes no ReLU mean here, the gradient does not grow"
ln_bias_gap = np.median(rate("LayerNorm, identity, zero biases") - rate("LayerNorm, identity"))
assert ln_bias_gap > 0.015 and abs(np.median(rate("LayerNorm, identity, zero biases"))
                                   - np.median(rate("BatchNorm, identity"))) < 0.02, \
    "no activation: LayerNorm's lower rate comes from the bias b2, which BatchNorm subtracts"

# %% [markdown] slideshow={"slide_type": "subslide"}
# The gradient grows where a norm rescales away a forward loss that the backward pass does not
# suffer: a ReLU's mean (BatchNorm + ReLU, close to 1.21 per block, a little below it with or
# without biases; LayerNorm only when the branch ends in a ReLU), or a saturating tanh's loss
# (with input variance 1, with no mean at all: near the estimate 1.09 for both norms). tanh at
# PyTorch's default input variance is nearly linear, which is why it looks flat. Without an
# activation, LayerNorm's gradient shrinks a few per cent per block more than BatchNorm's: the
# bias `b₂` adds to the spread over an example's features, which LayerNorm divides by, while
# BatchNorm subtracts it as a per-feature mean; with zero biases the two agree.
#
# **Is this what Yang et al. (2019) proved? Partly.** They derived, for BatchNorm in a plain net
# at initialisation, the same large-batch ReLU rate, `π/(π − 1) ≈ 1.47` per layer in squared
# norm, which is `1.21²`: the BatchNorm + ReLU arm measures their result. On top of it they
# derive a term from the coupling of the examples of a batch through its statistics, present
# with any nonlinearity, even none, and fading as the batch grows. BatchNorm without an
# activation, batches of 4 to 128 (three seeds):

# %% slideshow={"slide_type": "-"}
BATCH_SIZES = (4, 8, 32, 128)
coupling = {b: run_norm_depth({"BatchNorm, identity": MEAN_REMOVAL_ABLATION["BatchNorm, identity"]}, depth=30,
                              width=64, seeds=SEEDS[:3], batch_size=b).per_block("BatchNorm, identity")
            for b in BATCH_SIZES[:-1]}
coupling[128] = ablation.per_block("BatchNorm, identity")  # the ablation above ran at batch 128
for b, per_seed in coupling.items():
    print(f"BatchNorm, no activation, batch {b:3d}: gradient growth per block {sig(np.median(per_seed), 3):>5s} "
          f"(seeds {sig(per_seed.min(), 3)} to {sig(per_seed.max(), 3)})")

medians = [np.median(coupling[b]) for b in BATCH_SIZES]
assert medians[0] > 1.15 and medians[0] > medians[1] > medians[2], "the batch-coupling term shrinks as the batch grows"
assert all(abs(m - 1) < 0.03 for m in medians[2:]), "from batch 32 on it is gone (within 3% per block)"

# %% [markdown] slideshow={"slide_type": "-"}
# The coupling term is large at batch 4 and gone by batch 32; at the batch of 128 used above,
# BatchNorm's growth with ReLU is the mean-removal rate. LayerNorm couples no examples. What a
# norm does not give a plain net: at He initialisation the plain net and plain + LayerNorm both
# keep their gradient over 30 blocks here (input/output about 0.8 and 1.2 in the median), so the
# gradient's scale is not what the identity path adds; a deep plain net still trains worse than a
# shallow one (the degradation problem, notebook 01) and its gradients decorrelate across inputs
# (shattered gradients, notebook 05). And in the residual net the stream still grows (like
# `sqrt(depth)` with pre-norm), which is why pre-norm Transformers add a final norm before the
# output head.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. RMSNorm: one statistic instead of two
#
# RMSNorm (Zhang & Sennrich 2019) drops the centering and the bias:
# `RMSNorm(x) = γ · x / sqrt(mean(x²) + eps)`. Side by side, the two forward passes we compare.
# `resnorm.norms.LayerNorm` (section 1) writes `x - mean` twice for readability; to compare the
# formulas and not our writing, the LayerNorm below computes it once (`LayerNormCentredOnce`,
# the same function: tested against `nn.LayerNorm`):

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(LayerNormCentredOnce.forward))
print(inspect.getsource(RMSNorm.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# It equals `torch.nn.RMSNorm(d, eps=1e-6)` in forward and backward (the table in section 1), and
# section 3 measured its invariances: those of LayerNorm except weight re-centering. What it saves:
# count the PyTorch calls of one forward pass (exact, repeatable: a demonstration of what the two
# formulas ask for), then time them (noisy: the modules are timed in alternation, 200 times, on a
# `(256, 512)` batch, and compared by their median). PyTorch's own modules are one fused call
# each, which computes its statistics inside (two for `layer_norm`, one for `rms_norm`).

# %% slideshow={"slide_type": "fragment"}
cost = run_norm_cost(d=512, batch_size=256, repeats=200, seed=SEEDS[0])
for label, ops in cost.ops.items():
    kind = "fused" if cost.fused(label) else f"{cost.reductions(label)} reduction(s)"
    print(f"{label:17s} {len(ops):2d} call(s), {kind}: {' '.join(ops)}")
assert cost.reductions("LayerNorm (ours)") == 2 and cost.reductions("RMSNorm (ours)") == 1, "demonstration"
assert len(cost.ops["RMSNorm (ours)"]) < len(cost.ops["LayerNorm (ours)"]), "demonstration"

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
for label in cost.seconds:
    print(f"{label:17s} median {cost.median_us(label):6.0f} µs per forward pass")
_ = plot_norm_cost(cost)

# %% slideshow={"slide_type": "fragment"}
ours_ratio = cost.ratio("RMSNorm (ours)", "LayerNorm (ours)")
print(f"from scratch, RMSNorm takes less time than LayerNorm: {ours_ratio < 0.9}")
assert ours_ratio < 0.9, f"RMSNorm should be clearly cheaper than LayerNorm written as economically; ratio {ours_ratio:.2f}"

# %% [markdown] slideshow={"slide_type": "notes"}
# Written as economically, RMSNorm makes 6 calls with one reduction against LayerNorm's 9 with
# two, and takes clearly less time (the exact ratio depends on the machine, so the stored timings
# above are not checked; only "less than 0.9 of LayerNorm's" is). But
# an implementation matters as much as the formula: PyTorch's `nn.LayerNorm` is one fused kernel,
# and on this CPU it can be as fast as or faster than `nn.RMSNorm`. Zhang & Sennrich (2019) report
# 7% to 64% less running time across their models; in a large model the norm is a small part of
# the total cost either way (notebook 04 measures that).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Two claims tested: regulariser, and gradient variance
#
# The source calls LayerNorm "a regularisation technique" (一种正则化技术) and says it "reduces the
# variance in gradient computation" (减少了梯度计算中的方差). Both can be tested.
#
# **Regulariser.** One account of why BatchNorm and dropout regularise is the noise they inject:
# an example's output depends on which other examples share its batch, or on a random mask
# (Ioffe & Szegedy 2015, section 3.4, observe that a BatchNorm network no longer produces
# deterministic values for a given example, and that dropout could then be removed or
# reduced). Put one fixed example into 30 different batches and watch its output (LayerNorm's
# zero is a demonstration, it reads no other example; BatchNorm's and dropout's spreads are
# measured):

# %% slideshow={"slide_type": "subslide"}
_ = plot_batch_dependence(batch)

# %% slideshow={"slide_type": "fragment"}
spread = dict(zip(batch.methods, batch.companion_spread))
for method, values in spread.items():
    print(f"{method:26s} std of one example's output across {batch.n_batches} batches: {sig(np.median(values))}")
assert np.all(spread["LayerNorm"] == 0), "LayerNorm: no batch noise at all"
assert np.all(spread["BatchNorm (train mode)"] > 0.1), "BatchNorm: output depends on the batch"
assert np.all(spread["LayerNorm + dropout 0.1"] > 0.1), "dropout: random by design"

# %% [markdown] slideshow={"slide_type": "-"}
# LayerNorm computes the same function in training and at inference, for any batch: it injects
# no noise, so it has none of the noise-driven regularisation of BatchNorm or dropout. Calling it
# "a regularisation technique" is misleading; "a normalization technique" is the word. That does not
# mean it leaves generalisation alone; it acts on it in two ways that are not noise (from the
# literature; section 8 measures the mechanism of the first on a toy net):
#
# - **Through the effective learning rate.** When a weight matrix's output goes straight into a
#   norm, the output does not change when that matrix is scaled up, so its *direction* is all
#   that matters, and a gradient step of fixed size turns the direction less when the weights are
#   larger. Weight decay shrinks the weights and so keeps that angular step large: for such
#   scale-invariant weights, L2 regularisation acts as a learning-rate schedule rather than as a
#   constraint on the function (van Laarhoven 2017; Li & Arora 2019 show that this combination
#   is equivalent to an exponentially growing learning rate). Both assume scale-invariant
#   parameters; in a pre-LN Transformer most weight matrices write into the residual stream or
#   feed attention and are not scale-invariant on their own, so there it is one influence among
#   others, not an exact equivalence.
# - **Through its own parameters.** Xu et al. (2019) found that LayerNorm's gain and bias can
#   *increase* over-fitting: in their experiments a LayerNorm without them ("LayerNorm-simple")
#   did better on four of their data sets.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **"Reduces the variance of the gradient."** Two readings. (1) *Across mini-batches*: is a
# mini-batch gradient `g_B` closer to the full-batch gradient `g` with LayerNorm? We measure
# `‖g_B − g‖ / ‖g‖` for each layer's weight gradient, averaged over 4 mini-batches, and take the
# median over the 32 hidden layers (in a net whose layers' gradients differ by orders of
# magnitude, the flattened gradient would be a few layers' alone). At initialisation only, on a
# teacher classification task of 1,024 examples (16-block MLPs of width 32, five seeds), for
# batches of 32 and of 128. The batches are drawn with replacement, so sampling theory predicts
# that four times the batch halves the noise, whatever the model. (2) *Across layers*: how
# unequal are the layers' gradient norms?

# %% slideshow={"slide_type": "-"}
noise = run_gradient_noise(depth=16, width=32, seeds=SEEDS, n_samples=1024, batch_sizes=(32, 128), n_batches=4)
_ = plot_gradient_noise(noise)

# %% slideshow={"slide_type": "fragment"}
print(f"{'':22s} {'layer noise, batch 32':>21s} {'batch 128 / 32':>15s} {'largest/smallest layer gradient':>32s}")
for label in noise.relative_noise:
    print(f"{label:22s} {sig(np.median(noise.noise(label, 32))):>21s} "
          f"{sig(np.median(noise.noise(label, 128) / noise.noise(label, 32))):>15s} "
          f"{sig(np.median(noise.layer_spread[label])):>32s}")
ln_effect = {base: noise.noise(f"{base} + LayerNorm", 32) / noise.noise(base, 32) for base in ("plain", "residual")}
for base, ratio in ln_effect.items():
    print(f"{base}: noise with LayerNorm / without, per seed: {', '.join(sig(r) for r in ratio)}")

quadrupled = np.array([noise.noise(label, 128) / noise.noise(label, 32) for label in noise.relative_noise])
assert np.all(np.median(quadrupled, axis=1) < 0.7) and 0.4 < np.median(quadrupled) < 0.6, \
    "four times the batch: about half the noise (1/sqrt(4)), in every configuration"
assert np.all((ln_effect["residual"] > 0.8) & (ln_effect["residual"] < 1.25)), "residual: LN leaves the noise as it is"
assert np.any(ln_effect["plain"] > 1), "plain: LN does not lower the noise on every seed"
assert np.all(noise.layer_spread["plain"] > 1e6) and np.all(noise.layer_spread["plain + LayerNorm"] < 100), \
    "plain: LN brings the layers' gradients from many orders of magnitude apart to under two"
assert np.all(noise.layer_spread["residual"] < 10) and np.all(noise.layer_spread["residual + LayerNorm"] < 10), \
    "residual: the layers' gradients are within one order of magnitude with or without LN"

# %% [markdown] slideshow={"slide_type": "-"}
# Verdict, at initialisation (training was not measured here): **half-true**. Reading 2: in the
# plain net at PyTorch's default initialisation LayerNorm brings the layers' gradient norms from
# about nine orders of magnitude apart to about one (13x in the median, under 100x on every
# seed); the residual net has them within a few-fold already, with or without it. That is what
# "more stable training" can rest on. Reading 1 is wrong: each layer's sampling noise falls with
# the batch size (four times the batch, about half the noise, as predicted), and at a given batch
# size its level depends on the data and on the whole model; adding LayerNorm leaves it unchanged
# in the residual net (within 25% on every seed) and moves it up on some seeds and down on others
# in the plain net. LayerNorm is not a noise reducer; the batch size is the lever.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. The gain and the bias: what they give back
#
# A norm removes a mean and a scale; the gain `γ` and bias `β` let the network put a scale and a
# shift back where that helps. Ioffe & Szegedy (2015, section 3) put it as "the transformation
# inserted in the network can represent the identity transform": with `γ = sqrt(var + eps)` and
# `β = mean`, BatchNorm returns its input. Precisely, that holds for the statistics BatchNorm
# removed, one mean and one variance per feature shared by the batch (at inference: its running
# averages), so one `γ` and one `β` per feature undo them exactly. LayerNorm removes one mean and
# one variance per *example*; its `γ` and `β` are still per feature and shared by all examples,
# so they restore a per-feature scale and shift, but not each example's own mean and scale. We
# measure it: BatchNorm with `γ, β` set from its batch, and the best per-feature `γ, β` after
# LayerNorm (least squares), on 32 examples of 16 features that differ in mean and scale; the
# ablation gives every example the same mean and scale (three seeds).

# %% slideshow={"slide_type": "fragment"}
init = {name: (m.weight.min().item(), m.weight.max().item(), m.bias.abs().max().item())
        for name, m in (("nn.LayerNorm", nn.LayerNorm(8)), ("nn.BatchNorm1d", nn.BatchNorm1d(8)),
                        ("nn.GroupNorm", nn.GroupNorm(2, 8)))}
print("PyTorch's initial gain (min, max) and largest |bias|:", init)
assert all(v == (1.0, 1.0, 0.0) for v in init.values()), "demonstration: gamma = 1, beta = 0 at initialisation"

affine = run_affine_identity(seeds=SEEDS[:3], d=16, batch_size=32)
print(f"BatchNorm, gamma = sqrt(var + eps), beta = mean of its batch: largest |output - input| / max |input| "
      f"{sig(affine.batchnorm_error.max(), 1)}")
print(f"LayerNorm, best per-feature gamma and beta: part of the input not reproduced "
      f"{sig(np.median(affine.layernorm_residual))} (median; examples differ in mean and scale), "
      f"{sig(affine.layernorm_residual_shared.max(), 1)} (examples share them)")
assert np.all(affine.batchnorm_error < 1e-5), "BatchNorm can give back exactly what it removed from its batch"
assert np.all(affine.layernorm_residual > 0.3), "LayerNorm's gamma and beta cannot give each example its mean and scale"
assert np.all(affine.layernorm_residual_shared < 1e-4), "ablation: they can when every example shares them"

# %% [markdown] slideshow={"slide_type": "-"}
# At initialisation PyTorch sets `γ = 1, β = 0` (the check above is a demonstration: it reads the
# modules), so a fresh norm is the pure normalization. "Can learn the identity" has two meanings.
# Ioffe & Szegedy's: the *norm layer* can return its input; BatchNorm can, exactly, LayerNorm
# cannot (measured above). The one that matters in residual nets: the *residual block* returns
# its input when its branch outputs zero. Some ResNets get that at initialisation by starting the
# `γ` of the last BatchNorm of each branch at 0 (Goyal et al. 2017, section 5.1); notebook 01,
# [Residual scaling at initialisation](01_residual_connections.ipynb#Residual-scaling-at-initialisation),
# measures the same idea with the branch's last linear layer zeroed. A Post-LN block,
# `LN(x + f(x))`, cannot be the identity that way: its last LayerNorm still normalises every token.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. The backward pass: what LayerNorm's gradient cannot contain
#
# LayerNorm's output does not change when its input `x` is shifted by a constant (`x + c·1`) or
# scaled (`a·x`, up to `eps`). Its gradient with respect to `x` is therefore orthogonal to those
# two directions, the all-ones vector and the normalised input `x̂`:
#
# $$\frac{\partial L}{\partial x} = \frac{1}{\sigma}\Big(v - \overline{v} - \hat x\,\overline{v\hat x}\Big),
# \qquad v = \gamma \odot \frac{\partial L}{\partial y},\quad \sigma = \sqrt{\mathrm{var}(x) + \epsilon},$$
#
# bars being means over the `d` features. We compare this closed form
# (`resnorm.experiments.scale_invariance.layernorm_input_grad`) with autograd for `nn.LayerNorm`
# (`d = 64`, inputs `3z + 2`, random gain and upstream gradient, three seeds), and measure the two
# cosines. The ablation: RMSNorm subtracts no mean, so its gradient is orthogonal to `x` only.

# %% slideshow={"slide_type": "fragment"}
jac = run_norm_gradient(seeds=SEEDS[:3], d=64, batch_size=32)
print(f"LayerNorm: closed form vs autograd, largest relative difference {sig(jac.closed_form_error.max(), 1)}")
print(f"LayerNorm: largest |cos(dL/dx, ones)| {sig(jac.ln_ones.max(), 1)}, |cos(dL/dx, x_hat)| {sig(jac.ln_xhat.max(), 1)}")
print(f"RMSNorm:   median |cos(dL/dx, ones)| {sig(np.median(jac.rms_ones))}, largest |cos(dL/dx, x)| {sig(jac.rms_x.max(), 1)}")
assert np.all(jac.closed_form_error < 1e-5), "the closed form is autograd's gradient"
assert np.all(jac.ln_ones < 1e-5) and np.all(jac.ln_xhat < 1e-5), "orthogonal to 1 and to x_hat (float precision, eps)"
assert np.all(jac.rms_ones > 0.02) and np.all(jac.rms_x < 1e-5), "ablation: RMSNorm's gradient is orthogonal to x only"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Weights that feed a norm: scale invariance
#
# The same argument one layer down: if a weight matrix `W` (no bias) feeds straight into a norm,
# `L(cW) = L(W)` for every `c > 0`. Differentiating in `c` at `c = 1` gives `⟨∂L/∂W, W⟩ = 0`: the
# gradient is orthogonal to the weights. Differentiating `L(cW) = L(W)` in `W` gives
# `∂L/∂W (cW) = ∂L/∂W (W) / c`: larger weights get proportionally smaller gradients. A step of
# learning rate `η` moves the direction `W/‖W‖` by `η ‖∂L/∂W (W/‖W‖)‖ / ‖W‖²`: for the direction,
# which is all the function depends on, the *effective learning rate* is `η/‖W‖²` (van Laarhoven
# 2017). And plain SGD only ever makes `W` longer: `‖W − η g‖² = ‖W‖² + η²‖g‖²` when `g ⊥ W`, so
# the effective learning rate only falls. Weight decay shrinks `W` every step; `‖W‖` settles
# where the shrinking balances that growth, and the effective learning rate stays higher.
# Zhang et al. (2019) name this the first of their three mechanisms of weight decay: in nets with
# BatchNorm trained with SGD or Adam, weight decay improves test accuracy through this larger
# effective learning rate, not by limiting the function. The net: `first` (16 → 32, no bias) →
# LayerNorm → ReLU → `head` (32 → 4), on a teacher task of 128 examples, three seeds. Ablations:
# the `head` of the same net (no norm after it), and `first` in the same net without LayerNorm.
# Then 50 steps of full-batch SGD (learning rate 1.5), without and with weight decay 0.1 on
# `first` only (on it the decay cannot change the function, only `‖W‖`). Which weights are scale
# invariant depends on the architecture: the layer before each norm in a Post-LN block or a
# conv → BatchNorm net; in a Pre-LN Transformer no matrix feeds a norm on its own (section 6).

# %% slideshow={"slide_type": "subslide"}
invariance_run = run_scale_invariance(seeds=SEEDS[:3], width=32, n_samples=128, steps=50, lr=1.5,
                                      weight_decays=(0.0, 0.1), scales=(0.5, 2.0, 4.0))
_ = plot_scale_invariance(invariance_run)

# %% slideshow={"slide_type": "fragment"}
norms = invariance_run.weight_norm
effective_lr = invariance_run.lr / norms ** 2
step_fall = invariance_run.relative_step[0, :, :10].mean(axis=-1) / invariance_run.relative_step[0, :, -10:].mean(axis=-1)
print(f"at init, |cos(dL/dW, W)|: first (feeds the norm) {sig(np.abs(invariance_run.cos_first).max(), 1)} or less; "
      f"head {sig(np.abs(invariance_run.cos_head).min())} or more; first without the norm "
      f"{sig(np.abs(invariance_run.cos_first_no_norm).min(), 1)} or more")
print(f"c |dL/dW(cW)| / |dL/dW(W)| for c = 0.5, 2, 4: {', '.join(sig(v, 4) for v in np.median(invariance_run.grad_scaling, 0))}")
print(f"|W| after 50 steps / at the start: without weight decay {sig(np.median(norms[0, :, -1] / norms[0, :, 0]))}, "
      f"with {sig(np.median(norms[1, :, -1] / norms[1, :, 0]))}")
print(f"effective learning rate lr/|W|^2 after 50 steps, with weight decay / without: "
      f"{sig(np.median(effective_lr[1, :, -1] / effective_lr[0, :, -1]))} (median)")
print(f"without weight decay, relative step |dW|/|W| (first 10 steps / last 10): falls {sig(np.median(step_fall))}x; "
      f"1/|W|^2 accounts for {sig(np.median(effective_lr[0, :, 0] / effective_lr[0, :, -1]))}x of it, "
      f"the rest is the gradient shrinking with the loss")
print(f"final loss: without weight decay {sig(np.median(invariance_run.loss[0, :, -1]), 1)}, "
      f"with {sig(np.median(invariance_run.loss[1, :, -1]), 1)} nats (median)")

assert np.all(np.abs(invariance_run.cos_first) < 1e-4), "a weight feeding a norm: gradient orthogonal to it"
assert np.all(np.abs(invariance_run.cos_head) > 0.05) and np.all(np.abs(invariance_run.cos_first_no_norm) > 1e-3), \
    "ablation: weights not followed by a norm have no such orthogonality"
assert np.all(np.abs(invariance_run.grad_scaling - 1) < 1e-3), "dL/dW(cW) = dL/dW(W) / c"
assert np.all(invariance_run.norm_identity_error < 1e-4), "every SGD step: |W'|^2 = (1 - lr wd)^2 |W|^2 + lr^2 |g|^2"
assert np.all(np.diff(norms[0], axis=-1) > 0), "without weight decay |W| grows at every step"
assert np.all(effective_lr[1, :, -1] > effective_lr[0, :, -1]), \
    "with weight decay |W| ends smaller: a larger effective learning rate"

# %% [markdown] slideshow={"slide_type": "-"}
# All three facts hold to float precision (the `eps` inside the norm bends them by about
# `eps / var ≈ 1e-5`). Without weight decay `|W|` grows at every step and the effective learning
# rate `η/|W|²` falls. Read the relative step `|ΔW|/|W|` with care: it falls far more than
# `1/|W|²` does, because on this small task the loss goes to zero and the gradient with it; the
# `1/|W|²` part is modest in 50 steps. With weight decay `|W|` ends smaller and the effective
# learning rate higher; it does not settle smoothly: each large step on the sphere lengthens `W`,
# the decay shrinks it again, and in full-batch training this balance overshoots, so `|W|`
# fluctuates around it. On these scale-invariant weights the decay does not constrain the function
# at all; it only sets the effective learning rate, and here that rate stays high enough that the
# loss does not settle as low. Whether that helps is a question of generalisation and gradient
# noise (Zhang et al. 2019), which a full-batch toy cannot answer.
#
# **Why `γ` and `β` usually get no weight decay.** They are not scale invariant: decaying `γ`
# towards 0 shrinks the output scale that the next layer and the loss see, a real constraint on
# the function rather than a learning-rate setting; `β` likewise is pulled towards no shift.
# And they are few: GPT-style optimisers put every 1-D parameter (gains, biases) in a group without
# weight decay and decay only the matrices (nanoGPT, `configure_optimizers`). In one Transformer
# layer of width 512 they are a tiny share of the parameters (a demonstration: counting):

# %% slideshow={"slide_type": "fragment"}
encoder_layer = nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True)
one_d = sum(p.numel() for p in encoder_layer.parameters() if p.dim() == 1)
total = sum(p.numel() for p in encoder_layer.parameters())
print(f"1-D parameters (biases, LayerNorm gains and biases): {one_d} of {total} ({sig(100 * one_d / total)}%)")
assert one_d / total < 0.01, "demonstration: gains and biases are under 1% of a layer's parameters"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# Change the width `d`, `eps`, the scale and shift of the input `x = scale·z + shift` and the
# norm (`source` is the source's unbiased version), and watch each example's output statistics
# (left: LayerNorm's targets are mean 0 and std 1) and its input gradient (right: the dashed line
# is `sqrt(d)/std(x)`, the law without `eps`). Try: `scale` below `1e-3` with `eps = 1e-5`;
# `eps = 0` with a tiny scale; `width 1` with `source`; a large `shift` with `rms`; `batch`
# (BatchNorm normalises columns, so each example's row is *not* mean 0, std 1). The figure just
# below is the default setting, drawn without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_layernorm_explorer, figsize=(11, 3.8), **EXPLORER_DEFAULTS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_layernorm_explorer()
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source (question 2)
#
# | the source says | verdict | evidence |
# |---|---|---|
# | LayerNorm is "a regularisation technique" (一种正则化技术) | **misleading** | not mainly a regulariser: deterministic, same in train and eval, no batch noise: [§6](#6.-Two-claims-tested:-regulariser,-and-gradient-variance). It still affects generalisation, not by noise: with weight decay, for weights whose output goes straight into a norm, its scale invariance sets an effective learning rate (van Laarhoven 2017; Li & Arora 2019), and its gain and bias can increase over-fitting (Xu et al. 2019) |
# | its purpose is to solve vanishing and exploding gradients | **half-true** | bounds the pre-norm residual stream (He init, 30 blocks: RMS ~4x, gradient ~6x, i.e. `sqrt(depth)`, instead of ~10⁴x); at PyTorch's default init it stops the plain net's vanishing, but He init alone does that too; a plain net with a norm can still grow its gradient (BatchNorm with ReLU: ~1.17x per block, over 100x in 30 blocks): [§4](#4.-Activations-and-gradients-in-a-deep-net) |
# | it computes the mean and variance "for each neuron's input" | **wrong** | per example over all neurons of the layer; per neuron over the batch is BatchNorm: [§2](#2.-What-LayerNorm-normalises-over,-and-what-BatchNorm-does) |
# | it scales the input "to a standard normal distribution" | **wrong** | mean 0 and variance 1 per vector; the distribution's shape (skewness 2) is unchanged: [§1](#1.-The-implementation,-from-scratch) |
# | "a learnable scalar and offset" | **wrong** | one gain and one bias per feature, shape `(d,)`: [§1](#1.-The-implementation,-from-scratch) |
# | it "reduces the variance in gradient computation", so training is more stable and faster | **half-true** | at initialisation: evens out the gradient scale across the layers of a plain net (default init); does not reduce per-layer mini-batch noise (the batch size sets it: 4x the batch, half the noise; LN leaves it unchanged in the residual net, either way in the plain net); speed not measured here: [§6](#6.-Two-claims-tested:-regulariser,-and-gradient-variance) |
# | it makes the network "more robust to changes in the input data" | **half-true** | invariant to re-scaling one example or all data, not to adding the same vector to every example: [§3](#3.-What-LayerNorm-is-invariant-to) |
# | code: `var = x.var(-1, keepdim=True)` | **wrong** | unbiased variance: output off by `sqrt((d-1)/d)` (6.5% at `d=8`, 0.098% at `d=512`), never `allclose` to `nn.LayerNorm` with default tolerances, NaN at `d=1`: [§1](#The-source's-version-uses-the-wrong-variance) |
# | code: mean, variance, `gamma`/`beta` of size `num_features`, `eps` inside the root | **right** | everything else in the snippet matches `nn.LayerNorm` |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each answer cell starts as `answer = ...`; replace the `...`, run the cell, and `check` tells
# you at once whether it is right, and if not, what is wrong. `hint(key)` gives hints.
#
# ### Exercise 1: LayerNorm from scratch
#
# Write `layer_norm(x, weight, bias, eps=1e-5)` for inputs of shape `(..., d)`, then set
# `answer = layer_norm`. The checker compares it with `torch.nn.functional.layer_norm` in forward
# and backward, with gains, biases, 3-d inputs and tiny inputs.

# %% slideshow={"slide_type": "subslide"}
def layer_norm(x, weight, bias, eps=1e-5):
    ...  # your code here


answer = ...  # replace ... with layer_norm once it is written
passed = check("02.implement_layernorm", answer)

# %% slideshow={"slide_type": "-"}
hint("02.implement_layernorm", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("02.implement_layernorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: find the bug in the source's version
#
# With gain 1, bias 0 and `eps → 0`, the source's output is `nn.LayerNorm`'s output times a
# constant that depends only on `d`. What is that constant for `d = 64`? (A number; compute it
# from `d`, don't measure it.)

# %% slideshow={"slide_type": "-"}
answer = ...  # a float
passed = check("02.source_factor", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.source_factor")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("02.source_factor")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: RMSNorm from scratch
#
# Write `rms_norm(x, weight, eps=1e-6)` (no bias) and set `answer = rms_norm`. The checker
# compares it with `torch.nn.functional.rms_norm`, forward and backward.

# %% slideshow={"slide_type": "-"}
def rms_norm(x, weight, eps=1e-6):
    ...  # your code here


answer = ...  # replace ... with rms_norm once it is written
passed = check("02.implement_rmsnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.implement_rmsnorm")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("02.implement_rmsnorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: RMSNorm's row of the invariance table
#
# Zhang & Sennrich (2019), Table 1, added RMSNorm to Ba et al.'s table. Without looking at
# section 3's figure or their table: which of the six transformations leave RMSNorm's output
# unchanged? Answer with a set of the column names, for example `{"dataset re-scaling"}`. The names:
# `"weight matrix re-scaling"`, `"weight matrix re-centering"`, `"weight vector re-scaling"`,
# `"dataset re-scaling"`, `"dataset re-centering"`, `"single training case re-scaling"`.

# %% slideshow={"slide_type": "-"}
answer = ...  # a set of names
passed = check("02.rms_invariances", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.rms_invariances")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("02.rms_invariances")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview answer card
#
# ### 15 seconds
# **EN.** LayerNorm normalises each example (each token) over its own features, mean 0 and
# variance 1 with the biased variance and `eps` inside the root, then applies a learned
# per-feature gain and bias; it keeps every layer's input at a fixed scale, which makes deep
# networks, above all residual Transformers, easier to optimise.
#
# **中文。** 层归一化（LayerNorm）对每个样本（每个 token）在它自己的特征维度上做归一化：用有偏方差、eps 放在根号里，把均值变成 0、方差变成 1，再乘上逐特征的可学习缩放参数 γ、加上平移参数 β；它让每一层输入的尺度保持固定，深层网络（尤其是带残差连接的 Transformer）因此更容易优化。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 seconds: three points
# **EN.**
# 1. **Per example, not per batch.** Statistics come from one example's features, so it works at
#    batch size 1 (BatchNorm fails there in training mode), is identical in training and
#    inference, and couples no examples: that is why sequence models use it instead of
#    BatchNorm. It is invariant to re-scaling an example or the weight matrix, not to adding the
#    same vector to every example.
# 2. **What it fixes and what it does not.** It fixes the forward scale: with pre-norm residual
#    blocks the stream and the gradient towards the input grow only like `sqrt(depth)` instead of
#    exponentially (He init, 30 blocks: about 4x and 6x). At PyTorch's default init it also stops
#    a plain net's gradient from vanishing, but so does He init alone; it is no substitute for the
#    identity path (degradation, shattered gradients), and it does not reduce mini-batch gradient
#    noise; the batch size does.
# 3. **Not mainly a regulariser, but not neutral for generalisation.** It adds no noise. With
#    weight decay, for weights whose output goes straight into a norm (scale-invariant weights),
#    it turns L2 into an effective learning-rate schedule, and its gain and bias can over-fit.
#    Implementation traps: `x.var()` is unbiased (off by `sqrt((d-1)/d)`, NaN at `d = 1`);
#    RMSNorm drops the mean and the bias and is cheaper.
#
# **中文。**
# 1. **按样本归一化，而不是按批。** 统计量只来自单个样本的特征，所以批大小为 1 也能用（批归一化在训练时做不到），训练和推理的计算完全一样，同一批的样本之间互不影响，这就是序列模型用它而不用批归一化的原因。它对单个样本或整个权重矩阵的缩放具有不变性，但对整个数据集加上同一个向量则没有不变性。
# 2. **它解决什么、不解决什么。** 它固定了前向的尺度：配合前置归一化（Pre-LN）的残差块，残差流和传回输入端的梯度都只按 `sqrt(深度)` 增长，而不是指数增长（何恺明初始化（He init）、30 个块：约 4 倍和 6 倍）。在 PyTorch 默认初始化下，它也能让普通（无残差）网络的梯度不再消失，但单用何恺明初始化同样做得到；它不能替代恒等映射的通路（见退化问题和梯度破碎），也不会降低小批量梯度的噪声，决定噪声的是批大小。
# 3. **主要不是正则化方法，但对泛化并非没有影响。** 它不引入噪声；但与权重衰减一起时，对输出直接进入归一化的权重（尺度不变的权重），L2 的作用变成了调节有效学习率，而 γ 和 β 本身还可能加重过拟合。实现上的坑：`x.var()` 默认是无偏方差（输出变为正确值的 `sqrt((d-1)/d)` 倍，`d = 1` 时为 NaN）；均方根归一化（RMSNorm）去掉了减均值和 β，计算更省。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Follow-ups an interviewer is likely to ask
# **Q:** Why not BatchNorm in a Transformer? **A:** Its statistics depend on the batch (and on
# padding and sequence length), differ between training and inference, and fail at batch size 1
# in training mode; in NLP the batch statistics fluctuate strongly during training (Shen et al.
# 2020, PowerNorm).
#
# **Q:** Does a plain deep net with a norm still have gradient problems? **A:** It can: when the
# norm rescales away a loss of forward variance that the backward pass does not suffer, the
# gradient grows towards the input. For ReLU that loss is the positive mean: BatchNorm + ReLU
# grows about 1.17x per block here (estimate 1.21), over 100x in 30 blocks; LayerNorm only when
# the branch ends in a ReLU.
#
# **Q:** Is that what Yang et al. (2019) proved? **A:** Partly: their large-batch rate for
# BatchNorm with ReLU, `π/(π − 1)` per layer in squared norm, is that `1.21²`; on top of it they
# derive a batch-coupling term that applies to any nonlinearity and fades as the batch grows
# (here 1.27x per block at batch 4, none from 32 on). LayerNorm has no such coupling.
#
# **Q:** How does LayerNorm affect generalisation, if it is not mainly a regulariser? **A:** With
# weight decay it sets an effective learning rate for scale-invariant weights (van Laarhoven
# 2017; Li & Arora 2019), and its gain and bias can increase over-fitting (Xu et al. 2019).
#
# **Q:** Does Pre-LN remove the need for learning-rate warm-up? **A:** In Xiong et al.'s (2020)
# BERT and translation experiments it trained well without; large Pre-LN models still use it
# (GPT-3; LLaMA, 2000 steps).
#
# **Q:** LayerNorm, InstanceNorm, GroupNorm: what differs? **A:** Only the axes of the statistics:
# for `(N, C, H, W)`, InstanceNorm per image and channel over `(H, W)`, GroupNorm per image over a
# channel group and `(H, W)`, LayerNorm per image over `(C, H, W)`; in a Transformer, per token over `D`.
#
# **Q:** Why no weight decay on `γ` and `β`? **A:** They are not scale invariant, so decay on them
# pulls the output scale and shift themselves towards 0 instead of only setting a learning rate;
# and they are few (0.2% of a width-512 layer): GPT-style optimisers decay only the matrices.
#
# **Q:** Why RMSNorm in LLaMA-style models? **A:** One statistic instead of two and no bias:
# cheaper, with the same invariances except re-centering, and comparable quality in Zhang &
# Sennrich's (2019) experiments.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 追问
# **问：** Transformer 为什么不用批归一化？**答：** 它的统计量依赖整批数据（还受 padding 和序列长度影响），训练和推理时不一致，训练时批大小为 1 就无法计算；在 NLP 任务中批统计量在训练时波动很大（Shen 等人 2020，PowerNorm）。
#
# **问：** 普通深层网络加了归一化，梯度就没问题了吗？**答：** 不一定：如果归一化把前向方差的某种损失重新放大回来，而反向传播并没有这种损失，梯度就会朝输入端增长。对 ReLU 来说，这种损失就是输出的正均值：这里批归一化加 ReLU 每块约增长 1.17 倍（理论估计 1.21），30 个块超过 100 倍；层归一化只有在分支以 ReLU 结尾时才会这样。
#
# **问：** 这就是 Yang 等人（2019）证明的结论吗？**答：** 部分是：他们给出的批归一化加 ReLU 在大批量下的速率（梯度平方范数每层 `π/(π − 1)` 倍）正是 `1.21²`；此外他们还推导出一个批内样本耦合带来的项，无论用哪种激活函数都会发生（速率取决于激活函数和批大小），批越大越弱（这里批大小为 4 时每块约 1.27 倍，32 及以上就没有了）。层归一化不存在这种耦合。
#
# **问：** 既然主要不是正则化方法，层归一化怎么影响泛化？**答：** 对尺度不变的权重，它与权重衰减共同决定有效学习率（van Laarhoven 2017；Li & Arora 2019）；γ 和 β 还可能加重过拟合（Xu 等人 2019）。
#
# **问：** 前置归一化（Pre-LN）是不是就不需要学习率预热（warm-up）了？**答：** 在 Xiong 等人（2020）的 BERT 和机器翻译实验里可以不用；但大型 Pre-LN 模型仍然使用预热（GPT-3；LLaMA 用了 2000 步）。
#
# **问：** 层归一化、实例归一化、组归一化有什么区别？**答：** 只是统计量取自哪些轴不同：对 `(N, C, H, W)` 的图像，实例归一化对每张图、每个通道在 `(H, W)` 上求均值，组归一化对每张图在一组通道和 `(H, W)` 上求，层归一化对每张图在 `(C, H, W)` 上求；在 Transformer 里，层归一化对每个 token 只在 `D` 个特征上求。
#
# **问：** 为什么 γ 和 β 一般不加权重衰减？**答：** 它们不是尺度不变的参数，衰减它们会直接把输出的尺度和偏移往 0 拉，而不只是改变有效学习率；而且参数量很少（宽度 512 的一层里只占 0.2%）。GPT 一类的优化器配置只对矩阵做权重衰减。
#
# **问：** LLaMA 这类模型为什么用 RMSNorm？**答：** 只算一个统计量、没有 β，计算更省；除了对权重矩阵重新中心化的不变性之外，其余不变性都保留，在 Zhang 和 Sennrich（2019）的实验里效果与层归一化相当。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450. (Eq. 3–4: the definition;
#   Table 1 and section 5.1: the invariances reproduced in section 3.)
# - Ioffe, Szegedy (2015). *Batch Normalization: Accelerating Deep Network Training by Reducing
#   Internal Covariate Shift.* ICML. (The per-feature, per-batch normalization of section 2 and
#   its motivation, internal covariate shift; section 3: `γ`, `β` can represent the identity,
#   section 7; section 3.4 on BatchNorm's regularising effect, section 6.)
# - Wu, He (2018). *Group Normalization.* ECCV. (Figure 2: the cube picture of BatchNorm, LayerNorm,
#   InstanceNorm and GroupNorm, redrawn in our own way in section 2.)
# - Ulyanov, Vedaldi, Lempitsky (2016). *Instance Normalization: The Missing Ingredient for Fast
#   Stylization.* arXiv:1607.08022. (InstanceNorm, section 2.)
# - Santurkar, Tsipras, Ilyas, Madry (2018). *How Does Batch Normalization Help Optimization?*
#   NeurIPS. (Figure 2: "noisy" BatchNorm trains as well; section 3: smoother loss landscape;
#   the internal covariate shift debate of section 2.)
# - Goyal et al. (2017). *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour.*
#   arXiv:1706.02677. (Section 5.1: `γ = 0` for the last BatchNorm of each residual block; section 7.)
# - Zhang, Wang, Xu, Grosse (2019). *Three Mechanisms of Weight Decay Regularization.* ICLR.
#   (Their first mechanism: in BatchNorm nets trained with SGD or Adam, weight decay regularises by
#   raising the effective learning rate; section 8.)
# - Karpathy (2022). *nanoGPT*, `model.py`, `configure_optimizers`: weight decay on 2-D parameters
#   only, none on biases and LayerNorm gains (section 8).
# - Salimans, Kingma (2016). *Weight Normalization.* NeurIPS. (The weight-norm row of section 3.)
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS. (RMSNorm, section 5;
#   Table 1: RMSNorm's invariance row, section 3 and exercise 4.)
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (The
#   residual blocks of section 4.)
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV. (Fig. 4c,
#   "ReLU before addition": the ablation branch of section 4.)
# - Yang, Pennington, Rao, Sohl-Dickstein, Schoenholz (2019). *A Mean Field Theory of Batch
#   Normalization.* ICLR. (Gradient explosion in plain BatchNorm nets at initialisation: the
#   large-batch ReLU rate `π/(π − 1)` per layer in squared norm, and a batch-coupling term for any
#   nonlinearity that fades as the batch grows; section 4.)
# - Shen, Yao, Gholami, Mahoney, Keutzer (2020). *PowerNorm: Rethinking Batch Normalization in
#   Transformers.* ICML. (Batch statistics fluctuate strongly in NLP training; the follow-ups.)
# - van Laarhoven (2017). *L2 Regularization versus Batch and Weight Normalization.* arXiv:1706.05350.
#   (Weight decay on scale-invariant weights sets the effective learning rate; sections 6 and 8.)
# - Li, Arora (2019). *An Exponential Learning Rate Schedule for Deep Learning.* arXiv:1910.07454
#   (ICLR 2020). (Normalization plus weight decay equals an exponentially growing learning rate;
#   section 6.)
# - Xu, Sun, Zhang, Zhao, Lin (2019). *Understanding and Improving Layer Normalization.* NeurIPS.
#   (LayerNorm's gain and bias can increase over-fitting; LayerNorm-simple; section 6.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML. (Pre- and
#   post-norm placement, warm-up in their BERT and translation settings; notebook 03.)
# - Brown et al. (2020). *Language Models are Few-Shot Learners.* NeurIPS. (GPT-3, Pre-LN, with
#   learning-rate warm-up, Appendix B.) Touvron et al. (2023). *LLaMA: Open and Efficient
#   Foundation Language Models.* arXiv:2302.13971. (Pre-normalization with RMSNorm, section 2.2;
#   2000 warm-up steps, section 2.3.)

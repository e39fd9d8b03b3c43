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
# # 01 · Residual connections: how they work and where they are used
#
# **题目（原文）：** 请解释残差连接的基本原理，并讨论它在神经网络中的具体应用。
#
# **The question:** explain the basic principle of a residual connection, and discuss how it is
# used in neural networks.
#
# The source answers that residual connections were designed to solve vanishing *and* exploding
# gradients, that they speed up training and that they improve generalisation, and it gives a
# convolutional `ResidualBlock`. This notebook measures each of these claims on small networks
# that train on a CPU in seconds, reproduces two published results (degradation and shortcut
# scaling) at toy scale, and takes the source's block apart.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Principle.** A residual block outputs `x + F(x)`: the layers learn only a correction `F`
#   to their input, which is carried along by an identity shortcut (no parameters, one addition;
#   He et al. 2016). If the best thing a block can do is nothing, it only has to learn `F = 0`.
# - **Why it works.** Backward, the identity gives the gradient a path that does not pass through
#   any weight matrix, so the first layers get a gradient of the same order as the last ones. A
#   plain deep net multiplies the gradient by one Jacobian per layer and loses it.
# - **What it fixes.** The *degradation* problem: a deeper plain net reaches a *higher training*
#   loss than a shallower one, with BatchNorm or LayerNorm; its residual version does not. Scaling
#   the shortcut by 0.5 makes training worse again.
# - **What it does not fix.** Growth: without normalization the stream's variance is multiplied
#   by `1 + Var F / Var x` at every block, so a deep residual stack and its gradients grow,
#   moderately at PyTorch's default initialisation, exponentially at He initialisation. Scaling
#   the branches down (`1/sqrt(2L)`) bounds it; a norm at the start of each branch turns the
#   exponential growth into `sqrt(L)`. "Solves vanishing and exploding gradients" is half true;
#   ResNets pair residuals with BatchNorm, Transformers with LayerNorm.
# - **Where.** Every deep architecture in use: ResNets, every sublayer of a Transformer, the
#   blocks of U-Nets and diffusion models.

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.data import load_reference, reference_citation
from resnorm.exercises import check, hint, solution
from resnorm.exercises.residual_connections import STATEMENTS
from resnorm.experiments.degradation import (
    DEGRADATION_CONFIGS,
    LAYERNORM_ABLATION,
    initial_gradient_ratio,
    run_degradation,
)
from resnorm.experiments.gradient_flow import FOUR_WAYS, PLAIN_NORM_ABLATION, mlp_layer_stats
from resnorm.experiments.shortcut_scaling import identity_path_gain, run_shortcut_scaling, scaling_label
from resnorm.experiments.source_resblock import (
    BLOCKS,
    block_properties,
    inplace_effects,
    negative_input_fractions,
)
from resnorm.experiments.stream_growth import (
    BRANCH_MEAN_ABLATION,
    INIT_CONFIGS,
    STREAM_CONFIGS,
    ZERO_INIT_ABLATION,
    growth_with_depth,
    run_stream_growth,
)
from resnorm.figures.residual_connections import (
    EXPLORER_DEFAULTS,
    draw_gradient_explorer,
    make_gradient_explorer,
    plot_growth_with_depth,
    plot_per_layer_grads,
    plot_shortcut_scaling,
    plot_stream_growth,
    plot_training_curves,
)
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(3)


def sig(value: float, digits: int = 2) -> str:
    """``value`` rounded to ``digits`` significant digits (``1.2e-10``, ``0.45``, ``530``)."""
    return f"{float(f'{value:.{digits}g}'):g}"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The principle
#
# A residual block adds its input to the output of its layers:
#
# $$x_{l+1} = x_l + F_l(x_l).$$
#
# Unrolled from block `l` to the last block `L`, the output is the input plus a sum of
# corrections, $x_L = x_l + \sum_{i=l}^{L-1} F_i(x_i)$, and the chain rule gives
#
# $$\frac{\partial \mathcal{L}}{\partial x_l} = \frac{\partial \mathcal{L}}{\partial x_L}
# \Big(I + \frac{\partial}{\partial x_l}\sum_{i=l}^{L-1} F_i(x_i)\Big)$$
#
# (He et al. 2016b, Eq. 4-5). The `I` is the point: the gradient that arrives at the last block
# reaches block `l` unchanged, plus whatever the branches add. In a plain net,
# $x_{l+1} = F_l(x_l)$, the same gradient is a *product* of `L - l` Jacobians,
# $\frac{\partial \mathcal{L}}{\partial x_L} \prod_i \frac{\partial F_i}{\partial x_i}$, and a
# product of many factors smaller than one vanishes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How small is each factor?** Our blocks have the branch of a pre-activation ResNet block or a
# Transformer's feed-forward sublayer, $F(h) = W_2\,\mathrm{ReLU}(W_1 h + b_1) + b_2$, two
# `Linear(n, n)` layers with one ReLU between them. Follow the backpropagated gradient
# $g = \partial \mathcal{L}/\partial h$ through one block, backwards:
#
# - through a `Linear(n, n)` with PyTorch's default initialisation (weights uniform in
#   $\pm 1/\sqrt{n}$, variance $1/(3n)$), the mean square of $g$ is multiplied by
#   $n \cdot \frac{1}{3n} = \frac{1}{3}$;
# - through the ReLU, only the entries whose input was positive pass: about half, so $\frac{1}{2}$;
# - through the second `Linear`, $\frac{1}{3}$ again.
#
# One plain block: $\frac{1}{3}\cdot\frac{1}{2}\cdot\frac{1}{3} = \frac{1}{18}$ for the mean
# square, $\sqrt{1/18} \approx 0.24$ for the norm of $g$. Thirty blocks: $0.24^{29} \approx 10^{-18}$.
# A residual block adds the identity, and the two terms are uncorrelated, so the mean square is
# multiplied by $1 + \frac{1}{18}$: the norm *grows* by $\sqrt{19/18} \approx 1.027$ per block on its
# way to the input. (With He initialisation, variance $2/n$ for $W_1$ and $1/n$ for $W_2$, the branch
# factor is $2 \cdot \frac{1}{2} \cdot 1 = 1$ and the residual block's is $\sqrt{2}$; section 3.)
#
# These are predictions for $\partial \mathcal{L}/\partial h$, the gradient at each block's
# output, so section 2 measures exactly that (`retain_grad()` on every hidden state). The
# gradient of a weight matrix is another quantity: $\partial \mathcal{L}/\partial W_1$ sums
# $\partial \mathcal{L}/\partial z \; h^\top$ over the batch, so its norm is roughly
# $\|\partial \mathcal{L}/\partial z\| \cdot \|h\|$ and also follows the size of the layer's input.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The gradient at every block, four nets of 30 blocks
#
# Four `resnorm.models.DeepMLP` nets of width 64 that differ in two switches: residual or not,
# LayerNorm at the start of each branch or not (pre-norm, as in GPT-2 style Transformers), all
# with PyTorch's default initialisation. Each gets one batch of 128 standard normal inputs, a
# cross-entropy loss on a readout head and one `backward()`, at initialisation, one net per seed.

# %% slideshow={"slide_type": "-"}
FOUR_WAYS

# %% slideshow={"slide_type": "subslide"}
stats30 = mlp_layer_stats(FOUR_WAYS, depth=30, seeds=SEEDS)
grads30 = stats30.state_grads
_ = plot_per_layer_grads(grads30)

# %% slideshow={"slide_type": "fragment"}
ratio = {label: grads30.first_to_last_ratio(label) for label in FOUR_WAYS}
factor = {label: grads30.per_block_factor(label) for label in FOUR_WAYS}
predicted = {"plain": np.sqrt(1 / 18), "residual": np.sqrt(19 / 18)}
ln_over_plain_residual = factor["residual + LayerNorm"] / factor["residual"]
for label in FOUR_WAYS:
    print(f"{label:21s} first/last block: {sig(ratio[label].min())} to {sig(ratio[label].max())}, "
          f"factor per block {sig(factor[label].min(), 3)} to {sig(factor[label].max(), 3)}")
print(f"predicted factor per block: plain sqrt(1/18) = {sig(predicted['plain'], 3)}, "
      f"residual sqrt(19/18) = {sig(predicted['residual'], 3)}")
print(f"residual + LayerNorm over residual, factor per block: {sig(ln_over_plain_residual.min(), 3)} "
      f"to {sig(ln_over_plain_residual.max(), 3)}")

assert np.all(np.abs(factor["plain"] / predicted["plain"] - 1) < 0.1), "plain: sqrt(1/18) per block, within 10%"
assert np.all(ratio["plain"] < 1e-12), "plain: the gradient vanishes towards the input"
assert np.all(np.abs(factor["residual"] / predicted["residual"] - 1) < 0.015), "residual: sqrt(19/18) per block"
assert np.all(ratio["residual"] > 1), "residual: the whole gradient reaches the first block"
assert np.all(np.abs(ln_over_plain_residual - 1) < 0.02), "at default init, LN in the branch changes nothing here"

# %% [markdown] slideshow={"slide_type": "-"}
# The **plain** net loses the predicted factor $\sqrt{1/18}$ at every block, within a few
# percent; by the first block almost nothing is left. The **residual** net delivers the whole
# gradient to its first block and a little more, the predicted $\sqrt{19/18}$ per block.
# **LayerNorm** in the residual branches changes nothing here: at PyTorch's default
# initialisation each branch is small next to the identity, and the two residual nets agree
# within 2% per block. LayerNorm matters when the branches are large: at He initialisation
# (notebook 00, and section 3 below) it turns exponential growth into $\sqrt{L}$.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Does a normalization alone rescue a plain net?** The fourth net, **plain + LayerNorm**, has
# no shortcut: its gradient neither vanishes nor explodes here, it shrinks by a few percent
# per block. Backward, a LayerNorm multiplies the gradient by $1/\sigma$, the inverse standard
# deviation of its input, which is the previous block's output. If that output's variance were
# exactly the branch's backward gain, $\frac{1}{18}$ of section 1, the two would cancel and the
# factor would be 1. They differ by the biases: PyTorch's default bias of the branch's last layer
# (uniform in $\pm 1/\sqrt{n}$, variance $\frac{1}{3n}$) adds $\frac{1}{3n}$ to the forward
# variance and nothing to the backward gain, so one block multiplies the gradient by about
# $\sqrt{\tfrac{1/18}{1/18 + 1/(3n)}} = 1/\sqrt{1 + 6/n} \approx 0.956$ at width $n = 64$. The
# ablation: the same nets with every bias set to 0 after initialisation (weights unchanged).
#
# **When does a norm make the gradient grow?** When it removes a *mean*. If each block ends in a
# ReLU (He et al. 2016b, Fig. 4c, "ReLU before addition", here in a plain net), its outputs are
# never negative. The next LayerNorm subtracts their mean and divides by the standard deviation
# that is left, which for a ReLU of a zero-mean Gaussian is smaller than its root mean square by
# $\sqrt{1 - 1/\pi}$; backward, the gradient is multiplied by about $1/\sqrt{1 - 1/\pi} \approx
# 1.21$ per block. This is an estimate for an infinitely wide net without biases, not a bound.
#
# BatchNorm removes such a mean even with the standard block. It subtracts each *feature's* mean
# over the batch: the hidden ReLU's outputs have a positive mean, and after `linear2` each
# feature still carries a fixed mix of it, the same for every example, again about $1/\pi$ of the
# feature's mean square. LayerNorm subtracts each *example's* mean over the features, which
# after `linear2` is about 0: nothing to remove. RMSNorm divides by the root mean square and
# subtracts nothing. The ablation, every block with a norm at its start, with PyTorch's biases
# and with zero biases:

# %% slideshow={"slide_type": "-"}
PLAIN_NORM_ABLATION

# %% slideshow={"slide_type": "subslide"}
ablation = mlp_layer_stats(PLAIN_NORM_ABLATION, depth=30, seeds=SEEDS).state_grads
no_bias = mlp_layer_stats(PLAIN_NORM_ABLATION, depth=30, seeds=SEEDS, zero_biases=True).state_grads
_ = plot_per_layer_grads(no_bias, title=f"Plain nets with a norm, 30 blocks, zero biases ({len(SEEDS)} seeds)")

# %% slideshow={"slide_type": "fragment"}
with_bias = {label: ablation.per_block_factor(label) for label in PLAIN_NORM_ABLATION}
zero_bias = {label: no_bias.per_block_factor(label) for label in PLAIN_NORM_ABLATION}
mean_removal = 1 / np.sqrt(1 - 1 / np.pi)
bias_factor = 1 / np.sqrt(1 + 6 / 64)
print(f"{'factor per block':35s}{'PyTorch biases':>18s}{'zero biases':>18s}")
for label in PLAIN_NORM_ABLATION:
    a, b = with_bias[label], zero_bias[label]
    print(f"{label:35s} {a.min():9.2f} to {a.max():.2f} {b.min():9.2f} to {b.max():.2f}")
print(f"estimates: mean removal 1/sqrt(1 - 1/pi) = {mean_removal:.2f}, biases 1/sqrt(1 + 6/64) = {bias_factor:.3f}")

for label in ("block ends in a ReLU", "BatchNorm, ReLU inside the branch"):
    assert np.all(np.abs(zero_bias[label] / mean_removal - 1) < 0.1), f"{label}: the mean-removal estimate, within 10%"
for label in ("ReLU inside the branch", "block ends in a tanh", "no activation", "RMSNorm, block ends in a ReLU"):
    assert abs(np.median(zero_bias[label]) - 1) < 0.05, f"{label}: no mean removed, no growth (median within 5% of 1)"
inside = "ReLU inside the branch"
assert abs(np.median(with_bias[inside]) / bias_factor - 1) < 0.05, "plain + LN: the biases' estimate, within 5%"
assert np.median(zero_bias[inside]) > np.median(with_bias[inside]), "... and zero biases remove the shrinkage"

# %% [markdown] slideshow={"slide_type": "-"}
# Read the zero-bias column first. The gradient grows towards the input, by about the estimated
# 1.21 per block, exactly where a norm removes a positive mean: LayerNorm after a ReLU ending,
# BatchNorm after the standard block. Keep the ReLU ending but swap LayerNorm for RMSNorm, which
# does not centre, and the growth is gone; so it is with a tanh ending (either sign), without an
# activation, or with the ReLU inside the branch. The first column adds PyTorch's biases: each
# block loses about the estimated 0.956 on top (BatchNorm's rows barely move, as it also removes
# the per-feature biases).
#
# For BatchNorm this is the large-batch result of Yang et al. (2019, *A Mean Field Theory of Batch
# Normalization*): in deep plain BatchNorm + ReLU nets the squared gradient grows by
# $\pi/(\pi - 1)$ per layer, $\sqrt{\pi/(\pi-1)} = 1/\sqrt{1 - 1/\pi} \approx 1.21$ in norm: the same
# mean-removal mechanism. Their theory has a second, finite-batch part on top, from coupling the
# examples of a batch (each is normalised with statistics of the others), which applies to any
# nonlinearity and fades as the batch grows; a LayerNorm, which normalises each example on its
# own, has no such part.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. How fast the residual stream grows
#
# Residual connections cure the vanishing; do they also keep the signal in bounds? Without a
# normalization, the mean square of the stream after one block is
#
# $$\mathbb{E}[x_{l+1}^2] = \mathbb{E}[x_l^2] + \mathbb{E}[F_l^2] + 2\,\mathbb{E}[x_l F_l].$$
#
# A zero-mean branch with its own random weights is uncorrelated with the stream, the last term
# is about 0, and over `L` blocks the stream's root mean square (RMS) grows by the product
#
# $$\frac{\mathrm{RMS}(x_L)}{\mathrm{RMS}(x_0)} = \prod_{l=0}^{L-1} \sqrt{1 + \frac{\mathrm{Var}\,F_l}{\mathrm{Var}\,x_l}}$$
#
# (Var here is the mean square over the batch and the width). So the growth is set by the ratio of
# each branch's output to its input, that is by the initialisation:
#
# - PyTorch's default: forward, the branch's two layers multiply the mean square by $\frac{1}{3}$
#   each and the ReLU by $\frac{1}{2}$, the same count as section 1's backward one, so the ratio is
#   about $\frac{1}{18} \approx 0.056$ (the biases add a little), and $(19/18)^{50} \approx 15$ over 100
#   blocks: moderate;
# - He initialisation: ratio 1, the mean square doubles per block, $2^{50} \approx 10^{15}$: exponential;
# - scaled (`init="scaled"`: He init, each branch's last layer times $1/\sqrt{2L}$): ratio
#   $\frac{1}{2L}$, so $(1 + \frac{1}{2L})^{L/2} \approx e^{1/4} \approx 1.28$: bounded. This is GPT-2's
#   rule, residual projections times $1/\sqrt{N}$ for $N$ residual layers (Radford et al. 2019),
#   with $N = 2L$ as in a Transformer of $L$ layers of two sublayers each. Our MLP has one residual
#   branch per block, so GPT-2's rule applied to it would be $1/\sqrt{L}$: ratio $\frac{1}{L}$,
#   growth $\approx e^{1/2} \approx 1.65$, still bounded. (GPT-2 also starts from weights of standard
#   deviation 0.02, not He's.)
# - a pre-norm: each branch sees $\mathrm{LN}(x_l)$, of unit scale whatever the stream's size, so
#   $\mathbb{E}[F_l^2]$ is a constant $c$, the mean square grows *linearly*, $\mathbb{E}[x_0^2] + l\,c$,
#   and the RMS like $\sqrt{l}$: not bounded, but no longer exponential. From 25 to 100 blocks the
#   RMS then grows by about $\sqrt{100/25} = 2$ (a little less when $\mathbb{E}[x_0^2]$ is not small
#   next to $25\,c$: the stem's output has mean square about $\frac{1}{3}$ at PyTorch's default).
#
# Measured on residual nets of 100 blocks, width 64, one batch of 64, one net per seed; dashed: the product formula
# computed from each block's *measured* ratio.

# %% slideshow={"slide_type": "-"}
STREAM_CONFIGS

# %% slideshow={"slide_type": "subslide"}
growth = run_stream_growth({**STREAM_CONFIGS, **BRANCH_MEAN_ABLATION}, depth=100, seeds=SEEDS)
_ = plot_stream_growth(growth, list(STREAM_CONFIGS))

# %% slideshow={"slide_type": "fragment"}
stream_final = {label: growth.growth(label)[:, -1] for label in growth.stream_ms}
ratio_per_seed = {label: np.median(growth.branch_ratio(label), axis=1) for label in growth.stream_ms}
drift = {label: growth.branch_ms[label][:, 50:].mean(axis=1) / growth.branch_ms[label][:, :50].mean(axis=1)
         for label in growth.stream_ms}
late_growth = {label: growth.growth(label)[:, 100] / growth.growth(label)[:, 25] for label in growth.stream_ms}
for label in STREAM_CONFIGS:
    print(f"{label:29s} RMS growth over 100 blocks {sig(stream_final[label].min())} to {sig(stream_final[label].max())}, "
          f"blocks 25 -> 100: {sig(late_growth[label].min())} to {sig(late_growth[label].max())}, "
          f"median Var F / Var x {sig(np.median(ratio_per_seed[label]))}")
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    print(f"{label}: branch output, blocks 50-99 / blocks 0-49: {sig(drift[label].min())} to {sig(drift[label].max())}")

assert np.all(np.abs(ratio_per_seed["default init"] * 18 - 1) < 0.15), "default init: Var F / Var x about 1/18"
assert np.all((stream_final["default init"] > 5) & (stream_final["default init"] < 50)), "default init: moderate growth"
assert np.all(np.abs(ratio_per_seed["He init"] - 1) < 0.15), "He init: Var F / Var x about 1"
assert np.all(stream_final["He init"] > 1e12), "He init: exponential growth"
assert np.all(np.abs(stream_final["He init, branch x 1/sqrt(2L)"] / np.exp(1 / 4) - 1) < 0.1), "1/sqrt(2L): e^(1/4)"
assert np.all(late_growth["default init"] > 4), "default init, no norm: exponential, far more than sqrt(100/25)"
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    assert np.all(np.abs(late_growth[label] / 2 - 1) < 0.25), f"{label}: blocks 25 -> 100 about sqrt(100/25) = 2"
    assert np.all((drift[label] > 0.8) & (drift[label] < 1.25)), f"{label}: the branch output keeps its size"

# %% [markdown] slideshow={"slide_type": "-"}
# Residuals do not bound the stream. How much it grows depends on the initialisation: about
# 15-20x over 100 blocks at PyTorch's default (each branch is small, its output about 0.058 of its
# input's mean square), about $10^{15}$ at He initialisation, the usual choice for ReLU nets.
# Shrinking each branch by $1/\sqrt{2L}$ bounds it, at the predicted $e^{1/4}$. A LayerNorm at the
# start of each branch does not bound it, but it turns the exponential growth into $\sqrt{l}$:
# behind a pre-norm the branch's output keeps the same size along the whole stack, and going from
# 25 to 100 blocks multiplies the RMS by about 2, against 6-10 at default initialisation without a
# norm (a Pre-LN Transformer needs a final norm for this reason; notebook 03).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The gradient grows with the stream.** Backward, each unnormalised residual block multiplies
# the mean square of $\partial \mathcal{L}/\partial x$ by $1 + $ (the branch's backward gain), the
# same ratio for these branches ($\frac{1}{18}$ at default, 1 at He initialisation); behind a
# pre-norm, each LayerNorm divides the gradient by the stream's scale, so it grows like the
# stream, like $\sqrt{L}$ (checked: within a factor 2 of the stream's growth). The gradient at
# the stem's output over the gradient at the last block's output, 100 blocks:

# %% slideshow={"slide_type": "fragment"}
grad_growth = {label: growth.gradient_growth(label) for label in STREAM_CONFIGS}
for label, g in grad_growth.items():
    print(f"{label:29s} gradient first/last {sig(g.min())} to {sig(g.max())}")
assert np.all(grad_growth["He init"] > 1e12), "He init, no norm: exploding gradients"
assert np.all(grad_growth["He init, branch x 1/sqrt(2L)"] < 1.5)
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    tracks = grad_growth[label] / stream_final[label]
    assert np.all((tracks > 0.5) & (tracks < 2)), f"{label}: the gradient grows like the stream, ~sqrt(L)"

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Checking the formula, and the cross term it leaves out.** The dashed lines above are the
# product formula from the measured ratios. The cross term $2\,\mathbb{E}[x_l F_l]$ of one block
# is a random number of mean zero at width 64; how large it is next to $\mathbb{E}[x_l^2]$ grows
# with the branch's size and with how alike the examples of the batch have become (a batch whose
# 64 examples point the same way averages it no better than one example). The cell below prints
# the formula's error per block, the cross term's RMS over the blocks, its mean over the blocks
# in units of its standard error (a z-score: of order 1 for a term of mean zero, so we take
# $|z| < 4$ as "averages out") and the mean cosine between two examples' streams after the last
# block.
#
# The formula needs a branch of mean zero. He et al. (2016b, Fig. 4c) tried a branch that ends
# in its ReLU, "ReLU before addition", and found it worse than the original block (their
# Table 2), because a non-negative residual limits what the block can represent. Here it matters
# for another reason. Its output is never negative: every block adds a vector with a positive mean, the
# means of successive blocks point the same way, and the cross term $2\,\mathbb{E}[x_l F_l]$ is
# positive at every block. The ablation: the same branch ending in a tanh, whose output has
# either sign.

# %% slideshow={"slide_type": "subslide"}
_ = plot_stream_growth(growth, ["default init", *BRANCH_MEAN_ABLATION],
                       title=f"Branch ending in its activation, 100 blocks ({len(SEEDS)} seeds)")

# %% slideshow={"slide_type": "fragment"}
error = {label: growth.formula_error_per_block(label) for label in growth.stream_ms}
cross = {label: np.sqrt(np.mean(growth.cross_term(label) ** 2, axis=1)) for label in growth.stream_ms}
zscore = {label: growth.cross_term_zscore(label) for label in growth.stream_ms}
cosine = {label: growth.mean_cosine[label][:, -1] for label in growth.stream_ms}
print(f"{'':29s} {'measured / formula - 1':>22s} {'cross term: RMS':>17s} {'mean / s.e.':>15s} {'cosine, block 100':>18s}")
for label in growth.stream_ms:
    e, z = error[label], zscore[label]
    print(f"{label:29s} {100 * e.min():+10.2f}% to {100 * e.max():+.2f}% {sig(cross[label].min()):>7s} to {sig(cross[label].max()):6s}"
          f" {z.min():+6.1f} to {z.max():+5.1f} {sig(cosine[label].min()):>8s} to {sig(cosine[label].max())}")
relu_final = stream_final["ReLU before addition"]
print(f"ReLU before addition: RMS growth over 100 blocks {sig(relu_final.min())} to {sig(relu_final.max())}")

for label in (*STREAM_CONFIGS, "tanh before addition"):
    assert np.all(np.abs(zscore[label]) < 4), f"{label}: zero-mean branch, the cross terms average out (|mean| < 4 s.e.)"
assert np.all(zscore["ReLU before addition"] > 10), "positive-mean branch: a systematic positive cross term"
assert np.all(cosine["He init"] > 0.9), "He init: the batch has collapsed onto one direction"
assert np.all(cross["He init"] > 0.15), "He init: the cross term of one block is a sizeable random term"
assert np.all(error["ReLU before addition"] > 0.05), "positive-mean branch: the cross term makes it grow faster"
assert np.all(relu_final > 100 * stream_final["tanh before addition"])

# %% [markdown] slideshow={"slide_type": "-"}
# In every net with a zero-mean branch the cross terms average out: their mean over the 100 blocks
# is within a few standard errors of 0 (the "mean / s.e." column, a z-score), and except at He init
# the formula holds within a few tenths of a percent per block. One block's cross term is not small,
# though: about $\pm 0.04$ of the stream's mean square at default initialisation, where the examples
# have become alike by block 100 (mean cosine above 0.5), against $\pm 0.005$ with the scaled
# branches. **He init** is the extreme case, and not a systematic one either: its branch is as large
# as its input, and by block 100 its batch has collapsed (mean cosine between two examples close to
# 1), so each block's cross term is a random $\pm 0.2$ or so of the stream's mean square; a hundred
# of them leave the measured growth up to about 1.5% per block off the formula, in either direction.
#
# **ReLU before addition** is the exception, and systematic (z-score above 10 on every seed): the
# stream grows several percent per block faster than the formula, about a thousand times more over
# 100 blocks than with a tanh ending, whose formula holds. A positive-mean branch piles up one
# shared direction in the stream (the batch's cosine reaches 1). He et al.'s own reason to reject
# that block was another: a branch that can only add non-negative values limits what a block can
# represent. Both argue for keeping the branch's last operation linear, as pre-activation ResNets
# and Transformers do.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Residual scaling at initialisation
#
# How fast the stream grows *with the depth of the net* is the question behind a family of
# initialisation rules. Without a norm, each block multiplies the mean square by
# $1 + \mathrm{Var}\,F / \mathrm{Var}\,x$. If that ratio does not depend on the depth, the growth
# is geometric, $g^L$: doubling the depth squares it. If each branch is scaled down by
# $1/\sqrt{2L}$, the ratio is $\frac{1}{2L}$ and the growth tends to $e^{1/4}$ at any depth.
#
# - **GPT-2** (Radford et al. 2019, section 2.3) scales the weights of the residual layers at
#   initialisation by $1/\sqrt{N}$, $N$ the number of residual layers, because the residual
#   path accumulates one branch per layer. Our `init="scaled"`, with $N = 2L$.
# - **Megatron-LM**'s code (Shoeybi et al. 2019) draws the output layer of every attention and
#   MLP sublayer from a normal distribution of standard deviation $\sigma/\sqrt{2L}$ for $L$
#   layers ($\sigma = 0.02$ by default): the same rule, with $N = 2L$.
# - **T-Fixup** (Huang et al. 2020) derives depth-dependent scalings of a Transformer's initial
#   weights with which it trains without LayerNorm and without warm-up.
# - **Depth-μP** (Yang et al. 2023, *Tensor Programs VI*; Bordelon et al. 2023) multiplies each
#   branch by $1/\sqrt{L}$, in training as well as at initialisation, so that the best learning
#   rate found for a shallow net carries over to a deep one.
#
# Measured: the growth over the whole net for nets of 12, 25 and 100 blocks (separate nets:
# `init="scaled"` scales by the depth of its own net; the 100-block nets are those above).

# %% slideshow={"slide_type": "subslide"}
INIT_CONFIGS

# %% slideshow={"slide_type": "-"}
by_depth = growth_with_depth([run_stream_growth(INIT_CONFIGS, depth=d, seeds=SEEDS) for d in (12, 25)] + [growth],
                             list(INIT_CONFIGS))
_ = plot_growth_with_depth(by_depth)

# %% slideshow={"slide_type": "fragment"}
exponent = {label: by_depth.depth_exponent(label) for label in INIT_CONFIGS}
for label in INIT_CONFIGS:
    g = np.median(by_depth.growth[label], axis=0)
    print(f"{label:29s} growth (median) at depth {', '.join(map(str, by_depth.depths))}: "
          f"{', '.join(sig(v) for v in g)}; exponent k {sig(exponent[label].min())} to {sig(exponent[label].max())}")
for label in ("default init", "He init"):
    assert np.all(np.abs(exponent[label] - 1) < 0.3), f"{label}: geometric in depth, ln growth ~ L^1"
scaled_label = "He init, branch x 1/sqrt(2L)"
assert np.all(np.abs(exponent[scaled_label]) < 0.3), "1/sqrt(2L): bounded, ln growth ~ L^0"
assert np.all(np.abs(by_depth.growth[scaled_label] / np.exp(1 / 4) - 1) < 0.1), "1/sqrt(2L): e^(1/4) at every depth"

# %% [markdown] slideshow={"slide_type": "-"}
# The exponent $k$ is the slope of $\ln(\ln \text{growth})$ against $\ln L$: 1 when the growth is
# geometric, 0 when it does not depend on the depth. It needs a growth above 1 at every depth;
# for the scaled nets $\ln \text{growth} \approx \frac{1}{4}$, so $\ln(\ln \text{growth})$ is
# negative, which does not matter for a slope. At He initialisation it is about 1. At
# PyTorch's default it is a little below 1, because the biases add a constant to each branch's
# output that matters less as the stream grows. With the branches scaled by $1/\sqrt{2L}$ it is
# about 0: the growth stays near $e^{1/4}$ from 12 to 100 blocks.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Start every block as the identity.** Goyal et al. (2017, section 5.1) initialise the scale
# $\gamma$ of the last BatchNorm of every ResNet block to 0, so that each block starts by returning
# its input. Our branches end in a linear layer, not a norm: `zero_init_last=True` sets that
# layer's weights and bias to 0, which is the same idea (the branch outputs 0). Then
# $x_{l+1} = x_l$ exactly and the gradient passes each block unchanged, so the stream's growth and
# the gradient's are exactly 1 at any depth: a demonstration, it holds by construction. The
# ablation is the same He-initialised net without the zeroing (30 blocks, one net per seed). Can
# the blocks still learn? At step 0 only the zeroed layer gets a gradient (the layer before it is
# multiplied by a zero matrix, another demonstration): the first update makes it non-zero, and
# from then on the layer before it gets a gradient too.

# %% slideshow={"slide_type": "subslide"}
zeroed = mlp_layer_stats(ZERO_INIT_ABLATION, depth=30, seeds=SEEDS)
weight_grads = {name: zeroed.grads.values["He init, last layer zeroed"][:, zeroed.grads.layer_names.index(name)]
                for name in ("blocks.0.linear1", "blocks.0.linear2")}
for label in ZERO_INIT_ABLATION:
    stream_gain = zeroed.activation_growth(label)
    grad_gain = zeroed.state_grads.values[label][:, 0] / zeroed.state_grads.values[label][:, -1]
    print(f"{label:27s} RMS growth over 30 blocks {sig(stream_gain.min())} to {sig(stream_gain.max())}, "
          f"gradient first/last {sig(grad_gain.min())} to {sig(grad_gain.max())}")
    if label == "He init":
        assert np.all(stream_gain > 1e3) and np.all(grad_gain > 1e3), "ablation: without zeroing, both explode"
    else:
        assert np.all(stream_gain == 1) and np.all(grad_gain == 1), "demonstration: identity blocks, exactly 1"
print(f"last layer zeroed, gradient of block 0's weights at step 0: linear1 {sig(weight_grads['blocks.0.linear1'].max())}, "
      f"linear2 {sig(weight_grads['blocks.0.linear2'].min())} to {sig(weight_grads['blocks.0.linear2'].max())}")
assert np.all(weight_grads["blocks.0.linear1"] == 0) and np.all(weight_grads["blocks.0.linear2"] > 0), \
    "demonstration: behind a zero matrix no gradient, the zeroed layer itself gets one"

# %% [markdown] slideshow={"slide_type": "-"}
# Zero initialisation and scaled initialisation are two answers to the same problem: a deep stack
# of unnormalised residual blocks must not start out of scale. Fixup (Zhang et al. 2019), SkipInit
# (De & Smith 2020) and ReZero (Bachlechner et al. 2020) build on the zero start (notebook 05).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Stochastic depth** (Huang et al. 2016) uses the residual form in training. Each mini-batch,
# block $l$ of $L$ keeps its branch with probability $p_l = 1 - \frac{l}{L}(1 - p_L)$ and is the
# identity otherwise; the paper uses $p_L = 0.5$, so the first blocks are almost always kept and
# the last one half of the time. At test time every branch is kept and its output is multiplied by
# $p_l$, the fraction of training it took part in. Only a residual net can do this: a dropped
# plain layer would cut the net in two. It trains a shorter net on average and, in the paper,
# lowers the test error of 110-layer ResNets on CIFAR-10. In the "ensemble of paths" view of
# Veit et al. (2016), a residual net of $L$ blocks holds $2^L$ paths of different lengths, and
# stochastic depth trains a random subset of them at each step. Their lesion experiment, deleting
# one block of a trained net at test time, is in notebook 05; this notebook does not train nets
# with stochastic depth (it did not fit in its time budget).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The degradation problem
#
# He et al. (2016) started from an observation, not from vanishing gradients: with BatchNorm,
# deep plain nets *do* start to train, yet a deeper plain net ends with a *higher training error*
# than a shallower one (their Fig. 1 on CIFAR-10, Fig. 4 on ImageNet). It is not overfitting,
# because the training error is higher, and it is not a lack of capacity, because the deeper net
# could copy the shallower one and set its extra layers to identities. The optimizer just does
# not find that solution. Their ImageNet numbers:

# %% slideshow={"slide_type": "-"}
print(reference_citation("he2016_imagenet_plain_vs_resnet"))
print()
print("depth   plain top-1 error   ResNet top-1 error")
for row in load_reference("he2016_imagenet_plain_vs_resnet"):
    print(f"{row['depth']:>5}   {row['plain_top1_error_pct']:>16}%   {row['resnet_top1_error_pct']:>17}%")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same experiment at toy scale: MLPs of width 32 with BatchNorm in every block (as He et al.),
# trained with Adam (learning rate 0.01) for 30 mini-batches of 128 on a teacher task of 4096
# examples (`resnorm.data.teacher_classification`, 16 inputs, 4 classes), three seeds (each seed
# draws the data set, the weights and the batch order). A 3-block plain net, a 15-block plain
# net, and the 15-block net with residual connections (each block has two linear layers, so 6
# and 30 linear layers):

# %% slideshow={"slide_type": "-"}
DEGRADATION_CONFIGS

# %% slideshow={"slide_type": "subslide"}
curves = run_degradation(DEGRADATION_CONFIGS, seeds=SEEDS)
_ = plot_training_curves(curves, title=f"Degradation: training loss, median and min-max over {len(SEEDS)} seeds")

# %% slideshow={"slide_type": "fragment"}
final = {label: curves.final(label) for label in DEGRADATION_CONFIGS}
for label, values in final.items():
    print(f"{label:20s} training loss over the last 20 steps: {' '.join(f'{v:.2f}' for v in values)} nats")
shallow, deep, deep_res = final["plain, 3 blocks"], final["plain, 15 blocks"], final["residual, 15 blocks"]
assert np.all(deep > shallow + 0.2), "degradation: the deep plain net trains worse, on every seed"
assert np.all(deep_res < shallow + 0.1), "the residual deep net trains as well as the shallow one"
assert np.all(deep_res < deep - 0.2), "the residual deep net trains much better than the plain one"

# %% [markdown] slideshow={"slide_type": "-"}
# Five times the depth, a clearly *higher* training loss, on every seed: degradation. The same
# 15 blocks with identity shortcuts train as well as the 3-block net. Residual blocks make the
# identity the default (a block with `F = 0` passes its input on), so extra depth cannot make
# the starting point worse.
#
# **A difference from He et al.'s nets.** They checked that their plain BatchNorm nets had
# healthy gradients, so that degradation could not be blamed on them. Ours do not: section 2
# showed that BatchNorm makes the gradient of a plain net *grow* by about 1.21 per block towards
# the input. The gradient at the first block's output over the one at the last block's, at step 0
# of the runs above (same data, same first mini-batch), and for the same plain nets with LayerNorm
# instead of BatchNorm:

# %% slideshow={"slide_type": "subslide"}
at_init = initial_gradient_ratio({**DEGRADATION_CONFIGS, **LAYERNORM_ABLATION}, seeds=SEEDS)
for label, r in at_init.items():
    print(f"{label:28s} first/last block gradient at step 0: {sig(r.min())} to {sig(r.max())}")
assert np.all(at_init["plain, 15 blocks"] > 10), "plain + BatchNorm, 15 blocks: the gradient explodes towards the input"
assert np.all(at_init["residual, 15 blocks"] < 5), "residual + BatchNorm: of one order"
assert np.all(at_init["plain, 15 blocks, LayerNorm"] < 2), "plain + LayerNorm: no explosion"

# %% [markdown] slideshow={"slide_type": "-"}
# So is our degradation just that explosion? The ablation trains the two plain nets with
# LayerNorm, whose gradient does not explode (it shrinks a little, as in section 2), on the same
# data and seeds, for the same 30 steps:

# %% slideshow={"slide_type": "subslide"}
curves_ln = run_degradation(LAYERNORM_ABLATION, seeds=SEEDS)
final_ln = {label: curves_ln.final(label) for label in LAYERNORM_ABLATION}
chance = np.log(4)
for label, values in final_ln.items():
    print(f"{label:28s} training loss over the last 20 steps: {' '.join(f'{v:.2f}' for v in values)} nats")
print(f"chance level, 4 classes: ln 4 = {chance:.3f} nats")
shallow_ln, deep_ln = final_ln["plain, 3 blocks, LayerNorm"], final_ln["plain, 15 blocks, LayerNorm"]
assert np.all(deep_ln > shallow_ln + 0.2), "degradation without the explosion: the deep plain LN net trains worse"
assert np.all(np.abs(deep_ln - chance) < 0.05), "... it stays at chance"

# %% [markdown] slideshow={"slide_type": "-"}
# Degradation persists without the explosion: with LayerNorm the 15-block plain net does not
# learn at all in 30 steps (its loss stays at chance, $\ln 4$), while the 3-block one does. So
# at this scale a normalization alone does not rescue a deep plain net, and our degradation is
# not caused by BatchNorm's exploding gradient.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Scaling the shortcut
#
# He et al. (2016b) tried shortcuts other than the identity. The simplest is a constant scale,
# $x_{l+1} = \lambda x_l + F_l(x_l)$. Backward, the identity part of each block's Jacobian
# becomes $\lambda I$, so through `L` blocks the clean path carries $\lambda^L$ of the gradient:

# %% slideshow={"slide_type": "-"}
print(f"identity path through 29 blocks: lambda = 1: {identity_path_gain(1.0, 29):g}, "
      f"lambda = 0.5: {sig(identity_path_gain(0.5, 29))}")

# %% [markdown] slideshow={"slide_type": "-"}
# With $\lambda = 0.5$ the gradient has to squeeze through the branches, as in a plain net. In
# their Table 1 (ResNet-110 on CIFAR-10), the "constant scaling" rows: the shortcut scaled by 0.5
# with the branch unscaled is marked "fail" (in that table: a test error above 20%); both paths
# scaled by 0.5 reaches 12.35% test error, against 6.61% with identity shortcuts. They trace both
# to optimisation difficulty. Our experiment is the first of these rows: $\lambda = 0.5$ on the
# shortcut, the branch as it is. Without a norm, one block multiplies the mean square of the
# gradient by $\lambda^2 + \frac{1}{18}$ (section 1), so $\sqrt{0.25 + 1/18} \approx 0.55$ per block.
# Here: the gradient at every block of 30-block residual nets, $\lambda = 1$ against
# $\lambda = 0.5$, without normalization, with pre-norm LayerNorm and with pre-norm BatchNorm in
# the branch.

# %% slideshow={"slide_type": "subslide"}
scaling = run_shortcut_scaling((1.0, 0.5), norms=(None, "layer", "batch"), depth=30, seeds=SEEDS)
_ = plot_shortcut_scaling(scaling)

# %% slideshow={"slide_type": "fragment"}
for norm in scaling.norms:
    for scale in scaling.scales:
        r = scaling.first_to_last(scale, norm)
        print(f"lambda = {scale:<3g} {scaling_label(scale, norm).split(', ')[1]:9s}  "
              f"first/last block gradient {sig(r.min())} to {sig(r.max())}")
half_factor = scaling.first_to_last(0.5, None) ** (1 / 29)
print(f"lambda = 0.5, no norm: factor per block {sig(half_factor.min(), 3)} to {sig(half_factor.max(), 3)} "
      f"(predicted sqrt(0.25 + 1/18) = {sig(np.sqrt(0.25 + 1 / 18), 3)})")
assert np.all(np.abs(half_factor / np.sqrt(0.25 + 1 / 18) - 1) < 0.1), "no norm, 0.5: the predicted factor per block"
assert np.all(scaling.first_to_last(0.5, None) < 1e-5), "no norm, 0.5: the gradient vanishes"
assert np.all(scaling.first_to_last(1.0, None) > 1), "no norm, identity: it does not"
assert np.all(scaling.first_to_last(0.5, "layer") > 1e-2), "LN, 0.5: no vanishing at initialisation"
assert np.all(scaling.first_to_last(0.5, "batch") > 10), "BN, 0.5: the gradient explodes towards the input"
assert np.all(scaling.first_to_last(1.0, "batch") < 5), "BN, identity: of one order"

# %% [markdown] slideshow={"slide_type": "-"}
# Without normalization the 0.5 shortcut brings vanishing back, at the predicted rate. With a
# LayerNorm at the start of each branch it does not, at initialisation: the stream shrinks
# block after block, and each norm scales its branch's input (and, backward, the gradient) back
# up. With BatchNorm the gradient goes the other way and *explodes* towards the input, much as in
# the plain BatchNorm nets of section 2.
# So which norm sits in the branch decides what the gradient does at initialisation. Does the
# scaled shortcut matter for training? The 15-block residual net of section 4 (BatchNorm), once
# more with its shortcuts scaled by 0.5, with its gradient at step 0:

# %% slideshow={"slide_type": "subslide"}
half_config = {"residual, shortcut x 0.5": dict(depth=15, residual=True, norm="batch", shortcut_scale=0.5)}
half_at_init = initial_gradient_ratio(half_config, seeds=SEEDS)["residual, shortcut x 0.5"]
half = run_degradation(half_config, seeds=SEEDS)
both = curves.merged(half)
_ = plot_training_curves(
    both, ["plain, 15 blocks", "residual, shortcut x 0.5", "residual, 15 blocks"],
    title=f"15 blocks: identity shortcut vs shortcut scaled by 0.5 ({len(SEEDS)} seeds)",
)

# %% slideshow={"slide_type": "fragment"}
scaled = half.final("residual, shortcut x 0.5")
print(f"training loss over the last 20 steps, shortcut x 0.5: {' '.join(f'{v:.2f}' for v in scaled)} nats "
      f"(identity shortcut: {' '.join(f'{v:.2f}' for v in deep_res)})")
print(f"first/last block gradient at step 0, shortcut x 0.5: {sig(half_at_init.min())} to {sig(half_at_init.max())} "
      f"(identity shortcut: {sig(at_init['residual, 15 blocks'].min())} to {sig(at_init['residual, 15 blocks'].max())})")
assert np.all(scaled > deep_res + 0.1), "a 0.5 shortcut trains worse than the identity, on every seed"
assert np.all(scaled < deep - 0.05), "... but better than no shortcut at all"

# %% [markdown] slideshow={"slide_type": "-"}
# The scaled net lands between the residual and the plain net, on every seed: half a shortcut
# gives back part of the degradation. At toy scale and 30 steps it does not "fail" as in He et
# al.'s ResNet-110; the direction of the effect is the same. What we measured about why: at
# initialisation its gradient does not vanish but grows towards the input several times more than
# with the identity shortcut (the printed first/last), much as in the plain BatchNorm net; which
# of its differences from the residual net costs the training (the lost identity path or that
# growth) this experiment does not separate. He et al. (2016b) argue from the backward formula of
# section 1 that the shortcut should be a clean identity (no scale, gate, normalization or ReLU on
# the path), the design of their pre-activation block (section 6).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. The source's ResidualBlock
#
# The source's block, re-created in our own code as `resnorm.conv_blocks.SourceResidualBlock`
# (same layers, same order, same in-place ReLU):
#
# ```
# identity = x
# out = relu(x)                  # nn.ReLU(inplace=True)
# out = conv2(relu(conv1(out)))  # two 3x3 convolutions, no normalization
# if shortcut: identity = shortcut(identity)   # 1x1 convolution, stride 1
# out += identity
# return relu(out)
# ```
#
# and next to it, two correct blocks: He et al.'s **basic block** (2016, Fig. 2;
# `conv-BN-ReLU-conv-BN`, add, ReLU; `resnorm.conv_blocks.BasicBlock`) and the
# **pre-activation block** (He et al. 2016b, Fig. 4e; `BN-ReLU-conv-BN-ReLU-conv`, add, nothing
# after the addition; `resnorm.conv_blocks.PreActBlock`).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The in-place ReLU.** `identity = x` does not copy: both names point to the same tensor, and
# `nn.ReLU(inplace=True)` then rewrites it. Run on standard normal images (8 channels, 8x8, three
# seeds). The in-place block is measured; the not-in-place copy is a demonstration, as it cannot
# change its input or output by construction (zeros there are the control, not a finding):

# %% slideshow={"slide_type": "-"}
inplace, copy = inplace_effects(inplace=True, seeds=SEEDS), inplace_effects(inplace=False, seeds=SEEDS)
print(f"share of the caller's input overwritten:      in-place {sig(inplace.caller_changed.min())} "
      f"to {sig(inplace.caller_changed.max())}, not in-place {sig(copy.caller_changed.max())}")
print(f"share of outputs changed by the in-place ReLU: {sig(inplace.output_changed.min())} "
      f"to {sig(inplace.output_changed.max())}")
print(f"backward() through two stacked blocks, in-place: {inplace.backward_error[0].split(':')[0]}")
print(f"backward() through two stacked blocks, not in-place: {'works' if copy.backward_error[0] is None else 'fails'}")
assert np.all(inplace.caller_changed > 0.4) and np.all(copy.caller_changed == 0)
assert np.all(inplace.output_changed > 0.1) and np.all(copy.output_changed == 0)
assert all(e is not None for e in inplace.backward_error) and all(e is None for e in copy.backward_error)

# %% [markdown] slideshow={"slide_type": "-"}
# Three effects of one keyword. The caller's tensor loses its negative half (a data batch, or
# another layer's output that something else still needs). The identity added back is `relu(x)`,
# not `x`, which changes a fifth to a quarter of the outputs. And two blocks in a row cannot be trained:
# the second block's ReLU rewrites the first block's output, which autograd saved for the first
# block's backward pass, so `backward()` raises an error.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The leading ReLU.** The source's block both starts and ends with a ReLU. Stacked, every
# block after the first receives the previous block's ReLU output, which is never negative, so
# its leading ReLU does nothing. Share of negative entries at the input of each of four stacked
# blocks (block 1 gets the raw images). For the source's block the zeros after block 1 are a
# demonstration (its last operation is a ReLU, so they hold by construction); the pre-activation
# block's shares are the measurement:

# %% slideshow={"slide_type": "-"}
negatives = {name: negative_input_fractions(name, n_blocks=4, seeds=SEEDS) for name in BLOCKS}
for name, values in negatives.items():
    print(f"{name:33s} " + "  ".join(f"block {i + 1}: {sig(v)}" for i, v in enumerate(np.median(values, axis=0))))
assert np.all(negatives["source"][:, 1:] == 0), "source: inputs of stacked blocks are never negative"
assert np.all(negatives["pre-activation (He et al. 2016b)"][:, 1:] > 0.3), "pre-activation: the stream keeps its sign"

# %% [markdown] slideshow={"slide_type": "-"}
# The source mixes the two correct designs. The original ResNet block has a ReLU *after* the
# addition and none before its first convolution; the pre-activation block puts BN and ReLU
# *before* each convolution and nothing after the addition, so its stream can be negative and
# the leading `relu(bn(x))` does real work. With both ReLUs, the first one is dead weight, and
# the stream can never be negative.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Normalization and stride.** A demonstration, read off the built modules (these are
# properties of the code, not measurements): parameters of a block with 16 input and output
# channels, whether it has a normalization layer, and the output size of a 16x16 input when the block is asked to
# downsample (`stride=2`, 32 output channels), as the first block of ResNet stages conv3_x to
# conv5_x does (conv2_x keeps the resolution: the stride-2 max-pool before it has already halved
# it):

# %% slideshow={"slide_type": "-"}
properties = {name: block_properties(name) for name in BLOCKS}
print(f"{'block':33s} {'parameters':>10s}   normalization   stride 2, 16x16 input ->")
for name, p in properties.items():
    size = "not possible" if p.output_size_stride_2 is None else f"{p.output_size_stride_2}x{p.output_size_stride_2}"
    print(f"{name:33s} {p.parameters:>10d}   {str(p.normalization):13s}   {size}")
assert not properties["source"].normalization and properties["source"].output_size_stride_2 is None
assert all(properties[n].normalization and properties[n].output_size_stride_2 == 8 for n in list(BLOCKS)[1:])

# %% [markdown] slideshow={"slide_type": "-"}
# The source's block has no normalization; He et al. put a BatchNorm after every convolution,
# and section 3 showed what a deep residual stack does without one (or without an initialisation
# that keeps its branches small). Its shortcut is a 1x1 convolution fixed at stride 1 and its
# convolutions have no stride either, so it cannot halve the resolution, which a ResNet does at
# the start of stages conv3_x, conv4_x and conv5_x (the strided 3x3 convolution and the strided
# 1x1 projection go together). What the source gets right: a 1x1 projection
# only when the channel count changes, and an identity shortcut otherwise.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Where residual connections are used
#
# - **ResNets** (He et al. 2016): a shortcut around every two 3x3 convolutions (basic block) or
#   every 1x1-3x3-1x1 bottleneck, with BatchNorm; 152 layers on ImageNet, 1202 on CIFAR-10.
# - **Transformers** (Vaswani et al. 2017): a residual connection around every attention and every
#   feed-forward sublayer, with LayerNorm. In the pre-norm arrangement of GPT-2 and most later
#   language models, the stream from the embedding to the final norm is touched only by additions
#   (notebook 03).
# - **U-Nets and diffusion models**: the long skips of a U-Net (Ronneberger et al. 2015) carry
#   encoder features to the decoder by *concatenation*, so they are skip connections but not
#   residual additions; the U-Nets of diffusion models (Ho et al. 2020) build both halves from
#   residual blocks, and Diffusion Transformers (Peebles & Xie 2023) are Transformers.
# - **Relatives**: highway networks (Srivastava et al. 2015) put a learned gate on the shortcut;
#   DenseNets (Huang et al. 2017) concatenate instead of adding.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# One MLP at initialisation (width 32, batch 32, one net per seed of `SEEDS`): choose its depth,
# residual or plain, the normalization at the start of each branch, the activation and the
# initialisation. The plot shows $\|\partial \mathcal{L}/\partial h\|$ at each block's output; the
# title adds the first/last gradient ratio and how much the signal grew. Try: plain, then
# residual, at depth 60; a residual net at `he` init with `none`, then `layer`; `scaled` init.
# The figure just below is the default setting, drawn without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_gradient_explorer, **EXPLORER_DEFAULTS, seeds=SEEDS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_gradient_explorer(seeds=SEEDS)
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source (question 1)
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections were designed "to solve vanishing and exploding gradients" (旨在解决…梯度消失和梯度爆炸问题) | **wrong** (as the motive) | He et al. (2016) say normalised initialisation and BatchNorm had already made deep plain nets start to train; their target was degradation: [§4](#4.-The-degradation-problem) |
# | principle: skip one or more layers and pass the input "directly to the next layer" | **half-true** (incomplete) | the input is *added* to the output of the skipped layers, `x + F(x)`; the sum is what carries the gradient: [§1](#1.-The-principle), exercise 1 |
# | "the network can learn identity mappings across layers, so training is faster" (提高训练效率) | **half-true** | the identity is built in, not learned; the layers learn the residual. Deep residual nets do train much better than deep plain ones: [§4](#4.-The-degradation-problem) |
# | "alleviates vanishing and exploding gradients", because the gradient passes directly to shallow layers | **half-true** | vanishing: yes, the whole gradient reaches the first block [§2](#2.-The-gradient-at-every-block,-four-nets-of-30-blocks); exploding: no, without normalization the stream and its gradient grow by the product of `sqrt(1 + Var F / Var x)` over the blocks, which depends on the initialisation: ~15-20x over 100 blocks at PyTorch's default, ~10¹⁵ at He init; scaling the branches by `1/sqrt(2L)` bounds it, a pre-norm turns it into `sqrt(L)` growth [§3](#3.-How-fast-the-residual-stream-grows) |
# | "better generalisation, because the network captures complex features better" (增强模型泛化能力) | **half-true** (wrong reason) | residuals are an optimisation device: they lower the *training* loss of deep nets [§4](#4.-The-degradation-problem); deeper nets that can now be trained also test better (He et al.'s ResNet-34 against plain-34 in the table of §4), but the shortcut itself adds no capacity to "capture complex features"; generalisation is not measured here |
# | code: `nn.ReLU(inplace=True)` with `identity = x` | **wrong** | overwrites the caller's input and the saved identity, changes the output, and `backward()` through two stacked blocks fails: [§6](#6.-The-source's-ResidualBlock) |
# | code: `out = self.relu(x)` at the start of the block | **wrong** (dead code) | a no-op on the non-negative output of the previous block: [§6](#6.-The-source's-ResidualBlock) |
# | code: two convolutions and no normalization | **half-true** (a residual block, but not He et al.'s) | He et al.'s block has a BatchNorm after each convolution; without normalization a deep residual stack grows with every block, exponentially at He init: [§3](#3.-How-fast-the-residual-stream-grows), [§6](#6.-The-source's-ResidualBlock) |
# | code: projection shortcut `Conv2d(..., kernel_size=1, stride=1)` | **half-true** (fine inside a stage) | no stride anywhere: the block cannot downsample, as the first block of stages conv3_x to conv5_x must (conv2_x follows the max-pool and keeps the resolution): [§6](#6.-The-source's-ResidualBlock) |
# | "the shortcut keeps input and output channels consistent" (解析) | **right** | a 1x1 projection when the channel count changes, the identity otherwise (He et al.'s option B): [§6](#6.-The-source's-ResidualBlock) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each answer cell starts as `answer = ...`; replace the `...`, run the cell, and `check` tells
# you at once whether it is right, and if not, what is wrong. `hint(key)` gives hints.
#
# ### Exercise 1: the forward pass of a residual block
#
# Write `residual_forward(h, branch)`, where `h` is a `(batch, width)` tensor and `branch` is a
# module such as `nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))`, returning the output of a residual
# block. Then set `answer = residual_forward`.

# %% slideshow={"slide_type": "subslide"}
def residual_forward(h, branch):
    ...  # your code here


answer = ...  # replace ... with residual_forward once it is written
passed = check("01.residual_forward", answer)

# %% slideshow={"slide_type": "-"}
hint("01.residual_forward", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("01.residual_forward")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: which nets lose the gradient?
#
# Without looking back at section 2: in which of the four 30-block nets is the gradient at the
# first block's output, $\|\partial \mathcal{L}/\partial h\|$, smaller than 1/1000 of the one at the
# last block's, at initialisation? Answer with a set of labels from `"plain"`,
# `"plain + LayerNorm"`, `"residual"`, `"residual + LayerNorm"`.

# %% slideshow={"slide_type": "-"}
answer = ...  # a set of labels, e.g. {"plain + LayerNorm"}
passed = check("01.which_vanishes", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.which_vanishes")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("01.which_vanishes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the factor per block, with He initialisation
#
# Redo the count of section 1 for a *plain* block `Linear -> ReLU -> Linear` of width `n` at He
# initialisation: weight variance $2/n$ in the first layer, $1/n$ in the second, biases 0. By what
# factor is the *norm* of $\partial \mathcal{L}/\partial h$ multiplied, backward through one block?
# (A number.)

# %% slideshow={"slide_type": "-"}
answer = ...  # a float
passed = check("01.he_factor", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.he_factor")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("01.he_factor")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: half a shortcut
#
# A residual net has 40 blocks, each computing `0.5 * h + F(h)`. By what factor does the
# identity path *alone* scale the gradient between the output of the last block and the input of
# the first? (A number; let Python compute it.)

# %% slideshow={"slide_type": "-"}
answer = ...  # a float
passed = check("01.shortcut_gain", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.shortcut_gain")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("01.shortcut_gain")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5: what is wrong with the source's block?
#
# Which of these statements about the source's `ResidualBlock` are true? Answer with a set of
# letters, e.g. `{"a", "f"}`.

# %% slideshow={"slide_type": "-"}
for letter, statement in STATEMENTS.items():
    print(f"{letter}) {statement}")

# %% slideshow={"slide_type": "-"}
answer = ...  # a set of letters
passed = check("01.source_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.source_block")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("01.source_block")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview answer card
#
# ### 15 seconds
# **EN.** A residual connection computes `x + F(x)`: the identity path carries the gradient back
# to the first layers without passing through any weight matrix, which is what makes very deep
# nets trainable; it does not keep the signal bounded, which is why it always comes with a
# normalization (or a careful initialisation).
#
# **中文。** 残差连接计算 `x + F(x)`：恒等路径让梯度不经过任何权重矩阵就能传回浅层，这正是极深网络能够训练的原因；但它并不能让信号保持有界，所以总要配合归一化（或精心设计的初始化）一起使用。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 seconds: three points
# **EN.**
# 1. **Gradient path.** `dL/dx_l = dL/dx_L (I + d/dx_l sum F_i)`: the `I` delivers the gradient
#    unchanged. A plain net multiplies one Jacobian per block instead; at PyTorch's default
#    initialisation each of our `Linear-ReLU-Linear` blocks shrinks it by `sqrt(1/18) ≈ 0.24`, so
#    30 blocks leave about 1e-18 of it.
# 2. **What it fixes: degradation** (He et al. 2016). A deeper plain net, with BatchNorm or
#    LayerNorm, ends with a *higher training* loss than a shallower one; its residual version does
#    not. Scaling the shortcut by 0.5 (branch unscaled) makes training worse again; in He et al.
#    2016b's Table 1 that ResNet-110 is marked "fail" (test error above 20%).
# 3. **What it does not fix: growth.** Without a norm each block multiplies the stream's variance
#    by `1 + Var F / Var x`: about 15-20x in RMS over 100 blocks at PyTorch's default init, about
#    1e15 at He init, and the gradient grows with it. Scaling each branch down bounds it
#    (`1/sqrt(2L)`, GPT-2's `1/sqrt(N)` rule with N = 2L residual layers as in a Transformer); a
#    pre-norm (LayerNorm at the start of each branch) turns the exponential growth into `sqrt(L)`.
#    ResNets pair residuals with BatchNorm, Transformers with LayerNorm.
#
# **中文。**
# 1. **梯度通路。** `dL/dx_l = dL/dx_L (I + d/dx_l ΣF_i)`：其中的 `I` 让梯度原样传回。普通网络则要逐块连乘雅可比矩阵；对于我们的 `Linear-ReLU-Linear` 块，在 PyTorch 默认初始化下，每经过一个块，梯度范数缩小为原来的约 0.24 倍（`sqrt(1/18)`），30 个块之后只剩原来的约 10⁻¹⁸。
# 2. **它解决的是退化问题**（何恺明等人，2016）。无论用批归一化还是层归一化，更深的普通网络的*训练*损失反而比浅层网络更高，加上残差连接后就不会。只把捷径乘以 0.5（分支不缩放），训练又会变差；何恺明等人（2016b）的表 1 中，这样的 ResNet-110 被记为 fail（测试误差高于 20%）。
# 3. **它不能抑制信号的增长。** 没有归一化时，每一块都把残差流的方差乘以 `1 + Var F / Var x`：PyTorch 默认初始化下 100 个块后 RMS 约变为原来的 15～20 倍，He 初始化下约 10¹⁵ 倍，梯度随之一起变大。把每个分支的输出缩小（`1/sqrt(2L)`，即 GPT-2 的 `1/sqrt(N)` 规则，N = 2L 个残差层，对应 Transformer）可以把它限制住；前置归一化（Pre-LN，即在每个分支开头放层归一化）则把指数增长变为 √L 级增长。所以 ResNet 配批归一化，Transformer 配层归一化。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Follow-ups an interviewer is likely to ask
# **Q:** Does a residual connection add parameters or compute? **A:** An identity shortcut adds
# none and one element-wise addition; only a projection shortcut (channel change) has weights.
#
# **Q:** So residuals solve exploding gradients too? **A:** No: the stream grows by the product of
# `sqrt(1 + Var F / Var x)` over the blocks, exponentially at He init; scaling the branches down
# bounds it, a pre-norm turns it into `sqrt(L)` growth.
#
# **Q:** Would a normalization alone, without shortcuts, fix a deep plain net? **A:** Not here: a
# 15-block plain net with LayerNorm stays at chance where a 3-block one learns. With BatchNorm its
# gradient even grows about 1.21x per block towards the input, because the norm removes the
# positive mean of the ReLU's outputs (Yang et al. 2019's large-batch rate for BatchNorm; their
# theory adds a finite-batch part from coupling the examples).
#
# **Q:** Why not end the branch with a ReLU? **A:** He et al. (2016b, Fig. 4c) found it worse: a
# non-negative branch limits what a block can represent. We also measure that every block then
# adds to one shared direction, so the stream grows far faster than the variance formula; keep the
# branch's last operation linear.
#
# **Q:** How do large models keep a deep residual stack in scale at initialisation? **A:** They
# shrink each branch's output layer by `1/sqrt(2L)` for L layers of two sublayers (GPT-2's
# `1/sqrt(N)` for N residual layers, Megatron-LM) or start it at 0 (zero γ of the last BatchNorm,
# Goyal et al. 2017): measured from 12 to 100 blocks, the growth then stays near `e^(1/4)`, or is
# exactly 1 by construction, against geometric growth without.
#
# **Q:** What is wrong with the source's `ResidualBlock`? **A:** The in-place ReLU overwrites the
# saved identity and breaks `backward()`; its leading ReLU is a no-op after another block; no
# normalization; its shortcut cannot downsample.
#
# ### 追问
# **问：** 残差连接会增加参数或计算量吗？**答：** 恒等捷径没有参数，只多一次逐元素加法；只有通道数变化时的投影捷径才有权重。
#
# **问：** 那残差连接也解决了梯度爆炸吗？**答：** 没有：残差流的 RMS 按各块 `sqrt(1 + Var F / Var x)` 的乘积增长，He 初始化下呈指数增长；缩小分支输出的初始化可以把它限制住，前置归一化则把指数增长变为 √L 级增长。
#
# **问：** 不加捷径、只加归一化，能救活深层普通网络吗？**答：** 在这里不能：15 个块的普通网络加层归一化后损失一直停在随机猜测的水平，而 3 个块的网络能学会。用批归一化时，梯度朝输入方向每块还会增大约 1.21 倍，因为归一化去掉了 ReLU 输出的正均值；这正是 Yang 等人（2019）在大批量极限下给出的批归一化增长率，他们的理论在此之上还有一部分来自批内样本之间的耦合，随批量增大而减弱。
#
# **问：** 分支为什么不以 ReLU 结尾？**答：** 何恺明等人（2016b）图 4c 发现效果更差：非负的分支输出限制了块的表达能力。我们另外测到，这时每一块都往同一个方向累加，残差流比方差公式预测的增长快得多；分支最后一步应保持线性。
#
# **问：** 大模型如何让很深的残差堆叠在初始化时不失控？**答：** 把每个分支的输出层缩小为 `1/sqrt(2L)` 倍（L 层、每层两个子层，即 GPT-2 的 `1/sqrt(N)` 规则，N 为残差层数；Megatron-LM 做法相同），或者初始化为 0（Goyal 等人 2017 年把每个残差块最后一个批归一化的 γ 设为 0）：在 12 到 100 个块的实测中，前者的增长始终停在 `e^(1/4)` 左右，后者按构造恰好为 1；不做处理时则随深度呈几何增长。
#
# **问：** 原文的 `ResidualBlock` 有什么问题？**答：** 原地（in-place）ReLU 覆盖了保存的恒等输入，并让 `backward()` 报错；开头的 ReLU 接在上一块之后毫无作用；没有归一化；捷径不能下采样。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2015). *Delving Deep into Rectifiers.* ICCV. (The He initialisation of
#   sections 1 and 3.)
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Fig. 1 and
#   Fig. 4: degradation, section 4; Table 2: the ImageNet numbers; Fig. 2 and 5: the basic block.)
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV. (Eq. 4-5:
#   the backward pass of section 1; Table 1 and Fig. 2: shortcut scaling, section 5 (the
#   "constant scaling" rows: the 0.5 shortcut with an unscaled branch "fail", that is a test error
#   above 20%; both paths times 0.5: 12.35%); Fig. 4c and Table 2: "ReLU before addition",
#   sections 2 and 3; Fig. 4e: the pre-activation block of section 6.)
# - Yang, Pennington, Rao, Sohl-Dickstein, Schoenholz (2019). *A Mean Field Theory of Batch
#   Normalization.* ICLR. (Gradient explosion in deep plain BatchNorm nets at initialisation: for
#   ReLU nets at large batch, $\pi/(\pi-1)$ per layer in squared norm, the mean-removal rate of
#   section 2; plus a finite-batch part from coupling the examples of a batch.)
# - Radford et al. (2019). *Language Models are Unsupervised Multitask Learners.* (GPT-2: residual
#   projections scaled by $1/\sqrt{N}$ for N residual layers, which `init="scaled"` applies with
#   N = 2L; section 3.)
# - Shoeybi et al. (2019). *Megatron-LM: Training Multi-Billion Parameter Language Models Using
#   Model Parallelism.* (Its code: output layers of each sublayer with standard deviation
#   $\sigma/\sqrt{2L}$; section 3, residual scaling.)
# - Huang, Perez, Ba, Volkovs (2020). *Improving Transformer Optimization Through Better
#   Initialization.* ICML. (T-Fixup; section 3.)
# - Yang, Yu, Zhu, Hayou (2023). *Tensor Programs VI: Feature Learning in Infinite-Depth Neural
#   Networks.* Bordelon, Noci, Li, Hanin, Pehlevan (2023). *Depthwise Hyperparameter Transfer in
#   Residual Networks.* (Depth-μP, branches times $1/\sqrt{L}$; section 3.)
# - Goyal et al. (2017). *Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour.* (Section
#   5.1: the zero-initialised γ of each block's last BatchNorm; section 3.)
# - Huang, Sun, Liu, Sedra, Weinberger (2016). *Deep Networks with Stochastic Depth.* ECCV. (The
#   linear decay of the survival probability, $p_L = 0.5$; section 3.) Veit, Wilber, Belongie
#   (2016). *Residual Networks Behave Like Ensembles of Relatively Shallow Networks.* NeurIPS.
#   (Section 3; their lesion study is in notebook 05.)
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization.* ICLR. De, Smith (2020). *Batch
#   Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks* (SkipInit).
#   NeurIPS. Bachlechner et al. (2020). *ReZero is All You Need.* (Section 3; notebook 05.)
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. (Residuals in Transformers.)
# - Srivastava, Greff, Schmidhuber (2015). *Highway Networks* / *Training Very Deep Networks.*
#   (Gated shortcuts, section 7.)
# - Ronneberger, Fischer, Brox (2015). *U-Net.* MICCAI. Ho, Jain, Abbeel (2020). *Denoising
#   Diffusion Probabilistic Models.* NeurIPS. Peebles, Xie (2023). *Scalable Diffusion Models
#   with Transformers.* ICCV. Huang et al. (2017). *Densely Connected Convolutional Networks.*
#   CVPR. (Section 7.)

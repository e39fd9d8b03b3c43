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
# # 05 · Beyond the interview: how residuals and normalization really behave, and what modern models use
#
# **题目（面试官的追问）：** 残差连接为什么有效——“梯度可以直接传回浅层”就是全部原因吗？
# 层归一化放在哪里有什么区别？今天的大模型又用什么样的归一化？
#
# **The question (the interviewer's follow-up):** Why do residual connections work - is "the
# gradient can flow straight back to the early layers" the whole story? Does it matter where the
# normalization sits? And what do today's large models actually use?
#
# The source text stops at answers from around 2017. This notebook goes one level deeper, the
# level a good interviewer probes next: residual nets as ensembles of paths, shattered
# gradients, the amplification that makes deep Post-LN fragile (and the competing explanation
# by gradients), and the designs that came out of those insights (ReZero, SkipInit, Fixup,
# DeepNorm, RMSNorm, sandwich / Peri-LN, QK-norm, Dynamic Tanh). Then the questions that come up
# in large-scale training: attention logits and QK-norm, outlier activations and why norms run
# in float32, parallel blocks, loss spikes, and Hyper-Connections. Each is measured at toy
# scale, in about a second, and every claim is checked.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer
#
# - **A residual net is an ensemble of paths.** Unrolled, `n` blocks give `2^n` paths from input
#   to output, `binomial(n, k)` of them through `k` branches. Delete one block of a trained
#   residual net and the error hardly moves; delete one layer of a plain net and it rises far
#   more, on median to about the level of guessing (Veit et al. 2016).
# - **The shortcut keeps gradients meaningful, not just large.** In a deep plain net the
#   gradient with respect to the input loses its correlation from one input to the next
#   ("shattered"); the identity path keeps it smooth (Balduzzi et al. 2017).
# - **Where the norm sits matters, and why is disputed.** In Post-LN every layer leans on its
#   own branch, so a small change of all weights moves the output more and more with depth: the
#   *squared* change grows like `N`, the change like `sqrt(N)`; in Pre-LN like `log N` (Liu et
#   al. 2020). Xiong et al. (2020) blame instead Post-LN's large gradients near the output;
#   Liu et al. argue those unbalanced gradients are not the root cause.
# - **Normalization is one fix, not the only one.** Move the norm (Pre-LN), start each branch at
#   zero (ReZero, SkipInit, Fixup) or re-weight shortcut and branches (DeepNorm) and deep nets
#   train where Post-LN fails, some without any norm. Warm-up stays in the recipes: the DeepNet
#   paper's training recipes still use learning-rate warm-up, and Pre-LN GPT-3 and LLaMA warm up
#   too.
# - **Current LLMs** mostly use plain Pre-norm with RMSNorm (LLaMA, Mistral, Qwen, DeepSeek-V3).
#   A few add norms on the sublayer outputs: Gemma 2 around each sublayer (sandwich / Peri-LN),
#   OLMo 2 on the output only, `x + norm(F(x))`, with QK-norm. Dynamic Tanh (2025)
#   replaces the norm by an element-wise `tanh`.
# - **At scale, norms also guard attention and precision.** QK-norm bounds attention logits
#   that would otherwise grow with the weights until attention is one-hot; norms run in float32
#   because the variance of large activations overflows float16; a few huge outlier channels
#   make INT8 quantization hard (SmoothQuant moves them into the weights).

# %% slideshow={"slide_type": "skip"}
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch

import resnorm
from resnorm.data import load_reference
from resnorm.exercises import check, hint, solution
from resnorm.experiments.amplification import branch_variance_ratio, run_amplification
from resnorm.experiments.attention_logits import run_logit_growth, run_logit_scale
from resnorm.experiments.dyt import DYT_CONFIGS, fit_tanh, norm_mapping, run_dyt
from resnorm.experiments.fixup import run_fixup
from resnorm.experiments.lesion import LESION_SETTINGS, path_length_counts, run_lesion
from resnorm.experiments.norm_precision import PRECISIONS, run_norm_precision
from resnorm.experiments.outliers import QUANT_CASES, run_outlier_quantization
from resnorm.experiments.parallel_block import run_parallel_block
from resnorm.experiments.reweighted import DEEPER_CONFIGS, initial_model, run_deeper
from resnorm.experiments.shattered import run_shattered
from resnorm.figures.beyond_the_interview import (
    draw_lesion_explorer,
    make_lesion_explorer,
    plot_amplification,
    plot_fixup,
    plot_lesion,
    plot_lesion_k,
    plot_logit_growth,
    plot_logit_scale,
    plot_norm_mapping,
    plot_path_lengths,
    plot_shattered,
    plot_shattered_examples,
    plot_training,
)
from resnorm.norms import DynamicTanh
from resnorm.parallel_block import ParallelBlock
from resnorm.reweighted import deepnorm_constants
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Residual nets as ensembles of paths
#
# Write out two residual blocks: `h1 = h0 + f1(h0)`, then
# `h2 = h1 + f2(h1) = h0 + f1(h0) + f2(h0 + f1(h0))`. Each block offers a choice: go through its
# branch or take the shortcut. With `n` blocks there are `2^n` ways from input to output, and a
# path that goes through `k` branches can pick them in `binomial(n, k)` ways. A plain net has a
# single path, through all `n` layers. Veit, Wilber & Belongie (2016) call this the *unraveled
# view*: most paths are of middle length, far shorter than the net is deep.

# %% slideshow={"slide_type": "subslide"}
n_blocks = LESION_SETTINGS["depth"]
print(f"paths of length k = 0..{n_blocks}:", path_length_counts(n_blocks).tolist())
_ = plot_path_lengths(n_blocks)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The lesion study
#
# If the paths behave like members of an ensemble, removing a few of them should barely matter.
# Veit et al. test this by deleting a block from a trained net (their Fig. 3 and 5). We do the
# same on a toy scale: a residual and a plain `DeepMLP` with 8 blocks of width 32 (each block
# `BatchNorm -> Linear -> ReLU -> Linear`, BatchNorm as in the ResNets of the paper), trained
# with Adam for 40 steps on a 4-class teacher task, 3 seeds (each seed draws its own teacher,
# data, weights and batches). The two nets differ only by the `+ h` of the residual block.
# Deleting block `i` means passing its input on unchanged: for the residual net that drops the
# branch `f_i`; for the plain net it hands block `i+1` an input it never saw in training, as the
# paper does for a plain VGG net.

# %% slideshow={"slide_type": "-"}
LESION_SETTINGS

# %% slideshow={"slide_type": "subslide"}
lesion = run_lesion(**LESION_SETTINGS, seeds=SEEDS[:3])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_lesion(lesion, left)
plot_lesion_k(lesion, right)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "-"}
# Left: with nothing deleted both nets make about the same test error (dashed lines). Deleting
# any one block of the residual net leaves the error almost where it was; deleting any one layer
# of the plain net raises it sharply, on median to about the level of guessing. Right: deleting
# `k` random residual blocks raises the error smoothly, with no cliff, as an ensemble that loses
# members would (their Fig. 5a).

# %% slideshow={"slide_type": "fragment"}
res_increase = lesion.single_increase("residual")
plain_increase = lesion.single_increase("plain")
res_k = lesion.k_deleted["residual"]
half = n_blocks // 2
guess_error = np.median(lesion.majority_error)  # always answer the most common class

print(f"intact test error, residual / plain (median):  {np.median(lesion.baseline['residual']):.2f} / "
      f"{np.median(lesion.baseline['plain']):.2f}")
print(f"residual, one block deleted: error rises by at most {res_increase.max():.2f} "
      f"(median over blocks and seeds {np.median(res_increase):.3f})")
print(f"plain, one layer deleted:    error rises by at least {plain_increase.min():.2f} "
      f"(median {np.median(plain_increase):.2f}), median error {np.median(lesion.single['plain']):.2f} "
      f"(always guessing the most common class: {guess_error:.2f})")
res_steps = np.diff(res_k, axis=1).max(axis=1)
plain_jump = lesion.k_deleted["plain"][:, 1] - lesion.k_deleted["plain"][:, 0]
print(f"residual, {half} of {n_blocks} blocks deleted: error rises by at most "
      f"{(res_k[:, half] - lesion.baseline['residual']).max():.2f}")
print(f"largest rise from k to k+1 deleted blocks, residual: {res_steps.max():.2f}; "
      f"plain, from 0 to 1: at least {plain_jump.min():.2f}")

baseline_gap = np.abs(lesion.baseline["residual"] - lesion.baseline["plain"])
assert np.median(baseline_gap) < 0.05 and np.all(lesion.baseline["plain"] < 0.5 * lesion.majority_error), \
    "both nets should learn the task to a similar error, so that the lesion compares like with like"
assert np.all(np.median(res_increase, axis=1) < 0.03), \
    "deleting one residual block should barely change the error, on median over the blocks"
assert res_increase.max() < plain_increase.min(), \
    "every single deletion should hurt the residual net less than any single deletion hurts the plain net"
assert np.median(lesion.single["plain"]) > guess_error - 0.1, \
    "with one layer deleted the plain net should be about as bad as guessing"
assert np.all(res_k[:, half] - lesion.baseline["residual"] < 0.15), \
    "even with half the residual blocks deleted the error should stay far below guessing"
assert np.all(res_steps < 0.4 * plain_jump), \
    "the residual net's error should rise smoothly with k, without a cliff like the plain net's"

# %% [markdown] slideshow={"slide_type": "notes"}
# What the ensemble view does *not* say: the paths are not independent models trained
# separately, and a block's branch is trained in the context of all others. Veit et al. also show
# that most of the gradient during training comes from short paths (their Fig. 6), which is one
# more reason a residual net avoids the vanishing-gradient problem: it does not need the longest
# paths to learn. Which block matters most is not something this toy can say: Veit et al.
# found that the blocks that down-sample hurt most when deleted, and our MLP has none.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Shattered gradients
#
# Vanishing is about the *size* of the gradient. Balduzzi et al. (2017) looked at its *shape*:
# take a net with one input and one output, feed it 256 inputs evenly spaced on `[-2, 2]`, and
# compute `d output / d x` at each. For a smooth function neighbouring inputs get similar
# derivatives; Balduzzi et al. found that in deep plain nets the derivatives look like white
# noise (their Fig. 1), while residual nets keep them correlated. A derivative that jumps at
# random between neighbouring inputs tells the optimizer little about what happens nearby.
#
# We measure the lag-1 autocorrelation of that sequence (1: smooth; 0: white noise) for plain
# and residual `DeepMLP`s of depth 1 to 32 at initialisation, width 16, 15 seeds (single nets
# scatter a lot, so the claims are about the median). As in Balduzzi et al.'s
# analysis the weights are He-initialised (each layer passes on its input's variance; the stem
# keeps PyTorch's default, whose random bias keeps the line of inputs off the origin). Each block
# has a LayerNorm: it normalises each input on its own, so each derivative belongs to one input
# (BatchNorm in training mode would mix the 256 inputs of the batch).

# %% slideshow={"slide_type": "subslide"}
SHATTERED_SEEDS = resnorm.seeds(15)
shattered = run_shattered(depths=(1, 8, 32), width=16, init="he", seeds=SHATTERED_SEEDS)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_shattered_examples(shattered, left)
plot_shattered(shattered, right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
ac = shattered.autocorrelation
deepest = shattered.depths[-1]
for depth_index, depth in ((0, shattered.depths[0]), (-1, deepest)):
    print(f"depth {depth:2d}: lag-1 autocorrelation, median (min..max) over seeds: "
          + "; ".join(f"{label} {np.median(ac[label][:, depth_index]):.2f} "
                      f"({ac[label][:, depth_index].min():.2f}..{ac[label][:, depth_index].max():.2f})"
                      for label in ("plain", "residual")))

median_ac = {label: np.median(values, axis=0) for label, values in ac.items()}
assert median_ac["plain"][0] > 0.9 and median_ac["residual"][0] > 0.9, "a one-block net has smooth input gradients"
assert median_ac["plain"][-1] < median_ac["plain"][0] - 0.3, \
    "the plain net's input gradients should lose correlation with depth (on median)"
assert median_ac["residual"][-1] > 0.85, "a deep residual net's input gradients should stay smooth (on median)"
assert median_ac["residual"][-1] - median_ac["plain"][-1] > 0.3, \
    "at the same depth, the shortcut should make the difference (on median)"

# %% [markdown] slideshow={"slide_type": "-"}
# So the identity path does more than carry a gradient of the right size back: it carries one
# that still *means* something. The plain net's correlation falls with depth, unevenly from seed
# to seed (the band in the right panel); the residual net's barely moves. What we measure is
# milder than Balduzzi et al.'s white noise: with a LayerNorm in every block, 32 plain layers
# lose a large part of the correlation on median, not all of it, and some seeds keep most of
# it. Balduzzi et al.'s plain nets have no norm (their analysis: the correlation of a plain ReLU
# net decays exponentially with depth; residual nets with BatchNorm keep it, decaying only
# slowly). At PyTorch's smaller default initialisation
# (`run_shattered(init="default")`) the plain net decays much more slowly over these depths:
# try it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Amplification in Post-LN
#
# Why does the original Post-LN Transformer need learning-rate warm-up, while residual
# connections were supposed to make depth easy? Liu et al. (2020, Sec. 4) look at how much the
# output moves when *all* weights change a little, as they do in one optimizer step:
# `|F(x, W) - F(x, W + δW)|²`. In Post-LN, `x_{l+1} = LN(x_l + F_l(x_l))`: the norm after every
# addition rescales the stream, so each layer's small change reaches the output with about the
# same weight, and the *squared* change adds up to `O(N)` with depth (the change itself grows
# like `sqrt(N)`). In Pre-LN, `x_{l+1} = x_l + F_l(LN(x_l))`, the stream grows as branches are
# added to it; if each branch is of the order of the stream, layer `l`'s branch is only about a
# `1/l` share of it, and the squared change sums to `O(log N)`.
#
# We perturb every weight matrix of a stack of `N` Transformer blocks at initialisation by
# random normal noise of 1% of Xavier's standard deviation `sqrt(2/(fan_in + fan_out))`, the
# same size whatever the weights are (an Adam step does not scale with the weights either), and
# measure the mean squared output change relative to `N = 1`, for Post-LN, Pre-LN (with its
# final LayerNorm) and DeepNorm (next section); width 32, depths 1 to 16. Weights use
# Xavier-uniform initialisation, the usual choice in Transformer code. Post-LN and Pre-LN get
# 20 seeds (single stacks scatter), DeepNorm 5. To tell a power law from a logarithm we fit both
# to each median curve, `g = a·N^p` and `g = a + c·ln N`, two parameters each, and compare how
# far each misses in `ln g`; a bootstrap over the seeds gives the spread of `p`.

# %% slideshow={"slide_type": "subslide"}
AMPLIFICATION_DEPTHS = (1, 2, 4, 8, 16)
AMPLIFICATION_SEEDS = resnorm.seeds(20)
amplification = run_amplification(AMPLIFICATION_DEPTHS, kinds=("post", "pre"), n_draws=1,
                                  seeds=AMPLIFICATION_SEEDS)
deepnorm_change = run_amplification(AMPLIFICATION_DEPTHS, kinds=("deepnorm",), n_draws=1, seeds=SEEDS)
amplification.change.update(deepnorm_change.change)
_ = plot_amplification(amplification)

# %% slideshow={"slide_type": "fragment"}
depths = amplification.depths
median = {kind: np.median(amplification.growth(kind), axis=0) for kind in amplification.change}
fits = {kind: amplification.fit(kind) for kind in ("post", "pre")}
exponents = {kind: amplification.bootstrap_exponents(kind, seed=SEEDS[0]) for kind in fits}
interval = {kind: np.percentile(values, [5, 95]) for kind, values in exponents.items()}

print("median squared output change relative to N = 1, for N =", depths.tolist())
for kind, label in (("post", "Post-LN "), ("pre", "Pre-LN  "), ("deepnorm", "DeepNorm")):
    print(f"  {label} {np.array2string(median[kind], precision=2, floatmode='fixed')}")
for kind, label in (("post", "Post-LN"), ("pre", "Pre-LN ")):
    f, (low, high) = fits[kind], interval[kind]
    print(f"  {label}: a·N^p fits with p = {f.exponent:.2f} (90% bootstrap interval {low:.2f}..{high:.2f}; "
          f"x{f.per_doubling:.1f} per doubling of N), error {f.power_rms:.2f}; a + c·ln N, error {f.log_rms:.2f}")

post, pre = fits["post"], fits["pre"]
assert interval["post"][0] > 0.8, "Post-LN: the squared change should grow at least about like N (Liu et al.: O(N))"
assert post.log_rms > 3 * post.power_rms, "Post-LN: a log should miss the growth far more than a power law"
assert pre.log_rms < 2 * pre.power_rms, "Pre-LN: the same test should not rule out a log"
assert interval["pre"][1] < interval["post"][0], "Pre-LN's change should grow clearly slower than Post-LN's"
assert np.all(np.abs(median["deepnorm"] - 1) < 0.1), "DeepNorm: the change should stay flat with depth"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN's squared change grows like a power of `N` with an exponent of about 1 (about ×2 per
# doubling of the depth), as Liu et al.'s `O(N)` says, so the output change itself grows like
# about `sqrt(N)`; a logarithm misses it several times further than the power law. Liu et al.
# read this as the fragility that warm-up hides: with a tiny learning rate the first updates
# stay small while the weights move away from this state. Pre-LN grows clearly slower; over
# depths 1 to 16 a power law and Liu et al.'s `log N` fit it about equally well, so the claim we
# check is "clearly slower than Post-LN". DeepNorm's change stays flat with depth, as Wang et
# al. (2022) designed it: its constants keep the size of one update bounded.
#
# (With a perturbation proportional to each matrix's own size, DeepNorm's change would even
# seem to shrink with depth, only because its `β`-scaled weights, and so the perturbations,
# are smaller in deeper stacks.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ablation: what sets Pre-LN's slower growth?
#
# The two accounts above say what to vary. Post-LN's `N` needs nothing about the branch's
# size: the norm after every addition gives each layer's change a constant weight. Pre-LN's
# `log N` needs each branch to be of the order of the stream, so that the stream grows and
# layer `l` is a `1/l` share. How large do our branches start? And what happens with PyTorch's
# default initialisation, whose branches start much smaller (5 seeds)?

# %% slideshow={"slide_type": "-"}
ratios = {init: branch_variance_ratio(init, seeds=SEEDS) for init in ("xavier", "default")}
small_branches = run_amplification(AMPLIFICATION_DEPTHS, kinds=("post", "pre"), n_draws=1, init="default",
                                   seeds=SEEDS)
small_fits = {kind: small_branches.fit(kind) for kind in ("post", "pre")}
for init, by_branch in ratios.items():
    print(f"{init:7s} init: branch output variance / input variance: "
          + "; ".join(f"{branch} {v.min():.2f}..{v.max():.2f}" for branch, v in by_branch.items()))
for kind, label in (("post", "Post-LN"), ("pre", "Pre-LN ")):
    f = small_fits[kind]
    print(f"default init, {label}: p = {f.exponent:.2f} (Xavier: {fits[kind].exponent:.2f}); "
          f"power error {f.power_rms:.2f}, log error {f.log_rms:.2f}")

assert np.all(ratios["xavier"]["attention"] < 0.2) and np.all(ratios["xavier"]["feed-forward"] < 0.7), \
    "at Xavier init each branch starts smaller than its input"
assert np.all(ratios["default"]["feed-forward"] < ratios["xavier"]["feed-forward"]), \
    "PyTorch's default init starts the branches smaller still"
assert abs(small_fits["post"].exponent - post.exponent) < 0.2, "Post-LN's growth should not depend on the branch size"
assert small_fits["pre"].exponent > pre.exponent + 0.15 and small_fits["pre"].log_rms > 2 * small_fits["pre"].power_rms, \
    "with small branches Pre-LN's growth should become a power law, closer to N"

# %% [markdown] slideshow={"slide_type": "-"}
# Even at Xavier init the branches start smaller than their input: attention passes on less
# than a tenth of the input's variance, the feed-forward sublayer less than half. With PyTorch's
# default init (smaller still) Post-LN's growth is unchanged, while Pre-LN's becomes about
# linear, and a log no longer fits it: the stream hardly grows over 16 blocks, so every layer is
# about the same share of it and the shares add up like `N`. So Pre-LN's slow growth is not
# from the norm's position alone; it comes from the stream growing as the branches add to it,
# which Xavier-sized branches do and tiny ones do not. That is Liu et al.'s own analysis (their
# sum over the per-layer weights `β_i²`: constant weights give `N`, shares `1/l` give `log N`).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Two explanations that disagree: gradients or amplification?
#
# Notebook [03](03_transformer_residual_layernorm.ipynb) measures the other standard account.
# Xiong et al. (2020, Theorem 1 and Fig. 3) show that at initialisation Post-LN's gradients are
# large near the output and independent of depth, while Pre-LN's shrink like `1/sqrt(L)`: big
# early steps, hence warm-up. Liu et al. (2020, Sec. 3) disagree on the cause. They find that
# these unbalanced gradients are not what breaks training: Adam rescales each parameter's
# update by its own gradient history, so the gradient's size matters little, and Post-LN still
# fails; they trace the failure to amplification and fix it by re-weighting the residual at
# initialisation (Admin), not the gradients. What our experiments support: both phenomena are
# real (notebook 03 reproduces Xiong et al.'s gradient pattern; this section, amplification).
# In §4 a 6-layer Transformer that Post-LN cannot train learns when the norm moves (Pre-LN,
# Xiong et al.'s fix) and when DeepNorm shrinks its initial branches: both accounts predict
# that, so the toy does not decide between them, let alone which effect is the root cause at
# scale.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Re-weighted residuals: ReZero, SkipInit, Fixup, DeepNorm
#
# If the trouble is that each layer leans too hard on its branch at the start, one can change
# the weights of the two terms of `x + F(x)` instead of (or besides) normalising:
#
# | method | block | at initialisation | normalization |
# |---|---|---|---|
# | ReZero (Bachlechner et al. 2020) | `x + α·F(x)`, a learnable scalar `α` (the reference code shares one per layer across both sublayers; our `ReZeroBlock` has one per sublayer) | `α = 0`: every block is the identity | none at all |
# | SkipInit (De & Smith 2020) | `x + α·F(x)` in a ResNet | `α = 0` (or small) | replaces BatchNorm |
# | Fixup (Zhang, Dauphin & Ma 2019) | `x + s·F(x) + b`, scalar multiplier `s` and scalar biases | last layer of each branch `= 0`, other branch layers scaled by `L^(-1/(2m-2))` | none |
# | DeepNorm (Wang et al. 2022) | `LN(α·x + G(x))`, Post-LN | weights of the feed-forward layers and of the value and output projections × `β` | kept |
#
# ReZero and SkipInit make the whole net the identity at the start; the scalar `α` still gets a
# gradient, so each branch switches itself on as training needs it. DeepNorm keeps Post-LN but
# strengthens the shortcut by `α > 1` and starts the branches smaller by `β < 1`, chosen so that
# the size of one model update stays bounded with depth; for an encoder-only model of `N`
# layers, `α = (2N)^(1/4)` and `β = (8N)^(-1/4)` (Wang et al. 2022). It makes very deep Post-LN
# trainable, but not warm-up free: the DeepNet paper's training recipes still use learning-rate
# warm-up. The code is in `resnorm.reweighted`.

# %% slideshow={"slide_type": "-"}
for n in (6, 18, 100, 1000):
    alpha, beta = deepnorm_constants(n)
    print(f"DeepNorm, N = {n:4d} layers: alpha = {alpha:.3f}, beta = {beta:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fixup: a deep residual net with no norm at all
#
# A `FixupMLP` has 16 residual blocks of two layers each, `h + s·W2·relu(W1·h + b1 ...) + b4`,
# and no normalization. With a standard He initialisation (as `DeepMLP`'s: gain `sqrt(2)` on
# `W1`, which a ReLU follows, gain 1 on `W2`) every branch starts with about its input's
# variance, so the variance doubles at every block and the standard deviation grows by about
# `sqrt(2)`: `2^8 = 256` over 16 blocks. Fixup zeroes `W2` and the head, and scales `W1` by
# `16^(-1/2)`: the net starts as the identity. We measure the signal's standard deviation after
# each block at initialisation (5 seeds), and the gradient that reaches the zero layers.

# %% slideshow={"slide_type": "subslide"}
fixup = run_fixup(seeds=SEEDS)
_ = plot_fixup(fixup)

# %% slideshow={"slide_type": "fragment"}
growth = {init: values[:, -1] for init, values in fixup.signal.items()}
grad_at_init, grad_after_one_step = fixup.last_layer_grad[:, 0], fixup.last_layer_grad[:, 1]
print(f"signal std after 16 blocks / after the stem: He {growth['he'].min():.0f}..{growth['he'].max():.0f}, "
      f"PyTorch default {growth['default'].min():.2f}..{growth['default'].max():.2f}, "
      f"Fixup {growth['fixup'].min():.2f}..{growth['fixup'].max():.2f}")
print(f"gradient of the zero layers W2: at init {grad_at_init.max():.1g}; "
      f"after one SGD step {grad_after_one_step.min():.1g} or more")

assert np.all((growth["he"] > 256 / 3) & (growth["he"] < 256 * 3)), \
    "He init without a norm: the std should grow about sqrt(2) per block, 2^8 = 256 over 16 blocks"
# Checks of the construction (they hold because W2 and the head start at zero), not findings:
assert np.allclose(fixup.signal["fixup"], 1.0, atol=1e-6), "Fixup: every block is the identity at init"
assert np.all(grad_at_init == 0), "at init the zero head blocks the gradient to every branch"
assert np.all(grad_after_one_step > 0), "after one step every zero layer gets a gradient"

# %% [markdown] slideshow={"slide_type": "-"}
# The He growth is the finding; the last three checks only demonstrate the construction: the
# zero `W2` make every block the identity, and the zero head blocks every gradient behind it.
# A zero-initialised layer is not dead, though: in the first step only the head moves, and
# from the second step on every branch gets a gradient. PyTorch's
# default initialisation, by the way, is small enough (weights of variance `1/(3·fan_in)`) that
# this no-norm residual net grows only mildly; it is the variance-preserving He init that makes
# the growth visible.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training a deeper Post-LN without warm-up
#
# Now train. Small Transformers (`d_model = 16`, 2 heads) learn to reverse sequences of 8
# tokens (vocabulary 10), with Adam at a constant learning rate of 0.02, **no warm-up**, batch 32,
# 40 steps, 5 seeds: Post-LN with 3 and with 6 layers; and five ways to fix the 6-layer one:
# move the norm (Pre-LN), DeepNorm, DeepNorm with only its up-weighted shortcut (`α`, with
# `β = 1`) or only its smaller initial branches (`β`, with `α = 1`), and ReZero (no norm
# anywhere). A single run at a rate this high can go either way, so every claim is about the
# median over the seeds.

# %% slideshow={"slide_type": "-"}
DEEPER_CONFIGS

# %% slideshow={"slide_type": "subslide"}
deeper = run_deeper(lr=0.02, seeds=SEEDS)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_training(deeper.subset(["Post-LN, 3 layers", "Post-LN, 6 layers", "Pre-LN, 6 layers", "ReZero, 6 layers"]),
              left, title="lr 0.02, no warm-up: median, min–max over 5 seeds")
plot_training(deeper.subset(["Post-LN, 6 layers", "DeepNorm, 6 layers", "DeepNorm α only (β = 1)",
                             "DeepNorm β only (α = 1)"]), right, title="DeepNorm and its two constants")
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
final = {label: deeper.final(label) for label in DEEPER_CONFIGS}
for label, values in final.items():
    print(f"{label:24s} final loss, median {np.median(values):.2f} ({values.min():.2f}..{values.max():.2f}) nats "
          f"(chance {deeper.chance:.2f})")

median_final = {label: np.median(values) for label, values in final.items()}
assert median_final["Post-LN, 6 layers"] > 0.9 * deeper.chance, "6-layer Post-LN should stay stuck near chance"
assert median_final["Post-LN, 6 layers"] - median_final["Post-LN, 3 layers"] > 0.5, \
    "at the same rate, the shallower Post-LN should do clearly better: depth is what hurts"
for label in ("Pre-LN, 6 layers", "DeepNorm, 6 layers", "ReZero, 6 layers"):
    assert median_final[label] < 0.5 * deeper.chance, f"{label} should learn the task"
assert median_final["DeepNorm α only (β = 1)"] > 0.9 * deeper.chance, \
    "the up-weighted shortcut alone should not rescue the 6-layer Post-LN"
assert median_final["DeepNorm α only (β = 1)"] - median_final["DeepNorm β only (α = 1)"] > 0.5, \
    "the smaller initial branches alone should get clearly further than the shortcut alone"
assert median_final["DeepNorm, 6 layers"] <= median_final["DeepNorm β only (α = 1)"], \
    "both constants together should do at least as well as the smaller branches alone"

# %% [markdown] slideshow={"slide_type": "-"}
# At this learning rate the 6-layer Post-LN does not leave chance level on most seeds, the
# 3-layer one learns on most (not all: the rate sits near the edge of what Post-LN tolerates).
# The same 6 layers learn when the norm moves in front of each sublayer (Pre-LN), with DeepNorm,
# and with ReZero's zero-started branches. DeepNorm's two constants do not contribute alike:
# the up-weighted shortcut alone (`α`) leaves the net at chance, the smaller initial branches
# alone (`β`) get most of the way, and both together do best. In this toy, then, DeepNorm works
# mainly because `β` starts the branches small, not because `α` strengthens the shortcut.
#
# Honest limits: this is a toy, and the learning rate was chosen high so that depth makes the
# difference; with warm-up or a smaller rate the 6-layer Post-LN trains too (notebook
# [03](03_transformer_residual_layernorm.ipynb)). "Trains without warm-up" is a statement about
# this setting, like Xiong et al.'s BERT and translation runs, not a rule: DeepNorm was built
# for hundreds of layers (Wang et al. 2022 train 1000), and the DeepNet paper's training
# recipes still use learning-rate warm-up; large Pre-LN models warm up too (GPT-3; LLaMA over
# 2,000 steps). ReZero learns fastest here, yet large models today almost all keep a norm.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. What current LLMs use, and Dynamic Tanh
#
# Where the norm `N` goes around a sublayer `F` (attention or feed-forward):
#
# - **Post-LN** (Vaswani et al. 2017; BERT): `x ← N(x + F(x))`.
# - **Pre-LN** (tensor2tensor 2018, Baevski & Auli 2019, Wang et al. 2019; GPT-2; LLaMA, Mistral,
#   Qwen, DeepSeek-V3 with RMSNorm): `x ← x + F(N(x))`, plus one
#   norm after the last block. This plain Pre-RMSNorm is what most open LLMs use.
# - **Sandwich / Peri-LN** (CogView; Gemma 2; analysed by Kim et al. 2025): `x ← x + N₂(F(N₁(x)))`:
#   the sublayer's input is normalised, and its output too, before it is added to the stream.
# - **Output norm only** (OLMo 2's "reordered norm"): `x ← x + N(F(x))`: no norm at the
#   sublayer's input, one on its output. This is not the sandwich: `F` sees the raw stream.
# - **QK-norm** (Henry et al. 2020; ViT-22B; OLMo 2): normalise queries and keys before
#   `q·kᵀ`, which bounds the attention logits.
#
# | model (paper) | norm | placement | also |
# |---|---|---|---|
# | Transformer (Vaswani et al. 2017) | LayerNorm | Post-LN | |
# | BERT (Devlin et al. 2019) | LayerNorm | Post-LN | |
# | GPT-2 (Radford et al. 2019) | LayerNorm | Pre-LN + final LN | |
# | T5 (Raffel et al. 2020) | scale-only LayerNorm (no mean, no bias) | Pre-LN + final norm | |
# | GPT-3 (Brown et al. 2020) | LayerNorm | Pre-LN + final LN, as GPT-2 | warm-up |
# | CogView (Ding et al. 2021) | LayerNorm | sandwich | |
# | GLM-130B (Zeng et al. 2023) | LayerNorm | Post-LN with DeepNorm | |
# | LLaMA (Touvron et al. 2023) | RMSNorm | Pre-norm + final norm | 2,000 warm-up steps |
# | Mistral 7B (Jiang et al. 2023), Qwen2 (Yang et al. 2024), DeepSeek-V3 (DeepSeek-AI 2024) | RMSNorm | Pre-norm + final norm | |
# | ViT-22B (Dehghani et al. 2023) | LayerNorm without bias | Pre-LN, attention and MLP in parallel from one norm | QK-norm |
# | Gemma 2 (Gemma Team 2024) | RMSNorm | input and output of each sublayer (sandwich) | logit soft-capping |
# | OLMo 2 (OLMo Team 2024) | RMSNorm | output of each sublayer only, `x + N(F(x))` | QK-norm |
# | DyT (Zhu et al. 2025) | `tanh(α·x)` instead of a norm | wherever the norm was | research result |
#
# RMSNorm (Zhang & Sennrich 2019) drops the mean and the bias of LayerNorm: one statistic per
# vector instead of two (notebook [02](02_layer_normalization.ipynb)). The papers that add the
# extra norms give their reason, which we do not measure here: in long training runs the
# attention logits can grow until training diverges, which QK-norm prevents (Dehghani et al.
# 2023, ViT-22B), and the output norms of Gemma 2 and OLMo 2 are reported to stabilise
# training (Gemma Team 2024; OLMo Team 2024). They are the exception, not the rule: most open
# LLMs keep the plain Pre-RMSNorm block.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Released models, cell by cell
#
# The table above is from the papers. For the current open models the course keeps a data file,
# `data/open_model_norms.csv`: one row per model, every cell checked against the paper (section
# or table in `source_location`) or, where the paper says nothing, against the released modeling
# code and `config.json` (named in `note`; `location_checked` says whether the section label
# itself was seen). A cell no source states says `not stated`. GPT-2 and BERT are there for
# history. The counts below are computed from the file, not typed.

# %% slideshow={"slide_type": "-"}
models = load_reference("open_model_norms")
current = [row for row in models if row["family"] not in ("GPT-2", "BERT")]
print(f"{'model':24s} {'norm':9s} {'placement':40s} {'QK-norm':11s} final norm")
for row in models:
    print(f"{row['model']:24s} {row['norm']:9s} {row['placement']:40s} {row['qk_norm']:11s} {row['final_norm']}")
pre_rms = [row["model"] for row in current if (row["norm"], row["placement"]) == ("RMSNorm", "Pre-LN")]
qk_norm = [row["model"] for row in current if row["qk_norm"] == "yes"]
print(f"\nplain Pre-RMSNorm: {len(pre_rms)} of {len(current)} current models; QK-norm: {', '.join(qk_norm)}")
assert all(row["source"] and row["source_location"] for row in models), "every row cites its source and where"
assert 2 * len(pre_rms) > len(current), "plain Pre-RMSNorm is the majority of the current models"
assert all(row["norm"] == "RMSNorm" for row in current if row["family"] != "GLM"), \
    "every current family except GLM-130B (DeepNorm, LayerNorm) uses RMSNorm"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Dynamic Tanh
#
# Zhu, Chen, He, LeCun & Liu (2025) replace every normalization layer of a Transformer by
# `DyT(x) = weight · tanh(α·x) + bias`, with one learnable scalar `α` (starting at 0.5) and the
# usual per-feature `weight` and `bias`. No mean, no variance, no reduction over the vector:
# each element is squashed on its own. It is `resnorm.norms.DynamicTanh`, and
# `TinyTransformer(..., norm="dyt")` uses it everywhere a norm was:

# %% slideshow={"slide_type": "-"}
print(DynamicTanh(16))
print(inspect.getsource(DynamicTanh.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# Two 2-layer Pre-LN Transformers (`d_model = 16`) that differ only in the norm, LayerNorm or
# DyT, learn the reverse task (Adam, learning rate 0.02, 60 steps, 3 seeds). Then we look inside
# a trained LayerNorm (`blocks.1.norm2`, the one in front of the last feed-forward sublayer): its
# input against its normalised output, element by element, as Zhu et al. do in their Fig. 2-4.

# %% slideshow={"slide_type": "subslide"}
dyt = run_dyt(seeds=SEEDS[:3])
mappings = [norm_mapping(model, tokens[:128], "blocks.1.norm2")
            for model, tokens in zip(dyt.models["LayerNorm"], dyt.tokens)]
fits = [fit_tanh(m.x, m.y) for m in mappings]
untrained = [norm_mapping(initial_model(DYT_CONFIGS["LayerNorm"], seed), tokens[:128], "blocks.1.norm2")
             for seed, tokens in zip(SEEDS[:3], dyt.tokens)]
untrained_fits = [fit_tanh(m.x, m.y) for m in untrained]
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_training(dyt, left, title="LayerNorm vs DyT, reverse task: median, min–max over 3 seeds")
plot_norm_mapping(mappings[0], fits[0], right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
final_ln, final_dyt = dyt.final("LayerNorm"), dyt.final("DyT")
spread = {name: np.array([m.token_std.max() / m.token_std.min() for m in ms])
          for name, ms in (("trained", mappings), ("untrained", untrained))}
gain = {name: np.array([f.tanh_mse / f.line_mse for f in fs])
        for name, fs in (("trained", fits), ("untrained", untrained_fits))}
print(f"final loss, LayerNorm {final_ln.min():.3f}..{final_ln.max():.3f} nats, "
      f"DyT {final_dyt.min():.3f}..{final_dyt.max():.3f} nats (chance {dyt.chance:.2f})")
for name in ("untrained", "trained"):
    print(f"{name:9s} LayerNorm, per seed: token std varies by a factor "
          f"{np.array2string(spread[name], precision=1)} across tokens; "
          f"tanh fit's error / straight line's {np.array2string(gain[name], precision=2)}")

assert np.all(final_ln < 0.02 * dyt.chance) and np.all(final_dyt < 0.02 * dyt.chance), \
    "both models should learn the task almost perfectly"
assert np.median(spread["trained"]) > np.median(spread["untrained"]), \
    "training should widen the spread of the token standard deviations LayerNorm divides by (on median)"
assert np.median(gain["trained"]) < np.median(gain["untrained"]), \
    "after training a tanh should describe the LayerNorm better, relative to a line, than before (on median)"

# %% [markdown] slideshow={"slide_type": "-"}
# Both models learn the task almost perfectly, so at this toy scale the two losses cannot
# rank the norms: both sit at the floor. The right panel shows why a tanh can stand in for a
# norm: for one token LayerNorm is a straight line with slope `1/std(token)`, but tokens with a
# large spread (yellow) get a flatter line than tokens with a small one (purple); all tokens
# together form an S-shaped cloud, squashing the largest inputs. Part of that is there before any
# training (tokens differ in spread from the start, and a tanh already beats a line a little).
# Training makes it stronger on median over the seeds, though not on every seed: the spread of
# the divisors widens and the tanh gains on the straight line. At toy scale this is a small
# effect; in the large trained models of Zhu et al. the S is pronounced. They also report that for large language models the initial `α` must be tuned, and DyT is, as of
# 2025, a research result rather than the standard of released LLMs.


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Attention logits: `1/sqrt(d_k)`, logit growth and QK-norm
#
# A residual stream kept in check by norms can still break inside attention. The logit of query
# `q` for key `k` is `q·k`; with `d_k` independent entries of unit variance, that sum of `d_k`
# products has variance `d_k`. Vaswani et al. (2017, Sec. 3.2.1) divide by `sqrt(d_k)` so that
# the logits keep variance 1 in a small and in a large model; without it, larger heads give
# larger logits and the softmax saturates on one key. We draw random queries and keys for
# `d_k` from 4 to 256 (256 queries, 32 keys, 3 seeds) and measure the logits' variance and the
# attention's entropy (`ln 32 = 3.47` nats for uniform attention, 0 for one-hot).
#
# The division fixes the scale at initialisation, not during training. If the query and key
# weights grow by `s`, every logit grows by `s²`. Dehghani et al. (2023, ViT-22B) saw exactly this
# at 8B parameters: attention logits grew until the attention was almost one-hot (entropy near
# 0) and the loss diverged; Wortsman et al. (2023) reproduce it in small models at high learning
# rates. Their fix, QK-norm, applies a LayerNorm to every query and key before the dot product
# (Henry et al. 2020 had proposed an L2 normalisation of `q` and `k` with a learned scale in
# place of `1/sqrt(d_k)`). We scale `W_q` and `W_k` of one attention layer (32 tokens,
# `d_k = 64`) by `s = 1..8`, with and without QK-norm, and use LayerNorm without gain or bias.

# %% slideshow={"slide_type": "subslide"}
logit_scale = run_logit_scale(d_ks=(4, 16, 64, 256), seeds=SEEDS[:3])
logit_growth = run_logit_growth(scales=(1.0, 2.0, 4.0, 8.0), seeds=SEEDS[:3])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_logit_scale(logit_scale, left)
plot_logit_growth(logit_growth, right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
raw_var, scaled_var = (np.median(v, axis=0) for v in (logit_scale.raw_variance, logit_scale.scaled_variance))
raw_h, scaled_h = (np.median(v, axis=0) for v in (logit_scale.raw_entropy, logit_scale.scaled_entropy))
print("d_k:", logit_scale.d_ks.tolist())
print("  variance of q·k:                ", np.array2string(raw_var, precision=0, floatmode="fixed"))
print("  variance of q·k / sqrt(d_k):    ", np.array2string(scaled_var, precision=2, floatmode="fixed"))
print("  attention entropy, unscaled:    ", np.array2string(raw_h, precision=2, floatmode="fixed"), "nats")
print("  attention entropy, scaled:      ", np.array2string(scaled_h, precision=2, floatmode="fixed"), "nats")

# The division by sqrt(d_k) divides the variance by d_k, so one check covers both lines:
assert np.all(np.abs(raw_var / logit_scale.d_ks - 1) < 0.25), \
    "the variance of q·k should grow like d_k (and so the scaled logits keep variance about 1)"
assert raw_h[-1] < 0.25 * logit_scale.max_entropy and np.all(np.diff(raw_h) < 0), \
    "without the division, attention should get sharper with every larger d_k, nearly one-hot at 256"
assert scaled_h.max() - scaled_h.min() < 0.2, "with the division, the attention entropy should not depend on d_k"

# %% slideshow={"slide_type": "subslide"}
growth = {kind: np.median(v, axis=0) for kind, v in logit_growth.max_logit.items()}
entropy = {kind: np.median(v, axis=0) for kind, v in logit_growth.entropy.items()}
print("scale s of W_q, W_k:", logit_growth.scales.tolist())
for kind in ("plain", "qk-norm"):
    print(f"  {kind:8s} max |logit| {np.array2string(growth[kind], precision=1, floatmode='fixed')}, "
          f"entropy {np.array2string(entropy[kind], precision=2, floatmode='fixed')} nats")

# Demonstrations of the mechanism, all by construction: the logits are bilinear in W_q, W_k; softmax(s²·z)
# sharpens as s grows, for any logits z; LayerNorm removes the scale s.
assert np.allclose(logit_growth.max_logit["plain"] / logit_growth.max_logit["plain"][:, :1],
                   logit_growth.scales ** 2, rtol=1e-3), "scaling W_q and W_k by s multiplies the logits by s²"
assert np.allclose(logit_growth.max_logit["qk-norm"], logit_growth.max_logit["qk-norm"][:, :1], rtol=1e-3) \
    and np.all(logit_growth.max_logit["qk-norm"] <= np.sqrt(logit_growth.d_k) + 1e-4), \
    "with QK-norm the logits do not depend on s and stay below sqrt(d_k)"
assert np.all(np.diff(entropy["plain"]) < 0) and entropy["plain"][-1] < 0.1 * logit_growth.max_entropy, \
    "without QK-norm, larger weights should collapse the attention toward one-hot"
assert np.all(np.abs(entropy["qk-norm"] - entropy["plain"][0]) < 0.25), \
    "with QK-norm the entropy should stay at the level of the unscaled layer"

# %% [markdown] slideshow={"slide_type": "-"}
# The variance of `q·k` is `d_k` times that of one product, and the division brings it back to
# 1; the ablation shows what the division is for: unscaled, the attention over 32 keys gets
# sharper with every larger head, nearly one-hot at `d_k = 256`, while scaled it stays the same.
# Growing weights undo this. The second cell only demonstrates the mechanism (every check holds
# by construction): logits grow like `s²` because they are bilinear in `W_q` and `W_k`, so the
# softmax sharpens with every larger `s`, here close to one-hot by `s = 8`; a near one-hot
# softmax passes almost no gradient back to its logits (its Jacobian `diag(p) − p pᵀ` goes to 0),
# and in ViT-22B this growth came with a diverging loss. With QK-norm the logits do not depend on
# `s` at all and cannot exceed `sqrt(d_k)` times the norms' gains (here 1); in a trained model the
# learned gains set the actual temperature. OLMo 2 and ViT-22B use QK-norm (§5).
#
# A relative of the same problem sits at the output: PaLM (Chowdhery et al. 2022, Sec. 5) adds
# a *z-loss*, `10⁻⁴ · log² Z` with `Z` the softmax normaliser of the output logits, which pulls
# `log Z` toward 0 and keeps the output logits from drifting; Wortsman et al. (2023) find it
# removes their output-logit divergence. We do not measure it here.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Outliers in the residual stream, INT8, and norms in float32
#
# Trained LLMs carry a few huge values in the residual stream. Dettmers et al. (2022, LLM.int8(),
# Sec. 4) find features with magnitudes up to 20 times larger than the other dimensions, in a
# few fixed feature dimensions; from about 6.7B parameters on they appear in all layers and in
# about 75% of the sequence positions. Sun et al. (2024) describe *massive activations*, a
# handful of values up to about 100,000 times larger than the rest, at fixed feature dimensions
# and on specific tokens (the first token, delimiters), acting like fixed biases. A norm sits
# right behind them: in Pre-LN every sublayer reads `norm(x)`, and on such a token the one huge
# entry sets the standard deviation, so the norm divides all the token's other entries by a
# large number.
#
# Why they matter in practice: INT8 quantization with one scale per tensor sets the step to
# `max|X| / 127`. One outlier channel makes that step large for all other channels, whose
# values then round coarsely. We quantize activations `X` (256 tokens × 64 channels, standard
# normal) and a weight `W`, with and without channel 0 multiplied by 20, and measure the INT8
# error of the ordinary channels and of the product `X W` (5 seeds). SmoothQuant (Xiao et al.
# 2023) divides activation channel `j` by `s_j = max|X_j|^0.5 / max|W_j|^0.5` and multiplies row
# `j` of `W` by `s_j`: the product is the same, and part of the outlier's range moves into the
# weight.

# %% slideshow={"slide_type": "subslide"}
quant = run_outlier_quantization(outlier_scale=20.0, seeds=SEEDS)
print(f"outlier channel: its largest |value| is {np.median(quant.outlier_ratio):.0f}x the median |value| "
      f"(median over seeds)")
for case in QUANT_CASES:
    print(f"  {case:22s} INT8 error, ordinary channels {np.median(quant.channel_error[case]):.3f}; "
          f"of X·W {np.median(quant.product_error[case]):.3f}   (relative, median over {len(SEEDS)} seeds)")
print(f"SmoothQuant's rescaling alone changes X·W by less than 1e-5 (float32 rounding): "
      f"{bool(np.all(quant.smoothing_change < 1e-5))}")

errors = {case: quant.channel_error[case] for case in QUANT_CASES}
products = {case: quant.product_error[case] for case in QUANT_CASES}
assert np.all(errors["outlier"] > 5 * errors["no outlier"]), \
    "one outlier channel should make the INT8 error of every other channel several times larger"
assert np.all(products["outlier"] > 2 * products["no outlier"]), "...and the error of the product X·W"
assert np.all(products["outlier + SmoothQuant"] < 0.5 * products["outlier"]), \
    "SmoothQuant should bring the product's error well back down"
assert np.all(quant.smoothing_change < 1e-5), "demonstration: the rescaling itself leaves X·W unchanged"

# %% [markdown] slideshow={"slide_type": "-"}
# The mechanism is the shared step: without the outlier, the ordinary channels' error is about
# 1%; with it, over ten times larger, and the product's error grows several times; SmoothQuant
# brings most of it back without changing what the layer computes. LLM.int8() takes another
# route, keeping the outlier dimensions in 16-bit and the rest in INT8. In a real model the
# division by `s` is folded into the gain of the norm in front of the layer, so it costs
# nothing at run time.
#
# Large values are also why norms run in float32 under mixed precision. float16's largest
# finite number is 65504: the square of an entry above 256 is `inf`. A LayerNorm written out in
# float16, `mean((x - mean)²)`, overflows on activations of a few hundred and divides everything
# by `inf`. We normalise activations of standard deviation 300 (16 tokens × 256, 3 seeds) with
# our from-scratch LayerNorm in float16 and in float32; as the ablation, the same float16 norm
# gets activations of standard deviation 30, whose squares stay below 65504. Then we ask
# PyTorch's autocast which dtype it returns for a linear layer and for the norms.

# %% slideshow={"slide_type": "subslide"}
precision = run_norm_precision(scale=300.0, seeds=SEEDS[:3])
small_scale = run_norm_precision(scale=30.0, seeds=SEEDS[:3])
for name in PRECISIONS:
    print(f"{name}: variance {np.median(precision.variance[name]):.2g}, largest error of the LayerNorm output "
          f"{np.median(precision.error[name]):.1f} (units of its std; median over seeds)")
print(f"float16, activations of std 30: variance {np.median(small_scale.variance['float16']):.2g}, "
      f"largest error {np.median(small_scale.error['float16']):.3f}")
print("under torch.autocast('cpu', dtype=torch.float16):",
      ", ".join(f"{op} -> {str(dtype).replace('torch.', '')}" for op, dtype in precision.autocast_dtypes.items()))

assert np.all(np.isinf(precision.variance["float16"])) and np.all(precision.error["float16"] > 1), \
    "in float16 the variance of activations ~300 overflows and the output is wrong"
assert np.all(np.isfinite(precision.variance["float32"])) and np.all(precision.error["float32"] < 1e-4), \
    "in float32 the same LayerNorm is fine"
assert np.all(np.isfinite(small_scale.variance["float16"])) and np.all(small_scale.error["float16"] < 0.02), \
    "ablation: at activations of std 30 the float16 LayerNorm is fine, so the failure comes from the scale"
assert precision.autocast_dtypes == {"linear": torch.float16, "layer_norm": torch.float32,
                                     "rms_norm": torch.float32}, \
    "autocast runs the matrix product in float16 but keeps the norms in float32"

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch's autocast documentation lists `layer_norm` among the CUDA ops that autocast to
# float32, and in the version installed here `rms_norm` is on the same list (the measurement
# above is autocast on the CPU): matrix products run in 16 bits, the statistics of the norm in
# 32. A norm written out in a model's own code gets no help from autocast if its input is
# already float16, which is why such code casts to float32 inside the norm (LLaMA's reference
# RMSNorm normalises `x.float()` and casts the result back).
#
# The same scale argument decides `eps`. It is added to the variance, so it matters only when
# the variance is comparable to it (notebook [02](02_layer_normalization.ipynb), "Why `eps`"
# measures the trade-off): `1e-5` (PyTorch's LayerNorm default, GPT-2), `1e-6` (LLaMA's RMSNorm)
# and `1e-12` (BERT's released configuration) are all tiny next to the variance of a typical
# residual stream. The choice is relative to the activation scale. It is one more reason to keep
# the statistics in float32: BERT's `1e-12` is below float16's smallest positive number (about
# `6e-8`) and would round to 0.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. Parallel blocks: one norm for attention and MLP
#
# GPT-J (Wang & Komatsuzaki 2021) and PaLM (Chowdhery et al. 2022, Sec. 2) compute attention and
# MLP side by side from one norm, `y = x + Attn(LN(x)) + MLP(LN(x))`, instead of the serial
# `y = x + a + MLP(LN(x + a))` with `a = Attn(LN(x))`. PaLM reports roughly 15% faster training at
# large scale, because the input matrix products of the MLP and of attention can be fused; in
# their ablations a small quality loss at 8B and none at 62B, so they extrapolated that it is
# neutral at 540B. ViT-22B uses the same block (§5). Here `resnorm.parallel_block.ParallelBlock`
# (`d_model = 32`, 4 heads, 3 seeds): its query/key/value projection and the MLP's first layer
# stacked into one weight, and the serial Pre-LN block with the same weights.

# %% slideshow={"slide_type": "subslide"}
parallel = run_parallel_block(seeds=SEEDS[:3])
fused_weight, _ = ParallelBlock(32, 4, 64).fused_input_weight()
print(f"fused input weight: {tuple(fused_weight.shape)} = q, k, v (3 × 32 rows) and the MLP's first layer (64 rows)")
print(f"parallel block, one fused matrix product vs two: outputs equal to 1e-5: "
      f"{bool(np.all(parallel.fused_difference < 1e-5))}")
print(f"serial Pre-LN block with the same weights: differs by {np.median(parallel.serial_difference):.0%} "
      f"of the block's update (RMS, median over seeds)")

# Demonstrations: the fusion is exact (same function), and the serial block is a different function.
assert np.all(parallel.fused_difference < 1e-5), "fusing the two input projections should not change the output"
assert np.all(parallel.serial_difference > 0.01), "the serial block computes a different function"

# %% [markdown] slideshow={"slide_type": "-"}
# Both checks are demonstrations, not findings: the fused product computes exactly the same
# function (the speed-up is the point, and it only shows on large accelerators), and the serial
# block is a different function, so "quality neutral" is an empirical result of PaLM's
# ablations at scale, not something an identity guarantees. For the residual stream the
# parallel block changes little: the serial Pre-LN block adds to the stream twice, once per
# sublayer, the parallel one adds both branches at once, and it needs one norm where Pre-LN
# has two.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Loss spikes in large-scale training
#
# Large runs show sudden jumps of the training loss. PaLM (Chowdhery et al. 2022, Sec. 5.1) saw
# about 20 in its largest model despite gradient clipping, at irregular intervals, and not in
# its smaller models. The same batches did not cause a spike when replayed from an earlier
# checkpoint: it took a particular batch together with a particular state of the weights. The
# usual remedies address different causes:
#
# | remedy | what it addresses | where in this course |
# |---|---|---|
# | gradient clipping | one step that is far too large (a rare huge gradient) | - |
# | learning-rate warm-up | the first steps, while Adam's second-moment estimates are still poor and Post-LN amplifies updates | §3; notebook [03](03_transformer_residual_layernorm.ipynb) |
# | QK-norm | attention logits that grow until the attention is one-hot | §6 |
# | z-loss | output logits that drift (`log Z` far from 0) | §6 |
# | restart from a checkpoint ~100 steps earlier and skip ~200-500 batches (PaLM) | a spike that clipping did not prevent | - |
# | Pre-LN, re-weighted residuals (DeepNorm), sandwich / output norms | the stream's and the updates' growth with depth | §3-§5 |
#
# None of these is a guarantee; they are what large runs reported to help. Warm-up and clipping
# act on the optimizer; QK-norm, z-loss and the placement of the norms change the model.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10. Beyond `x + F(x)`: Hyper-Connections
#
# The residual sum itself is now being revisited. Hyper-Connections (Zhu et al. 2024,
# arXiv:2409.19606; ICLR 2025) widen the residual stream into `n` copies and replace the fixed
# `x + F(x)` by learnable weights: how the copies are mixed with each other, how they are combined
# into the sublayer's input, and how the sublayer's output is written back to each copy
# (static weights, or weights predicted from the input). Initialised to mimic Pre-LN, they
# report lower loss than plain residuals in LLM pre-training, dense and mixture-of-experts, and
# gains on vision tasks. Unconstrained mixing can lose what makes the plain residual safe, the
# identity path: a product of many learned mixing matrices can grow or shrink the signal.
# mHC ("Manifold-Constrained Hyper-Connections", Xie et al., DeepSeek-AI, arXiv:2512.24880,
# December 2025) constrains the mixing matrices to be doubly stochastic (non-negative, rows and
# columns summing to 1, computed with Sinkhorn-Knopp iterations), a set closed under
# multiplication, so the composition over depth stays bounded; they report stable training at
# up to 27B parameters. DeepSeek-V4 (2026) uses mHC in place of the plain residual sum (as its
# Hugging Face Transformers documentation describes); most other open models keep `x + F(x)`.
# We do not measure it here.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 11. Timeline
#
# | year | paper | the idea in one line | where it is used |
# |---|---|---|---|
# | 2016 | He, Zhang, Ren & Sun, *Deep residual learning* (CVPR) | identity shortcut `x + F(x)` | ResNets; every Transformer |
# | 2016 | He, Zhang, Ren & Sun, *Identity mappings* (ECCV) | keep the shortcut a pure identity, normalise inside the branch | ResNet v2; the pattern of Pre-LN |
# | 2016 | Ba, Kiros & Hinton, *Layer normalization* | normalise each example over its features | RNNs; Transformers |
# | 2016 | Veit, Wilber & Belongie (NeurIPS) | residual nets behave like ensembles of shallow paths | analysis (§1) |
# | 2017 | Balduzzi et al. (ICML) | plain deep nets shatter gradients; shortcuts keep them correlated | analysis (§2) |
# | 2017 | Vaswani et al. (NeurIPS) | Transformer with Post-LN | original Transformer; BERT |
# | 2018-2019 | tensor2tensor (Vaswani et al. 2018); Baevski & Auli (2019); Wang et al. (2019) | norm at the input of each sublayer (Pre-LN) | deep translation and language models |
# | 2019 | Radford et al., GPT-2 | Pre-LN plus a final norm | GPT-2 and its successors |
# | 2019 | Zhang & Sennrich (NeurIPS) | RMSNorm: rescale only, no centring | LLaMA and most open LLMs |
# | 2019 | Zhang, Dauphin & Ma (ICLR) | Fixup: train deep ResNets without norms by initialisation | research |
# | 2020 | Xiong et al. (ICML) | Post-LN has large gradients near the output at init; in their BERT and translation runs Pre-LN trains without warm-up | one explanation of warm-up (notebook 03) |
# | 2020 | Liu et al. (EMNLP) | disagrees with Xiong et al.: not the unbalanced gradients but amplification, Post-LN leaning on its branches; Admin initialisation | the competing explanation (§3) |
# | 2020 | Brown et al., GPT-3 | Pre-LN at 175B parameters, still with warm-up | large Pre-LN models warm up |
# | 2020 | Bachlechner et al. | ReZero: `x + α·F(x)`, `α = 0` at init, no norm | research |
# | 2020 | De & Smith (NeurIPS) | SkipInit: a zero-initialised scalar replaces BatchNorm in ResNets | research |
# | 2020 | Henry et al. (Findings of EMNLP) | QK-norm: normalise queries and keys | ViT-22B; OLMo 2 |
# | 2021 | Ding et al., CogView (NeurIPS) | sandwich LayerNorm around each sublayer | CogView; the placement of Gemma 2 |
# | 2021 | Wang & Komatsuzaki, GPT-J | attention and MLP in parallel from one norm | GPT-J; PaLM; ViT-22B (§8) |
# | 2022 | Wang et al., DeepNet | DeepNorm: `LN(α·x + G(x))` with `β`-scaled init; 1000 layers, its recipes still with warm-up | GLM-130B |
# | 2022 | Chowdhery et al., PaLM | parallel blocks, z-loss; restarts and skipped batches against loss spikes | PaLM (§6, §8, §9) |
# | 2022 | Dettmers et al., LLM.int8() (NeurIPS) | outlier features from about 6.7B parameters; 16-bit for outlier dimensions | INT8 inference (§7) |
# | 2023 | Touvron et al., LLaMA | Pre-norm with RMSNorm, 2,000 warm-up steps | the LLaMA family; Mistral, Qwen, DeepSeek-V3 use the same block |
# | 2023 | Dehghani et al., ViT-22B (ICML) | QK-norm keeps attention logits bounded at scale | ViT-22B |
# | 2023 | Xiao et al., SmoothQuant (ICML) | move activation outliers into the weights before INT8 | INT8 inference (§7) |
# | 2023 | Wortsman et al. | attention-logit growth and output-logit divergence reproduced in small models | analysis (§6) |
# | 2024 | OLMo Team, OLMo 2 | RMSNorm on each sublayer's output only, plus QK-norm | OLMo 2 |
# | 2024 | Sun et al. | massive activations: a few values up to ~100,000x the rest, acting as biases | analysis (§7) |
# | 2024 | Zhu et al., Hyper-Connections (ICLR 2025) | `n` residual copies mixed by learned weights instead of `x + F(x)` | research (§10) |
# | 2025 | Xie et al. (DeepSeek-AI), mHC | Hyper-Connections with doubly stochastic mixing | DeepSeek-V4 (§10) |
# | 2025 | Kim et al., Peri-LN (ICML) | why norms around each sublayer (input and output) help | analysis of Gemma-style placement |
# | 2025 | Zhu et al., DyT (CVPR) | `tanh(α·x)` instead of a norm | research (§5) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# Pick blocks to delete from the trained nets of the lesion study (hold Ctrl or Shift to select
# several) and see the test error of the residual and the plain net, median and min–max over
# its 3 seeds. Try deleting one block, then four, then all eight: the residual net degrades
# slowly; any single deletion hurts the plain net more than any residual one, on median up to
# about the level of guessing. The figure just below is the state
# with blocks 3 and 6 deleted, drawn without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_lesion_explorer, deleted=(2, 5), seeds=SEEDS[:3])

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_lesion_explorer(seeds=SEEDS[:3])
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source
#
# The source's claims that this notebook's measurements speak to:
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections skip layers so that "the gradient can pass directly to shallow layers" (梯度可以直接传递到浅层网络) | **right, but incomplete** | the net also behaves like an ensemble of mostly short paths ([§1](#1.-Residual-nets-as-ensembles-of-paths)) and keeps gradients correlated, not only large ([§2](#2.-Shattered-gradients)) |
# | residual connections let the Transformer "learn deeply" (使得模型能够深入学习) | **half-true** | with Post-LN, depth amplifies small weight changes ([§3](#3.-Amplification-in-Post-LN)); at a learning rate where a 3-layer Post-LN learns on median, a 6-layer one stays at chance unless the norm moves (Pre-LN) or the branches start small or at zero (DeepNorm, ReZero) ([§4](#4.-Re-weighted-residuals:-ReZero,-SkipInit,-Fixup,-DeepNorm)); in practice warm-up is kept even then (the DeepNet paper's recipes still use it) |
# | layer normalization "improves training stability" (提高训练稳定性) | **half-true** | it depends on where it sits: Post-LN is what makes the deep Transformer fragile ([§3](#3.-Amplification-in-Post-LN)), and why is disputed (Xiong et al. vs Liu et al.); Pre-LN is more stable, yet large Pre-LN models (GPT-3, LLaMA) still warm up |
# | residuals and LayerNorm are "the key to the Transformer" (Transformer 的关键, the title) | **half-true** | without shortcuts a deep net trains worse than a shallow one (degradation, notebook [01](01_residual_connections.ipynb)), and a trained residual net survives deleting blocks that a plain net does not ([§1](#1.-Residual-nets-as-ensembles-of-paths)); LayerNorm can be dropped with zero-started branches (ReZero, [§4](#4.-Re-weighted-residuals:-ReZero,-SkipInit,-Fixup,-DeepNorm)) or replaced by a tanh (DyT, [§5](#5.-What-current-LLMs-use,-and-Dynamic-Tanh)), though most LLMs keep a norm (Pre-RMSNorm) |
# | its Transformer code normalises first, `x = norm1(x); x = attn(x); x = x + x` | **wrong** | modern models do normalise first, but keep the stream: `x = x + attn(norm1(x))` ([§5](#5.-What-current-LLMs-use,-and-Dynamic-Tanh); the bug itself: notebook [03](03_transformer_residual_layernorm.ipynb)) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each answer cell starts as `answer = ...`; replace the `...` and run the cell for instant
# feedback. `hint(key)` gives hints.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1.** A net has 10 residual blocks. How many of its input-to-output paths go through
# exactly 3 residual branches? (An integer.)

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.paths", answer)

# %% slideshow={"slide_type": "-"}
hint("05.paths")

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("05.paths")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Give DeepNorm's constants `(alpha, beta)` for an encoder-only Transformer of
# 18 layers, as a pair of numbers.

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.deepnorm", answer)

# %% slideshow={"slide_type": "-"}
hint("05.deepnorm")

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("05.deepnorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Write Dynamic Tanh as a function `dyt(x, alpha, weight, bias)` of PyTorch
# tensors (`alpha` has shape `(1,)`, `weight` and `bias` shape `(d,)`, `x` shape `(..., d)`), and
# set `answer = dyt`.

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.dyt", answer)

# %% slideshow={"slide_type": "-"}
hint("05.dyt")

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("05.dyt")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview answer card
#
# ### 15 seconds
# **EN.** The shortcut does more than pass gradients back: a residual net behaves like an
# ensemble of many short paths, and it keeps input gradients correlated where a deep plain net
# shatters them; where the norm sits decides how fragile a deep Transformer is, and today's LLMs
# mostly use Pre-norm with RMSNorm.
#
# **中文。** 残差连接不只是让梯度传回浅层：残差网络的表现像许多短路径组成的集成；它还让对输入的梯度保持相关，而深的普通网络会出现梯度破碎（shattered gradients）；归一化放在哪里决定了深层 Transformer 有多脆弱，今天的大模型大多采用均方根归一化（RMSNorm）的前置归一化（Pre-LN）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 seconds: three points
# **EN.**
# 1. **Ensemble of paths; correlated gradients.** `n` residual blocks unroll into `2^n` paths;
#    deleting one block of a trained residual net barely changes its error, while deleting any
#    one layer of a plain net hurts more, on median up to guessing (Veit et al. 2016).
#    Separately, the shortcut keeps the input gradient correlated across neighbouring inputs,
#    where a deep plain net's is shattered (Balduzzi et al. 2017).
# 2. **Post-LN amplifies small updates; why it is unstable is disputed.** In Post-LN the squared
#    output change under a small update grows like `N` (the change like `sqrt(N)`), against
#    `log N` for Pre-LN (Liu et al. 2020; our toy: exponent about 1 for Post-LN, clearly slower
#    for Pre-LN). Liu et al. blame this amplification; Xiong et al. (2020) blame large gradients
#    near the output, which Liu et al. argue are not the root cause.
# 3. **Fixes and practice.** Pre-LN, re-weighted residuals (DeepNorm, ReZero, Fixup) or warm-up;
#    in our toy, DeepNorm's smaller initial branches (`β`) do the work, not its up-weighted
#    shortcut (`α`). Training without warm-up holds in particular settings (Pre-LN in Xiong et
#    al.'s BERT and translation runs; Pre-LN and DeepNorm in our toy); GPT-3, LLaMA (2,000
#    steps) and the DeepNet paper's recipes warm up. Most open LLMs (LLaMA, Mistral, Qwen,
#    DeepSeek-V3) use plain Pre-RMSNorm; Gemma 2 adds sandwich norms, OLMo 2 a norm on each
#    sublayer's output only, plus QK-norm.
#
# **中文。**
# 1. **路径集成；梯度保持相关。** `n` 个残差块展开后有 `2^n` 条路径；删掉训练好的残差网络中的一个块，误差几乎不变，而删掉普通网络的任意一层，误差都升得更多，中位数接近随机猜测（Veit 等人，2016）。另外，捷径连接（shortcut）还让对输入的梯度在相邻输入之间保持相关，而深的普通网络会出现梯度破碎（Balduzzi 等人，2017）。
# 2. **后置归一化（Post-LN）会放大小的参数更新；它训练不稳定的原因有争议。** 在 Post-LN 中，一次小的更新带来的输出变化的平方随层数 `N` 线性增长（变化本身约按 `sqrt(N)` 增长），前置归一化（Pre-LN）只按 `log N` 增长（Liu 等人，2020；本课的玩具实验中 Post-LN 的指数约为 1，Pre-LN 明显更慢）。Liu 等人把不稳定归因于这种放大；Xiong 等人（2020）则归因于初始化时靠近输出层的梯度过大，Liu 等人认为这并不是根本原因。
# 3. **解决办法与现状。** 用 Pre-LN、对残差重新加权（DeepNorm、ReZero、Fixup），或者学习率预热（warm-up）；本课的玩具实验中，DeepNorm 起作用的是缩小初始分支的 `β`，而不是放大捷径的 `α`。不预热也能训练，只是特定设置下的结论（Xiong 等人的 BERT 和翻译实验中的 Pre-LN，以及本课玩具实验中的 Pre-LN 和 DeepNorm）；GPT-3、LLaMA（2,000 步）和 DeepNet 论文的训练配置都仍然预热。多数开源大模型（LLaMA、Mistral、Qwen、DeepSeek-V3）用的是普通的前置 RMSNorm；Gemma 2 在子层前后都加归一化（sandwich），OLMo 2 只对子层输出做归一化，并加上 QK-norm。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Follow-ups an interviewer is likely to ask
# **Q:** Why does deleting one block of a trained ResNet barely matter? **A:** Its `2^n` paths act like an ensemble of mostly short paths; a plain net has one path, and deleting any layer hurts it far more (Veit et al. 2016).
#
# **Q:** Residuals fix vanishing gradients, so why does deep Post-LN need warm-up? **A:** Liu et al. (2020): amplification, the squared output change grows like `N`; Xiong et al. (2020): large gradients near the output, which Liu et al. dispute as the root cause.
#
# **Q:** Does Pre-LN (or DeepNorm) remove the need for warm-up? **A:** Not in general: Pre-LN trained without it in Xiong et al.'s BERT and translation settings, but GPT-3, LLaMA (2,000 steps) and the DeepNet paper's recipes still use warm-up.
#
# **Q:** What do current LLMs use? **A:** Mostly plain Pre-RMSNorm (LLaMA, Mistral, Qwen, DeepSeek-V3); Gemma 2 adds sandwich norms, OLMo 2 normalises each sublayer's output only and adds QK-norm, which its authors use to keep attention logits bounded.
#
# **Q:** Why divide by `sqrt(d_k)`, and what is QK-norm for? **A:** `q·k` has variance `d_k`, so unscaled logits saturate the softmax in large heads; during training growing `W_q`, `W_k` still grow the logits like `s²` until attention is one-hot, and QK-norm (LayerNorm on `q` and `k`) bounds them whatever the weights.
#
# **Q:** Why do norms run in float32 under mixed precision? **A:** Their statistics square the activations: entries of a few hundred square past float16's 65504, the variance becomes `inf`; autocast keeps `layer_norm` (and `rms_norm`) in float32.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 追问
# **问：** 为什么删掉训练好的 ResNet 中的一个块几乎没有影响？**答：** 它的 `2^n` 条路径像一个以短路径为主的集成；普通网络只有一条路径，删掉任意一层，误差都升得多得多，接近随机猜测（Veit 等人，2016）。
#
# **问：** 残差连接解决了梯度消失，为什么深层 Post-LN 还需要预热？**答：** Liu 等人（2020）认为是放大效应：输出变化的平方随层数 `N` 增长；Xiong 等人（2020）归因于靠近输出层的大梯度，Liu 等人不认为这是根本原因。
#
# **问：** 用了 Pre-LN（或 DeepNorm）就不需要预热了吗？**答：** 不一定：Pre-LN 在 Xiong 等人的 BERT 和翻译实验里不预热也能训练，但 GPT-3、LLaMA（2,000 步）和 DeepNet 论文的训练配置都仍然使用学习率预热。
#
# **问：** 现在的大模型用什么归一化？**答：** 大多是普通的前置 RMSNorm（LLaMA、Mistral、Qwen、DeepSeek-V3）；Gemma 2 在子层前后都加归一化，OLMo 2 只对子层输出做归一化，并用 QK-norm 限制注意力 logits。
#
# **问：** 为什么要除以 `sqrt(d_k)`？QK-norm 又解决什么问题？**答：** `q·k` 的方差是 `d_k`，不缩放的话，头越大，softmax 越容易饱和；训练中 `W_q`、`W_k` 变大时，logits 按 `s²` 增长，注意力会退化成接近 one-hot。QK-norm 先对 `q` 和 `k` 做层归一化，不管权重多大，logits 都有上界。
#
# **问：** 混合精度训练时，为什么归一化要用 float32 计算？**答：** 归一化要对激活值求平方：几百大小的值平方后就超过 float16 的上限 65504，方差变成 `inf`；所以 autocast 把 `layer_norm`（以及 `rms_norm`）保留在 float32 下计算。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - Veit, Wilber, Belongie (2016). *Residual Networks Behave Like Ensembles of Relatively Shallow
#   Networks.* NeurIPS. (Fig. 3 and 5: deleting and re-ordering blocks; Fig. 6: gradient per path
#   length; §1 here.)
# - Balduzzi, Frean, Leary, Lewis, Ma, McWilliams (2017). *The Shattered Gradients Problem: If
#   resnets are the answer, then what is the question?* ICML. (Fig. 1-2: input gradients of plain
#   and residual nets; §2 here.)
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP. (Sec. 3: unbalanced gradients are not the root cause; Sec. 4:
#   amplification, squared output change `O(N)` for Post-LN and `O(log N)` for Pre-LN; §3.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML. (Theorem 1,
#   Fig. 3: gradients near the output at init; Pre-LN without warm-up in BERT and translation.)
# - Bachlechner, Majumder, Mao, Cottrell, McAuley (2020). *ReZero is All You Need: Fast
#   Convergence at Large Depth.* arXiv:2003.04887 (UAI 2021).
# - De, Smith (2020). *Batch Normalization Biases Residual Blocks Towards the Identity Function in
#   Deep Networks.* NeurIPS. (SkipInit.)
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization: Residual Learning Without Normalization.* ICLR.
# - Wang, Ma, Dong, Huang, Zhang, Wei (2022). *DeepNet: Scaling Transformers to 1,000 Layers.*
#   arXiv:2203.00555. (DeepNorm; the constants for encoder-only models; its training recipes use
#   learning-rate warm-up; §4.)
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.
# - Ding et al. (2021). *CogView: Mastering Text-to-Image Generation via Transformers.* NeurIPS.
#   (Sandwich LayerNorm.)
# - Henry, Dachapally, Pawar, Chen (2020). *Query-Key Normalization for Transformers.* Findings of EMNLP.
# - Dehghani et al. (2023). *Scaling Vision Transformers to 22 Billion Parameters.* ICML. (QK-norm.)
# - Touvron et al. (2023). *LLaMA: Open and Efficient Foundation Language Models.* arXiv:2302.13971.
#   (Sec. 2: pre-normalization with RMSNorm; 2,000 warm-up steps.)
# - Brown et al. (2020). *Language Models are Few-Shot Learners.* NeurIPS. (GPT-3: GPT-2's
#   pre-normalization; linear warm-up over the first 375 million tokens.)
# - Jiang et al. (2023). *Mistral 7B.* arXiv:2310.06825. Yang et al. (2024). *Qwen2 Technical
#   Report.* arXiv:2407.10671. DeepSeek-AI (2024). *DeepSeek-V3 Technical Report.*
#   arXiv:2412.19437. (Pre-norm with RMSNorm.)
# - Gemma Team (2024). *Gemma 2: Improving Open Language Models at a Practical Size.*
#   arXiv:2408.00118. (Sec. 2: RMSNorm on the input and output of each sublayer; logit
#   soft-capping.)
# - Vaswani et al. (2018). *Tensor2Tensor for Neural Machine Translation.* AMTA. Baevski, Auli
#   (2019). *Adaptive Input Representations for Neural Language Modeling.* ICLR. Wang et al.
#   (2019). *Learning Deep Transformer Models for Machine Translation.* ACL. (Pre-LN before GPT-2.)
# - OLMo Team (2024). *2 OLMo 2 Furious.* arXiv:2501.00656. (Reordered norm: RMSNorm on the output
#   of each sublayer only, `x + RMSNorm(F(x))`; QK-norm.)
# - Zeng et al. (2023). *GLM-130B: An Open Bilingual Pre-trained Model.* ICLR. (DeepNorm.)
# - Kim et al. (2025). *Peri-LN: Revisiting Normalization Layer in the Transformer Architecture.* ICML.
# - Zhu, Chen, He, LeCun, Liu (2025). *Transformers without Normalization.* CVPR. (Dynamic Tanh;
#   Fig. 2-4: LayerNorm's S-shaped input-output mapping; §5.)
# - Wortsman et al. (2023). *Small-scale proxies for large-scale Transformer training
#   instabilities.* arXiv:2309.14322 (ICLR 2024). (Attention-logit growth and output-logit
#   divergence in small models; QK-layernorm and z-loss as the fixes; §6.)
# - Chowdhery et al. (2022). *PaLM: Scaling Language Modeling with Pathways.* arXiv:2204.02311
#   (JMLR 2023). (Sec. 2: parallel layers, ~15% faster training; Sec. 5: z-loss; Sec. 5.1: loss
#   spikes, restarts and skipped batches; §6, §8, §9.)
# - Wang, Komatsuzaki (2021). *GPT-J-6B: A 6 Billion Parameter Autoregressive Language Model.*
#   (Parallel attention and feed-forward; §8.)
# - Dettmers, Lewis, Belkada, Zettlemoyer (2022). *LLM.int8(): 8-bit Matrix Multiplication for
#   Transformers at Scale.* NeurIPS. (Sec. 4: outlier features up to 20x larger, all layers from
#   about 6.7B parameters; §7.)
# - Sun, Chen, Kolter, Liu (2024). *Massive Activations in Large Language Models.*
#   arXiv:2402.17762 (COLM 2024). (§7.)
# - Xiao, Lin, Seznec, Wu, Demouth, Han (2023). *SmoothQuant: Accurate and Efficient
#   Post-Training Quantization for Large Language Models.* ICML. (Per-channel smoothing with
#   migration strength 0.5; §7.)
# - PyTorch documentation, *Automatic Mixed Precision package - torch.amp*, autocast op
#   reference ("CUDA Ops that can autocast to float32": `layer_norm`, ...). (§7.)
# - Zhu, Huang, Huang, Zeng, Mao, Wu, Min, Zhou (2024). *Hyper-Connections.* arXiv:2409.19606
#   (ICLR 2025). Xie, Wei, Cao et al. (DeepSeek-AI) (2025). *mHC: Manifold-Constrained
#   Hyper-Connections.* arXiv:2512.24880. Hugging Face Transformers documentation,
#   *DeepSeek-V4* (mHC in place of the residual connections). (§10.)
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR; and *Identity
#   Mappings in Deep Residual Networks.* ECCV.
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. Devlin et al. (2019). *BERT.*
#   NAACL. Radford et al. (2019). *Language Models are Unsupervised Multitask Learners* (GPT-2).
#   Raffel et al. (2020). *Exploring the Limits of Transfer Learning with a Unified Text-to-Text
#   Transformer* (T5). JMLR.

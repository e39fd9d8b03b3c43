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
# **题目（面试官的追问）：** 残差连接为什么有效——"梯度可以直接传回浅层"就是全部原因吗？
# 层规范化放在哪里有什么区别？今天的大模型又用什么样的归一化？
#
# **The question (the interviewer's follow-up):** Why do residual connections work - is "the
# gradient can flow straight back to the early layers" the whole story? Does it matter where the
# normalization sits? And what do today's large models actually use?
#
# The source text stops at answers from around 2017. This notebook goes one level deeper, the
# level a good interviewer probes next: residual nets as ensembles of paths, shattered
# gradients, the amplification that makes deep Post-LN fragile, and the designs that came out of
# those insights (ReZero, SkipInit, Fixup, DeepNorm, RMSNorm, sandwich / Peri-LN, QK-norm,
# Dynamic Tanh). Each is measured at toy scale, in about a second, and every claim is checked.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer
#
# - **A residual net is an ensemble of paths.** Unrolled, `n` blocks give `2^n` paths from input
#   to output, `binomial(n, k)` of them through `k` branches. Delete one block of a trained
#   residual net and the error hardly moves; delete one layer of a plain net and it collapses
#   (Veit et al. 2016).
# - **The shortcut keeps gradients meaningful, not just large.** In a deep plain net the
#   gradient with respect to the input jumps around like white noise from one input to the next
#   ("shattered"); the identity path keeps it smooth (Balduzzi et al. 2017).
# - **Where the norm sits matters.** In Post-LN every layer leans on its own branch, so a small
#   change of all weights moves the output more and more with depth (Liu et al. 2020): deep
#   Post-LN needs warm-up. In Pre-LN that growth is much slower.
# - **Normalization is one fix, not the only one.** Start each branch at zero (ReZero, SkipInit,
#   Fixup) or up-weight the shortcut (DeepNorm) and deep nets train without warm-up, some
#   without any norm.
# - **Current LLMs** use Pre-norm with RMSNorm (LLaMA), often with extra norms on the sublayer
#   outputs (sandwich / Peri-LN: Gemma 2, OLMo 2) and on queries and keys (QK-norm). Dynamic
#   Tanh (2025) replaces the norm by an element-wise `tanh`.

# %% slideshow={"slide_type": "skip"}
import inspect

import matplotlib.pyplot as plt
import numpy as np

import resnorm
from resnorm.exercises import check, hint, solution
from resnorm.experiments.amplification import run_amplification
from resnorm.experiments.dyt import fit_tanh, norm_mapping, run_dyt
from resnorm.experiments.fixup import run_fixup
from resnorm.experiments.lesion import LESION_SETTINGS, lesion_data, path_length_counts, run_lesion
from resnorm.experiments.reweighted import DEEPER_CONFIGS, run_deeper
from resnorm.experiments.shattered import run_shattered
from resnorm.figures.beyond_the_interview import (
    draw_lesion_explorer,
    make_lesion_explorer,
    plot_amplification,
    plot_fixup,
    plot_lesion,
    plot_lesion_k,
    plot_norm_mapping,
    plot_path_lengths,
    plot_shattered,
    plot_shattered_examples,
    plot_training,
)
from resnorm.norms import DynamicTanh
from resnorm.reweighted import deepnorm_constants
from resnorm.widgets import static_figure

resnorm.setup(seed=0)

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
# same on a toy scale: a residual and a plain `DeepMLP` with 8 blocks of width 32, each with
# BatchNorm (as in the ResNets of the paper), trained with Adam for 100 steps on a 4-class
# teacher task, 3 seeds. Deleting block `i` means passing its input on unchanged: for the
# residual net that drops the branch `f_i`; for the plain net it hands layer `i+1` an input it
# never saw in training, as the paper does for a plain VGG net.

# %% slideshow={"slide_type": "-"}
LESION_SETTINGS

# %% slideshow={"slide_type": "subslide"}
lesion = run_lesion(**LESION_SETTINGS)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_lesion(lesion, left)
plot_lesion_k(lesion, right)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "-"}
# Left: with nothing deleted both nets make about the same test error (dashed lines). Deleting
# any one block of the residual net leaves the error almost where it was; deleting any one layer
# of the plain net raises it sharply, on median to the level of guessing. The first block of the
# residual net hurts a little more than the others: it is where the stem's features are first
# reshaped, loosely like the down-sampling blocks that Veit et al. found to matter. Right:
# deleting `k` random residual blocks raises the error smoothly, with no cliff, as an ensemble
# that loses members would (their Fig. 5a).

# %% slideshow={"slide_type": "fragment"}
res_increase = lesion.single_increase("residual")
plain_increase = lesion.single_increase("plain")
res_k = lesion.k_deleted["residual"]
half = n_blocks // 2
_, _, _, y_test = lesion_data()
guess_error = 1 - np.bincount(y_test).max() / len(y_test)  # always answer the most common class

print(f"intact test error, residual / plain (median):  {np.median(lesion.baseline['residual']):.2f} / "
      f"{np.median(lesion.baseline['plain']):.2f}")
print(f"residual, one block deleted: error rises by at most {res_increase.max():.2f} "
      f"(median over blocks and seeds {np.median(res_increase):.3f})")
print(f"residual, first block deleted: median rise {np.median(res_increase[:, 0]):.3f}; "
      f"other blocks: {np.median(res_increase[:, 1:]):.3f}")
print(f"plain, one layer deleted:    error rises by at least {plain_increase.min():.2f} "
      f"(median {np.median(plain_increase):.2f}), median error {np.median(lesion.single['plain']):.2f} "
      f"(always guessing the most common class: {guess_error:.2f})")
res_steps = np.diff(res_k, axis=1).max(axis=1)
plain_jump = lesion.k_deleted["plain"][:, 1] - lesion.k_deleted["plain"][:, 0]
print(f"residual, {half} of {n_blocks} blocks deleted: error rises by at most "
      f"{(res_k[:, half] - lesion.baseline['residual']).max():.2f}")
print(f"largest rise from k to k+1 deleted blocks, residual: {res_steps.max():.2f}; "
      f"plain, from 0 to 1: at least {plain_jump.min():.2f}")

assert np.all(np.abs(lesion.baseline["residual"] - lesion.baseline["plain"]) < 0.05), \
    "both nets should train to a similar error, so that the lesion compares like with like"
assert np.all(np.median(res_increase, axis=1) < 0.03) and res_increase.max() < 0.1, \
    "deleting one residual block should barely change the error"
assert np.median(res_increase[:, 0]) > np.median(res_increase[:, 1:]), \
    "the first residual block should matter more than the others"
assert plain_increase.min() > 0.1 and np.all(np.median(plain_increase, axis=1) > 0.3), \
    "deleting any one plain layer should wreck the net"
assert np.median(lesion.single["plain"]) > guess_error - 0.1, \
    "with one layer deleted the plain net should be about as bad as guessing"
assert np.all(res_k[:, half] - lesion.baseline["residual"] < 0.15), \
    "even with half the residual blocks deleted the error should stay far below chance"
assert np.all(res_steps < 0.4 * plain_jump), \
    "the residual net's error should rise smoothly with k, without a cliff like the plain net's"

# %% [markdown] slideshow={"slide_type": "notes"}
# What the ensemble view does *not* say: the paths are not independent models trained
# separately, and a block's branch is trained in the context of all others. Veit et al. also show
# that most of the gradient during training comes from short paths (their Fig. 6), which is one
# more reason a residual net avoids the vanishing-gradient problem: it does not need the longest
# paths to learn.

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
# and residual `DeepMLP`s of depth 1 to 32 at initialisation, 5 seeds. Each block has a
# LayerNorm: it normalises each input on its own, so each derivative belongs to one input
# (BatchNorm in training mode would mix the 256 inputs of the batch).

# %% slideshow={"slide_type": "subslide"}
shattered = run_shattered()
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_shattered_examples(shattered, left)
plot_shattered(shattered, right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
ac = shattered.autocorrelation
deepest = shattered.depths[-1]
print(f"depth 1:  lag-1 autocorrelation plain {ac['plain'][:, 0].min():.2f}..{ac['plain'][:, 0].max():.2f}, "
      f"residual {ac['residual'][:, 0].min():.2f}..{ac['residual'][:, 0].max():.2f}")
print(f"depth {deepest}: lag-1 autocorrelation plain {ac['plain'][:, -1].min():.2f}..{ac['plain'][:, -1].max():.2f}, "
      f"residual {ac['residual'][:, -1].min():.2f}..{ac['residual'][:, -1].max():.2f}")

assert np.all(ac["plain"][:, 0] > 0.9) and np.all(ac["residual"][:, 0] > 0.9), \
    "a one-block net has smooth input gradients"
assert np.median(ac["plain"][:, -1]) < 0.2 and np.all(ac["plain"][:, -1] < 0.4), \
    "a deep plain net's input gradients should look like noise"
assert np.all(ac["residual"][:, -1] > 0.85), "a deep residual net's input gradients should stay smooth"

# %% [markdown] slideshow={"slide_type": "-"}
# So the identity path does more than carry a gradient of the right size back: it carries one
# that still *means* something. Balduzzi et al. show that in residual nets with BatchNorm the
# correlation decays only slowly with depth, against exponentially in plain nets.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Amplification in Post-LN
#
# Why does the original Post-LN Transformer need learning-rate warm-up, while residual
# connections were supposed to make depth easy? Liu et al. (2020, Sec. 4) look at how much the
# output moves when *all* weights change a little, as they do in one optimizer step:
# `|F(x, W) - F(x, W + δW)|²`. In Post-LN, `x_{l+1} = LN(x_l + F_l(x_l))`, so each layer's
# output depends strongly on its own branch, and the small changes of all layers add up: the
# output change grows like `N` with depth. In Pre-LN, `x_{l+1} = x_l + F_l(LN(x_l))`, layer
# `l`'s branch is only about a `1/l` share of the stream, and the change grows like `log N`.
#
# We perturb every weight matrix of a stack of `N` Transformer blocks at initialisation by 1% of
# its root-mean-square (random normal noise), and measure the mean squared output change
# relative to `N = 1`, for Post-LN, Pre-LN (with its final LayerNorm) and DeepNorm (next section);
# 5 seeds, width 32. Weights use Xavier-uniform initialisation, the usual choice in Transformer
# code, so that each branch starts about as large as its input.

# %% slideshow={"slide_type": "subslide"}
amplification = run_amplification()
_ = plot_amplification(amplification)

# %% slideshow={"slide_type": "fragment"}
depths = amplification.depths
median = {kind: np.median(amplification.growth(kind), axis=0) for kind in amplification.change}
slope = {kind: np.polyfit(np.log(depths), np.log(m), 1)[0] for kind, m in median.items()}
at8 = list(depths).index(8)

print("median output change relative to N = 1, for N =", depths.tolist())
for kind, label in (("post", "Post-LN "), ("pre", "Pre-LN  "), ("deepnorm", "DeepNorm")):
    print(f"  {label} {np.array2string(median[kind], precision=1, floatmode='fixed')}  "
          f"log-log slope {slope[kind]:+.2f}")

assert median["post"][at8] > 0.75 * 8, "Post-LN: the change should grow at least about linearly up to N = 8"
assert slope["post"] > 0.8, "Post-LN: about linear growth (log-log slope near 1) or faster"
assert slope["post"] - slope["pre"] > 0.2, "Pre-LN's change should grow clearly slower than Post-LN's"
assert median["pre"][-1] < 0.5 * depths[-1], "Pre-LN: far below linear growth at the largest depth"
log_line = 1 + np.log2(depths / depths[0])
assert np.all(median["pre"] < 2 * log_line), "Pre-LN should stay within a factor 2 of 1 + log2(N)"
assert np.all(amplification.growth("deepnorm")[:, -1] < 1), "DeepNorm: the change should not grow with depth"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN's change grows about linearly up to 8 blocks and then even faster on some seeds (the
# wide band): this is the fragility that warm-up hides, because with a tiny learning rate the
# first updates stay small while the weights move away from this state. Pre-LN stays within a
# factor 2 of the `1 + log₂ N` line. To explore: with `run_amplification(init="default")`,
# PyTorch's default initialisation makes each branch start small, so each layer leans less on
# its branch. What happens to the two curves?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Re-weighted residuals: ReZero, SkipInit, Fixup, DeepNorm
#
# If the trouble is that each layer leans too hard on its branch at the start, one can change
# the weights of the two terms of `x + F(x)` instead of (or besides) normalising:
#
# | method | block | at initialisation | normalization |
# |---|---|---|---|
# | ReZero (Bachlechner et al. 2020) | `x + α·F(x)`, one learnable scalar `α` per branch | `α = 0`: every block is the identity | none at all |
# | SkipInit (De & Smith 2020) | `x + α·F(x)` in a ResNet | `α = 0` (or small) | replaces BatchNorm |
# | Fixup (Zhang, Dauphin & Ma 2019) | `x + s·F(x) + b`, scalar multiplier `s` and scalar biases | last layer of each branch `= 0`, other branch layers scaled by `L^(-1/(2m-2))` | none |
# | DeepNorm (Wang et al. 2022) | `LN(α·x + G(x))`, Post-LN | weights of the feed-forward layers and of the value and output projections × `β` | kept |
#
# ReZero and SkipInit make the whole net the identity at the start; the scalar `α` still gets a
# gradient, so each branch switches itself on as training needs it. DeepNorm keeps Post-LN but
# strengthens the shortcut by `α > 1` and starts the branches smaller by `β < 1`, chosen so that
# the size of one model update stays bounded with depth; for an encoder-only model of `N`
# layers, `α = (2N)^(1/4)` and `β = (8N)^(-1/4)` (Wang et al. 2022). The code is in
# `resnorm.reweighted`.

# %% slideshow={"slide_type": "-"}
for n in (6, 18, 100, 1000):
    alpha, beta = deepnorm_constants(n)
    print(f"DeepNorm, N = {n:4d} layers: alpha = {alpha:.3f}, beta = {beta:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fixup: a deep residual net with no norm at all
#
# A `FixupMLP` has 16 residual blocks of two layers each, `h + s·W2·relu(W1·h + b1 ...) + b4`,
# and no normalization. With a standard He initialisation every branch adds about as much as
# its input, so the signal grows at every block. Fixup zeroes `W2` and the head, and scales `W1`
# by `16^(-1/2)`: the net starts as the identity. We measure the signal's standard deviation
# after each block at initialisation (5 seeds), and the gradient that reaches the zero layers.

# %% slideshow={"slide_type": "subslide"}
fixup = run_fixup()
_ = plot_fixup(fixup)

# %% slideshow={"slide_type": "fragment"}
growth = {init: values[:, -1] for init, values in fixup.signal.items()}
grad_at_init, grad_after_one_step = fixup.last_layer_grad[:, 0], fixup.last_layer_grad[:, 1]
print(f"signal std after 16 blocks / after the stem: He {growth['he'].min():.0f}..{growth['he'].max():.0f}, "
      f"PyTorch default {growth['default'].min():.2f}..{growth['default'].max():.2f}, "
      f"Fixup {growth['fixup'].min():.2f}..{growth['fixup'].max():.2f}")
print(f"gradient of the zero layers W2: at init {grad_at_init.max():.1g}; "
      f"after one SGD step {grad_after_one_step.min():.1g} or more")

assert np.all(growth["he"] > 100), "He init without a norm: the signal should blow up over 16 blocks"
assert np.allclose(fixup.signal["fixup"], 1.0, atol=1e-6), "Fixup: every block is the identity at init"
assert np.all(grad_at_init == 0), "at init the zero head blocks the gradient to every branch"
assert np.all(grad_after_one_step > 0), "after one step every zero layer gets a gradient and learns"

# %% [markdown] slideshow={"slide_type": "-"}
# A zero-initialised layer is not dead: in the first step only the head moves (everything
# behind it sees a zero gradient), and from the second step on every branch learns. PyTorch's
# default initialisation, by the way, is small enough (weights of variance `1/(3·fan_in)`) that
# this no-norm residual net grows only mildly; it is the variance-preserving He init that makes
# the growth visible.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training a deeper Post-LN without warm-up
#
# Now train. Four small Transformers (`d_model = 16`, 2 heads) learn to reverse sequences of 8
# tokens (vocabulary 10), with Adam at a constant learning rate of 0.03, **no warm-up**, batch 32,
# 40 steps, 3 seeds: Post-LN with 3 and with 6 layers, DeepNorm with 6 layers, ReZero with 6
# layers (no norm anywhere).

# %% slideshow={"slide_type": "-"}
DEEPER_CONFIGS

# %% slideshow={"slide_type": "subslide"}
deeper = run_deeper()
_ = plot_training(deeper, title="Reverse task, lr 0.03, no warm-up: median, min–max over 3 seeds")

# %% slideshow={"slide_type": "fragment"}
final = {label: deeper.final(label) for label in DEEPER_CONFIGS}
for label, values in final.items():
    print(f"{label:20s} final loss {values.min():.2f}..{values.max():.2f} nats (chance {deeper.chance:.2f})")

assert np.all(final["Post-LN, 6 layers"] > 0.9 * deeper.chance), "6-layer Post-LN should stay stuck near chance"
for label in ("Post-LN, 3 layers", "DeepNorm, 6 layers", "ReZero, 6 layers"):
    assert np.all(final[label] < 0.5 * deeper.chance), f"{label} should learn the task"

# %% [markdown] slideshow={"slide_type": "-"}
# At this learning rate a 3-layer Post-LN still learns, a 6-layer one does not leave chance
# level, and the same 6 layers learn with DeepNorm's re-weighting or with ReZero's zero-started
# branches. Honest limits: this is a toy, and the learning rate was chosen high so that depth
# makes the difference; with warm-up or a smaller rate the 6-layer Post-LN trains too (notebook
# [03](03_transformer_residual_layernorm.ipynb)). DeepNorm was built for hundreds of layers
# (Wang et al. 2022 train 1000); here it only shows the mechanism. ReZero learns fastest here,
# yet large models today almost all keep a norm.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. What current LLMs use, and Dynamic Tanh
#
# Where the norm `N` goes around a sublayer `F` (attention or feed-forward):
#
# - **Post-LN** (Vaswani et al. 2017; BERT): `x ← N(x + F(x))`.
# - **Pre-LN** (GPT-2; LLaMA with RMSNorm): `x ← x + F(N(x))`, plus one norm after the last block.
# - **Sandwich / Peri-LN** (CogView; Gemma 2; analysed by Kim et al. 2025): `x ← x + N₂(F(N₁(x)))`:
#   the sublayer's output is normalised too, before it is added to the stream.
# - **Output norm only** (OLMo 2's "reordered norm"): `x ← x + N(F(x))`.
# - **QK-norm** (Henry et al. 2020; ViT-22B; OLMo 2): normalise queries and keys before
#   `q·kᵀ`, which bounds the attention logits.
#
# | model (paper) | norm | placement | also |
# |---|---|---|---|
# | Transformer (Vaswani et al. 2017) | LayerNorm | Post-LN | |
# | BERT (Devlin et al. 2019) | LayerNorm | Post-LN | |
# | GPT-2 (Radford et al. 2019) | LayerNorm | Pre-LN + final LN | |
# | T5 (Raffel et al. 2020) | scale-only LayerNorm (no mean, no bias) | Pre-LN | |
# | CogView (Ding et al. 2021) | LayerNorm | sandwich | |
# | GLM-130B (Zeng et al. 2023) | LayerNorm | Post-LN with DeepNorm | |
# | LLaMA (Touvron et al. 2023) | RMSNorm | Pre-norm + final norm | |
# | ViT-22B (Dehghani et al. 2023) | LayerNorm | Pre-LN | QK-norm |
# | Gemma 2 (Gemma Team 2024) | RMSNorm | input and output of each sublayer | |
# | OLMo 2 (OLMo et al. 2024) | RMSNorm | output of each sublayer | QK-norm |
# | DyT (Zhu et al. 2025) | `tanh(α·x)` instead of a norm | wherever the norm was | research result |
#
# RMSNorm (Zhang & Sennrich 2019) drops the mean and the bias of LayerNorm: one statistic per
# vector instead of two (notebook [02](02_layer_normalization.ipynb)). The extra norms of the
# sandwich placement and QK-norm answer a Pre-LN weakness that amplification does not show:
# the residual stream and the attention logits can grow large during long training runs.

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
dyt = run_dyt()
mappings = [norm_mapping(model, dyt.tokens[:128], "blocks.1.norm2") for model in dyt.models["LayerNorm"]]
fits = [fit_tanh(m.x, m.y) for m in mappings]
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_training(dyt, left, title="LayerNorm vs DyT, reverse task: median, min–max over 3 seeds")
plot_norm_mapping(mappings[0], fits[0], right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
final_ln, final_dyt = dyt.final("LayerNorm"), dyt.final("DyT")
spread = [m.token_std.max() / m.token_std.min() for m in mappings]
gain = [f.tanh_mse / f.line_mse for f in fits]
print(f"final loss, LayerNorm {final_ln.min():.3f}..{final_ln.max():.3f} nats, "
      f"DyT {final_dyt.min():.3f}..{final_dyt.max():.3f} nats (chance {dyt.chance:.2f})")
print(f"trained LayerNorm: token std varies by a factor {min(spread):.1f} to {max(spread):.1f} across tokens")
print(f"best tanh fit's error / best straight line's error: {max(gain):.2f} or less")

assert np.all(final_ln < 0.02 * dyt.chance) and np.all(final_dyt < 0.02 * dyt.chance), \
    "both models should learn the task almost perfectly"
assert abs(np.median(final_dyt) - np.median(final_ln)) < 0.02, "DyT should end about as low as LayerNorm"
assert min(spread) > 2, "LayerNorm divides tokens by standard deviations that differ by a factor > 2"
assert max(gain) < 0.95, "a tanh should describe the trained LayerNorm better than any straight line"

# %% [markdown] slideshow={"slide_type": "-"}
# DyT ends about as low as LayerNorm here. The right panel shows why a tanh can stand in for a
# norm: for one token LayerNorm is a straight line with slope `1/std(token)`, but tokens with a
# large spread (yellow) get a flatter line than tokens with a small one (purple); all tokens
# together form an S-shaped cloud, squashing the largest inputs.
# At toy scale the S is mild; in the large trained models of Zhu et al. it is pronounced. They
# also report that for large language models the initial `α` must be tuned, and DyT is, as of
# 2025, a research result rather than the standard of released LLMs.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Timeline
#
# | year | paper | the idea in one line | where it is used |
# |---|---|---|---|
# | 2016 | He, Zhang, Ren & Sun, *Deep residual learning* (CVPR) | identity shortcut `x + F(x)` | ResNets; every Transformer |
# | 2016 | He, Zhang, Ren & Sun, *Identity mappings* (ECCV) | keep the shortcut a pure identity, normalise inside the branch | ResNet v2; the pattern of Pre-LN |
# | 2016 | Ba, Kiros & Hinton, *Layer normalization* | normalise each example over its features | RNNs; Transformers |
# | 2016 | Veit, Wilber & Belongie (NeurIPS) | residual nets behave like ensembles of shallow paths | analysis (§1) |
# | 2017 | Balduzzi et al. (ICML) | plain deep nets shatter gradients; shortcuts keep them correlated | analysis (§2) |
# | 2017 | Vaswani et al. (NeurIPS) | Transformer with Post-LN | original Transformer; BERT |
# | 2019 | Radford et al., GPT-2 | norm at the input of each sublayer, plus a final norm (Pre-LN) | GPT-2 and its successors |
# | 2019 | Zhang & Sennrich (NeurIPS) | RMSNorm: rescale only, no centring | LLaMA and many open LLMs |
# | 2019 | Zhang, Dauphin & Ma (ICLR) | Fixup: train deep ResNets without norms by initialisation | research |
# | 2020 | Xiong et al. (ICML) | Post-LN has large gradients near the output at init; Pre-LN needs no warm-up | the usual explanation of warm-up |
# | 2020 | Liu et al. (EMNLP) | amplification: Post-LN leans on its branches; Admin initialisation | analysis (§3) |
# | 2020 | Bachlechner et al. | ReZero: `x + α·F(x)`, `α = 0` at init, no norm | research |
# | 2020 | De & Smith (NeurIPS) | SkipInit: a zero-initialised scalar replaces BatchNorm in ResNets | research |
# | 2020 | Henry et al. (Findings of EMNLP) | QK-norm: normalise queries and keys | ViT-22B; OLMo 2 |
# | 2021 | Ding et al., CogView (NeurIPS) | sandwich LayerNorm around each sublayer | CogView; the placement of Gemma 2 |
# | 2022 | Wang et al., DeepNet | DeepNorm: `LN(α·x + G(x))` with `β`-scaled init; 1000 layers | GLM-130B |
# | 2023 | Touvron et al., LLaMA | Pre-norm with RMSNorm | the LLaMA family |
# | 2023 | Dehghani et al., ViT-22B (ICML) | QK-norm keeps attention logits bounded at scale | ViT-22B |
# | 2025 | Kim et al., Peri-LN (ICML) | why norms around each sublayer (input and output) help | analysis of Gemma-style placement |
# | 2025 | Zhu et al., DyT (CVPR) | `tanh(α·x)` instead of a norm | research (§5) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# Pick blocks to delete from the trained nets of the lesion study (hold Ctrl or Shift to select
# several) and see the test error of the residual and the plain net, median and min–max over
# the 3 seeds. Try deleting one block, then four, then all eight: the residual net degrades
# slowly, the plain net is broken by any single deletion. The figure just below is the state
# with blocks 3 and 6 deleted, drawn without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_lesion_explorer, deleted=(2, 5))

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_lesion_explorer()
explorer

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
print(f"last redraw: {explorer.last_draw_ms:.0f} ms")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source
#
# The source's claims that this notebook's measurements speak to:
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections skip layers so that "the gradient can pass directly to shallow layers" (梯度可以直接传递到浅层网络) | **right, but incomplete** | the net also behaves like an ensemble of mostly short paths ([§1](#1.-Residual-nets-as-ensembles-of-paths)) and keeps gradients correlated, not only large ([§2](#2.-Shattered-gradients)) |
# | residual connections let the Transformer "learn deeply" (使得模型能够深入学习) | **half-true** | with Post-LN, depth amplifies small weight changes ([§3](#3.-Amplification-in-Post-LN)); a 6-layer Post-LN fails at a learning rate where 3 layers learn, unless the residual is re-weighted ([§4](#4.-Re-weighted-residuals:-ReZero,-SkipInit,-Fixup,-DeepNorm)) |
# | layer normalization "improves training stability" (提高训练稳定性) | **half-true** | it depends on where it sits: Post-LN is what makes the deep Transformer fragile ([§3](#3.-Amplification-in-Post-LN)) |
# | residuals and LayerNorm are "the key to the Transformer" (Transformer 的关键, the title) | **half-true** | the residual path is essential ([§1](#1.-Residual-nets-as-ensembles-of-paths)); LayerNorm can be dropped with zero-started branches (ReZero, [§4](#4.-Re-weighted-residuals:-ReZero,-SkipInit,-Fixup,-DeepNorm)) or replaced by a tanh (DyT, [§5](#5.-What-current-LLMs-use,-and-Dynamic-Tanh)) |
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
# ## Interview card: follow-up questions
#
# **Q: Why does deleting one block of a trained ResNet barely matter, while deleting a layer of a
# plain net breaks it?**
# A: Unrolled, `n` residual blocks give `2^n` paths, `binomial(n, k)` of length `k`; the net
# behaves like an ensemble of many, mostly short, paths. Deleting a block removes some of them and
# the rest still work. A plain net has one path; cut it and nothing is left (Veit et al. 2016).
#
# **Q: Besides the size of the gradient, what does the shortcut preserve?**
# A: Its correlation across inputs. In a deep plain net the input gradient looks like white
# noise ("shattered"); the identity path keeps it smooth and informative (Balduzzi et al. 2017).
#
# **Q: Residuals fix vanishing gradients, so why does a deep Post-LN Transformer need warm-up?**
# A: The norm after each addition makes every layer lean on its branch, so a small change of all
# weights moves the output about `N` times as much in an `N`-layer net (amplification, Liu et al.
# 2020), and the gradients near the output are large at initialisation (Xiong et al. 2020).
# Fixes: warm-up, Pre-LN, or re-weighting the residual (DeepNorm, Admin, ReZero).
#
# **Q: Pre-LN or Post-LN?**
# A: Pre-LN (`x + F(LN(x))` and a final norm) trains stably without warm-up and is the default
# in LLMs. Post-LN, when it trains, can end up better (Liu et al. 2020); DeepNorm makes it
# trainable at great depth. Newer models add norms on the sublayer outputs (sandwich / Peri-LN,
# Gemma 2, OLMo 2) to keep the residual stream from growing.
#
# **Q: Can you train a Transformer without normalization?**
# A: Yes: start each block as the identity (ReZero / SkipInit: `x + α·F(x)` with `α = 0`; Fixup:
# zero last layer and depth-scaled init), or replace the norm by Dynamic Tanh,
# `weight·tanh(α·x) + bias`. Most large models still keep a norm.
#
# **Q: Why RMSNorm in LLaMA, and what is QK-norm for?**
# A: RMSNorm drops the mean and the bias: one statistic instead of two, a little cheaper, about
# as good (Zhang & Sennrich 2019). QK-norm normalises queries and keys before their dot product,
# so the attention logits cannot grow without bound; ViT-22B needed it to train stably
# (Dehghani et al. 2023).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试卡片：追问（中文）
#
# **问：为什么删掉训练好的 ResNet 中的一个块几乎没有影响，而删掉普通网络的一层就会崩溃？**
# 答：把 `n` 个残差块展开，共有 `2^n` 条从输入到输出的路径，其中经过 `k` 个分支的有
# `C(n, k)` 条；网络的行为像许多路径（大多较短）组成的集成。删掉一个块只去掉其中一部分路径，
# 其余路径照常工作。普通网络只有一条路径，断了就什么也不剩（Veit 等，2016）。
#
# **问：除了梯度的大小，shortcut 还保住了什么？**
# 答：梯度在不同输入之间的相关性。深的普通网络中，对输入的梯度看起来像白噪声（"破碎梯度"）；
# 恒等路径让它保持平滑、有信息量（Balduzzi 等，2017）。
#
# **问：既然残差解决了梯度消失，为什么深层 Post-LN Transformer 还需要学习率预热？**
# 答：每次相加之后的归一化让每一层都严重依赖自己的分支，于是所有权重的一个小变化，在 `N`
# 层网络中对输出的影响约放大 `N` 倍（放大效应，Liu 等，2020）；而且初始化时靠近输出层的梯度
# 很大（Xiong 等，2020）。解决办法：预热、Pre-LN，或对残差重新加权（DeepNorm、Admin、ReZero）。
#
# **问：Pre-LN 还是 Post-LN？**
# 答：Pre-LN（`x + F(LN(x))`，最后再加一个归一化）无需预热即可稳定训练，是大模型的默认选择。
# Post-LN 一旦训练成功，效果可能更好（Liu 等，2020）；DeepNorm 让很深的 Post-LN 也能训练。
# 较新的模型还在子层输出上再加归一化（sandwich / Peri-LN，如 Gemma 2、OLMo 2），防止残差流不断变大。
#
# **问：不用归一化能训练 Transformer 吗？**
# 答：能。让每个块在初始化时等于恒等映射（ReZero / SkipInit：`x + α·F(x)`，`α` 初始为 0；
# Fixup：分支最后一层置零、按深度缩放初始化），或者用 Dynamic Tanh
# （`weight·tanh(α·x) + bias`）替换归一化层。不过大多数大模型仍然保留归一化。
#
# **问：LLaMA 为什么用 RMSNorm？QK-norm 又有什么用？**
# 答：RMSNorm 去掉了均值和偏置，只算一个统计量，计算略省，效果相当（Zhang & Sennrich，2019）。
# QK-norm 在点积之前对 query 和 key 做归一化，使注意力 logits 不会无限增大；ViT-22B
# 靠它才训练稳定（Dehghani 等，2023）。

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
#   EMNLP. (Sec. 4: amplification, output change `O(N)` for Post-LN and `O(log N)` for Pre-LN; §3.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.
# - Bachlechner, Majumder, Mao, Cottrell, McAuley (2020). *ReZero is All You Need: Fast
#   Convergence at Large Depth.* arXiv:2003.04887 (UAI 2021).
# - De, Smith (2020). *Batch Normalization Biases Residual Blocks Towards the Identity Function in
#   Deep Networks.* NeurIPS. (SkipInit.)
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization: Residual Learning Without Normalization.* ICLR.
# - Wang, Ma, Dong, Huang, Zhang, Wei (2022). *DeepNet: Scaling Transformers to 1,000 Layers.*
#   arXiv:2203.00555. (DeepNorm; the constants for encoder-only models; §4.)
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.
# - Ding et al. (2021). *CogView: Mastering Text-to-Image Generation via Transformers.* NeurIPS.
#   (Sandwich LayerNorm.)
# - Henry, Dachapally, Pawar, Chen (2020). *Query-Key Normalization for Transformers.* Findings of EMNLP.
# - Dehghani et al. (2023). *Scaling Vision Transformers to 22 Billion Parameters.* ICML. (QK-norm.)
# - Touvron et al. (2023). *LLaMA: Open and Efficient Foundation Language Models.* arXiv:2302.13971.
# - Gemma Team (2024). *Gemma 2: Improving Open Language Models at a Practical Size.*
#   arXiv:2408.00118. (Sec. 2: RMSNorm on the input and output of each sublayer.)
# - OLMo Team (2024). *2 OLMo 2 Furious.* arXiv:2501.00656. (Reordered norm, QK-norm.)
# - Zeng et al. (2023). *GLM-130B: An Open Bilingual Pre-trained Model.* ICLR. (DeepNorm.)
# - Kim et al. (2025). *Peri-LN: Revisiting Normalization Layer in the Transformer Architecture.* ICML.
# - Zhu, Chen, He, LeCun, Liu (2025). *Transformers without Normalization.* CVPR. (Dynamic Tanh;
#   Fig. 2-4: LayerNorm's S-shaped input-output mapping; §5.)
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR; and *Identity
#   Mappings in Deep Residual Networks.* ECCV.
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. Devlin et al. (2019). *BERT.*
#   NAACL. Radford et al. (2019). *Language Models are Unsupervised Multitask Learners* (GPT-2).
#   Raffel et al. (2020). *Exploring the Limits of Transfer Learning with a Unified Text-to-Text
#   Transformer* (T5). JMLR.

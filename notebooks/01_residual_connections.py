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
#   loss than a shallower one, even with BatchNorm; its residual version does not. The shortcut
#   must stay a clean identity: scaled by 0.5 it breaks the deep net again.
# - **What it does not fix.** Exploding activations: without normalization (or a careful
#   initialisation) a deep residual stack grows with every block. "Solves vanishing and exploding
#   gradients" is half true; ResNets pair residuals with BatchNorm, Transformers with LayerNorm.
# - **Where.** Every deep architecture in use: ResNets, every sublayer of a Transformer, the
#   blocks of U-Nets and diffusion models.

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.data import load_reference, reference_citation
from resnorm.exercises import check, hint, solution
from resnorm.exercises.residual_connections import STATEMENTS
from resnorm.experiments.degradation import DEGRADATION_CONFIGS, run_degradation
from resnorm.experiments.depth_sweep import DEPTHS, FOUR_WAYS, run_depth_sweep, stream_mean_share
from resnorm.experiments.shortcut_scaling import identity_path_gain, run_shortcut_scaling
from resnorm.experiments.source_resblock import (
    BLOCKS,
    block_properties,
    inplace_effects,
    negative_input_fractions,
)
from resnorm.figures.residual_connections import (
    EXPLORER_DEFAULTS,
    draw_gradient_explorer,
    make_gradient_explorer,
    plot_depth_sweep,
    plot_per_layer_grads,
    plot_shortcut_scaling,
    plot_training_curves,
)
from resnorm.widgets import static_figure

resnorm.setup(seed=0)


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
#
# How small is each factor? A `Linear(n, n)` layer with PyTorch's default initialisation has
# weights uniform in $\pm 1/\sqrt{n}$, variance $1/(3n)$; a ReLU passes half of the gradient's
# entries. Backward through `Linear -> ReLU`, the mean square of the gradient is multiplied by
# $n \cdot \frac{1}{3n} \cdot \frac{1}{2} = \frac{1}{6}$, its norm by $\sqrt{1/6} \approx 0.41$ per
# layer. Thirty layers: $0.41^{29} \approx 10^{-11}$. Section 2 measures it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The gradient of every layer, four nets of 30 blocks
#
# Four `resnorm.models.DeepMLP` nets of width 64 that differ in two switches: residual or not,
# LayerNorm at the start of each branch or not (pre-norm, as in GPT-2 style Transformers). Each
# gets one batch of 128 standard normal inputs, a cross-entropy loss on a readout head and one
# `backward()`, at initialisation, for three seeds. The sweep below runs every depth from 2 to
# 100 at once (section 3 uses the rest); here is depth 30.

# %% slideshow={"slide_type": "-"}
FOUR_WAYS

# %% slideshow={"slide_type": "subslide"}
sweep = run_depth_sweep(FOUR_WAYS, depths=DEPTHS, seeds=range(3))
grads30 = sweep.per_layer[30].grads
_ = plot_per_layer_grads(grads30)

# %% slideshow={"slide_type": "fragment"}
ratio = {label: grads30.first_to_last_ratio(label) for label in FOUR_WAYS}
per_block = ratio["plain"] ** (1 / 29)
blocks_ln = grads30.blocks("residual + LayerNorm")
spread_ln = blocks_ln.max(axis=1) / blocks_ln.min(axis=1)
for label, r in ratio.items():
    print(f"{label:21s} first/last block gradient: {sig(r.min())} to {sig(r.max())}")
print(f"plain: factor per block {sig(per_block.min())} to {sig(per_block.max())} "
      f"(the estimate sqrt(1/6) = {sig(np.sqrt(1 / 6))})")
print(f"residual + LayerNorm: largest / smallest block gradient, worst seed {sig(spread_ln.max())}")

assert np.all(ratio["plain"] < 1e-6), "plain: the gradient should vanish towards the input"
assert np.all((per_block > 0.35) & (per_block < 0.5)), "plain: about sqrt(1/6) per block"
assert np.all(ratio["residual"] > 1e-2), "residual: the gradient should reach the first block"
assert np.all(spread_ln < 10), "residual + LN: every block's gradient of one order"
assert np.all(ratio["plain + LayerNorm"] > 100), "plain + LN: the gradient grows towards the input"

# %% [markdown] slideshow={"slide_type": "-"}
# The **plain** net loses a factor close to the estimate of section 1 at every block; its first
# layers learn nothing. The **residual** net delivers the gradient to its first block. With
# **LayerNorm** in the residual branches, every block gets a gradient of the same order.
#
# The fourth line is a surprise for many: normalization alone does not make a deep plain net
# well-behaved. In **plain + LayerNorm** the gradient *grows* towards the input, by a factor of
# several hundred over 30 blocks. Yang et al. (2019) proved this for BatchNorm in deep plain nets
# at initialisation (gradient explosion with depth); LayerNorm, measured here, does the same. It
# takes the identity path to make the backward signal well-behaved.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. From 2 to 100 blocks: residuals alone do not stop the blow-up
#
# Same four nets, at depths 2, 5, 10, 20, 30, 50 and 100. Left: the first block's gradient
# divided by the last block's (1 is ideal). Right: how much the hidden signal grew from the stem
# to the last block (its root mean square, RMS).

# %% slideshow={"slide_type": "subslide"}
_ = plot_depth_sweep(sweep)

# %% slideshow={"slide_type": "fragment"}
d100, d2 = sweep.at_depth(100), sweep.at_depth(2)
growth_res = sweep.activation_growth["residual"][:, d100]
growth_ln = sweep.activation_growth["residual + LayerNorm"][:, d100]
last_res = sweep.last_grad["residual"][:, d100]
last_ln = sweep.last_grad["residual + LayerNorm"][:, d100]
deep_plain = sweep.first_to_last["plain"][:, sweep.at_depth(50):]
print(f"plain: first/last gradient at most {sig(deep_plain[:, 0].max())} at 50 blocks, "
      f"{sig(deep_plain[:, -1].max())} at 100 blocks")
print(f"residual: first/last gradient at every depth >= {sig(sweep.first_to_last['residual'].min())}")
print(f"100 blocks, signal growth: residual {sig(growth_res.min())} to {sig(growth_res.max())}, "
      f"residual + LN {sig(growth_ln.min())} to {sig(growth_ln.max())}")
print(f"100 blocks, per-block growth of the residual net: {sig(np.median(growth_res) ** (1 / 100), 3)}")
print(f"100 blocks, last block's gradient: residual {sig(np.median(last_res))}, residual + LN {sig(np.median(last_ln))}")

assert np.all(deep_plain < 1e-15), "plain: nothing left at 50+ blocks"
assert np.all(sweep.first_to_last["residual"] > 1e-2), "residual: no vanishing at any depth"
assert np.all(growth_res > 1e8), "residual without normalization: the signal explodes"
assert np.median(growth_res) ** (1 / 100) > 1.15, "by a constant factor per block"
assert np.all(last_res > 1e8 * last_ln), "... and so do its gradients"
assert np.all(growth_ln < 100), "residual + LN: the signal grows only slowly"
ln_last = sweep.last_grad["residual + LayerNorm"]
assert np.all(ln_last[:, d100] < 5 * ln_last[:, d2]), "residual + LN: gradient scale nearly depth-independent"

# %% [markdown] slideshow={"slide_type": "-"}
# In the plain net at 100 blocks the first block's gradient is not just small: it is exactly 0,
# below the smallest number float32 can hold (the zeros are the markers on the bottom edge).
# Residual connections cure the *vanishing*: at every depth the first block gets a good share of
# the last block's gradient. They do not stop the *explosion*: each unnormalised block adds its
# branch to the stream, the stream grows by a constant factor per block, and after 100 blocks
# signal and gradients are billions of times too large. A normalization in the branch (here
# LayerNorm) feeds every branch an input of fixed scale, so the stream grows only slowly, and the
# gradient scale hardly depends on depth.

# %% [markdown] slideshow={"slide_type": "notes"}
# Why 1.25 per block and not the $\sqrt{1 + 1/6} \approx 1.08$ that a variance count predicts
# (the stream's variance plus the branch's, which is 1/6 of it)? The count assumes that the
# branch output is uncorrelated with the stream. A ReLU's outputs are all positive, so every
# block adds a vector with a positive mean, the means of successive blocks add up coherently, and
# the stream becomes one shared direction that grows geometrically. With `tanh` (outputs of mean
# zero) the shared part stays small:

# %% slideshow={"slide_type": "notes"}
share_relu, share_tanh = stream_mean_share("relu"), stream_mean_share("tanh")
print(f"30 residual blocks: share of the batch mean in the stream's mean square, "
      f"ReLU {sig(share_relu.min())}, tanh {sig(share_tanh.max())}")
assert np.all(share_relu > 0.8) and np.all(share_tanh < 0.2)

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
# trained with Adam (learning rate 0.01) for 100 mini-batches of 128 on a teacher task of 4096
# examples (`resnorm.data.teacher_classification`, 16 inputs, 4 classes), three seeds. A 4-layer
# plain net, a 20-layer plain net, and the 20-layer net with residual connections:

# %% slideshow={"slide_type": "-"}
DEGRADATION_CONFIGS

# %% slideshow={"slide_type": "subslide"}
curves = run_degradation(DEGRADATION_CONFIGS, seeds=range(3))
_ = plot_training_curves(curves, title="Degradation: training loss, median and min-max over 3 seeds")

# %% slideshow={"slide_type": "fragment"}
final = {label: curves.final(label) for label in DEGRADATION_CONFIGS}
for label, values in final.items():
    print(f"{label:20s} training loss over the last 20 steps: {' '.join(f'{v:.2f}' for v in values)} nats")
shallow, deep, deep_res = final["plain, 4 layers"], final["plain, 20 layers"], final["residual, 20 layers"]
assert np.all(deep > shallow + 0.2), "degradation: the deep plain net trains worse, on every seed"
assert np.all(deep_res < shallow + 0.1), "the residual deep net trains as well as the shallow one"
assert np.all(deep_res < deep - 0.2), "the residual deep net trains much better than the plain one"

# %% [markdown] slideshow={"slide_type": "-"}
# Five times the depth, a clearly *higher* training loss, on every seed: degradation. The same
# 20 layers with identity shortcuts train as well as the 4-layer net. Residual blocks make the
# identity the default (a block with `F = 0` passes its input on), so extra depth cannot make
# the starting point worse, and the gradient reaches every layer from the first step on.

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
# their Table 1, a ResNet-110 on CIFAR-10 with shortcuts scaled by 0.5 ended with a much higher
# test error than with identity shortcuts, and they trace this to optimisation difficulty. Here: the gradient per block of 30-block residual nets, $\lambda = 1$ against $\lambda = 0.5$,
# without normalization and with pre-norm LayerNorm in the branch.

# %% slideshow={"slide_type": "subslide"}
scaling = run_shortcut_scaling((1.0, 0.5), norms=(None, "layer"), depth=30, seeds=range(3))
_ = plot_shortcut_scaling(scaling)

# %% slideshow={"slide_type": "fragment"}
for norm in scaling.norms:
    for scale in scaling.scales:
        r = scaling.first_to_last(scale, norm)
        print(f"lambda = {scale:<3g} {'no norm' if norm is None else 'LayerNorm':9s}  "
              f"first/last block gradient {sig(r.min())} to {sig(r.max())}")
assert np.all(scaling.first_to_last(0.5, None) < 1e-3), "no norm, 0.5: the gradient vanishes"
assert np.all(scaling.first_to_last(1.0, None) > 1e-2)
assert np.all(scaling.first_to_last(0.5, "layer") > 20), "LN, 0.5: the gradient grows towards the input"
assert np.all(scaling.first_to_last(1.0, "layer") < 10)

# %% [markdown] slideshow={"slide_type": "-"}
# Without normalization the 0.5 shortcut brings vanishing back. With LayerNorm it does the
# opposite, like the plain + LayerNorm net of section 2: the gradient grows towards the input.
# Either way the layers no longer get gradients of one order. Does it matter for training? The
# 20-layer residual net of section 4, once more with its shortcuts scaled by 0.5:

# %% slideshow={"slide_type": "subslide"}
half = run_degradation(
    {"residual, shortcut x 0.5": dict(depth=20, residual=True, norm="batch", shortcut_scale=0.5)},
    seeds=range(3),
)
both = curves.merged(half)
_ = plot_training_curves(
    both, ["plain, 20 layers", "residual, shortcut x 0.5", "residual, 20 layers"],
    title="20 layers: identity shortcut vs shortcut scaled by 0.5 (3 seeds)",
)

# %% slideshow={"slide_type": "fragment"}
scaled = half.final("residual, shortcut x 0.5")
print(f"training loss over the last 20 steps, shortcut x 0.5: {' '.join(f'{v:.2f}' for v in scaled)} nats "
      f"(identity shortcut: {' '.join(f'{v:.2f}' for v in deep_res)})")
assert np.all(scaled > deep_res + 0.1), "a 0.5 shortcut trains worse than the identity, on every seed"
assert np.all(scaled < deep - 0.05), "... but better than no shortcut at all"

# %% [markdown] slideshow={"slide_type": "-"}
# The scaled net lands between the residual and the plain net: half a shortcut gives back part
# of the degradation. The identity must be *exactly* the identity (no scale, no gate, no
# normalization or ReLU on the path) for the gradient to pass untouched, which is the argument of
# He et al. (2016b) for their pre-activation block (section 6).

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
# seeds):

# %% slideshow={"slide_type": "-"}
inplace, copy = inplace_effects(inplace=True), inplace_effects(inplace=False)
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
# blocks (block 1 gets the raw images):

# %% slideshow={"slide_type": "-"}
negatives = {name: negative_input_fractions(name, n_blocks=4) for name in BLOCKS}
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
# **Normalization and stride.** Parameters of a block with 16 input and output channels, whether
# it has a normalization layer, and the output size of a 16x16 input when the block is asked to
# downsample (`stride=2`, 32 output channels), as the first block of every ResNet stage does:

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
# and section 3 showed what a deep residual stack does without one. Its shortcut is a 1x1
# convolution fixed at stride 1 and its convolutions have no stride either, so it cannot halve
# the resolution, which a ResNet does at the start of every stage (the strided 3x3 convolution
# and the strided 1x1 projection go together). What the source gets right: a 1x1 projection
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
# One MLP at initialisation (width 32, batch 64, three seeds): choose its depth, residual or
# plain, the normalization at the start of each block, and the activation. The plot shows the
# gradient norm of each block; the title adds the first/last gradient ratio and how much the
# signal grew. Try: plain, then residual, at depth 100; residual with `none`, then `layer`;
# `tanh` instead of `relu` in a residual net without normalization. The figure just below is the
# default setting, drawn without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_gradient_explorer, **EXPLORER_DEFAULTS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_gradient_explorer()
explorer

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
print(f"last redraw: {explorer.last_draw_ms:.0f} ms")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source (question 1)
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections were designed "to solve vanishing and exploding gradients" (旨在解决…梯度消失和梯度爆炸问题) | **wrong** (as the motive) | He et al. (2016) say normalised initialisation and BatchNorm had already made deep plain nets start to train; their target was degradation: [§4](#4.-The-degradation-problem) |
# | principle: skip one or more layers and pass the input "directly to the next layer" | **half-true** (incomplete) | the input is *added* to the output of the skipped layers, `x + F(x)`; the sum is what carries the gradient: [§1](#1.-The-principle), exercise 1 |
# | "the network can learn identity mappings across layers, so training is faster" (提高训练效率) | **half-true** | the identity is built in, not learned; the layers learn the residual. Deep residual nets do train much better than deep plain ones: [§4](#4.-The-degradation-problem) |
# | "alleviates vanishing and exploding gradients", because the gradient passes directly to shallow layers | **half-true** | vanishing: yes, the gradient reaches the first block at any depth [§2](#2.-The-gradient-of-every-layer,-four-nets-of-30-blocks); exploding: no, without normalization signal and gradients grow by ~10⁹ over 100 blocks [§3](#3.-From-2-to-100-blocks:-residuals-alone-do-not-stop-the-blow-up) |
# | "better generalisation, because the network captures complex features better" (增强模型泛化能力) | **half-true** (wrong reason) | residuals are an optimisation device: they lower the *training* loss of deep nets [§4](#4.-The-degradation-problem); deeper nets that can now be trained also test better (He et al.'s ResNet-34 against plain-34 in the table of §4), but the shortcut itself adds no capacity to "capture complex features"; generalisation is not measured here |
# | code: `nn.ReLU(inplace=True)` with `identity = x` | **wrong** | overwrites the caller's input and the saved identity, changes the output, and `backward()` through two stacked blocks fails: [§6](#6.-The-source's-ResidualBlock) |
# | code: `out = self.relu(x)` at the start of the block | **wrong** (dead code) | a no-op on the non-negative output of the previous block: [§6](#6.-The-source's-ResidualBlock) |
# | code: two convolutions and no normalization | **half-true** (a residual block, but not He et al.'s) | He et al.'s block has a BatchNorm after each convolution; without normalization deep residual stacks blow up: [§3](#3.-From-2-to-100-blocks:-residuals-alone-do-not-stop-the-blow-up), [§6](#6.-The-source's-ResidualBlock) |
# | code: projection shortcut `Conv2d(..., kernel_size=1, stride=1)` | **half-true** (fine inside a stage) | no stride anywhere: the block cannot downsample, as the first block of every ResNet stage must: [§6](#6.-The-source's-ResidualBlock) |
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
# module such as `nn.Sequential(nn.Linear(8, 8), nn.ReLU())`, returning the output of a residual
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
# Without looking back at section 2: which of the four 30-block nets have a first-block gradient
# smaller than 1/1000 of the last block's, at initialisation? Answer with a set of labels from
# `"plain"`, `"plain + LayerNorm"`, `"residual"`, `"residual + LayerNorm"`.

# %% slideshow={"slide_type": "-"}
answer = ...  # a set of labels, e.g. {"plain + LayerNorm"}
passed = check("01.which_vanishes", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.which_vanishes")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("01.which_vanishes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: half a shortcut
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
# ### Exercise 4: what is wrong with the source's block?
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
# **English.** A residual connection adds a block's input to its output: `x_{l+1} = x_l + F(x_l)`.
# The shortcut is an identity, with no parameters and one addition, so the layers only learn a
# correction to their input, and a block that should do nothing only has to learn `F = 0`.
# Backward, the identity gives the gradient a path that skips every weight matrix:
# `dL/dx_l = dL/dx_L (I + d/dx_l sum F_i)`, so the first layers get a gradient of the same order
# as the last, instead of a product of many small Jacobians. That is what made very deep nets
# trainable: He et al. showed that a deeper *plain* net, even with BatchNorm, ends with a higher
# *training* error than a shallower one (degradation), and that its residual version does not.
# The shortcut must stay a clean identity: scaled by 0.5, a deep net trains worse again. Residuals fix
# vanishing gradients but not explosion: an unnormalised residual stack grows with every block,
# which is why ResNets pair them with BatchNorm and Transformers with LayerNorm. They are used
# in ResNets, around every attention and feed-forward sublayer of a Transformer, and in the
# blocks of U-Nets and diffusion models. Code pitfalls: an in-place ReLU on the input overwrites
# the saved identity; a ReLU before the first convolution is useless when the previous block
# ends with a ReLU; the projection shortcut needs the same stride as the block.
#
# **中文。** 残差连接把一个模块的输入直接加到它的输出上：`x_{l+1} = x_l + F(x_l)`。捷径是恒等映射，
# 没有参数，只多一次加法，所以这些层只需学习对输入的“修正量”F；如果某个模块最好什么都不做，
# 只要学到 `F = 0` 即可。反向传播时，恒等路径让梯度绕开所有权重矩阵：
# `dL/dx_l = dL/dx_L (I + d/dx_l ΣF_i)`，浅层得到的梯度与深层同一数量级，而不是许多小雅可比矩阵的连乘。
# 这正是极深网络得以训练的原因：He 等人发现，即使用了 BatchNorm，更深的普通网络的*训练*误差反而
# 比浅的更高（退化问题），而加上残差连接后就不会。捷径必须保持干净的恒等映射：把它乘以 0.5，
# 深层网络的训练又会变差。残差连接解决了梯度消失，却解决不了爆炸：没有归一化时，残差堆叠中的信号
# 会逐块变大，所以 ResNet 配合 BatchNorm，Transformer 配合 LayerNorm。应用：ResNet；Transformer
# 的每个注意力子层和前馈子层；U-Net 与扩散模型中的各个模块。代码上的坑：对输入使用 in-place ReLU 会覆盖保存下来的
# identity；上一个模块以 ReLU 结尾时，第一个卷积前的 ReLU 毫无作用；投影捷径的步长必须与模块一致。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Fig. 1 and
#   Fig. 4: degradation, section 4; Table 2: the ImageNet numbers; Fig. 2 and 5: the basic block.)
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV. (Eq. 4-5:
#   the backward pass of section 1; Table 1 and Fig. 2: shortcut scaling, section 5; Fig. 4e:
#   the pre-activation block of section 6.)
# - Yang, Pennington, Rao, Sohl-Dickstein, Schoenholz (2019). *A Mean Field Theory of Batch
#   Normalization.* ICLR. (Gradient explosion in deep plain nets with BatchNorm, section 2.)
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. (Residuals in Transformers.)
# - Srivastava, Greff, Schmidhuber (2015). *Highway Networks* / *Training Very Deep Networks.*
#   (Gated shortcuts, section 7.)
# - Ronneberger, Fischer, Brox (2015). *U-Net.* MICCAI. Ho, Jain, Abbeel (2020). *Denoising
#   Diffusion Probabilistic Models.* NeurIPS. Peebles, Xie (2023). *Scalable Diffusion Models
#   with Transformers.* ICCV. Huang et al. (2017). *Densely Connected Convolutional Networks.*
#   CVPR. (Section 7.)

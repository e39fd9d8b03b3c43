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
# # 04 · Residual connections and LayerNorm: pros and cons
#
# **题目：** 请讨论残差连接和层规范化的优缺点。
#
# **The question:** What are the advantages and the drawbacks of residual connections and of
# layer normalization?
#
# This is question 4 of the Chinese study text. Its answer is a list of five pros and four cons.
# Some are right, some are half right, and two are plainly wrong: it says residual connections
# *add parameters* (and so cause overfitting) and *add computation*. An identity shortcut adds no
# parameter at all. This notebook puts a number on every item: parameters are counted, FLOPs
# counted, memory and time measured, and the claims about overfitting and lost information are
# tested with small training runs.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer
#
# What a strong candidate says in 30 seconds (each point is measured below):

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Residual, pros:** a deep net becomes trainable: the identity path carries the signal and
#   the gradient past every block, so the gradient does not vanish with depth and training needs
#   far fewer steps.
# - **Residual, costs:** almost none. An identity shortcut has **no parameters** and costs one
#   addition per feature, about `1/(2d)` of a `d x d` linear layer's FLOPs. A projection shortcut
#   (a 1x1 convolution, only where the shape changes) adds `in x out` weights, under 1% of a
#   ResNet-34. The real costs are elsewhere: the residual stream is not normalised, so
#   activations grow with depth unless a norm or a careful initialisation holds them; and the sum
#   is one more tensor kept in memory for the backward pass.
# - **Residuals do not cause overfitting:** same parameters, same capacity; in our test the
#   residual net generalises no worse than the plain one.
# - **LayerNorm, pros:** each token's activations keep a fixed scale, so training is stable and
#   faster in steps; it computes the same thing at batch size 1 and at test time.
# - **LayerNorm, costs:** `O(d)` per token against the linear layers' `O(d^2)`, so its FLOP share
#   shrinks with width; in wall time it costs more than its FLOPs (it reads and writes every
#   activation, in several small kernels unless fused), and it keeps its input and two numbers
#   per token for the backward pass. RMSNorm drops the centering and saves part of that.
# - **"LayerNorm loses information":** it discards exactly two numbers per token, the mean and the
#   scale. In a Pre-LN block the residual stream keeps them; they are lost only if a norm sits
#   right on features whose scale matters.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np
import torch

import resnorm
from resnorm.exercises import check, hint, solution
from resnorm.experiments.cost import (FLOP_CONVENTION, VARIANTS, cost_model, matmul_flops, run_cost,
                                      saved_activation_bytes)
from resnorm.experiments.information import run_scale_task, stream_scale, what_layernorm_discards
from resnorm.experiments.overfitting import run_overfitting
from resnorm.experiments.param_count import (ShortcutCount, conv_block_parameters, mlp_parameters,
                                             resnet34_parameters)
from resnorm.experiments.training_speed import run_training_speed
from resnorm.figures.pros_and_cons import (EXPLORER_DEFAULTS, draw_cost, make_cost_explorer,
                                           plot_cost_memory, plot_cost_time, plot_overfitting,
                                           plot_scale_task, plot_shortcut_parameters,
                                           plot_stream_scale, plot_training_speed)
from resnorm.widgets import static_figure

resnorm.setup(seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Parameters
#
# The source says: *残差连接增加了网络的参数数量，可能导致过拟合* ("residual connections increase the
# number of parameters, which may cause overfitting"). Count them. An identity shortcut is
# `h + f(h)`: there is nothing in it to learn. He et al. (2016, Sec. 3.2) make exactly this point.
# A *projection* shortcut is needed only where the block changes the shape (more channels, or a
# stride): the source's `ResidualBlock` then uses `nn.Conv2d(in, out, kernel_size=1)`, with
# `in x out` weights and `out` biases. He et al. compare three options for ResNet-34 (Sec. 3.3,
# Table 3): (A) identity everywhere, zero-padded where channels grow; (B) projections only where
# the shape changes; (C) projections on every shortcut.

# %% slideshow={"slide_type": "-"}
mlp = {(depth, width): mlp_parameters(depth, width) for depth in (2, 8, 32) for width in (16, 64, 256)}
source_block = conv_block_parameters(64, 128)
same_width_block = conv_block_parameters(64, 64)
resnet34 = {option: resnet34_parameters(option) for option in "ABC"}

print(f"{'DeepMLP depth, width':>22}  {'plain':>9}  {'residual':>9}")
for (depth, width), counts in mlp.items():
    print(f"{depth:>15}, {width:<6}  {counts['plain']:>9,}  {counts['residual']:>9,}")
print(f"\nsource's ResidualBlock(64, 128): convolutions {source_block.branch:,}, "
      f"1x1 projection {source_block.shortcut:,}")
print(f"source's ResidualBlock(64, 64):  convolutions {same_width_block.branch:,}, "
      f"shortcut {same_width_block.shortcut}")
for option, count in resnet34.items():
    print(f"ResNet-34 option {option}: {count.total:>10,} parameters, "
          f"{count.shortcut:>9,} in shortcuts ({100 * count.fraction:.2f}%)")

# %% slideshow={"slide_type": "subslide"}
depth8 = mlp[(8, 64)]
ax = plot_shortcut_parameters({
    "DeepMLP, 8 identity shortcuts": ShortcutCount(depth8["plain"], depth8["residual"] - depth8["plain"]),
    "source block 64→128 (1x1 projection)": source_block,
    "ResNet-34, A (identity, zero-padded)": resnet34["A"],
    "ResNet-34, B (projection where shape changes)": resnet34["B"],
    "ResNet-34, C (projection everywhere)": resnet34["C"],
})

# %% slideshow={"slide_type": "fragment"}
assert all(c["plain"] == c["residual"] for c in mlp.values()), "identity shortcuts add no parameters"
assert same_width_block.shortcut == 0
assert source_block.shortcut == 64 * 128 + 128, "a 1x1 projection has in*out weights + out biases"
assert resnet34["A"].shortcut == 0
assert resnet34["B"].fraction < 0.01, "projections only where the shape changes: under 1%"
assert resnet34["B"].fraction < resnet34["C"].fraction < 0.06
print("identity shortcuts: 0 parameters at every depth and width")
print(f"projection shortcuts: {100 * resnet34['B'].fraction:.1f}% of ResNet-34 (B), "
      f"{100 * resnet34['C'].fraction:.1f}% if every shortcut is a projection (C)")

# %% [markdown] slideshow={"slide_type": "notes"}
# Option B is the ResNet-34 everyone uses (about 21.8 million parameters): three projections, one
# per change of stage. He et al. found only small differences in error between A, B and C and
# concluded that projections are not essential; they credit C's small gain to its extra
# parameters. So the first half of the source's "con" is wrong: residual connections do not
# increase the parameter count, except for the few projections where the shape changes (under
# 1% of a ResNet-34). Whether residual nets overfit is tested [below](#Overfitting).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Compute and memory
#
# The source's second con: *计算复杂度增加，可能导致训练时间增加* ("computational complexity increases,
# which may increase training time"). We compare four versions of the same deep MLP (stem, 4
# blocks, head, all of width `d`), which differ in one place each:

# %% slideshow={"slide_type": "-"}
VARIANTS

# %% [markdown] slideshow={"slide_type": "-"}
# The norms are PyTorch's own `nn.LayerNorm` and `nn.RMSNorm`, as a practitioner would use them.
# Three costs, each relative to the plain net of the same width:
#
# 1. **FLOPs**, counted. PyTorch has a counter, `torch.utils.flop_counter.FlopCounterMode`; first
#    check what it sees.

# %% slideshow={"slide_type": "-"}
x = torch.randn(128, 64)
counted = {variant: matmul_flops(cost_model(variant, 64, 4), x) for variant in VARIANTS}
for variant, flops in counted.items():
    print(f"{variant:<22} {flops / 1e6:.2f} MFLOPs (forward, FlopCounterMode)")
matmuls = 128 * 6 * 2 * 64 * 64  # batch x (stem + 4 blocks + head) x 2 d^2
assert all(flops == matmuls for flops in counted.values())
print("identical: FlopCounterMode counts matrix multiplications only")

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch's counter sees no difference at all, because it counts only matrix multiplications,
# and residuals and norms add none. So we count the rest ourselves, per token and per block, with
# this convention:

# %% slideshow={"slide_type": "-"}
FLOP_CONVENTION

# %% [markdown] slideshow={"slide_type": "-"}
# 2. **Activation memory**, measured: the bytes of every tensor autograd saves for the backward
#    pass, recorded with `torch.autograd.graph.saved_tensors_hooks` during one forward pass
#    (shared storage counted once, parameters left out). It depends only on shapes, so it is
#    exact and repeatable.
# 3. **Time** of one forward + backward pass, measured as the CPU time of the thread that
#    computes it (`time.thread_time`), so that moments when the machine runs other programs do
#    not count; wall time on a busy machine jumps by factors of 2 to 4. The four variants take
#    turns, each round keeps the fastest of three passes, and the figure shows the median and
#    the spread of five rounds. Only ratios are reported.

# %% slideshow={"slide_type": "subslide"}
cost = run_cost(widths=(16, 64, 256), depth=4, batch_size=128, rounds=5, repeats=3)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_cost_time(cost, left)
_ = plot_cost_memory(cost, right)

# %% [markdown] slideshow={"slide_type": "-"}
# **FLOPs (dashed):** the residual add is `d` FLOPs next to the linear layer's `2d^2`, a share of
# about `1/(2d)`; LayerNorm (`7d`) and RMSNorm (`4d`) shrink the same way. **Time (solid):** at
# small widths the norms and even the add cost far more than their FLOPs, because every operation
# has a fixed overhead, whatever its size; as the width grows, the matrix multiplications
# take over and every ratio falls towards 1. (A norm is memory-bound: it reads and writes every
# activation for a handful of FLOPs each.) **Memory (right):** does not shrink with width at
# all. The claims, counted exactly:

# %% slideshow={"slide_type": "fragment"}
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    extra = 100 * (cost.flop_ratio[variant] - 1)
    print(f"{variant:<22} extra FLOPs at d = {', '.join(map(str, cost.widths))}: "
          + ", ".join(f"{e:.2f}%" for e in extra))
residual_extra = cost.flop_ratio["residual"] - 1
assert np.all(residual_extra < 1 / (2 * cost.widths)), "the add costs less than 1/(2d) of the block"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    assert np.all(np.diff(cost.flop_ratio[variant]) < 0), "a norm's FLOP share shrinks with width"
assert np.all(cost.flop_ratio["residual + RMSNorm"] < cost.flop_ratio["residual + LayerNorm"])
assert cost.flop_ratio["residual + LayerNorm"][-1] < 1.015, "at d = 256, LayerNorm adds under 1.5%"

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    ratios = cost.median_time_ratio(variant)
    print(f"{variant:<22} time / plain at d = {', '.join(map(str, cost.widths))}: "
          + ", ".join(f"{r:.2f}" for r in ratios))
print(f"(one plain pass at d = {cost.widths[-1]}: {1e3 * np.median(cost.seconds['plain'][:, -1]):.1f} ms of CPU time here)")
assert cost.median_time_ratio("residual")[-1] < 1.2, "the add costs under a fifth of the time at d = 256"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    ratios = cost.median_time_ratio(variant)
    assert ratios[-1] < ratios[0], "a norm's time share shrinks as the width grows"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where the memory goes
#
# The add itself keeps nothing for the backward pass: the gradient of `a + b` is passed to both
# inputs unchanged. A product, for comparison, must keep both factors.

# %% slideshow={"slide_type": "-"}
a = torch.randn(128, 64, requires_grad=True)
b = torch.randn(128, 64, requires_grad=True)
one_tensor = a.numel() * a.element_size()
print(f"a + b keeps {saved_activation_bytes(torch.add, a, b)} bytes; "
      f"a * b keeps {saved_activation_bytes(torch.mul, a, b) // one_tensor} tensors of {one_tensor:,} bytes")
assert saved_activation_bytes(torch.add, a, b) == 0
assert saved_activation_bytes(torch.mul, a, b) == 2 * one_tensor

# %% [markdown] slideshow={"slide_type": "-"}
# Yet the residual net keeps more. In a plain block `h -> relu(W h + b)`, the ReLU's output is
# saved once and serves twice: the ReLU needs it for its own gradient, the next linear layer for
# its weight gradient. In a residual block the next layer's input is the *sum* `h + relu(...)`,
# a new tensor, while the ReLU still keeps its output: two activations per block instead of one.
# A fused `nn.LayerNorm` keeps its input plus a mean and a reciprocal standard deviation per
# token; PyTorch's `nn.RMSNorm` (this version, on the CPU) runs as several separate operations and
# keeps more; the course's from-scratch
# LayerNorm (same values, written op by op) keeps the most.

# %% slideshow={"slide_type": "fragment"}
per_block = {}
for variant in VARIANTS:
    four, eight = (saved_activation_bytes(cost_model(variant, 64, depth), x) for depth in (4, 8))
    per_block[variant] = (eight - four) / 4 / one_tensor
scratch = cost_model("residual + LayerNorm", 64, 4, fused=False)
scratch_per_block = (saved_activation_bytes(cost_model("residual + LayerNorm", 64, 8, fused=False), x)
                     - saved_activation_bytes(scratch, x)) / 4 / one_tensor
for variant, n in per_block.items():
    print(f"{variant:<22} keeps {n:.2f} activation-sized tensors per block")
print(f"{'from-scratch LayerNorm':<22} keeps {scratch_per_block:.2f} (residual + our resnorm.norms.LayerNorm)")
assert per_block["plain"] == 1.0 and per_block["residual"] == 2.0
assert 3.0 <= per_block["residual + LayerNorm"] < 3.1, "fused LN: its input plus 2 numbers per token"
assert per_block["residual + RMSNorm"] >= per_block["residual + LayerNorm"]
assert scratch_per_block > per_block["residual + LayerNorm"]
assert np.allclose(cost.memory_ratio["residual"], (2 + 2 * 4) / (2 + 4)), "exactly, at every width"

# %% [markdown] slideshow={"slide_type": "notes"}
# Our toy block has one linear layer, so one extra tensor doubles its activation memory. A real
# Transformer layer keeps far more per layer (queries, keys, values, attention probabilities, the
# 4d-wide MLP activation, ...), and in a Pre-LN block the residual sum is the LayerNorm's input,
# which is saved anyway. Korthikanti et al. (2022, Sec. 4.1) count the memory of a Transformer
# layer term by term; the LayerNorm inputs are a small part of it. So in practice: residuals are
# free in parameters, nearly free in FLOPs and cheap in memory; normalization is cheap in FLOPs,
# less cheap in time unless fused, and keeps one activation per norm.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Training speed
#
# Both pros lists say *加快训练速度* ("speeds up training"). Speed has two factors: the number of
# steps to reach a given loss, and the time per step. The time per step went *up* (measured
# [above](#Compute-and-memory)); the steps are measured here. Four 12-layer MLPs of width 32 (Adam,
# learning rate 3e-3, batches of 128 from a teacher task, three seeds, same batches for all):

# %% slideshow={"slide_type": "subslide"}
speed = run_training_speed(depth=12, width=32, steps=60, seeds=range(3))
ax = plot_training_speed(speed)

# %% slideshow={"slide_type": "fragment"}
target = speed.final_loss("plain")  # where the plain net is after all 60 steps, per seed
steps_needed = {label: speed.steps_to_reach(label, target) for label in speed.losses}
for label, needed in steps_needed.items():
    print(f"{label:<22} reaches the plain net's final loss after {needed.max():.0f} steps (worst seed)")
n_steps = speed.losses["plain"].shape[1]
assert np.all(steps_needed["residual"] <= 0.4 * n_steps)
assert np.all(steps_needed["residual + LayerNorm"] <= 0.35 * n_steps)
assert np.all(steps_needed["plain + LayerNorm"] <= 0.75 * n_steps)

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
fewer_steps = n_steps / steps_needed["residual + LayerNorm"].max()
slower_step = cost.median_time_ratio("residual + LayerNorm")[0]  # the narrowest width measured
print(f"residual + LayerNorm: {fewer_steps:.1f}x fewer steps, each at most {slower_step:.2f}x slower "
      f"-> about {fewer_steps / slower_step:.1f}x less compute time")
assert fewer_steps > slower_step, "fewer steps outweigh the slower step"

# %% [markdown] slideshow={"slide_type": "-"}
# So both "speeds up training" claims are right in steps, which is what matters, and silent about
# the cost of a step, which goes up a little. LayerNorm also speeds up the plain
# net, but the big win at this depth is the residual path.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Overfitting
#
# The source: residual connections add parameters, so they may cause overfitting. The premise is
# false (they add none), but test the conclusion anyway. A plain and a residual MLP (depth 4,
# width 64, the *same* number of parameters) are trained on 128 examples of a teacher task with a
# quarter of the labels replaced by random classes, until both fit the training set; a clean set
# of 2,000 examples measures generalisation. Five seeds.

# %% slideshow={"slide_type": "subslide"}
overfit = run_overfitting(depth=4, width=64, n_train=128, label_noise=0.25, steps=100, seeds=range(5))
ax = plot_overfitting(overfit)

# %% slideshow={"slide_type": "fragment"}
for label in overfit.train_accuracy:
    print(f"{label:<9} train {np.median(overfit.train_accuracy[label]):.2f}, "
          f"test {np.median(overfit.test_accuracy[label]):.2f}, "
          f"gap {np.median(overfit.gap(label)):.2f} (medians), "
          f"random labels memorised {np.median(overfit.noise_memorised[label]):.0%}")
print(f"parameters: plain {overfit.n_parameters['plain']:,}, residual {overfit.n_parameters['residual']:,}")
assert overfit.n_parameters["plain"] == overfit.n_parameters["residual"]
assert np.all(overfit.train_accuracy["plain"] > 0.95) and np.all(overfit.train_accuracy["residual"] > 0.95)
assert np.all(overfit.gap("residual") <= overfit.gap("plain") + 0.02), "residual overfits no more, per seed"
assert np.median(overfit.test_accuracy["residual"]) >= np.median(overfit.test_accuracy["plain"]) - 0.01

# %% [markdown] slideshow={"slide_type": "-"}
# Both nets memorise every random label: with this much capacity and this little data, *any* net
# overfits, shortcut or not. The residual net's gap is not larger than the plain net's on any
# seed (it is slightly smaller here). Overfitting is a matter of capacity, data and training
# time; identity shortcuts change none of the three. (Residual nets *are* often deeper and bigger
# than the plain nets they replace, because they can be trained; that is a design choice, not a
# property of the shortcut.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What LayerNorm discards
#
# The source's last con: *可能导致信息丢失* ("may lose information"). LayerNorm maps a vector `x` to
# `(x - mean) / std` (then a learned gain and bias): it discards exactly two numbers per vector,
# its mean and its scale, and nothing else. Every `a x + b` (a positive number `a`, a number `b`)
# gives the same output, and `mean + std * LN(x)` gives `x` back. A shift of one *feature* is not
# removed (Ba et al. 2016, Table 1, "dataset re-centering"; notebook
# [02](02_layer_normalization.ipynb) measures the whole table).

# %% slideshow={"slide_type": "-"}
discard = what_layernorm_discards(n=256, d=16, seed=0)
print(f"x -> a x + b per vector (a in [0.1, 10]):  output moves by at most {discard.change_per_vector:.0e}")
print(f"x -> x + 3 on one feature:                 output moves by up to   {discard.change_per_feature:.1f}")
print(f"mean + std * LN(x) rebuilds x to within    {discard.rebuild_error:.0e}")
assert discard.change_per_vector < 1e-2, "LN output ignores each vector's own scale and shift (eps aside)"
assert discard.change_per_feature > 1.0, "...but not a shift of one feature"
assert discard.rebuild_error < 1e-5, "mean and std are all that LN discards"

# %% [markdown] slideshow={"slide_type": "-"}
# (The tiny change under `a x + b` is `eps` at work: for `a = 0.1` the variance is 0.01, and
# `eps = 1e-5` is no longer negligible next to it.) Whether a *network* loses the scale depends on
# where the norm sits. In a **Post-LN** block, `h = LN(h + f(h))`, the residual stream itself is
# normalised: after every block each token has the same norm. In a **Pre-LN** block,
# `h = h + f(LN(h))`, only the branch reads a normalised copy and the stream is never normalised.
# At initialisation, feed inputs `x = e^u z` of very different loudness `u`:

# %% slideshow={"slide_type": "subslide"}
streams = stream_scale(depth=2, width=32, n=512, seeds=range(3))
ax = plot_stream_scale(streams)

# %% slideshow={"slide_type": "fragment"}
post, pre = streams.slope("Post-LN residual"), streams.slope("Pre-LN residual")
print(f"slope of log |stream| against log scale: Post-LN {np.abs(post).max():.0e} (largest), "
      f"Pre-LN {pre.min():.2f} (smallest), over {len(pre)} seeds")
assert np.all(np.abs(post) < 1e-3), "the Post-LN stream has the same norm for every input"
assert np.all(pre > 0.3), "the Pre-LN stream's norm follows the input's scale"

# %% [markdown] slideshow={"slide_type": "subslide"}
# Does it matter? Only for a task that needs the scale. Here is one: *is this input loud or
# quiet?* (label `u > 0`; the direction of `x` carries no information). Three nets of the same
# blocks (depth 2, width 32): a Pre-LN residual net with an extra LayerNorm on its raw input, a
# Post-LN residual net, and a Pre-LN residual net. Three seeds, 100 Adam steps, 2,000 test inputs.

# %% slideshow={"slide_type": "-"}
scale = run_scale_task(depth=2, width=32, steps=100, seeds=range(3))
ax = plot_scale_task(scale)

# %% slideshow={"slide_type": "fragment"}
for label, accuracy in scale.test_accuracy.items():
    print(f"{label:<24} test accuracy {accuracy.min():.2f} to {accuracy.max():.2f}")
assert np.all(scale.test_accuracy["LayerNorm on the input"] < 0.56), "input LN: chance level"
assert np.all(scale.test_accuracy["Pre-LN residual"] > 0.85), "the Pre-LN stream keeps the scale"
assert np.all(scale.test_accuracy["Post-LN residual"] > 0.85)

# %% [markdown] slideshow={"slide_type": "-"}
# With a norm on the raw input, the scale is gone before any layer sees it: no amount of training
# gets above chance. The Pre-LN net solves the task, as it should: its stream carries `x` itself
# to the head. The Post-LN net solves it too, which shows what "lost" really means: its first
# block sees the un-normalised stem output, and the bias and the ReLU write the input's scale into
# the *direction* of `h + f(h)` before the norm removes its length. Information is destroyed only
# when a norm acts on features before anything has read their scale. So the source's con is
# half true: LayerNorm does discard each token's mean and scale, and a model that needs them must
# keep them somewhere; the Pre-LN residual stream does that by construction.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When to choose what
#
# | choice | use it when | avoid it, or take care, when | evidence |
# |---|---|---|---|
# | **BatchNorm** | CNNs trained with large batches of fixed-size inputs | small or variable batches, variable-length sequences, generating one token at a time: its statistics come from the batch, so an example's output depends on the others and training differs from inference | [02](02_layer_normalization.ipynb) |
# | **LayerNorm** | Transformers and RNNs; any batch size, even 1; identical in training and inference | a task needs a vector's absolute scale and nothing upstream keeps it (see [above](#What-LayerNorm-discards)) | [02](02_layer_normalization.ipynb), this notebook |
# | **RMSNorm** | where LayerNorm goes, when speed matters (most recent LLMs): no centering, no bias, `4d` instead of `7d` FLOPs | the saving in time needs a fused kernel: here `nn.RMSNorm` runs as several small operations and keeps more memory than the fused `nn.LayerNorm` ([measured above](#Compute-and-memory)) | [02](02_layer_normalization.ipynb), this notebook |
# | **Post-LN** (`x = LN(x + f(x))`) | the original Transformer and BERT; shallow stacks, with learning-rate warm-up | deep stacks, or no warm-up: large gradients near the output at initialisation (Xiong et al. 2020) and an output that is sensitive to every layer (Liu et al. 2020) | [03](03_transformer_residual_layernorm.ipynb) |
# | **Pre-LN** (`x = x + f(LN(x))`) | the default for deep Transformers and LLMs (GPT-2 onwards): trains without warm-up, stable as depth grows | it needs a final norm before the head; the stream grows with depth, so each later block changes it relatively less | [03](03_transformer_residual_layernorm.ipynb) |
# | **residual, no norm** | shallow nets, or with a careful initialisation (Fixup, SkipInit, ReZero) | many blocks with default initialisation: activations and gradients grow block by block | [00](00_start_here.ipynb), [01](01_residual_connections.ipynb), [05](05_beyond_the_interview.ipynb) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# How do the three costs change with width, depth and batch size? Each bar is a ratio to the plain
# net of the same setting: FLOPs counted, activation memory and time measured afresh on every
# change (time from a few alternating passes, so it jitters from one redraw to the next). The
# figure below is the explorer's default state, for readers without a running kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_cost, **EXPLORER_DEFAULTS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_cost_explorer()
explorer

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
print(f"last redraw: {explorer.last_draw_ms:.0f} ms")

# %% [markdown] slideshow={"slide_type": "notes"}
# Things to try: width 16 against width 128 (every time ratio falls towards 1 while the memory
# ratios stay put); depth 1 against depth 8 (the memory ratio of the residual net grows towards 2,
# because the stem and the head, the same in every variant, weigh less); batch size barely
# matters for the ratios, because every cost here is per token.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source
#
# Question 4's list, item by item (the source's words, then ours):
#
# | the source says | verdict | what the measurement shows |
# |---|---|---|
# | Residual pro: *提高训练效率* ("better training efficiency: it learns identity mappings across layers, so training is faster") | **half-true** | far fewer steps ([training speed](#Training-speed)); each step slightly slower ([cost](#Compute-and-memory)); the identity path is built in, not learned |
# | Residual pro: *缓解梯度消失和爆炸* ("relieves vanishing and exploding gradients") | **half-true** | fixes vanishing; without a norm the stream and its gradients grow with depth ([00](00_start_here.ipynb), [01](01_residual_connections.ipynb)) |
# | Residual pro: *增强模型泛化能力* ("better generalisation, by capturing complex features") | **half-true** | at equal size the residual net generalises no worse, here slightly better ([overfitting](#Overfitting)); its real gift is that deeper nets become trainable |
# | Residual con: *增加参数数量，可能导致过拟合* ("more parameters, may overfit") | **wrong** | identity shortcuts: 0 parameters; projections: 1% of ResNet-34 ([parameters](#Parameters)); no extra overfitting ([overfitting](#Overfitting)) |
# | Residual con: *计算复杂度增加，可能导致训练时间增加* ("more computation, longer training") | **wrong** in FLOPs, **small** in time | one add per feature, `1/(2d)` of a linear layer's FLOPs; a few percent of the time at `d = 256` (more at toy widths, where every operation's fixed overhead dominates); the cost the source misses is memory: one more activation kept for backward ([cost](#Compute-and-memory)) |
# | LN pro: *提高训练稳定性* ("more stable training") | **right** | every layer's input keeps its scale; gradients of one order across layers ([00](00_start_here.ipynb), [02](02_layer_normalization.ipynb), [03](03_transformer_residual_layernorm.ipynb)) |
# | LN pro: *加快训练速度* ("faster training, by reducing the variance of the gradient computation") | **half-true** | fewer steps, yes ([training speed](#Training-speed)); each step costs more; the stated mechanism is not what LN does ([02](02_layer_normalization.ipynb)) |
# | LN pro: *增强模型泛化能力* ("better generalisation: more robust to changes of the input") | **half-true** | invariant to re-scaling and shifting *each* vector, not to a shift of a feature across the data set ([above](#What-LayerNorm-discards)); not a regulariser: no noise, same in training and inference ([02](02_layer_normalization.ipynb)) |
# | LN con: *增加计算开销* ("extra computation, longer training") | **right, but small** | `7d` FLOPs per token next to `2d^2` per linear layer, shrinking with width; more in time than in FLOPs unless fused; one saved activation per norm ([cost](#Compute-and-memory)) |
# | LN con: *可能导致信息丢失* ("may lose information") | **half-true** | it discards each vector's mean and scale, nothing else; lost only where nothing else keeps them; the Pre-LN stream keeps them ([what LayerNorm discards](#What-LayerNorm-discards)) |
# | Closing remark: residuals for "complex features", LayerNorm for "large data sets" | **misleading** | the two are not alternatives: every Transformer uses both, for different jobs ([when to choose what](#When-to-choose-what)) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each answer cell starts as `answer = ...`; replace the `...` and run the cell for instant
# feedback. `hint(key)` gives hints; the solution stays hidden until you ask for it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1: price a projection.** The source's `ResidualBlock(64, 128)` needs a projection
# shortcut, `nn.Conv2d(64, 128, kernel_size=1)` with PyTorch's defaults. How many parameters does
# it add? (An integer.)

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.projection_params", answer)

# %% slideshow={"slide_type": "-"}
hint("04.projection_params")

# %% slideshow={"slide_type": "-"}
# Uncomment the line below to see the solution once you have tried.
# solution("04.projection_params")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2: price the add.** A block's branch is one `nn.Linear(512, 512)`. By what fraction
# does the identity shortcut increase the block's forward FLOPs? Count a multiply-add as 2 FLOPs
# and ignore the bias and the activation. (A fraction, e.g. `0.01` for 1%.)

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.add_flop_share", answer)

# %% slideshow={"slide_type": "-"}
hint("04.add_flop_share")

# %% slideshow={"slide_type": "-"}
# Uncomment the line below to see the solution once you have tried.
# solution("04.add_flop_share")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3: rebuild what LayerNorm drops.** Write a function `stats(x)` that returns the two
# numbers per vector that LayerNorm discards, `(mean, std)`, each of shape `(..., 1)`, such that
# `mean + std * torch.nn.functional.layer_norm(x, (d,), eps=0.0)` gives `x` back. Pass the function itself as the
# answer.

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.rebuild_from_layernorm", answer)

# %% slideshow={"slide_type": "-"}
hint("04.rebuild_from_layernorm")

# %% slideshow={"slide_type": "-"}
# Uncomment the line below to see the solution once you have tried.
# solution("04.rebuild_from_layernorm")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview answer card
#
# **English.** *Residual connections* make deep networks trainable: the identity path carries the
# signal forward and the gradient backward past every block, so the gradient does not vanish with
# depth and training needs far fewer steps. They cost almost nothing: an identity shortcut has no
# parameters and one addition per feature (about `1/(2d)` of a linear layer's FLOPs); a 1x1
# projection adds `in x out` weights, only where the shape changes. They do not cause
# overfitting. Their real limits: the stream is not normalised, so activations grow with depth
# unless a norm or a careful initialisation controls them, and the sum is one more activation to
# keep for the backward pass. *LayerNorm* normalises each token over its features, so every
# layer's input has a fixed scale: training is stable and needs fewer steps, and it works the
# same at batch size 1 and at inference. It costs `O(d)` per token against `O(d^2)` for the linear
# layers, more in wall time than in FLOPs unless fused, plus one saved activation; RMSNorm drops
# the centering to save part of it. It discards exactly each token's mean and scale; in a Pre-LN
# block the residual stream keeps them. For deep stacks use Pre-LN (no warm-up needed, final norm
# at the end); Post-LN needs warm-up and suits shallow models; BatchNorm suits CNNs with large
# batches, not sequences.
#
# **中文。** *残差连接*使深层网络能够被有效训练：恒等路径把信号向前、把梯度向后直接传过每一个块，梯度不会随
# 深度消失，训练所需的步数大大减少。它几乎没有代价：恒等捷径没有任何参数，每个特征只多一次加法（约为一个线性层
# FLOPs 的 `1/(2d)`）；只有在形状改变时才需要 1x1 投影，增加 `in x out` 个权重。它不会导致过拟合。它真正的局限
# 在于：残差流本身没有被规范化，若没有规范化层或精心设计的初始化，激活值会随深度不断增大；此外，相加得到的结果
# 是反向传播时需要额外保存的一份激活。*层规范化*对每个词元在其特征维度上做规范化，使每一层的输入保持固定的尺度：
# 训练更稳定，所需步数更少，而且批大小为 1 时与推理时的计算完全相同。它的计算量是每个词元 `O(d)`，而线性层是
# `O(d^2)`；没有融合算子时，实际耗时高于 FLOPs 所反映的比例，并且还要额外保存一份激活；RMSNorm 去掉了中心化，
# 可以省下其中一部分。它丢弃的恰好是每个词元的均值和尺度；在 Pre-LN 结构中，残差流保留了这些信息。深层模型应
# 使用 Pre-LN（无需学习率预热，在最后加一个规范化层）；Post-LN 需要预热，更适合较浅的模型；BatchNorm 适合大批量
# 训练的 CNN，不适合序列模型。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Sec. 3.2:
#   identity shortcuts add no parameters; Sec. 3.3 and Table 3: shortcut options A, B and C,
#   mirrored by the [parameter count](#Parameters).)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450. (Table 1: invariances,
#   used in [what LayerNorm discards](#What-LayerNorm-discards).)
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS. (RMSNorm: no
#   re-centering, cheaper; the [cost](#Compute-and-memory) section counts it.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML. (Post-LN
#   needs warm-up, Pre-LN does not; in the [decision table](#When-to-choose-what).)
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP. (Post-LN's dependence on its residual branches.)
# - Korthikanti et al. (2022). *Reducing Activation Recomputation in Large Transformer Models.*
#   (Sec. 4.1: activation memory of a Transformer layer, term by term.)

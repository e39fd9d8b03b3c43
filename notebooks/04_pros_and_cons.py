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
# **题目**：请讨论残差连接和层规范化的优缺点。
#
# **The question:** What are the advantages and the drawbacks of residual connections and of
# layer normalization?
#
# This is question 4 of the Chinese study text. Its answer is a list of six pros (three for each)
# and four cons (two for each).
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
#   fewer steps (in our deep MLP, under half of a well-initialised plain net's).
# - **Residual, costs:** almost none. An identity shortcut has **no parameters** and costs one
#   addition per feature, about `1/(4d)` of a two-layer `d x d` branch's FLOPs, and with a
#   standard branch (ending in a linear layer) no extra activation memory. A projection shortcut
#   (a 1x1 convolution, only where the shape changes) adds `in x out` weights, under 1% of a
#   ResNet-34. The real cost is elsewhere: the residual stream is not normalised, so activations
#   grow with depth unless a norm or a careful initialisation holds them.
# - **Residuals do not add parameters, so they cannot overfit *because of* parameters.** They do
#   change what a net learns from the same data (its inductive bias). In our one test, at equal
#   parameter count, the residual net overfit no more than the plain one. One toy settles the
#   source's argument, not the general question.
# - **LayerNorm, pros:** each token's activations keep a fixed scale, so training is stable and
#   robust to a badly scaled initialisation (in our test, most of its saving in steps over a
#   plain net is what a good initialisation gives too); it computes the same thing at batch
#   size 1 and at test time.
# - **LayerNorm, costs:** `O(d)` per token against the linear layers' `O(d^2)`, so its FLOP share
#   shrinks with width; in time it costs more than its FLOPs (element-wise work costs far more per
#   FLOP than a matrix multiplication: it reads and writes every activation, in several small
#   kernels unless fused), and it keeps its input and two numbers per token for the backward
#   pass. RMSNorm needs fewer FLOPs (`4d` against `7d`); whether that saves time depends on the
#   kernel: here PyTorch's unfused `nn.RMSNorm` was slower than `nn.LayerNorm`.
# - **"LayerNorm loses information":** it discards exactly two numbers per token, the mean and the
#   scale. The scale is lost for good only where everything before a norm scales with the input
#   (a norm on the raw input, or bias-free layers before it); otherwise it survives in the
#   direction of the vector, whether the norm is Pre-LN, Post-LN or a final norm.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np
import torch

import resnorm
from resnorm.exercises import check, hint, solution
from resnorm.experiments.cost import (FLOP_CONVENTION, VARIANTS, cost_model, matmul_flops, run_cost,
                                      saved_activation_bytes, saved_tensors_per_block)
from resnorm.experiments.information import run_scale_task, stream_scale, what_layernorm_discards
from resnorm.experiments.overfitting import run_overfitting
from resnorm.experiments.param_count import (ShortcutCount, conv_block_parameters, mlp_parameters,
                                             resnet34_parameters)
from resnorm.experiments.training_speed import SPEED_CONFIGS, run_training_speed, step_time_ratio
from resnorm.figures.pros_and_cons import (EXPLORER_DEFAULTS, draw_cost, make_cost_explorer,
                                           plot_cost_memory, plot_cost_time, plot_overfitting,
                                           plot_scale_task, plot_shortcut_parameters,
                                           plot_stream_scale, plot_training_speed)
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Parameters
#
# The source says: *残差连接增加了网络的参数数量，可能导致过拟合* ("residual connections increase the
# number of parameters, which may cause overfitting"). Count them. An identity shortcut is
# `h + f(h)`: there is nothing in it to learn. He et al. (2016, Sec. 3.2) make exactly this point.
# A *projection* shortcut is needed only where the block changes the shape (more channels, or a
# stride): the source's `ResidualBlock` then uses `nn.Conv2d(in, out, kernel_size=1)`, with
# `in x out` weights and `out` biases. He et al. compare three options for ResNet-34 (Sec. 4.1,
# Table 3): (A) identity everywhere, zero-padded where channels grow; (B) projections only where
# the shape changes; (C) projections on every shortcut. A count is exact by construction, so the
# checks under the figure are *demonstrations*: they put a number on each statement, they do not
# test a hypothesis.

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
assert (resnet34["B"].shortcut, resnet34["B"].total) == (173_824, 21_797_672), "exact count of option B"
assert (resnet34["C"].shortcut, resnet34["C"].total) == (1_092_992, 22_716_840), "exact count of option C"
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
# Each block's branch is `linear2(relu(linear1(h)))`, two `d x d` layers, the shape of a
# Transformer FFN. The norms are PyTorch's own `nn.LayerNorm` and `nn.RMSNorm`, as a practitioner
# would use them.
# Three costs, each relative to the plain net of the same width:
#
# 1. **FLOPs**, counted. PyTorch has a counter, `torch.utils.flop_counter.FlopCounterMode`; first
#    check what it sees.

# %% slideshow={"slide_type": "-"}
x = torch.randn(128, 64)
counted = {variant: matmul_flops(cost_model(variant, 64, 4, seed=SEEDS[0]), x) for variant in VARIANTS}
for variant, flops in counted.items():
    print(f"{variant:<22} {flops / 1e6:.2f} MFLOPs (forward, FlopCounterMode)")
matmuls = 128 * (1 + 2 * 4 + 1) * 2 * 64 * 64  # batch x (stem + 4 blocks of 2 layers + head) x 2 d^2
assert all(flops == matmuls for flops in counted.values())
print("identical: FlopCounterMode counts only matmul-like operations")

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch's counter sees no difference at all, because it counts only matmul-like operations
# (`mm`/`addmm`/`bmm`, convolutions, attention), which the add and the norms are not. So we count the rest ourselves, per token and per block, with
# this convention:

# %% slideshow={"slide_type": "-"}
FLOP_CONVENTION

# %% [markdown] slideshow={"slide_type": "-"}
# 2. **Activation memory**, measured: the bytes of every tensor autograd saves for the backward
#    pass, recorded with `torch.autograd.graph.saved_tensors_hooks` during one forward pass
#    (shared storage counted once, parameters left out). It depends only on shapes, so it is
#    exact and repeatable.
# 3. **Time** of one forward + backward pass, measured as the CPU time of the thread that
#    computes it (`time.thread_time`), so that moments when the thread waits while the machine
#    runs other programs do not count; wall time on a busy machine jumps by factors of 2 to 4.
#    It does not remove the other programs' effect on caches, memory bandwidth, shared cores or
#    clock frequency, which still slows a pass. The four variants take
#    turns, each round keeps the fastest of three passes, and the figure shows the median and
#    the spread of five rounds. Only ratios are reported.

# %% slideshow={"slide_type": "subslide"}
cost = run_cost(widths=(16, 64, 256), depth=4, batch_size=128, rounds=5, repeats=3, seed=SEEDS[0])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_cost_time(cost, left)
_ = plot_cost_memory(cost, right)

# %% [markdown] slideshow={"slide_type": "-"}
# **FLOPs (dashed):** the residual add is `d` FLOPs next to the branch's two linear layers,
# `2 x 2d^2`, a share of about `1/(4d)`; LayerNorm (`7d`) and RMSNorm (`4d`) shrink the same way.
# **Time (solid):** the norms and even the add cost far more than their FLOPs, because an
# element-wise operation costs far more per FLOP than a matrix multiplication: it reads and
# writes every activation for a handful of FLOPs each (memory traffic), allocates a new tensor
# and is dispatched as an operation of its own, while a matmul reuses each number it loads many
# times. A norm's work grows like `d` per token, the matmuls' like `d^2`, so as the width grows
# the matmuls take over and LayerNorm's ratio falls. **Memory (right):** barely shrinks with
# width: the residual net keeps exactly as much as the plain one at every width (explained
# [below](#Where-the-memory-goes)), and a norm's extra is one activation plus two numbers per
# token, a `2/d` term that makes its ratio shrink only slightly.
#
# The FLOP ratios are arithmetic on our own convention, so their checks are *demonstrations* of
# that arithmetic, not measurements:

# %% slideshow={"slide_type": "fragment"}
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    extra = 100 * (cost.flop_ratio[variant] - 1)
    print(f"{variant:<22} extra FLOPs at d = {', '.join(map(str, cost.widths))}: "
          + ", ".join(f"{e:.2f}%" for e in extra))
residual_extra = cost.flop_ratio["residual"] - 1
assert np.all(residual_extra < 1 / (4 * cost.widths)), "the add costs less than 1/(4d) of a block"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    assert np.all(np.diff(cost.flop_ratio[variant]) < 0), "a norm's FLOP share shrinks with width"
assert np.all(cost.flop_ratio["residual + RMSNorm"] < cost.flop_ratio["residual + LayerNorm"])
assert cost.flop_ratio["residual + LayerNorm"][-1] < 1.01, "at d = 256, LayerNorm adds under 1%"

# %% [markdown] slideshow={"slide_type": "-"}
# The times are measured. On a shared machine they jitter, so the checks compare only the ends of
# the width range and large gaps: each norm's time ratio is above its FLOP ratio at both ends;
# LayerNorm's ratio is lower at `d = 256` than at `d = 16`; and at `d = 256` the add costs under
# half a pass even on a busy machine (it is one small operation forward and one backward per
# block; its real price in training time is measured on whole training runs
# [below](#Training-speed)). RMSNorm is checked against LayerNorm, not against the width: its
# ratio need not fall (it did not from `d = 16` to `d = 64` in our runs).

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    ratios = cost.median_time_ratio(variant)
    print(f"{variant:<22} time / plain at d = {', '.join(map(str, cost.widths))}: "
          + ", ".join(f"{r:.2f}" for r in ratios))
print(f"(one plain pass at d = {cost.widths[-1]}: {1e3 * np.median(cost.seconds['plain'][:, -1]):.1f} ms of CPU time here)")
assert cost.median_time_ratio("residual")[-1] < 1.5, "at d = 256 the add costs under half a pass"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    ends = cost.median_time_ratio(variant)[[0, -1]]
    assert np.all(ends > cost.flop_ratio[variant][[0, -1]]), f"{variant}: more time than its FLOPs"
layer_norm_time = cost.median_time_ratio("residual + LayerNorm")
assert layer_norm_time[-1] < layer_norm_time[0], "LayerNorm's time share shrinks as the width grows"
assert cost.median_time_ratio("residual + RMSNorm")[0] > layer_norm_time[0], \
    "fewer FLOPs, yet the unfused nn.RMSNorm is the slower norm at d = 16"

# %% [markdown] slideshow={"slide_type": "-"}
# So RMSNorm's saving is in FLOPs (`4d` against `7d`). Zhang & Sennrich (2019) measured speed-ups
# of 7% to 64% with their implementations; here PyTorch's unfused `nn.RMSNorm` was *slower* than
# the fused `nn.LayerNorm` and keeps more memory ([below](#Where-the-memory-goes)): the kernel
# matters more than the FLOP count.
#
# Is the gap a fixed overhead per operation, whatever its size? Then a larger batch, which gives
# every operation more work, would pull the time ratios towards 1. The ablation: the same nets at
# `d = 16` with batches of 8, 128 and 2048 (five rounds each, as above, so that one disturbed
# round cannot move the median).

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
batches = (8, 128, 2048)
by_batch = {batch: run_cost(widths=(16,), depth=4, batch_size=batch, rounds=5, repeats=3,
                            variants=("plain", "residual + LayerNorm"), seed=SEEDS[0])
            for batch in batches}
batch_ratio = [by_batch[batch].median_time_ratio("residual + LayerNorm")[0] for batch in batches]
print("residual + LayerNorm, time / plain at d = 16, batch " + ", ".join(map(str, batches)) + ": "
      + ", ".join(f"{r:.2f}" for r in batch_ratio))
assert batch_ratio[-1] > batch_ratio[0], "no fixed overhead: the ratio does not fall with the batch"

# %% [markdown] slideshow={"slide_type": "-"}
# The ratio does not fall as the batch grows (in our runs it rose). So a fixed cost per operation
# is not what makes the norm expensive: its cost grows with the data it touches, which is what
# memory-bound, element-wise work does. What shrinks its share is the width, because the
# matmuls grow faster (`d^2` against `d` per token).

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
# So the residual net keeps no more than the plain one. In both, a block keeps two activations:
# its input (for `linear1`'s weight gradient) and the ReLU's output (kept once, used twice: by
# the ReLU for its own gradient and by `linear2` for its weight gradient). In the residual block
# the sum `h + f(h)` is a new tensor, but it *replaces* `f(h)` as the next block's input, and
# `f(h)` itself is kept by nobody. The ablation: with He et al.'s "ReLU before addition" branch
# (2016b, Fig. 4c), which ends in a ReLU, that ReLU keeps its output *and* the next block keeps
# the sum: one activation more per block than the plain net of the same branch. So the memory
# cost of a shortcut depends on what the branch ends in, not on the shortcut.
#
# A fused `nn.LayerNorm` keeps its input plus a mean and a reciprocal standard deviation per
# token, `1 + 2/64` activations at width 64; PyTorch's `nn.RMSNorm` (this version, on the CPU)
# runs as several separate operations and keeps more; the course's from-scratch LayerNorm (same
# values, written op by op) keeps the most. These are measurements of what autograd saves (width
# 64, batch 128; per block, stem and head subtracted):

# %% slideshow={"slide_type": "fragment"}
per_block = {variant: saved_tensors_per_block(variant) for variant in VARIANTS}
ends_in_relu = {variant: saved_tensors_per_block(variant, branch="act_before_addition")
                for variant in ("plain", "residual")}
scratch = saved_tensors_per_block("residual + LayerNorm", fused=False)
for variant, n in per_block.items():
    print(f"{variant:<22} keeps {n:.2f} activation-sized tensors per block")
print(f"{'from-scratch LayerNorm':<22} keeps {scratch:.2f} (residual + our resnorm.norms.LayerNorm)")
print(f"branch ending in a ReLU: plain {ends_in_relu['plain']:.2f}, residual {ends_in_relu['residual']:.2f}")
assert per_block["residual"] == per_block["plain"] == 2.0, "standard branch: the shortcut keeps nothing"
assert ends_in_relu["residual"] == ends_in_relu["plain"] + 1, "ablation: a branch ending in a ReLU keeps one more"
assert per_block["residual + LayerNorm"] == 3 + 2 / 64, "fused LN: its input plus 2 numbers per token"
assert per_block["residual + RMSNorm"] >= per_block["residual + LayerNorm"]
assert scratch > per_block["residual + LayerNorm"]
assert np.all(cost.memory_ratio["residual"] == 1.0), "the whole net, at every width"

# %% [markdown] slideshow={"slide_type": "notes"}
# A real Transformer layer keeps far more per layer than our toy block (queries, keys, values,
# attention probabilities, the 4d-wide MLP activation, ...), and in a Pre-LN block the residual
# sum is the LayerNorm's input, which is saved anyway. Korthikanti et al. (2022, Sec. 4.1) count
# the memory of a Transformer layer term by term; the LayerNorm inputs are a small part of it. So
# in practice: residuals are free in parameters, nearly free in FLOPs and free in activation
# memory with a standard branch; normalization is cheap in FLOPs, less cheap in time unless
# fused, and keeps one activation (plus two numbers per token) per norm.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Training speed
#
# Both pros lists say *加快训练速度* ("speeds up training"). Speed has two factors: the number of
# steps to reach a given loss, and the time per step. Both are measured here, on the same models:
# MLPs of 6 blocks (12 linear layers in the blocks, 14 in all) of width 32, trained with Adam
# (learning rate 3e-3) on batches of 128 from a teacher task, five seeds, the same batches for all.
# Four nets use PyTorch's default initialisation; the fifth, the ablation, is the plain net with
# He initialisation, which keeps each layer's output at the scale of its input. A shortcut or a
# norm might only be repairing a badly scaled start; against this baseline we see what is left.
# The yardsticks are the two plain nets' own losses after all their steps; we report the median
# over seeds, because a single seed can be slow.

# %% slideshow={"slide_type": "subslide"}
speed = run_training_speed(SPEED_CONFIGS, depth=6, width=32, steps=40, seeds=SEEDS)
ax = plot_training_speed(speed)

# %% slideshow={"slide_type": "fragment"}
n_steps = speed.losses["plain"].shape[1]
steps_needed = {}  # per yardstick: the steps each net needs to reach that net's final loss, per seed
for baseline in ("plain", "plain, He init"):
    target = speed.final_loss(baseline)
    steps_needed[baseline] = {label: speed.steps_to_reach(label, target) for label in speed.losses
                              if label not in ("plain", baseline)}
    print(f"to the final loss of the {baseline} net (median of {n_steps} steps; seeds that got there):")
    for label, needed in steps_needed[baseline].items():
        print(f"  {label:<22} {np.median(needed):>4.0f}  ({np.isfinite(needed).sum()} of {len(needed)})")
assert np.median(steps_needed["plain"]["residual"]) <= 0.35 * n_steps
assert np.median(steps_needed["plain"]["residual + LayerNorm"]) <= 0.35 * n_steps
assert np.median(steps_needed["plain"]["plain + LayerNorm"]) <= 0.6 * n_steps
assert np.median(steps_needed["plain"]["plain, He init"]) <= 0.75 * n_steps, "ablation: a good init alone"
assert np.median(steps_needed["plain, He init"]["residual"]) < 0.5 * n_steps, "the shortcut, beyond the init"
assert np.median(steps_needed["plain, He init"]["plain + LayerNorm"]) >= 0.75 * n_steps, "LN, beyond the init: little"

# %% [markdown] slideshow={"slide_type": "-"}
# Against the default-initialised plain net, all three help. The ablation splits that up. He
# initialisation alone gets the plain net most of the way that LayerNorm does: LayerNorm's gain
# here is mostly *robustness to a badly scaled initialisation*: against the He-initialised plain
# net it saves at most a quarter of the steps (with other seeds, most runs did not reach that
# net's final loss at all). The shortcut keeps a real advantage: the residual nets reach the He-initialised plain net's final loss in
# under half the steps (about 2.5x fewer), not the 3.5-4x fewer against the default-initialised one.

# %% [markdown] slideshow={"slide_type": "-"}
# Now the price of a step, measured on exactly these models (same depth, width and batch): the
# time of a forward + backward pass relative to the default-initialised plain net, with PyTorch's
# `nn.LayerNorm` (as practitioners use it) and, for comparison, with the course's from-scratch
# LayerNorm (same values, op by op). (The optimiser's update, the same work for every net, is left
# out, which can only make the ratios larger.) Steps saved times step price gives the compute time
# to reach the default plain net's final loss:

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
step_time = {fused: step_time_ratio(SPEED_CONFIGS, depth=6, width=32, batch_size=128, fused=fused,
                                    seed=SEEDS[0]) for fused in (True, False)}
fewer_steps = {label: n_steps / np.median(needed) for label, needed in steps_needed["plain"].items()}
slower_step = {fused: {label: np.median(ratio) for label, ratio in step_time[fused].items()} for fused in step_time}
for label in ("plain + LayerNorm", "residual", "residual + LayerNorm"):
    print(f"{label:<22} {fewer_steps[label]:.1f}x fewer steps, each {slower_step[True][label]:.2f}x the time "
          f"-> {slower_step[True][label] / fewer_steps[label]:.2f}x the plain net's compute time"
          + (f" (from-scratch LN: {slower_step[False][label]:.2f}x per step)" if "LayerNorm" in label else ""))
assert fewer_steps["residual"] > slower_step[True]["residual"], "the shortcut wins in compute time too"
assert fewer_steps["plain + LayerNorm"] > slower_step[True]["plain + LayerNorm"], "so does nn.LayerNorm here"
assert slower_step[False]["plain + LayerNorm"] > slower_step[True]["plain + LayerNorm"], "the kernel matters"

# %% [markdown] slideshow={"slide_type": "-"}
# So against the default-initialised plain net, "speeds up training" is right in compute time
# too, for both: the shortcut's step costs a little more, `nn.LayerNorm`'s about 1.2-1.4x at this
# small width, and both save more than that in steps. The from-scratch LayerNorm, written op by
# op, costs 2.4-2.7x per step, so the kernel decides how much of LayerNorm's saving survives.
# Adding LayerNorm to the residual net barely changes its step count but makes each step dearer
# (with the from-scratch norm it about doubles the compute time): at this depth, with this
# initialisation, the win is the residual path's. As the width grows a
# norm's share of a step falls ([cost](#Compute-and-memory)).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Overfitting
#
# The source: residual connections add parameters, so they may cause overfitting. The premise is
# false (they add none), but test the conclusion anyway. A plain and a residual MLP (4 blocks,
# width 64, the *same* layers and hence the same number of parameters, a demonstration by
# construction) are trained on 128 examples of a teacher task with a quarter of the labels
# replaced by random classes, until both fit the training set; a clean set of 2,000 examples
# measures generalisation. Both start from PyTorch's default initialisation; a third net, the
# plain one with He initialisation, is the ablation for the start. Five seeds.

# %% slideshow={"slide_type": "subslide"}
overfit = run_overfitting(depth=4, width=64, n_train=128, label_noise=0.25, steps=100, seeds=SEEDS)
ax = plot_overfitting(overfit)

# %% slideshow={"slide_type": "fragment"}
for label in overfit.train_accuracy:
    print(f"{label:<15} train {np.median(overfit.train_accuracy[label]):.2f}, "
          f"test {np.median(overfit.test_accuracy[label]):.2f}, "
          f"gap {np.median(overfit.gap(label)):.2f} (medians), "
          f"corrupted labels memorised {np.median(overfit.noise_memorised[label]):.0%}")
print(f"parameters: plain {overfit.n_parameters['plain']:,}, residual {overfit.n_parameters['residual']:,}")
test_difference = {baseline: np.median(overfit.test_accuracy["residual"]) - np.median(overfit.test_accuracy[baseline])
                   for baseline in ("plain", "plain, He init")}
print("residual minus plain, median test accuracy: "
      + ", ".join(f"{100 * d:+.1f} points ({baseline})" for baseline, d in test_difference.items()))
assert overfit.n_parameters["plain"] == overfit.n_parameters["residual"], "demonstration: same layers"
assert all(np.all(accuracy > 0.95) for accuracy in overfit.train_accuracy.values()), "all fit the noisy labels"
for baseline in ("plain", "plain, He init"):
    assert np.median(overfit.gap("residual")) <= np.median(overfit.gap(baseline)), "residual overfits no more"

# %% [markdown] slideshow={"slide_type": "-"}
# All three nets memorise the corrupted labels (those that differ from the teacher's): with this
# much capacity and this little data, *any* net overfits, shortcut or not. What the experiment
# shows is narrow: the source's argument fails here. With no extra parameter, the residual net
# overfits no more than the plain one, whichever initialisation the plain net has. Its median
# test accuracy is higher too, by 8.2 points against the default-initialised plain net and 6.5
# against the He-initialised one here; with other seeds the second margin was 1.6 to 3.9 points
# and single seeds reversed, so we claim only "no more overfitting".
#
# It does *not* show that shortcuts change nothing. The two nets have the same parameters but not
# the same inductive bias: a residual block starts close to the identity and learns a
# correction to it, a plain block must learn the whole map, and gradient descent then finds
# different solutions from the same data. That difference did not hurt here; one depth-4 toy on
# one task cannot say whether it helps or hurts in general. (Residual nets are also often
# deeper and bigger than the plain nets they replace, because they *can* be trained; more
# capacity can overfit more, but that is a design choice, not a property of the shortcut.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What LayerNorm discards
#
# The source's last con: *可能导致信息丢失* ("may lose information"). LayerNorm maps a vector `x` to
# `(x - mean) / std` (then a learned gain and bias): it discards exactly two numbers per vector,
# its mean and its scale, and nothing else. Every `a x + b` (a positive number `a`, a number `b`)
# gives the same output, and `mean + std * LN(x)` gives `x` back. A shift of one *feature* is not
# removed (Ba et al. 2016, Table 1, "dataset re-centering"; notebook
# [02](02_layer_normalization.ipynb) measures the whole table). These are identities of the
# formula, so the checks below demonstrate them on random vectors rather than test anything.

# %% slideshow={"slide_type": "-"}
discard = what_layernorm_discards(n=256, d=16, seed=SEEDS[0])
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
# At initialisation, feed inputs `x = e^u z` of very different loudness `u` (both nets: the same
# two-layer branches, the same parameters). For Post-LN the flat line is the identity again (every
# token leaves the norm with length `sqrt(d)`), a demonstration; for Pre-LN the slope is measured.
# The Pre-LN stream is not `x` but `stem(x)` plus the branch outputs, and the branches read a
# normalised copy, so their share does not grow with the input: the slope is below 1.

# %% slideshow={"slide_type": "subslide"}
streams = stream_scale(depth=2, width=32, n=512, seeds=SEEDS[:3])
ax = plot_stream_scale(streams)

# %% slideshow={"slide_type": "fragment"}
post, pre = streams.slope("Post-LN residual"), streams.slope("Pre-LN residual")
print(f"slope of log |stream| against log scale: Post-LN {np.abs(post).max():.0e} (largest), "
      f"Pre-LN {pre.min():.2f} (smallest), over {len(pre)} seeds")
assert np.all(np.abs(post) < 1e-3), "the Post-LN stream has the same norm for every input"
assert np.all((pre > 0.3) & (pre < 0.9)), "the Pre-LN stream's norm partly follows the input's scale"

# %% [markdown] slideshow={"slide_type": "subslide"}
# Does it matter? Only for a task that needs the scale. Here is one: *is this input loud or
# quiet?* (label `u > 0`; the direction of `x` carries no information). Five nets of the same
# blocks (depth 2, width 32): a Pre-LN residual net with an extra LayerNorm on its raw input; a
# Post-LN residual net, and the same with every `nn.Linear` bias zeroed and frozen (the
# ablation); a Pre-LN residual net, and the same with a final LayerNorm before the head, as every
# Pre-LN Transformer has. Three seeds, 60 Adam steps, 2,000 test inputs. (To pay for the two
# ablations we train 60 steps instead of 100; every net's accuracy was within about a point of
# its 100-step value, so the cell costs what the three-net version did.)

# %% slideshow={"slide_type": "-"}
scale = run_scale_task(depth=2, width=32, steps=60, seeds=SEEDS[:3])
ax = plot_scale_task(scale)

# %% slideshow={"slide_type": "fragment"}
for label, accuracy in scale.test_accuracy.items():
    print(f"{label:<28} test accuracy {accuracy.min():.2f} to {accuracy.max():.2f}")
assert np.all(scale.test_accuracy["LayerNorm on the input"] < 0.56), "input LN: chance level"
assert np.all(scale.test_accuracy["Post-LN residual, no biases"] < 0.56), "ablation: no biases, chance level"
for label in ("Post-LN residual", "Pre-LN residual", "Pre-LN residual + final LN"):
    assert np.all(scale.test_accuracy[label] > 0.85), f"{label}: the scale survives"

# %% [markdown] slideshow={"slide_type": "-"}
# With a norm on the raw input, the scale is gone before any layer sees it: no amount of training
# gets above chance. The Post-LN net solves the task, although its stream has the same length for
# every input: its first block sees the un-normalised stem output, and `h + f(h)` is not a scaled
# copy of `h`, because the biases do not scale with the input, so the scale survives in the
# *direction* of the vector that the norm passes on. The ablation confirms it: without biases,
# every layer before each norm scales exactly with the input, the norm removes that scale, and
# the same net is at chance. The Pre-LN net solves the task with or without a final LayerNorm:
# with one, its head too sees vectors of one length, and the scale again survives in the
# direction (the branch outputs, computed from normalised copies, do not scale with the input,
# while `stem(x)` does).
#
# So the rule is not "Pre-LN keeps the scale, Post-LN loses it". The scale is lost for good only
# where everything before a norm is *positively homogeneous* in the input's scale, i.e. adds
# nothing fixed that stays the same when the input is scaled: a norm on the raw input, or
# bias-free linear and ReLU layers before it. The source's con is half true: LayerNorm does
# discard each token's mean and scale, and a model that needs them must keep them somewhere;
# in ordinary nets the biases and the branches usually do.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When to choose what
#
# | choice | use it when | avoid it, or take care, when | evidence |
# |---|---|---|---|
# | **BatchNorm** | CNNs trained with large batches of fixed-size inputs | small or variable batches, variable-length sequences, generating one token at a time: its statistics come from the batch, so an example's output depends on the others and training differs from inference | [02](02_layer_normalization.ipynb) |
# | **LayerNorm** | Transformers and RNNs; any batch size, even 1; identical in training and inference | a task needs a vector's absolute scale and everything before the norm scales with the input, e.g. a norm on raw features (see [above](#What-LayerNorm-discards)) | [02](02_layer_normalization.ipynb), this notebook |
# | **RMSNorm** | where LayerNorm goes, when speed matters (most recent LLMs): no centering, no bias, `4d` instead of `7d` FLOPs | the saving in time needs a fused kernel: here `nn.RMSNorm` runs as several small operations and keeps more memory than the fused `nn.LayerNorm` ([measured above](#Compute-and-memory)) | [02](02_layer_normalization.ipynb), this notebook |
# | **Post-LN** (`x = LN(x + f(x))`) | the original Transformer and BERT; shallow stacks, with learning-rate warm-up | deep stacks, or no warm-up: large gradients near the output at initialisation (Xiong et al. 2020) and an output that is sensitive to every layer (Liu et al. 2020); the two disagree on the cause: Liu et al. argue that this amplification, not unbalanced gradients, is the root cause of Post-LN's instability | [03](03_transformer_residual_layernorm.ipynb) |
# | **Pre-LN** (`x = x + f(LN(x))`) | the default for deep Transformers and LLMs (GPT-2 onwards): stable as depth grows; in Xiong et al.'s (2020) BERT and translation settings it trained without warm-up, but large Pre-LN LLMs still use it (GPT-3; LLaMA, 2,000 steps) | it needs a final norm before the head; the stream grows with depth, so each later block changes it relatively less | [03](03_transformer_residual_layernorm.ipynb) |
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

# %% [markdown] slideshow={"slide_type": "notes"}
# Things to try: width 16 against width 128 (LayerNorm's time ratio falls while the memory ratios
# stay nearly put); depth 1 against depth 8 (the residual net's memory ratio stays 1.00; the
# norm variants' grow, towards 1.5 for LayerNorm and 2 for RMSNorm, because the stem and the
# head, the same in every variant, weigh less); batch size leaves the FLOP and memory ratios
# unchanged (both are per token) but not the time ratios: at width 16 the norms' ratio rose with
# the batch in [the batch ablation](#Compute-and-memory), so the jitter of the explorer's few
# passes is not the only thing that moves them.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source
#
# Question 4's list, item by item (the source's words, then ours):
#
# | the source says | verdict | what the measurement shows |
# |---|---|---|
# | Residual pro: *提高训练效率* ("better training efficiency: it learns identity mappings across layers, so training is faster") | **half-true** | fewer steps and less compute time (each step is only slightly slower): about 2.5x fewer steps than a He-initialised plain net, more against PyTorch's default initialisation ([training speed](#Training-speed)); the identity path is built in, not learned |
# | Residual pro: *缓解梯度消失和爆炸* ("relieves vanishing and exploding gradients") | **half-true** | fixes vanishing; without a norm the stream and its gradients grow with depth ([00](00_start_here.ipynb), [01](01_residual_connections.ipynb)) |
# | Residual pro: *增强模型泛化能力* ("better generalisation, by capturing complex features") | **half-true** | at equal parameter count the residual net learned a different solution and overfit no more than the plain one; how much better it tested depends on the plain net's initialisation ([overfitting](#Overfitting)); one toy, not a law; its established gift is that deeper nets become trainable |
# | Residual con: *增加参数数量，可能导致过拟合* ("more parameters, may overfit") | **wrong** (the premise) | identity shortcuts: 0 parameters; projections: under 1% of ResNet-34 ([parameters](#Parameters)); in our test the residual net overfit no more than the plain one of the same size ([overfitting](#Overfitting)) |
# | Residual con: *计算复杂度增加，可能导致训练时间增加* ("more computation, longer training") | **wrong** in FLOPs, **small** in time | one add per feature, `1/(4d)` of a two-layer branch's FLOPs; more in time than in FLOPs (element-wise work costs far more per FLOP than a matmul), yet training to a given loss takes *less* compute time ([training speed](#Training-speed)); no extra activation memory with a standard branch, one more per block if the branch ends in a ReLU ([cost](#Compute-and-memory)) |
# | LN pro: *提高训练稳定性* ("more stable training, by reducing the variance of the gradient computation") | **right** (the conclusion); the stated mechanism (降低梯度方差) is wrong | every layer's input keeps its scale; gradients of one order across layers ([00](00_start_here.ipynb), [02](02_layer_normalization.ipynb), [03](03_transformer_residual_layernorm.ipynb)) |
# | LN pro: *加快训练速度* ("faster training, by reducing the variance of the gradient computation") | **half-true** | fewer steps and, with `nn.LayerNorm`, less compute time than a plain net at PyTorch's default initialisation, but against a He-initialised plain net no reliable gain in steps: here LN mostly makes training robust to a badly scaled initialisation; an op-by-op LayerNorm costs much more per step ([training speed](#Training-speed)); the stated mechanism is not what LN does ([02](02_layer_normalization.ipynb)) |
# | LN pro: *增强模型泛化能力* ("better generalisation: more robust to changes of the input") | **half-true** | invariant to re-scaling and shifting *each* vector, not to a shift of a feature across the data set ([above](#What-LayerNorm-discards)); not a regulariser: no noise, same in training and inference ([02](02_layer_normalization.ipynb)) |
# | LN con: *增加计算开销* ("extra computation, longer training") | **small in FLOPs; not small in time** at small widths unless fused | `7d` FLOPs per token next to `2d^2` per linear layer, shrinking with width; more in time than in FLOPs, a lot more at toy widths unless fused; one saved activation per norm ([cost](#Compute-and-memory)) |
# | LN con: *可能导致信息丢失* ("may lose information") | **half-true** | it discards each vector's mean and scale, nothing else; lost for good only where everything before the norm scales with the input (a norm on the raw input, bias-free layers); otherwise the scale survives in the direction, behind Post-LN and a final norm alike ([what LayerNorm discards](#What-LayerNorm-discards)) |
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
# **Exercise 2: price the add.** A block's branch is `nn.Linear(512, 512)`, a ReLU, and another
# `nn.Linear(512, 512)`, as in this notebook's nets. By what fraction does the identity shortcut
# increase the block's forward FLOPs? Count a multiply-add as 2 FLOPs and ignore the biases and
# the activation. (A fraction, e.g. `0.01` for 1%.)

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
# ### 15 seconds
# **EN.** Residual connections make deep nets trainable at almost no cost (no parameters, one add
# per feature, no extra memory with a standard block) but leave the stream unnormalised;
# LayerNorm keeps every layer's input at a fixed scale for stable training that is robust to a
# badly scaled initialisation, at an `O(d)` cost per token that is larger in time than in FLOPs,
# and it discards each token's mean and scale.
#
# **中文。** 残差连接几乎不增加代价（无参数、每个特征一次加法，标准残差块也不多占激活内存），却能让深层网络变得可训练，但残差流本身不做归一化；层归一化让每层输入保持固定尺度，训练更稳，对初始化尺度不当也更鲁棒，代价是每个 token `O(d)` 的计算（其耗时占比高于 FLOPs 占比），并且会丢掉每个 token 的均值和尺度。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 seconds: three points
# **EN.**
# 1. **Residual: the pros are real, the costs are small.** The identity path carries signal and
#    gradient past every block: our 6-block MLP reached a He-initialised plain net's final loss
#    in about 2.5x fewer steps (about a quarter of the steps against PyTorch's default
#    initialisation, which handicaps the plain net), and won in compute time too. An identity
#    shortcut has no parameters, costs `1/(4d)` of a two-layer branch's FLOPs and, with a branch
#    ending in a linear layer, no extra activation memory; 1x1 projections, only where the shape
#    changes, are under 1% of a ResNet-34. Its real limit: the stream is not normalised and grows
#    with depth unless a norm or the initialisation holds it.
# 2. **No extra parameters, so no extra overfitting from parameters.** At equal parameter count
#    our residual net overfit no more than the plain one; it learned a different solution
#    (different inductive bias). One toy, not a general law.
# 3. **LayerNorm: stable and robust to the initialisation, but each step costs more, and it drops
#    two numbers.** `7d` FLOPs per token next to `2d^2` per linear layer, but memory-bound, so it
#    costs more in time than in FLOPs (`nn.LayerNorm` made our narrow net's step about 1.2-1.4x
#    as long; an op-by-op version 2.4-2.7x), and it keeps one activation per norm. RMSNorm needs
#    fewer FLOPs, but saves time only with a good kernel. LayerNorm discards exactly each token's
#    mean and scale; they are lost for good only where everything before the norm scales with the
#    input, otherwise they survive in the vector's direction. Pre-LN is the default for deep
#    stacks (with a final norm).
#
# **中文。**
# 1. **残差连接：好处实实在在，代价很小**。恒等路径让信号和梯度直接越过每个块：我们的 6 块 MLP 达到 He 初始化普通网络最终损失所需的步数约少 2.5 倍（若与 PyTorch 默认初始化的普通网络比，只需约四分之一的步数，但默认初始化本身拖累了普通网络），算上每步耗时也更省。恒等捷径连接（shortcut）没有参数，FLOPs 只占两层分支的 `1/(4d)`；分支以线性层结尾时，也不多占激活内存；只有形状改变处才需要 1x1 投影，其参数在 ResNet-34 中占比不到 1%。真正的局限是残差流不做归一化，若没有归一化层或合适的初始化，残差流的激活会随深度增大。
# 2. **不加参数，也就谈不上“参数多导致过拟合”**。参数量相同时，我们的残差网络过拟合并不比普通网络严重；它学到的是另一个解（归纳偏置不同）。这只是一个玩具实验，不能当作普遍规律。
# 3. **层归一化：更稳、对初始化更鲁棒，但每步更贵，而且会丢掉两个数**。每个 token `7d` 次浮点运算，而每个线性层是 `2d^2`；但它受内存带宽限制（memory-bound），耗时占比高于 FLOPs 占比（在我们的窄网络里，`nn.LayerNorm` 让每步耗时变为约 1.2 到 1.4 倍，逐算子实现的版本则是 2.4 到 2.7 倍），且每个归一化层要多存一份激活；RMSNorm 的 FLOPs 更少，但只有实现得好（如融合算子）才真正省时间。层归一化丢掉的恰好是每个 token 的均值和尺度；只有当归一化之前的所有运算都随输入尺度等比缩放时，尺度才彻底丢失，否则它会保留在向量的方向里。深层模型默认用 Pre-LN（末尾再加一个归一化层）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Follow-ups an interviewer is likely to ask
# **Q:** Does a residual connection add parameters? **A:** An identity shortcut none; a 1x1 projection `in x out` (+ `out` biases), only where the shape changes.
#
# **Q:** Does it cost activation memory? **A:** Not with a branch ending in a linear layer (the sum replaces the branch output); one activation per block if the branch ends in a ReLU.
#
# **Q:** Same parameters, so the same model? **A:** No: same count, different inductive bias; the nets learn different solutions, and which generalises better depends on the task.
#
# **Q:** Why is LayerNorm slower than its FLOPs suggest? **A:** It is memory-bound: it reads and writes every activation for a few FLOPs each, in several kernels unless fused.
#
# **Q:** Does Pre-LN need warm-up? **A:** Xiong et al. (2020) trained it without warm-up in BERT and translation; large Pre-LN LLMs still use it (GPT-3; LLaMA, 2,000 steps).
#
# **Q:** What information does LayerNorm lose? **A:** Each token's mean and scale, nothing else; lost for good only if everything before the norm scales with the input (no bias or other fixed term upstream).
#
# ### 追问
# **问**：残差连接会增加参数吗？**答**：恒等捷径连接不增加；只有形状改变处的 1x1 投影增加 `in x out` 个权重（另加 out 个偏置）。
#
# **问**：会多占激活内存吗？**答**：分支以线性层结尾时不会（相加的结果取代了分支输出）；分支以 ReLU 结尾时每块多存一份激活。
#
# **问**：参数量相同，模型就等价吗？**答**：不等价：参数量相同，归纳偏置不同，学到的解也不同，哪个泛化更好取决于任务。
#
# **问**：为什么层归一化的实际耗时比 FLOPs 反映的多？**答**：它受内存带宽限制：每读写一个激活值只做几次运算，未融合时还要分成好几个算子。
#
# **问**：Pre-LN 需要学习率预热（warm-up）吗？**答**：在 Xiong 等人（2020）的 BERT 和机器翻译实验中，Pre-LN 不用预热也能训练；但大型 Pre-LN 语言模型仍然使用预热（GPT-3；LLaMA 预热 2000 步）。
#
# **问**：层归一化会丢失什么信息？**答**：只丢每个 token 的均值和尺度；只有当归一化之前的所有运算都随输入尺度等比缩放（上游没有偏置等固定项）时，才真正丢失。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Sec. 3.2:
#   identity shortcuts add no parameters; Sec. 4.1 and Table 3: shortcut options A, B and C,
#   mirrored by the [parameter count](#Parameters).)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450. (Table 1: invariances,
#   used in [what LayerNorm discards](#What-LayerNorm-discards).)
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS. (RMSNorm: no
#   re-centering, `4d` instead of `7d` FLOPs; their implementations ran 7% to 64% faster than
#   LayerNorm; the [cost](#Compute-and-memory) section counts and times PyTorch's.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML. (In their
#   BERT and translation settings Post-LN needs warm-up and Pre-LN trained without it; in the
#   [decision table](#When-to-choose-what).)
# - Brown et al. (2020). *Language Models are Few-Shot Learners* (GPT-3) and Touvron et al. (2023).
#   *LLaMA.* (Pre-LN models trained with learning-rate warm-up; LLaMA: 2,000 steps.)
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV. (Fig. 4c,
#   "ReLU before addition", the branch of our [memory ablation](#Where-the-memory-goes).)
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP. (Post-LN's dependence on its residual branches; they argue this amplification, not
#   unbalanced gradients, is the root cause of its instability.)
# - Korthikanti et al. (2022). *Reducing Activation Recomputation in Large Transformer Models.*
#   (Sec. 4.1: activation memory of a Transformer layer, term by term.)

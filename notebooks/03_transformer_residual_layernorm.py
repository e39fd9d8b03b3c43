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
# # 03 · Residual connections and LayerNorm inside the Transformer
#
# **题目（原文）：** 请解释 Transformer 模型中的残差连接和层规范化的作用。
#
# **The question:** what do residual connections and layer normalization do in a Transformer?
#
# The source says that residuals let the model go deep and ease vanishing and exploding
# gradients, that LayerNorm makes training stable and fast, and it gives a Transformer layer in
# code. That layer has no residual connection at all: its `x = x + x` adds the branch to itself.
# The source also never says *where* the norm goes, and that choice (Post-LN or Pre-LN) decides
# whether a deep Transformer trains without a learning-rate warm-up. This notebook re-creates the
# source's layer and measures what it loses, checks our Post-LN and Pre-LN blocks against
# PyTorch's own layer, reproduces the depth scaling of Xiong et al. (2020) at toy scale, trains
# deep Transformers with and without warm-up, and measures what Pre-LN's growing residual stream
# costs.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Residual connections** wrap every sublayer: `x + attention(x)`, `x + ffn(x)`. They carry
#   each token's vector from the embedding to the output untouched by any weight matrix, so the
#   token's identity and position survive many layers, and the gradient reaches the first layers.
#   Without them, attention averages the positions together layer after layer, and after a few
#   layers every position holds the same vector.
# - **LayerNorm** rescales each token's vector to zero mean and unit variance (then a learned gain
#   and bias). It keeps the scale of the signal fixed however many layers are stacked.
# - **Where the norm sits matters.** *Post-LN* (the original Transformer):
#   `x = LN(x + sublayer(x))`. *Pre-LN* (GPT-2 and most language models since):
#   `x = x + sublayer(LN(x))`, plus one final LN before the output head.
# - At initialisation a Post-LN model's gradients near the output do not shrink with depth, while
#   a Pre-LN model's shrink like `1/sqrt(L)` (Xiong et al. 2020). Deep Post-LN models need a
#   learning-rate warm-up to train; Pre-LN models train without one.
# - Pre-LN's price: nothing normalises the residual stream, so it grows with depth, each later
#   layer changes it by a smaller fraction, and the final LN is needed before the head.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np

import resnorm
from resnorm.exercises import check, hint, solution
from resnorm.experiments.encoder_layer_equality import compare_with_torch_encoder_layer
from resnorm.experiments.init_gradients import run_init_gradients
from resnorm.experiments.residual_stream import run_residual_stream
from resnorm.experiments.source_layer import (
    multihead_attention_returns_a_tuple,
    run_source_stack,
    zero_branch_outputs,
)
from resnorm.experiments.warmup import WARMUP_CONFIGS, run_warmup
from resnorm.figures.transformer_residual_layernorm import (
    draw_placement_explorer,
    make_placement_explorer,
    plot_init_gradients,
    plot_residual_stream,
    plot_source_stack,
    plot_warmup,
)
from resnorm.models import TransformerBlock
from resnorm.widgets import static_figure

resnorm.setup(seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The source's layer, re-created
#
# The source's code (question 3), as printed:
#
# ```python
# def forward(self, x, mask=None):
#     x = self.norm1(x)
#     x = self.dropout(self.attn(x, x, x, mask=mask))
#     x = x + x
#     x = self.norm2(x)
#     x = self.dropout(self.feed_forward(x))
#     x = x + x
#     return x
# ```
#
# After the second line, `x` is the attention output: the layer's input has been overwritten.
# `x = x + x` then doubles the attention output instead of adding it to the input. The same
# happens around the feed-forward net. There is no residual connection left.
#
# Two smaller problems: `MultiHeadAttention` and `PositionwiseFeedForward` are not defined in the
# snippet, and if `self.attn` is PyTorch's `nn.MultiheadAttention`, the call fails. It returns a
# tuple (output, attention weights), and its mask keyword is `attn_mask`, not `mask`:

# %% slideshow={"slide_type": "-"}
kind, error = multihead_attention_returns_a_tuple()
print(f"nn.MultiheadAttention(...)(x, x, x) returns a {kind}")
print(f"nn.Dropout applied to it: TypeError: {error}")
assert kind == "tuple" and "tuple" in error

# %% [markdown] slideshow={"slide_type": "subslide"}
# `resnorm.models.TransformerBlock` has all three wirings in one `forward`, with the same
# parameters (`placement="source"` is the source's layer, with working attention):

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(TransformerBlock.forward))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Test 1: branches that output zero
#
# Set the last layer of both branches (the attention's output projection and the FFN's second
# linear layer) to zero, so that both branches output exactly 0. A block with working residual
# connections must then pass its input through. Pre-LN returns `x` exactly. Post-LN returns
# `LN(LN(x))`, the input normalised. The source's layer returns zero: the input is gone.

# %% slideshow={"slide_type": "-"}
zero = zero_branch_outputs()
checks = {
    "post": ("LN(LN(x))", zero.max_difference("post", zero.layer_norm_of_input(2))),
    "pre": ("x", zero.max_difference("pre", zero.x)),
    "source": ("0", zero.max_difference("source", 0 * zero.x)),
}
for placement, (expected, difference) in checks.items():
    shown = "exactly 0" if difference == 0 else ("< 1e-5" if difference < 1e-5 else f"{difference:.2g}")
    print(f"{placement:6s}: output = {expected:9s} (largest difference {shown}), "
          f"||output|| / ||x|| = {zero.relative_size(placement):.2f}")

# %% slideshow={"slide_type": "fragment"}
assert checks["pre"][1] == 0.0, "Pre-LN with zero branches is the identity"
assert checks["post"][1] < 1e-5, "Post-LN with zero branches normalises its input twice"
assert zero.relative_size("source") == 0.0, "the source's layer outputs exactly zero"
assert zero.relative_size("post") > 0.5, "Post-LN keeps the input (normalised)"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Test 2: a stack of layers at initialisation
#
# Stacks of 1 to 16 layers of each kind, with PyTorch's default initialisation, embeddings and a
# linear head (`resnorm.models.TinyTransformer`, width 32, 4 heads). Each gets 32 sequences of
# 8 tokens from the *reverse* task (output the input backwards) and one backward pass; 3 seeds.
# Left: how much of the head's input still differs between the positions of one sequence (0
# means every position gets the same vector). Right: the gradient that reaches the token
# embeddings.

# %% slideshow={"slide_type": "subslide"}
stack = run_source_stack(depths=(1, 2, 4, 8, 16), seeds=range(3))
_ = plot_source_stack(stack)

# %% slideshow={"slide_type": "fragment"}
spread, grad = stack.position_spread, stack.embedding_grad
deep = list(stack.depths).index(16)
ratio16 = grad["source"][:, deep] / np.minimum(grad["post"][:, deep], grad["pre"][:, deep])
print(f"share that differs between positions, 2 layers: source {spread['source'][:, 1].max():.2f} at most, "
      f"Post-LN {spread['post'][:, 1].min():.2f} and Pre-LN {spread['pre'][:, 1].min():.2f} at least")
print(f"from 4 layers on, source: at most {spread['source'][:, 2:].max():.0e}")
print(f"16 layers, source's embedding gradient / the correct blocks': at most {ratio16.max():.2f}")

assert np.all(spread["source"][:, 1] < 0.1), "source: two layers already erase the positions"
assert np.all(spread["source"][:, 2:] < 1e-3), "source: from 4 layers on, every position is the same"
assert np.all(spread["post"] > 0.5) and np.all(spread["pre"] > 0.5), "residual blocks keep the positions"
assert np.all(ratio16 < 0.3), "source: much less gradient reaches the input of a deep stack"

# %% [markdown] slideshow={"slide_type": "-"}
# At initialisation, attention weights are nearly uniform, so the attention output is close to the
# *average* of the values over the positions: about the same vector for every position. In a
# correct block, the residual connection adds this average to each token's own vector, which
# still carries its token and position. In the source's layer nothing carries them past the
# attention, so the differences between positions shrink at every layer. Dong et al. (2021)
# proved that attention without skip connections loses rank doubly exponentially with depth.
# A stack that gives every position the same output cannot reverse a sequence; and the gradient
# that reaches the embeddings fades, because every path back to the input has to pass through
# every branch.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Post-LN and Pre-LN, checked against PyTorch
#
# The two correct arrangements, with `attn` and `ffn` the sublayers (dropout omitted):
#
# | | one block | after the last block |
# |---|---|---|
# | **Post-LN** (Vaswani et al. 2017) | `x = LN1(x + attn(x))`; `x = LN2(x + ffn(x))` | nothing (the last block ends with an LN) |
# | **Pre-LN** (GPT-2, Radford et al. 2019) | `x = x + attn(LN1(x))`; `x = x + ffn(LN2(x))` | a final `LN(x)` before the head |
#
# PyTorch has both in `nn.TransformerEncoderLayer`: `norm_first=False` is Post-LN,
# `norm_first=True` is Pre-LN. Our block names its parameters like PyTorch's, so we load
# PyTorch's weights into ours (`load_state_dict(..., strict=True)`) and compare the outputs and
# input gradients on one batch, in training mode and in eval mode, where PyTorch uses its fused
# fast path.

# %% slideshow={"slide_type": "-"}
comparisons = {
    "Post-LN vs norm_first=False": compare_with_torch_encoder_layer("post"),
    "Pre-LN  vs norm_first=True": compare_with_torch_encoder_layer("pre"),
    "Post-LN vs norm_first=True": compare_with_torch_encoder_layer("post", norm_first=True),
    "source  vs norm_first=True": compare_with_torch_encoder_layer("source", norm_first=True),
}
for label, c in comparisons.items():
    worst = max(c.output_diff, c.eval_output_diff, c.input_grad_diff)
    print(f"{label}: same {c.n_parameters} weights, largest difference "
          f"{'< 1e-5' if worst < 1e-5 else f'{worst:.1f}'}")

# %% slideshow={"slide_type": "fragment"}
for label in ("Post-LN vs norm_first=False", "Pre-LN  vs norm_first=True"):
    c = comparisons[label]
    assert max(c.output_diff, c.eval_output_diff, c.input_grad_diff) < 1e-5, label
for label in ("Post-LN vs norm_first=True", "source  vs norm_first=True"):
    assert comparisons[label].output_diff > 0.1, f"{label}: a different wiring of the same weights"

# %% [markdown] slideshow={"slide_type": "-"}
# Same weights, same parameter count: Post-LN, Pre-LN and the source's layer differ only in the
# order of additions and norms. The last two lines show that this order changes the output
# completely.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Gradients at initialisation (Xiong et al. 2020)
#
# Xiong et al. (2020, Theorem 1) look at the gradient of the last layer's second FFN matrix,
# $W^{2,L}$ (our `blocks[-1].linear2.weight`), at initialisation, for a model of $L$ layers:
#
# - Post-LN: $\|\partial \mathcal{L} / \partial W^{2,L}\|_F \le O(d\sqrt{\ln d})$, **independent of $L$**;
# - Pre-LN: $\|\partial \mathcal{L} / \partial W^{2,L}\|_F \le O\big(d\sqrt{\ln d / L}\big)$, **shrinking like $1/\sqrt{L}$**.
#
# Why: a Pre-LN stream is the sum of what every block added, so its size grows like $\sqrt{L}$,
# and the final LN divides the gradient by that size. In Post-LN the last block ends with its own
# LN, whose input has the same size at any depth. They confirm both in their Fig. 3, together
# with each layer's gradient in a 6-layer model.
#
# Our version: `TinyTransformer` models of width 32 (4 heads, FFN width 64) with 2 to 24
# blocks, five seeds, a cross-entropy loss on the head (not a loss that the final LN makes
# scale-free). We use the initialisation the theorem assumes: Xavier weights, zero biases, and
# small embeddings (standard deviation 0.02, as in GPT-2), so that the stream is built by the
# blocks. The theorem is about the loss of one input, so we measure each sequence's own gradient
# and report the root mean square over 32 sequences.

# %% slideshow={"slide_type": "subslide"}
init_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), seeds=range(5))
_ = plot_init_gradients(init_grads)

# %% slideshow={"slide_type": "fragment"}
slopes = {p: init_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"{label}: log-log slope of the last block's gradient vs L: median {init_grads.median_slope(p):+.2f}, "
          f"seeds {slopes[p].min():+.2f} to {slopes[p].max():+.2f}")
post12, pre12 = init_grads.per_layer["post"], init_grads.per_layer["pre"]
near_output = post12[:, -1] / pre12[:, -1]
post_spread = post12.max(axis=1) / post12.min(axis=1)
pre_fall = pre12[:, -1] / pre12[:, 0]
print(f"12 blocks: Post-LN's last-block gradient / Pre-LN's: {near_output.min():.1f} to {near_output.max():.1f}")
print(f"12 blocks: Post-LN largest / smallest block: at most {post_spread.max():.1f}; "
      f"Pre-LN last / first block: at most {pre_fall.max():.2f}")

assert np.all(np.abs(slopes["post"]) < 0.25), "Post-LN: the last block's gradient is about independent of L"
assert np.all((slopes["pre"] > -0.75) & (slopes["pre"] < -0.35)), "Pre-LN: about 1/sqrt(L) on every seed"
assert abs(init_grads.median_slope("pre") + 0.5) < 0.15, "Pre-LN: median slope close to -1/2"
assert np.all(near_output > 1.5), "Post-LN's output-side gradients are larger than Pre-LN's"
assert np.all(post_spread < 3.5), "Post-LN: every block's gradient within a small factor (level)"
assert np.all(pre_fall < 0.6), "Pre-LN: the gradient falls from the first block to the last"

# %% [markdown] slideshow={"slide_type": "-"}
# The depth scaling of Theorem 1 holds at toy scale: the Post-LN slope is close to 0, the Pre-LN
# slope close to -1/2, on every seed. At 12 blocks the Post-LN model's last block gets a gradient
# several times larger than the Pre-LN model's, and the gap widens like $\sqrt{L}$. A large,
# depth-independent gradient near the output is what Xiong et al. blame for Post-LN's need for
# warm-up (section 4).
#
# The per-layer picture (left) differs from theirs. In their Fig. 3 the Post-LN gradient grows
# with the layer index and the Pre-LN gradient is level across layers. Here the Post-LN gradient
# is about level, and the Pre-LN gradient *falls* from the first block to the last: the first
# blocks see a thin stream, and the LayerNorms at their inputs scale the gradient up. We have not
# found which difference in setting causes this: width (32 here, 512 there), random tokens
# instead of text, or an encoder alone instead of an encoder-decoder. So we assert the depth scaling of the theorem and describe the per-layer shapes
# as measured, not as the paper's.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### With PyTorch's default initialisation
#
# PyTorch gives `Linear` layers Kaiming-uniform weights and `nn.Embedding` standard normal
# entries, so the embeddings start with a mean square of about 2 per entry (token plus position),
# much bigger than what each block adds. Does the trend survive?

# %% slideshow={"slide_type": "-"}
default_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), init="default", seeds=range(3))
default_slopes = {p: default_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"PyTorch defaults, {label}: slopes {default_slopes[p].min():+.2f} to {default_slopes[p].max():+.2f}")

# %% slideshow={"slide_type": "fragment"}
assert np.all(np.abs(default_slopes["post"]) < 0.2), "Post-LN: flat with the default init too"
assert np.all(default_slopes["pre"] < -0.05), "Pre-LN: still shrinking with depth"
assert np.all(default_slopes["pre"] > -0.35), "... but far more slowly than 1/sqrt(L) at these depths"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN is flat either way. Pre-LN still shrinks, but much more slowly, because the final LN
# divides by the size of the whole stream, $\|x_L\|^2 \approx \|x_0\|^2 + \sum_l \|f_l\|^2$, and
# with large embeddings the first term dominates until $L$ is large. The $1/\sqrt{L}$ of the
# theorem is the limit in which the blocks' contributions dominate, which GPT-2's small
# embeddings reach at once.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Warm-up: deep Post-LN needs it, Pre-LN does not
#
# Xiong et al. (2020, Fig. 1) show that a Post-LN Transformer trained with Adam without a warm-up
# stage ends far worse than with one, and (Sec. 4) that Pre-LN trains well without warm-up. Here:
# `TinyTransformer` models of 6 blocks (width 16, 4 heads, FFN width 32) learn the *reverse* task
# (8 tokens from a vocabulary of 10). Adam, peak learning rate 0.03, 80 steps of 32 fresh
# sequences, PyTorch's default initialisation, three seeds. Warm-up means a linear ramp of the
# learning rate from 0.03/30 to 0.03 over the first 30 steps. A model that only guesses uniformly
# has a loss of ln 10 ≈ 2.30 nats.

# %% slideshow={"slide_type": "-"}
WARMUP_CONFIGS

# %% slideshow={"slide_type": "subslide"}
warm = run_warmup(WARMUP_CONFIGS, depth=6, lr=0.03, steps=80, seeds=range(3))
_ = plot_warmup(warm)

# %% slideshow={"slide_type": "fragment"}
final = {label: warm.final_loss(label) for label in WARMUP_CONFIGS}
for label, values in final.items():
    print(f"{label:26s} loss over the last 10 steps: {values.min():.2f} to {values.max():.2f} nats")

post_cold, post_warm, pre_cold = (final[label] for label in WARMUP_CONFIGS)
stuck = np.nanmin(warm.losses["Post-LN, no warm-up"][:, 20:])
print(f"Post-LN without warm-up, lowest loss from step 20 on: {stuck:.2f} nats")

assert stuck > 2.0, "Post-LN without warm-up: from step 20 on, never better than about the uniform guess"
assert np.all(post_cold > 2.0), "Post-LN without warm-up: stuck near the uniform guess (ln 10 = 2.30)"
assert np.all(post_warm < 1.0), "Post-LN with warm-up: trains"
assert np.all(pre_cold < 0.3), "Pre-LN without warm-up: trains"
assert all(step is None for steps in warm.diverged_at.values() for step in steps), "no run became NaN"

# %% [markdown] slideshow={"slide_type": "-"}
# Without warm-up, the 6-block Post-LN model does not diverge to `NaN`. It gets stuck: within
# the first 20 steps its loss settles at the uniform guess and stays there. The same model with
# 30 steps of warm-up learns the task, and Pre-LN learns it with no warm-up at all.
#
# This setting (depth, learning rate) was chosen to show the effect clearly; how strong it is
# depends on both, and the explorer below lets you look for the edge. Xiong et al. explain the failure by the large gradients near the output at initialisation
# (section 3); Liu et al. (2020) add that Post-LN leans heavily on its residual branches, so small
# parameter changes are amplified; and Adam's own estimates are noisy in the first steps (Liu et
# al. 2020, RAdam), which a warm-up also hides.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The Pre-LN residual stream grows, and what that costs
#
# In Pre-LN, each block adds its output to the stream and nothing ever normalises the stream
# itself: $x_{l+1} = x_l + f_l(\mathrm{LN}(x_l))$. The branch outputs have about the same size
# at any depth (their input is normalised), so the stream's squared size grows by about the same
# amount at every block. We measure the stream's root-mean-square entry after every block of
# 24-block models at initialisation (the initialisation of section 3, three seeds), and how much
# each block changes it, $\|x_l - x_{l-1}\| / \|x_{l-1}\|$.

# %% slideshow={"slide_type": "subslide"}
stream = run_residual_stream(depth=24, seeds=range(3))
_ = plot_residual_stream(stream)

# %% slideshow={"slide_type": "fragment"}
growth = stream.growth_exponent("pre")
change = stream.relative_change["pre"]
post_rms = stream.rms["post"][:, 1:]
trained_pre = warm.stream_rms["Pre-LN, no warm-up"][:, -1]
trained_post = warm.stream_rms["Post-LN, 30 warm-up steps"][:, -1]
print(f"Pre-LN stream: RMS grows like l^{growth.min():.2f} to l^{growth.max():.2f}")
print(f"Pre-LN: block 2 changes the stream by {np.median(change[:, 1]):.2f} of its size, block 24 by "
      f"{np.median(change[:, -1]):.2f} (medians)")
print(f"Post-LN stream: RMS {post_rms.min():.2f} to {post_rms.max():.2f} after every block")
print(f"after training (section 4), RMS of the last block's output: Pre-LN {trained_pre.min():.0f} to "
      f"{trained_pre.max():.0f}, Post-LN {trained_post.min():.1f} to {trained_post.max():.1f}")

assert np.all((growth > 0.35) & (growth < 0.65)), "Pre-LN: the stream grows about like sqrt(l)"
assert np.all(change[:, -1] < 0.5 * change[:, 1]), "Pre-LN: late blocks change the stream less"
assert np.all(np.abs(post_rms - 1) < 0.05), "Post-LN: the stream is normalised after every block"
assert np.all(trained_pre > 5), "trained Pre-LN: the stream is far above the unit scale of an LN output"
assert np.all(trained_pre > 3 * trained_post), "... and far above the trained Post-LN stream"

# %% [markdown] slideshow={"slide_type": "-"}
# The stream of a Pre-LN model grows about like $\sqrt{l}$, so block 24 changes it by a far smaller
# fraction than block 2. The price:
#
# - **Later layers do less.** A block's output is a smaller and smaller correction to an ever
#   larger stream; in large Pre-LN language models the deepest layers can often be removed with
#   little loss (Sun et al. 2025 call this the curse of depth).
# - **The final norm is not optional.** After training, the Pre-LN stream above is many times
#   larger than a LayerNorm output; the head would see inputs whose scale depends on the depth.
# - **Smaller gradients near the output** (section 3): the final norm divides by the stream's size.
#
# Post-LN has none of these costs, since its stream is normalised after every block, but it pays
# with the warm-up of section 4. DeepNorm, sandwich and Peri-LN placements, and scaled
# initialisations try to get both (notebook 05).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore
#
# A small `TinyTransformer` (1 to 8 blocks, width 16, 4 heads, PyTorch's default initialisation)
# on the reverse task with 4 tokens from a vocabulary of 6, one seed. Left: the gradient norm of
# each block's `W2` (the FFN's output layer) on one batch at initialisation, for all three
# placements at the chosen depth. Right: the first 20 Adam steps of the chosen setting, 32 fresh
# sequences per step; a uniform guess has a loss of ln 6 ≈ 1.79 nats. Try: Post-LN at 6 blocks
# and lr 0.03 with 0, then 10 or 20 warm-up steps; the same with Pre-LN; lr 0.01; 2 and 8 blocks;
# the source's layer. So that it answers at once, the explorer trains only 20 steps and uses
# PyTorch's `nn.LayerNorm` (the same function as our `LayerNorm`, in one operation) and fused
# Adam: a new setting takes 0.15 s (1 block) to 0.3 s (8 blocks). Each setting is trained once
# and kept, so going back to it is instant. The figure below is the default setting, drawn
# without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_placement_explorer, figsize=(11, 3.8))

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_placement_explorer()
explorer

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
print(f"last redraw: {explorer.last_draw_ms:.0f} ms")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source (question 3)
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections let the Transformer go deep (提高网络深度) | **right** | without them, a stack of 4 layers gives every position the same vector, and the gradient reaching the input fades: [§1](#1.-The-source's-layer,-re-created) |
# | residual connections ease vanishing and exploding gradients (缓解梯度消失和爆炸) | **half-true** | they keep the gradient reaching the first layers [§1](#1.-The-source's-layer,-re-created); but the gradient's size still depends on depth and on where the norm sits [§3](#3.-Gradients-at-initialisation-(Xiong-et-al.-2020)), and a deep Post-LN model with residuals and LayerNorm still fails to train without warm-up [§4](#4.-Warm-up:-deep-Post-LN-needs-it,-Pre-LN-does-not) |
# | LayerNorm "lowers the variance in the gradient computation", which makes training stable and fast (降低了梯度计算中的方差) | **half-true** | LN fixes the scale of each token's vector; it does not work on the gradient's variance. Whether training is stable depends on its placement: the same LNs fail (Post-LN, no warm-up) or train (Pre-LN) at the same learning rate [§4](#4.-Warm-up:-deep-Post-LN-needs-it,-Pre-LN-does-not) |
# | code: `x = x + x` after each sublayer | **wrong** | doubles the branch and drops the input: with zero branches the layer outputs 0 instead of its input [§1](#1.-The-source's-layer,-re-created); fix: `x = x + sublayer(...)` (exercises 1 and 2) |
# | code: `self.dropout(self.attn(x, x, x, mask=mask))` | **wrong** | `nn.MultiheadAttention` returns a tuple and takes `attn_mask=`; `MultiHeadAttention` and `PositionwiseFeedForward` are not defined [§1](#1.-The-source's-layer,-re-created) |
# | code: a norm before each sublayer, none at the end | **incomplete** | that is half of Pre-LN; Pre-LN also needs the residual sums and a final norm before the head [§2](#2.-Post-LN-and-Pre-LN,-checked-against-PyTorch), [§5](#5.-The-Pre-LN-residual-stream-grows,-and-what-that-costs) |
# | 解析: the layer "combines residual connections and layer normalization" | **wrong** | the code has no residual connection: its output does not contain its input [§1](#1.-The-source's-layer,-re-created) |
# | (not said) where the norm goes, and warm-up | **missing** | the follow-up every interviewer asks: Post-LN vs Pre-LN [§2](#2.-Post-LN-and-Pre-LN,-checked-against-PyTorch)-[§5](#5.-The-Pre-LN-residual-stream-grows,-and-what-that-costs) |
#
# If the snippet's `LayerNorm` is the source's own class from question 2, it also inherits that
# class's unbiased variance (notebook [02](02_layer_normalization.ipynb)).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each answer cell starts as `answer = ...`; replace the `...`, run the cell, and `check` tells
# you at once whether it is right, and if not, what is wrong. `hint(key)` gives hints.
#
# ### Exercise 1: fix the source's layer
#
# Write `post_ln(block, x)`, the forward pass of a correct Post-LN block, using the parts of a
# `TransformerBlock`: `block.attn(x)` and `block.ffn(x)` (the two sublayers) and `block.norm1`,
# `block.norm2`. `x` has shape `(batch, seq, d_model)`. Then set `answer = post_ln`.

# %% slideshow={"slide_type": "subslide"}
def post_ln(block, x):
    ...  # your code here


answer = ...  # replace ... with post_ln once it is written
passed = check("03.fix_source_layer", answer)

# %% slideshow={"slide_type": "-"}
hint("03.fix_source_layer", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("03.fix_source_layer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: a Pre-LN block
#
# Same parts, now in the Pre-LN arrangement: write `pre_ln(block, x)` and set `answer = pre_ln`.

# %% slideshow={"slide_type": "-"}
def pre_ln(block, x):
    ...  # your code here


answer = ...  # replace ... with pre_ln once it is written
passed = check("03.pre_ln_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("03.pre_ln_block")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("03.pre_ln_block")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: from 4 to 16 blocks
#
# At initialisation, the last block's FFN gradient of a 4-block model is $g_4$. By what factor
# $g_{16}/g_4$ does it change in a 16-block model, according to Theorem 1? Answer with a dict
# `{"post": ..., "pre": ...}`.

# %% slideshow={"slide_type": "-"}
answer = ...  # e.g. {"post": 2.0, "pre": 3.0}
passed = check("03.depth_ratios", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("03.depth_ratios")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("03.depth_ratios")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview answer card
#
# **English.** A Transformer layer has two sublayers, self-attention and a feed-forward net, and
# each is wrapped in a residual connection and a LayerNorm. The residual connection adds the
# sublayer's output to its input, `x + F(x)`. It carries each token's vector through the whole
# stack untouched by weight matrices, so the gradient reaches the first layers, and token and
# position information survive. Without it, attention averages the positions together and a few
# layers make every position identical. LayerNorm normalises each token's vector to zero mean and
# unit variance, with a learned gain and bias, so the scale of the signal stays fixed at any
# depth. Where the norm sits matters. The original Transformer is Post-LN,
# `x = LN(x + F(x))`. GPT-2 and most LLMs since are Pre-LN, `x = x + F(LN(x))`, with one
# final LN before the head. Xiong et al. (2020) showed that at initialisation Post-LN's gradients
# near the output do not shrink with depth while Pre-LN's shrink like `1/sqrt(L)`, and that deep
# Post-LN needs a learning-rate warm-up while Pre-LN trains without one. Pre-LN's price: the
# residual stream is never normalised, so it grows with depth, later layers change it less, and
# the final LN is required. A common bug is writing `x = x + x` after a sublayer. That doubles the
# branch and drops the residual connection.
#
# **中文。** Transformer 的每一层有两个子层：自注意力和前馈网络，每个子层都配有残差连接和
# LayerNorm。残差连接把子层的输出加回它的输入，即 `x + F(x)`。它让每个 token 的向量穿过整个网络而
# 不经过任何权重矩阵，因此梯度能传到最前面的层，token 和位置信息也能一直保留。去掉残差连接，注意力会
# 把各个位置的向量平均到一起，叠几层之后所有位置就变得一模一样。LayerNorm 把每个 token 的向量
# 归一化为均值 0、方差 1，再乘上可学习的增益、加上偏置，使信号的尺度不随层数变化。LayerNorm 放在哪里
# 很关键。原始 Transformer 是 Post-LN：`x = LN(x + F(x))`。GPT-2 以及之后的大多数大模型用 Pre-LN：
# `x = x + F(LN(x))`，并在输出头之前再加一个最终的 LN。Xiong 等人（2020）证明：初始化时，Post-LN 靠近输出
# 的层的梯度不随层数减小，而 Pre-LN 的按 `1/sqrt(L)` 减小；深层 Post-LN 需要学习率预热（warm-up）才能
# 训练，Pre-LN 则不需要。Pre-LN 的代价是残差流从不被归一化，会随深度增大，越靠后的层对它的改变越小，
# 而且必须有最终的 LN。常见错误是在子层之后写 `x = x + x`：这只是把分支翻倍，残差连接就没了。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. (Post-LN: `LayerNorm(x + Sublayer(x))`, Sec. 3.1.)
# - Radford et al. (2019). *Language Models are Unsupervised Multitask Learners* (GPT-2). (Layer
#   norm moved to the input of each sub-block, an extra one after the last block, Sec. 2.3.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.
#   (Theorem 1 and Fig. 3: gradients at initialisation, section 3 here; Fig. 1 and Sec. 4: warm-up,
#   section 4 here.)
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP. (Post-LN's dependence on its residual branches; section 4.)
# - Liu et al. (2020). *On the Variance of the Adaptive Learning Rate and Beyond* (RAdam). ICLR.
#   (Warm-up and Adam's early variance; section 4.)
# - Dong, Cordonnier, Loukas (2021). *Attention is Not All You Need: Pure Attention Loses Rank
#   Doubly Exponentially with Depth.* ICML. (Why the source's layer erases the positions; section 1.)
# - Sun et al. (2025). *The Curse of Depth in Large Language Models.* (Pre-LN's deep layers
#   contribute little; section 5.)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.

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
# **题目（原文）**：请解释 Transformer 模型中的残差连接和层规范化的作用。
#
# **The question:** what do residual connections and layer normalization do in a Transformer?
#
# The source says that residuals let the model go deep and ease vanishing and exploding
# gradients, that LayerNorm makes training stable and fast, and it gives a Transformer layer in
# code. That layer has no residual connection at all: its `x = x + x` adds the branch to itself.
# Its code puts a norm before each sublayer, but the text never discusses *where* the norm goes,
# and that choice (Post-LN or Pre-LN) changes
# how the gradient behaves with depth and, in some settings, whether a deep Transformer trains
# without a learning-rate warm-up. This notebook re-creates the source's layer and measures what
# it loses, checks our Post-LN and Pre-LN blocks against PyTorch's own layer, reproduces the depth
# scaling of Xiong et al. (2020) at toy scale in two input regimes, follows the gradient back to
# the input, trains deep Transformers with and without warm-up, measures what Pre-LN's growing
# residual stream costs, and shows why a Transformer normalises with LayerNorm, not BatchNorm.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The short answer

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **Residual connections** wrap every sublayer: `x + attention(x)`, `x + ffn(x)`. They carry
#   each token's vector past every sublayer, so the token's identity and position survive many
#   layers, and the gradient reaches the first layers. Without them, attention averages the
#   positions together layer after layer, and after a few layers every position holds the same
#   vector.
# - **LayerNorm** rescales each token's vector to zero mean and unit variance (then a learned gain
#   and bias). It uses only that token's own statistics; BatchNorm's batch statistics would let a
#   causal model's later tokens change its earlier outputs, and make padding and batch size change
#   the result.
# - **Where the norm sits matters.** *Post-LN* (the original Transformer):
#   `x = LN(x + sublayer(x))`: the stream is normalised after every sublayer, so its scale is
#   fixed, but the skip path passes through 2L LayerNorms. *Pre-LN* (GPT-2 and most language
#   models since): `x = x + sublayer(LN(x))`, plus one final LN before the head: the skip path is
#   an identity, untouched by any weight or norm, and the stream grows like `sqrt(l)`.
# - At initialisation the gradient of a Post-LN model's last layer (its FFN output matrix) does
#   not shrink with depth, while a Pre-LN model's shrinks like `1/sqrt(L)` once the blocks'
#   contributions outweigh the input (Xiong et al. 2020); the Pre-LN final norm causes that
#   shrink, and the lower layers' gradients are larger. In their BERT and translation experiments
#   Post-LN needed a warm-up and Pre-LN trained without one; large pre-norm models (GPT-3 with
#   LayerNorm, LLaMA with RMSNorm) still use a warm-up.
# - Why Post-LN is fragile is disputed: Xiong et al. blame large gradients near the output; Liu et
#   al. (2020) argue that unbalanced gradients are not the root cause and that Post-LN's heavy
#   dependence on its residual branches amplifies every parameter update.
# - Each placement has a price. Pre-LN: the stream grows, each later layer changes it by a smaller
#   fraction, and the head's input needs its scale fixed (GPT-2 adds a final LN, which is also
#   what makes the last layer's gradient shrink with depth). Post-LN: at initialisation the
#   gradient reaches the lower layers mostly through the branches, the more so the deeper the
#   model, since the skip path alone loses some of it at every LayerNorm.

# %% slideshow={"slide_type": "skip"}
import inspect

import numpy as np

import resnorm
from resnorm.exercises import check, hint, solution
from resnorm.experiments.causal_batch_norm import run_causal_batch_norm
from resnorm.experiments.encoder_layer_equality import compare_with_torch_encoder_layer
from resnorm.experiments.init_gradients import (
    UNIT_SCALE_EMBEDDING_STD,
    run_init_gradients,
    run_stream_gradients,
)
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
    plot_stream_gradients,
    plot_warmup,
)
from resnorm.models import TransformerBlock
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(5)

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
# `LN(LN(x))`, the input normalised. The source's layer returns zero: the input is gone. These
# checks are demonstrations: each holds by construction of its wiring, and they make visible what
# the source's wiring throws away.

# %% slideshow={"slide_type": "-"}
zero = zero_branch_outputs(seed=SEEDS[0])
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
# Stacks of 1, 2, 4 and 16 layers of each kind, with PyTorch's default initialisation, embeddings and a
# linear head (`resnorm.models.TinyTransformer`, width 32, 4 heads). Each gets 32 sequences of
# 8 tokens from the *reverse* task (output the input backwards) and one backward pass; 5 seeds.
# The stack of $L$ layers is the first $L$ layers of one 16-layer stack per seed and kind, with
# its head (a fresh $L$-layer stack; as in section 3, one forward pass serves every depth).
# The source's stack differs from a Pre-LN stack in more than the residual connection: it has no
# final norm and doubles its last FFN output. So we add a control that changes only the residual
# connection: Pre-LN with the `x +` of both sums removed, final norm kept (`residual=False`).
# Left: how much of the head's input still differs between the positions of one sequence (0
# means every position gets the same vector). Right: the gradient that reaches the token
# embeddings.

# %% slideshow={"slide_type": "subslide"}
stack = run_source_stack(depths=(1, 2, 4, 16), placements=("post", "pre", "source", "pre_no_residual"),
                         seeds=SEEDS)
_ = plot_source_stack(stack)

# %% slideshow={"slide_type": "fragment"}
spread, grad = stack.position_spread, stack.embedding_grad
ratio = grad["source"] / np.minimum(grad["post"], grad["pre"])  # (seeds, depths)
median_ratio = np.median(ratio, axis=0)
print(f"share that differs between positions, 2 layers: source {spread['source'][:, 1].max():.2f} at most, "
      f"Post-LN {spread['post'][:, 1].min():.2f} and Pre-LN {spread['pre'][:, 1].min():.2f} at least")
print(f"from 4 layers on, source: at most {spread['source'][:, 2:].max():.0e}")
print("source's embedding gradient / the correct blocks', median over seeds: "
      + ", ".join(f"{d} layers {r:.2f}" for d, r in zip(stack.depths, median_ratio)))
print(f"16 layers, per seed: {ratio[:, -1].min():.2f} to {ratio[:, -1].max():.2f}")


control = np.median(grad["pre_no_residual"] / grad["pre"], axis=0)
print("Pre-LN without `x +` / Pre-LN, embedding gradient, median over seeds: "
      + ", ".join(f"{d} layers {r:.2f}" for d, r in zip(stack.depths, control)))
print(f"Pre-LN without `x +`, share that differs between positions from 4 layers on: at most "
      f"{spread['pre_no_residual'][:, 2:].max():.0e}")

assert np.all(spread["source"][:, 1] < 0.1), "source: two layers already erase the positions"
assert np.all(spread["source"][:, 2:] < 1e-3), "source: from 4 layers on, every position is the same"
assert np.all(spread["post"] > 0.5) and np.all(spread["pre"] > 0.5), "residual blocks keep the positions"
assert median_ratio[-1] < 0.3, "source: much less gradient reaches the input of a 16-layer stack (median)"
assert median_ratio[-1] < 0.5 * median_ratio[0], "source: and the shortfall grows with depth"
assert np.all(spread["pre_no_residual"][:, 2:] < 1e-3), "control: removing only the `x +` erases the positions"
assert control[-1] < 0.5 and control[-1] < 0.3 * control[0], "control: and the input's gradient fades with depth"

# %% [markdown] slideshow={"slide_type": "-"}
# Attention's output at each position is a weighted *average* of the values of all positions,
# so it mixes the positions together. In a correct block, the residual connection adds this
# mixture to each token's own vector, which still carries its token and position. In the
# source's layer nothing carries them past the attention, so the differences between positions
# shrink layer after layer. The control shows that the missing `x +` is the cause: Pre-LN with
# only the `x +` removed loses the positions just as fast, and the gradient that reaches its
# embeddings fades with depth too, since every path back to the input now passes through every
# branch (at one layer it is even larger than with the residual; the fading is the trend with
# depth). Dong et al. (2021) proved that *pure* attention (no skip connections and no MLPs) loses
# rank doubly exponentially with depth; they also show that MLPs slow that collapse and skip
# connections prevent it. Our blocks have MLPs, and the collapse is still fast. A stack that gives
# every position the same output cannot reverse a sequence. How much the gradient fades varies
# from seed to seed (one batch, one random model), so the claim is about the median over five
# seeds and about its trend with depth.

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
# PyTorch's weights into ours (`load_state_dict(..., strict=True)`) and compare the outputs, in
# training mode and in eval mode (where PyTorch uses its fused fast path), and the input
# gradients of a fixed random read-out, `(output * r).sum()`. (The loss `(output**2).sum()`
# would prove nothing: after a LayerNorm of gain 1 and bias 0 it is the constant $d$ per token,
# up to `eps`, so its gradient is about 0 in both.) The gradients' difference is reported
# relative to their size.

# %% slideshow={"slide_type": "-"}
comparisons = {
    "Post-LN vs norm_first=False": compare_with_torch_encoder_layer("post", seed=SEEDS[0]),
    "Pre-LN  vs norm_first=True": compare_with_torch_encoder_layer("pre", seed=SEEDS[0]),
    "Post-LN vs norm_first=True": compare_with_torch_encoder_layer("post", norm_first=True, seed=SEEDS[0]),
    "source  vs norm_first=True": compare_with_torch_encoder_layer("source", norm_first=True, seed=SEEDS[0]),
}
for label, c in comparisons.items():
    worst = max(c.output_diff, c.eval_output_diff)
    print(f"{label}: same {c.n_parameters} weights, largest output difference "
          f"{'< 1e-5' if worst < 1e-5 else f'{worst:.1f}'}, input gradient (size {c.input_grad_scale:.1f}) "
          f"differs by {'< 1e-5' if c.relative_input_grad_diff < 1e-5 else f'{c.relative_input_grad_diff:.2f}'} "
          f"of its size")

# %% slideshow={"slide_type": "fragment"}
for label in ("Post-LN vs norm_first=False", "Pre-LN  vs norm_first=True"):
    c = comparisons[label]
    assert max(c.output_diff, c.eval_output_diff) < 1e-5, label
    assert c.input_grad_scale > 1 and c.relative_input_grad_diff < 1e-5, f"{label}: same input gradient"
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
# Why: a Pre-LN stream is the input plus what every block added, and the final LN divides the
# gradient by the stream's size. Their Lemma 2 assumes an input of unit scale and bounds that
# size: $(1 + L/2)\,d \le \mathbb{E}\|x_L\|^2 \le (1 + 3L/2)\,d$. The gradient then goes like
# $1/\sqrt{1 + cL}$, which is $1/\sqrt{L}$ only once $cL$ outgrows the input's 1. In Post-LN the
# last block ends with its own LN, whose input has the same size at any depth.
#
# Our version: `TinyTransformer` models of width 32 (4 heads, FFN width 64) with 2 to 24
# blocks, five seeds, a cross-entropy loss on the head (not a loss that the final LN makes
# scale-free), Xavier weights and zero biases as in the theorem. We run two input regimes on the
# same weights and data: GPT-2's small embeddings (standard deviation 0.02, so the stream is built
# by the blocks) and the theorem's unit-scale input (token plus position embedding of variance 1
# per entry). The theorem is about the loss of one input, so we measure each sequence's own
# gradient and report the root mean square over 32 sequences. The model of $L$ blocks is the
# first $L$ blocks of one freshly initialised 24-block model per seed, with the final norm and the
# head: each is a fresh $L$-block model, and the depths of one seed differ in nothing but depth
# (one forward pass serves them all).

# %% slideshow={"slide_type": "subslide"}
init_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=0.02, seeds=SEEDS)
_ = plot_init_gradients(init_grads)

# %% slideshow={"slide_type": "fragment"}
slopes = {p: init_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"{label}: log-log slope of the last block's gradient vs L, per seed {slopes[p].min():+.2f} to "
          f"{slopes[p].max():+.2f}, median {init_grads.median_slope(p):+.2f}")
post12, pre12 = init_grads.per_layer["post"], init_grads.per_layer["pre"]
near_output = post12[:, -1] / pre12[:, -1]
post_spread = post12.max(axis=1) / post12.min(axis=1)
pre_fall = pre12[:, -1] / pre12[:, 0]
print(f"12 blocks: Post-LN's last-block gradient / Pre-LN's: {near_output.min():.1f} to {near_output.max():.1f}")
print(f"12 blocks: Post-LN largest / smallest block: at most {post_spread.max():.1f}; "
      f"Pre-LN last / first block: at most {pre_fall.max():.2f}")

assert abs(init_grads.median_slope("post")) < 0.2, "Post-LN: median slope within +-0.2: about independent of L"
assert abs(init_grads.median_slope("pre") + 0.5) < 0.15, "Pre-LN: median slope close to -1/2"
assert np.all(slopes["pre"] < slopes["post"] - 0.3), "on every seed, Pre-LN's gradient falls with L, Post-LN's does not"
assert np.all(near_output > 1.5), "Post-LN's output-side gradients are larger than Pre-LN's"
assert np.all(post_spread < 3.5), "Post-LN: every block's gradient within a small factor (level)"
assert np.all(pre_fall < 0.6), "Pre-LN: the gradient falls from the first block to the last"

# %% [markdown] slideshow={"slide_type": "-"}
# With small embeddings the depth scaling of Theorem 1 holds at toy scale. Each seed's slope is
# measured on one model (its depths are prefixes of it), and we assert the median of these
# slopes: Post-LN's is within ±0.2 of 0 (single seeds range from about -0.1 to +0.25, slightly
# positive on most), Pre-LN's close to -1/2, and on every seed Pre-LN's is the lower. At 12 blocks the Post-LN model's last block gets a
# gradient several times larger than
# the Pre-LN model's. A large, depth-independent gradient near the output is what Xiong et al.
# blame for Post-LN's need for warm-up (section 4).
#
# The per-layer picture (left) differs from their Fig. 3, where the Post-LN gradient grows with
# the layer index and the Pre-LN gradient is level. Here the Post-LN gradient is about level and
# the Pre-LN gradient *falls* from the first block to the last. A block's $W^2$ gradient is the
# gradient arriving at its output times its hidden activations, whose size the LN at the block's
# input fixes; so this shape is the shape of the gradient with respect to the stream, which we
# measure at the end of this section (level in Post-LN, growing towards the input in Pre-LN). We
# have not found which difference from their setting changes the picture, so we assert the shapes
# we measure, not theirs. The differences: width 32 instead of 512, random tokens instead of
# text, an encoder alone instead of their 6-6 encoder-decoder, and the statistic: their Fig. 3
# plots the norm of the *expected* gradient (averaged over mini-batches first), we plot the root
# mean square of each example's own gradient norm.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The theorem's regime: unit-scale inputs
#
# The same weights and data (the first three seeds), with embeddings scaled so that the input to
# the first block has variance 1 per entry, as Lemma 2 assumes. We also record the size of the
# stream that the final LN divides by, $\mathrm{RMS}(x_L) = \|x_L\|/\sqrt{d}$. The final LN's
# Jacobian scales the gradient by $1/\|x_L\|$ (Xiong et al.'s Lemma 3), so the product of the
# gradient and $\mathrm{RMS}(x_L)$ should not depend on $L$ in either regime: a consistency
# check, close to true by construction, not an ablation (that follows below).

# %% slideshow={"slide_type": "-"}
unit_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=UNIT_SCALE_EMBEDDING_STD,
                                seeds=SEEDS[:3])
unit_slopes = {p: unit_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"unit-scale input, {label}: slope per seed {unit_slopes[p].min():+.2f} to "
          f"{unit_slopes[p].max():+.2f}, median {unit_grads.median_slope(p):+.2f}")
shallower = unit_slopes["pre"] - slopes["pre"][:3]  # the same seeds: same weights and data
print("Pre-LN, unit-scale slope - small-embedding slope, per seed: "
      + ", ".join(f"{v:+.2f}" for v in shallower))
corrected = {name: np.median(result.stream_corrected_slopes("pre"))
             for name, result in (("embeddings 0.02", init_grads), ("unit scale", unit_grads))}
print("Pre-LN, slope of gradient x RMS(x_L) vs L (median over seeds): "
      + ", ".join(f"{name} {value:+.2f}" for name, value in corrected.items()))
growth = np.polyfit(unit_grads.depths, np.median(unit_grads.stream_rms["pre"] ** 2, axis=0), 1)[0]
print(f"unit scale, Pre-LN: ||x_L||^2 / d grows by {growth:.2f} per block (Lemma 2's bounds: 1/2 to 3/2)")

# %% slideshow={"slide_type": "fragment"}
assert abs(unit_grads.median_slope("post")) < 0.2, "Post-LN: independent of L in this regime too"
assert np.median(shallower) > 0, "Pre-LN: shallower with unit-scale inputs (median of the paired differences)"
assert unit_grads.median_slope("pre") < -0.2, "... but it still falls with depth"
assert all(abs(value) < 0.2 for value in corrected.values()), "consistency check: gradient x RMS(x_L) is flat"
assert 0.5 <= growth <= 1.5, "consistent with Lemma 2: the squared size grows by d/2 to 3d/2 per block"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN is flat in both regimes: its first LN normalises the input, whatever its scale. With
# unit-scale inputs the Pre-LN slope over 2 to 24 blocks is shallower than with small
# embeddings on the same weights and data, as $1/\sqrt{1 + cL}$ predicts: the input's own size
# still counts at small $L$, and the slope approaches $-1/2$ only as $L$ grows (on single seeds
# the difference can be about 0, so we assert the median of the paired differences).
# So Theorem 1's $1/\sqrt{L}$ is the deep limit; how soon it is reached depends on the size of
# the input (GPT-2's small embeddings reach it at once). Multiplied by the stream's size, the
# gradient is flat in both regimes, as the consistency check expects.
#
# The stream's squared size grows linearly in $L$ at a rate inside Lemma 2's bounds: *consistent
# with* Lemma 2, not a test of it, because our model does not meet its assumptions. Xiong et al.
# assume one head with $W^Q = W^K = 0$ (uniform attention) and every matrix $d \times d$; ours has
# 4 heads with Xavier $W^Q, W^K$ and an FFN of width $2d$. With Xavier weights and width $2d$ the
# FFN alone adds about $(4/9)\,d$ per block, below the lemma's $d/2$; the attention adds the rest.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The ablation: remove the final norm
#
# If the final LN's division by the stream's size is what makes the Pre-LN gradient shrink with
# depth, a Pre-LN model without it should lose the $-1/2$ slope. The same weights and data as
# above (small embeddings, the first three seeds), with the final norm replaced by the identity.

# %% slideshow={"slide_type": "-"}
no_final = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=0.02, placements=("pre",),
                              final_norm=False, seeds=SEEDS[:3])
with_norm_slope, no_final_slope = np.median(slopes["pre"][:3]), np.median(no_final.slopes("pre"))
print("Pre-LN, slope of the last block's gradient vs L, per seed: with final norm "
      + ", ".join(f"{v:+.2f}" for v in slopes["pre"][:3]) + "; without "
      + ", ".join(f"{v:+.2f}" for v in no_final.slopes("pre")))

assert no_final_slope > 0, "without the final norm the gradient no longer shrinks with depth (median)"
assert no_final_slope > with_norm_slope + 0.4, "... the final norm makes the difference"

# %% [markdown] slideshow={"slide_type": "-"}
# Without the final norm, the last block's gradient no longer shrinks with depth; it grows a
# little, since the head now sees the whole, growing stream. The $1/\sqrt{L}$ of Theorem 1 is
# the final norm's doing. That norm is what GPT-2 adds after the last block; it fixes the scale
# of the head's input, which otherwise grows like $\sqrt{L}$ (section 5).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The gradient on its way to the input
#
# Xiong et al.'s theorem is about the layers next to the output. What reaches the input? We
# measure $\|\partial \mathcal{L} / \partial x_l\|$, the gradient with respect to the residual
# stream before the first block ($l = 0$) and after every block, in models of 6 and 24 blocks at
# initialisation (unit-scale inputs, three seeds). To see what the skip path does on its own, we
# repeat each measurement with the input of every attention and FFN detached, so that the gradient
# can reach a lower block only along the skip path (the forward pass is unchanged). In Pre-LN
# that path is an identity; in Post-LN it passes through 2L LayerNorms, and each divides the
# gradient by the size of the sum it normalises.

# %% slideshow={"slide_type": "subslide"}
towards_input = run_stream_gradients(depths=(6, 24), embedding_std=UNIT_SCALE_EMBEDDING_STD, seeds=SEEDS[:3])
_ = plot_stream_gradients(towards_input)

# %% slideshow={"slide_type": "fragment"}
ratios = {(p, path, d): towards_input.input_over_output(p, path, d)
          for p in ("post", "pre") for path in ("all", "skip") for d in (6, 24)}
per_norm = {d: ratios[("post", "skip", d)] ** (1 / (2 * d)) for d in (6, 24)}
for (p, path, d), r in ratios.items():
    label = f"{'Post-LN' if p == 'post' else 'Pre-LN'}, {'all paths' if path == 'all' else 'skip path only'}"
    print(f"{label:27s} {d:2d} blocks: gradient at the input / at the output, median {np.median(r):.2g} "
          f"(seeds {r.min():.2g} to {r.max():.2g})")
print(f"Post-LN skip path: factor per LayerNorm {per_norm[6].min():.2f} to {per_norm[6].max():.2f} (6 blocks), "
      f"{per_norm[24].min():.2f} to {per_norm[24].max():.2f} (24 blocks)")

assert np.all(ratios[("post", "skip", 24)] < 0.01), "Post-LN: the skip path alone loses the gradient"
assert all(np.all((f > 0.75) & (f < 0.95)) for f in per_norm.values()), "... by about the same factor per LN"
assert all(0.3 < np.median(ratios[("post", "all", d)]) < 3 for d in (6, 24)), "Post-LN: the branches carry it back"
assert all(np.all(ratios[("pre", "all", d)] > 1.5) for d in (6, 24)), "Pre-LN: the gradient grows towards the input"
assert all(np.all(ratios[("pre", "skip", d)] == 1) for d in (6, 24)), "demonstration: Pre-LN's skip path is an identity"

# %% [markdown] slideshow={"slide_type": "-"}
# Along its skip path alone, a Post-LN model loses the gradient geometrically: every LayerNorm
# multiplies it by a factor below 1, the same at 6 and at 24 blocks, so 48 of them leave less than
# 1% of it (at 6 blocks about a quarter still arrives). With all paths open it arrives at about
# its size at the output, because each branch's own Jacobian adds back about what the LN took
# away at initialisation (the ablation: cut the branches and much less arrives). So a Post-LN
# model gets its gradient to the lower layers *mostly through its branches*, the more so the
# deeper it is (at initialisation); nothing guarantees that balance once training changes the
# branches.
# Liu et al. (2020) find gradient vanishing in deep Post-LN translation models (in the decoder),
# Xiong et al. (Fig. 3) see the Post-LN gradient shrink towards the input, and Wang et al. (2019)
# trace the difficulty of deep Post-LN encoders to this product of LayerNorm Jacobians; our
# encoder at initialisation does not show the loss, and we claim no more than we measured.
#
# In Pre-LN the last line is a demonstration, true by construction: the skip path is an identity,
# so the output's gradient reaches every block whole, and each branch adds its own on top. That
# is why the Pre-LN gradient *grows* towards the input, and why its first blocks' $W^2$ gradients
# above were the largest.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Warm-up: here deep Post-LN needs it, Pre-LN does not
#
# Xiong et al. (2020, Sec. 3.2, Fig. 2) show that a Post-LN Transformer trained without a warm-up
# stage ends far worse than with one (IWSLT14 German-English with Adam: BLEU 8.45 without warm-up,
# about 34 with it), and (Sec. 4) that Pre-LN trains well without warm-up in their BERT and
# translation experiments. That is a finding for those settings, not a rule: large Pre-LN
# language models still use a warm-up (GPT-3, Brown et al. 2020; LLaMA, Touvron et al. 2023,
# pre-norm with RMSNorm instead of LayerNorm, 2,000 steps).
#
# Here: `TinyTransformer` models of 6 blocks (width 16, 4 heads, FFN width 32) learn the
# *reverse* task (4 tokens from a vocabulary of 6). Adam, peak learning rate 0.03, 40 steps of
# 32 fresh sequences, PyTorch's default initialisation, three seeds. Warm-up means a linear ramp
# of the learning rate from 0.03/15 to 0.03 over the first 15 steps. A model that only guesses
# uniformly has a loss of ln 6 ≈ 1.79 nats. A control: a 2-block Post-LN model without warm-up
# (is it depth that breaks Post-LN?).

# %% slideshow={"slide_type": "-"}
WARMUP_CONFIGS

# %% slideshow={"slide_type": "subslide"}
warm = run_warmup(WARMUP_CONFIGS, depth=6, lr=0.03, steps=40, seeds=SEEDS[:3])
_ = plot_warmup(warm)

# %% slideshow={"slide_type": "fragment"}
final = {label: warm.final_loss(label) for label in WARMUP_CONFIGS}
for label, values in final.items():
    print(f"{label:33s} loss over the last 10 steps: {values.min():.2f} to {values.max():.2f} nats")

post_cold, post_warm, pre_cold, post_shallow = (final[label] for label in WARMUP_CONFIGS)
stuck = np.nanmin(warm.losses["Post-LN, no warm-up"][:, 10:])
print(f"Post-LN without warm-up, lowest loss from step 10 on: {stuck:.2f} nats")
gain = post_cold - post_warm
print(f"6-block Post-LN, final loss without warm-up minus with it, per seed: {gain.min():.2f} to {gain.max():.2f} nats")

assert stuck > 1.3, "Post-LN without warm-up: from step 10 on, never far below the uniform guess"
assert np.all(post_cold > 1.3), "Post-LN without warm-up: stuck near the uniform guess (ln 6 = 1.79)"
assert np.all(post_warm < 1.0), "Post-LN with warm-up: trains"
assert np.all(gain > 0.5), "on every seed, the same model ends far lower with warm-up than without"
assert np.all(pre_cold < 0.3), "Pre-LN without warm-up: trains"
assert np.all(post_shallow < 0.5), "control: 2-block Post-LN trains without warm-up, so depth matters"
assert all(step is None for steps in warm.diverged_at.values() for step in steps), "no run became NaN"

# %% [markdown] slideshow={"slide_type": "-"}
# Without warm-up, the 6-block Post-LN model does not diverge to `NaN`. It gets stuck: within
# the first 10 steps its loss settles near the uniform guess and stays above 1.3 nats (most
# seeds at the guess itself). The same model with 15 steps of warm-up gets well below it on every
# seed, though 40 steps are not enough for all seeds to finish the task, and Pre-LN learns it
# with no warm-up at all. The 2-block Post-LN model learns without warm-up: what fails is the
# *deep* Post-LN model.
#
# This setting (depth, learning rate) was chosen to show the effect clearly; how strong it is
# depends on both (at lr 0.01 the 6-block Post-LN model trains without warm-up), and the explorer
# below lets you look for the edge. That Pre-LN needs no warm-up holds here and in Xiong et al.'s
# experiments; it is not a law of Pre-LN models.
#
# *Why* Post-LN fails here is disputed, and this experiment does not decide it:
#
# - **Xiong et al. (2020):** the gradients near the output are large at initialisation and do not
#   shrink with depth (section 3), so the first full-size steps are too big; warm-up keeps them
#   small until the model has moved away from its initialisation.
# - **Liu et al. (2020, "Understanding the Difficulty of Training Transformers"):** unbalanced
#   gradients are not the root cause: in their experiments, fixing the gradient vanishing alone
#   did not stabilise Post-LN (and Adam rescales each parameter's step, so a gradient's size
#   alone says little about the size of the update). The cause they give is
#   *amplification*: a Post-LN layer depends heavily on its residual branch, so a small change of
#   the parameters becomes a large change of the output, growing with depth (measured in notebook
#   [05](05_beyond_the_interview.ipynb)).
# - Adam's own estimates are noisy in the first steps (Liu et al. 2020, RAdam), which a warm-up
#   also hides. Xiong et al. argue against this being the whole story: in their Fig. 2 warm-up
#   also helps a Post-LN model trained with plain SGD, which has no such estimates.
#
# What our experiments support: section 3 reproduces the gradient scaling that Xiong et al.'s
# argument starts from, and section 3's last part shows that a Post-LN model gets its gradient to
# the lower layers mostly through its branches: a backward view of the reliance on the branches
# that Liu et al.'s argument starts from (they measure it forward, as the branch's share of each
# sum). The
# training runs here fail without warm-up and succeed with it, which both explanations predict,
# so they cannot tell them apart.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The Pre-LN residual stream grows, and what that costs
#
# In Pre-LN, each block adds its output to the stream and nothing ever normalises the stream
# itself: $x_{l+1} = x_l + f_l(\mathrm{LN}(x_l))$. The branch outputs have about the same size
# at any depth (their input is normalised), so the stream's squared size grows by about the same
# amount at every block. We measure the stream's root-mean-square entry after every block of
# 24-block models at initialisation (section 3's weights, small embeddings, three seeds), and how much
# each block changes it, $\|x_l - x_{l-1}\| / \|x_{l-1}\|$.

# %% slideshow={"slide_type": "subslide"}
stream = run_residual_stream(depth=24, seeds=SEEDS[:3])
_ = plot_residual_stream(stream)

# %% slideshow={"slide_type": "fragment"}
growth = stream.growth_exponent("pre")
change = stream.relative_change["pre"]
post_rms = stream.rms["post"][:, 1:]
trained_pre = warm.stream_rms["Pre-LN, no warm-up"][:, -1]
trained_post = warm.stream_rms["Post-LN, 15 warm-up steps"][:, -1]
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
# fraction than block 2. (That the Post-LN stream has RMS 1 after every block is a demonstration:
# a fresh LayerNorm's output has it by construction.) The price:
#
# - **Later layers do less.** A block's output is a smaller and smaller correction to an ever
#   larger stream; in large Pre-LN language models the deepest layers can often be removed with
#   little loss (Sun et al. 2025 call this the curse of depth).
# - **The head's input needs its scale fixed.** After training, the Pre-LN stream above is many
#   times larger than a LayerNorm output; without a final norm the head would see inputs whose
#   scale depends on the depth. GPT-2 adds that norm (below), the standard fix.
# - **Smaller gradients near the output** (section 3): the final norm divides by the stream's size;
#   without it the last layer's gradient does not shrink with depth.
#
# Post-LN avoids these, since its stream is normalised after every sublayer, but it has costs of
# its own: its skip path passes through 2L LayerNorms, so at initialisation the gradient reaches
# the lower layers mostly through the branches, increasingly with depth (section 3), each layer
# leans on its branch (Liu et al. 2020), and
# here it needed the warm-up of section 4. DeepNorm, sandwich and Peri-LN placements, and scaled
# initialisations try to get the best of both (notebook 05).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The two placements in practice: BERT and GPT-2
#
# - **BERT** (Devlin et al. 2019) uses the original Transformer encoder layer of Vaswani et al.
#   (2017): Post-LN, each block ending with a LayerNorm, so no final norm is needed. It is trained
#   with a learning-rate warm-up over the first 10,000 steps, the remedy that our 6-block
#   Post-LN model needed in section 4.
# - **GPT-2** (Radford et al. 2019, Sec. 2.3) moves the LayerNorm to the input of each sub-block
#   (Pre-LN) and adds one more LayerNorm after the last block. Sections 3 and 5 show what that
#   last norm does in a Pre-LN model: the stream it receives grows with depth (like $\sqrt{L}$ at
#   initialisation, and far above an LN output's scale after training), and the final norm hands
#   the head an input of fixed scale at any depth; it is also what makes the last layer's
#   gradient shrink like $1/\sqrt{L}$ (the ablation of section 3). We have not tested whether a
#   Pre-LN model trains without it, so we call it the standard fix, not a necessity.
#
# What reaches the input in a deep Post-LN model is measured in section 3 ("The gradient on its
# way to the input"): along the skip path alone it shrinks geometrically with depth, and at
# initialisation the branches carry it back.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Why not BatchNorm in a Transformer?
#
# BatchNorm (Ioffe and Szegedy 2015) normalises each feature with a mean and variance taken over
# the batch. In a Transformer the natural version takes them over every token of every sequence
# in the batch (`resnorm.models.TokenBatchNorm`); LayerNorm takes them from each token's own
# vector. In a *causal* model, a language model that predicts each token from the ones before it,
# batch statistics break the model's one promise: position $t$ must not see later tokens.
#
# The test: the same small causal Pre-LN Transformer (2 blocks, width 16, 4 heads, PyTorch's
# default initialisation; `causal=True` masks the attention) with BatchNorm or LayerNorm
# everywhere, a batch of 8 sequences of 8 random tokens, three seeds, forward passes only. We
# change only the *last* token of the first sequence and measure how much the outputs (logits)
# change at its earlier positions and at every position of the other sequences. Then two
# practical cases: the same sequences with 4 pad tokens appended to each, and a model run in eval
# mode or on one sequence alone, as at inference. Every change is the largest change of a logit
# relative to the logits' RMS; 0 means not a single output moved. BatchNorm in eval mode, with
# running statistics fixed per feature (averaged over 20 other batches), is the ablation: the
# same norm without batch statistics.

# %% slideshow={"slide_type": "subslide"}
bn = run_causal_batch_norm(seeds=SEEDS[:3])


def shown(values):
    """A few digits, and exactly 0 said as such."""
    return "exactly 0" if np.all(values == 0) else f"{values.min():.2g} to {values.max():.2g}"


for label in bn.earlier_positions:
    print(f"{label:24s} last token of sequence 1 changed: its earlier positions "
          f"{shown(bn.earlier_positions[label])}, other sequences {shown(bn.other_sequences[label])}; "
          f"4 pads appended: {shown(bn.padding[label])}")
for norm, label in (("batch", "BatchNorm"), ("layer", "LayerNorm")):
    print(f"{label}: eval mode vs training mode {shown(bn.eval_vs_training[norm])}; "
          f"one sequence alone vs in its batch {shown(bn.alone_vs_in_batch[norm])}")

# %% slideshow={"slide_type": "fragment"}
train_bn = "BatchNorm, training mode"
assert np.all(bn.earlier_positions[train_bn] > 0.01), "BN: a later token changes earlier positions"
assert np.all(bn.other_sequences[train_bn] > 0.01), "BN: ... and the other sequences of the batch"
assert np.all(bn.padding[train_bn] > 0.1), "BN: padding changes the outputs at the real tokens"
for label in ("BatchNorm, eval mode", "LayerNorm"):
    assert np.all(bn.earlier_positions[label] < 1e-6), f"{label}: the future does not leak"
    assert np.all(bn.other_sequences[label] < 1e-6), f"{label}: the other sequences do not move"
    assert np.all(bn.padding[label] < 1e-6), f"{label}: padding changes nothing"
assert np.all(bn.eval_vs_training["batch"] > 0.1), "BN: inference (running statistics) differs from training"
assert np.all(bn.alone_vs_in_batch["batch"] > 0.1), "BN: a batch of one differs from the same sequence in a batch"
assert np.all(bn.eval_vs_training["layer"] < 1e-6) and np.all(bn.alone_vs_in_batch["layer"] < 1e-6), \
    "LN: the same output in any mode and any batch"

# %% [markdown] slideshow={"slide_type": "-"}
# In training mode, BatchNorm lets information flow where the causal mask forbids it: changing
# the last token of one sequence moves the outputs at that sequence's earlier positions and at
# every position of the other sequences, by a few percent of the logits' size. A language model
# trained that way could learn to read the future through the statistics. Padding, which a
# Transformer uses to put sequences of different lengths in one batch, enters the statistics
# too and changes the outputs at the real tokens a lot here (a third of the positions are pads).
# And there is no right batch at inference: eval mode with running statistics gives other
# outputs than training did, and generating for one sequence in training mode gives other outputs
# again. LayerNorm has none of these problems, by design: each token is normalised by its own
# statistics, so nothing depends on the other tokens, the other sequences or the mode (here not
# a single output changed). BatchNorm in eval mode does not leak either, which shows that the
# batch statistics, not the normalization itself, are the cause.
#
# Shen et al. (2020, PowerNorm, Fig. 2) add a training argument: in the first BatchNorm of a
# Transformer trained on IWSLT14, the batch statistics stray far from the running statistics
# throughout training, with extreme outliers, while in a ResNet20 on CIFAR-10 the distance stays
# close to zero. So each step normalises with noisy statistics, and the running statistics used
# at inference do not match the ones seen in training (our reading: the sentences of a batch
# differ far more from each other than a batch of images does). Their fix, Power Normalization,
# drops the mean subtraction and divides by a running quadratic mean instead of the batch's
# statistics (with an approximate backward pass); they report it better than LayerNorm by 0.4
# and 0.6 BLEU on IWSLT14 and WMT14 and by 5.6 and 3.0 perplexity on PTB and WikiText-103.

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
# Adam, so that a new setting is trained and drawn in a fraction of a second. Each setting is
# trained once and kept, so going back to it is instant. The figure below is the default setting, drawn
# without a kernel.

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_placement_explorer, figsize=(11, 3.8))

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_placement_explorer()
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Fact-check of the source (question 3)
#
# | the source says | verdict | evidence |
# |---|---|---|
# | residual connections let the Transformer go deep (提高网络深度) | **right** | without them, a stack of 4 layers gives every position the same vector, and the gradient reaching the input fades with depth (also in a Pre-LN stack with only the `x +` removed): [§1](#1.-The-source's-layer,-re-created) |
# | residual connections ease vanishing and exploding gradients (缓解梯度消失和爆炸) | **half-true** | they keep the gradient reaching the first layers [§1](#1.-The-source's-layer,-re-created); but the gradient's size still depends on depth and on where the norm sits, and in Post-LN the skip path alone loses part of it at every LayerNorm [§3](#3.-Gradients-at-initialisation-(Xiong-et-al.-2020)). Training can still fail for other reasons: here a deep Post-LN model, whose gradient reaches the input at about its output size, gets stuck without warm-up [§4](#4.-Warm-up:-here-deep-Post-LN-needs-it,-Pre-LN-does-not) |
# | LayerNorm "lowers the variance in the gradient computation", which makes training stable and fast (降低了梯度计算中的方差) | **half-true** | LN fixes the scale of each token's vector, and it does rescale the gradient (by about $1/\|x\|$: the final LN of section 3 divides the gradient by the stream's size); "lowers the variance" is vague (Xu et al. 2019 attribute much of LN's benefit to how it re-centres and re-scales gradients in the backward pass). Whether training is stable depends on its placement: here the same LNs fail (Post-LN, no warm-up) or train (Pre-LN) at the same learning rate [§4](#4.-Warm-up:-here-deep-Post-LN-needs-it,-Pre-LN-does-not). That Pre-LN needs no warm-up holds in Xiong et al.'s BERT and translation settings and in ours, not in general: GPT-3 (Pre-LN) and LLaMA (pre-norm with RMSNorm) use warm-up. Why Post-LN is unstable is disputed (Xiong et al.: large gradients near the output; Liu et al.: amplification through the residual branches) |
# | code: `x = x + x` after each sublayer | **wrong** | doubles the branch and drops the input: with zero branches the layer outputs 0 instead of its input [§1](#1.-The-source's-layer,-re-created); fix: `x = x + sublayer(...)` (exercises 1 and 2) |
# | code: `self.dropout(self.attn(x, x, x, mask=mask))` | **wrong** | `nn.MultiheadAttention` returns a tuple and takes `attn_mask=`; `MultiHeadAttention` and `PositionwiseFeedForward` are not defined [§1](#1.-The-source's-layer,-re-created) |
# | code: a norm before each sublayer, none at the end | **incomplete** | that is half of Pre-LN; Pre-LN also needs the residual sums, and GPT-2 adds a final norm before the head [§2](#2.-Post-LN-and-Pre-LN,-checked-against-PyTorch), [§5](#5.-The-Pre-LN-residual-stream-grows,-and-what-that-costs) |
# | 解析: the layer "combines residual connections and layer normalization" | **wrong** | the code has no residual connection: its output does not contain its input [§1](#1.-The-source's-layer,-re-created) |
# | (not said) where the norm goes, and warm-up | **missing** | a common follow-up: Post-LN vs Pre-LN [§2](#2.-Post-LN-and-Pre-LN,-checked-against-PyTorch)-[§5](#5.-The-Pre-LN-residual-stream-grows,-and-what-that-costs) |
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
# Write `fixed_layer(block, x)`, the source's layer with working residual connections, using the
# parts of a `TransformerBlock`: `block.attn(x)` and `block.ffn(x)` (the two sublayers) and
# `block.norm1`, `block.norm2`. `x` has shape `(batch, seq, d_model)`. Keep the source's norms
# where they are or move them: any correct block is accepted. Then set `answer = fixed_layer`.

# %% slideshow={"slide_type": "subslide"}
def fixed_layer(block, x):
    ...  # your code here


answer = ...  # replace ... with fixed_layer once it is written
passed = check("03.fix_source_layer", answer)

# %% slideshow={"slide_type": "-"}
hint("03.fix_source_layer", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# Stuck? Uncomment the line below and run it to see a solution.

# %% slideshow={"slide_type": "-"}
# solution("03.fix_source_layer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: a Post-LN block
#
# Same parts, now in the arrangement of the original Transformer, Post-LN: write
# `post_ln(block, x)` and set `answer = post_ln`. (If your fix in exercise 1 kept the norms before
# the sublayers, it was a Pre-LN block; this is the other placement.)

# %% slideshow={"slide_type": "-"}
def post_ln(block, x):
    ...  # your code here


answer = ...  # replace ... with post_ln once it is written
passed = check("03.post_ln_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("03.post_ln_block")` gives a hint. To see a solution, uncomment and run:

# %% slideshow={"slide_type": "-"}
# solution("03.post_ln_block")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: from 4 to 16 blocks
#
# At initialisation, the last block's FFN gradient of a 4-block model is $g_4$. By what factor
# $g_{16}/g_4$ does it change in a 16-block model, according to Theorem 1, in the limit where the
# blocks' contributions to the stream outweigh the input (GPT-2's small embeddings)? Answer with
# a dict `{"post": ..., "pre": ...}`.

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
# ### 15 seconds
# **EN.** Each sublayer is wrapped as `x + F(x)` so that token information and gradients pass
# through a deep stack, and LayerNorm keeps the scale of what each sublayer (and the head) sees
# under control; where the norm sits, Post-LN `LN(x + F(x))` or Pre-LN `x + F(LN(x))`, decides how
# the gradient behaves with depth and how hard a deep model is to train.
#
# **中文。** 残差连接把每个子层写成 `x + F(x)`，让 token 信息和梯度能穿过很深的网络；层归一化控制每个子层（以及输出头）看到的输入尺度。归一化放在哪里——后置归一化（Post-LN）`LN(x + F(x))` 还是前置归一化（Pre-LN）`x + F(LN(x))`——决定了梯度随深度如何变化，也决定了深层模型是否容易训练。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 seconds: three points
# **EN.**
# 1. The residual connection keeps each token's own vector: without it attention averages the
#    positions together and a few layers make every position identical, and the gradient reaching
#    the input fades. The classic bug `x = x + x` doubles the branch and drops the input.
# 2. Post-LN normalises the stream after every sublayer, so its scale is fixed, but its skip path
#    runs through 2L LayerNorms, and at initialisation the gradient reaches the lower layers
#    mostly through the branches, increasingly with depth. Pre-LN keeps an identity skip path;
#    its stream grows like `sqrt(l)`, later layers change it less, and GPT-2 adds a final LN to
#    fix the scale of the head's input.
# 3. At initialisation the last layer's FFN gradient is independent of depth in Post-LN and
#    shrinks like `1/sqrt(L)` in Pre-LN once the blocks outweigh the input (Xiong et al. 2020);
#    the final LN causes that shrink. In their BERT and translation runs, and in ours, deep
#    Post-LN needed a warm-up and Pre-LN did not; but GPT-3 (Pre-LN) and LLaMA (pre-norm,
#    RMSNorm) still warm up. Why Post-LN is fragile is disputed: Xiong et al. blame the large
#    gradients near the output, Liu et al. (2020) blame amplification through the residual
#    branches.
#
# **中文。**
# 1. 残差连接保住每个 token 自己的向量：去掉它，注意力会把各位置混合到一起；初始化时，几层之后所有位置的向量都相同，传回输入的梯度也越来越弱。常见错误 `x = x + x` 只是把分支翻倍，输入就丢了。
# 2. Post-LN 在每个子层之后对残差流做归一化，尺度固定，但捷径连接要穿过 2L 个层归一化；初始化时梯度主要靠各个分支传回底层，网络越深越是如此。Pre-LN 的捷径连接是恒等映射；残差流按 `sqrt(l)` 增长，越靠后的层改变它越少，GPT-2 在输出头前再加一个层归一化，固定输出头输入的尺度。
# 3. 初始化时，Post-LN 最后一层 FFN 权重（W²）的梯度与深度无关；Pre-LN 在各层的贡献超过输入之后按 `1/sqrt(L)` 减小（Xiong 等人，2020），这个减小来自最终的层归一化。在他们的 BERT 和翻译实验里（以及我们的小实验里），深层 Post-LN 需要学习率预热（warm-up），Pre-LN 不需要；但 GPT-3（Pre-LN）和 LLaMA（前置 RMSNorm）照样用预热。Post-LN 为什么不稳定还有争议：Xiong 等人归因于靠近输出的梯度过大，Liu 等人（2020）认为每层对残差分支依赖过重，参数更新被放大（放大效应）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Follow-ups an interviewer is likely to ask
# **Q:** Does Pre-LN remove the need for warm-up? **A:** In Xiong et al.'s BERT and translation settings, yes; GPT-3 (Pre-LN) and LLaMA (pre-norm with RMSNorm, 2,000 steps) still use it.
#
# **Q:** Is the skip path an identity? **A:** In Pre-LN, yes: the skip path is untouched by any weight or norm (the stream itself still receives every branch's output); in Post-LN it passes through 2L LayerNorms.
#
# **Q:** Why does the last layer's (FFN `W2`) gradient shrink like `1/sqrt(L)` in Pre-LN? **A:** The final LN divides by the stream's size, which grows like `sqrt(L)` (with unit-scale inputs only once L is large); without the final LN it does not shrink. The lower layers' gradients are larger.
#
# **Q:** Do Xiong et al. and Liu et al. agree on why Post-LN is unstable? **A:** No: large output-side gradients versus amplification of updates through heavy dependence on the residual branches.
#
# **Q:** What does Pre-LN cost? **A:** A growing stream and later layers that change it less; GPT-2 adds a final LN to fix the head's input scale.
#
# **Q:** Why not BatchNorm in a Transformer? **A:** Its batch statistics mix tokens: in a causal model a later token changes earlier outputs, padding and batch size change the result, and training and inference disagree; LN normalises each token on its own (Shen et al. 2020 also find NLP batch statistics fluctuate much more than vision's).
#
# ### 追问
# **问**：Pre-LN 就不需要学习率预热了吗？**答**：在 Xiong 等人的 BERT 和翻译实验里是这样；GPT-3（Pre-LN）和 LLaMA（前置 RMSNorm，2000 步）仍然用预热。
#
# **问**：捷径连接是恒等映射吗？**答**：Pre-LN 是：捷径连接不经过任何权重和归一化（残差流本身仍会加上每个分支的输出）；Post-LN 的捷径连接要经过 2L 个层归一化。
#
# **问**：Pre-LN 最后一层 FFN 权重（W²）的梯度为什么按 `1/sqrt(L)` 减小？**答**：最终的层归一化要除以残差流的大小，而它按 `sqrt(L)` 增长（输入尺度为 1 时，要到 L 较大才接近这个规律）；去掉最终的层归一化就不再减小。底层的梯度反而更大。
#
# **问**：Xiong 等人和 Liu 等人对 Post-LN 不稳定的解释一致吗？**答**：不一致：前者说是靠近输出的梯度太大，后者说是每层对残差分支依赖过重，参数更新被放大。
#
# **问**：Pre-LN 的代价是什么？**答**：残差流越来越大，靠后的层作用变小；GPT-2 在输出头前加了最终的层归一化，固定输出头输入的尺度。
#
# **问**：Transformer 为什么不用批归一化？**答**：批统计量把不同 token 混在一起：在因果模型里，后面的 token 会改变前面位置的输出；填充（padding）和批大小都会改变结果，训练和推理的输出也对不上。层归一化只用每个 token 自己的统计量。Shen 等人（2020）还发现，NLP 数据的批统计量在训练中的波动远大于视觉任务。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. (Post-LN: `LayerNorm(x + Sublayer(x))`, Sec. 3.1.)
# - Radford et al. (2019). *Language Models are Unsupervised Multitask Learners* (GPT-2). (Layer
#   norm moved to the input of each sub-block, an extra one after the last block, Sec. 2.3.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.
#   (Theorem 1, Lemmas 2 and 3, Fig. 3: gradients at initialisation, section 3 here; Sec. 3.2
#   and Fig. 2: Post-LN without warm-up, with Adam and with SGD; Sec. 4: Pre-LN trained without
#   warm-up; section 4 here.)
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP. (Unbalanced gradients are not the root cause; Post-LN's dependence on its residual
#   branches amplifies parameter changes; sections 3 and 4.)
# - Liu et al. (2020). *On the Variance of the Adaptive Learning Rate and Beyond* (RAdam). ICLR.
#   (Warm-up and Adam's early variance; section 4.)
# - Dong, Cordonnier, Loukas (2021). *Attention is Not All You Need: Pure Attention Loses Rank
#   Doubly Exponentially with Depth.* ICML. (Pure attention, without skip connections or MLPs,
#   loses rank with depth; MLPs slow it, skip connections prevent it; section 1.)
# - Wang, Li, Xiao, Zhu, Li, Wong, Chao (2019). *Learning Deep Transformer Models for Machine
#   Translation.* ACL. (Deep Post-LN encoders and the product of LayerNorm Jacobians; section 3.)
# - Brown et al. (2020). *Language Models are Few-Shot Learners* (GPT-3); Touvron et al. (2023).
#   *LLaMA: Open and Efficient Foundation Language Models* (pre-norm with RMSNorm, 2,000 warm-up
#   steps). (Pre-norm models trained with warm-up; section 4.)
# - Sun et al. (2025). *The Curse of Depth in Large Language Models.* (Pre-LN's deep layers
#   contribute little; section 5.)
# - Devlin, Chang, Lee, Toutanova (2019). *BERT: Pre-training of Deep Bidirectional Transformers
#   for Language Understanding.* NAACL. (The Post-LN encoder of Vaswani et al., learning-rate
#   warm-up over the first 10,000 steps; section 5.)
# - Ioffe, Szegedy (2015). *Batch Normalization: Accelerating Deep Network Training by Reducing
#   Internal Covariate Shift.* ICML. (Section 6.)
# - Shen, Yao, Gholami, Mahoney, Keutzer (2020). *PowerNorm: Rethinking Batch Normalization in
#   Transformers.* ICML. (Fig. 2: batch statistics fluctuate far more in a Transformer on IWSLT14
#   than in a ResNet on CIFAR-10; Power Normalization; section 6.)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Xu, Sun, Zhang, Zhao, Lin (2019). *Understanding and Improving Layer Normalization.* NeurIPS.
#   (LN's backward pass re-centres and re-scales the gradient; fact-check.)

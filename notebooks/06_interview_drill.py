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
# # 06 · Interview drill: write it, find the bug, answer out loud
#
# **题目：** 面试时，你能在几分钟内从零写出层归一化和残差块、一眼找出代码里的 bug、并把原理讲清楚吗？
#
# **The question:** In an interview, can you write LayerNorm and a residual block from scratch in
# a few minutes, spot the bug in a snippet at a glance, and explain the ideas out loud?
#
# Notebooks 01-05 explain and measure. This one is for practice, in the four formats interviews
# use: coding from a blank cell against the clock, reading someone else's code, short factual
# questions, and spoken answers. The from-scratch checkers compare your module with PyTorch's;
# the spot-the-bug checkers measure the snippet against a PyTorch function or a reference
# written out in the harness; every number the quiz asks for is computed in this notebook, from
# PyTorch's modules and, for two questions, from the course's own models.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How to use the drill
#
# - **Part 1, write it from scratch.** Run the task cell: it states the time box and starts the
#   clock. Write your class in the answer cell, set `answer = YourClass` and run it: the checker
#   compares your module with PyTorch's (outputs, gradients, running statistics), names the
#   typical mistake if it recognises yours, and says how long you took. Below each task a
#   **demo** cell runs the same checker on the course's answer and on one typical wrong answer,
#   so you can see what the feedback looks like.
# - **Part 2, spot the bug.** Each snippet has exactly one bug. Answer with the line number and
#   the corrected line, `answer = (3, "x = x + f(x)")`: the checker runs your corrected code and
#   shows what the bug changes, measured.
# - **Part 3, quick-fire.** Short questions, answered in the page (it also works in the static
#   site, without a kernel). Aim for 10 seconds each.
# - **Part 4, out loud.** Ten spoken questions. Answer aloud with a timer, then grade yourself
#   with the rubric before reading the model answer.
#
# `hint(key)` and `solution(key)` work for every task and snippet. Nothing here needs a network.

# %% slideshow={"slide_type": "skip"}
import torch
import torch.nn.functional as F
from torch import nn

import resnorm
from resnorm import quiz
from resnorm.exercises import get, hint, solution
from resnorm.exercises import interview_bugs as bugs
from resnorm.exercises import interview_drill as drill
from resnorm.experiments.param_count import count_parameters
from resnorm.models import TinyTransformer
from resnorm.norms import LayerNorm, SourceLayerNorm

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(3)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Part 1: write it from scratch
#
# Six tasks, from a three-minute RMSNorm to a ten-minute Transformer block. Each answer is an
# `nn.Module` class whose parameters carry PyTorch's names, because the checker loads the state
# dict of PyTorch's module into yours and then compares the two on the same inputs. That is
# also how you would prove equality in a real code base.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 1: LayerNorm (5 minutes)
#
# `LayerNorm(d, eps=1e-5)` for inputs `(..., d)`: parameters `weight` (ones) and `bias` (zeros),
# of size `d`. Compared with `nn.LayerNorm(d)`: outputs for 2-d, 3-d and tiny inputs, and
# gradients with respect to the input, `weight` and `bias`.

# %% slideshow={"slide_type": "-"}
drill.task("06.layernorm")


# %% slideshow={"slide_type": "-"}
class MyLayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        ...  # your parameters

    def forward(self, x):
        ...  # your code


answer = ...  # replace ... with MyLayerNorm once it is written
passed = drill.check("06.layernorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo** (not your answer): the checker on the course's `resnorm.norms.LayerNorm`, then on a
# typical wrong answer that uses `x.var(-1)`.

# %% slideshow={"slide_type": "-"}
demo = get("06.layernorm")
assert drill.check("06.layernorm", demo.reference())
assert not drill.check("06.layernorm", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 2: RMSNorm (3 minutes)
#
# `RMSNorm(d, eps=1e-6)`: one parameter, `weight` (ones). Compared with
# `nn.RMSNorm(d, eps=1e-6)`, forward and backward, including inputs so small that `eps` matters.

# %% slideshow={"slide_type": "-"}
drill.task("06.rmsnorm")


# %% slideshow={"slide_type": "-"}
class MyRMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # replace ... with MyRMSNorm
passed = drill.check("06.rmsnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo:** the course's `resnorm.norms.RMSNorm`, then a version that subtracts the mean.

# %% slideshow={"slide_type": "-"}
demo = get("06.rmsnorm")
assert drill.check("06.rmsnorm", demo.reference())
assert not drill.check("06.rmsnorm", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 3: BatchNorm1d with running statistics (8 minutes)
#
# `BatchNorm1d(d, eps=1e-5, momentum=0.1)` for inputs `(batch, d)`: parameters `weight`, `bias`;
# buffers `running_mean` (zeros) and `running_var` (ones). In training mode it normalises with
# the batch's statistics and updates the running ones; in eval mode it uses the running ones and
# changes nothing. The checker runs three training batches through yours and through
# `nn.BatchNorm1d(d)`, then two eval-mode calls (a batch, and its first example alone), and
# compares outputs, gradients and both buffers after every step: PyTorch's momentum convention
# and its *unbiased* running variance included.
# (`num_batches_tracked` is optional.)

# %% slideshow={"slide_type": "-"}
drill.task("06.batchnorm")


# %% slideshow={"slide_type": "-"}
class MyBatchNorm1d(nn.Module):
    def __init__(self, d, eps=1e-5, momentum=0.1):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # replace ... with MyBatchNorm1d
passed = drill.check("06.batchnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo:** the course's answer (`solution("06.batchnorm")` shows it), then one that updates
# `running_var` with the biased variance.

# %% slideshow={"slide_type": "-"}
demo = get("06.batchnorm")
assert drill.check("06.batchnorm", demo.reference())
assert not drill.check("06.batchnorm", demo.wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 4: a residual block (4 minutes)
#
# `ResidualBlock(d, d_hidden)`: the pre-norm block `x + linear2(relu(linear1(norm(x))))`, with
# submodules `norm` (LayerNorm of size `d`), `linear1` (`d -> d_hidden`), `linear2`
# (`d_hidden -> d`). Compared with the same block built from `nn.LayerNorm` and `nn.Linear`;
# the caller's input must come back unchanged.

# %% slideshow={"slide_type": "-"}
drill.task("06.residual_block")


# %% slideshow={"slide_type": "-"}
class MyResidualBlock(nn.Module):
    def __init__(self, d, d_hidden):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # replace ... with MyResidualBlock
passed = drill.check("06.residual_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo:** the course's answer, then `x += f(x)`.

# %% slideshow={"slide_type": "-"}
demo = get("06.residual_block")
assert drill.check("06.residual_block", demo.reference())
assert not drill.check("06.residual_block", demo.wrong[4]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 5: multi-head self-attention (10 minutes)
#
# `MultiHeadSelfAttention(d_model, n_heads)`: `forward(x)` maps `(batch, seq, d_model)` to the
# same shape and returns one tensor. Parameters as in `nn.MultiheadAttention`: `in_proj_weight`
# `(3 d_model, d_model)`, `in_proj_bias` `(3 d_model)`, `out_proj` (an `nn.Linear`). Compared with
# `nn.MultiheadAttention(d_model, n_heads, batch_first=True)` through its state dict.

# %% slideshow={"slide_type": "-"}
drill.task("06.attention")


# %% slideshow={"slide_type": "-"}
class MyMultiHeadSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # replace ... with MyMultiHeadSelfAttention
passed = drill.check("06.attention", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo:** the course's `resnorm.models.SelfAttention`, then a version that scales the scores
# by `sqrt(d_model)`.

# %% slideshow={"slide_type": "-"}
demo = get("06.attention")
assert drill.check("06.attention", demo.reference())
assert not drill.check("06.attention", demo.wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Task 6: a Pre-LN Transformer block (10 minutes)
#
# `PreLNBlock(d_model, n_heads, d_ff)`: `x = x + attn(norm1(x)); x = x + ffn(norm2(x))` with
# `ffn = linear2(relu(linear1(.)))`, submodules named as in `nn.TransformerEncoderLayer`
# (`self_attn`, `linear1`, `linear2`, `norm1`, `norm2`; reuse your attention from task 5). The
# state dict of `nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout=0.0,
# batch_first=True, norm_first=True)` must load strictly, and the outputs must agree.

# %% slideshow={"slide_type": "-"}
drill.task("06.pre_ln_block")


# %% slideshow={"slide_type": "-"}
class MyPreLNBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # replace ... with MyPreLNBlock
passed = drill.check("06.pre_ln_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **Demo:** the course's `TransformerBlock(placement="pre")`, then a Post-LN block.

# %% slideshow={"slide_type": "-"}
demo = get("06.pre_ln_block")
assert drill.check("06.pre_ln_block", demo.reference())
assert not drill.check("06.pre_ln_block", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Part 2: spot the bug
#
# Ten snippets, one bug each, about a minute each. Read the snippet, find the line, write the
# corrected line: `answer = (line_number, "corrected line")`. The checker puts your line in
# place, runs the snippet and compares what it measures with the course's fix.

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_inplace_residual")
answer = ...  # (line, "corrected line")
passed = bugs.check("06.bug_inplace_residual", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_wrong_dim")
answer = ...
passed = bugs.check("06.bug_wrong_dim", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_batchnorm_train_mode")
answer = ...
passed = bugs.check("06.bug_batchnorm_train_mode", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_pre_ln_final_norm")
answer = ...
passed = bugs.check("06.bug_pre_ln_final_norm", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_attention_tuple")
answer = ...
passed = bugs.check("06.bug_attention_tuple", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_unbiased_variance")
answer = ...
passed = bugs.check("06.bug_unbiased_variance", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_eps_outside")
answer = ...
passed = bugs.check("06.bug_eps_outside", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_branch_doubled")
answer = ...
passed = bugs.check("06.bug_branch_doubled", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_inplace_relu_shortcut")
answer = ...
passed = bugs.check("06.bug_inplace_relu_shortcut", answer)

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_softmax_dim")
answer = ...
passed = bugs.check("06.bug_softmax_dim", answer)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Demo: the course's fixes, and what each bug changes
#
# Spoilers. The checker accepts each of the course's fixes and prints the bug and its measured
# effect; one wrong answer, `mean = x.mean(0)` for the wrong-dimension snippet (dropping
# `keepdim` changes nothing here), shows the feedback when a fix runs but leaves the bug in place.

# %% slideshow={"slide_type": "-"}
for key in bugs.BUGS:
    assert bugs.check(key, get(key).reference())
assert not bugs.check("06.bug_wrong_dim", get("06.bug_wrong_dim").wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# The difference each bug makes, on three seeds (inputs and weights drawn from each): the
# fixed code measures zero up to rounding, the buggy code does not, or it raises.

# %% slideshow={"slide_type": "fragment"}
effects = {key: [bugs.effect(key, seed=s) for s in SEEDS] for key in bugs.BUGS}
for key, runs in effects.items():
    buggy = ", ".join(r.buggy.short for r in runs)
    print(f"{key[7:]:<24} fixed max {max(r.fixed.value for r in runs):.0e} | buggy: {buggy}")
for key, runs in effects.items():
    for r in runs:
        assert r.fixed.error is None and r.fixed.value < 1e-4, (key, r)
        assert r.buggy.error is not None or r.buggy.value > 0.01, (key, r)
assert all(r.buggy.error.startswith("TypeError") for r in effects["06.bug_attention_tuple"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Part 3: quick-fire
#
# Every number below is computed here and checked, then handed to the quiz; nothing is typed
# in. They come from PyTorch's modules, except the count of norms (the course's
# `TinyTransformer`) and the source text's LayerNorm factor (the course's `SourceLayerNorm`). The quiz itself runs in the page: answer, press Enter or click,
# and the feedback appears, with or without a kernel.

# %% slideshow={"slide_type": "-"}
D_MODEL, N_HEADS, D_FF = 512, 8, 2048
encoder_layer = nn.TransformerEncoderLayer(D_MODEL, N_HEADS, D_FF, dropout=0.0, batch_first=True)
batch_norm = nn.BatchNorm1d(D_MODEL)
tokens = torch.randn(4, 16, D_MODEL)  # (batch, seq, d)
_, ln_mean, _ = torch.native_layer_norm(tokens, (D_MODEL,), None, None, 1e-5)
_, bn_mean, _ = torch.native_batch_norm(tokens.transpose(1, 2), None, None, None, None, True, 0.1, 1e-5)
live = {
    "layernorm_params": count_parameters(nn.LayerNorm(D_MODEL)),
    "rmsnorm_params": count_parameters(nn.RMSNorm(D_MODEL)),
    "batchnorm_params": count_parameters(batch_norm),
    "batchnorm_running": batch_norm.running_mean.numel() + batch_norm.running_var.numel(),
    "layernorm_means": ln_mean.numel(),
    "batchnorm_means": bn_mean.numel(),
    "block_params": count_parameters(encoder_layer),
    "block_norm_params": count_parameters(encoder_layer.norm1) + count_parameters(encoder_layer.norm2),
    "identity_shortcut_params": count_parameters(nn.Identity()),
    "projection_shortcut_params": count_parameters(nn.Conv2d(64, 256, kernel_size=1, bias=False)),
    "norms_in_12_layer_pre_ln": sum(isinstance(m, LayerNorm)
                                    for m in TinyTransformer(10, depth=12, placement="pre").modules()),
}
MHA_D, MHA_HEADS = 64, 4
mha = nn.MultiheadAttention(MHA_D, MHA_HEADS, batch_first=True)
live["mha_head_size"] = MHA_D // MHA_HEADS
x = torch.randn(2, 10, MHA_D)
mha_out, mha_weights = mha(x, x, x)
live["mha_out_shape"], live["mha_weights_shape"] = tuple(mha_out.shape), tuple(mha_weights.shape)

one_feature = nn.BatchNorm1d(1)
one_feature(torch.tensor([[0.0], [0.0], [2.0], [2.0]]))  # one training-mode batch
live["running_mean_after_one_batch"] = one_feature.running_mean.item()
live["running_var_after_one_batch"] = one_feature.running_var.item()
x64 = torch.randn(256, 64)
live["source_layernorm_factor"] = (SourceLayerNorm(64)(x64) / nn.LayerNorm(64)(x64)).median().item()

ln, bn, h = nn.LayerNorm(8), nn.BatchNorm1d(8), torch.randn(16, 8) + 3
train_out = ln.train()(h), bn.train()(h)
eval_out = ln.eval()(h), bn.eval()(h)
live["layernorm_same_in_eval"] = torch.equal(train_out[0], eval_out[0])
live["batchnorm_same_in_eval"] = torch.equal(train_out[1], eval_out[1])
for name, value in live.items():
    print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Each of these is what the definitions say, so the checks below are *demonstrations* that
# PyTorch agrees with the formulas a candidate would use: `2d` for LayerNorm, `d` for RMSNorm, one
# mean per token for LayerNorm and per channel for BatchNorm, `4d² + 2 d d_ff + 9d + d_ff` for an
# encoder layer, `0.1 · mean` and `0.9 + 0.1 · n/(n-1) · var` after one batch,
# `sqrt((d-1)/d)` for the source's LayerNorm.

# %% slideshow={"slide_type": "fragment"}
d, f = D_MODEL, D_FF
assert live["layernorm_params"] == 2 * d and live["rmsnorm_params"] == d
assert live["batchnorm_params"] == 2 * d and live["batchnorm_running"] == 2 * d
assert live["layernorm_means"] == 4 * 16 and live["batchnorm_means"] == d
assert live["block_params"] == 4 * d * d + 2 * d * f + 9 * d + f
assert live["block_norm_params"] == 4 * d and live["identity_shortcut_params"] == 0
assert live["projection_shortcut_params"] == 64 * 256 and live["norms_in_12_layer_pre_ln"] == 2 * 12 + 1
assert live["mha_out_shape"] == (2, 10, MHA_D) and live["mha_weights_shape"] == (2, 10, 10)
assert live["mha_head_size"] == 16  # distinct from 10 (the sequence) and 4 (the heads): no ambiguous option
assert abs(live["running_mean_after_one_batch"] - 0.1 * 1.0) < 1e-6
assert abs(live["running_var_after_one_batch"] - (0.9 + 0.1 * 4 / 3 * 1.0)) < 1e-6
assert abs(live["source_layernorm_factor"] - ((64 - 1) / 64) ** 0.5) < 1e-3
assert live["layernorm_same_in_eval"] and not live["batchnorm_same_in_eval"]

# %% slideshow={"slide_type": "skip"}
questions = [
    quiz.numeric(f"How many parameters does nn.LayerNorm({D_MODEL}) have?", live["layernorm_params"],
                 explanation=f"A gain and a bias per feature: 2 x {D_MODEL}."),
    quiz.numeric(f"How many parameters does nn.RMSNorm({D_MODEL}) have?", live["rmsnorm_params"],
                 explanation="A gain per feature, no bias."),
    quiz.numeric(f"How many trainable parameters does nn.BatchNorm1d({D_MODEL}) have?",
                 live["batchnorm_params"], explanation="A gain and a bias per channel, like LayerNorm."),
    quiz.numeric(f"How many numbers do the running statistics of nn.BatchNorm1d({D_MODEL}) hold "
                 "(running_mean and running_var together)?", live["batchnorm_running"],
                 explanation="A mean and a variance per channel; buffers, not parameters "
                             "(plus the counter num_batches_tracked)."),
    quiz.numeric(f"nn.LayerNorm({D_MODEL}) on an input of shape (4, 16, {D_MODEL}): how many means "
                 "does it compute?", live["layernorm_means"],
                 explanation="One per token: 4 x 16, each over the token's own features."),
    quiz.numeric(f"nn.BatchNorm1d({D_MODEL}) in training mode on an input of shape (4, {D_MODEL}, 16): "
                 "how many means does it compute?", live["batchnorm_means"],
                 explanation="One per channel, over the batch and the length: 4 x 16 values each."),
    quiz.numeric(f"How many parameters does nn.TransformerEncoderLayer({D_MODEL}, {N_HEADS}, {D_FF}) have?",
                 live["block_params"],
                 explanation="Attention 4d² + 4d, FFN 2 d d_ff + d_ff + d, two LayerNorms 4d."),
    quiz.numeric("Of those, how many are in its two LayerNorms?", live["block_norm_params"],
                 explanation="2 x 2d: a rounding error next to the matrices."),
    quiz.numeric("How many parameters does an identity shortcut add to a residual block?",
                 live["identity_shortcut_params"],
                 explanation="None: y = x + F(x) costs one element-wise addition (He et al. 2016)."),
    quiz.numeric("A 1x1 projection shortcut from 64 to 256 channels (no bias): how many parameters?",
                 live["projection_shortcut_params"],
                 explanation="64 x 256; ResNet uses projections only where the shape changes."),
    quiz.numeric("A 12-layer Pre-LN Transformer with its final norm: how many LayerNorms?",
                 live["norms_in_12_layer_pre_ln"], explanation="Two per block plus the final one."),
    quiz.choice(f"nn.MultiheadAttention({MHA_D}, {MHA_HEADS}, batch_first=True)(x, x, x) with x of "
                f"shape (2, 10, {MHA_D}): the shape of the first element of the tuple it returns?",
                str(live["mha_out_shape"]),
                {str(live["mha_weights_shape"]): "that is the second element, the attention weights",
                 str((2, MHA_HEADS, 10, live["mha_head_size"])):
                     "the heads are merged back and projected by out_proj",
                 str((10, 2, MHA_D)): "batch_first=True keeps the batch first"},
                explanation="Same shape as the input: the output of attention."),
    quiz.choice("And the shape of the second element (need_weights=True, the default)?",
                str(live["mha_weights_shape"]),
                {str((2, MHA_HEADS, 10, 10)): "only with average_attn_weights=False; by default the "
                                              "heads are averaged",
                 str(live["mha_out_shape"]): "that is the output",
                 str((2, 10, live["mha_head_size"])): f"{live['mha_head_size']} is the size of each "
                                                      "head's queries and keys, not of the weights"},
                explanation="One weight per (query, key) pair, averaged over the heads."),
    quiz.numeric("A fresh nn.BatchNorm1d(1) sees one training batch with the values 0, 0, 2, 2. "
                 "What is running_mean now?", live["running_mean_after_one_batch"], precision=3,
                 explanation="(1 - 0.1) x 0 + 0.1 x 1: momentum is the new batch's weight."),
    quiz.numeric("And running_var (3 significant digits)?", live["running_var_after_one_batch"],
                 precision=3, explanation="0.9 x 1 + 0.1 x 4/3: the update uses the unbiased "
                                          "variance of the batch, 4/3, not the biased 1."),
    quiz.numeric("The source text's LayerNorm (x.var(), unbiased) at d = 64: its output is "
                 "nn.LayerNorm's times what factor (3 significant digits)?",
                 live["source_layernorm_factor"], precision=3,
                 explanation="sqrt(63/64): the unbiased variance divides by d - 1."),
    quiz.choice("What changes in nn.LayerNorm between model.train() and model.eval()?",
                "nothing" if live["layernorm_same_in_eval"] else "its output",
                {"it switches to running statistics": "LayerNorm keeps none; every token brings its own",
                 "eps is dropped": "eps is the same in both modes"},
                explanation="Same computation in training and inference."),
    quiz.choice("What changes in nn.BatchNorm1d between model.train() and model.eval()?",
                "it normalises with running statistics instead of the batch's, and stops updating them"
                if not live["batchnorm_same_in_eval"] else "nothing",
                {"nothing": "measured above: the outputs differ",
                 "its gain and bias are frozen": "eval() does not freeze parameters; "
                                                 "requires_grad_(False) does"},
                explanation="That is why a model left in training mode predicts differently per batch."),
    quiz.choice("Where does the original Transformer (Vaswani et al. 2017) put LayerNorm?", "Post-LN",
                {"Pre-LN": "Pre-LN came later (tensor2tensor 2018, Wang et al. 2019, Baevski & Auli "
                           "2019, GPT-2 2019; Xiong et al. 2020 analysed it)",
                 "no normalization": "every sub-layer is followed by one"},
                explanation="LayerNorm(x + Sublayer(x)), as BERT also does."),
    quiz.choice("Where does GPT-2 put LayerNorm?", "Pre-LN, plus a final norm",
                {"Post-LN": "GPT-2 moved the norm to each sub-block's input",
                 "Pre-LN, no final norm": "GPT-2 adds a LayerNorm after the last block"},
                explanation="Radford et al. 2019, section 2.3."),
    quiz.choice("Which normalization and placement does LLaMA use?", "Pre-norm with RMSNorm",
                {"Post-LN with LayerNorm": "that is the original Transformer and BERT",
                 "Pre-norm with BatchNorm": "batch statistics do not suit variable-length text"},
                explanation="Touvron et al. 2023, section 2.2."),
]
assert len(questions) >= 15

# %% slideshow={"slide_type": "skip"}
quiz.show(questions)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Part 4: out loud
#
# The ten spoken questions you are most likely to get on residual connections and LayerNorm.
# For each: say the 15-second answer, then the 45-second one, with a timer. Then check the
# **rubric**: one point per item you said; a strong answer gets all of them. The follow-ups
# are what an interviewer asks next.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q1. Why do residual connections make deep networks trainable? · 残差连接为什么能让深层网络训练得动？
#
# **15 s.** A block outputs `x + F(x)`, so the identity is the default and the gradient always
# has a direct path back, `∂y/∂x = I + ∂F/∂x`; very deep nets then train, where plain ones get worse with depth.
#
# **45 s.**
# 1. Each block learns a correction `F(x)` to the identity; doing nothing is easy (`F ≈ 0`).
# 2. Backward, the `I` term carries the gradient past every block: no product of many
#    small Jacobians.
# 3. He et al. (2016) showed it on the degradation problem: a 34-layer plain net trains worse
#    than an 18-layer one; the residual 34-layer net trains better.
#
# **Follow-ups.** *Does it also bound the forward signal?* No: without normalization the
# stream's variance grows by about `1 + Var F / Var x` per block. *Another view?* Veit et al.
# (2016): an ensemble of paths of many lengths; the training gradient comes mainly from the
# short ones, and deleting one block barely hurts. *Cost?* An identity shortcut adds no
# parameters, one addition.
#
# **Rubric:** `x + F(x)`; gradient `I + ∂F/∂x` (identity path); degradation of plain nets,
# measured on *training* error; He et al. 2016.
#
# **中文。**
#
# **15 秒：** 残差块输出 `x + F(x)`，默认就是恒等映射，反向传播时梯度总有一条直达的路径（`∂y/∂x = I + ∂F/∂x`），所以很深的网络也能训练，而普通网络越深反而越差。
#
# **45 秒：** ① 每个块只需学习对恒等映射的修正 `F(x)`，“什么都不做”很容易；② 反向时 `I` 这一项让梯度绕过每个块，不必连乘很多个小的雅可比矩阵；③ 何恺明等人（2016）用退化问题说明：34 层普通网络的训练误差比 18 层的还高，加残差连接后 34 层更好。
#
# **追问：** 它能限制前向信号吗？——不能，无归一化时残差流的方差每过一个块约乘以 `1 + Var F / Var x`。还有别的解释吗？——Veit 等人（2016）：残差网络像许多长短不一的路径的集成，训练时的梯度主要来自其中较短的路径，删掉一个块几乎不影响。代价？——恒等捷径连接（shortcut）没有参数，只多一次逐元素加法。
#
# **评分要点：** `x + F(x)`；梯度中的恒等项；普通网络的退化（训练误差）；何恺明等人 2016。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q2. Do residual connections solve vanishing and exploding gradients? · 残差连接解决了梯度消失和梯度爆炸吗？
#
# **15 s.** Half: the identity path mitigates vanishing gradients, but residuals do not prevent
# exploding ones; without normalization or a scaled initialisation the stream, and the
# gradient, grow with depth.
#
# **45 s.**
# 1. The identity term keeps the gradient from vanishing with depth.
# 2. Forward, each block adds its branch: the variance grows by about `1 + Var F / Var x` per
#    block, geometrically in depth; the base is set by the initialisation (about 1.06 per
#    block at PyTorch's default init for a two-layer ReLU branch, 2 at He init). Backward,
#    `∂L/∂x_l = ∂L/∂x_L · ∏ (I + J_k)` grows per block in the same way, so un-normalised ResNets
#    have exploding gradients at initialisation (Zhang, Dauphin & Ma 2019, Fixup).
# 3. Normalization (a norm in the branch, a final norm), a scaled initialisation (Fixup), or
#    GPT-2's scaling of each residual layer's output weights by `1/sqrt(N)`, `N` the number of
#    residual layers (two per Transformer block), keeps it bounded.
#
# **Follow-ups.** *What was ResNet's actual motivation?* The degradation problem, not vanishing
# gradients, which BatchNorm and good initialisation already handled. *What does a shortcut
# scaled by 0.5 do?* He et al. (2016b): it breaks deep nets, the identity must stay unscaled.
#
# **Rubric:** "half-true"; identity path mitigates vanishing; forward variance and backward
# gradient grow per block without a norm; a remedy (norm, Fixup or `1/sqrt(N)`).
#
# **中文。**
#
# **15 秒：** 只对了一半：恒等路径缓解了梯度消失，但不能防止梯度爆炸；没有归一化或缩放初始化时，残差流和梯度都会随深度变大。
#
# **45 秒：** ① 恒等项让梯度不随深度消失；② 前向时每个块把分支加到残差流上，方差每块约乘以 `1 + Var F / Var x`，随深度按几何级数增长，底数由初始化决定（两层 ReLU 分支在 PyTorch 默认初始化下每块约 1.06，He 初始化下为 2）；反向时 `∂L/∂x_l = ∂L/∂x_L · ∏ (I + J_k)` 也逐块同样增长，所以无归一化的 ResNet 在初始化时就有梯度爆炸（Zhang、Dauphin 和 Ma，2019，Fixup）；③ 归一化、缩放初始化（Fixup），或 GPT-2 把每个残差层输出端的权重乘以 `1/sqrt(N)`（`N` 为残差层数，每个 Transformer 块两个），可以控制住。
#
# **追问：** ResNet 的真正动机？——退化问题，而不是梯度消失（批归一化（BatchNorm）和好的初始化已经能处理）。捷径连接乘 0.5 会怎样？——何恺明等人（2016b）：深层网络训练失败，恒等映射不能缩放。
#
# **评分要点：** “对一半”；恒等路径缓解梯度消失；无归一化时前向方差和反向梯度逐块增长；一种解决办法。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q3. What is LayerNorm and how do you compute it? · 什么是层归一化，怎么计算？
#
# **15 s.** For each token, over its own `d` features: subtract the mean, divide by
# `sqrt(var + eps)`, then apply a learned gain and bias per feature.
#
# **45 s.**
# 1. Statistics per example (per token), over the last dimension; nothing from the batch.
# 2. The variance is the biased one (divide by `d`); `eps` inside the square root, as in
#    PyTorch's `nn.LayerNorm`.
# 3. Gain `γ` and bias `β`, vectors of size `d` (`2d` parameters), restore a learnable
#    per-feature scale and offset; unlike BatchNorm's they cannot undo the per-example
#    normalization, because each token's mean and standard deviation differ.
#
# **Follow-ups.** *What if you write `x.var(-1)`?* That is the unbiased variance: the output is
# too small by `sqrt((d-1)/d)` (0.78% at `d = 64`) and NaN at `d = 1`; the source text does this.
# *Invariances?* Ba et al. (2016, Table 1): re-scaling one example, the whole data set or the
# weight matrix, and re-centering the weight matrix; not re-centering the data set.
# *Why `eps`?* To avoid dividing by zero for a constant input.
#
# **Rubric:** per token over features; mean and biased variance; `eps` inside the root; gain
# and bias per feature.
#
# **中文。**
#
# **15 秒：** 对每个 token，在它自己的 `d` 个特征上减均值、除以 `sqrt(var + eps)`，再乘每个特征的缩放参数 γ、加平移参数 β。
#
# **45 秒：** ① 统计量按样本（按 token）在最后一维上计算，与批无关；② 用有偏方差（除以 `d`），`eps` 在根号里，与 PyTorch 的 `nn.LayerNorm` 一致；③ γ、β 都是长度为 `d` 的向量，共 `2d` 个参数，给每个特征一个可学习的尺度和偏移；和批归一化不同，它们无法撤销逐样本的归一化，因为每个 token 的均值和标准差都不一样。
#
# **追问：** 写成 `x.var(-1)` 会怎样？——那是无偏方差，输出是正确值的 `sqrt((d-1)/d)` 倍（`d = 64` 时偏小 0.78%），`d = 1` 时为 NaN；本课程评析的源材料就是这样写的。有哪些不变性？——Ba 等人（2016，表 1）：单个样本、整个数据集或权重矩阵的缩放，以及权重矩阵的平移；数据集平移则不是。
#
# **评分要点：** 按 token、在特征维上；均值和有偏方差；`eps` 在根号里；每个特征一个 γ、β。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q4. LayerNorm or BatchNorm, and why do Transformers use LayerNorm? · 层归一化和批归一化有什么区别？Transformer 为什么用层归一化？
#
# **15 s.** BatchNorm normalises each channel over the batch and needs running statistics for
# inference; LayerNorm normalises each token over its features, the same in training and
# inference, so it suits variable-length sequences and small batches.
#
# **45 s.**
# 1. Axis: BatchNorm over the batch (and length), per channel; LayerNorm over the features, per token.
# 2. Modes: BatchNorm switches to running means and variances in `eval()`; LayerNorm has no
#    running state and no train/eval difference.
# 3. For sequences: padding and varying lengths pollute batch statistics, and per-token
#    statistics work at batch size 1; BatchNorm stays strong in CNNs with large batches.
#
# **Follow-ups.** *What happens if you forget `model.eval()` with BatchNorm?* Predictions depend on
# the rest of the batch, and the running statistics drift. *Is LayerNorm a regulariser?* Not
# mainly: deterministic, no batch noise. *How are BatchNorm's running statistics updated?*
# In PyTorch (momentum 0.1, the weight of the new batch) `running = 0.9 · running + 0.1 · batch`,
# with the unbiased variance; Keras's momentum 0.99 is the weight of the old value; Ioffe &
# Szegedy (2015, Algorithm 2) average over mini-batches, with the `m/(m-1)` correction.
#
# **Rubric:** the two axes; running statistics and train/eval; a reason for sequences (lengths,
# padding, batch size); no train/eval gap for LayerNorm.
#
# **中文。**
#
# **15 秒：** 批归一化（BatchNorm）对每个通道在批上统计，推理时要用滑动统计量（running statistics）；层归一化对每个 token 在特征上统计，训练和推理完全相同，适合变长序列和小批量。
#
# **45 秒：** ① 统计维度不同：批归一化按通道、跨样本；层归一化按 token、跨特征；② 批归一化在 `eval()` 时改用滑动统计量（均值和方差），层归一化没有这种状态，也没有训练/推理差异；③ 序列任务里填充和长度不一会污染批统计量，而逐 token 的统计在批大小为 1 时也能用；大批量的 CNN 里批归一化依然好用。
#
# **追问：** 忘了 `model.eval()` 会怎样？——预测依赖同批的其他样本，滑动统计量也被改掉。层归一化是正则化吗？——主要不是：它是确定性的，没有批噪声。滑动统计量怎么更新？——PyTorch 的 momentum 默认 0.1，是新批次的权重：`running = 0.9·running + 0.1·batch`，方差用无偏估计；Keras 的 momentum 0.99 则是旧值的权重；原论文（Ioffe 和 Szegedy，2015，算法 2）是对多个小批量取平均，方差乘以 `m/(m-1)` 修正。
#
# **评分要点：** 两种统计维度；滑动统计量与训练/推理切换；适合序列的理由；层归一化没有训练/推理差别。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q5. Pre-LN or Post-LN: what is the difference? · 前置归一化和后置归一化有什么区别？
#
# **15 s.** Post-LN normalises after the residual addition, `norm(x + F(x))` (original
# Transformer, BERT); Pre-LN normalises only the branch's input, `x + F(norm(x))`, and adds a
# final norm (GPT-2 and most LLMs); Pre-LN is the easier one to train deep.
#
# **45 s.**
# 1. Post-LN puts a norm on the residual stream itself, so there is no clean identity path;
#    Pre-LN keeps the stream un-normalised, an identity path from input to output.
# 2. Xiong et al. (2020) argue that at initialisation Post-LN's gradients near the output are
#    large, so it needs learning-rate warm-up; Pre-LN's shrink like `1/sqrt(L)` and, in their
#    BERT and translation settings, it trained without warm-up.
# 3. Pre-LN needs a final norm (the stream's scale grows with depth), and later blocks add
#    relatively less to a growing stream.
#
# **Follow-ups.** *Do Pre-LN LLMs skip warm-up?* No: GPT-3 and LLaMA (2,000 steps) still use it.
# *Is Pre-LN simply better?* No: when Post-LN does train, it often ends slightly better (Liu et
# al. 2020), which motivates Admin and DeepNorm. *Is Xiong's explanation the only one?* Liu et
# al. (2020) argue Post-LN's problem is amplification: its output depends heavily on the
# residual branches, so small updates change it a lot. *Newer variants?* Sandwich / Peri-LN
# (norms around each sub-layer), DeepNorm (Wang et al. 2022: Post-LN with the shortcut
# up-weighted by `α` and some weights initialised scaled down by `β`), RMSNorm.
#
# **Rubric:** both formulas; which models use which; warm-up and Xiong et al. 2020, *in their
# settings*; the final norm of Pre-LN.
#
# **中文。**
#
# **15 秒：** 后置归一化（Post-LN）在残差相加之后归一化，`norm(x + F(x))`（原始 Transformer、BERT）；前置归一化（Pre-LN）只归一化分支的输入，`x + F(norm(x))`，最后再加一个归一化层（GPT-2 和大多数大模型）。前置归一化更容易训练很深的网络。
#
# **45 秒：** ① 后置归一化直接作用在残差流上，没有干净的恒等路径；前置归一化的残差流不被归一化，从输入到输出有一条恒等路径；② Xiong 等人（2020）认为：初始化时后置归一化靠近输出的梯度很大，所以需要学习率预热（warm-up）；前置归一化的梯度按 `1/sqrt(L)` 缩小，在他们的 BERT 和翻译实验里不用预热也能训练；③ 前置归一化需要最后一个归一化层（残差流尺度随深度增长），越往后的块对残差流的相对贡献越小。
#
# **追问：** 前置归一化一定更好吗？——不是：后置归一化一旦训练成功，最终效果往往略好（Liu 等人，2020），这也是 Admin 和 DeepNorm 的出发点。前置归一化的大模型不用预热吗？——仍然用：GPT-3、LLaMA（2000 步）。Xiong 的解释是唯一的吗？——Liu 等人（2020）认为问题在于放大效应：输出强烈依赖残差分支，小的参数更新也会让输出变化很大。新的变体？——Sandwich / Peri-LN（每个子层前后都有归一化）、DeepNorm（Wang 等人，2022：后置归一化，捷径连接乘以放大系数 `α`，部分权重的初始化再按 `β` 缩小）、RMSNorm。
#
# **评分要点：** 两个公式；哪些模型用哪种；预热与 Xiong 等人 2020（限定在其实验设置）；前置归一化末尾那个最后的归一化层。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q6. Why does a Post-LN Transformer need learning-rate warm-up? · 为什么后置归一化的 Transformer 需要学习率预热？
#
# **15 s.** Full-size updates at the start destabilise it and warm-up keeps the first ones
# small; why they hurt is argued three ways: large gradients near the output at initialisation
# (Xiong et al. 2020), amplification of output changes (Liu et al. 2020), and Adam's noisy
# early variance estimates (Liu et al., ICLR 2020).
#
# **45 s.**
# 1. Xiong et al. (2020): for Post-LN the gradient norm near the output does not shrink with
#    depth, for Pre-LN it shrinks like `1/sqrt(L)`; large gradients, large first steps. Adam,
#    though, normalises the gradient's scale (each step is about `lr` whatever its size), so
#    two explanations that hold for Adam complete it: Liu et al. (2020), an update of a given
#    size moves a Post-LN's output more (amplification); Liu et al. (ICLR 2020, RAdam), Adam's
#    second-moment estimates are based on few steps at first and have a high variance.
# 2. With a large learning rate from step 0, Post-LN diverges or gets stuck; a linear warm-up
#    over the first thousands of steps avoids it.
# 3. Pre-LN trained without warm-up in Xiong et al.'s BERT and translation settings; that is
#    not a general law: large Pre-LN models (GPT-3, LLaMA) still warm up.
#
# **Follow-ups.** *How much amplification?* Liu et al. (2020): the squared output change under
# a small update is `O(N)` for Post-LN, `O(log N)` for Pre-LN, and Admin as a fix. *Without
# warm-up, what else helps Post-LN?* DeepNorm and Admin make deep Post-LN stable, but their
# recipes still warm up; T-Fixup (Huang et al. 2020) is an initialisation shown to train
# without warm-up or LN.
#
# **Rubric:** small first steps; Xiong's large gradients at init *and* why that alone does not
# explain it for Adam (amplification, RAdam's variance); Pre-LN without warm-up only in
# Xiong's settings; large LLMs still warm up.
#
# **中文。**
#
# **15 秒：** 训练一开始就用完整步长的更新会让它不稳定，学习率预热让最初的更新足够小；至于为什么最初的更新有害，有三种解释：初始化时靠近输出的梯度很大（Xiong 等人，2020）、输出变化的放大效应（Liu 等人，2020）、Adam 早期的二阶矩估计噪声大（Liu 等人，ICLR 2020）。
#
# **45 秒：** ① Xiong 等人（2020）：后置归一化靠近输出的梯度范数不随深度减小，前置归一化则按 `1/sqrt(L)` 减小，梯度大则最初的步子大；但 Adam 会把梯度的尺度归一化（每步大约是 `lr`，与梯度大小无关），所以还需要两种对 Adam 成立的解释：Liu 等人（2020）认为同样大小的更新会让后置归一化的输出变化更大（放大效应）；Liu 等人（ICLR 2020，RAdam）指出 Adam 一开始的二阶矩估计只基于很少几步，方差很大；② 一开始就用大学习率，后置归一化会发散或卡住，前几千步线性预热可以避免；③ 在 Xiong 等人的 BERT 和翻译实验中前置归一化不用预热也能训练，但这不是普遍规律：GPT-3、LLaMA 这样的前置归一化大模型仍然预热。
#
# **追问：** 放大效应有多大？——Liu 等人（2020）：小的参数更新带来的输出平方变化在后置归一化中为 `O(N)`，前置为 `O(log N)`，并提出 Admin。不预热还能怎么办？——DeepNorm 和 Admin 能让很深的后置归一化稳定训练，但它们的训练配置仍然预热；T-Fixup（Huang 等人，2020）是一种初始化方法，实验表明不用预热、也不用层归一化就能训练。
#
# **评分要点：** 最初几步要小；Xiong 的初始化梯度大，以及为什么对 Adam 这还不够（放大效应、RAdam 的方差）；前置归一化免预热仅限 Xiong 的实验设置；大模型仍预热。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q7. What is RMSNorm, and why do LLMs use it? · 什么是均方根归一化（RMSNorm），大模型为什么用它？
#
# **15 s.** LayerNorm without the mean: divide by `sqrt(mean(x²) + eps)` and multiply by a gain;
# one statistic, no bias, cheaper, and in practice as good, so LLaMA and most current LLMs use it.
#
# **45 s.**
# 1. Zhang & Sennrich (2019): re-centering matters less than re-scaling; drop the mean and the bias.
# 2. One reduction instead of two and `d` parameters instead of `2d`: less compute and memory traffic.
# 3. It keeps LayerNorm's invariance to re-scaling, loses the one to re-centering.
#
# **Follow-ups.** *Which models?* LLaMA uses pre-norm RMSNorm (Touvron et al. 2023). *Does it
# change training?* Reported quality is about the same; the gain is speed. *Other norm-free
# options?* Dynamic Tanh (Zhu et al. 2025) replaces the norm by `γ · tanh(αx) + β`.
#
# **Rubric:** formula without mean; gain only; cheaper; which invariance it loses; a model that uses it.
#
# **中文。**
#
# **15 秒：** 去掉均值的层归一化：除以 `sqrt(mean(x²) + eps)` 再乘缩放参数；只有一个统计量、没有偏置，更省计算，效果相当，所以 LLaMA 等大多数大模型都用它。
#
# **45 秒：** ① Zhang 和 Sennrich（2019）：重新缩放比重新居中更重要，于是去掉均值和偏置；② 少一次归约，参数从 `2d` 变成 `d`，计算和访存都更少；③ 保留了对缩放的不变性，失去了对平移的不变性。
#
# **追问：** 哪些模型在用？——LLaMA 用前置的 RMSNorm（Touvron 等人，2023）。会影响训练吗？——报告的效果基本相同，好处在速度。不用归一化的方案？——Dynamic Tanh（Zhu 等人，2025）用 `γ·tanh(αx) + β` 替代。
#
# **评分要点：** 不减均值的公式；只有 γ；更省；失去平移不变性；举出使用它的模型。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q8. Does a residual connection add parameters or compute? · 残差连接会增加参数量和计算量吗？
#
# **15 s.** An identity shortcut adds no parameters and one element-wise addition; only a
# projection shortcut, used where the shape changes, adds a (1x1 convolution or linear) layer.
#
# **45 s.**
# 1. `y = x + F(x)`: the shortcut is the identity, nothing to learn.
# 2. Compute: one addition per element, negligible next to the matrix products of `F`.
# 3. Where the number of channels or the resolution changes, ResNet uses a projection `W_s x`;
#    He et al. (2016, Sec. 4.1 and Table 3) compare options A/B/C: option C (projections
#    everywhere) gained little.
#
# **Follow-ups.** *Memory?* The addition's backward pass stores nothing; forward keeps `x` alive
# until the addition, a small effect on peak memory. *How do you handle a stride-2 block?* The projection uses the same stride.
#
# **Rubric:** identity = 0 parameters; one addition; projection only when shapes differ; He et al. 2016.
#
# **中文。**
#
# **15 秒：** 恒等捷径连接（shortcut）没有参数，只多一次逐元素加法；只有在形状变化处使用的投影捷径连接（1x1 卷积或线性层）才增加参数。
#
# **45 秒：** ① `y = x + F(x)`，捷径连接是恒等映射，没有要学的东西；② 计算量只多一次逐元素加法，和 `F` 里的矩阵乘法相比可以忽略；③ 通道数或分辨率变化时，ResNet 用投影 `W_s x`（何恺明等人，2016；方案 A/B/C 的比较见第 4.1 节和表 3），全部用投影（方案 C）收益很小。
#
# **追问：** 显存呢？——加法的反向传播不需要保存任何东西；前向时 `x` 要保留到相加为止，对峰值显存影响很小。步长为 2 的块怎么办？——投影用同样的步长。
#
# **评分要点：** 恒等捷径连接 0 参数；一次加法；形状变化时才用投影；何恺明等人，2016。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q9. Is LayerNorm a regulariser? · 层归一化是一种正则化方法吗？
#
# **15 s.** Not mainly: it is deterministic and identical in training and inference, so it adds
# no noise; it helps optimisation by keeping each layer's input at a fixed scale.
#
# **45 s.**
# 1. Regularisers inject noise or penalties (dropout, weight decay); LayerNorm does neither.
# 2. BatchNorm has a mild regularising side effect from batch noise; LayerNorm's statistics come
#    from the example itself, so it has none.
# 3. What it does: stable activation scales, better-conditioned gradients, faster and more
#    stable training.
#
# **Follow-ups.** *Then why does it sometimes improve test accuracy?* Through better optimisation
# (a larger usable learning rate), not through noise. *What is it invariant to?* Re-scaling an
# example or the whole weight matrix, not a single weight vector, nor shifts of the data set
# (Ba et al. 2016, Table 1).
#
# **Rubric:** "no, mainly optimisation"; deterministic, same at train and test; contrast with
# BatchNorm's batch noise.
#
# **中文。**
#
# **15 秒：** 主要不是：它是确定性的，训练和推理完全相同，不引入噪声；它的作用是把每层输入的尺度固定下来，帮助优化。
#
# **45 秒：** ① 正则化靠注入噪声或惩罚项（dropout、权重衰减），层归一化两者都没有；② 批归一化因批噪声有一点正则化的副作用，层归一化的统计量来自样本自身，没有这种噪声；③ 它的真正作用是稳定激活的尺度、改善梯度，使训练更快更稳。
#
# **追问：** 那为什么有时测试精度会提高？——因为优化更好（可用更大的学习率），而不是因为噪声。它对什么不变？——单个样本或整个权重矩阵的缩放；对单个权重向量的缩放和数据集的平移则不是（Ba 等人，2016，表 1）。
#
# **评分要点：** “不是，主要帮助优化”；确定性、训练推理一致；与批归一化的批噪声对比。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q10. Walk me through a Transformer block's residual stream. · 讲一讲 Transformer 块里的残差流。
#
# **15 s.** The stream `x` runs from the embeddings to the head; each sub-layer reads a
# normalised copy and adds its output back, `x = x + attn(norm1(x)); x = x + ffn(norm2(x))`,
# and a final norm precedes the head (Pre-LN).
#
# **45 s.**
# 1. Two sub-layers per block, each with its own shortcut and its own norm.
# 2. The stream itself is never normalised inside the blocks, so it keeps an identity path; its
#    scale grows with depth, hence the final norm.
# 3. Common bugs: `x = x + x` after overwriting `x` (drops the stream), forgetting that
#    `nn.MultiheadAttention` returns a tuple, or leaving out the final norm.
#
# **Follow-ups.** *Parameters of one encoder layer?* `4d² + 2 d d_ff + 9d + d_ff`, of which
# `4d` in the norms. *Why scale the branch outputs at init?* GPT-2 multiplies the weights of
# each residual layer's output by `1/sqrt(N)`, `N` the number of residual layers (two per
# block), so the stream's variance stays bounded as they add up.
#
# **Rubric:** the two update lines; norm on the branch input, not the stream; final norm; one
# typical bug.
#
# **中文。**
#
# **15 秒：** 残差流 `x` 从词嵌入一直通到输出层；每个子层读入归一化后的副本，再把输出加回去：`x = x + attn(norm1(x)); x = x + ffn(norm2(x))`，输出层前再加一个归一化层（前置归一化）。
#
# **45 秒：** ① 每个块有两个子层，各有自己的捷径连接和归一化层；② 残差流本身在块内从不被归一化，所以保留了恒等路径，但尺度随深度增长，因此需要最后的归一化层；③ 常见 bug：覆盖 `x` 之后写 `x = x + x`（丢了残差流）、忘了 `nn.MultiheadAttention` 返回元组、漏掉最后的归一化层。
#
# **追问：** 一个编码器层有多少参数？——`4d² + 2·d·d_ff + 9d + d_ff`，其中归一化层占 `4d`。为什么初始化时要缩小分支输出？——GPT-2 把每个残差层输出端的权重乘以 `1/sqrt(N)`（`N` 为残差层数，每个块两个），让它们累加后残差流的方差仍然有界。
#
# **评分要点：** 两行更新公式；归一化作用在分支输入而非残差流上；最后的归一化层；一个典型 bug。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Fig. 1 and
#   4: degradation; Sec. 3.3: identity and projection shortcuts; Sec. 4.1 and Table 3: options
#   A/B/C compared.)
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV. (Fig. 2-3:
#   scaled shortcuts; Fig. 4: pre-activation block.)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450. (Table 1: invariances.)
# - Ioffe, Szegedy (2015). *Batch Normalization.* ICML. (Sec. 3.1: γ and β can recover the
#   original activations; Algorithm 2: population statistics for inference.)
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. (Post-LN.)
# - Vaswani et al. (2018). *Tensor2Tensor for Neural Machine Translation.* AMTA. (Pre-LN in the
#   reference implementation.)
# - Rush (2018). *The Annotated Transformer.* (A LayerNorm with `std + eps`.)
# - Wang, Li, Xiao, Zhu, Li, Wong, Chao (2019). *Learning Deep Transformer Models for Machine
#   Translation.* ACL. (Pre-LN for deep encoders.)
# - Baevski, Auli (2019). *Adaptive Input Representations for Neural Language Modeling.* ICLR.
#   (Pre-LN language model.)
# - Radford et al. (2019). *Language Models are Unsupervised Multitask Learners.* (GPT-2, Sec. 2.3:
#   Pre-LN, final norm, `1/sqrt(N)` residual scaling.)
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization: Residual Learning Without Normalization.*
#   ICLR. (Exploding gradients of un-normalised ResNets at initialisation.)
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.* EMNLP.
#   (Amplification; Admin.)
# - Liu, Jiang, He, Chen, Liu, Gao, Han (2020). *On the Variance of the Adaptive Learning Rate
#   and Beyond.* ICLR. (RAdam: the variance of Adam's early steps.)
# - Huang, Perez, Ba, Volkovs (2020). *Improving Transformer Optimization Through Better
#   Initialization.* ICML. (T-Fixup: no warm-up, no LayerNorm.)
# - Wang, Ma, Dong, Huang, Zhang, Wei (2022). *DeepNet: Scaling Transformers to 1,000 Layers.*
#   arXiv:2203.00555. (DeepNorm: `α` on the shortcut, `β` on the initialisation.)
# - Veit, Wilber, Belongie (2016). *Residual Networks Behave Like Ensembles of Relatively Shallow
#   Networks.* NeurIPS.
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.
# - Brown et al. (2020). *Language Models are Few-Shot Learners.* NeurIPS. (GPT-3: warm-up.)
# - Touvron et al. (2023). *LLaMA: Open and Efficient Foundation Language Models.*
#   arXiv:2302.13971. (Sec. 2.2: pre-normalization with RMSNorm; Sec. 2.3: 2,000 warm-up steps.)
# - Zhu, Chen, He, LeCun, Liu (2025). *Transformers without Normalization.* CVPR. (Dynamic Tanh.)

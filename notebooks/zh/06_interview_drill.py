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
# # 06 · 面试演练：动手写、找 bug、开口讲
#
# 英文原版：[English](../06_interview_drill.ipynb)
#
# **题目：** 面试时，你能在几分钟内从零写出层归一化和残差块、一眼找出代码里的 bug、并把原理讲清楚吗？
#
# notebook 01-05 负责讲解和测量，这一个专门用来练习，覆盖面试的四种常见形式：对着计时器从空白单元格写代码、读别人的代码、简短的知识问答、口头回答。从零实现的检查器拿你的模块和 PyTorch 的模块对比；找 bug 的检查器拿代码片段的测量结果和 PyTorch 的函数或测量函数（harness）里写出的参考实现对比；小测验里的每个数字都在本 notebook 中现场算出：两道题用的是本课程自己的模型，其余都来自 PyTorch 的模块。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 怎么用这套演练
#
# - **第 1 部分：从零实现。** 运行题目单元格：它给出限时并开始计时。在答案单元格里写好你的类，设 `answer = YourClass` 再运行：检查器从输出、梯度和滑动统计量（running statistics）三方面把你的模块和 PyTorch 的模块对比，如果认出你犯的是某个典型错误，会直接点明，最后告诉你用了多长时间。每道题下面有一个**演示**单元格，用同一个检查器分别检查课程的答案和一个典型的错误答案，让你看看反馈是什么样子。
# - **第 2 部分：找 bug。** 每个代码片段恰好有一个 bug。回答行号和改正后的那一行，例如 `answer = (3, "x = x + f(x)")`：检查器运行你改过的代码，并给出这个 bug 改变了什么、改变了多少。
# - **第 3 部分：快问快答。** 简短的问题，直接在页面里作答（静态网页上没有内核也能用）。每题争取 10 秒。
# - **第 4 部分：开口讲。** 十道口答题。对着计时器大声回答，先用评分要点给自己打分，再看参考答案。
#
# 每道题和每个代码片段都可以用 `hint(key)` 和 `solution(key)`。这里的一切都不需要联网。

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

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(3)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 第 1 部分：从零实现
#
# 六道题，从三分钟的均方根归一化（RMSNorm）到十分钟的 Transformer 块。每个答案都是一个 `nn.Module` 类，参数名要和 PyTorch 的一致，因为检查器会把 PyTorch 模块的 state dict 加载到你的模块里，再在相同的输入上比较两者。在真实的代码库里证明两个实现相等，也是这么做的。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 1：层归一化（5 分钟）
#
# 写一个层归一化（LayerNorm）`LayerNorm(d, eps=1e-5)`，输入形状为 `(..., d)`：参数 `weight`（全 1）和 `bias`（全 0），长度都是 `d`。与 `nn.LayerNorm(d)` 比较：2 维、3 维和极小输入上的输出，以及对输入、`weight` 和 `bias` 的梯度。

# %% slideshow={"slide_type": "-"}
drill.task("06.layernorm")


# %% slideshow={"slide_type": "-"}
class MyLayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        ...  # 你的参数

    def forward(self, x):
        ...  # 你的代码


answer = ...  # 写好后把 ... 换成 MyLayerNorm
passed = drill.check("06.layernorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示**（不是你的答案）：先用检查器检查课程的 `resnorm.norms.LayerNorm`，再检查一个用了 `x.var(-1)` 的典型错误答案。

# %% slideshow={"slide_type": "-"}
demo = get("06.layernorm")
assert drill.check("06.layernorm", demo.reference())
assert not drill.check("06.layernorm", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 2：均方根归一化（3 分钟）
#
# `RMSNorm(d, eps=1e-6)`：只有一个参数 `weight`（全 1）。与 `nn.RMSNorm(d, eps=1e-6)` 比较前向和反向，包括小到 `eps` 起作用的输入。

# %% slideshow={"slide_type": "-"}
drill.task("06.rmsnorm")


# %% slideshow={"slide_type": "-"}
class MyRMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # 把 ... 换成 MyRMSNorm
passed = drill.check("06.rmsnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示：** 先是课程的 `resnorm.norms.RMSNorm`，再是一个减去了均值的版本。

# %% slideshow={"slide_type": "-"}
demo = get("06.rmsnorm")
assert drill.check("06.rmsnorm", demo.reference())
assert not drill.check("06.rmsnorm", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 3：带滑动统计量的 BatchNorm1d（8 分钟）
#
# 写一个批归一化（BatchNorm）`BatchNorm1d(d, eps=1e-5, momentum=0.1)`，输入形状为 `(batch, d)`：参数 `weight`、`bias`；缓冲区（buffer）`running_mean`（全 0）和 `running_var`（全 1）。训练模式下用当前批的统计量归一化，并更新滑动统计量；eval 模式下用滑动统计量，什么也不改。检查器让三个训练批次分别通过你的模块和 `nn.BatchNorm1d(d)`，再做两次 eval 模式的调用（一个批次，以及单独的第一个样本），每一步之后比较输出、梯度和两个缓冲区，PyTorch 的 momentum 约定和它用*无偏方差*（unbiased variance）更新滑动方差这两点也在检查之列。（`num_batches_tracked` 可有可无。）

# %% slideshow={"slide_type": "-"}
drill.task("06.batchnorm")


# %% slideshow={"slide_type": "-"}
class MyBatchNorm1d(nn.Module):
    def __init__(self, d, eps=1e-5, momentum=0.1):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # 把 ... 换成 MyBatchNorm1d
passed = drill.check("06.batchnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示：** 先是课程的答案（`solution("06.batchnorm")` 可以查看），再是一个用有偏方差（biased variance）更新 `running_var` 的版本。

# %% slideshow={"slide_type": "-"}
demo = get("06.batchnorm")
assert drill.check("06.batchnorm", demo.reference())
assert not drill.check("06.batchnorm", demo.wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 4：残差块（4 分钟）
#
# `ResidualBlock(d, d_hidden)`：前置归一化（Pre-LN）的残差块 `x + linear2(relu(linear1(norm(x))))`，子模块为 `norm`（大小为 `d` 的层归一化）、`linear1`（`d -> d_hidden`）、`linear2`（`d_hidden -> d`）。与用 `nn.LayerNorm` 和 `nn.Linear` 搭出的同样的块比较；调用方的输入在调用后必须保持不变。

# %% slideshow={"slide_type": "-"}
drill.task("06.residual_block")


# %% slideshow={"slide_type": "-"}
class MyResidualBlock(nn.Module):
    def __init__(self, d, d_hidden):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # 把 ... 换成 MyResidualBlock
passed = drill.check("06.residual_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示：** 先是课程的答案，再是 `x += f(x)`。

# %% slideshow={"slide_type": "-"}
demo = get("06.residual_block")
assert drill.check("06.residual_block", demo.reference())
assert not drill.check("06.residual_block", demo.wrong[4]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 5：多头自注意力（10 分钟）
#
# 写一个多头自注意力（multi-head self-attention）`MultiHeadSelfAttention(d_model, n_heads)`：`forward(x)` 把 `(batch, seq, d_model)` 映射为同样的形状，只返回一个张量。参数与 `nn.MultiheadAttention` 相同：`in_proj_weight` `(3 d_model, d_model)`、`in_proj_bias` `(3 d_model)`、`out_proj`（一个 `nn.Linear`）。加载 `nn.MultiheadAttention(d_model, n_heads, batch_first=True)` 的 state dict 后与它比较。

# %% slideshow={"slide_type": "-"}
drill.task("06.attention")


# %% slideshow={"slide_type": "-"}
class MyMultiHeadSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # 把 ... 换成 MyMultiHeadSelfAttention
passed = drill.check("06.attention", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示：** 先是课程的 `resnorm.models.SelfAttention`，再是一个把注意力分数除以 `sqrt(d_model)` 的版本。

# %% slideshow={"slide_type": "-"}
demo = get("06.attention")
assert drill.check("06.attention", demo.reference())
assert not drill.check("06.attention", demo.wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 任务 6：前置归一化的 Transformer 块（10 分钟）
#
# `PreLNBlock(d_model, n_heads, d_ff)`：`x = x + attn(norm1(x)); x = x + ffn(norm2(x))`，其中 `ffn = linear2(relu(linear1(.)))`，子模块的命名与 `nn.TransformerEncoderLayer` 相同（`self_attn`、`linear1`、`linear2`、`norm1`、`norm2`；注意力直接复用任务 5 的）。`nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout=0.0, batch_first=True, norm_first=True)` 的 state dict 必须能严格加载，输出也必须一致。

# %% slideshow={"slide_type": "-"}
drill.task("06.pre_ln_block")


# %% slideshow={"slide_type": "-"}
class MyPreLNBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        ...

    def forward(self, x):
        ...


answer = ...  # 把 ... 换成 MyPreLNBlock
passed = drill.check("06.pre_ln_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# **演示：** 先是课程的 `TransformerBlock(placement="pre")`，再是一个后置归一化（Post-LN）的块。

# %% slideshow={"slide_type": "-"}
demo = get("06.pre_ln_block")
assert drill.check("06.pre_ln_block", demo.reference())
assert not drill.check("06.pre_ln_block", demo.wrong[0]())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 第 2 部分：找 bug
#
# 十个代码片段，每个一个 bug，每个大约一分钟。读代码，找到那一行，写出改正后的那一行：`answer = (line_number, "corrected line")`。检查器把你的那一行换进去，运行代码片段，把测量结果和课程的改法对比。

# %% slideshow={"slide_type": "subslide"}
bugs.show("06.bug_inplace_residual")
answer = ...  # (行号, "改正后的那一行")
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
# ### 演示：课程的改法，以及每个 bug 改变了什么
#
# 剧透预警。检查器逐一接受课程的改法，并打印 bug 是什么、测得的影响有多大；最后用一个错误答案，即错误维度那个片段里的 `mean = x.mean(0)`（去掉 `keepdim` 在这里没有影响），展示改过的代码能运行、bug 却还在时的反馈。

# %% slideshow={"slide_type": "-"}
for key in bugs.BUGS:
    assert bugs.check(key, get(key).reference())
assert not bugs.check("06.bug_wrong_dim", get("06.bug_wrong_dim").wrong[1]())

# %% [markdown] slideshow={"slide_type": "subslide"}
# 每个 bug 在三个随机种子上造成的差别（每个种子各自生成输入和权重）：改好的代码测出来在舍入误差内为零，有 bug 的代码则不然，或者直接报错。

# %% slideshow={"slide_type": "fragment"}
effects = {key: [bugs.effect(key, seed=s) for s in SEEDS] for key in bugs.BUGS}
for key, runs in effects.items():
    buggy = ", ".join(r.buggy.short for r in runs)
    print(f"{key[7:]:<24} 修好后最大 {max(r.fixed.value for r in runs):.0e} | 有 bug：{buggy}")
for key, runs in effects.items():
    for r in runs:
        assert r.fixed.error is None and r.fixed.value < 1e-4, (key, r)
        assert r.buggy.error is not None or r.buggy.value > 0.01, (key, r)
assert all(r.buggy.error.startswith("TypeError") for r in effects["06.bug_attention_tuple"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 第 3 部分：快问快答
#
# 下面每个数字都在这里算出并经过检查，再交给小测验，没有一个是手写进去的。它们都来自 PyTorch 的模块，只有两个例外：归一化层的个数（来自课程的 `TinyTransformer`）和源材料的层归一化与 PyTorch 相差的倍数（来自课程的 `SourceLayerNorm`）。小测验本身在页面里运行：作答后按回车或点击，反馈立即出现，有没有内核都一样。

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
one_feature(torch.tensor([[0.0], [0.0], [2.0], [2.0]]))  # 一个训练模式的批次
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
# 这些数都是定义直接给出的，所以下面的检查只是*演示*：PyTorch 与候选人会用的公式一致。层归一化是 `2d`，均方根归一化是 `d`；层归一化每个 token 一个均值，批归一化每个通道一个均值；一个编码器层是 `4d² + 2 d d_ff + 9d + d_ff`；一个批次之后是 `0.1 · mean` 和 `0.9 + 0.1 · n/(n-1) · var`；源材料的层归一化则是 `sqrt((d-1)/d)`。

# %% slideshow={"slide_type": "fragment"}
d, f = D_MODEL, D_FF
assert live["layernorm_params"] == 2 * d and live["rmsnorm_params"] == d
assert live["batchnorm_params"] == 2 * d and live["batchnorm_running"] == 2 * d
assert live["layernorm_means"] == 4 * 16 and live["batchnorm_means"] == d
assert live["block_params"] == 4 * d * d + 2 * d * f + 9 * d + f
assert live["block_norm_params"] == 4 * d and live["identity_shortcut_params"] == 0
assert live["projection_shortcut_params"] == 64 * 256 and live["norms_in_12_layer_pre_ln"] == 2 * 12 + 1
assert live["mha_out_shape"] == (2, 10, MHA_D) and live["mha_weights_shape"] == (2, 10, 10)
assert live["mha_head_size"] == 16  # 与 10（序列长度）和 4（头数）都不同：选项不会有歧义
assert abs(live["running_mean_after_one_batch"] - 0.1 * 1.0) < 1e-6
assert abs(live["running_var_after_one_batch"] - (0.9 + 0.1 * 4 / 3 * 1.0)) < 1e-6
assert abs(live["source_layernorm_factor"] - ((64 - 1) / 64) ** 0.5) < 1e-3
assert live["layernorm_same_in_eval"] and not live["batchnorm_same_in_eval"]


# %% slideshow={"slide_type": "skip"}
questions = [
    quiz.numeric(f"nn.LayerNorm({D_MODEL}) 有多少个参数？", live["layernorm_params"],
                 explanation=f"每个特征一个缩放参数和一个平移参数：2 x {D_MODEL}。"),
    quiz.numeric(f"nn.RMSNorm({D_MODEL}) 有多少个参数？", live["rmsnorm_params"],
                 explanation="每个特征一个缩放参数，没有平移参数。"),
    quiz.numeric(f"nn.BatchNorm1d({D_MODEL}) 有多少个可训练参数？",
                 live["batchnorm_params"], explanation="和层归一化一样，每个通道一个缩放参数和一个平移参数。"),
    quiz.numeric(f"nn.BatchNorm1d({D_MODEL}) 的滑动统计量一共存了多少个数"
                 "（running_mean 和 running_var 合计）？", live["batchnorm_running"],
                 explanation="每个通道一个均值和一个方差；它们是缓冲区，不是参数"
                             "（另外还有计数器 num_batches_tracked）。"),
    quiz.numeric(f"nn.LayerNorm({D_MODEL}) 作用于形状为 (4, 16, {D_MODEL}) 的输入：它要算多少个均值？",
                 live["layernorm_means"],
                 explanation="每个 token 一个：4 x 16 个，各自在该 token 自己的特征上计算。"),
    quiz.numeric(f"训练模式下的 nn.BatchNorm1d({D_MODEL}) 作用于形状为 (4, {D_MODEL}, 16) 的输入："
                 "它要算多少个均值？", live["batchnorm_means"],
                 explanation="每个通道一个，在批和长度两个维度上计算：每个均值用 4 x 16 个值。"),
    quiz.numeric(f"nn.TransformerEncoderLayer({D_MODEL}, {N_HEADS}, {D_FF}) 有多少个参数？",
                 live["block_params"],
                 explanation="注意力 4d² + 4d，前馈网络 2 d d_ff + d_ff + d，两个层归一化 4d。"),
    quiz.numeric("其中有多少个在它的两个层归一化里？", live["block_norm_params"],
                 explanation="2 x 2d：和那些矩阵比起来微不足道。"),
    quiz.numeric("一条恒等捷径连接给残差块增加多少个参数？",
                 live["identity_shortcut_params"],
                 explanation="零个：y = x + F(x) 只多一次逐元素加法（何恺明等人，2016）。"),
    quiz.numeric("从 64 通道到 256 通道的 1x1 投影捷径（无偏置）：有多少个参数？",
                 live["projection_shortcut_params"],
                 explanation="64 x 256；ResNet 只在形状变化的地方使用投影。"),
    quiz.numeric("一个 12 层、带最后的归一化层的前置归一化 Transformer：一共有多少个层归一化？",
                 live["norms_in_12_layer_pre_ln"], explanation="每个块两个，再加最后那一个。"),
    quiz.choice(f"x 的形状为 (2, 10, {MHA_D})，nn.MultiheadAttention({MHA_D}, {MHA_HEADS}, batch_first=True)(x, x, x) "
                "返回一个元组：它的第一个元素是什么形状？",
                str(live["mha_out_shape"]),
                {str(live["mha_weights_shape"]): "那是第二个元素，即注意力权重",
                 str((2, MHA_HEADS, 10, live["mha_head_size"])):
                     "各个头会重新拼接，再经过 out_proj 投影",
                 str((10, 2, MHA_D)): "batch_first=True 让批维度保持在最前面"},
                explanation="与输入形状相同：它是注意力的输出。"),
    quiz.choice("第二个元素又是什么形状（need_weights=True，即默认值）？",
                str(live["mha_weights_shape"]),
                {str((2, MHA_HEADS, 10, 10)): "只有 average_attn_weights=False 时才是这样；默认会对各个头"
                                              "取平均",
                 str(live["mha_out_shape"]): "那是输出",
                 str((2, 10, live["mha_head_size"])): f"{live['mha_head_size']} 是每个头的 query 和 key 的维度，"
                                                      "不是权重的"},
                explanation="每个 (query, key) 对一个权重，在各个头上取平均。"),
    quiz.numeric("一个新建的 nn.BatchNorm1d(1) 在训练模式下处理了一个批次，取值为 0, 0, 2, 2。"
                 "现在 running_mean 是多少？", live["running_mean_after_one_batch"], precision=3,
                 explanation="(1 - 0.1) x 0 + 0.1 x 1：momentum 是新批次的权重。"),
    quiz.numeric("running_var 呢（保留 3 位有效数字）？", live["running_var_after_one_batch"],
                 precision=3, explanation="0.9 x 1 + 0.1 x 4/3：更新用的是这个批次的无偏方差 4/3，"
                                          "而不是有偏方差 1。"),
    quiz.numeric("源材料的层归一化（x.var()，无偏）在 d = 64 时：它的输出是 nn.LayerNorm 输出的"
                 "多少倍（保留 3 位有效数字）？",
                 live["source_layernorm_factor"], precision=3,
                 explanation="sqrt(63/64)：无偏方差除以的是 d - 1。"),
    quiz.choice("在 model.train() 和 model.eval() 之间，nn.LayerNorm 有什么变化？",
                "没有变化" if live["layernorm_same_in_eval"] else "它的输出",
                {"改用滑动统计量": "层归一化没有滑动统计量，每个 token 都用自己的统计量",
                 "不再加 eps": "两种模式下 eps 相同"},
                explanation="训练和推理的计算完全相同。"),
    quiz.choice("在 model.train() 和 model.eval() 之间，nn.BatchNorm1d 有什么变化？",
                "改用滑动统计量而不是当前批的统计量来归一化，并且不再更新它们"
                if not live["batchnorm_same_in_eval"] else "没有变化",
                {"没有变化": "上面测过了：输出不同",
                 "缩放参数和平移参数被冻结": "eval() 不会冻结参数；"
                                              "冻结参数靠 requires_grad_(False)"},
                explanation="所以忘了切到 eval 模式的模型，换一个批次预测结果就不同。"),
    quiz.choice("原始 Transformer（Vaswani 等人，2017）把层归一化放在哪里？", "后置归一化（Post-LN）",
                {"前置归一化（Pre-LN）": "前置归一化是后来才有的（tensor2tensor 2018、Wang 等人 2019、Baevski 和 Auli "
                                          "2019、GPT-2 2019；Xiong 等人 2020 对它做了分析）",
                 "不用归一化": "每个子层后面都跟着一个层归一化"},
                explanation="LayerNorm(x + Sublayer(x))，BERT 也是这样。"),
    quiz.choice("GPT-2 把层归一化放在哪里？", "前置归一化，外加最后的归一化层",
                {"后置归一化": "GPT-2 把归一化挪到了每个子块的输入处",
                 "前置归一化，没有最后的归一化层": "GPT-2 在最后一个块之后加了一个层归一化"},
                explanation="Radford 等人（2019），第 2.3 节。"),
    quiz.choice("LLaMA 用的是哪种归一化、放在哪里？", "前置归一化，用均方根归一化",
                {"后置归一化，用层归一化": "那是原始 Transformer 和 BERT",
                 "前置归一化，用批归一化": "批统计量不适合长度不一的文本"},
                explanation="Touvron 等人（2023），第 2.2 节。"),
]
assert len(questions) >= 15

# %% slideshow={"slide_type": "skip"}
quiz.show(questions)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 第 4 部分：开口讲
#
# 关于残差连接和层归一化，面试中最可能被问到的十道口答题。每道题先对着计时器说出 15 秒的回答，再说 45 秒的回答，然后对照**评分要点**：说到一条得一分，好的回答每条都说到。“追问”是面试官接下来会问的。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q1. 残差连接为什么能让深层网络训练得动？
#
# **15 秒：** 残差块输出 `x + F(x)`，默认就是恒等映射（identity mapping），反向传播时梯度总有一条直达的路径（`∂y/∂x = I + ∂F/∂x`），所以很深的网络也能训练，而普通网络（plain network）越深反而越差。
#
# **45 秒：** ① 每个块只需学习对恒等映射的修正 `F(x)`，“什么都不做”很容易（`F ≈ 0`）；② 反向时 `I` 这一项让梯度绕过每个块，不必连乘很多个小的雅可比矩阵；③ 何恺明等人（He et al., 2016）用退化问题（degradation problem）说明：34 层普通网络的训练误差比 18 层的还高，加上残差连接后 34 层更好。
#
# **追问：** 它能限制前向信号吗？——不能，没有归一化时残差流（residual stream）的方差每过一个块约乘以 `1 + Var F / Var x`。还有别的解释吗？——Veit 等人（2016）：残差网络像许多长短不一的路径的集成，训练时的梯度主要来自其中较短的路径，删掉一个块几乎不影响。代价呢？——恒等捷径连接（shortcut）没有参数，只多一次逐元素加法。
#
# **评分要点：** `x + F(x)`；梯度 `I + ∂F/∂x`（恒等路径）；普通网络的退化，看的是*训练*误差；何恺明等人，2016。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q2. 残差连接解决了梯度消失和梯度爆炸吗？
#
# **15 秒：** 只对了一半：恒等路径缓解了梯度消失（vanishing gradients），但不能防止梯度爆炸（exploding gradients）；没有归一化或缩放初始化时，残差流和梯度都会随深度变大。
#
# **45 秒：** ① 恒等项让梯度不随深度消失；② 前向时每个块把分支加到残差流上，方差每块约乘以 `1 + Var F / Var x`，随深度按几何级数增长，底数由初始化决定：两层 ReLU 分支在 PyTorch 默认初始化下每块约 1.06，在何恺明初始化（He initialisation）下为 2；反向时 `∂L/∂x_l = ∂L/∂x_L · ∏ (I + J_k)` 也逐块同样增长，所以无归一化的 ResNet 在初始化时就有梯度爆炸（Zhang、Dauphin 和 Ma，2019，Fixup）；③ 在分支里加归一化层、在最后加一个归一化层（final norm），或者用缩放初始化（Fixup），或者像 GPT-2 那样把每个残差层输出端的权重乘以 `1/sqrt(N)`（`N` 为残差层数，每个 Transformer 块两个），都能把它控制住。
#
# **追问：** ResNet 的真正动机是什么？——退化问题，而不是梯度消失（批归一化和好的初始化已经能处理梯度消失）。把捷径连接乘以 0.5 会怎样？——何恺明等人（2016b）：深层网络训练失败，恒等映射不能缩放。
#
# **评分要点：** “只对一半”；恒等路径缓解梯度消失；没有归一化时前向方差和反向梯度逐块增长；一种解决办法（归一化、Fixup 或 `1/sqrt(N)`）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q3. 什么是层归一化，怎么计算？
#
# **15 秒：** 对每个 token，在它自己的 `d` 个特征上减均值、除以 `sqrt(var + eps)`，再乘每个特征的缩放参数 γ、加平移参数 β。
#
# **45 秒：** ① 统计量按样本（按 token）在最后一维上计算，与批无关；② 用有偏方差（除以 `d`），`eps` 在根号里，与 PyTorch 的 `nn.LayerNorm` 一致；③ γ、β 都是长度为 `d` 的向量，共 `2d` 个参数，给每个特征一个可学习的尺度和偏移；和批归一化不同，它们无法撤销逐样本的归一化，因为每个 token 的均值和标准差都不一样。
#
# **追问：** 写成 `x.var(-1)` 会怎样？——那是无偏方差，输出是正确值的 `sqrt((d-1)/d)` 倍（`d = 64` 时偏小 0.78%），`d = 1` 时为 NaN；本课程评析的源材料就是这样写的。有哪些不变性？——Ba 等人（2016，表 1）：对单个样本、整个数据集或权重矩阵的缩放（re-scaling）不变，对权重矩阵的重新中心化（re-centering）也不变；对数据集的重新中心化则不然。为什么要 `eps`？——输入为常数时避免除以零。
#
# **评分要点：** 按 token、在特征维上；均值和有偏方差；`eps` 在根号里；每个特征一个 γ、β。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q4. 层归一化和批归一化有什么区别？Transformer 为什么用层归一化？
#
# **15 秒：** 批归一化对每个通道在批上统计，推理时要用滑动统计量；层归一化对每个 token 在特征上统计，训练和推理完全相同，适合变长序列和小批量。
#
# **45 秒：** ① 统计维度不同：批归一化按通道、跨样本（和长度）统计；层归一化按 token、跨特征统计；② 批归一化在 `eval()` 时改用滑动的均值和方差，层归一化没有这种状态，也没有训练/推理差异；③ 序列任务里，填充和长度不一会污染批统计量，而逐 token 的统计在批大小为 1 时也能用；在大批量的 CNN 里，批归一化依然好用。
#
# **追问：** 用批归一化却忘了 `model.eval()` 会怎样？——预测依赖同批的其他样本，滑动统计量也会漂移。层归一化是正则化方法吗？——主要不是：它是确定性的，没有批噪声。批归一化的滑动统计量怎么更新？——PyTorch 的 momentum 默认 0.1，是新批次的权重：`running = 0.9 · running + 0.1 · batch`，方差用无偏估计；Keras 的 momentum 0.99 则是旧值的权重；Ioffe 和 Szegedy（2015，算法 2）对多个小批量取平均，方差乘以 `m/(m-1)` 修正。
#
# **评分要点：** 两种统计维度；滑动统计量与训练/推理切换；适合序列的理由（长度、填充、批大小）；层归一化没有训练/推理差别。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q5. 前置归一化和后置归一化有什么区别？
#
# **15 秒：** 后置归一化（Post-LN）在残差相加之后归一化，`norm(x + F(x))`（原始 Transformer、BERT）；前置归一化（Pre-LN）只归一化分支的输入，`x + F(norm(x))`，最后再加一个归一化层（GPT-2 和大多数大模型）。前置归一化更容易把很深的网络训练起来。
#
# **45 秒：** ① 后置归一化直接作用在残差流上，没有干净的恒等路径；前置归一化不对残差流本身做归一化，从输入到输出留有一条恒等路径；② Xiong 等人（2020）认为：初始化时后置归一化靠近输出的梯度很大，所以需要学习率预热（warm-up）；前置归一化的梯度按 `1/sqrt(L)` 缩小，在他们的 BERT 和翻译实验里不用预热也能训练；③ 前置归一化需要最后的归一化层，因为残差流的尺度随深度增长；残差流越来越大，越往后的块对它的相对贡献也越小。
#
# **追问：** 前置归一化的大模型不用预热吗？——仍然用：GPT-3、LLaMA（2,000 步）。前置归一化一定更好吗？——不是：后置归一化一旦训练成功，最终效果往往略好（Liu 等人，2020），这也是 Admin 和 DeepNorm 的出发点。Xiong 的解释是唯一的吗？——Liu 等人（2020）认为问题在于放大效应：输出强烈依赖残差分支，小的参数更新也会让输出变化很大。有哪些新的变体？——三明治归一化（sandwich norm）/ Peri-LN（每个子层前后都有归一化）、DeepNorm（Wang 等人，2022：后置归一化，捷径连接乘以放大系数 `α`，部分权重的初始化再按 `β` 缩小）、均方根归一化。
#
# **评分要点：** 两个公式；哪些模型用哪种；预热与 Xiong 等人（2020），限定*在其实验设置下*；前置归一化要有最后的归一化层。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q6. 为什么后置归一化的 Transformer 需要学习率预热？
#
# **15 秒：** 训练一开始就用完整步长的更新会让它不稳定，学习率预热让最初的更新足够小；至于最初的更新为什么有害，有三种解释：初始化时靠近输出的梯度很大（Xiong 等人，2020）、输出变化的放大效应（Liu 等人，2020）、Adam 早期的二阶矩估计噪声大（Liu 等人，ICLR 2020）。
#
# **45 秒：** ① Xiong 等人（2020）：后置归一化靠近输出的梯度范数不随深度减小，前置归一化则按 `1/sqrt(L)` 减小，梯度大则最初的步子大；但 Adam 会把梯度的尺度归一化（每步大约是 `lr`，与梯度大小无关），所以还需要两种对 Adam 成立的解释来补全：Liu 等人（2020）认为同样大小的更新会让后置归一化的输出变化更大（放大效应）；Liu 等人（ICLR 2020，RAdam）指出 Adam 一开始的二阶矩估计只基于很少几步，方差很大；② 一开始就用大学习率，后置归一化会发散或卡住，在前几千步线性预热可以避免；③ 在 Xiong 等人的 BERT 和翻译实验中前置归一化不用预热也能训练，但这不是普遍规律：GPT-3、LLaMA 这样的前置归一化大模型仍然预热。
#
# **追问：** 放大效应有多大？——Liu 等人（2020）：小的参数更新带来的输出平方变化，后置归一化为 `O(N)`，前置归一化为 `O(log N)`，他们据此提出了 Admin。不预热的话，后置归一化还能靠什么？——DeepNorm 和 Admin 能让很深的后置归一化稳定训练，但它们的训练配置仍然预热；T-Fixup（Huang 等人，2020）是一种初始化方法，实验表明不用预热、也不用层归一化就能训练。
#
# **评分要点：** 最初几步要小；Xiong 的初始化梯度大，*以及*为什么对 Adam 这还解释不了（放大效应、RAdam 的方差）；前置归一化免预热仅限 Xiong 的实验设置；大模型仍然预热。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q7. 什么是均方根归一化，大模型为什么用它？
#
# **15 秒：** 去掉均值的层归一化：除以 `sqrt(mean(x²) + eps)` 再乘缩放参数；只有一个统计量、没有平移参数，更省计算，实际效果相当，所以 LLaMA 等大多数现有大模型都用它。
#
# **45 秒：** ① Zhang 和 Sennrich（2019）：缩放比重新中心化更重要，于是去掉均值和平移参数；② 少一次归约，参数从 `2d` 变成 `d`，计算和访存都更少；③ 保留了层归一化对缩放的不变性，失去了对重新中心化的不变性。
#
# **追问：** 哪些模型在用？——LLaMA 用的是前置的均方根归一化（Touvron 等人，2023）。会影响训练吗？——报告的效果基本相同，好处在速度。不用归一化的方案呢？——Dynamic Tanh（Zhu 等人，2025）用 `γ · tanh(αx) + β` 替代归一化层。
#
# **评分要点：** 不减均值的公式；只有缩放参数；更省；失去了哪种不变性；举出一个使用它的模型。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q8. 残差连接会增加参数量和计算量吗？
#
# **15 秒：** 恒等捷径连接没有参数，只多一次逐元素加法；只有在形状变化处使用的投影捷径（projection shortcut，1x1 卷积或线性层）才增加参数。
#
# **45 秒：** ① `y = x + F(x)`，捷径连接是恒等映射，没有要学的东西；② 计算量只多一次逐元素加法，和 `F` 里的矩阵乘法相比可以忽略；③ 通道数或分辨率变化时，ResNet 用投影 `W_s x`；何恺明等人（2016，第 4.1 节和表 3）比较了 A/B/C 三种方案：全部用投影（方案 C）收益很小。
#
# **追问：** 显存呢？——加法的反向传播不需要保存任何东西；前向时 `x` 要保留到相加为止，对峰值显存影响很小。步长为 2 的块怎么处理？——投影用同样的步长。
#
# **评分要点：** 恒等捷径连接 0 个参数；一次加法；形状变化时才用投影；何恺明等人，2016。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q9. 层归一化是一种正则化方法吗？
#
# **15 秒：** 主要不是：它是确定性的，训练和推理完全相同，不引入噪声；它的作用是把每层输入的尺度固定下来，帮助优化。
#
# **45 秒：** ① 正则化靠注入噪声或惩罚项（dropout、权重衰减），层归一化两者都没有；② 批归一化因批噪声有一点正则化的副作用，层归一化的统计量来自样本自身，没有这种噪声；③ 它真正的作用是稳定激活的尺度、改善梯度的条件数，让训练更快、更稳。
#
# **追问：** 那为什么有时测试精度会提高？——因为优化更好（可用更大的学习率），而不是因为噪声。它对什么不变？——对单个样本或整个权重矩阵的缩放不变；对单个权重向量的缩放、数据集的重新中心化则不然（Ba 等人，2016，表 1）。
#
# **评分要点：** “不是，主要帮助优化”；确定性，训练和测试时相同；与批归一化的批噪声对比。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Q10. 讲一讲 Transformer 块里的残差流。
#
# **15 秒：** 残差流 `x` 从嵌入（embedding）一直通到输出头；每个子层读入归一化后的副本，再把输出加回去：`x = x + attn(norm1(x)); x = x + ffn(norm2(x))`，输出头前还有一个最后的归一化层（前置归一化）。
#
# **45 秒：** ① 每个块有两个子层，各有自己的捷径连接和归一化层；② 块内从不对残差流本身做归一化，所以保留了恒等路径，但尺度随深度增长，因此需要最后的归一化层；③ 常见 bug：覆盖 `x` 之后写 `x = x + x`（丢了残差流）、忘了 `nn.MultiheadAttention` 返回元组、漏掉最后的归一化层。
#
# **追问：** 一个编码器层有多少参数？——`4d² + 2 d d_ff + 9d + d_ff`，其中归一化层占 `4d`。为什么初始化时要缩小分支输出？——GPT-2 把每个残差层输出端的权重乘以 `1/sqrt(N)`（`N` 为残差层数，每个块两个），让它们累加后残差流的方差仍然有界。
#
# **评分要点：** 两行更新公式；归一化作用在分支输入上，而不是残差流上；最后的归一化层；一个典型 bug。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR.（图 1 和图 4：退化问题；第 3.3 节：恒等捷径连接和投影捷径；第 4.1 节和表 3：A/B/C 三种方案的比较。）
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV.（图 2-3：缩放的捷径连接；图 4：预激活块。）
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.（表 1：不变性。）
# - Ioffe, Szegedy (2015). *Batch Normalization.* ICML.（第 3.1 节：γ 和 β 可以恢复原来的激活；算法 2：推理用的总体统计量。）
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS.（后置归一化。）
# - Vaswani et al. (2018). *Tensor2Tensor for Neural Machine Translation.* AMTA.（参考实现中的前置归一化。）
# - Rush (2018). *The Annotated Transformer.*（用 `std + eps` 的层归一化。）
# - Wang, Li, Xiao, Zhu, Li, Wong, Chao (2019). *Learning Deep Transformer Models for Machine Translation.* ACL.（深层编码器用前置归一化。）
# - Baevski, Auli (2019). *Adaptive Input Representations for Neural Language Modeling.* ICLR.（前置归一化的语言模型。）
# - Radford et al. (2019). *Language Models are Unsupervised Multitask Learners.*（GPT-2，第 2.3 节：前置归一化、最后的归一化层、`1/sqrt(N)` 残差缩放。）
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization: Residual Learning Without Normalization.* ICLR.（无归一化的 ResNet 在初始化时的梯度爆炸。）
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.* EMNLP.（放大效应；Admin。）
# - Liu, Jiang, He, Chen, Liu, Gao, Han (2020). *On the Variance of the Adaptive Learning Rate and Beyond.* ICLR.（RAdam：Adam 早期步骤的方差。）
# - Huang, Perez, Ba, Volkovs (2020). *Improving Transformer Optimization Through Better Initialization.* ICML.（T-Fixup：不用预热，也不用层归一化。）
# - Wang, Ma, Dong, Huang, Zhang, Wei (2022). *DeepNet: Scaling Transformers to 1,000 Layers.* arXiv:2203.00555.（DeepNorm：捷径连接上的 `α`，初始化时的 `β`。）
# - Veit, Wilber, Belongie (2016). *Residual Networks Behave Like Ensembles of Relatively Shallow Networks.* NeurIPS.
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.
# - Brown et al. (2020). *Language Models are Few-Shot Learners.* NeurIPS.（GPT-3：学习率预热。）
# - Touvron et al. (2023). *LLaMA: Open and Efficient Foundation Language Models.* arXiv:2302.13971.（第 2.2 节：用均方根归一化做前置归一化；第 2.3 节：2,000 步预热。）
# - Zhu, Chen, He, LeCun, Liu (2025). *Transformers without Normalization.* CVPR.（Dynamic Tanh。）

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
# # 03 · Transformer 中的残差连接与层归一化
#
# [English](../03_transformer_residual_layernorm.ipynb)
#
# **题目（原文）**：请解释 Transformer 模型中的残差连接和层规范化的作用。
#
# （原文的“层规范化”即本课程的层归一化（LayerNorm）。）
#
# 原文的说法是：残差连接（residual connection）让模型可以做得更深，并缓解梯度消失和梯度爆炸；层归一化让训练稳定、收敛更快；
# 它还给出了一个 Transformer 层的代码。可这个层根本没有残差连接：它的 `x = x + x` 是把分支的输出和自己相加。
# 代码在每个子层（sublayer）前放了一个归一化，但正文从没讨论归一化*放在哪里*，而这个选择（Post-LN 还是 Pre-LN）
# 决定了梯度随深度如何变化，在某些设置下还决定了深层 Transformer 不用学习率预热（warm-up）能不能训练起来。
# 本 notebook 重现原文的层并测量它丢掉了什么；拿我们的 Post-LN 块和 Pre-LN 块与 PyTorch 自带的层逐一核对；
# 在两种输入尺度下，用玩具规模的模型复现 Xiong 等人（2020）给出的梯度随深度的缩放规律；沿着梯度一路追到输入；
# 分别在有、无学习率预热的情况下训练深层 Transformer；测量 Pre-LN 不断增长的残差流（residual stream）有什么代价；
# 最后说明 Transformer 为什么用层归一化而不用批归一化（BatchNorm）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简答

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **残差连接**包住每个子层：`x + attention(x)`、`x + ffn(x)`。它把每个 token 的向量原样带过每个子层，
#   所以 token 本身和它的位置信息能穿过很多层保留下来，梯度也能传到最前面的层。没有它，注意力会一层又一层地把各个位置平均到一起，
#   几层之后每个位置上的向量都一样。
# - **层归一化**把每个 token 的向量缩放成均值 0、方差 1（再乘以可学习的缩放参数 γ、加上平移参数 β）。
#   它只用这个 token 自己的统计量；换成批归一化，批统计量会让因果模型中靠后的 token 改变靠前位置的输出，
#   填充（padding）和批大小也会改变结果。
# - **归一化放在哪里很关键。***后置归一化（Post-LN）*（原始 Transformer）：`x = LN(x + sublayer(x))`，
#   每个子层之后都对残差流做归一化，尺度固定，但捷径连接（shortcut）要穿过 2L 个层归一化。
#   *前置归一化（Pre-LN）*（GPT-2 以及此后大多数语言模型）：`x = x + sublayer(LN(x))`，输出头前再加一个最后的归一化层（final norm）：
#   捷径连接是恒等映射，不经过任何权重或归一化，残差流按 `sqrt(l)` 增长。
# - 初始化时，Post-LN 模型最后一层（FFN 的输出矩阵）的梯度不随深度减小；Pre-LN 模型的这个梯度在各块的贡献超过输入之后按
#   `1/sqrt(L)` 减小（Xiong 等人，2020）。造成这一减小的是 Pre-LN 最后的归一化层，而底层的梯度更大。
#   在他们的 BERT 和翻译实验里，Post-LN 需要学习率预热，Pre-LN 不需要；但大型前置归一化模型（用 LayerNorm 的 GPT-3、
#   用 RMSNorm 的 LLaMA）仍然用预热。
# - Post-LN 为什么脆弱还有争议：Xiong 等人归因于靠近输出的梯度过大；Liu 等人（2020）认为梯度不平衡并非根本原因，
#   而是 Post-LN 对残差分支依赖过重，把每次参数更新都放大了。
# - 两种放法各有代价。Pre-LN：残差流不断增长，越靠后的层对它的改变比例越小，输出头的输入需要重新固定尺度
#   （GPT-2 加了最后的归一化层，这也正是最后一层梯度随深度减小的原因）。Post-LN：初始化时，梯度主要经由各个分支传回底层，
#   模型越深越是如此，因为只走捷径连接的话，每经过一个层归一化梯度都会损失一部分。

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

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. 重现原文的层
#
# 原文的代码（第 3 题），照原样：
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
# 第二行之后，`x` 已经是注意力的输出，层的输入被覆盖掉了。接下来的 `x = x + x` 只是把注意力输出翻倍，
# 并没有把它加到输入上。前馈网络（FFN）那里也一样。残差连接一个都不剩。
#
# 还有两个小问题：代码片段里没有定义 `MultiHeadAttention` 和 `PositionwiseFeedForward`；如果 `self.attn` 是 PyTorch 的
# `nn.MultiheadAttention`，这个调用会出错。它返回的是一个元组（输出和注意力权重），掩码参数名是 `attn_mask` 而不是 `mask`：

# %% slideshow={"slide_type": "-"}
kind, error = multihead_attention_returns_a_tuple()
print(f"nn.MultiheadAttention(...)(x, x, x) 返回的是 {kind}")
print(f"再对它调用 nn.Dropout：TypeError: {error}")
assert kind == "tuple" and "tuple" in error

# %% [markdown] slideshow={"slide_type": "subslide"}
# `resnorm.models.TransformerBlock` 在同一个 `forward` 里实现了全部三种接法，参数完全相同
# （`placement="source"` 就是原文的层，只是注意力能正常工作）：

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(TransformerBlock.forward))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 测试 1：分支输出为零
#
# 把两个分支的最后一层（注意力的输出投影和 FFN 的第二个线性层）置零，两个分支的输出就恰好为 0。
# 残差连接正常的块此时必须把输入原样传下去。Pre-LN 恰好返回 `x`；Post-LN 返回 `LN(LN(x))`，即归一化后的输入；
# 原文的层返回 0：输入没了。这几项检查只是演示：每一项都由各自的接法直接决定，它们的作用是让原文的接法丢掉了什么一目了然。

# %% slideshow={"slide_type": "-"}
zero = zero_branch_outputs(seed=SEEDS[0])
checks = {
    "post": ("LN(LN(x))", zero.max_difference("post", zero.layer_norm_of_input(2))),
    "pre": ("x", zero.max_difference("pre", zero.x)),
    "source": ("0", zero.max_difference("source", 0 * zero.x)),
}
for placement, (expected, difference) in checks.items():
    shown = "恰好为 0" if difference == 0 else ("< 1e-5" if difference < 1e-5 else f"{difference:.2g}")
    print(f"{placement:6s}：输出 = {expected:9s}（最大差值：{shown}），"
          f"||output|| / ||x|| = {zero.relative_size(placement):.2f}")

# %% slideshow={"slide_type": "fragment"}
assert checks["pre"][1] == 0.0, "分支为零时，Pre-LN 是恒等映射"
assert checks["post"][1] < 1e-5, "分支为零时，Post-LN 对输入做两次归一化"
assert zero.relative_size("source") == 0.0, "原文的层输出恰好为零"
assert zero.relative_size("post") > 0.5, "Post-LN 保留了输入（归一化后的）"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 测试 2：初始化时的多层堆叠
#
# 每种层各堆 1、2、4、16 层，用 PyTorch 的默认初始化，加上嵌入层（embedding）和线性输出头
# （`resnorm.models.TinyTransformer`，宽度 32，4 个头）。每个模型拿到 32 条长度为 8 的序列，任务是*反转*
# （把输入倒序输出），做一次反向传播；共 5 个随机种子。$L$ 层的堆叠取自每个随机种子、每种层各一个 16 层堆叠的前 $L$ 层，
# 再接上输出头（相当于一个新初始化的 $L$ 层堆叠；和第 3 节一样，一次前向传播就能覆盖所有深度）。
# 原文的堆叠和 Pre-LN 堆叠的区别不只在残差连接：它没有最后的归一化层，还把最后一个 FFN 的输出翻了倍。
# 所以我们加一个只改残差连接的对照组：去掉两处求和里的 `x +`、保留最后的归一化层的 Pre-LN（`residual=False`）。
# 左图：输出头的输入中，同一序列各位置之间仍有差别的比例（0 表示每个位置得到的向量都一样）。右图：传到 token 嵌入的梯度。

# %% slideshow={"slide_type": "subslide"}
stack = run_source_stack(depths=(1, 2, 4, 16), placements=("post", "pre", "source", "pre_no_residual"),
                         seeds=SEEDS)
_ = plot_source_stack(stack)

# %% slideshow={"slide_type": "fragment"}
spread, grad = stack.position_spread, stack.embedding_grad
ratio = grad["source"] / np.minimum(grad["post"], grad["pre"])  # （随机种子，深度）
median_ratio = np.median(ratio, axis=0)
print(f"2 层时各位置之间仍有差别的比例：原文的层最多 {spread['source'][:, 1].max():.2f}，"
      f"Post-LN 至少 {spread['post'][:, 1].min():.2f}，Pre-LN 至少 {spread['pre'][:, 1].min():.2f}")
print(f"从 4 层起，原文的层最多 {spread['source'][:, 2:].max():.0e}")
print("原文的层的嵌入梯度 / 正确的块的嵌入梯度，各随机种子的中位数："
      + "，".join(f"{d} 层 {r:.2f}" for d, r in zip(stack.depths, median_ratio)))
print(f"16 层，各随机种子：{ratio[:, -1].min():.2f} 到 {ratio[:, -1].max():.2f}")


control = np.median(grad["pre_no_residual"] / grad["pre"], axis=0)
print("去掉 `x +` 的 Pre-LN / Pre-LN，嵌入梯度，各随机种子的中位数："
      + "，".join(f"{d} 层 {r:.2f}" for d, r in zip(stack.depths, control)))
print(f"去掉 `x +` 的 Pre-LN，从 4 层起各位置之间仍有差别的比例：最多 "
      f"{spread['pre_no_residual'][:, 2:].max():.0e}")

assert np.all(spread["source"][:, 1] < 0.1), "原文的层：两层就已经抹掉了位置之间的差别"
assert np.all(spread["source"][:, 2:] < 1e-3), "原文的层：从 4 层起，每个位置都一样"
assert np.all(spread["post"] > 0.5) and np.all(spread["pre"] > 0.5), "有残差连接的块保住了各位置的差别"
assert median_ratio[-1] < 0.3, "原文的层：16 层时传到输入的梯度少得多（中位数）"
assert median_ratio[-1] < 0.5 * median_ratio[0], "原文的层：而且差距随深度扩大"
assert np.all(spread["pre_no_residual"][:, 2:] < 1e-3), "对照组：只去掉 `x +` 就抹掉了位置之间的差别"
assert control[-1] < 0.5 and control[-1] < 0.3 * control[0], "对照组：传到输入的梯度也随深度衰减"

# %% [markdown] slideshow={"slide_type": "-"}
# 注意力在每个位置的输出是所有位置的值（value）的加权*平均*，所以它会把各位置混在一起。在正确的块里，
# 残差连接把这个混合结果加到每个 token 自己的向量上，而这个向量仍带着该 token 及其位置的信息。
# 原文的层里没有任何东西把这些信息带过注意力，于是各位置之间的差别一层比一层小。
# 对照组说明原因正是缺了 `x +`：只去掉 `x +` 的 Pre-LN 同样很快丢掉位置信息，传到其嵌入的梯度也随深度衰减，
# 因为现在每条回到输入的路径都要穿过每一个分支（只有一层时，梯度甚至比有残差连接时还大；衰减说的是随深度的趋势）。
# Dong 等人（2021）证明了*纯*注意力（没有捷径连接也没有 MLP）的秩随深度呈双指数下降；他们还指出，MLP 能减缓这种坍缩，
# 捷径连接能阻止它。我们的块有 MLP，坍缩依然很快。一个让每个位置输出都相同的堆叠不可能把序列反转过来。
# 梯度衰减的程度因随机种子而异（一批数据、一个随机模型），所以我们的结论针对的是五个随机种子的中位数及其随深度的趋势。

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
# 注：原文说“层规范化”，本课程统一用“层归一化”（LayerNorm）。
#
# 原文的说法是：残差连接（residual connection）让模型可以做得更深，并缓解梯度消失和梯度爆炸；层归一化让训练稳定、收敛更快；它还给出了一个 Transformer 层的代码。可这个层根本没有残差连接：它的 `x = x + x` 是把分支的输出和自己相加。代码在每个子层（sublayer）前放了一个归一化，但正文从没讨论归一化*放在哪里*，而这个选择——后置归一化（Post-LN）还是前置归一化（Pre-LN）——决定了梯度随深度如何变化，在某些设置下还决定了深层 Transformer 不用学习率预热（warm-up）能不能训练起来。本 notebook 重现原文的层并测量它丢掉了什么；拿我们的 Post-LN 块和 Pre-LN 块与 PyTorch 自带的层逐一核对；在两种输入尺度下，用玩具规模的模型复现 Xiong 等人（2020）给出的梯度随深度的缩放规律；沿着梯度一路追到输入；分别在有、无学习率预热的情况下训练深层 Transformer；测量 Pre-LN 不断增长的残差流（residual stream）有什么代价；最后说明 Transformer 为什么用层归一化而不用批归一化（BatchNorm）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简短回答

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **残差连接**包住每个子层：`x + attention(x)`、`x + ffn(x)`。它把每个 token 的向量原样带过每个子层，所以 token 本身和它的位置信息能穿过很多层保留下来，梯度也能传到最前面的层。没有它，注意力会一层又一层地把各个位置平均到一起，几层之后每个位置上的向量都一样。
# - **层归一化**把每个 token 的向量归一化为均值 0、方差 1（再乘以可学习的缩放参数 γ、加上平移参数 β）。它只用这个 token 自己的统计量；换成批归一化，批统计量会让因果模型中靠后的 token 改变靠前位置的输出，填充（padding）和批大小也会改变结果。
# - **归一化放在哪里很关键**。*Post-LN*（后置归一化，原始 Transformer）：`x = LN(x + sublayer(x))`，每个子层之后都对残差流做归一化，尺度固定，但捷径连接（shortcut）要穿过 2L 个层归一化。*Pre-LN*（前置归一化，GPT-2 以及此后大多数语言模型）：`x = x + sublayer(LN(x))`，输出头（head）前再加一个最后的归一化层（final norm）：捷径连接是恒等映射，不经过任何权重或归一化，残差流按 `sqrt(l)` 增长。
# - 初始化时，看最后一层前馈网络（FFN）输出矩阵的梯度：Post-LN 模型的不随深度减小；Pre-LN 模型的在各块的贡献超过输入之后按 `1/sqrt(L)` 减小（Xiong 等人，2020）。造成这一减小的是 Pre-LN 最后的归一化层，而底层的梯度更大。在他们的 BERT 和翻译实验里，Post-LN 需要学习率预热，Pre-LN 不需要；但大型前置归一化模型（用 LayerNorm 的 GPT-3、用 RMSNorm 的 LLaMA）仍然用预热。
# - Post-LN 为什么脆弱还有争议：Xiong 等人归因于靠近输出的梯度过大；Liu 等人（2020）认为梯度不平衡并非根本原因，而是 Post-LN 对残差分支依赖过重，把每次参数更新都放大了。
# - 两种放法各有代价。Pre-LN：残差流不断增长，越靠后的层对它的改变比例越小，输出头的输入需要重新固定尺度（GPT-2 加了最后的归一化层，这也正是最后一层梯度随深度减小的原因）。Post-LN：初始化时，梯度主要经由各个分支传回底层，模型越深越是如此，因为只走捷径连接的话，每经过一个层归一化梯度都会损失一部分。

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
# 原文的代码（第 3 题）原样照录如下：
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
# 第二行之后，`x` 已经是注意力的输出，层的输入被覆盖掉了。接下来的 `x = x + x` 只是把注意力输出翻倍，并没有把它加到输入上。前馈网络那里也一样。残差连接一个都不剩。
#
# 还有两个小问题：代码片段里没有定义 `MultiHeadAttention` 和 `PositionwiseFeedForward`；如果 `self.attn` 是 PyTorch 的 `nn.MultiheadAttention`，这个调用会出错。它返回的是一个元组（输出和注意力权重），掩码参数名是 `attn_mask` 而不是 `mask`：

# %% slideshow={"slide_type": "-"}
kind, error = multihead_attention_returns_a_tuple()
print(f"nn.MultiheadAttention(...)(x, x, x) 返回的是 {kind}")
print(f"再对它调用 nn.Dropout：TypeError: {error}")
assert kind == "tuple" and "tuple" in error

# %% [markdown] slideshow={"slide_type": "subslide"}
# `resnorm.models.TransformerBlock` 在同一个 `forward` 里实现了全部三种接法，参数完全相同（`placement="source"` 就是原文的层，只是注意力能正常工作）：

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(TransformerBlock.forward))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 测试 1：分支输出为零
#
# 把两个分支的最后一层（注意力的输出投影和 FFN 的第二个线性层）置零，两个分支的输出就恰好为 0。残差连接正常的块此时必须把输入原样传下去。Pre-LN 恰好返回 `x`；Post-LN 返回 `LN(LN(x))`，即归一化后的输入；原文的层返回 0：输入没了。这几项检查只是演示：每一项都由各自的接法直接决定，它们的作用是让原文的接法丢掉了什么一目了然。

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
assert zero.relative_size("post") > 0.5, "Post-LN 保留了（归一化后的）输入"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 测试 2：初始化时的多层堆叠
#
# 每种层各堆 1、2、4、16 层，用 PyTorch 的默认初始化，加上嵌入层（embedding）和线性输出头（`resnorm.models.TinyTransformer`，宽度 32，4 个头）。每个模型拿到 32 条长度为 8 的序列，任务是*反转*（把输入倒序输出），做一次反向传播；共 5 个随机种子。每个随机种子、每种层只建一个 16 层的堆叠，$L$ 层的堆叠就是它的前 $L$ 层再接上输出头（相当于一个新初始化的 $L$ 层堆叠；和第 3 节一样，一次前向传播就能覆盖所有深度）。原文的堆叠和 Pre-LN 堆叠的区别不只在残差连接：它没有最后的归一化层，还把最后一个 FFN 的输出翻了倍。所以我们加一个只改残差连接的对照组：Pre-LN 去掉两处求和里的 `x +`，保留最后的归一化层（`residual=False`）。左图：输出头的输入中，同一序列各位置之间仍有差别的比例（0 表示每个位置得到的向量都一样）。右图：传到 token 嵌入的梯度。

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
print(f"从 4 层起，原文的层这一比例最多 {spread['source'][:, 2:].max():.0e}")
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
# 注意力在每个位置的输出是所有位置的值（value）的加权*平均*，所以它会把各位置混在一起。在正确的块里，残差连接把这个混合结果加到每个 token 自己的向量上，而这个向量仍带着该 token 及其位置的信息。原文的层里没有任何东西把这些信息带过注意力，于是各位置之间的差别一层比一层小。对照组说明原因正是缺了 `x +`：只去掉 `x +` 的 Pre-LN 同样很快丢掉位置信息，传到其嵌入的梯度也随深度衰减，因为现在每条回到输入的路径都要穿过每一个分支（只有一层时，梯度甚至比有残差连接时还大；衰减说的是随深度的趋势）。Dong 等人（2021）证明了*纯*注意力（没有捷径连接也没有 MLP）的秩随深度呈双指数下降；他们还指出，MLP 能减缓这种坍缩，捷径连接能阻止它。我们的块有 MLP，坍缩依然很快。一个让每个位置输出都相同的堆叠不可能把序列反转过来。梯度衰减的程度因随机种子而异（一批数据、一个随机模型），所以我们的结论针对的是五个随机种子的中位数及其随深度的趋势。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. 用 PyTorch 核对 Post-LN 和 Pre-LN
#
# 两种正确的接法，`attn` 和 `ffn` 表示两个子层（省略 dropout）：
#
# | | 一个块 | 最后一个块之后 |
# |---|---|---|
# | **Post-LN**（Vaswani 等人，2017） | `x = LN1(x + attn(x))`；`x = LN2(x + ffn(x))` | 什么都不加（最后一个块以层归一化结尾） |
# | **Pre-LN**（GPT-2，Radford 等人，2019） | `x = x + attn(LN1(x))`；`x = x + ffn(LN2(x))` | 输出头前加一个最后的 `LN(x)` |
#
# PyTorch 的 `nn.TransformerEncoderLayer` 两种都有：`norm_first=False` 是 Post-LN，`norm_first=True` 是 Pre-LN。我们的块按 PyTorch 的方式给参数命名，所以可以把 PyTorch 的权重直接载入我们的块（`load_state_dict(..., strict=True)`），然后比较两者的输出（训练模式和 eval 模式各比一次，eval 模式下 PyTorch 走的是融合的快速路径），以及一个固定的随机读出 `(output * r).sum()` 对输入的梯度。（用 `(output**2).sum()` 作损失什么也证明不了：经过缩放参数为 1、平移参数为 0 的层归一化，它在不计 `eps` 时对每个 token 都是常数 $d$，两边的梯度都约等于 0。）梯度的差值以梯度本身的大小为单位给出。

# %% slideshow={"slide_type": "-"}
comparisons = {
    "Post-LN vs norm_first=False": compare_with_torch_encoder_layer("post", seed=SEEDS[0]),
    "Pre-LN  vs norm_first=True": compare_with_torch_encoder_layer("pre", seed=SEEDS[0]),
    "Post-LN vs norm_first=True": compare_with_torch_encoder_layer("post", norm_first=True, seed=SEEDS[0]),
    "source  vs norm_first=True": compare_with_torch_encoder_layer("source", norm_first=True, seed=SEEDS[0]),
}
for label, c in comparisons.items():
    worst = max(c.output_diff, c.eval_output_diff)
    print(f"{label}：同样的 {c.n_parameters} 个权重，输出最大差值 "
          f"{'< 1e-5' if worst < 1e-5 else f'{worst:.1f}'}，输入梯度（大小 {c.input_grad_scale:.1f}）"
          f"的相对差值 {'< 1e-5' if c.relative_input_grad_diff < 1e-5 else f'{c.relative_input_grad_diff:.2f}'}")

# %% slideshow={"slide_type": "fragment"}
for label in ("Post-LN vs norm_first=False", "Pre-LN  vs norm_first=True"):
    c = comparisons[label]
    assert max(c.output_diff, c.eval_output_diff) < 1e-5, label
    assert c.input_grad_scale > 1 and c.relative_input_grad_diff < 1e-5, f"{label}：输入梯度相同"
for label in ("Post-LN vs norm_first=True", "source  vs norm_first=True"):
    assert comparisons[label].output_diff > 0.1, f"{label}：同样的权重，不同的接法"

# %% [markdown] slideshow={"slide_type": "-"}
# 权重相同，参数量相同：Post-LN、Pre-LN 和原文的层只在加法和归一化的先后顺序上不同。最后两行说明，这个顺序会让输出完全不同。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. 初始化时的梯度（Xiong 等人，2020）
#
# Xiong 等人（2020，定理 1）考察的是初始化时的梯度，对象是 $L$ 层模型最后一层 FFN 的第二个矩阵 $W^{2,L}$（即我们的 `blocks[-1].linear2.weight`）：
#
# - Post-LN：$\|\partial \mathcal{L} / \partial W^{2,L}\|_F \le O(d\sqrt{\ln d})$，**与 $L$ 无关**；
# - Pre-LN：$\|\partial \mathcal{L} / \partial W^{2,L}\|_F \le O\big(d\sqrt{\ln d / L}\big)$，**按 $1/\sqrt{L}$ 减小**。
#
# 原因：Pre-LN 的残差流是输入加上每个块加进来的东西，而最后的归一化层会把梯度除以残差流的大小。他们的引理 2 假设输入是单位尺度的，并给出了这个大小的界：$(1 + L/2)\,d \le \mathbb{E}\|x_L\|^2 \le (1 + 3L/2)\,d$。于是梯度按 $1/\sqrt{1 + cL}$ 变化，只有当 $cL$ 远大于输入的那个 1 时才是 $1/\sqrt{L}$。在 Post-LN 中，最后一个块以自己的层归一化结尾，这个层归一化的输入在任何深度下大小都一样。
#
# 我们的版本：宽度 32（4 个头，FFN 宽度 64）、2 到 24 个块的 `TinyTransformer` 模型，五个随机种子；损失是输出头上的交叉熵（而不是那种经过最后的归一化层就与尺度无关的损失）；权重用 Xavier 初始化，偏置为零，与定理一致。在同样的权重和数据上跑两种输入尺度：GPT-2 的小嵌入（标准差 0.02，残差流主要由各块构建）和定理假设的单位尺度输入（token 嵌入加位置嵌入，每个分量方差为 1）。定理讨论的是单个输入的损失，所以我们测量每条序列自己的梯度，再报告 32 条序列上的均方根。每个随机种子只新初始化一个 24 块的模型，$L$ 块的模型就是它的前 $L$ 个块再接上最后的归一化层和输出头：每个都相当于一个新初始化的 $L$ 块模型，同一随机种子下不同深度的模型除了深度之外毫无差别（一次前向传播就能覆盖所有深度）。

# %% slideshow={"slide_type": "subslide"}
init_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=0.02, seeds=SEEDS)
_ = plot_init_gradients(init_grads)

# %% slideshow={"slide_type": "fragment"}
slopes = {p: init_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"{label}：最后一个块的梯度对 L 的双对数斜率，各随机种子 {slopes[p].min():+.2f} 到 "
          f"{slopes[p].max():+.2f}，中位数 {init_grads.median_slope(p):+.2f}")
post12, pre12 = init_grads.per_layer["post"], init_grads.per_layer["pre"]
near_output = post12[:, -1] / pre12[:, -1]
post_spread = post12.max(axis=1) / post12.min(axis=1)
pre_fall = pre12[:, -1] / pre12[:, 0]
print(f"12 个块：最后一个块的梯度，Post-LN / Pre-LN：{near_output.min():.1f} 到 {near_output.max():.1f}")
print(f"12 个块：Post-LN 梯度最大的块 / 最小的块：最多 {post_spread.max():.1f}；"
      f"Pre-LN 最后一个块 / 第一个块：最多 {pre_fall.max():.2f}")

assert abs(init_grads.median_slope("post")) < 0.2, "Post-LN：斜率中位数在 ±0.2 以内，基本与 L 无关"
assert abs(init_grads.median_slope("pre") + 0.5) < 0.15, "Pre-LN：斜率中位数接近 -1/2"
assert np.all(slopes["pre"] < slopes["post"] - 0.3), "每个随机种子上，Pre-LN 的梯度都随 L 减小，Post-LN 的不减小"
assert np.all(near_output > 1.5), "Post-LN 靠近输出的梯度比 Pre-LN 的大"
assert np.all(post_spread < 3.5), "Post-LN：各块的梯度相差不超过一个小倍数（基本持平）"
assert np.all(pre_fall < 0.6), "Pre-LN：梯度从第一个块到最后一个块逐渐减小"

# %% [markdown] slideshow={"slide_type": "-"}
# 用小嵌入时，定理 1 的深度缩放规律在玩具规模上成立。每个随机种子的斜率都在同一个模型上测得（不同深度是它的前缀），我们断言的是这些斜率的中位数：Post-LN 的与 0 相差在 ±0.2 以内（单个随机种子大约从 -0.1 到 +0.25，多数略为正），Pre-LN 的接近 -1/2，而且每个随机种子上都是 Pre-LN 的更低。12 个块时，Post-LN 模型最后一个块得到的梯度是 Pre-LN 模型的好几倍。Xiong 等人正是把 Post-LN 需要学习率预热归因于靠近输出处这种又大、又不随深度变化的梯度（第 4 节）。
#
# 逐层的图（左）和他们的图 3 不一样：他们图中 Post-LN 的梯度随层号增大，Pre-LN 的梯度基本持平；我们这里 Post-LN 的梯度基本持平，Pre-LN 的梯度却从第一个块到最后一个块*下降*。一个块的 $W^2$ 梯度等于到达该块输出的梯度乘以它的隐藏层激活，而激活的大小由块输入处的层归一化固定；所以这个形状就是梯度对残差流的形状，本节最后会测量它（Post-LN 中持平，Pre-LN 中越往输入越大）。我们的设置和他们的有几处不同，还没查清是哪一处改变了这幅图，所以断言的是我们测到的形状，而不是他们的。这几处不同是：宽度 32 而不是 512；随机 token 而不是文本；只有编码器，而不是他们的 6-6 编码器-解码器；还有统计量：他们的图 3 画的是*期望*梯度（先在小批量上平均）的范数，我们画的是每个样本自身梯度范数的均方根。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 定理的设定：单位尺度输入
#
# 同样的权重和数据（前三个随机种子），缩放嵌入，使第一个块输入的每个分量方差为 1，与引理 2 的假设一致。我们还记录最后的归一化层要除以的残差流大小 $\mathrm{RMS}(x_L) = \|x_L\|/\sqrt{d}$。最后的归一化层的雅可比矩阵把梯度缩放 $1/\|x_L\|$ 倍（Xiong 等人的引理 3），所以在两种输入尺度下，梯度与 $\mathrm{RMS}(x_L)$ 的乘积都不应依赖 $L$：这是一项一致性检查，几乎由构造决定，而不是消融实验（消融实验在后面）。

# %% slideshow={"slide_type": "-"}
unit_grads = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=UNIT_SCALE_EMBEDDING_STD,
                                seeds=SEEDS[:3])
unit_slopes = {p: unit_grads.slopes(p) for p in ("post", "pre")}
for p, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    print(f"单位尺度输入，{label}：各随机种子的斜率 {unit_slopes[p].min():+.2f} 到 "
          f"{unit_slopes[p].max():+.2f}，中位数 {unit_grads.median_slope(p):+.2f}")
shallower = unit_slopes["pre"] - slopes["pre"][:3]  # 同样的随机种子：同样的权重和数据
print("Pre-LN，单位尺度的斜率 - 小嵌入的斜率，各随机种子："
      + "，".join(f"{v:+.2f}" for v in shallower))
corrected = {name: np.median(result.stream_corrected_slopes("pre"))
             for name, result in (("嵌入标准差 0.02", init_grads), ("单位尺度", unit_grads))}
print("Pre-LN，梯度 x RMS(x_L) 对 L 的斜率（各随机种子的中位数）："
      + "，".join(f"{name} {value:+.2f}" for name, value in corrected.items()))
growth = np.polyfit(unit_grads.depths, np.median(unit_grads.stream_rms["pre"] ** 2, axis=0), 1)[0]
print(f"单位尺度，Pre-LN：||x_L||^2 / d 每个块增加 {growth:.2f}（引理 2 的界：1/2 到 3/2）")

# %% slideshow={"slide_type": "fragment"}
assert abs(unit_grads.median_slope("post")) < 0.2, "Post-LN：在这种设定下也与 L 无关"
assert np.median(shallower) > 0, "Pre-LN：单位尺度输入时斜率更平缓（成对差值的中位数）"
assert unit_grads.median_slope("pre") < -0.2, "……但仍随深度减小"
assert all(abs(value) < 0.2 for value in corrected.values()), "一致性检查：梯度 x RMS(x_L) 是平的"
assert 0.5 <= growth <= 1.5, "与引理 2 一致：平方大小每个块增加 d/2 到 3d/2"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN 在两种设定下都是平的：不管输入尺度多大，它的第一个层归一化都会把输入归一化。用单位尺度输入时，在同样的权重和数据上，Pre-LN 在 2 到 24 个块上的斜率比用小嵌入时更平缓，正如 $1/\sqrt{1 + cL}$ 所预测的：$L$ 小时输入自身的大小还占分量，只有 $L$ 变大，斜率才趋近 $-1/2$（单个随机种子上差值可能接近 0，所以我们断言的是成对差值的中位数）。可见定理 1 的 $1/\sqrt{L}$ 是深层的极限；多快达到这个极限取决于输入的大小（GPT-2 的小嵌入一开始就达到了）。乘上残差流的大小之后，梯度在两种设定下都是平的，与一致性检查的预期相符。
#
# 残差流的平方大小随 $L$ 线性增长，增长率落在引理 2 的界之内：这只是与引理 2 *一致*，而不是对它的检验，因为我们的模型并不满足它的假设。Xiong 等人假设只有一个头、$W^Q = W^K = 0$（均匀注意力），且每个矩阵都是 $d \times d$；我们的模型有 4 个头，$W^Q, W^K$ 用 Xavier 初始化，FFN 宽度为 $2d$。在 Xavier 权重、宽度 $2d$ 下，FFN 每个块只贡献约 $(4/9)\,d$，低于引理中的 $d/2$；其余来自注意力。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 消融实验：去掉最后的归一化层
#
# 如果让 Pre-LN 梯度随深度减小的，正是最后的归一化层除以残差流大小这一步，那么去掉它的 Pre-LN 模型就不该再有 $-1/2$ 的斜率。权重和数据与上面相同（小嵌入，前三个随机种子），只把最后的归一化层换成恒等映射。

# %% slideshow={"slide_type": "-"}
no_final = run_init_gradients(depths=(2, 4, 8, 12, 16, 24), embedding_std=0.02, placements=("pre",),
                              final_norm=False, seeds=SEEDS[:3])
with_norm_slope, no_final_slope = np.median(slopes["pre"][:3]), np.median(no_final.slopes("pre"))
print("Pre-LN，最后一个块的梯度对 L 的斜率，各随机种子：有最后的归一化层 "
      + "，".join(f"{v:+.2f}" for v in slopes["pre"][:3]) + "；没有 "
      + "，".join(f"{v:+.2f}" for v in no_final.slopes("pre")))

assert no_final_slope > 0, "没有最后的归一化层，梯度不再随深度减小（中位数）"
assert no_final_slope > with_norm_slope + 0.4, "……差别正是最后的归一化层造成的"

# %% [markdown] slideshow={"slide_type": "-"}
# 没有最后的归一化层，最后一个块的梯度不再随深度减小，反而略有增大，因为输出头现在看到的是整个不断增长的残差流。定理 1 的 $1/\sqrt{L}$ 是最后的归一化层造成的。GPT-2 在最后一个块之后加的正是这个归一化层；它固定了输出头输入的尺度，否则这个尺度会按 $\sqrt{L}$ 增长（第 5 节）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 梯度在传回输入的路上
#
# Xiong 等人的定理讨论的是靠近输出的层。那传到输入的梯度又如何？我们在初始化时的 6 块和 24 块模型中（单位尺度输入，三个随机种子）测量 $\|\partial \mathcal{L} / \partial x_l\|$，即第一个块之前（$l = 0$）以及每个块之后的残差流上的梯度。为了看清捷径连接单独起什么作用，每次测量都再做一遍，这次把每个注意力和 FFN 的输入都从计算图中分离（`detach`），这样梯度只能沿捷径连接传到下面的块（前向传播不变）。在 Pre-LN 中这条路径是恒等映射；在 Post-LN 中它要穿过 2L 个层归一化，每个层归一化都会把梯度除以它所归一化的那个和的大小。

# %% slideshow={"slide_type": "subslide"}
towards_input = run_stream_gradients(depths=(6, 24), embedding_std=UNIT_SCALE_EMBEDDING_STD, seeds=SEEDS[:3])
_ = plot_stream_gradients(towards_input)

# %% slideshow={"slide_type": "fragment"}
ratios = {(p, path, d): towards_input.input_over_output(p, path, d)
          for p in ("post", "pre") for path in ("all", "skip") for d in (6, 24)}
per_norm = {d: ratios[("post", "skip", d)] ** (1 / (2 * d)) for d in (6, 24)}
for (p, path, d), r in ratios.items():
    label = f"{'Post-LN' if p == 'post' else 'Pre-LN'}，{'所有路径' if path == 'all' else '只走捷径'}"
    print(f"{label:12s} {d:2d} 个块：输入处的梯度 / 输出处的梯度，中位数 {np.median(r):.2g}"
          f"（各随机种子 {r.min():.2g} 到 {r.max():.2g}）")
print(f"Post-LN 的捷径连接：每个层归一化的系数 {per_norm[6].min():.2f} 到 {per_norm[6].max():.2f}（6 个块），"
      f"{per_norm[24].min():.2f} 到 {per_norm[24].max():.2f}（24 个块）")

assert np.all(ratios[("post", "skip", 24)] < 0.01), "Post-LN：只走捷径连接，梯度几乎全部损失"
assert all(np.all((f > 0.75) & (f < 0.95)) for f in per_norm.values()), "……每个层归一化损失的比例大致相同"
assert all(0.3 < np.median(ratios[("post", "all", d)]) < 3 for d in (6, 24)), "Post-LN：各个分支把梯度带了回来"
assert all(np.all(ratios[("pre", "all", d)] > 1.5) for d in (6, 24)), "Pre-LN：梯度越往输入越大"
assert all(np.all(ratios[("pre", "skip", d)] == 1) for d in (6, 24)), "演示：Pre-LN 的捷径连接是恒等映射"

# %% [markdown] slideshow={"slide_type": "-"}
# 只走捷径连接时，Post-LN 模型的梯度按几何级数损失：每个层归一化都把它乘以一个小于 1 的系数，6 块和 24 块时这个系数相同，所以 48 个层归一化之后剩下不到 1%（6 块时大约还有四分之一能传到）。所有路径都打开时，传到输入的梯度和输出处大小相当，因为在初始化时，每个分支自己的雅可比矩阵大约补回了层归一化拿走的那部分（消融实验：切断各个分支，传到的就少得多）。所以 Post-LN 模型*主要靠各个分支*把梯度传到底层，模型越深越是如此（在初始化时）；一旦训练改变了这些分支，就没有什么能保证这种平衡。Liu 等人（2020）在深层 Post-LN 翻译模型中（在解码器里）发现了梯度消失，Xiong 等人（图 3）看到 Post-LN 的梯度越往输入越小，Wang 等人（2019）把深层 Post-LN 编码器难以训练归因于这一连串层归一化雅可比矩阵的乘积；我们的编码器在初始化时没有表现出这种损失，我们的结论也不超出测量的范围。
#
# 在 Pre-LN 中，最后一行只是演示，由构造决定：捷径连接是恒等映射，所以输出处的梯度完整地到达每个块，每个分支再加上自己的那一份。这就是 Pre-LN 的梯度*越往输入越大*的原因，也是上面它前几个块的 $W^2$ 梯度最大的原因。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. 学习率预热：这里深层 Post-LN 需要它，Pre-LN 不需要
#
# Xiong 等人（2020，3.2 节，图 2）表明，不经过预热阶段训练的 Post-LN Transformer 最终效果比有预热时差得多（IWSLT14 德英翻译，用 Adam：不预热 BLEU 8.45，预热约 34）；他们还在论文第 4 节表明，在他们的 BERT 和翻译实验里，Pre-LN 不用预热也能训练得很好。这是那些设置下的发现，不是定律：大型 Pre-LN 语言模型仍然用预热（GPT-3，Brown 等人，2020；LLaMA，Touvron 等人，2023，前置归一化，但用 RMSNorm 代替 LayerNorm，预热 2000 步）。
#
# 我们的实验：6 个块的 `TinyTransformer` 模型（宽度 16，4 个头，FFN 宽度 32）学习*反转*任务（词表大小 6，序列长度 4）。Adam，峰值学习率 0.03，训练 40 步，每步 32 条新序列，PyTorch 默认初始化，三个随机种子。预热指在前 15 步内把学习率从 0.03/15 线性升到 0.03。只会均匀猜测的模型损失为 ln 6 ≈ 1.79 nats。对照组：不用预热的 2 块 Post-LN 模型（让 Post-LN 失败的是不是深度？）。

# %% slideshow={"slide_type": "-"}
WARMUP_CONFIGS

# %% slideshow={"slide_type": "subslide"}
warm = run_warmup(WARMUP_CONFIGS, depth=6, lr=0.03, steps=40, seeds=SEEDS[:3])
_ = plot_warmup(warm)

# %% slideshow={"slide_type": "fragment"}
final = {label: warm.final_loss(label) for label in WARMUP_CONFIGS}
for label, values in final.items():
    print(f"{label:33s} 最后 10 步的损失：{values.min():.2f} 到 {values.max():.2f} nats")

post_cold, post_warm, pre_cold, post_shallow = (final[label] for label in WARMUP_CONFIGS)
stuck = np.nanmin(warm.losses["Post-LN, no warm-up"][:, 10:])
print(f"不用预热的 Post-LN，从第 10 步起的最低损失：{stuck:.2f} nats")
gain = post_cold - post_warm
print(f"6 块 Post-LN，不用预热与用预热的最终损失之差，各随机种子：{gain.min():.2f} 到 {gain.max():.2f} nats")

assert stuck > 1.3, "不用预热的 Post-LN：从第 10 步起，损失始终没有明显低于均匀猜测"
assert np.all(post_cold > 1.3), "不用预热的 Post-LN：卡在均匀猜测附近（ln 6 = 1.79）"
assert np.all(post_warm < 1.0), "用预热的 Post-LN：能训练"
assert np.all(gain > 0.5), "每个随机种子上，同一个模型用预热都比不用预热的最终损失低得多"
assert np.all(pre_cold < 0.3), "不用预热的 Pre-LN：能训练"
assert np.all(post_shallow < 0.5), "对照组：2 块 Post-LN 不用预热也能训练，所以关键在深度"
assert all(step is None for steps in warm.diverged_at.values() for step in steps), "没有一次运行出现 NaN"

# %% [markdown] slideshow={"slide_type": "-"}
# 不用预热时，6 块 Post-LN 模型并没有发散成 `NaN`，而是卡住了：在前 10 步内，它的损失就停在均匀猜测附近，之后一直高于 1.3 nats（多数随机种子就停在均匀猜测上）。同一个模型预热 15 步后，在每个随机种子上都能降到远低于这个水平，尽管 40 步还不足以让所有随机种子都学会这个任务；而 Pre-LN 完全不用预热就能学会。2 块 Post-LN 模型不用预热也能学会：失败的是*深层* Post-LN 模型。
#
# 这组设置（深度、学习率）是特意挑的，好让效应看得清楚；效应有多强取决于这两者（学习率 0.01 时，6 块 Post-LN 模型不用预热也能训练），可以用下面的探索器自己找找这条边界。Pre-LN 不需要预热，在这里和在 Xiong 等人的实验里都成立，但它不是 Pre-LN 模型的定律。
#
# Post-LN 在这里*为什么*失败还有争议，这个实验也判定不了：
#
# - **Xiong 等人（2020）**：初始化时靠近输出的梯度很大，而且不随深度减小（第 3 节），所以最初几步按完整学习率更新，步子太大；预热让步子保持很小，直到模型离开初始化点。
# - **Liu 等人（2020，“Understanding the Difficulty of Training Transformers”）**：梯度不平衡不是根本原因：在他们的实验里，单单解决梯度消失并不能让 Post-LN 稳定下来（而且 Adam 会重新缩放每个参数的步长，所以只看梯度大小说明不了更新有多大）。他们给出的原因是*放大效应*（amplification）：Post-LN 的每一层都严重依赖自己的残差分支，所以参数的小变化会变成输出的大变化，而且随深度增大（在 notebook [05](05_beyond_the_interview.ipynb) 中测量）。
# - Adam 自身的估计在最初几步噪声很大（Liu 等人，2020，RAdam），预热也能掩盖这一点。Xiong 等人认为这不是全部原因：在他们的图 2 里，用普通 SGD 训练的 Post-LN 模型也受益于预热，而 SGD 没有这样的估计。
#
# 我们的实验能支持的是：第 3 节复现了 Xiong 等人论证的出发点，即梯度的缩放规律；第 3 节最后一部分表明，Post-LN 模型主要靠各个分支把梯度传到底层：这是从反向传播的角度看到的对分支的依赖，而 Liu 等人的论证正是从这种依赖出发的（他们从前向传播的角度测量它，即分支在每个和中所占的比例）。这里的训练不用预热就失败、用了预热就成功，两种解释都预测了这一点，所以这些实验区分不了它们。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Pre-LN 的残差流会增长，代价是什么
#
# 在 Pre-LN 中，每个块把自己的输出加到残差流上，而残差流本身从来不做归一化：$x_{l+1} = x_l + f_l(\mathrm{LN}(x_l))$。各分支输出的大小在任何深度下都差不多（它们的输入是归一化过的），所以残差流的平方大小每经过一个块都增加差不多的量。我们在初始化时的 24 块模型中（第 3 节的权重，小嵌入，三个随机种子）测量每个块之后残差流各分量的均方根，以及每个块对它的改变比例 $\|x_l - x_{l-1}\| / \|x_{l-1}\|$。

# %% slideshow={"slide_type": "subslide"}
stream = run_residual_stream(depth=24, seeds=SEEDS[:3])
_ = plot_residual_stream(stream)

# %% slideshow={"slide_type": "fragment"}
growth = stream.growth_exponent("pre")
change = stream.relative_change["pre"]
post_rms = stream.rms["post"][:, 1:]
trained_pre = warm.stream_rms["Pre-LN, no warm-up"][:, -1]
trained_post = warm.stream_rms["Post-LN, 15 warm-up steps"][:, -1]
print(f"Pre-LN 残差流：RMS 按 l^{growth.min():.2f} 到 l^{growth.max():.2f} 增长")
print(f"Pre-LN：第 2 个块对残差流的改变量是其大小的 {np.median(change[:, 1]):.2f} 倍，第 24 个块是 "
      f"{np.median(change[:, -1]):.2f} 倍（中位数）")
print(f"Post-LN 残差流：每个块之后 RMS 为 {post_rms.min():.2f} 到 {post_rms.max():.2f}")
print(f"训练之后（第 4 节），最后一个块输出的 RMS：Pre-LN {trained_pre.min():.0f} 到 "
      f"{trained_pre.max():.0f}，Post-LN {trained_post.min():.1f} 到 {trained_post.max():.1f}")

assert np.all((growth > 0.35) & (growth < 0.65)), "Pre-LN：残差流大约按 sqrt(l) 增长"
assert np.all(change[:, -1] < 0.5 * change[:, 1]), "Pre-LN：靠后的块对残差流的改变更小"
assert np.all(np.abs(post_rms - 1) < 0.05), "Post-LN：每个块之后都对残差流做了归一化"
assert np.all(trained_pre > 5), "训练后的 Pre-LN：残差流远大于层归一化输出的单位尺度"
assert np.all(trained_pre > 3 * trained_post), "……也远大于训练后的 Post-LN 残差流"

# %% [markdown] slideshow={"slide_type": "-"}
# Pre-LN 模型的残差流大约按 $\sqrt{l}$ 增长，所以第 24 个块对它的改变比例远小于第 2 个块。（Post-LN 残差流在每个块之后 RMS 都为 1，这只是演示：刚初始化的层归一化，输出由构造就满足这一点。）代价是：
#
# - **靠后的层作用变小**。块的输出相对于越来越大的残差流，只是越来越小的修正；在大型 Pre-LN 语言模型中，最深的那些层常常可以去掉而几乎没有损失，Sun 等人（2025）称之为深度诅咒（curse of depth）。
# - **输出头的输入需要固定尺度**。训练之后，上面 Pre-LN 的残差流是层归一化输出的许多倍；没有最后的归一化层，输出头看到的输入尺度就会取决于深度。GPT-2 加了这个归一化层（见下文），这是标准的做法。
# - **靠近输出的梯度更小**（第 3 节）：最后的归一化层要除以残差流的大小；去掉它，最后一层的梯度就不随深度减小。
#
# Post-LN 没有这些问题，因为它的残差流在每个子层之后都被归一化，但它有自己的代价：它的捷径连接要穿过 2L 个层归一化，所以初始化时梯度主要靠各个分支传到底层，深度越大越是如此（第 3 节）；每一层都依赖自己的分支（Liu 等人，2020）；在这里它还需要第 4 节的学习率预热。DeepNorm、三明治归一化（sandwich norm）和 Peri-LN 等放法，以及各种缩放初始化，都试图兼得两者之长（notebook 05）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 两种放法的实际例子：BERT 和 GPT-2
#
# - **BERT**（Devlin 等人，2019）用的是 Vaswani 等人（2017）原始 Transformer 的编码器层：Post-LN，每个块都以层归一化结尾，所以不需要最后的归一化层。它训练时在前 10,000 步做学习率预热，这正是我们的 6 块 Post-LN 模型在第 4 节需要的补救办法。
# - **GPT-2**（Radford 等人，2019，2.3 节）把层归一化移到每个子块的输入处（Pre-LN），并在最后一个块之后再加一个层归一化。第 3 节和第 5 节展示了这个最后的归一化层在 Pre-LN 模型中的作用：它接收的残差流随深度增长（初始化时按 $\sqrt{L}$，训练后远大于层归一化输出的尺度），而最后的归一化层在任何深度下都交给输出头一个尺度固定的输入；最后一层的梯度按 $1/\sqrt{L}$ 减小也是它造成的（第 3 节的消融实验）。我们没有测试过 Pre-LN 模型没有它能不能训练，所以说它是标准做法，而不说它必不可少。
#
# 深层 Post-LN 模型中传到输入的梯度，在第 3 节（“梯度在传回输入的路上”）测量过：只走捷径连接时，它随深度按几何级数减小；初始化时靠各个分支把它带回来。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Transformer 为什么不用批归一化？
#
# 批归一化（Ioffe 和 Szegedy，2015）对每个特征做归一化，所用的均值和方差在整个批上求得。在 Transformer 中，最自然的做法是在批中所有序列的所有 token 上求统计量（`resnorm.models.TokenBatchNorm`）；层归一化则用每个 token 自己的向量求统计量。在*因果*模型（由前面的 token 预测每个 token 的语言模型）中，批统计量会打破这类模型唯一的约定：位置 $t$ 不能看到后面的 token。
#
# 测试：同一个小型因果 Pre-LN Transformer（2 个块，宽度 16，4 个头，PyTorch 默认初始化；`causal=True` 给注意力加上掩码），所有归一化层都用批归一化或都用层归一化；一批 8 条序列，每条 8 个随机 token；三个随机种子；只做前向传播。我们只改动第一条序列的*最后一个* token，测量它前面各位置的输出（logits）以及其他序列每个位置的输出变化了多少。然后是两个实际情形：在每条序列末尾追加 4 个填充 token；以及像推理时那样，在 eval 模式下运行模型，或单独运行一条序列。每项变化都是 logit 的最大变化量相对于 logits 均方根的比值；0 表示没有任何一个输出改变。eval 模式下的批归一化是消融实验：同样的归一化，但不用批统计量，而用按特征固定的滑动统计量（running statistics，在另外 20 个批上平均得到）。

# %% slideshow={"slide_type": "subslide"}
bn = run_causal_batch_norm(seeds=SEEDS[:3])


def shown(values):
    """保留几位有效数字；恰好为 0 时就明说。"""
    return "恰好为 0" if np.all(values == 0) else f"{values.min():.2g} 到 {values.max():.2g}"


for label in bn.earlier_positions:
    print(f"{label:24s} 改动序列 1 的最后一个 token 后，它前面的位置："
          f"{shown(bn.earlier_positions[label])}，其他序列：{shown(bn.other_sequences[label])}；"
          f"追加 4 个填充 token：{shown(bn.padding[label])}")
for norm, label in (("batch", "BatchNorm"), ("layer", "LayerNorm")):
    print(f"{label}，eval 模式对比训练模式：{shown(bn.eval_vs_training[norm])}；"
          f"单独一条序列对比放在批中：{shown(bn.alone_vs_in_batch[norm])}")

# %% slideshow={"slide_type": "fragment"}
train_bn = "BatchNorm, training mode"
assert np.all(bn.earlier_positions[train_bn] > 0.01), "BN：后面的 token 改变了前面位置的输出"
assert np.all(bn.other_sequences[train_bn] > 0.01), "BN：……也改变了批中的其他序列"
assert np.all(bn.padding[train_bn] > 0.1), "BN：填充改变了真实 token 上的输出"
for label in ("BatchNorm, eval mode", "LayerNorm"):
    assert np.all(bn.earlier_positions[label] < 1e-6), f"{label}：未来的信息没有泄漏"
    assert np.all(bn.other_sequences[label] < 1e-6), f"{label}：其他序列不受影响"
    assert np.all(bn.padding[label] < 1e-6), f"{label}：填充什么也没改变"
assert np.all(bn.eval_vs_training["batch"] > 0.1), "BN：推理（滑动统计量）与训练的输出不同"
assert np.all(bn.alone_vs_in_batch["batch"] > 0.1), "BN：单条序列组成的批与它在大批中的输出不同"
assert np.all(bn.eval_vs_training["layer"] < 1e-6) and np.all(bn.alone_vs_in_batch["layer"] < 1e-6), \
    "LN：在任何模式、任何批中输出都相同"

# %% [markdown] slideshow={"slide_type": "-"}
# 在训练模式下，批归一化让信息流向因果掩码禁止的地方：改动一条序列的最后一个 token，会让这条序列前面各位置的输出、以及其他序列每个位置的输出都发生变化，幅度是 logits 大小的百分之几。这样训练出来的语言模型可能学会通过统计量偷看未来。填充（Transformer 用它把不同长度的序列放进同一个批）也会进入统计量，在这里还大幅改变了真实 token 上的输出（三分之一的位置是填充）。而且推理时根本没有“正确”的批：用滑动统计量的 eval 模式给出的输出和训练时不同，在训练模式下单独为一条序列生成又会得到另一种输出。层归一化从设计上就没有这些问题：每个 token 都用自己的统计量归一化，所以结果不依赖其他 token、其他序列或运行模式（这里没有任何一个输出改变）。eval 模式下的批归一化也不会泄漏，说明原因在于批统计量，而不在于归一化本身。
#
# Shen 等人（2020，PowerNorm，图 2）还给出了一个训练上的论据：在 IWSLT14 上训练的 Transformer 中，第一个批归一化层的批统计量在整个训练过程中都与滑动统计量相差很远，还有极端的离群值；而在 CIFAR-10 上的 ResNet20 中，这个距离始终接近零。所以每一步都在用噪声很大的统计量做归一化，推理时用的滑动统计量也和训练时见到的对不上（我们的理解：一个批里的句子彼此之间的差异，远大于一批图像之间的差异）。他们的解决办法 Power Normalization 不减去均值，并用滑动的二次平均值代替批统计量做除数（反向传播用近似计算）；据他们报告，它在 IWSLT14 和 WMT14 上的 BLEU 比层归一化分别高 0.4 和 0.6，在 PTB 和 WikiText-103 上的困惑度分别低 5.6 和 3.0。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 动手探索
#
# 一个小型 `TinyTransformer`（1 到 8 个块，宽度 16，4 个头，PyTorch 默认初始化），做反转任务（词表大小 6，序列长度 4），一个随机种子。左图：选定深度下，三种放法在初始化时每个块 `W2`（FFN 的输出层）的梯度范数，用一批数据算出。右图：选定设置下前 20 步 Adam 训练，每步 32 条新序列；均匀猜测的损失为 ln 6 ≈ 1.79 nats。可以试试：Post-LN、6 个块、学习率 0.03，先不预热，再预热 10 步或 20 步；Pre-LN 做同样的尝试；学习率 0.01；2 个块和 8 个块；原文的层。为了即时响应，这个探索器只训练 20 步，并使用 PyTorch 的 `nn.LayerNorm`（与我们的 `LayerNorm` 是同一个函数，只是一次运算完成）和融合版 Adam，这样新设置不到一秒就能训练完并画出来。每个设置只训练一次并缓存下来，所以切回看过的设置会立即显示。下面的图是默认设置，不需要内核也能显示。

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_placement_explorer, figsize=(11, 3.8))

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_placement_explorer()
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 原文核查（第 3 题）
#
# | 原文的说法 | 结论 | 证据 |
# |---|---|---|
# | 残差连接让 Transformer 可以做得很深（“提高网络深度”） | **正确** | 没有残差连接，4 层的堆叠就让每个位置得到同一个向量，传到输入的梯度也随深度衰减（只去掉 `x +` 的 Pre-LN 堆叠也是如此）：[§1](#1.-重现原文的层) |
# | 残差连接缓解梯度消失和梯度爆炸（“缓解梯度消失和爆炸”） | **半对** | 它让梯度能传到最前面的层 [§1](#1.-重现原文的层)；但梯度的大小仍取决于深度和归一化的位置，而且在 Post-LN 中，只走捷径连接的梯度每经过一个层归一化都会损失一部分 [§3](#3.-初始化时的梯度（Xiong-等人，2020）)。训练还可能因为别的原因失败：这里的深层 Post-LN 模型，传到输入的梯度与输出处大小相当，不用预热却还是卡住了 [§4](#4.-学习率预热：这里深层-Post-LN-需要它，Pre-LN-不需要) |
# | 层归一化“降低了梯度计算中的方差”，从而让训练稳定、快速 | **半对** | 层归一化固定了每个 token 向量的尺度，也确实会缩放梯度（大约缩放 $1/\|x\|$ 倍：第 3 节中最后的归一化层把梯度除以残差流的大小）；“降低方差”的说法很含糊：Xu 等人（2019）把层归一化的好处很大程度上归于它在反向传播中对梯度的重新中心化和重新缩放。训练是否稳定取决于它的位置：这里同样的层归一化，在同一学习率下，要么训练失败（Post-LN，不预热），要么训练成功（Pre-LN）[§4](#4.-学习率预热：这里深层-Post-LN-需要它，Pre-LN-不需要)。Pre-LN 不需要预热，在 Xiong 等人的 BERT 和翻译设置中以及我们的设置中成立，但并不普遍成立：GPT-3（Pre-LN）和 LLaMA（前置归一化，用 RMSNorm）都用了预热。Post-LN 为什么不稳定还有争议（Xiong 等人：靠近输出的梯度过大；Liu 等人：经由残差分支的放大效应） |
# | 代码：每个子层之后 `x = x + x` | **错误** | 把分支翻倍，丢掉了输入：分支为零时，这个层输出 0 而不是它的输入 [§1](#1.-重现原文的层)；改法：`x = x + sublayer(...)`（练习 1 和 2） |
# | 代码：`self.dropout(self.attn(x, x, x, mask=mask))` | **错误** | `nn.MultiheadAttention` 返回元组，掩码参数是 `attn_mask=`；`MultiHeadAttention` 和 `PositionwiseFeedForward` 没有定义 [§1](#1.-重现原文的层) |
# | 代码：每个子层前一个归一化，末尾没有 | **不完整** | 这只是 Pre-LN 的一半；Pre-LN 还需要残差求和，GPT-2 还在输出头前加了最后的归一化层 [§2](#2.-用-PyTorch-核对-Post-LN-和-Pre-LN)、[§5](#5.-Pre-LN-的残差流会增长，代价是什么) |
# | 解析：这个层“结合了残差连接和层归一化” | **错误** | 代码里没有残差连接：它的输出不包含它的输入 [§1](#1.-重现原文的层) |
# | （未提及）归一化放在哪里，以及学习率预热 | **缺失** | 常见的追问：Post-LN 还是 Pre-LN [§2](#2.-用-PyTorch-核对-Post-LN-和-Pre-LN)–[§5](#5.-Pre-LN-的残差流会增长，代价是什么) |
#
# 如果代码片段里的 `LayerNorm` 是原文第 2 题自己写的那个类，它还继承了那个类的无偏方差（见 notebook [02](02_layer_normalization.ipynb)）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 练习
#
# 每个答题单元格一开始都是 `answer = ...`；把 `...` 换掉，运行单元格，`check` 会立刻告诉你对不对，不对的话错在哪里。`hint(key)` 给出提示。
#
# ### 练习 1：修好原文的层
#
# 用 `TransformerBlock` 的部件写出 `fixed_layer(block, x)`，即残差连接正常工作的原文的层：`block.attn(x)` 和 `block.ffn(x)`（两个子层），以及 `block.norm1`、`block.norm2`。`x` 的形状是 `(batch, seq, d_model)`。归一化可以留在原文的位置，也可以挪动：任何正确的块都算对。然后令 `answer = fixed_layer`。

# %% slideshow={"slide_type": "subslide"}
def fixed_layer(block, x):
    ...  # 在这里写你的代码


answer = ...  # 写好 fixed_layer 之后，把 ... 换成它
passed = check("03.fix_source_layer", answer)

# %% slideshow={"slide_type": "-"}
hint("03.fix_source_layer", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？把下面那行的注释去掉并运行，就能看到一个参考答案。

# %% slideshow={"slide_type": "-"}
# solution("03.fix_source_layer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 2：一个 Post-LN 块
#
# 部件相同，这次按原始 Transformer 的接法，也就是 Post-LN：写出 `post_ln(block, x)`，并令 `answer = post_ln`。（如果你在练习 1 中把归一化留在了子层前面，那写的是一个 Pre-LN 块；这里是另一种放法。）

# %% slideshow={"slide_type": "-"}
def post_ln(block, x):
    ...  # 在这里写你的代码


answer = ...  # 写好 post_ln 之后，把 ... 换成它
passed = check("03.post_ln_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("03.post_ln_block")` 给出提示。想看参考答案，去掉下面那行的注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("03.post_ln_block")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 3：从 4 个块到 16 个块
#
# 初始化时，4 块模型最后一个块的 FFN 梯度为 $g_4$。在各块对残差流的贡献超过输入的极限下（GPT-2 的小嵌入），根据定理 1，换成 16 块模型后这个梯度变为原来的多少倍，即 $g_{16}/g_4$ 是多少？用字典 `{"post": ..., "pre": ...}` 作答。

# %% slideshow={"slide_type": "-"}
answer = ...  # 例如 {"post": 2.0, "pre": 3.0}
passed = check("03.depth_ratios", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("03.depth_ratios")` 给出提示。想看参考答案，去掉下面那行的注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("03.depth_ratios")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 面试答题卡
#
# ### 15 秒版
#
# 残差连接把每个子层写成 `x + F(x)`，让 token 信息和梯度能穿过很深的网络；层归一化控制每个子层（以及输出头）看到的输入尺度。归一化放在哪里——后置归一化 `LN(x + F(x))` 还是前置归一化 `x + F(LN(x))`——决定了梯度随深度如何变化，也决定了深层模型有多难训练。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 秒版：三个要点
#
# 1. 残差连接保住每个 token 自己的向量：去掉它，注意力会把各位置混合到一起，几层之后所有位置的向量都相同，传回输入的梯度也越来越弱。常见错误 `x = x + x` 只是把分支翻倍，输入就丢了。
# 2. Post-LN 在每个子层之后对残差流做归一化，尺度固定，但捷径连接要穿过 2L 个层归一化；初始化时梯度主要靠各个分支传回底层，网络越深越是如此。Pre-LN 的捷径连接是恒等映射；残差流按 `sqrt(l)` 增长，越靠后的层改变它越少，GPT-2 在输出头前再加一个层归一化，固定输出头输入的尺度。
# 3. 初始化时，Post-LN 最后一层 FFN 权重 `W2` 的梯度与深度无关；Pre-LN 在各层的贡献超过输入之后按 `1/sqrt(L)` 减小（Xiong 等人，2020），这个减小来自最后的归一化层。在他们的 BERT 和翻译实验里（以及我们的小实验里），深层 Post-LN 需要学习率预热，Pre-LN 不需要；但 GPT-3（Pre-LN）和 LLaMA（前置 RMSNorm）照样用预热。Post-LN 为什么不稳定还有争议：Xiong 等人归因于靠近输出的梯度过大，Liu 等人（2020）认为每层对残差分支依赖过重，参数更新被放大（放大效应）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问
#
# **问**：Pre-LN 就不需要学习率预热了吗？**答**：在 Xiong 等人的 BERT 和翻译实验里是这样；GPT-3（Pre-LN）和 LLaMA（前置 RMSNorm，2000 步）仍然用预热。
#
# **问**：捷径连接是恒等映射吗？**答**：Pre-LN 是：捷径连接不经过任何权重和归一化（残差流本身仍会加上每个分支的输出）；Post-LN 的捷径连接要经过 2L 个层归一化。
#
# **问**：Pre-LN 最后一层 FFN 权重 `W2` 的梯度为什么按 `1/sqrt(L)` 减小？**答**：最后的归一化层要除以残差流的大小，而它按 `sqrt(L)` 增长（输入尺度为 1 时，要到 L 较大才接近这个规律）；去掉最后的归一化层就不再减小。底层的梯度反而更大。
#
# **问**：Xiong 等人和 Liu 等人对 Post-LN 不稳定的解释一致吗？**答**：不一致：前者说是靠近输出的梯度太大，后者说是每层对残差分支依赖过重，参数更新被放大。
#
# **问**：Pre-LN 的代价是什么？**答**：残差流越来越大，靠后的层作用变小；GPT-2 在输出头前加了最后的归一化层，固定输出头输入的尺度。
#
# **问**：Transformer 为什么不用批归一化？**答**：批统计量把不同 token 混在一起：在因果模型里，后面的 token 会改变前面位置的输出；填充和批大小都会改变结果，训练和推理的输出也对不上。层归一化只用每个 token 自己的统计量。Shen 等人（2020）还发现，NLP 任务中批统计量在训练中的波动远大于视觉任务中的。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - Vaswani 等人（2017）：*Attention Is All You Need.* NeurIPS.（Post-LN：`LayerNorm(x + Sublayer(x))`，3.1 节。）
# - Radford 等人（2019）：*Language Models are Unsupervised Multitask Learners*（GPT-2）。（层归一化移到每个子块的输入处，最后一个块之后再加一个，2.3 节。）
# - Xiong 等人（2020）：*On Layer Normalization in the Transformer Architecture.* ICML.（定理 1、引理 2 和 3、图 3：初始化时的梯度，见本 notebook 第 3 节；论文 3.2 节和图 2：不预热的 Post-LN，分别用 Adam 和 SGD 训练；论文第 4 节：不预热训练 Pre-LN；这两项见本 notebook 第 4 节。）
# - Liu, Liu, Gao, Chen, Han（2020）：*Understanding the Difficulty of Training Transformers.* EMNLP.（梯度不平衡不是根本原因；Post-LN 对残差分支的依赖放大了参数的变化；第 3、4 节。）
# - Liu 等人（2020）：*On the Variance of the Adaptive Learning Rate and Beyond*（RAdam）。ICLR.（学习率预热与 Adam 早期的方差；第 4 节。）
# - Dong, Cordonnier, Loukas（2021）：*Attention is Not All You Need: Pure Attention Loses Rank
#   Doubly Exponentially with Depth.* ICML.（没有捷径连接和 MLP 的纯注意力，秩随深度下降；MLP 减缓这一过程，捷径连接阻止它；第 1 节。）
# - Wang, Li, Xiao, Zhu, Li, Wong, Chao（2019）：*Learning Deep Transformer Models for Machine
#   Translation.* ACL.（深层 Post-LN 编码器与层归一化雅可比矩阵的乘积；第 3 节。）
# - Brown 等人（2020）：*Language Models are Few-Shot Learners*（GPT-3）；Touvron 等人（2023）：*LLaMA: Open and Efficient Foundation Language Models*（前置归一化，用 RMSNorm，预热 2000 步）。（用预热训练的前置归一化模型；第 4 节。）
# - Sun 等人（2025）：*The Curse of Depth in Large Language Models.*（Pre-LN 的深层贡献很小；第 5 节。）
# - Devlin, Chang, Lee, Toutanova（2019）：*BERT: Pre-training of Deep Bidirectional Transformers
#   for Language Understanding.* NAACL.（Vaswani 等人的 Post-LN 编码器，前 10,000 步做学习率预热；第 5 节。）
# - Ioffe, Szegedy（2015）：*Batch Normalization: Accelerating Deep Network Training by Reducing
#   Internal Covariate Shift.* ICML.（第 6 节。）
# - Shen, Yao, Gholami, Mahoney, Keutzer（2020）：*PowerNorm: Rethinking Batch Normalization in
#   Transformers.* ICML.（图 2：IWSLT14 上的 Transformer 中批统计量的波动远大于 CIFAR-10 上的 ResNet；Power Normalization；第 6 节。）
# - Ba, Kiros, Hinton（2016）：*Layer Normalization.* arXiv:1607.06450.
# - Xu, Sun, Zhang, Zhao, Lin（2019）：*Understanding and Improving Layer Normalization.* NeurIPS.（层归一化的反向传播会对梯度重新中心化和重新缩放；原文核查。）

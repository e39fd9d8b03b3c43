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
# # 04 · 残差连接与层归一化：优缺点
#
# [English](../04_pros_and_cons.ipynb)
#
# **题目**：请讨论残差连接和层规范化的优缺点。
#
# 这是中文学习资料的第 4 题。原文说的“层规范化”，本课程统一称为层归一化（LayerNorm）。原文的答案列了六条优点和四条缺点：残差连接（residual connection）和层归一化各有三条优点、两条缺点。其中有的对，有的只对一半，还有两条明显是错的：原文说残差连接会*增加参数*（因而导致过拟合），还会*增加计算量*。而恒等捷径连接（shortcut）根本没有参数。本 notebook 给每一条都算出具体数字：数参数、数浮点运算次数（FLOPs）、测内存和耗时，再用小规模训练实验检验关于过拟合和信息丢失的说法。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简短回答
#
# 优秀的候选人 30 秒内会这样答（每一点下文都有测量）：

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **残差连接的好处**：让深层网络变得可训练。恒等路径把信号和梯度直接送过每个块，梯度不会随深度消失；与没有捷径连接的普通网络（plain network）相比，训练所需的步数也更少（在我们的深层 MLP 中，不到初始化良好的普通网络的一半）。
# - **残差连接的代价**：几乎为零。恒等捷径连接**没有参数**，每个特征只多一次加法，约为两层 `d x d` 分支 FLOPs 的 `1/(4d)`；分支是标准结构（以线性层结尾）时，也不多占激活内存。投影捷径（projection shortcut）是 1x1 卷积，只用在形状改变处，增加 `in x out` 个权重，在 ResNet-34 中占比不到 1%。真正的代价在别处：残差流（residual stream）不做归一化，若没有归一化层或精心设计的初始化加以约束，激活会随深度增大。
# - **残差连接不增加参数，也就谈不上“因为参数多而过拟合”**。但它确实改变了网络从同样的数据中学到什么，即归纳偏置（inductive bias）。在我们仅有的这一项测试中，参数量相同时，残差网络的过拟合并不比普通网络严重。一个玩具实验足以驳倒原文的论证，却回答不了一般性的问题。
# - **层归一化的好处**：每个 token 的激活保持固定尺度，所以训练稳定，对尺度不当的初始化也更鲁棒（在我们的测试中，它比普通网络省下的步数，大部分靠良好的初始化也能得到）；而且它的计算不依赖批：批大小为 1 时、推理时都和训练时完全一样。
# - **层归一化的代价**：每个 token `O(d)`，而线性层是 `O(d^2)`，所以它的 FLOPs 占比随宽度增大而缩小；但它的耗时占比高于 FLOPs 占比（逐元素运算每个 FLOP 的代价远高于矩阵乘法：它要读写每个激活值，没有融合成一个算子时，还要拆成好几个小算子执行），而且要为反向传播保存它的输入和每个 token 的两个数。均方根归一化（RMSNorm）需要的 FLOPs 更少（`4d` 对 `7d`）；能否省时间取决于算子实现，例如有没有融合算子（fused kernel）：这里 PyTorch 未融合的 `nn.RMSNorm` 反而比 `nn.LayerNorm` 慢。
# - **“层归一化会丢失信息”**：它恰好丢掉每个 token 的两个数：均值和尺度。只有当归一化之前的所有运算都随输入等比缩放时（对原始输入做归一化，或前面只有无偏置的层），尺度才彻底丢失；否则尺度会保留在向量的方向里，无论是前置归一化（Pre-LN）、后置归一化（Post-LN）还是最后的归一化层（final norm）都是如此。

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

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参数量
#
# 原文说：*残差连接增加了网络的参数数量，可能导致过拟合*。数一数就知道了。恒等捷径连接就是 `h + f(h)`，里面没有任何需要学习的东西，何恺明等人（He et al., 2016）第 3.2 节正是这样指出的。只有当块改变了形状（通道数增加，或步长大于 1）时才需要*投影*捷径：这时原文的 `ResidualBlock` 使用 `nn.Conv2d(in, out, kernel_size=1)`，有 `in x out` 个权重和 `out` 个偏置。何恺明等人在 ResNet-34 上比较了三种方案（第 4.1 节，表 3）：（A）处处用恒等捷径连接，通道数增加处补零；（B）只在形状改变处用投影；（C）每条捷径连接都用投影。计数天然是精确的，所以图下方的检查只是*演示*：它们给每个说法配上具体数字，并不检验假设。

# %% slideshow={"slide_type": "-"}
mlp = {(depth, width): mlp_parameters(depth, width) for depth in (2, 8, 32) for width in (16, 64, 256)}
source_block = conv_block_parameters(64, 128)
same_width_block = conv_block_parameters(64, 64)
resnet34 = {option: resnet34_parameters(option) for option in "ABC"}

print(f"{'DeepMLP 深度、宽度':>17}  {'普通网络':>5}  {'残差网络':>5}")
for (depth, width), counts in mlp.items():
    print(f"{depth:>15}, {width:<6}  {counts['plain']:>9,}  {counts['residual']:>9,}")
print(f"\n原文的 ResidualBlock(64, 128)：卷积 {source_block.branch:,} 个参数，"
      f"1x1 投影 {source_block.shortcut:,} 个")
print(f"原文的 ResidualBlock(64, 64)：卷积 {same_width_block.branch:,} 个参数，"
      f"捷径连接 {same_width_block.shortcut} 个")
for option, count in resnet34.items():
    print(f"ResNet-34 方案 {option}：共 {count.total:>10,} 个参数，"
          f"捷径连接中 {count.shortcut:>9,} 个（{100 * count.fraction:.2f}%）")

# %% slideshow={"slide_type": "subslide"}
depth8 = mlp[(8, 64)]
ax = plot_shortcut_parameters({
    "DeepMLP，8 条恒等捷径连接": ShortcutCount(depth8["plain"], depth8["residual"] - depth8["plain"]),
    "原文的块 64→128（1x1 投影）": source_block,
    "ResNet-34 A（恒等，补零）": resnet34["A"],
    "ResNet-34 B（仅在形状改变处投影）": resnet34["B"],
    "ResNet-34 C（处处投影）": resnet34["C"],
})

# %% slideshow={"slide_type": "fragment"}
assert all(c["plain"] == c["residual"] for c in mlp.values()), "恒等捷径连接不增加参数"
assert same_width_block.shortcut == 0
assert source_block.shortcut == 64 * 128 + 128, "1x1 投影有 in*out 个权重加 out 个偏置"
assert resnet34["A"].shortcut == 0
assert resnet34["B"].fraction < 0.01, "只在形状改变处投影：不到 1%"
assert (resnet34["B"].shortcut, resnet34["B"].total) == (173_824, 21_797_672), "方案 B 的精确计数"
assert (resnet34["C"].shortcut, resnet34["C"].total) == (1_092_992, 22_716_840), "方案 C 的精确计数"
print("恒等捷径连接：在每种深度和宽度下都是 0 个参数")
print(f"投影捷径：占 ResNet-34（B）的 {100 * resnet34['B'].fraction:.1f}%，"
      f"若每条捷径连接都用投影（C）则占 {100 * resnet34['C'].fraction:.1f}%")

# %% [markdown] slideshow={"slide_type": "notes"}
# 方案 B 就是大家通用的 ResNet-34（约 2180 万个参数）：共三个投影，每进入一个新阶段（stage）用一个。何恺明等人发现 A、B、C 三者的错误率差别很小，并得出结论：投影并非必需；他们把 C 的小幅提升归因于它多出的参数。所以原文这条缺点的前半句是错的：残差连接不会增加参数量，只有形状改变处的少数投影例外（在 ResNet-34 中不到 1%）。残差网络是否更容易过拟合，[下文](#过拟合)会检验。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 计算量与内存
#
# 原文的第二条缺点：*计算复杂度增加，可能导致训练时间增加*。我们比较同一个深层 MLP 的四个版本：网络由输入层（stem）、4 个块和输出头（head）组成，宽度都是 `d`；四个版本各只在一处不同：

# %% slideshow={"slide_type": "-"}
VARIANTS

# %% [markdown] slideshow={"slide_type": "-"}
# 每个块的分支是 `linear2(relu(linear1(h)))`，即两个 `d x d` 的层，与 Transformer 的前馈网络（FFN）形状相同。归一化用的是 PyTorch 自带的 `nn.LayerNorm` 和 `nn.RMSNorm`，和工程实践中的用法一样。下面三种代价都相对于同宽度的普通网络来算：
#
# 1. **FLOPs**，靠计数。PyTorch 自带一个计数器 `torch.utils.flop_counter.FlopCounterMode`，先看看它统计到了什么。

# %% slideshow={"slide_type": "-"}
x = torch.randn(128, 64)
counted = {variant: matmul_flops(cost_model(variant, 64, 4, seed=SEEDS[0]), x) for variant in VARIANTS}
for variant, flops in counted.items():
    print(f"{variant:<22} {flops / 1e6:.2f} MFLOPs（前向，FlopCounterMode）")
matmuls = 128 * (1 + 2 * 4 + 1) * 2 * 64 * 64  # 批大小 x（stem + 4 个块各 2 层 + head）x 2 d^2
assert all(flops == matmuls for flops in counted.values())
print("完全相同：FlopCounterMode 只统计类矩阵乘法运算")

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch 的计数器完全看不出差别，因为它只统计类矩阵乘法运算（`mm`/`addmm`/`bmm`、卷积、注意力），加法和归一化都不在其列。所以其余部分由我们自己按每个 token、每个块计数，约定如下：

# %% slideshow={"slide_type": "-"}
FLOP_CONVENTION

# %% [markdown] slideshow={"slide_type": "-"}
# 2. **激活内存**，靠测量：在一次前向传播中用 `torch.autograd.graph.saved_tensors_hooks` 记录 autograd 为反向传播保存的每个张量的字节数（共享存储只算一次，不计参数）。它只取决于张量形状，因此精确且可复现。
# 3. **耗时**，靠测量：一次前向 + 反向传播所用的 CPU 时间，只计执行它的那个线程（`time.thread_time`），这样，机器忙于其他程序、该线程只能等待的时间就不计在内；在繁忙的机器上，墙钟时间（wall time）会忽高忽低，相差 2 到 4 倍。但其他程序对缓存、内存带宽、共享核心和时钟频率的影响仍然存在，仍会拖慢一次传播。四个版本轮流运行，每轮取三次传播中最快的一次，图中画的是五轮的中位数和波动范围。只报告比值。

# %% slideshow={"slide_type": "subslide"}
cost = run_cost(widths=(16, 64, 256), depth=4, batch_size=128, rounds=5, repeats=3, seed=SEEDS[0])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_cost_time(cost, left)
_ = plot_cost_memory(cost, right)

# %% [markdown] slideshow={"slide_type": "-"}
# **FLOPs（虚线）**：残差加法是 `d` 次 FLOP，而分支的两个线性层是 `2 x 2d^2`，占比约为 `1/(4d)`；层归一化（`7d`）和 RMSNorm（`4d`）的占比也同样随宽度缩小。**耗时（实线）**：归一化乃至加法的耗时都远超其 FLOPs 所占的比例，因为逐元素运算每个 FLOP 的代价远高于矩阵乘法：它要读写每个激活值，每个值只做寥寥几次运算（瓶颈在内存访问），还要分配新张量，并作为单独的算子调度；而矩阵乘法载入的每个数都要重复使用很多次。归一化的工作量按每个 token `d` 增长，矩阵乘法则按 `d^2` 增长，所以宽度越大，矩阵乘法越占主导，层归一化的比值随之下降。**内存（右图）**：几乎不随宽度缩小。残差网络在每种宽度下保存的激活都与普通网络完全相同（原因见[下文](#内存花在哪里)）；归一化额外保存一份激活外加每个 token 两个数，这个 `2/d` 项只让它的比值略微缩小。
#
# FLOPs 比值是按我们自己的约定算出来的，所以相应的检查只是对这套算术的*演示*，而不是测量：

# %% slideshow={"slide_type": "fragment"}
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    extra = 100 * (cost.flop_ratio[variant] - 1)
    print(f"{variant:<22} d = {', '.join(map(str, cost.widths))} 时额外的 FLOPs："
          + ", ".join(f"{e:.2f}%" for e in extra))
residual_extra = cost.flop_ratio["residual"] - 1
assert np.all(residual_extra < 1 / (4 * cost.widths)), "加法的 FLOPs 不到一个块的 1/(4d)"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    assert np.all(np.diff(cost.flop_ratio[variant]) < 0), "归一化的 FLOPs 占比随宽度缩小"
assert np.all(cost.flop_ratio["residual + RMSNorm"] < cost.flop_ratio["residual + LayerNorm"])
assert cost.flop_ratio["residual + LayerNorm"][-1] < 1.01, "d = 256 时，层归一化增加的 FLOPs 不到 1%"

# %% [markdown] slideshow={"slide_type": "-"}
# 耗时是测出来的。共享机器上的计时会抖动，所以检查只比较宽度范围的两端，而且只看大的差距：两种归一化在两端的耗时比值都高于各自的 FLOPs 比值；层归一化在 `d = 256` 时的比值低于 `d = 16` 时；而在 `d = 256` 时，即使机器很忙，加法的代价也不到半次传播（每个块前向和反向各只多一个小运算；它在训练时间上的真实代价，要用完整的训练过程来测，见[下文](#训练速度)）。RMSNorm 只和层归一化比较，不按宽度检查：它的比值不一定下降（在我们的运行中，从 `d = 16` 到 `d = 64` 就没有下降）。

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
for variant in ("residual", "residual + LayerNorm", "residual + RMSNorm"):
    ratios = cost.median_time_ratio(variant)
    print(f"{variant:<22} d = {', '.join(map(str, cost.widths))} 时的耗时 / 普通网络："
          + ", ".join(f"{r:.2f}" for r in ratios))
print(f"（d = {cost.widths[-1]} 时普通网络一次传播：本机 CPU 时间 {1e3 * np.median(cost.seconds['plain'][:, -1]):.1f} ms）")
assert cost.median_time_ratio("residual")[-1] < 1.5, "d = 256 时加法的代价不到半次传播"
for variant in ("residual + LayerNorm", "residual + RMSNorm"):
    ends = cost.median_time_ratio(variant)[[0, -1]]
    assert np.all(ends > cost.flop_ratio[variant][[0, -1]]), f"{variant}：耗时占比高于 FLOPs 占比"
layer_norm_time = cost.median_time_ratio("residual + LayerNorm")
assert layer_norm_time[-1] < layer_norm_time[0], "层归一化的耗时占比随宽度增大而缩小"
assert cost.median_time_ratio("residual + RMSNorm")[0] > layer_norm_time[0], \
    "FLOPs 更少，但 d = 16 时未融合的 nn.RMSNorm 反而是更慢的那个"

# %% [markdown] slideshow={"slide_type": "-"}
# 所以 RMSNorm 省的是 FLOPs（`4d` 对 `7d`）。Zhang 和 Sennrich（2019）用他们自己的实现测得 7% 到 64% 的加速；而这里 PyTorch 未融合的 `nn.RMSNorm` 比融合的 `nn.LayerNorm` 还*慢*，保存的内存也更多（[见下文](#内存花在哪里)）：算子实现比 FLOPs 数更重要。
#
# 这个差距是不是每个算子的固定开销，与运算规模无关？如果是，那么更大的批会让每个算子的工作量变多，从而把耗时比值拉向 1。消融实验（ablation）：同样的网络，`d = 16`，批大小分别为 8、128 和 2048（和上面一样，每种跑五轮，这样单独一轮受到干扰也不会改变中位数）。

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
batches = (8, 128, 2048)
by_batch = {batch: run_cost(widths=(16,), depth=4, batch_size=batch, rounds=5, repeats=3,
                            variants=("plain", "residual + LayerNorm"), seed=SEEDS[0])
            for batch in batches}
batch_ratio = [by_batch[batch].median_time_ratio("residual + LayerNorm")[0] for batch in batches]
print("residual + LayerNorm，d = 16 时的耗时 / 普通网络，批大小 " + ", ".join(map(str, batches)) + "："
      + ", ".join(f"{r:.2f}" for r in batch_ratio))
assert batch_ratio[-1] > batch_ratio[0], "不是固定开销：比值并不随批增大而下降"

# %% [markdown] slideshow={"slide_type": "-"}
# 批增大时，比值并没有下降（在我们的运行中反而上升了）。所以让归一化变贵的并不是每个算子的固定开销：它的代价随所处理的数据量增长，这正是受内存带宽限制（memory-bound）的逐元素运算的特点。能缩小其占比的是宽度，因为矩阵乘法增长得更快（每个 token `d^2` 对 `d`）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 内存花在哪里
#
# 加法本身不为反向传播保存任何东西：`a + b` 的梯度原样传给两个输入。作为对比，乘法必须保存两个因子。

# %% slideshow={"slide_type": "-"}
a = torch.randn(128, 64, requires_grad=True)
b = torch.randn(128, 64, requires_grad=True)
one_tensor = a.numel() * a.element_size()
print(f"a + b 保存 {saved_activation_bytes(torch.add, a, b)} 字节；"
      f"a * b 保存 {saved_activation_bytes(torch.mul, a, b) // one_tensor} 个张量，每个 {one_tensor:,} 字节")
assert saved_activation_bytes(torch.add, a, b) == 0
assert saved_activation_bytes(torch.mul, a, b) == 2 * one_tensor

# %% [markdown] slideshow={"slide_type": "-"}
# 所以残差网络保存的不比普通网络多。两者的每个块都保存两份激活：块的输入（用于计算 `linear1` 的权重梯度）和 ReLU 的输出（存一次，用两次：ReLU 自己求梯度要用，`linear2` 求权重梯度也要用）。在残差块中，和 `h + f(h)` 是一个新张量，但它*取代*了 `f(h)`，成为下一个块的输入，而 `f(h)` 本身没有谁保存。消融实验：换成何恺明等人（2016b）图 4c 的“ReLU before addition”分支，它以 ReLU 结尾，这个 ReLU 保存它的输出，*同时*下一个块还要保存相加的和：比同样分支的普通网络每块多一份激活。所以捷径连接的内存代价取决于分支以什么结尾，而不在于捷径连接本身。
#
# 融合的 `nn.LayerNorm` 保存它的输入，外加每个 token 的均值和标准差的倒数，宽度 64 时共 `1 + 2/64` 份激活；PyTorch 的 `nn.RMSNorm`（当前版本，在 CPU 上）拆成几个独立的算子运行，保存得更多；本课程从零实现的层归一化（数值相同，逐个算子写成）保存得最多。下面是对 autograd 所保存内容的测量（宽度 64，批大小 128；按每个块计，已减去输入层和输出头）：

# %% slideshow={"slide_type": "fragment"}
per_block = {variant: saved_tensors_per_block(variant) for variant in VARIANTS}
ends_in_relu = {variant: saved_tensors_per_block(variant, branch="act_before_addition")
                for variant in ("plain", "residual")}
scratch = saved_tensors_per_block("residual + LayerNorm", fused=False)
for variant, n in per_block.items():
    print(f"{variant:<22} 每块保存 {n:.2f} 个激活大小的张量")
print(f"{'从零实现的层归一化':<13} 每块保存 {scratch:.2f} 个（residual + 我们的 resnorm.norms.LayerNorm）")
print(f"分支以 ReLU 结尾：普通网络 {ends_in_relu['plain']:.2f}，残差网络 {ends_in_relu['residual']:.2f}")
assert per_block["residual"] == per_block["plain"] == 2.0, "标准分支：捷径连接什么也不保存"
assert ends_in_relu["residual"] == ends_in_relu["plain"] + 1, "消融：分支以 ReLU 结尾时多保存一份"
assert per_block["residual + LayerNorm"] == 3 + 2 / 64, "融合的层归一化：它的输入加上每个 token 2 个数"
assert per_block["residual + RMSNorm"] >= per_block["residual + LayerNorm"]
assert scratch > per_block["residual + LayerNorm"]
assert np.all(cost.memory_ratio["residual"] == 1.0), "整个网络，在每种宽度下"

# %% [markdown] slideshow={"slide_type": "notes"}
# 真实的 Transformer 层每层保存的东西远多于我们的玩具块（query、key、value、注意力概率、4d 宽的 MLP 激活……），而且在 Pre-LN 块里，残差的和就是层归一化的输入，本来就要保存。Korthikanti 等人（2022，第 4.1 节）逐项统计了一个 Transformer 层的内存，层归一化的输入只占其中一小部分。所以在实践中：残差连接在参数上免费，在 FLOPs 上几乎免费，分支为标准结构时在激活内存上也免费；归一化在 FLOPs 上很便宜，耗时上若不融合就没那么便宜，而且每个归一化层要保存一份激活（外加每个 token 两个数）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 训练速度
#
# 原文的两份优点清单都说到*加快训练速度*。速度有两个因素：达到给定损失所需的步数，以及每步的耗时。这里在相同的模型上把两者都测出来：6 个块的 MLP（块内 12 个线性层，总共 14 个），宽度 32，用 Adam（学习率 3e-3）在教师任务（teacher task）上以批大小 128 训练，五个随机种子，所有网络用相同的批。四个网络用 PyTorch 的默认初始化；第五个是消融对照：采用何恺明初始化（He initialisation）的普通网络，它让每层输出保持与输入相同的尺度。捷径连接或归一化也许只是在弥补一个尺度不当的起点；以它为基线，才能看出剩下的真实收益。衡量标准是两个普通网络各自跑完全部步数后的损失；我们报告各种子的中位数，因为单个种子可能偏慢。

# %% slideshow={"slide_type": "subslide"}
speed = run_training_speed(SPEED_CONFIGS, depth=6, width=32, steps=40, seeds=SEEDS)
ax = plot_training_speed(speed)

# %% slideshow={"slide_type": "fragment"}
n_steps = speed.losses["plain"].shape[1]
steps_needed = {}  # 对每个基准：各网络达到该基准网络最终损失所需的步数，按种子
for baseline in ("plain", "plain, He init"):
    target = speed.final_loss(baseline)
    steps_needed[baseline] = {label: speed.steps_to_reach(label, target) for label in speed.losses
                              if label not in ("plain", baseline)}
    print(f"达到 {baseline} 网络最终损失所需的步数（共 {n_steps} 步，取中位数；括号内为达到该损失的种子数）：")
    for label, needed in steps_needed[baseline].items():
        print(f"  {label:<22} {np.median(needed):>4.0f}  （{np.isfinite(needed).sum()} / {len(needed)}）")
assert np.median(steps_needed["plain"]["residual"]) <= 0.35 * n_steps
assert np.median(steps_needed["plain"]["residual + LayerNorm"]) <= 0.35 * n_steps
assert np.median(steps_needed["plain"]["plain + LayerNorm"]) <= 0.6 * n_steps
assert np.median(steps_needed["plain"]["plain, He init"]) <= 0.75 * n_steps, "消融：仅靠良好的初始化"
assert np.median(steps_needed["plain, He init"]["residual"]) < 0.5 * n_steps, "捷径连接在初始化之外的收益"
assert np.median(steps_needed["plain, He init"]["plain + LayerNorm"]) >= 0.75 * n_steps, "层归一化在初始化之外的收益：很小"

# %% [markdown] slideshow={"slide_type": "-"}
# 与默认初始化的普通网络相比，三者都有帮助。消融实验把这份功劳拆开了：仅靠何恺明初始化，普通网络就能拿到层归一化的大部分收益。这里层归一化的收益主要在于*让训练不怕初始化尺度不当*：与何恺明初始化的普通网络相比，它最多省下四分之一的步数（换其他种子时，大多数运行甚至根本达不到那个网络的最终损失）。捷径连接则保有实实在在的优势：残差网络达到何恺明初始化普通网络的最终损失，所用步数不到对方的一半（约为 1/2.5），只是不再像面对默认初始化的普通网络时那样只需 1/4 到 1/3.5。

# %% [markdown] slideshow={"slide_type": "-"}
# 再看每一步的代价，就在这几个模型上测量（深度、宽度和批大小都相同）：一次前向 + 反向传播的耗时，相对于默认初始化的普通网络；层归一化用 PyTorch 的 `nn.LayerNorm`（工程中的常见用法），并用本课程从零实现的层归一化（数值相同，逐个算子实现）作对比。（优化器的参数更新对每个网络都是同样的工作量，这里没有计入，这只会让比值偏大。）省下的步数和每步的代价合起来，就是达到默认初始化普通网络最终损失所需的计算时间：

# %% slideshow={"slide_type": "fragment"} tags=["nbval-ignore-output"]
step_time = {fused: step_time_ratio(SPEED_CONFIGS, depth=6, width=32, batch_size=128, fused=fused,
                                    seed=SEEDS[0]) for fused in (True, False)}
fewer_steps = {label: n_steps / np.median(needed) for label, needed in steps_needed["plain"].items()}
slower_step = {fused: {label: np.median(ratio) for label, ratio in step_time[fused].items()} for fused in step_time}
for label in ("plain + LayerNorm", "residual", "residual + LayerNorm"):
    print(f"{label:<22} 步数为普通网络的 1/{fewer_steps[label]:.1f}，每步耗时 {slower_step[True][label]:.2f} 倍 "
          f"-> 计算时间为普通网络的 {slower_step[True][label] / fewer_steps[label]:.2f} 倍"
          + (f"（从零实现的层归一化：每步 {slower_step[False][label]:.2f} 倍）" if "LayerNorm" in label else ""))
assert fewer_steps["residual"] > slower_step[True]["residual"], "捷径连接在计算时间上也占优"
assert fewer_steps["plain + LayerNorm"] > slower_step[True]["plain + LayerNorm"], "这里 nn.LayerNorm 也是如此"
assert slower_step[False]["plain + LayerNorm"] > slower_step[True]["plain + LayerNorm"], "算子实现很重要"

# %% [markdown] slideshow={"slide_type": "-"}
# 所以与默认初始化的普通网络相比，“加快训练速度”在计算时间上也成立，对两者都是如此：捷径连接让每步稍贵一点，`nn.LayerNorm` 在这个小宽度下让每步耗时变为约 1.2 到 1.4 倍，但两者在步数上省下的都更多。从零实现、逐个算子写成的层归一化每步要 2.4 到 2.7 倍，所以层归一化的收益能保住多少，取决于算子实现。给残差网络再加上层归一化，步数几乎不变，每步却更贵（用从零实现的版本，计算时间大约翻倍）：在这个深度和这种初始化下，收益来自残差路径。随着宽度增大，归一化在每步中的占比会下降（[计算量与内存](#计算量与内存)）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 过拟合
#
# 原文说：残差连接增加参数，因而可能导致过拟合。前提是错的（它不增加参数），但结论不妨也检验一下。一个普通 MLP 和一个残差 MLP（4 个块，宽度 64，层*完全相同*，因而参数量相同，这一点由构造保证，属于演示）在教师任务的 128 个样本上训练（其中四分之一的标签换成了随机类别），直到两者都拟合训练集；再用 2000 个干净的样本衡量泛化能力。两者都从 PyTorch 的默认初始化出发；第三个网络是采用何恺明初始化的普通网络，作为起点的消融对照。五个随机种子。

# %% slideshow={"slide_type": "subslide"}
overfit = run_overfitting(depth=4, width=64, n_train=128, label_noise=0.25, steps=100, seeds=SEEDS)
ax = plot_overfitting(overfit)

# %% slideshow={"slide_type": "fragment"}
for label in overfit.train_accuracy:
    print(f"{label:<15} 训练 {np.median(overfit.train_accuracy[label]):.2f}，"
          f"测试 {np.median(overfit.test_accuracy[label]):.2f}，"
          f"差距 {np.median(overfit.gap(label)):.2f}（中位数），"
          f"记住的错误标签 {np.median(overfit.noise_memorised[label]):.0%}")
print(f"参数量：普通网络 {overfit.n_parameters['plain']:,}，残差网络 {overfit.n_parameters['residual']:,}")
test_difference = {baseline: np.median(overfit.test_accuracy["residual"]) - np.median(overfit.test_accuracy[baseline])
                   for baseline in ("plain", "plain, He init")}
print("测试准确率中位数，残差网络减普通网络："
      + "，".join(f"{100 * d:+.1f} 个百分点（{baseline}）" for baseline, d in test_difference.items()))
assert overfit.n_parameters["plain"] == overfit.n_parameters["residual"], "演示：层完全相同"
assert all(np.all(accuracy > 0.95) for accuracy in overfit.train_accuracy.values()), "全都拟合了带噪声的标签"
for baseline in ("plain", "plain, He init"):
    assert np.median(overfit.gap("residual")) <= np.median(overfit.gap(baseline)), "残差网络的过拟合不更严重"

# %% [markdown] slideshow={"slide_type": "-"}
# 三个网络都记住了篡改过的标签（即与教师网络给出的不一致的标签）：容量这么大、数据这么少，*任何*网络都会过拟合，不管有没有捷径连接。这个实验能说明的很有限：原文的论证在这里不成立。残差网络一个参数也没多，无论普通网络用哪种初始化，它的过拟合都不比普通网络严重。它的测试准确率中位数也更高：这里比默认初始化的普通网络高 8.2 个百分点，比何恺明初始化的高 6.5 个百分点；换其他种子时，后一个差距是 1.6 到 3.9 个百分点，单个种子甚至会反过来，所以我们只主张“过拟合不更严重”。
#
# 这个实验*并不*说明捷径连接什么都没改变。两个网络参数相同，归纳偏置却不同：残差块一开始接近恒等映射，学的是对它的修正；普通块则必须学出整个映射；于是梯度下降从同样的数据中找到了不同的解。这种差异在这里没有造成损害；但仅凭一个深度为 4 的玩具模型和一个任务，无法判断它在一般情况下是利是弊。（残差网络往往也比它所取代的普通网络更深、更大，因为它*能*训练得动；容量越大越可能过拟合，但那是设计上的选择，不是捷径连接本身的性质。）

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 层归一化丢掉了什么
#
# 原文的最后一条缺点：*可能导致信息丢失*。层归一化把向量 `x` 映射为 `(x - mean) / std`（再乘以可学习的缩放参数 γ、加上平移参数 β）：它恰好丢掉每个向量的两个数，即均值和尺度，别的什么也不丢。任何 `a x + b`（`a` 为正数，`b` 为任意数）都给出相同的输出，而 `mean + std * LN(x)` 能还原出 `x`。对单个*特征*的平移则消除不了，Ba 等人（2016）表 1 称之为数据集重新中心化（dataset re-centering）；notebook [02](02_layer_normalization.ipynb) 测量了整张表。这些都是公式本身的恒等式，所以下面的检查只是在随机向量上演示它们，并不检验什么。

# %% slideshow={"slide_type": "-"}
discard = what_layernorm_discards(n=256, d=16, seed=SEEDS[0])
print(f"逐向量 x -> a x + b（a 取自 [0.1, 10]）：输出最多改变 {discard.change_per_vector:.0e}")
print(f"单个特征 x -> x + 3：输出最多改变 {discard.change_per_feature:.1f}")
print(f"用 mean + std * LN(x) 还原 x，误差不超过 {discard.rebuild_error:.0e}")
assert discard.change_per_vector < 1e-2, "层归一化的输出不受每个向量自身的缩放和平移影响（eps 除外）"
assert discard.change_per_feature > 1.0, "……但单个特征的平移不在此列"
assert discard.rebuild_error < 1e-5, "层归一化丢掉的只有均值和标准差"

# %% [markdown] slideshow={"slide_type": "-"}
# （`a x + b` 下那一点微小的变化是 `eps` 造成的：`a = 0.1` 时方差为 0.01，`eps = 1e-5` 与之相比就不再可以忽略。）*网络*是否丢失尺度，取决于归一化放在哪里。在 **Post-LN** 块 `h = LN(h + f(h))` 中，残差流本身要经过归一化：每个块之后，所有 token 的范数都相同。在 **Pre-LN** 块 `h = h + f(LN(h))` 中，只有分支读取归一化后的副本，残差流本身从不做归一化。在初始化状态下，向两个网络输入尺度相差很大的 `x = e^u z`（`u` 是对数尺度；两个网络使用相同的两层分支和相同的参数）。对 Post-LN，图中的水平线又是恒等式的结果（每个 token 离开归一化层时长度都是 `sqrt(d)`），属于演示；对 Pre-LN，斜率是测出来的。Pre-LN 的残差流不是 `x`，而是 `stem(x)` 加上各分支的输出；分支读的是归一化后的副本，它们的贡献不随输入增大，所以斜率小于 1。

# %% slideshow={"slide_type": "subslide"}
streams = stream_scale(depth=2, width=32, n=512, seeds=SEEDS[:3])
ax = plot_stream_scale(streams)

# %% slideshow={"slide_type": "fragment"}
post, pre = streams.slope("Post-LN residual"), streams.slope("Pre-LN residual")
print(f"log |残差流| 对 log 尺度的斜率：Post-LN {np.abs(post).max():.0e}（最大值），"
      f"Pre-LN {pre.min():.2f}（最小值），共 {len(pre)} 个种子")
assert np.all(np.abs(post) < 1e-3), "对每个输入，Post-LN 残差流的范数都相同"
assert np.all((pre > 0.3) & (pre < 0.9)), "Pre-LN 残差流的范数部分跟随输入的尺度"

# %% [markdown] slideshow={"slide_type": "subslide"}
# 这有关系吗？只对需要尺度信息的任务有关系。这里就有一个：*这个输入的尺度是大还是小？*（标签为 `u > 0`；`x` 的方向不含任何信息。）五个由相同的块组成的网络（深度 2，宽度 32）：在原始输入上额外加一个层归一化的 Pre-LN 残差网络；Post-LN 残差网络，以及把所有 `nn.Linear` 的偏置置零并冻结后的同一网络（消融对照）；Pre-LN 残差网络，以及在输出头之前加上最后的归一化层的同一网络（每个 Pre-LN Transformer 都有这一层）。三个随机种子，Adam 训练 60 步，2000 个测试输入。（为了给两个消融对照腾出时间，我们只训练 60 步而不是 100 步；每个网络的准确率与训练 100 步时相差都在约 1 个百分点以内，所以这个单元格的耗时与原先三个网络的版本相同。）

# %% slideshow={"slide_type": "-"}
scale = run_scale_task(depth=2, width=32, steps=60, seeds=SEEDS[:3])
ax = plot_scale_task(scale)

# %% slideshow={"slide_type": "fragment"}
for label, accuracy in scale.test_accuracy.items():
    print(f"{label:<28} 测试准确率 {accuracy.min():.2f} 到 {accuracy.max():.2f}")
assert np.all(scale.test_accuracy["LayerNorm on the input"] < 0.56), "输入端的层归一化：随机猜测水平"
assert np.all(scale.test_accuracy["Post-LN residual, no biases"] < 0.56), "消融：没有偏置，随机猜测水平"
for label in ("Post-LN residual", "Pre-LN residual", "Pre-LN residual + final LN"):
    assert np.all(scale.test_accuracy[label] > 0.85), f"{label}：尺度保留了下来"

# %% [markdown] slideshow={"slide_type": "-"}
# 对原始输入做归一化，尺度在任何层看到它之前就没了：怎么训练都超不过随机猜测水平（chance level）。Post-LN 网络能解出这个任务，尽管它的残差流对每个输入都有相同的长度：它的第一个块看到的是未经归一化的输入层输出，而 `h + f(h)` 并不是 `h` 的等比缩放，因为偏置不随输入缩放；于是尺度保留在向量的*方向*里，随归一化层的输出传了下去。消融实验证实了这一点：去掉偏置后，每个归一化层之前的各层都与输入严格等比缩放，归一化去掉了这个尺度，同一个网络就只剩随机猜测水平。Pre-LN 网络无论有没有最后的归一化层都能解出任务：有这一层时，它的输出头看到的向量也都是同一长度，尺度同样保留在方向里（分支的输出由归一化后的副本算出，不随输入缩放，而 `stem(x)` 随输入缩放）。
#
# 所以规律并不是“Pre-LN 保留尺度，Post-LN 丢掉尺度”。只有当归一化之前的一切对输入的尺度都是*正齐次*的（positively homogeneous），即不加入任何在输入缩放时保持不变的固定项时，尺度才会彻底丢失：例如对原始输入做归一化，或者归一化之前只有无偏置的线性层和 ReLU。原文这条缺点只对了一半：层归一化确实丢掉了每个 token 的均值和尺度，需要它们的模型必须在别处保存它们；在常见的网络里，偏置和分支通常就承担了这个角色。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 如何选择
#
# | 方案 | 适用场景 | 应避免或需注意的情况 | 依据 |
# |---|---|---|---|
# | **批归一化（BatchNorm）** | 用大批量、固定尺寸的输入训练的 CNN | 批很小或大小不定、变长序列、逐个 token 生成：它的统计量来自整个批，一个样本的输出取决于其他样本，训练时和推理时的行为也不一样 | [02](02_layer_normalization.ipynb) |
# | **层归一化（LayerNorm）** | Transformer 和 RNN；任意批大小，哪怕是 1；训练和推理完全一致 | 任务需要向量的绝对尺度，而归一化之前的一切都随输入等比缩放，例如直接对原始特征做归一化（见[上文](#层归一化丢掉了什么)） | [02](02_layer_normalization.ipynb)、本 notebook |
# | **RMSNorm** | 用层归一化的地方，在速度要紧时都可以用（近年大多数 LLM 都用它）：不减均值，没有偏置，FLOPs 是 `4d` 而不是 `7d` | 要在耗时上省下来，需要融合算子：这里 `nn.RMSNorm` 拆成几个小算子运行，保存的内存也比融合的 `nn.LayerNorm` 多（[见上文的测量](#计算量与内存)） | [02](02_layer_normalization.ipynb)、本 notebook |
# | **Post-LN**（`x = LN(x + f(x))`） | 原始的 Transformer 和 BERT；较浅的堆叠，配合学习率预热（warm-up） | 很深的堆叠，或不用预热：初始化时靠近输出的层梯度很大（Xiong 等人，2020），输出对每一层都很敏感（Liu 等人，2020）；两者对成因的看法不同：Liu 等人认为，Post-LN 不稳定的根本原因是这种输出变化的放大效应，而不是梯度不平衡 | [03](03_transformer_residual_layernorm.ipynb) |
# | **Pre-LN**（`x = x + f(LN(x))`） | 深层 Transformer 和 LLM 的默认选择（从 GPT-2 开始）：深度增加时依然稳定；在 Xiong 等人（2020）的 BERT 和机器翻译设置中不用预热也能训练，但大型 Pre-LN LLM 仍然使用预热（GPT-3；LLaMA 预热 2000 步） | 输出头之前需要最后的归一化层；残差流随深度增大，所以越靠后的块对它的相对改动越小 | [03](03_transformer_residual_layernorm.ipynb) |
# | **残差连接，不加归一化** | 浅层网络，或配合精心设计的初始化（Fixup、SkipInit、ReZero） | 块很多且用默认初始化：激活和梯度逐块增大 | [00](00_start_here.ipynb)、[01](01_residual_connections.ipynb)、[05](05_beyond_the_interview.ipynb) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 动手探索
#
# 宽度、深度和批大小变化时，这三种代价怎样变化？每根柱子都是与同一设置下普通网络的比值：FLOPs 靠计数，激活内存和耗时在每次改动后重新测量（耗时来自几次交替运行的传播，所以每次重画都会有抖动）。下图是探索器的默认状态，供没有运行内核的读者参考。

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_cost, **EXPLORER_DEFAULTS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_cost_explorer()
explorer

# %% [markdown] slideshow={"slide_type": "notes"}
# 可以试试：宽度 16 对比宽度 128（层归一化的耗时比值下降，而内存比值几乎不动）；深度 1 对比深度 8（残差网络的内存比值保持 1.00；归一化版本的比值上升，层归一化趋向 1.5，RMSNorm 趋向 2，因为各版本都相同的输入层和输出头所占的分量变轻了）；批大小不改变 FLOPs 和内存的比值（两者都按每个 token 计），却会改变耗时比值：宽度 16 时，在[批大小的消融实验](#计算量与内存)中，归一化的比值随批增大而上升，所以让这些比值变动的不只是探索器那几次传播的抖动。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 核对原文
#
# 原文第 4 题的清单，逐条核对（先列原文的说法，再给出我们的结论）：
#
# | 原文的说法 | 结论 | 测量结果 |
# |---|---|---|
# | 残差连接的优点：*提高训练效率*（“学习跨越层的恒等映射，从而加快训练速度”） | **半对** | 步数更少，计算时间也更少（每步只慢一点）：所需步数只有何恺明初始化普通网络的约 1/2.5，与 PyTorch 默认初始化的普通网络相比则更少（[训练速度](#训练速度)）；恒等路径是结构自带的，不是学出来的 |
# | 残差连接的优点：*缓解梯度消失和爆炸* | **半对** | 解决了梯度消失；但没有归一化时，残差流及其梯度会随深度增大（[00](00_start_here.ipynb)、[01](01_residual_connections.ipynb)） |
# | 残差连接的优点：*增强模型泛化能力*（“更好地捕获复杂特征”） | **半对** | 参数量相同时，残差网络学到了不同的解，过拟合不比普通网络严重；测试表现好多少，取决于普通网络的初始化（[过拟合](#过拟合)）；这只是一个玩具实验，不是规律；它公认的贡献是让更深的网络变得可训练 |
# | 残差连接的缺点：*增加参数数量，可能导致过拟合* | **错**（前提不成立） | 恒等捷径连接：0 个参数；投影：不到 ResNet-34 的 1%（[参数量](#参数量)）；在我们的测试中，残差网络的过拟合不比同样大小的普通网络严重（[过拟合](#过拟合)） |
# | 残差连接的缺点：*计算复杂度增加，可能导致训练时间增加* | FLOPs 上**错**，耗时上**影响很小** | 每个特征一次加法，是两层分支 FLOPs 的 `1/(4d)`；耗时占比高于 FLOPs 占比（逐元素运算每个 FLOP 的代价远高于矩阵乘法），但训练到给定损失所需的计算时间反而*更少*（[训练速度](#训练速度)）；分支为标准结构时不多占激活内存，分支以 ReLU 结尾时每块多存一份（[计算量与内存](#计算量与内存)） |
# | 层归一化的优点：*提高训练稳定性*（“降低了梯度计算中的方差”） | 结论**对**；所说的机制（降低梯度方差）不对 | 每层的输入保持尺度；各层的梯度处于同一量级（[00](00_start_here.ipynb)、[02](02_layer_normalization.ipynb)、[03](03_transformer_residual_layernorm.ipynb)） |
# | 层归一化的优点：*加快训练速度*（“减少了梯度计算中的方差”） | **半对** | 与 PyTorch 默认初始化的普通网络相比，步数更少，用 `nn.LayerNorm` 时计算时间也更少；但与何恺明初始化的普通网络相比，步数上没有可靠的收益：这里层归一化主要是让训练对尺度不当的初始化更鲁棒；逐个算子实现的层归一化每步要贵得多（[训练速度](#训练速度)）；所说的机制也不是层归一化的实际作用（[02](02_layer_normalization.ipynb)） |
# | 层归一化的优点：*增强模型泛化能力*（“对输入数据的变化更加鲁棒”） | **半对** | 对*每个*向量的缩放和平移不变，但对某个特征在整个数据集上的平移并非不变（[上文](#层归一化丢掉了什么)）；它也不是正则化手段：没有噪声，训练和推理时完全一样（[02](02_layer_normalization.ipynb)） |
# | 层归一化的缺点：*增加计算开销*（“可能导致训练时间增加”） | FLOPs 上**很小**；小宽度下若不融合，耗时上**并不小** | 每个 token `7d` 次 FLOP，而每个线性层是 `2d^2`，占比随宽度缩小；耗时占比高于 FLOPs 占比，在玩具级的宽度下不融合时要高得多；每个归一化层多存一份激活（[计算量与内存](#计算量与内存)） |
# | 层归一化的缺点：*可能导致信息丢失* | **半对** | 它丢掉每个向量的均值和尺度，别的都不丢；只有当归一化之前的一切都随输入等比缩放时（对原始输入做归一化、无偏置的层），它们才彻底丢失；否则尺度保留在方向里，Post-LN 和最后的归一化层都是如此（[层归一化丢掉了什么](#层归一化丢掉了什么)） |
# | 结尾的解析：残差连接适合“复杂特征”，层归一化适合“大规模数据集” | **有误导性** | 两者不是二选一：每个 Transformer 都同时使用两者，各司其职（[如何选择](#如何选择)） |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 练习
#
# 每个答案单元格一开始都是 `answer = ...`；把 `...` 换成你的答案，运行单元格即可立即得到反馈。`hint(key)` 给出提示；只有你主动要求时才会显示答案。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 1：给投影算算账**。原文的 `ResidualBlock(64, 128)` 需要一个投影捷径连接，即采用 PyTorch 默认参数的 `nn.Conv2d(64, 128, kernel_size=1)`。它增加了多少个参数？（填一个整数。）

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.projection_params", answer)

# %% slideshow={"slide_type": "-"}
hint("04.projection_params")

# %% slideshow={"slide_type": "-"}
# 自己尝试过之后，取消下一行的注释即可查看答案。
# solution("04.projection_params")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 2：给加法算算账**。一个块的分支是 `nn.Linear(512, 512)`、一个 ReLU、再一个 `nn.Linear(512, 512)`，与本 notebook 中的网络相同。恒等捷径连接让这个块的前向 FLOPs 增加了多大比例？一次乘加算 2 次 FLOP，忽略偏置和激活函数。（填一个比例，例如 1% 填 `0.01`。）

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.add_flop_share", answer)

# %% slideshow={"slide_type": "-"}
hint("04.add_flop_share")

# %% slideshow={"slide_type": "-"}
# 自己尝试过之后，取消下一行的注释即可查看答案。
# solution("04.add_flop_share")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 3：还原层归一化丢掉的东西**。写一个函数 `stats(x)`，返回层归一化对每个向量丢掉的两个数 `(mean, std)`，形状都是 `(..., 1)`，使得 `mean + std * torch.nn.functional.layer_norm(x, (d,), eps=0.0)` 能还原出 `x`。把这个函数本身作为答案传入。

# %% slideshow={"slide_type": "-"}
answer = ...
passed = check("04.rebuild_from_layernorm", answer)

# %% slideshow={"slide_type": "-"}
hint("04.rebuild_from_layernorm")

# %% slideshow={"slide_type": "-"}
# 自己尝试过之后，取消下一行的注释即可查看答案。
# solution("04.rebuild_from_layernorm")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 面试答题卡
#
# ### 15 秒版
#
# 残差连接几乎不增加代价（没有参数、每个特征一次加法、标准残差块也不多占激活内存），却能让深层网络变得可训练，只是残差流本身不做归一化；层归一化让每层的输入保持固定尺度，训练更稳，对尺度不当的初始化也更鲁棒，代价是每个 token `O(d)` 的计算（其耗时占比高于 FLOPs 占比），而且会丢掉每个 token 的均值和尺度。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 秒版：三个要点
#
# 1. **残差连接：好处实实在在，代价很小**。恒等路径让信号和梯度直接越过每个块：我们的 6 块 MLP 达到何恺明初始化普通网络的最终损失，所需步数只有对方的约 1/2.5（若与 PyTorch 默认初始化的普通网络比，只需约四分之一的步数，但默认初始化本身拖累了普通网络），算上每步的耗时也更省。恒等捷径连接没有参数，FLOPs 只占两层分支的 `1/(4d)`；分支以线性层结尾时，也不多占激活内存；只有形状改变处才需要 1x1 投影，其参数在 ResNet-34 中占比不到 1%。真正的局限是残差流不做归一化，若没有归一化层或合适的初始化，残差流的激活会随深度增大。
# 2. **不加参数，也就谈不上“参数多导致过拟合”**。参数量相同时，我们的残差网络过拟合并不比普通网络严重；它学到的是另一个解（归纳偏置不同）。这只是一个玩具实验，不能当作普遍规律。
# 3. **层归一化：更稳、对初始化更鲁棒，但每步更贵，而且会丢掉两个数**。每个 token `7d` 次 FLOP，而每个线性层是 `2d^2`；但它受内存带宽限制，耗时占比高于 FLOPs 占比（在我们的窄网络里，`nn.LayerNorm` 让每步耗时变为约 1.2 到 1.4 倍，逐个算子实现的版本则是 2.4 到 2.7 倍），而且每个归一化层要多存一份激活；RMSNorm 的 FLOPs 更少，但只有实现得好（如融合算子）才真正省时间。层归一化丢掉的恰好是每个 token 的均值和尺度；只有当归一化之前的所有运算都随输入等比缩放时，它们才彻底丢失，否则会保留在向量的方向里。深层模型默认用 Pre-LN（末尾再加一个归一化层）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问
#
# **问**：残差连接会增加参数吗？**答**：恒等捷径连接不增加；只有形状改变处的 1x1 投影增加 `in x out` 个权重（另加 `out` 个偏置）。
#
# **问**：会多占激活内存吗？**答**：分支以线性层结尾时不会（相加的结果取代了分支的输出）；分支以 ReLU 结尾时，每块多存一份激活。
#
# **问**：参数量相同，模型就等价吗？**答**：不等价：参数量相同，归纳偏置不同，学到的解也不同，哪个泛化更好取决于任务。
#
# **问**：为什么层归一化的实际耗时比 FLOPs 反映的多？**答**：它受内存带宽限制：每读写一个激活值只做几次运算，不融合时还要拆成好几个算子。
#
# **问**：Pre-LN 需要学习率预热吗？**答**：在 Xiong 等人（2020）的 BERT 和机器翻译实验中，Pre-LN 不用预热也能训练；但大型 Pre-LN 语言模型仍然使用预热（GPT-3；LLaMA 预热 2000 步）。
#
# **问**：层归一化会丢失什么信息？**答**：只丢每个 token 的均值和尺度；只有当归一化之前的所有运算都随输入等比缩放（上游没有偏置之类的固定项）时，它们才真正丢失。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR.（第 3.2 节：恒等捷径连接不增加参数；第 4.1 节和表 3：捷径连接的 A、B、C 三种方案，对应上文的[参数计数](#参数量)。）
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.（表 1：各种不变性，用于[层归一化丢掉了什么](#层归一化丢掉了什么)一节。）
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.（RMSNorm：不做重新中心化，FLOPs 是 `4d` 而不是 `7d`；他们的实现比层归一化快 7% 到 64%；[计算量与内存](#计算量与内存)一节对 PyTorch 的实现做了计数和计时。）
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.（在他们的 BERT 和机器翻译设置中，Post-LN 需要预热，Pre-LN 不用预热也能训练；见[如何选择](#如何选择)中的表格。）
# - Brown et al. (2020). *Language Models are Few-Shot Learners* (GPT-3)；Touvron et al. (2023). *LLaMA.*（训练时使用学习率预热的 Pre-LN 模型；LLaMA 预热 2000 步。）
# - He, Zhang, Ren, Sun (2016b). *Identity Mappings in Deep Residual Networks.* ECCV.（图 4c，“ReLU before addition”，即我们[内存消融实验](#内存花在哪里)中的分支。）
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.* EMNLP.（Post-LN 对其残差分支的依赖；他们认为 Post-LN 不稳定的根本原因是这种放大效应，而不是梯度不平衡。）
# - Korthikanti et al. (2022). *Reducing Activation Recomputation in Large Transformer Models.*（第 4.1 节：逐项统计一个 Transformer 层的激活内存。）

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
# # 01 · 残差连接：原理与应用
#
# 英文原版：[English](../01_residual_connections.ipynb)
#
# **题目（原文）**：请解释残差连接的基本原理，并讨论它在神经网络中的具体应用。
#
# 原文的回答是：残差连接（residual connection）的设计初衷是同时解决梯度消失（vanishing gradients）*和*梯度爆炸（exploding gradients），它能加快训练、提升泛化能力；原文还给出了一个卷积版的 `ResidualBlock`。本 notebook 用几秒钟就能在 CPU 上训练完的小网络逐条检验这些说法，在玩具规模上复现两项已发表的结果：退化问题（degradation problem），以及缩放捷径连接（shortcut）的后果；最后把原文的残差块拆开来看。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简短回答

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **原理**：何恺明等人（He et al., 2016）提出的残差块输出 `x + F(x)`。块里的层只学习对输入的修正量 `F`，输入本身由一条恒等捷径原样传过去（没有参数，只多一次加法）。如果一个块最好什么都不做，它只需学到 `F = 0`。
# - **为什么有效**：反向传播时，恒等路径给梯度提供了一条不经过任何权重矩阵的通路，所以最前面几层拿到的梯度和最后几层是同一量级。普通网络（plain network）每经过一层都要乘一个雅可比矩阵（Jacobian），层数一多，梯度就没了。
# - **它解决了什么**：*退化问题*。无论用批归一化（BatchNorm）还是层归一化（LayerNorm），更深的普通网络的*训练*损失都比浅的更高，而对应的残差网络不会。把捷径乘以 0.5，训练又会变差。
# - **它没有解决什么**：信号的增长。没有归一化时，残差流（residual stream）的方差每经过一个块就乘以 `1 + Var F / Var x`，所以很深的残差堆叠及其梯度会越来越大：PyTorch 默认初始化下增长温和，何恺明初始化（He initialisation）下呈指数增长。把分支缩小（`1/sqrt(2L)`）可以让它有界；在每个分支开头加归一化，则把指数增长变成 `sqrt(L)` 级增长。“解决了梯度消失和梯度爆炸”只对了一半：ResNet 里残差连接搭配批归一化，Transformer 里搭配层归一化。
# - **用在哪里**：如今在用的深层架构都离不开它，例如 ResNet、Transformer 的每个子层、U-Net 和扩散模型的各个块。

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.data import load_reference, reference_citation
from resnorm.exercises import check, hint, solution
from resnorm.exercises.residual_connections import STATEMENTS
from resnorm.experiments.degradation import (
    DEGRADATION_CONFIGS,
    LAYERNORM_ABLATION,
    initial_gradient_ratio,
    run_degradation,
)
from resnorm.experiments.gradient_flow import FOUR_WAYS, PLAIN_NORM_ABLATION, mlp_layer_stats
from resnorm.experiments.shortcut_scaling import identity_path_gain, run_shortcut_scaling, scaling_label
from resnorm.experiments.source_resblock import (
    BLOCKS,
    block_properties,
    inplace_effects,
    negative_input_fractions,
)
from resnorm.experiments.stream_growth import (
    BRANCH_MEAN_ABLATION,
    INIT_CONFIGS,
    STREAM_CONFIGS,
    ZERO_INIT_ABLATION,
    growth_with_depth,
    run_stream_growth,
)
from resnorm.figures.residual_connections import (
    EXPLORER_DEFAULTS,
    draw_gradient_explorer,
    make_gradient_explorer,
    plot_growth_with_depth,
    plot_per_layer_grads,
    plot_shortcut_scaling,
    plot_stream_growth,
    plot_training_curves,
)
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(3)


def sig(value: float, digits: int = 2) -> str:
    """把 ``value`` 舍入到 ``digits`` 位有效数字（``1.2e-10``、``0.45``、``530``）。"""
    return f"{float(f'{value:.{digits}g}'):g}"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. 原理
#
# 残差块把输入加到块内各层的输出上：
#
# $$x_{l+1} = x_l + F_l(x_l).$$
#
# 从第 `l` 块一直展开到最后一块 `L`，输出等于输入加上一串修正量之和，$x_L = x_l + \sum_{i=l}^{L-1} F_i(x_i)$，由链式法则得到
#
# $$\frac{\partial \mathcal{L}}{\partial x_l} = \frac{\partial \mathcal{L}}{\partial x_L}
# \Big(I + \frac{\partial}{\partial x_l}\sum_{i=l}^{L-1} F_i(x_i)\Big)$$
#
# （何恺明等人，2016b，式 4-5）。关键就在这个 `I`：到达最后一块的梯度原封不动地传到第 `l` 块，再加上各分支贡献的部分。而在普通网络 $x_{l+1} = F_l(x_l)$ 中，同一个梯度是 `L - l` 个雅可比矩阵的*乘积*，$\frac{\partial \mathcal{L}}{\partial x_L} \prod_i \frac{\partial F_i}{\partial x_i}$；许多小于 1 的因子连乘，结果趋于零。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **每个因子有多小？** 我们的块采用预激活（pre-activation）ResNet 块或 Transformer 前馈网络（FFN）子层的分支结构，$F(h) = W_2\,\mathrm{ReLU}(W_1 h + b_1) + b_2$，即两个 `Linear(n, n)` 层，中间一个 ReLU。下面沿反向传播的方向，看梯度 $g = \partial \mathcal{L}/\partial h$ 穿过一个块时怎样变化：
#
# - 经过一个 PyTorch 默认初始化的 `Linear(n, n)`（权重在 $\pm 1/\sqrt{n}$ 内均匀分布，方差 $1/(3n)$），$g$ 的均方值（mean square）乘以 $n \cdot \frac{1}{3n} = \frac{1}{3}$；
# - 经过 ReLU，只有输入为正的那些分量能通过，大约一半，即 $\frac{1}{2}$；
# - 经过第二个 `Linear`，又是 $\frac{1}{3}$。
#
# 一个普通块：均方值乘以 $\frac{1}{3}\cdot\frac{1}{2}\cdot\frac{1}{3} = \frac{1}{18}$，$g$ 的范数乘以 $\sqrt{1/18} \approx 0.24$。三十个块：$0.24^{29} \approx 10^{-18}$。残差块多了恒等项，两项互不相关，所以均方值乘以 $1 + \frac{1}{18}$：梯度在传回输入的路上，范数每块反而*增大* $\sqrt{19/18} \approx 1.027$ 倍。（若用何恺明初始化，$W_1$ 的方差为 $2/n$，$W_2$ 为 $1/n$，分支因子为 $2 \cdot \frac{1}{2} \cdot 1 = 1$，残差块的因子为 $\sqrt{2}$；见第 3 节。）
#
# 这些是对 $\partial \mathcal{L}/\partial h$ 的预测，即每个块输出处的梯度，所以第 2 节测的正是这个量（对每个隐藏状态调用 `retain_grad()`）。权重矩阵的梯度是另一回事：$\partial \mathcal{L}/\partial W_1$ 是 $\partial \mathcal{L}/\partial z \; h^\top$ 在整个批次上的和，其范数约为 $\|\partial \mathcal{L}/\partial z\| \cdot \|h\|$，还会随该层输入的大小而变。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. 四个 30 块网络的逐块梯度
#
# 四个宽度为 64 的 `resnorm.models.DeepMLP` 网络，只在两个开关上不同：有没有残差连接；每个分支开头有没有层归一化，即前置归一化（Pre-LN），和 GPT-2 式 Transformer 一样。全部使用 PyTorch 默认初始化。每个网络都在初始化状态下输入一批 128 个标准正态样本，在读出层（readout head）上计算交叉熵损失，做一次 `backward()`；每个随机种子（seed）一个网络。

# %% slideshow={"slide_type": "-"}
FOUR_WAYS

# %% slideshow={"slide_type": "subslide"}
stats30 = mlp_layer_stats(FOUR_WAYS, depth=30, seeds=SEEDS)
grads30 = stats30.state_grads
_ = plot_per_layer_grads(grads30)

# %% slideshow={"slide_type": "fragment"}
ratio = {label: grads30.first_to_last_ratio(label) for label in FOUR_WAYS}
factor = {label: grads30.per_block_factor(label) for label in FOUR_WAYS}
predicted = {"plain": np.sqrt(1 / 18), "residual": np.sqrt(19 / 18)}
ln_over_plain_residual = factor["residual + LayerNorm"] / factor["residual"]
for label in FOUR_WAYS:
    print(f"{label:21s} 首块/末块：{sig(ratio[label].min())} 到 {sig(ratio[label].max())}，"
          f"每块因子 {sig(factor[label].min(), 3)} 到 {sig(factor[label].max(), 3)}")
print(f"预测的每块因子：普通网络 sqrt(1/18) = {sig(predicted['plain'], 3)}，"
      f"残差网络 sqrt(19/18) = {sig(predicted['residual'], 3)}")
print(f"残差 + 层归一化相对于残差，每块因子之比：{sig(ln_over_plain_residual.min(), 3)} "
      f"到 {sig(ln_over_plain_residual.max(), 3)}")

assert np.all(np.abs(factor["plain"] / predicted["plain"] - 1) < 0.1), "普通网络：每块 sqrt(1/18)，误差在 10% 以内"
assert np.all(ratio["plain"] < 1e-12), "普通网络：梯度朝输入方向消失"
assert np.all(np.abs(factor["residual"] / predicted["residual"] - 1) < 0.015), "残差网络：每块 sqrt(19/18)"
assert np.all(ratio["residual"] > 1), "残差网络：完整的梯度到达第一块"
assert np.all(np.abs(ln_over_plain_residual - 1) < 0.02), "默认初始化下，分支里的层归一化在这里不起作用"

# %% [markdown] slideshow={"slide_type": "-"}
# **普通网络**的梯度每块都乘以预测的因子 $\sqrt{1/18}$，误差在百分之几以内；到第一块时几乎什么都不剩了。**残差网络**把完整的梯度送到第一块，还略有增加，正是预测的每块 $\sqrt{19/18}$。残差分支（residual branch）里的**层归一化**在这里不起作用：PyTorch 默认初始化下，每个分支相对恒等项都很小，两个残差网络的每块因子相差不到 2%。分支很大时层归一化才重要：在何恺明初始化下（notebook 00，以及下面的第 3 节），它把指数增长变成 $\sqrt{L}$ 级增长。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **只加归一化能救活普通网络吗？** 第四个网络，**普通 + 层归一化**，没有捷径：梯度在这里既不消失也不爆炸，每块缩小百分之几。反向传播时，层归一化把梯度乘以 $1/\sigma$，即其输入（上一块输出）标准差的倒数。若这个方差恰好等于分支的反向增益（第 1 节的 $\frac{1}{18}$），两者抵消，因子为 1。差别来自偏置：分支最后一层的 PyTorch 默认偏置（在 $\pm 1/\sqrt{n}$ 内均匀分布，方差 $\frac{1}{3n}$）给前向方差加了 $\frac{1}{3n}$，却不增加反向增益，因此在宽度 $n = 64$ 时，一个块把梯度乘以约 $\sqrt{\tfrac{1/18}{1/18 + 1/(3n)}} = 1/\sqrt{1 + 6/n} \approx 0.956$。消融实验（ablation）：同样的网络，初始化后把所有偏置置 0（权重不变）。
#
# **什么时候归一化会让梯度变大？** 当它去掉一个*均值*的时候。若每个块以 ReLU 结尾（何恺明等人，2016b，图 4c 的“ReLU before addition”，此处用于普通网络），块的输出就非负。下一个层归一化减去它们的均值，再除以剩下的标准差；对零均值高斯变量取 ReLU 后，这个标准差比它的均方根（RMS）小，比值为 $\sqrt{1 - 1/\pi}$。反向传播时，梯度每块约乘以 $1/\sqrt{1 - 1/\pi} \approx 1.21$。这是对无限宽、无偏置网络的估计，不是严格的界。
#
# 批归一化即使在标准块上也会去掉这样一个均值。它减去每个*特征*在批内的均值：隐藏层 ReLU 的输出均值为正，经过 `linear2` 后每个特征仍带着它的一个固定组合（对所有样本相同），约占该特征均方值的 $1/\pi$。层归一化减去每个*样本*在各特征上的均值，经过 `linear2` 后约为 0，无可去除。均方根归一化（RMSNorm）只除以均方根，什么也不减。消融实验：每个块开头放一个归一化层，分别用 PyTorch 默认偏置和零偏置：

# %% slideshow={"slide_type": "-"}
PLAIN_NORM_ABLATION

# %% slideshow={"slide_type": "subslide"}
ablation = mlp_layer_stats(PLAIN_NORM_ABLATION, depth=30, seeds=SEEDS).state_grads
no_bias = mlp_layer_stats(PLAIN_NORM_ABLATION, depth=30, seeds=SEEDS, zero_biases=True).state_grads
_ = plot_per_layer_grads(no_bias, title=f"带归一化的普通网络，30 个块，零偏置（{len(SEEDS)} 个随机种子）")

# %% slideshow={"slide_type": "fragment"}
with_bias = {label: ablation.per_block_factor(label) for label in PLAIN_NORM_ABLATION}
zero_bias = {label: no_bias.per_block_factor(label) for label in PLAIN_NORM_ABLATION}
mean_removal = 1 / np.sqrt(1 - 1 / np.pi)
bias_factor = 1 / np.sqrt(1 + 6 / 64)
print(f"{'每块因子':31s}{'PyTorch 默认偏置':>16s}{'零偏置':>15s}")
for label in PLAIN_NORM_ABLATION:
    a, b = with_bias[label], zero_bias[label]
    print(f"{label:35s} {a.min():9.2f} 到 {a.max():.2f} {b.min():9.2f} 到 {b.max():.2f}")
print(f"估计值：去均值 1/sqrt(1 - 1/pi) = {mean_removal:.2f}，偏置 1/sqrt(1 + 6/64) = {bias_factor:.3f}")

for label in ("block ends in a ReLU", "BatchNorm, ReLU inside the branch"):
    assert np.all(np.abs(zero_bias[label] / mean_removal - 1) < 0.1), f"{label}：符合去均值的估计，误差在 10% 以内"
for label in ("ReLU inside the branch", "block ends in a tanh", "no activation", "RMSNorm, block ends in a ReLU"):
    assert abs(np.median(zero_bias[label]) - 1) < 0.05, f"{label}：没有去掉均值，也就不增长（中位数与 1 相差不到 5%）"
inside = "ReLU inside the branch"
assert abs(np.median(with_bias[inside]) / bias_factor - 1) < 0.05, "普通 + 层归一化：符合偏置的估计，误差在 5% 以内"
assert np.median(zero_bias[inside]) > np.median(with_bias[inside]), "……而零偏置消除了这种缩小"

# %% [markdown] slideshow={"slide_type": "-"}
# 先看零偏置那一列。梯度朝输入方向增大，每块约 1.21 倍，与估计一致，而且恰好出现在归一化去掉正均值的地方：以 ReLU 结尾的块后面接层归一化，标准块后面接批归一化。保留 ReLU 结尾、把层归一化换成不做中心化的均方根归一化，增长就消失了；以 tanh 结尾（输出有正有负）、不用激活函数、或把 ReLU 放在分支内部，也都不增长。第一列加上了 PyTorch 的默认偏置：每块在此之外还要再乘以约 0.956，与估计一致（批归一化那几行几乎不变，因为它把每个特征的偏置也一并减掉了）。
#
# 对批归一化而言，这就是 Yang 等人（2019，*A Mean Field Theory of Batch Normalization*）的大批量结果：在很深的普通批归一化 + ReLU 网络中，梯度的平方每层增长 $\pi/(\pi - 1)$ 倍，范数即 $\sqrt{\pi/(\pi-1)} = 1/\sqrt{1 - 1/\pi} \approx 1.21$ 倍：同一个去均值机制。他们的理论在此之上还有第二部分，来自有限批量下同一批样本之间的耦合（每个样本都用其他样本的统计量来归一化），这部分对任何非线性都成立，并随批量增大而减弱；层归一化对每个样本单独归一化，没有这一部分。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. 残差流增长有多快
#
# 残差连接治好了梯度消失；它们也能让信号保持有界吗？没有归一化时，一个块之后残差流的均方值为
#
# $$\mathbb{E}[x_{l+1}^2] = \mathbb{E}[x_l^2] + \mathbb{E}[F_l^2] + 2\,\mathbb{E}[x_l F_l].$$
#
# 一个零均值、有自己随机权重的分支与残差流不相关，最后一项约为 0；经过 `L` 个块，残差流的均方根按下面的乘积增长
#
# $$\frac{\mathrm{RMS}(x_L)}{\mathrm{RMS}(x_0)} = \prod_{l=0}^{L-1} \sqrt{1 + \frac{\mathrm{Var}\,F_l}{\mathrm{Var}\,x_l}}$$
#
# （这里的 Var 指在批次和宽度上取的均方值）。所以增长由每个分支的输出与输入之比决定，也就是由初始化决定：
#
# - PyTorch 默认初始化：前向时，分支的两层各把均方值乘以 $\frac{1}{3}$，ReLU 乘以 $\frac{1}{2}$，和第 1 节反向的计算一样，所以比值约为 $\frac{1}{18} \approx 0.056$（偏置再加一点），100 个块后 RMS 共增长 $(19/18)^{50} \approx 15$ 倍：增长温和；
# - 何恺明初始化：比值为 1，均方值每块翻倍，$2^{50} \approx 10^{15}$：指数增长；
# - 缩放初始化（scaled initialisation，`init="scaled"`：何恺明初始化，每个分支的最后一层再乘以 $1/\sqrt{2L}$）：比值 $\frac{1}{2L}$，于是 $(1 + \frac{1}{2L})^{L/2} \approx e^{1/4} \approx 1.28$：有界。这正是 GPT-2 的规则：残差投影乘以 $1/\sqrt{N}$，$N$ 为残差层数（Radford 等人，2019）；取 $N = 2L$，对应 $L$ 层、每层两个子层的 Transformer。我们的 MLP 每块只有一个残差分支，所以把 GPT-2 的规则套用过来应是 $1/\sqrt{L}$：比值 $\frac{1}{L}$，增长 $\approx e^{1/2} \approx 1.65$，仍然有界。（GPT-2 的初始权重标准差是 0.02，而不是何恺明初始化。）
# - 前置归一化：每个分支看到的是 $\mathrm{LN}(x_l)$，无论残差流多大，它的尺度都是 1，所以 $\mathbb{E}[F_l^2]$ 是常数 $c$，均方值*线性*增长，$\mathbb{E}[x_0^2] + l\,c$，RMS 则按 $\sqrt{l}$ 增长：不是有界的，但不再是指数增长。从 25 块到 100 块，RMS 约增长 $\sqrt{100/25} = 2$ 倍（当 $\mathbb{E}[x_0^2]$ 相对 $25\,c$ 不算小时会略少一些：PyTorch 默认初始化下，输入层（stem）输出的均方值约为 $\frac{1}{3}$）。
#
# 测量对象：100 个块、宽度 64 的残差网络，一批 64 个样本，每个随机种子一个网络；虚线是用每块*实测*比值代入乘积公式算出的结果。

# %% slideshow={"slide_type": "-"}
STREAM_CONFIGS

# %% slideshow={"slide_type": "subslide"}
growth = run_stream_growth({**STREAM_CONFIGS, **BRANCH_MEAN_ABLATION}, depth=100, seeds=SEEDS)
_ = plot_stream_growth(growth, list(STREAM_CONFIGS))

# %% slideshow={"slide_type": "fragment"}
stream_final = {label: growth.growth(label)[:, -1] for label in growth.stream_ms}
ratio_per_seed = {label: np.median(growth.branch_ratio(label), axis=1) for label in growth.stream_ms}
drift = {label: growth.branch_ms[label][:, 50:].mean(axis=1) / growth.branch_ms[label][:, :50].mean(axis=1)
         for label in growth.stream_ms}
late_growth = {label: growth.growth(label)[:, 100] / growth.growth(label)[:, 25] for label in growth.stream_ms}
for label in STREAM_CONFIGS:
    print(f"{label:29s} 100 个块的 RMS 增长 {sig(stream_final[label].min())} 到 {sig(stream_final[label].max())}，"
          f"第 25 -> 100 块：{sig(late_growth[label].min())} 到 {sig(late_growth[label].max())}，"
          f"Var F / Var x 中位数 {sig(np.median(ratio_per_seed[label]))}")
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    print(f"{label}：分支输出，第 50-99 块 / 第 0-49 块：{sig(drift[label].min())} 到 {sig(drift[label].max())}")

assert np.all(np.abs(ratio_per_seed["default init"] * 18 - 1) < 0.15), "默认初始化：Var F / Var x 约为 1/18"
assert np.all((stream_final["default init"] > 5) & (stream_final["default init"] < 50)), "默认初始化：温和增长"
assert np.all(np.abs(ratio_per_seed["He init"] - 1) < 0.15), "何恺明初始化：Var F / Var x 约为 1"
assert np.all(stream_final["He init"] > 1e12), "何恺明初始化：指数增长"
assert np.all(np.abs(stream_final["He init, branch x 1/sqrt(2L)"] / np.exp(1 / 4) - 1) < 0.1), "1/sqrt(2L)：e^(1/4)"
assert np.all(late_growth["default init"] > 4), "默认初始化、无归一化：指数增长，远超 sqrt(100/25)"
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    assert np.all(np.abs(late_growth[label] / 2 - 1) < 0.25), f"{label}：第 25 -> 100 块约为 sqrt(100/25) = 2"
    assert np.all((drift[label] > 0.8) & (drift[label] < 1.25)), f"{label}：分支输出保持大小不变"

# %% [markdown] slideshow={"slide_type": "-"}
# 残差连接并不能让残差流有界。增长多少取决于初始化：PyTorch 默认初始化下 100 个块约增长 15～20 倍（每个分支都很小，输出的均方值约为输入的 0.058），何恺明初始化（ReLU 网络的常用选择）下约 $10^{15}$ 倍。把每个分支缩小为 $1/\sqrt{2L}$ 就能让它有界，结果正是预测的 $e^{1/4}$。在每个分支开头加层归一化不能让它有界，但能把指数增长变成 $\sqrt{l}$ 级增长：有了前置归一化，分支输出在整个堆叠中保持同样的大小，从 25 块到 100 块 RMS 约增长 2 倍，而默认初始化、无归一化时是 6～10 倍。残差流仍在增长，所以 Pre-LN Transformer 需要最后的归一化层（final norm），见 notebook 03。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **梯度随残差流一起增长。** 反向传播时，每个未归一化的残差块把 $\partial \mathcal{L}/\partial x$ 的均方值乘以 $1 + $（分支的反向增益）；对这些分支，反向增益与前向的比值相同（默认初始化下为 $\frac{1}{18}$，何恺明初始化下为 1）。有前置归一化时，每个层归一化都把梯度除以残差流的尺度，所以梯度和残差流一样按 $\sqrt{L}$ 增长（已验证：与残差流的增长相差不到 2 倍）。下面是 100 个块时，输入层输出处的梯度与最后一块输出处梯度之比：

# %% slideshow={"slide_type": "fragment"}
grad_growth = {label: growth.gradient_growth(label) for label in STREAM_CONFIGS}
for label, g in grad_growth.items():
    print(f"{label:29s} 首块/末块梯度 {sig(g.min())} 到 {sig(g.max())}")
assert np.all(grad_growth["He init"] > 1e12), "何恺明初始化、无归一化：梯度爆炸"
assert np.all(grad_growth["He init, branch x 1/sqrt(2L)"] < 1.5)
for label in ("default init + LayerNorm", "He init + LayerNorm"):
    tracks = grad_growth[label] / stream_final[label]
    assert np.all((tracks > 0.5) & (tracks < 2)), f"{label}：梯度随残差流一起增长，约为 sqrt(L)"

# %% [markdown] slideshow={"slide_type": "subslide"}
# **检验公式，以及它忽略的交叉项。** 上图的虚线是用实测比值代入乘积公式的结果。宽度为 64 时，一个块的交叉项 $2\,\mathbb{E}[x_l F_l]$ 是一个均值为零的随机数；分支越大、批次中的样本变得越相似，它相对 $\mathbb{E}[x_l^2]$ 就越大（如果一批 64 个样本都指向同一个方向，平均下来并不比单个样本好）。下面的单元格打印：公式每块的误差、交叉项在各块上的 RMS、交叉项在各块上的均值除以其标准误（即 z 分数：均值为零的项，其 z 分数应为 1 的量级，所以我们把 $|z| < 4$ 视为“平均后抵消”），以及最后一块之后样本两两之间残差流的平均余弦相似度。
#
# 这个公式要求分支均值为零。何恺明等人（2016b，图 4c）试过让分支以 ReLU 结尾，即“ReLU before addition”，发现它不如原始的块（见其表 2），因为非负的残差限制了块的表达能力。在这里它还有另一层影响：它的输出永远非负，每个块都加上一个均值为正的向量，相邻各块的均值指向同一个方向，于是交叉项 $2\,\mathbb{E}[x_l F_l]$ 在每一块都是正的。消融实验：同样的分支，改以 tanh 结尾，输出有正有负。

# %% slideshow={"slide_type": "subslide"}
_ = plot_stream_growth(growth, ["default init", *BRANCH_MEAN_ABLATION],
                       title=f"分支以激活函数结尾，100 个块（{len(SEEDS)} 个随机种子）")

# %% slideshow={"slide_type": "fragment"}
error = {label: growth.formula_error_per_block(label) for label in growth.stream_ms}
cross = {label: np.sqrt(np.mean(growth.cross_term(label) ** 2, axis=1)) for label in growth.stream_ms}
zscore = {label: growth.cross_term_zscore(label) for label in growth.stream_ms}
cosine = {label: growth.mean_cosine[label][:, -1] for label in growth.stream_ms}
print(f"{'':29s} {'实测 / 公式 - 1':>18s} {'交叉项：RMS':>13s} {'均值 / 标准误':>10s} {'余弦，第 100 块':>13s}")
for label in growth.stream_ms:
    e, z = error[label], zscore[label]
    print(f"{label:29s} {100 * e.min():+10.2f}% 到 {100 * e.max():+.2f}% {sig(cross[label].min()):>7s} 到 {sig(cross[label].max()):6s}"
          f" {z.min():+6.1f} 到 {z.max():+5.1f} {sig(cosine[label].min()):>8s} 到 {sig(cosine[label].max())}")
relu_final = stream_final["ReLU before addition"]
print(f"ReLU before addition：100 个块的 RMS 增长 {sig(relu_final.min())} 到 {sig(relu_final.max())}")

for label in (*STREAM_CONFIGS, "tanh before addition"):
    assert np.all(np.abs(zscore[label]) < 4), f"{label}：零均值分支，交叉项平均后抵消（|均值| < 4 个标准误）"
assert np.all(zscore["ReLU before addition"] > 10), "正均值分支：系统性的正交叉项"
assert np.all(cosine["He init"] > 0.9), "何恺明初始化：整批样本塌缩到同一个方向"
assert np.all(cross["He init"] > 0.15), "何恺明初始化：单个块的交叉项是一个不小的随机项"
assert np.all(error["ReLU before addition"] > 0.05), "正均值分支：交叉项让它增长得更快"
assert np.all(relu_final > 100 * stream_final["tanh before addition"])

# %% [markdown] slideshow={"slide_type": "-"}
# 在所有分支均值为零的网络中，交叉项都在平均后抵消：它们在 100 个块上的均值与 0 只差几个标准误（“均值 / 标准误”一列，即 z 分数）；除何恺明初始化外，公式每块的误差都在千分之几以内。不过单个块的交叉项并不小：默认初始化下约为残差流均方值的 $\pm 0.04$（到第 100 块时样本已经变得相似，平均余弦相似度大于 0.5），而分支缩放后只有 $\pm 0.005$。**何恺明初始化**是极端情形，但同样不是系统性的：它的分支和输入一样大，到第 100 块整批样本已经塌缩（两个样本之间的平均余弦相似度接近 1），所以每个块的交叉项是残差流均方值的 $\pm 0.2$ 左右的随机量；一百个这样的随机项累积下来，实测增长与公式的偏差最多约每块 1.5%，方向不定。
#
# **ReLU before addition** 是例外，而且是系统性的（每个随机种子的 z 分数都大于 10）：残差流每块比公式快百分之几，100 个块下来比以 tanh 结尾时多增长约一千倍，而以 tanh 结尾时公式成立。一个均值为正的分支会在残差流中不断堆积同一个方向（整批样本的余弦相似度达到 1）。何恺明等人否定这种块的理由则是另一个：只能加上非负值的分支限制了块的表达能力。两者都说明分支的最后一步应保持线性，预激活 ResNet 和 Transformer 正是这样做的。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 初始化时的残差缩放
#
# 一系列初始化规则要回答的都是同一个问题：残差流*随网络深度*增长得多快。没有归一化时，每个块把均方值乘以 $1 + \mathrm{Var}\,F / \mathrm{Var}\,x$。如果这个比值与深度无关，增长就是几何级的，$g^L$：深度加倍，增长取平方。如果每个分支缩小为 $1/\sqrt{2L}$，比值为 $\frac{1}{2L}$，在任何深度下增长都趋于 $e^{1/4}$。
#
# - **GPT-2**（Radford 等人，2019，第 2.3 节）在初始化时把残差层的权重乘以 $1/\sqrt{N}$，$N$ 为残差层数，因为残差路径上每层都会累加一个分支。这就是我们的 `init="scaled"`，取 $N = 2L$。
# - **Megatron-LM** 的代码（Shoeybi 等人，2019）把每个注意力子层和 MLP 子层输出层的权重从标准差为 $\sigma/\sqrt{2L}$ 的正态分布中抽取，$L$ 为层数（默认 $\sigma = 0.02$）：同一条规则，$N = 2L$。
# - **T-Fixup**（Huang 等人，2020）为 Transformer 的初始权重推导出随深度变化的缩放，用它训练时既不需要层归一化，也不需要学习率预热（warm-up）。
# - **Depth-μP**（Yang 等人，2023，*Tensor Programs VI*；Bordelon 等人，2023）把每个分支乘以 $1/\sqrt{L}$，训练中和初始化时都是如此，使浅层网络上找到的最佳学习率能直接迁移到深层网络。
#
# 下面测量 12、25、100 个块的网络从头到尾的总增长（每种深度都是独立的网络：`init="scaled"` 按各自的深度缩放；100 块的网络就是上面那几个）。

# %% slideshow={"slide_type": "subslide"}
INIT_CONFIGS

# %% slideshow={"slide_type": "-"}
by_depth = growth_with_depth([run_stream_growth(INIT_CONFIGS, depth=d, seeds=SEEDS) for d in (12, 25)] + [growth],
                             list(INIT_CONFIGS))
_ = plot_growth_with_depth(by_depth)

# %% slideshow={"slide_type": "fragment"}
exponent = {label: by_depth.depth_exponent(label) for label in INIT_CONFIGS}
for label in INIT_CONFIGS:
    g = np.median(by_depth.growth[label], axis=0)
    print(f"{label:29s} 深度为 {', '.join(map(str, by_depth.depths))} 时的增长（中位数）："
          f"{', '.join(sig(v) for v in g)}；指数 k {sig(exponent[label].min())} 到 {sig(exponent[label].max())}")
for label in ("default init", "He init"):
    assert np.all(np.abs(exponent[label] - 1) < 0.3), f"{label}：随深度几何增长，ln 增长 ~ L^1"
scaled_label = "He init, branch x 1/sqrt(2L)"
assert np.all(np.abs(exponent[scaled_label]) < 0.3), "1/sqrt(2L)：有界，ln 增长 ~ L^0"
assert np.all(np.abs(by_depth.growth[scaled_label] / np.exp(1 / 4) - 1) < 0.1), "1/sqrt(2L)：每种深度下都是 e^(1/4)"

# %% [markdown] slideshow={"slide_type": "-"}
# 指数 $k$ 是 $\ln(\ln \text{增长})$ 对 $\ln L$ 的斜率：增长为几何级时是 1，与深度无关时是 0。它要求每种深度下增长都大于 1；对缩放后的网络，$\ln \text{增长} \approx \frac{1}{4}$，所以 $\ln(\ln \text{增长})$ 为负，但这不影响斜率。何恺明初始化下 $k$ 约为 1。PyTorch 默认初始化下略小于 1，因为偏置给每个分支的输出加了一个常数，残差流越大，这个常数越不重要。分支缩放为 $1/\sqrt{2L}$ 时 $k$ 约为 0：从 12 块到 100 块，增长始终在 $e^{1/4}$ 附近。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **让每个块从恒等映射（identity mapping）开始。** Goyal 等人（2017，第 5.1 节）把每个 ResNet 块最后一个批归一化的缩放参数 $\gamma$ 初始化为 0，使每个块一开始直接返回输入。我们的分支以线性层而不是归一化层结尾：`zero_init_last=True` 把这一层的权重和偏置都置 0，思路相同（分支输出为 0）。于是 $x_{l+1} = x_l$ 严格成立，梯度原样穿过每个块，所以无论多深，残差流和梯度的增长都恰好为 1：这是演示，按构造成立。对照组是同一个何恺明初始化网络，但不做置零（30 个块，每个随机种子一个网络）。这样的块还能学习吗？第 0 步只有被置零的那一层有梯度（它前面的层要乘上一个零矩阵，这也是演示）：第一次更新后它变为非零，此后前面的层也有了梯度。

# %% slideshow={"slide_type": "subslide"}
zeroed = mlp_layer_stats(ZERO_INIT_ABLATION, depth=30, seeds=SEEDS)
weight_grads = {name: zeroed.grads.values["He init, last layer zeroed"][:, zeroed.grads.layer_names.index(name)]
                for name in ("blocks.0.linear1", "blocks.0.linear2")}
for label in ZERO_INIT_ABLATION:
    stream_gain = zeroed.activation_growth(label)
    grad_gain = zeroed.state_grads.values[label][:, 0] / zeroed.state_grads.values[label][:, -1]
    print(f"{label:27s} 30 个块的 RMS 增长 {sig(stream_gain.min())} 到 {sig(stream_gain.max())}，"
          f"首块/末块梯度 {sig(grad_gain.min())} 到 {sig(grad_gain.max())}")
    if label == "He init":
        assert np.all(stream_gain > 1e3) and np.all(grad_gain > 1e3), "对照组：不置零时两者都爆炸"
    else:
        assert np.all(stream_gain == 1) and np.all(grad_gain == 1), "演示：恒等块，恰好为 1"
print(f"最后一层置零，第 0 步块 0 权重的梯度：linear1 {sig(weight_grads['blocks.0.linear1'].max())}，"
      f"linear2 {sig(weight_grads['blocks.0.linear2'].min())} 到 {sig(weight_grads['blocks.0.linear2'].max())}")
assert np.all(weight_grads["blocks.0.linear1"] == 0) and np.all(weight_grads["blocks.0.linear2"] > 0), \
    "演示：零矩阵之前的层没有梯度，被置零的层本身有梯度"

# %% [markdown] slideshow={"slide_type": "-"}
# 零初始化（zero initialisation）和缩放初始化是同一个问题的两种解法：很深的未归一化残差堆叠，一开始尺度就不能失控。Fixup（Zhang 等人，2019）、SkipInit（De 和 Smith，2020）和 ReZero（Bachlechner 等人，2020）都建立在从零开始的思路上（见 notebook 05）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **随机深度**（stochastic depth；Huang 等人，2016）在训练中利用了残差形式。每个小批量中，$L$ 个块里的第 $l$ 块以概率 $p_l = 1 - \frac{l}{L}(1 - p_L)$ 保留其分支，否则变成恒等映射；论文取 $p_L = 0.5$，所以最前面的块几乎总是保留，最后一块只有一半时间保留。测试时保留所有分支，并把各分支的输出乘以 $p_l$，即它参与训练的比例。只有残差网络能这样做：普通网络丢掉一层，网络就断成两截了。它平均训练的是一个更浅的网络，论文中它降低了 110 层 ResNet 在 CIFAR-10 上的测试误差。按 Veit 等人（2016）的路径集成（ensemble of paths）观点，$L$ 个块的残差网络包含 $2^L$ 条长度不同的路径，随机深度在每一步训练其中的一个随机子集。他们的删块实验（在测试时删掉训练好的网络中的一个块）见 notebook 05；本 notebook 不用随机深度训练网络（时间预算不允许）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. 退化问题
#
# 何恺明等人（2016）的出发点是一个观察，而不是梯度消失：有了批归一化，很深的普通网络*确实*能开始训练，但更深的普通网络最终的*训练误差*反而比浅的更高（其图 1 为 CIFAR-10，图 4 为 ImageNet）。这不是过拟合，因为训练误差更高；也不是容量不足，因为深网络完全可以复制浅网络，再把多出的层设成恒等映射。只是优化器找不到这个解。他们在 ImageNet 上的数据：

# %% slideshow={"slide_type": "-"}
print(reference_citation("he2016_imagenet_plain_vs_resnet"))
print()
print("深度    普通网络 top-1 错误率   ResNet top-1 错误率")
for row in load_reference("he2016_imagenet_plain_vs_resnet"):
    print(f"{row['depth']:>5}   {row['plain_top1_error_pct']:>16}%   {row['resnet_top1_error_pct']:>17}%")

# %% [markdown] slideshow={"slide_type": "subslide"}
# 在玩具规模上做同样的实验：宽度为 32 的 MLP，每个块都带批归一化（和何恺明等人一样），用 Adam（学习率 0.01）在一个 4096 个样本的教师任务（`resnorm.data.teacher_classification`，16 个输入，4 个类别）上训练 30 个小批量，每批 128 个样本，三个随机种子（每个种子决定数据集、权重和小批量的顺序）。比较 3 块的普通网络、15 块的普通网络，以及加了残差连接的 15 块网络（每块两个线性层，即 6 个和 30 个线性层）：

# %% slideshow={"slide_type": "-"}
DEGRADATION_CONFIGS

# %% slideshow={"slide_type": "subslide"}
curves = run_degradation(DEGRADATION_CONFIGS, seeds=SEEDS)
_ = plot_training_curves(curves, title=f"退化问题：训练损失，{len(SEEDS)} 个随机种子的中位数与最小-最大范围")

# %% slideshow={"slide_type": "fragment"}
final = {label: curves.final(label) for label in DEGRADATION_CONFIGS}
for label, values in final.items():
    print(f"{label:20s} 最后 20 步的训练损失：{' '.join(f'{v:.2f}' for v in values)} nats")
shallow, deep, deep_res = final["plain, 3 blocks"], final["plain, 15 blocks"], final["residual, 15 blocks"]
assert np.all(deep > shallow + 0.2), "退化：深的普通网络训练得更差，每个随机种子都如此"
assert np.all(deep_res < shallow + 0.1), "深的残差网络训练得和浅网络一样好"
assert np.all(deep_res < deep - 0.2), "深的残差网络训练得比普通网络好得多"

# %% [markdown] slideshow={"slide_type": "-"}
# 深度是 5 倍，训练损失却明显*更高*，每个随机种子都如此：这就是退化。同样 15 个块加上恒等捷径后，训练得和 3 块网络一样好。残差块把恒等映射设为默认行为（`F = 0` 的块把输入原样传下去），所以增加深度不会让起点变差。
#
# **和何恺明等人的网络有一点不同。** 他们检查过自己的普通批归一化网络梯度是健康的，因此退化不能归咎于梯度。我们的网络不是这样：第 2 节已经表明，批归一化会让普通网络的梯度朝输入方向每块*增大*约 1.21 倍。下面给出上面几次训练在第 0 步时首块输出处与末块输出处的梯度之比（数据相同，第一个小批量也相同）；另外两行是同样的普通网络把批归一化换成层归一化的结果：

# %% slideshow={"slide_type": "subslide"}
at_init = initial_gradient_ratio({**DEGRADATION_CONFIGS, **LAYERNORM_ABLATION}, seeds=SEEDS)
for label, r in at_init.items():
    print(f"{label:28s} 第 0 步首块/末块梯度之比：{sig(r.min())} 到 {sig(r.max())}")
assert np.all(at_init["plain, 15 blocks"] > 10), "普通 + 批归一化，15 个块：梯度朝输入方向爆炸"
assert np.all(at_init["residual, 15 blocks"] < 5), "残差 + 批归一化：同一量级"
assert np.all(at_init["plain, 15 blocks, LayerNorm"] < 2), "普通 + 层归一化：没有爆炸"

# %% [markdown] slideshow={"slide_type": "-"}
# 那么我们看到的退化只是这种爆炸造成的吗？消融实验用层归一化训练这两个普通网络（它们的梯度不爆炸，只是略有缩小，和第 2 节一样），数据和随机种子相同，同样训练 30 步：

# %% slideshow={"slide_type": "subslide"}
curves_ln = run_degradation(LAYERNORM_ABLATION, seeds=SEEDS)
final_ln = {label: curves_ln.final(label) for label in LAYERNORM_ABLATION}
chance = np.log(4)
for label, values in final_ln.items():
    print(f"{label:28s} 最后 20 步的训练损失：{' '.join(f'{v:.2f}' for v in values)} nats")
print(f"随机猜测水平，4 个类别：ln 4 = {chance:.3f} nats")
shallow_ln, deep_ln = final_ln["plain, 3 blocks, LayerNorm"], final_ln["plain, 15 blocks, LayerNorm"]
assert np.all(deep_ln > shallow_ln + 0.2), "没有爆炸也有退化：深的普通层归一化网络训练得更差"
assert np.all(np.abs(deep_ln - chance) < 0.05), "……它停在随机猜测水平"

# %% [markdown] slideshow={"slide_type": "-"}
# 没有梯度爆炸，退化依然存在：用层归一化时，15 块的普通网络在 30 步内完全学不到东西，损失一直停在随机猜测水平（chance level）$\ln 4$，而 3 块的网络能学会。所以在这个规模上，只靠归一化救不活深的普通网络，我们看到的退化也不是批归一化的梯度爆炸造成的。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. 缩放捷径
#
# 何恺明等人（2016b）试过恒等之外的捷径。最简单的是乘一个常数，$x_{l+1} = \lambda x_l + F_l(x_l)$。反向传播时，每个块雅可比矩阵中的恒等部分变成 $\lambda I$，所以经过 `L` 个块，这条干净的通路只能传过 $\lambda^L$ 的梯度：

# %% slideshow={"slide_type": "-"}
print(f"恒等通路穿过 29 个块后的增益：lambda = 1 时为 {identity_path_gain(1.0, 29):g}，"
      f"lambda = 0.5 时为 {sig(identity_path_gain(0.5, 29))}")

# %% [markdown] slideshow={"slide_type": "-"}
# 当 $\lambda = 0.5$ 时，梯度只能从分支里挤过去，和普通网络一样。他们的表 1（ResNet-110，CIFAR-10）中，“constant scaling”那几行是这样的：只把捷径乘以 0.5、分支不缩放的那一行标为“fail”（在该表中指测试误差高于 20%）；两条路径都乘以 0.5 时测试误差为 12.35%，而恒等捷径为 6.61%。他们把两者都归因于优化困难。我们的实验对应其中第一行：捷径上 $\lambda = 0.5$，分支保持不变。没有归一化时，一个块把梯度的均方值乘以 $\lambda^2 + \frac{1}{18}$（第 1 节），所以每块约为 $\sqrt{0.25 + 1/18} \approx 0.55$。下面测量 30 块残差网络中每一块的梯度，比较 $\lambda = 1$ 与 $\lambda = 0.5$，分三种情况：无归一化、分支里用前置层归一化、分支里用前置批归一化。

# %% slideshow={"slide_type": "subslide"}
scaling = run_shortcut_scaling((1.0, 0.5), norms=(None, "layer", "batch"), depth=30, seeds=SEEDS)
_ = plot_shortcut_scaling(scaling)

# %% slideshow={"slide_type": "fragment"}
for norm in scaling.norms:
    for scale in scaling.scales:
        r = scaling.first_to_last(scale, norm)
        print(f"lambda = {scale:<3g} {scaling_label(scale, norm).split(', ')[1]:9s}  "
              f"首块/末块梯度 {sig(r.min())} 到 {sig(r.max())}")
half_factor = scaling.first_to_last(0.5, None) ** (1 / 29)
print(f"lambda = 0.5，无归一化：每块因子 {sig(half_factor.min(), 3)} 到 {sig(half_factor.max(), 3)}"
      f"（预测值 sqrt(0.25 + 1/18) = {sig(np.sqrt(0.25 + 1 / 18), 3)}）")
assert np.all(np.abs(half_factor / np.sqrt(0.25 + 1 / 18) - 1) < 0.1), "无归一化，0.5：符合预测的每块因子"
assert np.all(scaling.first_to_last(0.5, None) < 1e-5), "无归一化，0.5：梯度消失"
assert np.all(scaling.first_to_last(1.0, None) > 1), "无归一化，恒等捷径：梯度不消失"
assert np.all(scaling.first_to_last(0.5, "layer") > 1e-2), "层归一化，0.5：初始化时不消失"
assert np.all(scaling.first_to_last(0.5, "batch") > 10), "批归一化，0.5：梯度朝输入方向爆炸"
assert np.all(scaling.first_to_last(1.0, "batch") < 5), "批归一化，恒等捷径：同一量级"

# %% [markdown] slideshow={"slide_type": "-"}
# 没有归一化时，0.5 的捷径让梯度消失卷土重来，速率与预测一致。在每个分支开头加层归一化后，至少在初始化时不会消失：残差流一块比一块小，而每个归一化层都把分支的输入（以及反向时的梯度）重新放大回来。用批归一化时梯度则走向另一个方向，朝输入方向*爆炸*，和第 2 节的普通批归一化网络很像。所以分支里放哪种归一化，决定了初始化时梯度的走向。那么缩放后的捷径对训练有影响吗？把第 4 节那个 15 块的残差网络（批归一化）的捷径都乘以 0.5，再训练一次，并看看它第 0 步的梯度：

# %% slideshow={"slide_type": "subslide"}
half_config = {"residual, shortcut x 0.5": dict(depth=15, residual=True, norm="batch", shortcut_scale=0.5)}
half_at_init = initial_gradient_ratio(half_config, seeds=SEEDS)["residual, shortcut x 0.5"]
half = run_degradation(half_config, seeds=SEEDS)
both = curves.merged(half)
_ = plot_training_curves(
    both, ["plain, 15 blocks", "residual, shortcut x 0.5", "residual, 15 blocks"],
    title=f"15 个块：恒等捷径与乘以 0.5 的捷径（{len(SEEDS)} 个随机种子）",
)

# %% slideshow={"slide_type": "fragment"}
scaled = half.final("residual, shortcut x 0.5")
print(f"最后 20 步的训练损失，捷径 x 0.5：{' '.join(f'{v:.2f}' for v in scaled)} nats"
      f"（恒等捷径：{' '.join(f'{v:.2f}' for v in deep_res)}）")
print(f"第 0 步首块/末块梯度之比，捷径 x 0.5：{sig(half_at_init.min())} 到 {sig(half_at_init.max())}"
      f"（恒等捷径：{sig(at_init['residual, 15 blocks'].min())} 到 {sig(at_init['residual, 15 blocks'].max())}）")
assert np.all(scaled > deep_res + 0.1), "0.5 的捷径训练得比恒等捷径差，每个随机种子都如此"
assert np.all(scaled < deep - 0.05), "……但比完全没有捷径好"

# %% [markdown] slideshow={"slide_type": "-"}
# 缩放后的网络落在残差网络和普通网络之间，每个随机种子都如此：半条捷径会让一部分退化重新出现。在玩具规模、30 步的训练中，它没有像何恺明等人的 ResNet-110 那样“fail”，但效应的方向相同。关于原因，我们测到的是：初始化时它的梯度并不消失，而是朝输入方向增大，比恒等捷径时大好几倍（见打印的首块/末块之比），和普通批归一化网络很像；至于是它与残差网络的哪一点差别拖累了训练（丢掉的恒等通路，还是这种增长），这个实验区分不开。何恺明等人（2016b）从第 1 节的反向公式出发，主张捷径应是干净的恒等映射（通路上不加缩放、门控、归一化或 ReLU），这也就是他们的预激活块的设计（第 6 节）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. 原文的 ResidualBlock
#
# 我们用自己的代码把原文的块重建为 `resnorm.conv_blocks.SourceResidualBlock`，层和顺序都相同，也同样使用原地（in-place）ReLU：
#
# ```
# identity = x
# out = relu(x)                  # nn.ReLU(inplace=True)
# out = conv2(relu(conv1(out)))  # 两个 3x3 卷积，没有归一化
# if shortcut: identity = shortcut(identity)   # 1x1 卷积，stride 1
# out += identity
# return relu(out)
# ```
#
# 旁边放两个正确的块作对照：何恺明等人的**基本块**（basic block；2016，图 2；`conv-BN-ReLU-conv-BN`，相加，ReLU；`resnorm.conv_blocks.BasicBlock`），以及**预激活块**（何恺明等人，2016b，图 4e；`BN-ReLU-conv-BN-ReLU-conv`，相加，相加之后什么都不做；`resnorm.conv_blocks.PreActBlock`）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **原地 ReLU。** `identity = x` 并不复制：两个名字指向同一个张量，随后 `nn.ReLU(inplace=True)` 就把它改写了。输入是标准正态分布的图像（8 个通道，8x8，三个随机种子）。原地版本的数字是实测；非原地版本只是演示：按构造它不可能改变输入或输出（那里的 0 是对照，不是发现）：

# %% slideshow={"slide_type": "-"}
inplace, copy = inplace_effects(inplace=True, seeds=SEEDS), inplace_effects(inplace=False, seeds=SEEDS)
print(f"调用方的输入被改写的比例：原地 {sig(inplace.caller_changed.min())} "
      f"到 {sig(inplace.caller_changed.max())}，非原地 {sig(copy.caller_changed.max())}")
print(f"原地 ReLU 改变的输出比例：{sig(inplace.output_changed.min())} "
      f"到 {sig(inplace.output_changed.max())}")
print(f"两个堆叠块的 backward()，原地：{inplace.backward_error[0].split(':')[0]}")
print(f"两个堆叠块的 backward()，非原地：{'正常' if copy.backward_error[0] is None else '失败'}")
assert np.all(inplace.caller_changed > 0.4) and np.all(copy.caller_changed == 0)
assert np.all(inplace.output_changed > 0.1) and np.all(copy.output_changed == 0)
assert all(e is not None for e in inplace.backward_error) and all(e is None for e in copy.backward_error)

# %% [markdown] slideshow={"slide_type": "-"}
# 一个关键字，三个后果。调用方的张量丢掉了负的那一半（它可能是一批数据，或者别处还要用的另一层的输出）。加回去的恒等项是 `relu(x)` 而不是 `x`，这改变了五分之一到四分之一的输出。而且两个块连在一起就无法训练：第二个块的 ReLU 改写了第一个块的输出，而 autograd 为第一个块的反向传播保存了这个输出，所以 `backward()` 会报错。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **开头的 ReLU。** 原文的块以 ReLU 开头，也以 ReLU 结尾。堆叠起来时，第一个之后的每个块收到的都是上一块的 ReLU 输出，永远非负，所以它开头的 ReLU 什么也不做。下面是四个堆叠块各自输入中负值所占的比例（第 1 块输入的是原始图像）。对原文的块来说，第 1 块之后的 0 是演示（它的最后一步是 ReLU，按构造成立）；预激活块的比例才是测量：

# %% slideshow={"slide_type": "-"}
negatives = {name: negative_input_fractions(name, n_blocks=4, seeds=SEEDS) for name in BLOCKS}
for name, values in negatives.items():
    print(f"{name:33s} " + "  ".join(f"第 {i + 1} 块：{sig(v)}" for i, v in enumerate(np.median(values, axis=0))))
assert np.all(negatives["source"][:, 1:] == 0), "原文的块：堆叠块的输入永远非负"
assert np.all(negatives["pre-activation (He et al. 2016b)"][:, 1:] > 0.3), "预激活块：残差流保留正负号"

# %% [markdown] slideshow={"slide_type": "-"}
# 原文把两种正确的设计混在了一起。原始的 ResNet 块在相加*之后*有一个 ReLU，第一个卷积之前没有；预激活块把 BN 和 ReLU 放在每个卷积*之前*，相加之后什么都不做，所以它的残差流可以为负，开头的 `relu(bn(x))` 确实在起作用。两个 ReLU 都要的话，第一个就成了摆设，而残差流永远不会为负。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **归一化与步长。** 这是演示，直接从构建好的模块上读出（是代码的性质，不是测量）：输入、输出都是 16 个通道时块的参数量，块里有没有归一化层，以及要求块下采样（`stride=2`，32 个输出通道）时 16x16 输入的输出尺寸；ResNet 的 conv3_x 到 conv5_x 各阶段的第一个块都要这样下采样（conv2_x 保持分辨率：它前面步长为 2 的最大池化已经把分辨率减半了）：

# %% slideshow={"slide_type": "-"}
properties = {name: block_properties(name) for name in BLOCKS}
print(f"{'块':32s} {'参数量':>7s}   归一化          stride 2，16x16 输入 ->")
for name, p in properties.items():
    size = "无法下采样" if p.output_size_stride_2 is None else f"{p.output_size_stride_2}x{p.output_size_stride_2}"
    print(f"{name:33s} {p.parameters:>10d}   {str(p.normalization):13s}   {size}")
assert not properties["source"].normalization and properties["source"].output_size_stride_2 is None
assert all(properties[n].normalization and properties[n].output_size_stride_2 == 8 for n in list(BLOCKS)[1:])

# %% [markdown] slideshow={"slide_type": "-"}
# 原文的块没有归一化；何恺明等人在每个卷积之后都放了一个批归一化，而第 3 节已经展示了没有归一化（或者没有让分支保持很小的初始化）时，很深的残差堆叠会怎样。它的捷径是固定 stride 1 的 1x1 卷积，两个卷积也都没有步长，所以它无法把分辨率减半，而 ResNet 在 conv3_x、conv4_x 和 conv5_x 各阶段开头都要这样做：带步长的 3x3 卷积与带步长的 1x1 投影捷径（projection shortcut）配套使用。原文做对的地方：只在通道数变化时用 1x1 投影，其余情况用恒等捷径。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. 残差连接用在哪里
#
# - **ResNet**（何恺明等人，2016）：每两个 3x3 卷积（基本块）或每个 1x1-3x3-1x1 瓶颈块（bottleneck）外面套一条捷径，配合批归一化；在 ImageNet 上做到 152 层，在 CIFAR-10 上做到 1202 层。
# - **Transformer**（Vaswani 等人，2017）：每个注意力子层和每个前馈网络子层外面都有一条残差连接，配合层归一化。在 GPT-2 及之后大多数语言模型采用的前置归一化结构中，从词嵌入到最后的归一化层，残差流上只有加法（见 notebook 03）。
# - **U-Net 与扩散模型**：U-Net（Ronneberger 等人，2015）的长跳跃连接通过*拼接*把编码器的特征送到解码器，所以它们是跳跃连接（skip connection），但不是残差相加；扩散模型的 U-Net（Ho 等人，2020）两半都由残差块搭成，而 Diffusion Transformer（Peebles 和 Xie，2023）本身就是 Transformer。
# - **近亲**：高速公路网络（highway network；Srivastava 等人，2015）在捷径上加了一个可学习的门；DenseNet（Huang 等人，2017）用拼接代替相加。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 动手探索
#
# 一个处于初始化状态的 MLP（宽度 32，批大小 32，`SEEDS` 中每个随机种子一个网络）：可以选择深度、残差或普通网络、每个分支开头的归一化、激活函数和初始化方式。图中画的是每个块输出处的 $\|\partial \mathcal{L}/\partial h\|$；标题里另外给出首块/末块梯度之比和信号增长了多少。可以试试：深度 60 时先选普通网络，再选残差网络；用 `he` 初始化的残差网络，先选 `none`，再选 `layer`；`scaled` 初始化。紧接着的那张图是默认设置，不需要内核就能显示。

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_gradient_explorer, **EXPLORER_DEFAULTS, seeds=SEEDS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_gradient_explorer(seeds=SEEDS)
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 原文事实核查（第 1 题）
#
# | 原文的说法 | 结论 | 依据 |
# |---|---|---|
# | 残差连接“旨在解决…梯度消失和梯度爆炸问题” | **错误**（作为动机） | 何恺明等人（2016）指出，归一化的初始化和批归一化已经让很深的普通网络能够开始训练；他们要解决的是退化问题：[§4](#4.-退化问题) |
# | 原理：跳过一层或多层，把输入直接传给后面的层 | **半对**（不完整） | 输入是*加到*被跳过各层的输出上，即 `x + F(x)`；传递梯度的正是这个和：[§1](#1.-原理)，练习 1 |
# | 网络能学到跨层的恒等映射，因而“提高训练效率” | **半对** | 恒等映射是结构里自带的，不是学出来的；各层学的是残差。深的残差网络确实比深的普通网络训练得好得多：[§4](#4.-退化问题) |
# | 梯度能直接传到浅层，所以能缓解梯度消失和梯度爆炸 | **半对** | 梯度消失：对，完整的梯度能到达第一块 [§2](#2.-四个-30-块网络的逐块梯度)；梯度爆炸：不对，没有归一化时，残差流及其梯度按各块 `sqrt(1 + Var F / Var x)` 的乘积增长，增长多少取决于初始化：PyTorch 默认初始化下 100 个块约 15～20 倍，何恺明初始化下约 10¹⁵ 倍；把分支缩放为 `1/sqrt(2L)` 可使其有界，前置归一化把它变为 `sqrt(L)` 级增长 [§3](#3.-残差流增长有多快) |
# | 网络能更好地捕捉复杂特征，从而“增强模型泛化能力” | **半对**（理由不对） | 残差连接是一种优化手段：它降低的是深网络的*训练*损失 [§4](#4.-退化问题)；能训练起来的更深网络测试表现也更好（见 §4 表中何恺明等人的 ResNet-34 与 plain-34），但捷径本身并不增加“捕捉复杂特征”的容量；本 notebook 没有测量泛化 |
# | 代码：`nn.ReLU(inplace=True)` 配合 `identity = x` | **错误** | 改写了调用方的输入和保存的恒等项，改变了输出，而且两个堆叠块的 `backward()` 会失败：[§6](#6.-原文的-ResidualBlock) |
# | 代码：块开头的 `out = self.relu(x)` | **错误**（无效代码） | 作用在上一块的非负输出上，什么也不做：[§6](#6.-原文的-ResidualBlock) |
# | 代码：两个卷积，没有归一化 | **半对**（是残差块，但不是何恺明等人的） | 何恺明等人的块在每个卷积后都有批归一化；没有归一化时，很深的残差堆叠每过一块都在增长，何恺明初始化下呈指数增长：[§3](#3.-残差流增长有多快)，[§6](#6.-原文的-ResidualBlock) |
# | 代码：投影捷径 `Conv2d(..., kernel_size=1, stride=1)` | **半对**（在一个阶段内部没问题） | 哪里都没有步长：块无法下采样，而 conv3_x 到 conv5_x 各阶段的第一个块必须下采样（conv2_x 跟在最大池化之后，保持分辨率）：[§6](#6.-原文的-ResidualBlock) |
# | （解析）捷径让输入与输出的通道数保持一致 | **正确** | 通道数变化时用 1x1 投影，否则用恒等映射（何恺明等人的选项 B）：[§6](#6.-原文的-ResidualBlock) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 练习
#
# 每个答案单元格一开始都是 `answer = ...`；把 `...` 换成你的答案并运行，`check` 会立即告诉你对不对，不对的话错在哪里。`hint(key)` 给出提示。
#
# ### 练习 1：残差块的前向传播
#
# 写一个函数 `residual_forward(h, branch)`，其中 `h` 是形状为 `(batch, width)` 的张量，`branch` 是一个模块，例如 `nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))`；函数返回残差块的输出。然后令 `answer = residual_forward`。

# %% slideshow={"slide_type": "subslide"}
def residual_forward(h, branch):
    ...  # 在这里写你的代码


answer = ...  # 写好 residual_forward 之后，把 ... 换成它
passed = check("01.residual_forward", answer)

# %% slideshow={"slide_type": "-"}
hint("01.residual_forward", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？取消下一行的注释并运行，即可查看参考答案。

# %% slideshow={"slide_type": "-"}
# solution("01.residual_forward")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 2：哪些网络丢了梯度？
#
# 不要回头看第 2 节：在那四个 30 块的网络中，初始化时哪些网络第一块输出处的梯度 $\|\partial \mathcal{L}/\partial h\|$ 不到最后一块输出处的 1/1000？用一个标签集合作答，标签取自 `"plain"`、`"plain + LayerNorm"`、`"residual"`、`"residual + LayerNorm"`。

# %% slideshow={"slide_type": "-"}
answer = ...  # 一个标签集合，例如 {"plain + LayerNorm"}
passed = check("01.which_vanishes", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.which_vanishes")` 给出提示。要查看参考答案，取消注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("01.which_vanishes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 3：何恺明初始化下的每块因子
#
# 对何恺明初始化下宽度为 `n` 的*普通*块 `Linear -> ReLU -> Linear`，重做第 1 节的计算：第一层权重方差为 $2/n$，第二层为 $1/n$，偏置为 0。反向穿过一个块时，$\partial \mathcal{L}/\partial h$ 的*范数*乘以多少？（填一个数。）

# %% slideshow={"slide_type": "-"}
answer = ...  # 一个浮点数
passed = check("01.he_factor", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.he_factor")` 给出提示。要查看参考答案，取消注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("01.he_factor")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 4：半条捷径
#
# 一个残差网络有 40 个块，每个块计算 `0.5 * h + F(h)`。从最后一块的输出到第一块的输入，*仅靠*恒等通路，梯度要乘以多少？（填一个数；让 Python 来算。）

# %% slideshow={"slide_type": "-"}
answer = ...  # 一个浮点数
passed = check("01.shortcut_gain", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.shortcut_gain")` 给出提示。要查看参考答案，取消注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("01.shortcut_gain")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 5：原文的块错在哪里？
#
# 下面关于原文 `ResidualBlock` 的说法，哪些是对的？用一个字母集合作答，例如 `{"a", "f"}`。

# %% slideshow={"slide_type": "-"}
for letter, statement in STATEMENTS.items():
    print(f"{letter}) {statement}")

# %% slideshow={"slide_type": "-"}
answer = ...  # 一个字母集合
passed = check("01.source_block", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("01.source_block")` 给出提示。要查看参考答案，取消注释并运行：

# %% slideshow={"slide_type": "-"}
# solution("01.source_block")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 面试答题卡
#
# ### 15 秒版
#
# 残差连接计算 `x + F(x)`：恒等路径让梯度不经过任何权重矩阵就能传回浅层，这正是极深网络能够训练的原因；但它并不能让信号保持有界，所以总要配合归一化（或精心设计的初始化）一起使用。
#
# （英文版答题卡见[英文原版 notebook](../01_residual_connections.ipynb)。）

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 秒版：三个要点
# 1. **梯度通路**：`dL/dx_l = dL/dx_L (I + d/dx_l ΣF_i)`，其中的 `I` 让梯度原样传回。普通网络则要逐块连乘雅可比矩阵；对于我们的 `Linear-ReLU-Linear` 块，在 PyTorch 默认初始化下，每经过一个块，梯度范数缩小为原来的约 0.24 倍（`sqrt(1/18)`），30 个块之后只剩原来的约 10⁻¹⁸。
# 2. **它解决的是退化问题**（何恺明等人，2016）。无论用批归一化还是层归一化，更深的普通网络的*训练*损失反而比浅层网络更高，加上残差连接后就不会。只把捷径乘以 0.5（分支不缩放），训练又会变差；在何恺明等人（2016b）的表 1 中，这样的 ResNet-110 标为“fail”（测试误差高于 20%）。
# 3. **它不能抑制信号的增长**：没有归一化时，每一块都把残差流的方差乘以 `1 + Var F / Var x`：PyTorch 默认初始化下 100 个块后 RMS 约变为原来的 15～20 倍，何恺明初始化下约 10¹⁵ 倍，梯度随之一起变大。把每个分支的输出缩小（`1/sqrt(2L)`，即 GPT-2 的 `1/sqrt(N)` 规则，N = 2L 个残差层，对应 Transformer）可以把它限制住；前置归一化（即在每个分支开头放层归一化）则把指数增长变为 √L 级增长。所以 ResNet 配批归一化，Transformer 配层归一化。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问
# **问**：残差连接会增加参数或计算量吗？**答**：恒等捷径没有参数，只多一次逐元素加法；只有通道数变化时的投影捷径才有权重。
#
# **问**：那残差连接也解决了梯度爆炸吗？**答**：没有。残差流的 RMS 按各块 `sqrt(1 + Var F / Var x)` 的乘积增长，何恺明初始化下呈指数增长；缩小分支输出的初始化可以把它限制住，前置归一化则把指数增长变为 √L 级增长。
#
# **问**：不加捷径、只加归一化，能救活深层普通网络吗？**答**：在这里不能：15 个块的普通网络加层归一化后损失一直停在随机猜测水平，而 3 个块的网络能学会。用批归一化时，梯度朝输入方向每块还会增大约 1.21 倍，因为归一化去掉了 ReLU 输出的正均值；这正是 Yang 等人（2019）在大批量极限下给出的批归一化增长率，他们的理论在此之上还有一部分来自批内样本之间的耦合，随批量增大而减弱。
#
# **问**：分支为什么不以 ReLU 结尾？**答**：何恺明等人（2016b）图 4c 发现效果更差：非负的分支输出限制了块的表达能力。我们另外测到，这时每一块都往同一个方向累加，残差流比方差公式预测的增长快得多；分支最后一步应保持线性。
#
# **问**：大模型如何让很深的残差堆叠在初始化时不失控？**答**：把每个分支的输出层缩小为 `1/sqrt(2L)` 倍（L 层、每层两个子层，即 GPT-2 的 `1/sqrt(N)` 规则，N 为残差层数；Megatron-LM 做法相同），或者初始化为 0（Goyal 等人 2017 年把每个残差块最后一个批归一化的 γ 设为 0）：在 12 到 100 个块的实测中，前者的增长始终停在 `e^(1/4)` 左右，后者按构造恰好为 1；不做处理时则随深度呈几何增长。
#
# **问**：原文的 `ResidualBlock` 有什么问题？**答**：原地 ReLU 覆盖了保存的恒等输入，并让 `backward()` 报错；开头的 ReLU 接在上一块之后毫无作用；没有归一化；捷径不能下采样。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2015）。*Delving Deep into Rectifiers.* ICCV。（何恺明初始化，第 1、3 节。）
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2016）。*Deep Residual Learning for Image Recognition.* CVPR。（图 1 和图 4：退化问题，第 4 节；表 2：ImageNet 数据；图 2 和图 5：基本块。）
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2016b）。*Identity Mappings in Deep Residual Networks.* ECCV。（式 4-5：第 1 节的反向传播。表 1 和图 2：捷径缩放，第 5 节；表 1 “constant scaling”各行中，捷径乘以 0.5、分支不缩放的结果为“fail”，即测试误差高于 20%，两条路径都乘以 0.5 时为 12.35%。图 4c 和表 2：“ReLU before addition”，第 2、3 节。图 4e：第 6 节的预激活块。）
# - Yang, Pennington, Rao, Sohl-Dickstein, Schoenholz（2019）。*A Mean Field Theory of Batch Normalization.* ICLR。（初始化时很深的普通批归一化网络中的梯度爆炸：对大批量的 ReLU 网络，梯度范数的平方每层乘以 $\pi/(\pi-1)$，即第 2 节的去均值速率；另有一部分来自有限批量下同一批样本之间的耦合。）
# - Radford 等人（2019）。*Language Models are Unsupervised Multitask Learners.*（GPT-2：残差投影乘以 $1/\sqrt{N}$，N 为残差层数，`init="scaled"` 取 N = 2L；第 3 节。）
# - Shoeybi 等人（2019）。*Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism.*（其代码中每个子层的输出层标准差为 $\sigma/\sqrt{2L}$；第 3 节，残差缩放。）
# - Huang, Perez, Ba, Volkovs（2020）。*Improving Transformer Optimization Through Better Initialization.* ICML。（T-Fixup；第 3 节。）
# - Yang, Yu, Zhu, Hayou（2023）。*Tensor Programs VI: Feature Learning in Infinite-Depth Neural Networks.* Bordelon, Noci, Li, Hanin, Pehlevan（2023）。*Depthwise Hyperparameter Transfer in Residual Networks.*（Depth-μP，分支乘以 $1/\sqrt{L}$；第 3 节。）
# - Goyal 等人（2017）。*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour.*（第 5.1 节：每个块最后一个批归一化的 γ 初始化为 0；第 3 节。）
# - Huang, Sun, Liu, Sedra, Weinberger（2016）。*Deep Networks with Stochastic Depth.* ECCV。（存活概率线性衰减，$p_L = 0.5$；第 3 节。）Veit, Wilber, Belongie（2016）。*Residual Networks Behave Like Ensembles of Relatively Shallow Networks.* NeurIPS。（第 3 节；他们的删块实验见 notebook 05。）
# - Zhang, Dauphin, Ma（2019）。*Fixup Initialization.* ICLR。De, Smith（2020）。*Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep Networks*（SkipInit）。NeurIPS。Bachlechner 等人（2020）。*ReZero is All You Need.*（第 3 节；notebook 05。）
# - Vaswani 等人（2017）。*Attention Is All You Need.* NeurIPS。（Transformer 中的残差连接。）
# - Srivastava, Greff, Schmidhuber（2015）。*Highway Networks* / *Training Very Deep Networks.*（带门控的捷径，第 7 节。）
# - Ronneberger, Fischer, Brox（2015）。*U-Net.* MICCAI。Ho, Jain, Abbeel（2020）。*Denoising Diffusion Probabilistic Models.* NeurIPS。Peebles, Xie（2023）。*Scalable Diffusion Models with Transformers.* ICCV。Huang 等人（2017）。*Densely Connected Convolutional Networks.* CVPR。（第 7 节。）

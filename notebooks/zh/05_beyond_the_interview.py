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
# # 05 · 面试之外：残差与归一化的实际行为，以及现代模型的做法
#
# [English](../05_beyond_the_interview.ipynb)
#
# **题目（面试官的追问）**：残差连接为什么有效——“梯度可以直接传回浅层”就是全部原因吗？层归一化（LayerNorm）放在哪里有什么区别？今天的大模型又用什么样的归一化？
#
# 原文的回答停留在 2017 年前后的认识。本 notebook 再深入一层，也就是好的面试官接下来会追问的层次：残差网络作为路径集成（ensemble of paths）；梯度破碎（shattered gradients）；输出变化的放大效应（amplification）为什么让深层的后置归一化（Post-LN）变得脆弱，以及与之竞争的梯度解释；由这些认识催生的设计：ReZero、SkipInit、Fixup、DeepNorm、RMSNorm、三明治归一化（sandwich norm）/ Peri-LN、QK-norm、Dynamic Tanh。接着是大规模训练中会遇到的问题：注意力 logits 与 QK-norm、离群激活与 float32 下的归一化、并行块（parallel block）、损失尖峰（loss spike）、超连接（Hyper-Connections）。每一项都在玩具规模上实测，大约一秒跑完，每个结论都有 assert 检查。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简短回答
#
# - **残差网络是路径集成**。`n` 个块展开后，从输入到输出共有 `2^n` 条路径，其中经过 `k` 个分支的有 `binomial(n, k)` 条。从训练好的残差网络中删掉一个块，误差几乎不变；从普通网络（plain network）中删掉一层，误差升得多得多，中位数接近随机猜测水平（Veit 等人，2016）。
# - **捷径连接（shortcut）让梯度保持有意义，而不只是够大**。在深的普通网络中，对输入的梯度在相邻输入之间失去相关性（“破碎”）；恒等路径让它保持平滑（Balduzzi 等人，2017）。
# - **归一化放在哪里很重要，原因却有争议**。在 Post-LN 中，每一层都倚重自己的分支，所有权重的一个小变化对输出的影响随深度越来越大：变化的*平方*按 `N` 增长，变化本身按 `sqrt(N)` 增长；在前置归一化（Pre-LN）中则按 `log N` 增长（Liu 等人，2020）。Xiong 等人（2020）则把问题归咎于 Post-LN 靠近输出层的大梯度；Liu 等人认为这种不均衡的梯度并不是根本原因。
# - **归一化只是办法之一**。挪动归一化的位置（Pre-LN）、让每个分支从零开始（ReZero、SkipInit、Fixup），或者对捷径和分支重新加权（DeepNorm），都能让 Post-LN 训练不了的深层网络训练起来，有的甚至完全不用归一化。不过学习率预热（warm-up）并没有从训练配置中消失：DeepNet 论文的训练配置仍然用它，采用 Pre-LN 的 GPT-3 和 LLaMA 也做预热。
# - **当前的大模型**大多用普通的前置归一化加均方根归一化（RMSNorm），如 LLaMA、Mistral、Qwen、DeepSeek-V3。少数模型在子层输出上再加归一化：Gemma 2 在每个子层前后都加（三明治 / Peri-LN），OLMo 2 只加在输出上，即 `x + norm(F(x))`，并配合 QK-norm。Dynamic Tanh（2025）用逐元素的 `tanh` 取代归一化。
# - **在大规模训练中，归一化还关系到注意力和数值精度**。QK-norm 给注意力 logits 加上界，否则它们会随权重一起增大，直到注意力变成 one-hot；归一化用 float32 计算，因为大激活值的方差会让 float16 溢出；少数几个极大的离群通道让 INT8 量化（quantization）变得困难（SmoothQuant 把它们转移到权重里）。

# %% slideshow={"slide_type": "skip"}
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch

import resnorm
from resnorm.data import load_reference
from resnorm.exercises import check, hint, solution
from resnorm.experiments.amplification import branch_variance_ratio, run_amplification
from resnorm.experiments.attention_logits import run_logit_growth, run_logit_scale
from resnorm.experiments.dyt import DYT_CONFIGS, fit_tanh, norm_mapping, run_dyt
from resnorm.experiments.fixup import run_fixup
from resnorm.experiments.lesion import LESION_SETTINGS, path_length_counts, run_lesion
from resnorm.experiments.norm_precision import PRECISIONS, run_norm_precision
from resnorm.experiments.outliers import QUANT_CASES, run_outlier_quantization
from resnorm.experiments.parallel_block import run_parallel_block
from resnorm.experiments.reweighted import DEEPER_CONFIGS, initial_model, run_deeper
from resnorm.experiments.shattered import run_shattered
from resnorm.figures.beyond_the_interview import (
    draw_lesion_explorer,
    make_lesion_explorer,
    plot_amplification,
    plot_fixup,
    plot_lesion,
    plot_lesion_k,
    plot_logit_growth,
    plot_logit_scale,
    plot_norm_mapping,
    plot_path_lengths,
    plot_shattered,
    plot_shattered_examples,
    plot_training,
)
from resnorm.norms import DynamicTanh
from resnorm.parallel_block import ParallelBlock
from resnorm.reweighted import deepnorm_constants
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. 残差网络是路径的集成
#
# 把两个残差块展开写出来：`h1 = h0 + f1(h0)`，接着 `h2 = h1 + f2(h1) = h0 + f1(h0) + f2(h0 + f1(h0))`。每个块都提供一次选择：走它的分支，或者走捷径。`n` 个块就有 `2^n` 条从输入到输出的路径，经过 `k` 个分支的路径有 `binomial(n, k)` 种选法。普通网络只有一条路径，穿过全部 `n` 层。Veit、Wilber 和 Belongie（2016）称之为*展开视角*（unraveled view）：大多数路径长度居中，远比网络的深度短。

# %% slideshow={"slide_type": "subslide"}
n_blocks = LESION_SETTINGS["depth"]
print(f"长度 k = 0..{n_blocks} 的路径数：", path_length_counts(n_blocks).tolist())
_ = plot_path_lengths(n_blocks)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 删块实验（lesion study）
#
# 如果这些路径像集成中的成员，去掉其中几条应该影响不大。Veit 等人的检验方法是从训练好的网络中删掉一个块（他们的图 3 和图 5）。我们在玩具规模上做同样的事：一个残差 `DeepMLP` 和一个普通 `DeepMLP`，各 8 个块、宽度 32，每个块是 `BatchNorm -> Linear -> ReLU -> Linear`，和论文中的 ResNet 一样使用批归一化（BatchNorm）。两个网络用 Adam 在一个 4 分类的教师任务（teacher task）上训练 40 步，3 个随机种子（每个种子各自抽取教师网络、数据、初始权重和批次）。两个网络的唯一区别是残差块里的 `+ h`。删掉第 `i` 个块，就是把它的输入原样传下去：对残差网络，这相当于去掉分支 `f_i`；对普通网络，这会让第 `i+1` 个块收到训练中从未见过的输入，论文对普通的 VGG 网络也是这样做的。

# %% slideshow={"slide_type": "-"}
LESION_SETTINGS

# %% slideshow={"slide_type": "subslide"}
lesion = run_lesion(**LESION_SETTINGS, seeds=SEEDS[:3])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_lesion(lesion, left)
plot_lesion_k(lesion, right)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "-"}
# 左图：什么都不删时，两个网络的测试误差差不多（虚线）。删掉残差网络的任意一个块，误差几乎不动；删掉普通网络的任意一层，误差急剧上升，中位数接近随机猜测水平。右图：随机删掉 `k` 个残差块，误差平滑上升，没有断崖，这正是集成失去部分成员时该有的表现（他们的图 5a）。

# %% slideshow={"slide_type": "fragment"}
res_increase = lesion.single_increase("residual")
plain_increase = lesion.single_increase("plain")
res_k = lesion.k_deleted["residual"]
half = n_blocks // 2
guess_error = np.median(lesion.majority_error)  # 总是回答最常见的类别

print(f"完整网络的测试误差，残差 / 普通（中位数）：{np.median(lesion.baseline['residual']):.2f} / "
      f"{np.median(lesion.baseline['plain']):.2f}")
print(f"残差网络，删掉一个块：误差最多上升 {res_increase.max():.2f}"
      f"（所有块和种子上的中位数 {np.median(res_increase):.3f}）")
print(f"普通网络，删掉一层：误差至少上升 {plain_increase.min():.2f}"
      f"（中位数 {np.median(plain_increase):.2f}），误差中位数 {np.median(lesion.single['plain']):.2f}"
      f"（总是猜最常见的类别：{guess_error:.2f}）")
res_steps = np.diff(res_k, axis=1).max(axis=1)
plain_jump = lesion.k_deleted["plain"][:, 1] - lesion.k_deleted["plain"][:, 0]
print(f"残差网络，删掉 {n_blocks} 个块中的 {half} 个：误差最多上升 "
      f"{(res_k[:, half] - lesion.baseline['residual']).max():.2f}")
print(f"从删 k 个块到删 k+1 个块，误差的最大升幅，残差网络：{res_steps.max():.2f}；"
      f"普通网络从 0 到 1：至少 {plain_jump.min():.2f}")

baseline_gap = np.abs(lesion.baseline["residual"] - lesion.baseline["plain"])
assert np.median(baseline_gap) < 0.05 and np.all(lesion.baseline["plain"] < 0.5 * lesion.majority_error), \
    "两个网络都应学会这个任务、误差相近，删块实验才是同等条件下的比较"
assert np.all(np.median(res_increase, axis=1) < 0.03), \
    "删掉一个残差块几乎不应改变误差（按所有块的中位数）"
assert res_increase.max() < plain_increase.min(), \
    "任何一次删块对残差网络的伤害，都应小于任何一次删层对普通网络的伤害"
assert np.median(lesion.single["plain"]) > guess_error - 0.1, \
    "删掉一层后，普通网络应差不多和随机猜测一样差"
assert np.all(res_k[:, half] - lesion.baseline["residual"] < 0.15), \
    "即使删掉一半残差块，误差也应远低于随机猜测"
assert np.all(res_steps < 0.4 * plain_jump), \
    "残差网络的误差应随 k 平滑上升，不应像普通网络那样出现断崖"

# %% [markdown] slideshow={"slide_type": "notes"}
# 集成视角*没有*说的是：这些路径并不是分别训练的独立模型，每个块的分支都是在其他所有分支存在的情况下训练的。Veit 等人还发现，训练中的梯度大多来自短路径（他们的图 6），这也是残差网络能避开梯度消失（vanishing gradients）问题的又一个原因：它不需要靠最长的路径来学习。哪个块最重要，这个玩具实验回答不了：Veit 等人发现，删掉做下采样的块伤害最大，而我们的 MLP 没有这样的块。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. 梯度破碎
#
# 梯度消失说的是梯度的*大小*。Balduzzi 等人（2017）关注的是它的*形状*：取一个单输入单输出的网络，输入取 `[-2, 2]` 上等间距的 256 个点，在每个点上计算 `d output / d x`。对平滑函数，相邻输入的导数相近；Balduzzi 等人发现，深的普通网络的导数看起来像白噪声（他们的图 1），而残差网络的导数保持相关。如果导数在相邻输入之间随机跳变，它就几乎无法告诉优化器附近会发生什么。
#
# 我们测量这个导数序列的 lag-1 自相关（1：平滑；0：白噪声），对象是处于初始化状态、深度 1 到 32 的普通和残差 `DeepMLP`，宽度 16，15 个随机种子（单个网络的结果很分散，所以结论都针对中位数）。和 Balduzzi 等人的分析一样，权重用何恺明初始化（He initialisation），每一层都保持输入的方差；输入层保留 PyTorch 的默认初始化，它的随机偏置使这条由输入构成的直线偏离原点。每个块都有一个层归一化：它对每个输入单独做归一化，所以每个导数只属于一个输入（训练模式下的批归一化会把一个批次中的 256 个输入混在一起）。

# %% slideshow={"slide_type": "subslide"}
SHATTERED_SEEDS = resnorm.seeds(15)
shattered = run_shattered(depths=(1, 8, 32), width=16, init="he", seeds=SHATTERED_SEEDS)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_shattered_examples(shattered, left)
plot_shattered(shattered, right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
ac = shattered.autocorrelation
deepest = shattered.depths[-1]
for depth_index, depth in ((0, shattered.depths[0]), (-1, deepest)):
    print(f"深度 {depth:2d}：lag-1 自相关，各种子上的中位数（最小..最大）："
          + "；".join(f"{label} {np.median(ac[label][:, depth_index]):.2f}"
                      f"（{ac[label][:, depth_index].min():.2f}..{ac[label][:, depth_index].max():.2f}）"
                      for label in ("plain", "residual")))

median_ac = {label: np.median(values, axis=0) for label, values in ac.items()}
assert median_ac["plain"][0] > 0.9 and median_ac["residual"][0] > 0.9, "只有一个块的网络，对输入的梯度是平滑的"
assert median_ac["plain"][-1] < median_ac["plain"][0] - 0.3, \
    "普通网络对输入的梯度应随深度失去相关性（按中位数）"
assert median_ac["residual"][-1] > 0.85, "深的残差网络对输入的梯度应保持平滑（按中位数）"
assert median_ac["residual"][-1] - median_ac["plain"][-1] > 0.3, \
    "在相同深度下，捷径连接应带来明显差别（按中位数）"

# %% [markdown] slideshow={"slide_type": "-"}
# 所以，恒等路径不只是把大小合适的梯度传回去：它传回的梯度仍然*有意义*。普通网络的相关性随深度下降，不同种子之间参差不齐（右图中的色带）；残差网络的相关性几乎不变。我们测到的效应比 Balduzzi 等人的白噪声温和：每个块都有层归一化时，32 层普通网络的相关性按中位数失去一大部分，而不是全部，有些种子还保留了大部分。Balduzzi 等人的普通网络没有归一化（他们的分析：普通 ReLU 网络的相关性随深度指数衰减；带批归一化的残差网络能保持相关性，只是缓慢衰减）。如果用 PyTorch 较小的默认初始化（`run_shattered(init="default")`），在这些深度上普通网络的衰减要慢得多：可以自己试试。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Post-LN 中的放大效应
#
# 既然残差连接本该让加深变得容易，为什么最初的 Post-LN Transformer 还需要学习率预热？Liu 等人（2020，第 4 节）考察的是*所有*权重都稍微变化时（一次优化器更新正是如此）输出变化多少，即 `|F(x, W) - F(x, W + δW)|²`。在 Post-LN 中，`x_{l+1} = LN(x_l + F_l(x_l))`：每次相加之后的归一化都会重新缩放残差流（residual stream），所以每一层的小变化以大致相同的权重传到输出，变化的*平方*随深度累加到 `O(N)`（变化本身按 `sqrt(N)` 增长）。在 Pre-LN 中，`x_{l+1} = x_l + F_l(LN(x_l))`，残差流随着分支不断加入而变大；如果每个分支都和残差流同一量级，第 `l` 层的分支只占残差流的大约 `1/l`，变化的平方加起来是 `O(log N)`。
#
# 我们取初始化时由 `N` 个 Transformer 块堆叠成的模型，给每个权重矩阵加上随机正态噪声，标准差为 Xavier 标准差 `sqrt(2/(fan_in + fan_out))` 的 1%。噪声大小与权重本身无关（Adam 的一步更新也不随权重缩放）。然后测量输出的均方变化，看它是 `N = 1` 时的多少倍。比较的对象是 Post-LN、带最后的归一化层（final norm）的 Pre-LN，以及 DeepNorm（见下一节）；宽度 32，深度 1 到 16。权重用 Xavier 均匀初始化，这是 Transformer 代码中的常见选择。Post-LN 和 Pre-LN 用 20 个随机种子（单个堆叠的结果很分散），DeepNorm 用 5 个。为了区分幂律和对数，我们对每条中位数曲线分别拟合 `g = a·N^p` 和 `g = a + c·ln N`（各两个参数），比较两者在 `ln g` 上的偏差；对种子做 bootstrap 给出 `p` 的波动范围。

# %% slideshow={"slide_type": "subslide"}
AMPLIFICATION_DEPTHS = (1, 2, 4, 8, 16)
AMPLIFICATION_SEEDS = resnorm.seeds(20)
amplification = run_amplification(AMPLIFICATION_DEPTHS, kinds=("post", "pre"), n_draws=1,
                                  seeds=AMPLIFICATION_SEEDS)
deepnorm_change = run_amplification(AMPLIFICATION_DEPTHS, kinds=("deepnorm",), n_draws=1, seeds=SEEDS)
amplification.change.update(deepnorm_change.change)
_ = plot_amplification(amplification)

# %% slideshow={"slide_type": "fragment"}
depths = amplification.depths
median = {kind: np.median(amplification.growth(kind), axis=0) for kind in amplification.change}
fits = {kind: amplification.fit(kind) for kind in ("post", "pre")}
exponents = {kind: amplification.bootstrap_exponents(kind, seed=SEEDS[0]) for kind in fits}
interval = {kind: np.percentile(values, [5, 95]) for kind, values in exponents.items()}

print("输出均方变化相对于 N = 1 的倍数（中位数），N =", depths.tolist())
for kind, label in (("post", "Post-LN "), ("pre", "Pre-LN  "), ("deepnorm", "DeepNorm")):
    print(f"  {label} {np.array2string(median[kind], precision=2, floatmode='fixed')}")
for kind, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    f, (low, high) = fits[kind], interval[kind]
    print(f"  {label}：a·N^p 拟合得 p = {f.exponent:.2f}（90% bootstrap 区间 {low:.2f}..{high:.2f}；"
          f"N 每翻一倍 ×{f.per_doubling:.1f}），偏差 {f.power_rms:.2f}；a + c·ln N 的偏差 {f.log_rms:.2f}")

post, pre = fits["post"], fits["pre"]
assert interval["post"][0] > 0.8, "Post-LN：变化的平方至少应大致按 N 增长（Liu 等人：O(N)）"
assert post.log_rms > 3 * post.power_rms, "Post-LN：对数拟合的偏差应远大于幂律"
assert pre.log_rms < 2 * pre.power_rms, "Pre-LN：同样的检验不应排除对数"
assert interval["pre"][1] < interval["post"][0], "Pre-LN 的变化应明显比 Post-LN 增长得慢"
assert np.all(np.abs(median["deepnorm"] - 1) < 0.1), "DeepNorm：变化应不随深度增长"

# %% [markdown] slideshow={"slide_type": "-"}
# Post-LN 的变化平方按 `N` 的幂增长，指数约为 1（深度每翻一倍约 ×2），与 Liu 等人的 `O(N)` 一致，所以输出变化本身约按 `sqrt(N)` 增长；对数拟合的偏差是幂律的好几倍。Liu 等人认为这正是学习率预热所掩盖的脆弱性：学习率很小时，最初几步更新都很小，而权重在这期间逐渐离开这个状态。Pre-LN 的增长明显更慢；在深度 1 到 16 上，幂律和 Liu 等人的 `log N` 拟合得差不多好，所以我们检验的结论是“明显比 Post-LN 慢”。DeepNorm 的变化不随深度增长，这正是 Wang 等人（2022）的设计目标：它的常数让一次更新的大小保持有界。
#
# （如果扰动与每个矩阵自身的大小成正比，DeepNorm 的变化甚至会显得随深度减小，但那只是因为在更深的堆叠中，经过 `β` 缩放的权重更小，扰动也随之更小。）

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 消融实验（ablation）：是什么决定了 Pre-LN 较慢的增长？
#
# 上面的两种推导告诉我们该改变什么。Post-LN 的 `N` 与分支大小无关：每次相加之后的归一化给每一层的变化一个恒定的权重。Pre-LN 的 `log N` 则要求每个分支和残差流同一量级，这样残差流才会变大，第 `l` 层才只占 `1/l`。我们的分支初始有多大？如果用 PyTorch 的默认初始化，分支初始要小得多，又会怎样（5 个随机种子）？

# %% slideshow={"slide_type": "-"}
ratios = {init: branch_variance_ratio(init, seeds=SEEDS) for init in ("xavier", "default")}
small_branches = run_amplification(AMPLIFICATION_DEPTHS, kinds=("post", "pre"), n_draws=1, init="default",
                                   seeds=SEEDS)
small_fits = {kind: small_branches.fit(kind) for kind in ("post", "pre")}
for init, by_branch in ratios.items():
    print(f"{init:7s} 初始化：分支输出方差 / 输入方差："
          + "；".join(f"{branch} {v.min():.2f}..{v.max():.2f}" for branch, v in by_branch.items()))
for kind, label in (("post", "Post-LN"), ("pre", "Pre-LN")):
    f = small_fits[kind]
    print(f"默认初始化，{label}：p = {f.exponent:.2f}（Xavier：{fits[kind].exponent:.2f}）；"
          f"幂律偏差 {f.power_rms:.2f}，对数偏差 {f.log_rms:.2f}")

assert np.all(ratios["xavier"]["attention"] < 0.2) and np.all(ratios["xavier"]["feed-forward"] < 0.7), \
    "在 Xavier 初始化下，每个分支初始都比它的输入小"
assert np.all(ratios["default"]["feed-forward"] < ratios["xavier"]["feed-forward"]), \
    "PyTorch 的默认初始化让分支初始更小"
assert abs(small_fits["post"].exponent - post.exponent) < 0.2, "Post-LN 的增长不应取决于分支大小"
assert small_fits["pre"].exponent > pre.exponent + 0.15 and small_fits["pre"].log_rms > 2 * small_fits["pre"].power_rms, \
    "分支很小时，Pre-LN 的增长应变成幂律，更接近 N"

# %% [markdown] slideshow={"slide_type": "-"}
# 即使在 Xavier 初始化下，分支初始也比输入小：注意力只传出不到输入方差的十分之一，前馈子层不到一半。换成 PyTorch 的默认初始化（分支更小）后，Post-LN 的增长不变，而 Pre-LN 的增长变得近似线性，对数也不再拟合得上：16 个块下来残差流几乎没有变大，所以每一层在其中所占的份额都差不多，这些份额加起来按 `N` 增长。可见 Pre-LN 增长得慢，并不单单来自归一化的位置；它来自残差流随分支的加入而变大，Xavier 大小的分支能做到，很小的分支做不到。这正是 Liu 等人自己的分析（他们对每层权重 `β_i²` 的求和：权重恒定得 `N`，份额为 `1/l` 得 `log N`）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 两种互相矛盾的解释：梯度，还是放大效应？
#
# notebook [03](03_transformer_residual_layernorm.ipynb) 测量了另一种常见的解释。Xiong 等人（2020，定理 1 和图 3）证明，初始化时 Post-LN 靠近输出层的梯度很大且与深度无关，而 Pre-LN 的梯度按 `1/sqrt(L)` 缩小：早期的更新步子太大，所以需要预热。Liu 等人（2020，第 3 节）对原因有不同看法。他们发现，这种不均衡的梯度并不是训练失败的原因：Adam 按每个参数自己的梯度历史来缩放它的更新，所以梯度的大小影响不大，而 Post-LN 仍然会失败；他们把失败归因于放大效应，解决办法是在初始化时对残差重新加权（Admin），而不是调整梯度。我们的实验支持的是：两种现象都真实存在（notebook 03 复现了 Xiong 等人的梯度模式，本节复现了放大效应）。在第 4 节中，一个 Post-LN 训练不了的 6 层 Transformer，在挪动归一化位置（Pre-LN，Xiong 等人的办法）或用 DeepNorm 缩小初始分支后都能学会：两种解释都预测了这一点，所以这个玩具实验无法在两者之间做出判断，更不用说在大规模下哪个效应才是根本原因。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. 重新加权的残差：ReZero、SkipInit、Fixup、DeepNorm
#
# 如果问题在于每一层在开始时过于倚重自己的分支，那么可以不用归一化（或者在归一化之外），改为调整 `x + F(x)` 中两项的权重：
#
# | 方法 | 块 | 初始化时 | 归一化 |
# |---|---|---|---|
# | ReZero（Bachlechner 等人，2020） | `x + α·F(x)`，`α` 是可学习的标量（参考实现中每层的两个子层共用一个；我们的 `ReZeroBlock` 每个子层一个） | `α = 0`：每个块都是恒等映射（identity mapping） | 完全不用 |
# | SkipInit（De 和 Smith，2020） | ResNet 中的 `x + α·F(x)` | `α = 0`（或很小） | 取代批归一化 |
# | Fixup（Zhang、Dauphin 和 Ma，2019） | `x + s·F(x) + b`，标量乘子 `s` 和标量偏置 | 每个分支的最后一层 `= 0`，分支中的其他层乘以 `L^(-1/(2m-2))` | 不用 |
# | DeepNorm（Wang 等人，2022） | `LN(α·x + G(x))`，Post-LN | 前馈层以及 value 和输出投影的权重 × `β` | 保留 |
#
# ReZero 和 SkipInit 让整个网络在开始时就是恒等映射；标量 `α` 仍然有梯度，所以每个分支会在训练需要时自己“打开”。DeepNorm 保留 Post-LN，但用 `α > 1` 加强捷径，用 `β < 1` 让分支初始更小，两个常数的选取使一次模型更新的大小不随深度无界增长；对 `N` 层的纯编码器模型，`α = (2N)^(1/4)`，`β = (8N)^(-1/4)`（Wang 等人，2022）。它让很深的 Post-LN 也能训练，但并不能免去预热：DeepNet 论文的训练配置仍然使用学习率预热。代码在 `resnorm.reweighted` 中。

# %% slideshow={"slide_type": "-"}
for n in (6, 18, 100, 1000):
    alpha, beta = deepnorm_constants(n)
    print(f"DeepNorm，N = {n:4d} 层：alpha = {alpha:.3f}，beta = {beta:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fixup：完全不用归一化的深层残差网络
#
# `FixupMLP` 有 16 个残差块，每块两层，`h + s·W2·relu(W1·h + b1 ...) + b4`，没有任何归一化。用标准的何恺明初始化（与 `DeepMLP` 相同：`W1` 后面接 ReLU，增益为 `sqrt(2)`；`W2` 的增益为 1）时，每个分支初始都和它的输入方差相当，所以每过一个块方差翻倍，标准差增大约 `sqrt(2)` 倍：16 个块下来是 `2^8 = 256` 倍。Fixup 把 `W2` 和输出头置零，并把 `W1` 乘以 `16^(-1/2)`：网络从恒等映射开始。我们测量初始化时每个块之后信号的标准差（5 个随机种子），以及传到这些零初始化层的梯度。

# %% slideshow={"slide_type": "subslide"}
fixup = run_fixup(seeds=SEEDS)
_ = plot_fixup(fixup)

# %% slideshow={"slide_type": "fragment"}
growth = {init: values[:, -1] for init, values in fixup.signal.items()}
grad_at_init, grad_after_one_step = fixup.last_layer_grad[:, 0], fixup.last_layer_grad[:, 1]
print(f"16 个块后的信号标准差（相对于输入层的输出）：何恺明初始化 {growth['he'].min():.0f}..{growth['he'].max():.0f}，"
      f"PyTorch 默认 {growth['default'].min():.2f}..{growth['default'].max():.2f}，"
      f"Fixup {growth['fixup'].min():.2f}..{growth['fixup'].max():.2f}")
print(f"零初始化层 W2 的梯度：初始化时 {grad_at_init.max():.1g}；"
      f"一步 SGD 之后不小于 {grad_after_one_step.min():.1g}")

assert np.all((growth["he"] > 256 / 3) & (growth["he"] < 256 * 3)), \
    "不用归一化的何恺明初始化：标准差应每个块增大约 sqrt(2) 倍，16 个块共 2^8 = 256 倍"
# 以下检查验证的是构造本身（W2 和输出头从零开始，所以它们必然成立），不是实验发现：
assert np.allclose(fixup.signal["fixup"], 1.0, atol=1e-6), "Fixup：初始化时每个块都是恒等映射"
assert np.all(grad_at_init == 0), "初始化时，零初始化的输出头挡住了传向每个分支的梯度"
assert np.all(grad_after_one_step > 0), "一步之后，每个零初始化层都有梯度"

# %% [markdown] slideshow={"slide_type": "-"}
# 何恺明初始化下的增长是实验发现；后三个检查只是演示构造：零初始化的 `W2` 让每个块都是恒等映射，零初始化的输出头挡住了它后面的所有梯度。不过，零初始化的层并不是“死”的：第一步只有输出头在动，从第二步起每个分支都有梯度。顺便一提，PyTorch 的默认初始化足够小（权重方差为 `1/(3·fan_in)`），这个不用归一化的残差网络只会温和地增长；正是保持方差的何恺明初始化让增长显现出来。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 不预热训练更深的 Post-LN
#
# 现在来训练。小型 Transformer（`d_model = 16`，2 个头）学习把 8 个 token 的序列反转（词表大小 10），用 Adam，学习率恒定为 0.02，**不预热**，批大小 32，训练 40 步，5 个随机种子：3 层和 6 层的 Post-LN；以及修复 6 层 Post-LN 的五种办法：挪动归一化位置（Pre-LN）、DeepNorm、只用 DeepNorm 加强的捷径（`α`，`β = 1`）、只用它缩小的初始分支（`β`，`α = 1`），以及 ReZero（完全没有归一化）。学习率这么高时，单次运行的结果可好可坏，所以每个结论都针对各种子的中位数。

# %% slideshow={"slide_type": "-"}
DEEPER_CONFIGS

# %% slideshow={"slide_type": "subslide"}
deeper = run_deeper(lr=0.02, seeds=SEEDS)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_training(deeper.subset(["Post-LN, 3 layers", "Post-LN, 6 layers", "Pre-LN, 6 layers", "ReZero, 6 layers"]),
              left, title="学习率 0.02，不预热：5 个种子的中位数与最小–最大范围")
plot_training(deeper.subset(["Post-LN, 6 layers", "DeepNorm, 6 layers", "DeepNorm α only (β = 1)",
                             "DeepNorm β only (α = 1)"]), right, title="DeepNorm 及其两个常数")
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
final = {label: deeper.final(label) for label in DEEPER_CONFIGS}
for label, values in final.items():
    print(f"{label:24s} 最终损失，中位数 {np.median(values):.2f}（{values.min():.2f}..{values.max():.2f}）nats"
          f"（随机猜测水平 {deeper.chance:.2f}）")

median_final = {label: np.median(values) for label, values in final.items()}
assert median_final["Post-LN, 6 layers"] > 0.9 * deeper.chance, "6 层 Post-LN 应停留在随机猜测水平附近"
assert median_final["Post-LN, 6 layers"] - median_final["Post-LN, 3 layers"] > 0.5, \
    "在相同学习率下，较浅的 Post-LN 应明显更好：造成伤害的是深度"
for label in ("Pre-LN, 6 layers", "DeepNorm, 6 layers", "ReZero, 6 layers"):
    assert median_final[label] < 0.5 * deeper.chance, f"{label} 应学会这个任务"
assert median_final["DeepNorm α only (β = 1)"] > 0.9 * deeper.chance, \
    "单靠加强的捷径救不了 6 层 Post-LN"
assert median_final["DeepNorm α only (β = 1)"] - median_final["DeepNorm β only (α = 1)"] > 0.5, \
    "单靠缩小的初始分支，应明显比单靠捷径走得更远"
assert median_final["DeepNorm, 6 layers"] <= median_final["DeepNorm β only (α = 1)"], \
    "两个常数一起用，应至少和单用缩小的分支一样好"

# %% [markdown] slideshow={"slide_type": "-"}
# 在这个学习率下，6 层 Post-LN 在大多数种子上都停在随机猜测水平，3 层的在大多数种子上能学会（并非全部：这个学习率接近 Post-LN 能承受的边缘）。同样的 6 层，把归一化挪到每个子层之前（Pre-LN）、用 DeepNorm，或者用 ReZero 让分支从零开始，都能学会。DeepNorm 的两个常数贡献并不相同：单靠加强的捷径（`α`），网络停在随机猜测水平；单靠缩小的初始分支（`β`），能走完大部分路；两者一起效果最好。所以在这个玩具实验中，DeepNorm 起作用主要是因为 `β` 让分支从小开始，而不是因为 `α` 加强了捷径。
#
# 说说局限：这是玩具实验，学习率特意选得很高，好让深度成为决定因素；加上预热或用更小的学习率，6 层 Post-LN 也能训练（notebook [03](03_transformer_residual_layernorm.ipynb)）。“不预热也能训练”是针对这个设置的结论，就像 Xiong 等人的 BERT 和翻译实验一样，并不是普遍规律：DeepNorm 是为几百层的网络设计的（Wang 等人 2022 年训练了 1000 层），而 DeepNet 论文的训练配置仍然使用学习率预热；大型 Pre-LN 模型同样预热（GPT-3；LLaMA 预热 2,000 步）。ReZero 在这里学得最快，但今天的大模型几乎都保留了归一化。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. 当前大模型的做法，以及 Dynamic Tanh
#
# 归一化 `N` 放在子层 `F`（注意力或前馈网络）周围的哪个位置：
#
# - **Post-LN**（Vaswani 等人，2017；BERT）：`x ← N(x + F(x))`。
# - **Pre-LN**（tensor2tensor 2018，Baevski 和 Auli 2019，Wang 等人 2019；GPT-2；以及用 RMSNorm 的 LLaMA、Mistral、Qwen、DeepSeek-V3）：`x ← x + F(N(x))`，最后一个块之后再加一个归一化。大多数开源大模型用的就是这种普通的前置 RMSNorm。
# - **三明治 / Peri-LN**（CogView；Gemma 2；Kim 等人 2025 年做了分析）：`x ← x + N₂(F(N₁(x)))`：子层的输入做归一化，它的输出在加回残差流之前也做归一化。
# - **只对输出做归一化**，即 OLMo 2 的重排归一化（reordered norm）：`x ← x + N(F(x))`。子层输入不做归一化，只在输出上做。这不是三明治：`F` 看到的是原始的残差流。
# - **QK-norm**（Henry 等人，2020；ViT-22B；OLMo 2）：在计算 `q·kᵀ` 之前对 query 和 key 做归一化，从而给注意力 logits 加上界。
#
# | 模型（论文） | 归一化 | 位置 | 其他 |
# |---|---|---|---|
# | Transformer（Vaswani 等人，2017） | LayerNorm | Post-LN | |
# | BERT（Devlin 等人，2019） | LayerNorm | Post-LN | |
# | GPT-2（Radford 等人，2019） | LayerNorm | Pre-LN + 最后的 LN | |
# | T5（Raffel 等人，2020） | 只缩放的 LayerNorm（不减均值，无偏置） | Pre-LN + 最后的归一化层 | |
# | GPT-3（Brown 等人，2020） | LayerNorm | Pre-LN + 最后的 LN，同 GPT-2 | 预热 |
# | CogView（Ding 等人，2021） | LayerNorm | 三明治 | |
# | GLM-130B（Zeng 等人，2023） | LayerNorm | Post-LN 加 DeepNorm | |
# | LLaMA（Touvron 等人，2023） | RMSNorm | Pre-norm + 最后的归一化层 | 预热 2,000 步 |
# | Mistral 7B（Jiang 等人，2023）、Qwen2（Yang 等人，2024）、DeepSeek-V3（DeepSeek-AI，2024） | RMSNorm | Pre-norm + 最后的归一化层 | |
# | ViT-22B（Dehghani 等人，2023） | 无偏置的 LayerNorm | Pre-LN，注意力和 MLP 并行，共用一个归一化 | QK-norm |
# | Gemma 2（Gemma Team，2024） | RMSNorm | 每个子层的输入和输出（三明治） | logit 软截断（soft-capping） |
# | OLMo 2（OLMo Team，2024） | RMSNorm | 只在每个子层的输出，`x + N(F(x))` | QK-norm |
# | DyT（Zhu 等人，2025） | 用 `tanh(α·x)` 取代归一化 | 原来归一化所在的位置 | 研究成果 |
#
# RMSNorm（Zhang 和 Sennrich，2019）去掉了 LayerNorm 的均值和偏置：每个向量只算一个统计量，而不是两个（notebook [02](02_layer_normalization.ipynb)）。增加额外归一化的论文给出了各自的理由（这里不做测量）：在长时间训练中，注意力 logits 可能一直增长直到训练发散，QK-norm 能防止这一点（Dehghani 等人，2023，ViT-22B）；据报告，Gemma 2 和 OLMo 2 的输出归一化能让训练更稳定（Gemma Team，2024；OLMo Team，2024）。它们是例外而不是常规：大多数开源大模型保留的是普通的前置 RMSNorm 块。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 已发布模型，逐格核对
#
# 上表来自论文。对当前的开源模型，本课程维护了一个数据文件 `data/open_model_norms.csv`：每个模型一行，每一格都对照论文核对过（章节或表格记在 `source_location` 中），论文没有说明的，则对照已发布的建模代码和 `config.json`（在 `note` 中注明；`location_checked` 表示是否亲眼看过该章节标号本身）。没有任何来源说明的格子写作 `not stated`。GPT-2 和 BERT 列在表中作为历史参照。下面的计数是从文件算出来的，不是手写的。

# %% slideshow={"slide_type": "-"}
models = load_reference("open_model_norms")
current = [row for row in models if row["family"] not in ("GPT-2", "BERT")]
print(f"{'model':24s} {'norm':9s} {'placement':40s} {'QK-norm':11s} final norm")
for row in models:
    print(f"{row['model']:24s} {row['norm']:9s} {row['placement']:40s} {row['qk_norm']:11s} {row['final_norm']}")
pre_rms = [row["model"] for row in current if (row["norm"], row["placement"]) == ("RMSNorm", "Pre-LN")]
qk_norm = [row["model"] for row in current if row["qk_norm"] == "yes"]
print(f"\n普通的前置 RMSNorm：{len(current)} 个当前模型中有 {len(pre_rms)} 个；QK-norm：{'、'.join(qk_norm)}")
assert all(row["source"] and row["source_location"] for row in models), "每一行都注明来源和具体位置"
assert 2 * len(pre_rms) > len(current), "当前模型中多数用普通的前置 RMSNorm"
assert all(row["norm"] == "RMSNorm" for row in current if row["family"] != "GLM"), \
    "除 GLM-130B（DeepNorm，LayerNorm）外，每个当前的模型系列都用 RMSNorm"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Dynamic Tanh
#
# Zhu、Chen、He、LeCun 和 Liu（2025）把 Transformer 中的每个归一化层都换成 `DyT(x) = weight · tanh(α·x) + bias`，其中 `α` 是一个可学习的标量（初始为 0.5），`weight` 和 `bias` 是通常的逐特征参数。没有均值，没有方差，也不在向量上做任何归约：每个元素单独压缩。它就是 `resnorm.norms.DynamicTanh`，`TinyTransformer(..., norm="dyt")` 在原来每个归一化的位置都用它：

# %% slideshow={"slide_type": "-"}
print(DynamicTanh(16))
print(inspect.getsource(DynamicTanh.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# 两个 2 层的 Pre-LN Transformer（`d_model = 16`）学习反转任务（Adam，学习率 0.02，60 步，3 个随机种子），两者只有归一化不同：一个用 LayerNorm，一个用 DyT。然后看训练好的模型中一个 LayerNorm（`blocks.1.norm2`，即最后一个前馈子层前面的那个）的内部：像 Zhu 等人的图 2-4 那样，逐元素对比它的输入和归一化后的输出。

# %% slideshow={"slide_type": "subslide"}
dyt = run_dyt(seeds=SEEDS[:3])
mappings = [norm_mapping(model, tokens[:128], "blocks.1.norm2")
            for model, tokens in zip(dyt.models["LayerNorm"], dyt.tokens)]
fits = [fit_tanh(m.x, m.y) for m in mappings]
untrained = [norm_mapping(initial_model(DYT_CONFIGS["LayerNorm"], seed), tokens[:128], "blocks.1.norm2")
             for seed, tokens in zip(SEEDS[:3], dyt.tokens)]
untrained_fits = [fit_tanh(m.x, m.y) for m in untrained]
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_training(dyt, left, title="LayerNorm 与 DyT，反转任务：3 个种子的中位数与最小–最大范围")
plot_norm_mapping(mappings[0], fits[0], right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
final_ln, final_dyt = dyt.final("LayerNorm"), dyt.final("DyT")
spread = {name: np.array([m.token_std.max() / m.token_std.min() for m in ms])
          for name, ms in (("trained", mappings), ("untrained", untrained))}
gain = {name: np.array([f.tanh_mse / f.line_mse for f in fs])
        for name, fs in (("trained", fits), ("untrained", untrained_fits))}
print(f"最终损失：LayerNorm {final_ln.min():.3f}..{final_ln.max():.3f} nats，"
      f"DyT {final_dyt.min():.3f}..{final_dyt.max():.3f} nats（随机猜测水平 {dyt.chance:.2f}）")
for name in ("untrained", "trained"):
    print(f"{name:9s} LayerNorm，每个种子：各 token 的标准差相差 "
          f"{np.array2string(spread[name], precision=1)} 倍；"
          f"tanh 拟合的误差 / 直线拟合的误差 {np.array2string(gain[name], precision=2)}")

assert np.all(final_ln < 0.02 * dyt.chance) and np.all(final_dyt < 0.02 * dyt.chance), \
    "两个模型都应几乎完美地学会这个任务"
assert np.median(spread["trained"]) > np.median(spread["untrained"]), \
    "训练应拉大 LayerNorm 所除的各 token 标准差之间的差距（按中位数）"
assert np.median(gain["trained"]) < np.median(gain["untrained"]), \
    "训练之后，相对于直线，tanh 应比训练前更好地描述这个 LayerNorm（按中位数）"

# %% [markdown] slideshow={"slide_type": "-"}
# 两个模型都几乎完美地学会了任务，所以在这个玩具规模上，两条损失曲线无法给两种归一化排出高下：它们都已降到底。右图说明了 tanh 为什么能代替归一化：对单个 token，LayerNorm 是一条斜率为 `1/std(token)` 的直线，但数值分散大的 token（黄色）得到的直线比分散小的 token（紫色）更平；所有 token 合在一起形成一团 S 形的点云，把最大的输入压扁。其中一部分在训练之前就已存在（token 的分散程度一开始就不同，tanh 也已经比直线略好）。训练让它更明显，这一点按各种子的中位数成立，但并非每个种子都如此：除数之间的差距拉大，tanh 相对直线的优势增加。在玩具规模上这是个小效应；在 Zhu 等人训练的大模型中，S 形非常明显。他们还报告，对大语言模型，初始的 `α` 需要调参；截至 2025 年，DyT 仍是一项研究成果，而不是已发布大模型的标准做法。


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. 注意力 logits：`1/sqrt(d_k)`、logits 增长与 QK-norm
#
# 即使残差流有归一化管着，注意力内部仍然可能出问题。query `q` 对 key `k` 的 logit 是 `q·k`；如果 `d_k` 个分量相互独立、方差为 1，这 `d_k` 个乘积之和的方差就是 `d_k`。Vaswani 等人（2017，第 3.2.1 节）除以 `sqrt(d_k)`，让 logits 无论在小模型还是大模型中方差都保持为 1；不除的话，头越大 logits 越大，softmax 会饱和到单个 key 上。我们对 `d_k` 从 4 到 256 随机生成 query 和 key（256 个 query，32 个 key，3 个随机种子），测量 logits 的方差和注意力熵（均匀注意力为 `ln 32 = 3.47` nats，one-hot 为 0）。
#
# 这个除法固定的是初始化时的尺度，管不了训练过程。如果 query 和 key 的权重变大 `s` 倍，每个 logit 就变大 `s²` 倍。Dehghani 等人（2023，ViT-22B）在 8B 参数的模型中正好看到了这一点：注意力 logits 不断增长，直到注意力几乎变成 one-hot（熵接近 0），损失随之发散；Wortsman 等人（2023）在高学习率的小模型中复现了这一现象。Dehghani 等人的解决办法 QK-norm，是在点积之前对每个 query 和 key 做层归一化（此前 Henry 等人 2020 年提出过对 `q` 和 `k` 做 L2 归一化，并用一个可学习的缩放代替 `1/sqrt(d_k)`）。我们把一个注意力层（32 个 token，`d_k = 64`）的 `W_q` 和 `W_k` 乘以 `s = 1..8`，分别在有和没有 QK-norm 时测量，层归一化不带缩放参数和平移参数。

# %% slideshow={"slide_type": "subslide"}
logit_scale = run_logit_scale(d_ks=(4, 16, 64, 256), seeds=SEEDS[:3])
logit_growth = run_logit_growth(scales=(1.0, 2.0, 4.0, 8.0), seeds=SEEDS[:3])
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_logit_scale(logit_scale, left)
plot_logit_growth(logit_growth, right)
fig.tight_layout()

# %% slideshow={"slide_type": "fragment"}
raw_var, scaled_var = (np.median(v, axis=0) for v in (logit_scale.raw_variance, logit_scale.scaled_variance))
raw_h, scaled_h = (np.median(v, axis=0) for v in (logit_scale.raw_entropy, logit_scale.scaled_entropy))
print("d_k:", logit_scale.d_ks.tolist())
print("  q·k 的方差：                ", np.array2string(raw_var, precision=0, floatmode="fixed"))
print("  q·k / sqrt(d_k) 的方差：    ", np.array2string(scaled_var, precision=2, floatmode="fixed"))
print("  注意力熵，不缩放：          ", np.array2string(raw_h, precision=2, floatmode="fixed"), "nats")
print("  注意力熵，缩放：            ", np.array2string(scaled_h, precision=2, floatmode="fixed"), "nats")

# 除以 sqrt(d_k) 就是把方差除以 d_k，所以一个检查就能覆盖前两行：
assert np.all(np.abs(raw_var / logit_scale.d_ks - 1) < 0.25), \
    "q·k 的方差应按 d_k 增长（因此缩放后的 logits 方差约为 1）"
assert raw_h[-1] < 0.25 * logit_scale.max_entropy and np.all(np.diff(raw_h) < 0), \
    "不做除法时，d_k 每增大一次，注意力都应更尖锐，到 256 时接近 one-hot"
assert scaled_h.max() - scaled_h.min() < 0.2, "做了除法后，注意力熵不应取决于 d_k"

# %% slideshow={"slide_type": "subslide"}
growth = {kind: np.median(v, axis=0) for kind, v in logit_growth.max_logit.items()}
entropy = {kind: np.median(v, axis=0) for kind, v in logit_growth.entropy.items()}
print("W_q、W_k 的缩放倍数 s：", logit_growth.scales.tolist())
for kind in ("plain", "qk-norm"):
    print(f"  {kind:8s} 最大 |logit| {np.array2string(growth[kind], precision=1, floatmode='fixed')}，"
          f"熵 {np.array2string(entropy[kind], precision=2, floatmode='fixed')} nats")

# 以下都是对机制的演示，全部由构造保证：logits 对 W_q、W_k 是双线性的；对任意 logits z，softmax(s²·z)
# 随 s 增大而变尖锐；层归一化消去了缩放 s。
assert np.allclose(logit_growth.max_logit["plain"] / logit_growth.max_logit["plain"][:, :1],
                   logit_growth.scales ** 2, rtol=1e-3), "把 W_q 和 W_k 乘以 s，logits 就乘以 s²"
assert np.allclose(logit_growth.max_logit["qk-norm"], logit_growth.max_logit["qk-norm"][:, :1], rtol=1e-3) \
    and np.all(logit_growth.max_logit["qk-norm"] <= np.sqrt(logit_growth.d_k) + 1e-4), \
    "有 QK-norm 时，logits 与 s 无关，且不超过 sqrt(d_k)"
assert np.all(np.diff(entropy["plain"]) < 0) and entropy["plain"][-1] < 0.1 * logit_growth.max_entropy, \
    "没有 QK-norm 时，权重变大应让注意力坍缩到接近 one-hot"
assert np.all(np.abs(entropy["qk-norm"] - entropy["plain"][0]) < 0.25), \
    "有 QK-norm 时，熵应保持在未缩放层的水平"

# %% [markdown] slideshow={"slide_type": "-"}
# `q·k` 的方差是单个乘积方差的 `d_k` 倍，除法把它拉回到 1；消融实验说明了除法的作用：不缩放时，32 个 key 上的注意力随着头变大而越来越尖锐，到 `d_k = 256` 时接近 one-hot，而缩放后保持不变。权重增长会抵消这个效果。第二个单元格只是演示机制（每个检查都由构造保证）：logits 对 `W_q` 和 `W_k` 是双线性的，所以按 `s²` 增长，softmax 随 `s` 增大而越来越尖锐，这里到 `s = 8` 时已接近 one-hot；接近 one-hot 的 softmax 几乎不向 logits 回传梯度，因为它的雅可比矩阵（Jacobian）`diag(p) − p pᵀ` 趋于 0；在 ViT-22B 中，这种增长伴随着损失发散。有了 QK-norm，logits 完全不依赖 `s`，也不会超过 `sqrt(d_k)` 乘以归一化的缩放参数（这里为 1）；在训练好的模型中，实际的温度由学到的缩放参数决定。OLMo 2 和 ViT-22B 都用 QK-norm（第 5 节）。
#
# 输出端也有一个同类的问题：PaLM（Chowdhery 等人，2022，第 5 节）加了一个 *z-loss*，即 `10⁻⁴ · log² Z`，其中 `Z` 是输出 logits 的 softmax 归一化因子；它把 `log Z` 拉向 0，防止输出 logits 漂移；Wortsman 等人（2023）发现它消除了他们观察到的输出 logits 发散。这里不做测量。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. 残差流中的离群值、INT8 与 float32 下的归一化
#
# 训练好的大模型，残差流中会有少数极大的值。Dettmers 等人（2022，LLM.int8()，第 4 节）发现了离群特征（outlier features）：幅值可达其他维度的 20 倍，集中在少数几个固定的特征维度上；从约 6.7B 参数起，它们出现在所有层、约 75% 的序列位置上。Sun 等人（2024）描述了*超大激活*（massive activations）：少数几个值，最大可达其余值的约 100,000 倍，位于固定的特征维度和特定的 token 上（第一个 token、分隔符），作用类似固定的偏置。归一化就紧跟在它们后面：在 Pre-LN 中，每个子层读取的都是 `norm(x)`，而在这样的 token 上，那一个极大的分量决定了标准差，于是归一化把这个 token 的其他所有分量都除以一个很大的数。
#
# 它们在实践中的影响首先是量化：INT8 量化如果每个张量只用一个缩放因子，步长就是 `max|X| / 127`。一个离群通道会让其他所有通道的步长都变大，这些通道的值只能粗略地舍入。我们对激活 `X`（256 个 token × 64 个通道，标准正态分布）和权重 `W` 做量化，分别在通道 0 乘以 20 和不乘时，测量普通通道以及乘积 `X W` 的 INT8 误差（5 个随机种子）。SmoothQuant（Xiao 等人，2023）把激活的第 `j` 个通道除以 `s_j = max|X_j|^0.5 / max|W_j|^0.5`，并把 `W` 的第 `j` 行乘以 `s_j`：乘积不变，而离群值的一部分范围转移到了权重中。

# %% slideshow={"slide_type": "subslide"}
quant = run_outlier_quantization(outlier_scale=20.0, seeds=SEEDS)
print(f"离群通道：最大 |值| 是 |值| 中位数的 {np.median(quant.outlier_ratio):.0f} 倍"
      f"（各种子的中位数）")
for case in QUANT_CASES:
    print(f"  {case:22s} INT8 误差，普通通道 {np.median(quant.channel_error[case]):.3f}；"
          f"X·W {np.median(quant.product_error[case]):.3f}   （相对误差，{len(SEEDS)} 个种子的中位数）")
print(f"SmoothQuant 的重新缩放本身对 X·W 的改变小于 1e-5（float32 舍入误差）："
      f"{bool(np.all(quant.smoothing_change < 1e-5))}")

errors = {case: quant.channel_error[case] for case in QUANT_CASES}
products = {case: quant.product_error[case] for case in QUANT_CASES}
assert np.all(errors["outlier"] > 5 * errors["no outlier"]), \
    "一个离群通道应让其他每个通道的 INT8 误差增大好几倍"
assert np.all(products["outlier"] > 2 * products["no outlier"]), "……乘积 X·W 的误差也一样"
assert np.all(products["outlier + SmoothQuant"] < 0.5 * products["outlier"]), \
    "SmoothQuant 应把乘积的误差大幅降下来"
assert np.all(quant.smoothing_change < 1e-5), "演示：重新缩放本身不改变 X·W"

# %% [markdown] slideshow={"slide_type": "-"}
# 机制在于共用的步长：没有离群值时，普通通道的误差约为 1%；有了离群值，误差大十倍以上，乘积的误差也增大好几倍；SmoothQuant 在不改变该层计算结果的前提下，把大部分误差降了回来。LLM.int8() 走的是另一条路：离群维度保留 16 位，其余用 INT8。在真实模型中，除以 `s` 这一步会并入该层前面那个归一化的缩放参数，所以运行时没有额外开销。
#
# 大的数值也是混合精度（mixed precision）下归一化用 float32 计算的原因。float16 能表示的最大有限数是 65504：大于 256 的分量，平方就是 `inf`。用 float16 直接写出的层归一化 `mean((x - mean)²)`，在几百大小的激活上就会溢出，然后把所有值都除以 `inf`。我们用自己从头实现的层归一化，分别在 float16 和 float32 下对标准差为 300 的激活做归一化（16 个 token × 256，3 个随机种子）；作为消融实验，同一个 float16 归一化再处理标准差为 30 的激活，其平方保持在 65504 以下。然后我们看 PyTorch 的 autocast 对线性层和归一化分别返回什么 dtype。

# %% slideshow={"slide_type": "subslide"}
precision = run_norm_precision(scale=300.0, seeds=SEEDS[:3])
small_scale = run_norm_precision(scale=30.0, seeds=SEEDS[:3])
for name in PRECISIONS:
    print(f"{name}：方差 {np.median(precision.variance[name]):.2g}，LayerNorm 输出的最大误差 "
          f"{np.median(precision.error[name]):.1f}（以其标准差为单位；各种子的中位数）")
print(f"float16，标准差为 30 的激活：方差 {np.median(small_scale.variance['float16']):.2g}，"
      f"最大误差 {np.median(small_scale.error['float16']):.3f}")
print("在 torch.autocast('cpu', dtype=torch.float16) 下：",
      "，".join(f"{op} -> {str(dtype).replace('torch.', '')}" for op, dtype in precision.autocast_dtypes.items()))

assert np.all(np.isinf(precision.variance["float16"])) and np.all(precision.error["float16"] > 1), \
    "在 float16 下，约 300 大小的激活的方差会溢出，输出是错的"
assert np.all(np.isfinite(precision.variance["float32"])) and np.all(precision.error["float32"] < 1e-4), \
    "在 float32 下，同一个 LayerNorm 没有问题"
assert np.all(np.isfinite(small_scale.variance["float16"])) and np.all(small_scale.error["float16"] < 0.02), \
    "消融实验：激活标准差为 30 时，float16 的 LayerNorm 没有问题，所以失败来自数值尺度"
assert precision.autocast_dtypes == {"linear": torch.float16, "layer_norm": torch.float32,
                                     "rms_norm": torch.float32}, \
    "autocast 用 float16 做矩阵乘法，但归一化保留在 float32"

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch 的 autocast 文档把 `layer_norm` 列在会自动转成 float32 的 CUDA 算子中，本环境安装的版本中 `rms_norm` 也在这个列表里（上面测的是 CPU 上的 autocast）：矩阵乘法用 16 位，归一化的统计量用 32 位。如果归一化是在模型自己的代码里写出来的，而它的输入已经是 float16，autocast 就帮不上忙，所以这样的代码会在归一化内部转成 float32（LLaMA 参考实现中的 RMSNorm 对 `x.float()` 做归一化，再把结果转回原类型）。
#
# 同样的尺度论证也决定了 `eps`。它加在方差上，所以只有当方差与它相当时才有影响（notebook [02](02_layer_normalization.ipynb) 中“为什么要有 `eps`，又为什么放在根号里”一节测量了其中的权衡）：`1e-5`（PyTorch LayerNorm 的默认值，GPT-2）、`1e-6`（LLaMA 的 RMSNorm）和 `1e-12`（BERT 发布的配置）与典型残差流的方差相比都微不足道。`eps` 取多大，要看激活的尺度。这也是统计量要用 float32 计算的又一个理由：BERT 的 `1e-12` 小于 float16 能表示的最小正数（约 `6e-8`），舍入后就成了 0。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. 并行块：注意力和 MLP 共用一个归一化
#
# GPT-J（Wang 和 Komatsuzaki，2021）和 PaLM（Chowdhery 等人，2022，第 2 节）从同一个归一化出发，并排计算注意力和 MLP：`y = x + Attn(LN(x)) + MLP(LN(x))`，而不是串行的 `y = x + a + MLP(LN(x + a))`，其中 `a = Attn(LN(x))`。PaLM 报告，在大规模下训练快了约 15%，因为 MLP 和注意力的输入矩阵乘法可以融合；在他们的消融实验中，8B 模型的质量略有损失，62B 没有损失，因此他们推断在 540B 上不影响质量。ViT-22B 也用同样的块（第 5 节）。这里用 `resnorm.parallel_block.ParallelBlock`（`d_model = 32`，4 个头，3 个随机种子）：它的 query/key/value 投影和 MLP 的第一层堆叠成一个权重；再拿权重相同的串行 Pre-LN 块来对比。

# %% slideshow={"slide_type": "subslide"}
parallel = run_parallel_block(seeds=SEEDS[:3])
fused_weight, _ = ParallelBlock(32, 4, 64).fused_input_weight()
print(f"融合后的输入权重：{tuple(fused_weight.shape)} = q、k、v（3 × 32 行）加上 MLP 的第一层（64 行）")
print(f"并行块，一次融合的矩阵乘法与两次分开的相比：输出在 1e-5 以内相等："
      f"{bool(np.all(parallel.fused_difference < 1e-5))}")
print(f"权重相同的串行 Pre-LN 块：与并行块相差该块更新量的 {np.median(parallel.serial_difference):.0%}"
      f"（RMS，各种子的中位数）")

# 演示：融合是精确的（同一个函数），而串行块是另一个函数。
assert np.all(parallel.fused_difference < 1e-5), "融合两个输入投影不应改变输出"
assert np.all(parallel.serial_difference > 0.01), "串行块计算的是另一个函数"

# %% [markdown] slideshow={"slide_type": "-"}
# 两个检查都是演示，不是实验发现：融合后的乘法计算的是完全相同的函数（要的是提速，而这只在大型加速器上才看得出来）；串行块则是另一个函数，所以“不影响质量”是 PaLM 在大规模消融实验中得到的经验结论，而不是某个恒等式能保证的。对残差流来说，并行块的改变不大：串行的 Pre-LN 块往残差流里加两次，每个子层一次，并行块一次把两个分支都加进去，而且只需要一个归一化，Pre-LN 则需要两个。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. 大规模训练中的损失尖峰
#
# 大规模训练中，训练损失会突然跳升。PaLM（Chowdhery 等人，2022，第 5.1 节）在最大的模型上观察到约 20 次这样的尖峰：用了梯度裁剪也没能避免，出现的间隔不规则，较小的模型上则没有出现。从更早的检查点重放同样的批次，并不会引发尖峰：它需要特定的批次与特定的权重状态同时出现。常用的补救办法针对的是不同的原因：
#
# | 办法 | 针对的问题 | 本课程中的位置 |
# |---|---|---|
# | 梯度裁剪 | 某一步大得离谱（罕见的巨大梯度） | - |
# | 学习率预热 | 最初几步：Adam 的二阶矩估计还不准，且 Post-LN 会放大更新 | 第 3 节；notebook [03](03_transformer_residual_layernorm.ipynb) |
# | QK-norm | 注意力 logits 不断增长，直到注意力变成 one-hot | 第 6 节 |
# | z-loss | 输出 logits 漂移（`log Z` 远离 0） | 第 6 节 |
# | 从约 100 步之前的检查点重启，并跳过约 200-500 个批次（PaLM） | 梯度裁剪没能阻止的尖峰 | - |
# | Pre-LN、重新加权的残差（DeepNorm）、三明治 / 输出归一化 | 残差流和更新量随深度的增长 | 第 3-5 节 |
#
# 这些办法都不能保证万无一失，只是大规模训练中报告过有效的做法。预热和梯度裁剪作用于优化器；QK-norm、z-loss 和归一化的位置改变的是模型。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10. 超越 `x + F(x)`：超连接
#
# 人们如今也在重新审视残差求和本身。超连接（Hyper-Connections，Zhu 等人，2024，arXiv:2409.19606；ICLR 2025）把残差流拓宽成 `n` 份副本，用可学习的权重取代固定的 `x + F(x)`：副本之间如何混合，副本如何组合成子层的输入，子层的输出如何写回每份副本（权重可以是静态的，也可以由输入预测）。以模仿 Pre-LN 的方式初始化时，他们报告在大模型预训练中（稠密模型和混合专家模型）损失低于普通残差，在视觉任务上也有提升。不加约束的混合可能丢掉普通残差安全的根本，也就是恒等路径：许多个学到的混合矩阵相乘，可能让信号变大或变小。mHC（“Manifold-Constrained Hyper-Connections”，Xie 等人，DeepSeek-AI，arXiv:2512.24880，2025 年 12 月）把混合矩阵约束为双随机矩阵（doubly stochastic matrix：元素非负，每行每列之和为 1，用 Sinkhorn-Knopp 迭代计算），这个集合对乘法封闭，所以多层复合之后仍然有界；他们报告在最高 27B 参数的规模上训练稳定。DeepSeek-V4（2026）用 mHC 取代了普通的残差求和（见其 Hugging Face Transformers 文档）；其他大多数开源模型仍保留 `x + F(x)`。这里不做测量。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 11. 时间线
#
# | 年份 | 论文 | 一句话概括 | 应用 |
# |---|---|---|---|
# | 2016 | 何恺明、张祥雨、任少卿、孙剑，*Deep residual learning*（CVPR） | 恒等捷径 `x + F(x)` | ResNet；所有 Transformer |
# | 2016 | 何恺明、张祥雨、任少卿、孙剑，*Identity mappings*（ECCV） | 让捷径保持纯粹的恒等映射，在分支内部做归一化 | ResNet v2；Pre-LN 的原型 |
# | 2016 | Ba、Kiros 和 Hinton，*Layer normalization* | 对每个样本在其特征维度上做归一化 | RNN；Transformer |
# | 2016 | Veit、Wilber 和 Belongie（NeurIPS） | 残差网络的表现像浅路径的集成 | 分析（第 1 节） |
# | 2017 | Balduzzi 等人（ICML） | 深的普通网络会让梯度破碎；捷径让梯度保持相关 | 分析（第 2 节） |
# | 2017 | Vaswani 等人（NeurIPS） | 采用 Post-LN 的 Transformer | 原始 Transformer；BERT |
# | 2018-2019 | tensor2tensor（Vaswani 等人，2018）；Baevski 和 Auli（2019）；Wang 等人（2019） | 在每个子层的输入处做归一化（Pre-LN） | 深层翻译模型和语言模型 |
# | 2019 | Radford 等人，GPT-2 | Pre-LN 加最后的归一化层 | GPT-2 及其后继者 |
# | 2019 | Zhang 和 Sennrich（NeurIPS） | RMSNorm：只缩放，不中心化 | LLaMA 和大多数开源大模型 |
# | 2019 | Zhang、Dauphin 和 Ma（ICLR） | Fixup：靠初始化训练不带归一化的深层 ResNet | 研究 |
# | 2020 | Xiong 等人（ICML） | 初始化时 Post-LN 靠近输出层的梯度很大；在他们的 BERT 和翻译实验中，Pre-LN 不预热也能训练 | 对预热的一种解释（notebook 03） |
# | 2020 | Liu 等人（EMNLP） | 与 Xiong 等人观点相左：原因不是不均衡的梯度，而是放大效应，即 Post-LN 倚重自己的分支；Admin 初始化 | 与之竞争的解释（第 3 节） |
# | 2020 | Brown 等人，GPT-3 | 175B 参数的 Pre-LN，仍然预热 | 大型 Pre-LN 模型同样预热 |
# | 2020 | Bachlechner 等人 | ReZero：`x + α·F(x)`，初始化时 `α = 0`，不用归一化 | 研究 |
# | 2020 | De 和 Smith（NeurIPS） | SkipInit：在 ResNet 中用一个零初始化的标量取代批归一化 | 研究 |
# | 2020 | Henry 等人（Findings of EMNLP） | QK-norm：对 query 和 key 做归一化 | ViT-22B；OLMo 2 |
# | 2021 | Ding 等人，CogView（NeurIPS） | 在每个子层前后加三明治 LayerNorm | CogView；Gemma 2 的归一化位置 |
# | 2021 | Wang 和 Komatsuzaki，GPT-J | 注意力和 MLP 并行，共用一个归一化 | GPT-J；PaLM；ViT-22B（第 8 节） |
# | 2022 | Wang 等人，DeepNet | DeepNorm：`LN(α·x + G(x))`，配合 `β` 缩放的初始化；1000 层，训练配置仍然预热 | GLM-130B |
# | 2022 | Chowdhery 等人，PaLM | 并行块、z-loss；用重启和跳过批次应对损失尖峰 | PaLM（第 6、8、9 节） |
# | 2022 | Dettmers 等人，LLM.int8()（NeurIPS） | 约 6.7B 参数起出现离群特征；离群维度用 16 位 | INT8 推理（第 7 节） |
# | 2023 | Touvron 等人，LLaMA | 前置 RMSNorm，预热 2,000 步 | LLaMA 系列；Mistral、Qwen、DeepSeek-V3 用同样的块 |
# | 2023 | Dehghani 等人，ViT-22B（ICML） | 大规模下用 QK-norm 给注意力 logits 加上界 | ViT-22B |
# | 2023 | Xiao 等人，SmoothQuant（ICML） | INT8 量化前把激活的离群值转移到权重中 | INT8 推理（第 7 节） |
# | 2023 | Wortsman 等人 | 在小模型中复现注意力 logits 增长和输出 logits 发散 | 分析（第 6 节） |
# | 2024 | OLMo Team，OLMo 2 | 只在每个子层的输出上加 RMSNorm，并加 QK-norm | OLMo 2 |
# | 2024 | Sun 等人 | 超大激活：少数几个值可达其余值的约 100,000 倍，起偏置的作用 | 分析（第 7 节） |
# | 2024 | Zhu 等人，Hyper-Connections（ICLR 2025） | 用学到的权重混合 `n` 份残差副本，取代 `x + F(x)` | 研究（第 10 节） |
# | 2025 | Xie 等人（DeepSeek-AI），mHC | 用双随机矩阵做混合的超连接 | DeepSeek-V4（第 10 节） |
# | 2025 | Kim 等人，Peri-LN（ICML） | 解释为什么在每个子层前后（输入和输出）加归一化有帮助 | 对 Gemma 式归一化位置的分析 |
# | 2025 | Zhu 等人，DyT（CVPR） | 用 `tanh(α·x)` 取代归一化 | 研究（第 5 节） |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 动手探索
#
# 从删块实验中训练好的网络里选出要删掉的块（按住 Ctrl 或 Shift 可以多选），看残差网络和普通网络的测试误差：3 个随机种子上的中位数与最小–最大范围。先删一个块，再删四个，最后删掉全部八个：残差网络的性能缓慢下降；而对普通网络，任何一次删层的伤害都大于残差网络的任何一次删块，中位数接近随机猜测水平。紧接着的这张图是删掉第 3 和第 6 个块时的状态，不需要内核就能显示。

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_lesion_explorer, deleted=(2, 5), seeds=SEEDS[:3])

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_lesion_explorer(seeds=SEEDS[:3])
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 原文核查
#
# 原文中与本 notebook 的测量有关的说法：
#
# | 原文的说法 | 结论 | 依据 |
# |---|---|---|
# | 残差连接跨越若干层，“梯度可以直接传递到浅层网络” | **对，但不完整** | 残差网络还表现得像一个以短路径为主的集成（[第 1 节](#1.-残差网络是路径的集成)），并让梯度保持相关，而不只是够大（[第 2 节](#2.-梯度破碎)） |
# | 残差连接“使得模型能够深入学习” | **半对** | 在 Post-LN 中，深度会放大权重的小变化（[第 3 节](#3.-Post-LN-中的放大效应)）；在 3 层 Post-LN 按中位数能学会的学习率下，6 层的停在随机猜测水平，除非挪动归一化位置（Pre-LN），或让分支从小或从零开始（DeepNorm、ReZero）（[第 4 节](#4.-重新加权的残差：ReZero、SkipInit、Fixup、DeepNorm)）；实践中即便如此也保留预热（DeepNet 论文的训练配置仍然使用） |
# | 层归一化“提高训练稳定性” | **半对** | 这取决于它放在哪里：正是 Post-LN 让深层 Transformer 变得脆弱（[第 3 节](#3.-Post-LN-中的放大效应)），原因尚有争议（Xiong 等人与 Liu 等人）；Pre-LN 更稳定，但大型 Pre-LN 模型（GPT-3、LLaMA）仍然预热 |
# | 残差和层归一化是“Transformer 的关键”（原文标题） | **半对** | 没有捷径，深的网络训练得比浅的还差（退化问题，见 notebook [01](01_residual_connections.ipynb)），训练好的残差网络删掉块还能工作，普通网络则不行（[第 1 节](#1.-残差网络是路径的集成)）；但让分支从零开始（ReZero，[第 4 节](#4.-重新加权的残差：ReZero、SkipInit、Fixup、DeepNorm)）就可以去掉层归一化，也可以用 tanh 代替它（DyT，[第 5 节](#5.-当前大模型的做法，以及-Dynamic-Tanh)），尽管大多数大模型保留了归一化（前置 RMSNorm） |
# | 原文的 Transformer 代码先做归一化：`x = norm1(x); x = attn(x); x = x + x` | **错** | 现代模型确实先做归一化，但保留残差流：`x = x + attn(norm1(x))`（[第 5 节](#5.-当前大模型的做法，以及-Dynamic-Tanh)；这个 bug 本身见 notebook [03](03_transformer_residual_layernorm.ipynb)） |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 练习
#
# 每个答题单元格一开始都是 `answer = ...`；把 `...` 换成你的答案，运行单元格即可立即得到反馈。`hint(key)` 给出提示。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 1**。一个网络有 10 个残差块。它从输入到输出的路径中，有多少条恰好经过 3 个残差分支？（答案是一个整数。）

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.paths", answer)

# %% slideshow={"slide_type": "-"}
hint("05.paths")

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？取消下一行的注释并运行，就能看到一个参考答案。

# %% slideshow={"slide_type": "-"}
# solution("05.paths")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 2**。给出 18 层纯编码器 Transformer 的 DeepNorm 常数 `(alpha, beta)`，写成一对数。

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.deepnorm", answer)

# %% slideshow={"slide_type": "-"}
hint("05.deepnorm")

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？取消下一行的注释并运行，就能看到一个参考答案。

# %% slideshow={"slide_type": "-"}
# solution("05.deepnorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **练习 3**。把 Dynamic Tanh 写成一个作用于 PyTorch 张量的函数 `dyt(x, alpha, weight, bias)`（`alpha` 的形状是 `(1,)`，`weight` 和 `bias` 的形状是 `(d,)`，`x` 的形状是 `(..., d)`），然后令 `answer = dyt`。

# %% slideshow={"slide_type": "-"}
answer = ...
check("05.dyt", answer)

# %% slideshow={"slide_type": "-"}
hint("05.dyt")

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？取消下一行的注释并运行，就能看到一个参考答案。

# %% slideshow={"slide_type": "-"}
# solution("05.dyt")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 面试答题卡
#
# ### 15 秒版
#
# 残差连接不只是让梯度传回浅层：残差网络的表现像许多短路径组成的集成；它还让对输入的梯度保持相关，而深的普通网络会出现梯度破碎。归一化放在哪里，决定了深层 Transformer 有多脆弱；今天的大模型大多采用前置归一化，归一化层用 RMSNorm。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 秒版：三个要点
# 1. **路径集成；梯度保持相关**。`n` 个残差块展开后有 `2^n` 条路径；删掉训练好的残差网络中的一个块，误差几乎不变，而删掉普通网络的任意一层，误差都升得更多，中位数接近随机猜测水平（Veit 等人，2016）。另外，捷径连接还让对输入的梯度在相邻输入之间保持相关，而深的普通网络会出现梯度破碎（Balduzzi 等人，2017）。
# 2. **Post-LN 会放大小的参数更新；它训练不稳定的原因有争议**。在 Post-LN 中，一次小的更新带来的输出变化的平方随层数 `N` 线性增长（变化本身约按 `sqrt(N)` 增长），Pre-LN 只按 `log N` 增长（Liu 等人，2020；本课的玩具实验中，Post-LN 的指数约为 1，Pre-LN 明显更慢）。Liu 等人把不稳定归因于这种放大；Xiong 等人（2020）则归因于靠近输出层的梯度过大，Liu 等人认为这并不是根本原因。
# 3. **解决办法与现状**。用 Pre-LN、对残差重新加权（DeepNorm、ReZero、Fixup），或者学习率预热；本课的玩具实验中，DeepNorm 起作用的是缩小初始分支的 `β`，而不是加强捷径的 `α`。不预热也能训练，只是特定设置下的结论（Xiong 等人的 BERT 和翻译实验中的 Pre-LN，以及本课玩具实验中的 Pre-LN 和 DeepNorm）；GPT-3、LLaMA（2,000 步）和 DeepNet 论文的训练配置都仍然预热。多数开源大模型（LLaMA、Mistral、Qwen、DeepSeek-V3）用的是普通的前置 RMSNorm；Gemma 2 在子层前后都加归一化（三明治归一化），OLMo 2 只对子层输出做归一化，并加上 QK-norm。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问：残差与预热
# **问**：为什么删掉训练好的 ResNet 中的一个块几乎没有影响？**答**：它的 `2^n` 条路径像一个以短路径为主的集成；普通网络只有一条路径，删掉任意一层，误差都升得多得多（Veit 等人，2016）。
#
# **问**：残差连接解决了梯度消失，为什么深层 Post-LN 还需要预热？**答**：Liu 等人（2020）认为是放大效应：输出变化的平方随层数 `N` 增长；Xiong 等人（2020）归因于靠近输出层的大梯度，Liu 等人不认为这是根本原因。
#
# **问**：用了 Pre-LN（或 DeepNorm）就不需要预热了吗？**答**：一般来说不是：Pre-LN 在 Xiong 等人的 BERT 和翻译实验里不预热也能训练，但 GPT-3、LLaMA（2,000 步）和 DeepNet 论文的训练配置都仍然使用学习率预热。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问：大模型中的归一化
# **问**：现在的大模型用什么归一化？**答**：大多是普通的前置 RMSNorm（LLaMA、Mistral、Qwen、DeepSeek-V3）；Gemma 2 在子层前后都加归一化，OLMo 2 只对子层输出做归一化，并加上 QK-norm，其作者用它来限制注意力 logits。
#
# **问**：为什么要除以 `sqrt(d_k)`？QK-norm 又解决什么问题？**答**：`q·k` 的方差是 `d_k`，不缩放的话，头越大，softmax 越容易饱和；训练中 `W_q`、`W_k` 变大时，logits 仍会按 `s²` 增长，直到注意力变成 one-hot。QK-norm 先对 `q` 和 `k` 做层归一化，不管权重多大，logits 都有上界。
#
# **问**：混合精度训练时，为什么归一化要用 float32 计算？**答**：归一化的统计量要对激活值求平方：几百大小的值平方后就超过 float16 的上限 65504，方差变成 `inf`；所以 autocast 把 `layer_norm`（以及 `rms_norm`）保留在 float32 下计算。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# 论文标题保留原文；括号中注明与本 notebook 相关的图、表、章节。
#
# - Veit, Wilber, Belongie (2016). *Residual Networks Behave Like Ensembles of Relatively Shallow
#   Networks.* NeurIPS.（图 3 和图 5：删除和重排块；图 6：各路径长度上的梯度；对应本 notebook 第 1 节。）
# - Balduzzi, Frean, Leary, Lewis, Ma, McWilliams (2017). *The Shattered Gradients Problem: If
#   resnets are the answer, then what is the question?* ICML.（图 1-2：普通网络和残差网络对输入的梯度；第 2 节。）
# - Liu, Liu, Gao, Chen, Han (2020). *Understanding the Difficulty of Training Transformers.*
#   EMNLP.（第 3 节：不均衡的梯度不是根本原因；第 4 节：放大效应，输出变化的平方对 Post-LN 为 `O(N)`，对 Pre-LN 为 `O(log N)`；本 notebook 第 3 节。）
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.（定理 1、图 3：初始化时靠近输出层的梯度；在 BERT 和翻译任务中不预热训练 Pre-LN。）
# - Bachlechner, Majumder, Mao, Cottrell, McAuley (2020). *ReZero is All You Need: Fast
#   Convergence at Large Depth.* arXiv:2003.04887 (UAI 2021).
# - De, Smith (2020). *Batch Normalization Biases Residual Blocks Towards the Identity Function in
#   Deep Networks.* NeurIPS.（SkipInit。）
# - Zhang, Dauphin, Ma (2019). *Fixup Initialization: Residual Learning Without Normalization.* ICLR.
# - Wang, Ma, Dong, Huang, Zhang, Wei (2022). *DeepNet: Scaling Transformers to 1,000 Layers.*
#   arXiv:2203.00555.（DeepNorm；纯编码器模型的常数；其训练配置使用学习率预热；第 4 节。）
# - Zhang, Sennrich (2019). *Root Mean Square Layer Normalization.* NeurIPS.
# - Ding et al. (2021). *CogView: Mastering Text-to-Image Generation via Transformers.* NeurIPS.（三明治 LayerNorm。）
# - Henry, Dachapally, Pawar, Chen (2020). *Query-Key Normalization for Transformers.* Findings of EMNLP.
# - Dehghani et al. (2023). *Scaling Vision Transformers to 22 Billion Parameters.* ICML.（QK-norm。）
# - Touvron et al. (2023). *LLaMA: Open and Efficient Foundation Language Models.* arXiv:2302.13971.（第 2 节：用 RMSNorm 的前置归一化；预热 2,000 步。）
# - Brown et al. (2020). *Language Models are Few-Shot Learners.* NeurIPS.（GPT-3：沿用 GPT-2 的前置归一化；在前 3.75 亿个 token 上线性预热。）
# - Jiang et al. (2023). *Mistral 7B.* arXiv:2310.06825. Yang et al. (2024). *Qwen2 Technical
#   Report.* arXiv:2407.10671. DeepSeek-AI (2024). *DeepSeek-V3 Technical Report.*
#   arXiv:2412.19437.（用 RMSNorm 的前置归一化。）
# - Gemma Team (2024). *Gemma 2: Improving Open Language Models at a Practical Size.*
#   arXiv:2408.00118.（第 2 节：在每个子层的输入和输出上用 RMSNorm；logit 软截断。）
# - Vaswani et al. (2018). *Tensor2Tensor for Neural Machine Translation.* AMTA. Baevski, Auli
#   (2019). *Adaptive Input Representations for Neural Language Modeling.* ICLR. Wang et al.
#   (2019). *Learning Deep Transformer Models for Machine Translation.* ACL.（GPT-2 之前的 Pre-LN。）
# - OLMo Team (2024). *2 OLMo 2 Furious.* arXiv:2501.00656.（重排归一化：只在每个子层的输出上用 RMSNorm，`x + RMSNorm(F(x))`；QK-norm。）
# - Zeng et al. (2023). *GLM-130B: An Open Bilingual Pre-trained Model.* ICLR.（DeepNorm。）
# - Kim et al. (2025). *Peri-LN: Revisiting Normalization Layer in the Transformer Architecture.* ICML.
# - Zhu, Chen, He, LeCun, Liu (2025). *Transformers without Normalization.* CVPR.（Dynamic Tanh；图 2-4：LayerNorm 输入与输出之间的 S 形映射；第 5 节。）
# - Wortsman et al. (2023). *Small-scale proxies for large-scale Transformer training
#   instabilities.* arXiv:2309.14322 (ICLR 2024).（小模型中的注意力 logits 增长和输出 logits 发散；解决办法是 QK-layernorm 和 z-loss；第 6 节。）
# - Chowdhery et al. (2022). *PaLM: Scaling Language Modeling with Pathways.* arXiv:2204.02311
#   (JMLR 2023).（第 2 节：并行层，训练快约 15%；第 5 节：z-loss；第 5.1 节：损失尖峰、重启和跳过批次；本 notebook 第 6、8、9 节。）
# - Wang, Komatsuzaki (2021). *GPT-J-6B: A 6 Billion Parameter Autoregressive Language Model.*（注意力与前馈并行；第 8 节。）
# - Dettmers, Lewis, Belkada, Zettlemoyer (2022). *LLM.int8(): 8-bit Matrix Multiplication for
#   Transformers at Scale.* NeurIPS.（第 4 节：离群特征最大可达 20 倍，约 6.7B 参数起出现在所有层；第 7 节。）
# - Sun, Chen, Kolter, Liu (2024). *Massive Activations in Large Language Models.*
#   arXiv:2402.17762 (COLM 2024).（第 7 节。）
# - Xiao, Lin, Seznec, Wu, Demouth, Han (2023). *SmoothQuant: Accurate and Efficient
#   Post-Training Quantization for Large Language Models.* ICML.（逐通道平滑，迁移强度 0.5；第 7 节。）
# - PyTorch 文档，*Automatic Mixed Precision package - torch.amp*，autocast 算子参考（“CUDA Ops that can autocast to float32”：`layer_norm` 等）。（第 7 节。）
# - Zhu, Huang, Huang, Zeng, Mao, Wu, Min, Zhou (2024). *Hyper-Connections.* arXiv:2409.19606
#   (ICLR 2025). Xie, Wei, Cao et al. (DeepSeek-AI) (2025). *mHC: Manifold-Constrained
#   Hyper-Connections.* arXiv:2512.24880. Hugging Face Transformers 文档，*DeepSeek-V4*（用 mHC 取代残差连接）。（第 10 节。）
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2016）. *Deep Residual Learning for Image
#   Recognition.* CVPR；以及 *Identity Mappings in Deep Residual Networks.* ECCV.
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Vaswani et al. (2017). *Attention Is All You Need.* NeurIPS. Devlin et al. (2019). *BERT.*
#   NAACL. Radford et al. (2019). *Language Models are Unsupervised Multitask Learners*（GPT-2）.
#   Raffel et al. (2020). *Exploring the Limits of Transfer Learning with a Unified Text-to-Text
#   Transformer*（T5）. JMLR.

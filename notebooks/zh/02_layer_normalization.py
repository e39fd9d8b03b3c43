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
# # 02 · 层归一化：作用是什么，怎么实现
#
# 英文原版：[English](../02_layer_normalization.ipynb)
#
# **题目：** 请描述层规范化的目的，并解释如何实现。（原文写作“层规范化”，本课程统一用“层归一化”。）
#
# 这是中文学习资料的第 2 题。资料的答案把层归一化（LayerNorm）称为一种*正则化*（regularisation）技术，说它对“每个神经元的输入”做缩放，给出的代码还有一处不易察觉的错误。本 notebook 从零实现层归一化，证明它与 PyTorch 的实现完全一致，再逐条测量每个说法：层归一化在哪些维度上归一化，对哪些变换保持不变，对深层网络的激活和梯度有什么影响，以及它*不*做什么。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 简短回答
#
# 一个好的候选人 30 秒内会这样说（每一点下文都有测量）：

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **是什么：** 对每个样本（每个 token），在它自己的 `d` 个特征上：减去均值，除以 `sqrt(var + eps)`，其中方差用*有偏*（biased）估计（除以 `d`），再乘上可学习的缩放参数（gain）γ、加上平移参数（bias）β。γ 和 β 每个特征一个（长度为 `d` 的向量，不是标量）。
# - **为什么：** 它把每一层输入的尺度固定下来，激活就不会随深度漂移。在前置归一化（Pre-LN）的残差堆叠中，残差流（residual stream）以及传回输入端的梯度因此只按深度的平方根 `sqrt(depth)` 增长，而不是指数增长。它的作用主要在*优化*上，而不是正则化：它是确定性的，训练和推理时完全一样，不引入噪声。不过它仍然影响泛化：配合权重衰减（weight decay）时，对输出直接送入归一化的权重，它决定了这些权重的有效学习率（effective learning rate）；γ 和 β 本身也可能加重过拟合。
# - **与批归一化（BatchNorm）相比：** 统计量来自单个样本，所以批大小（batch size）为 1 也能用（批归一化在训练模式下做不到），不依赖同一批里的其他样本，也不需要滑动统计量（running mean / var）。
# - **归一化的轴：** 对 `(N, C, H, W)` 的图像，批归一化每个通道求一个均值，实例归一化（InstanceNorm）每张图每个通道一个，组归一化（GroupNorm）每张图每组通道一个，层归一化每张图一个；在 Transformer 里，层归一化对每个 token 在它的 `D` 个特征上求一个。
# - **缩放参数和平移参数：** 它们把逐特征的缩放和平移还给网络（初始化为 1 和 0）。批归一化可以用它们精确地撤销自身（对它所用的那批统计量而言），层归一化却无法恢复每个样本自己的均值和尺度。输出直接进入归一化的权重具有尺度不变性（scale invariance）：它们的梯度与自身正交，所以 SGD 会让它们的范数不断增大、有效学习率不断下降，除非权重衰减把它们拉住；γ 和 β 本身通常不做权重衰减。
# - **不变性：** 按 Ba 等人（2016）的表 1，对单个样本、整个数据集或该层权重矩阵的缩放保持不变，对权重矩阵每一行加上同一个向量也保持不变；对每个样本加上同一个向量则不然。
# - **它不做什么：** 它不能替代残差网络中恒等映射（identity mapping）的通路。普通网络（plain network）在 PyTorch 默认初始化下的梯度消失（vanishing gradients）是初始化问题，不用归一化、只用何恺明初始化（He initialisation）就能解决；捷径连接（shortcut）真正带来的是什么，要看退化问题（degradation problem，见 notebook 01）和梯度破碎（shattered gradients，见 notebook 05）。它也不会降低梯度的小批量（mini-batch）噪声，那由批大小决定。
# - **实现上的坑：** `x.var()` 算的是*无偏*（unbiased）方差：输出会缩小为正确值的 `sqrt((d-1)/d)` 倍，`d = 1` 时为 NaN；`eps` 要放在根号里面。
# - **均方根归一化（RMSNorm）** 去掉了减均值和平移参数 β：只算一个统计量而不是两个，更省计算，除了重新中心化（re-centering）之外不变性都相同。

# %% slideshow={"slide_type": "skip"}
import inspect
import math

import numpy as np
import torch
from torch import nn

import resnorm
from resnorm.data import reference_citation
from resnorm.exercises import check, hint, solution
from resnorm.experiments.affine_identity import run_affine_identity
from resnorm.experiments.batch_vs_layer import run_batch_vs_layer
from resnorm.experiments.gradient_noise import run_gradient_noise
from resnorm.experiments.invariance import published_table, run_invariance
from resnorm.experiments.layernorm_eps import run_layernorm_eps
from resnorm.experiments.norm_axes import run_norm_axes
from resnorm.experiments.norm_cost import LayerNormCentredOnce, run_norm_cost
from resnorm.experiments.norm_depth import (
    MEAN_REMOVAL_ABLATION,
    MEAN_REMOVAL_FACTOR,
    NORM_CONFIGS,
    mean_field_rate,
    run_norm_depth,
)
from resnorm.experiments.scale_invariance import run_norm_gradient, run_scale_invariance
from resnorm.experiments.source_layernorm import run_source_layernorm
from resnorm.experiments.torch_equality import run_torch_equality
from resnorm.figures.layer_normalization import (
    EXPLORER_DEFAULTS,
    draw_layernorm_explorer,
    make_layernorm_explorer,
    plot_batch_dependence,
    plot_batch_vs_layer,
    plot_eps,
    plot_gradient_noise,
    plot_invariance,
    plot_mean_removal,
    plot_norm_cost,
    plot_norm_axes,
    plot_norm_depth,
    plot_scale_invariance,
    plot_source_error,
)
from resnorm.norms import LayerNorm, RMSNorm
from resnorm.widgets import static_figure

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(5)  # 下面每个实验的随机种子都取自这里


def sig(value: float, digits: int = 2) -> str:
    """把 ``value`` 保留 ``digits`` 位有效数字；数字较短时不用科学计数法。"""
    return f"{float(f'{value:.{digits}g}'):g}"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. 从零实现
#
# 对一个有 `d` 个特征的向量 `x`（一个样本，或序列中的一个 token）：
#
# $$\mu = \frac1d\sum_i x_i,\qquad \sigma^2 = \frac1d\sum_i (x_i-\mu)^2,\qquad
# \mathrm{LN}(x)_i = \gamma_i\,\frac{x_i-\mu}{\sqrt{\sigma^2+\epsilon}} + \beta_i .$$
#
# 课程自己的版本 `resnorm.norms.LayerNorm` 就是下面三行：

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(LayerNorm.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# 缩放参数 $\gamma$ 和平移参数 $\beta$ 都是向量，每个特征一个元素。原文说的是“一个可学习的标量和偏移量”，而它自己的代码和 PyTorch 一样，用的都是向量。（这是一个演示：下面的检查读取的是 PyTorch 模块自身的参数形状。）

# %% slideshow={"slide_type": "fragment"}
shapes = {name: tuple(p.shape) for name, p in nn.LayerNorm(64).named_parameters()}
print("nn.LayerNorm(64) 的参数：", shapes)
assert shapes == {"weight": (64,), "bias": (64,)}, "缩放参数和平移参数是逐特征的向量"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 与 `torch.nn.LayerNorm` 一致：前向和反向都一样
#
# 输入相同（`3·N(0,1) + 2`，不是已经归一化过的数据），随机的缩放参数和平移参数相同，上游梯度也相同；宽度取 8、64 和 512，三个随机种子（seed）。我们比较输出、对输入的梯度，以及对缩放参数和平移参数的梯度。均方根归一化（第 5 节）和原文的实现也用同样的方法检查。

# %% slideshow={"slide_type": "fragment"}
equality = run_torch_equality(dims=(8, 64, 512), seeds=SEEDS[:3])
print("在 d = 8、64、512 和 3 个随机种子上，|我们的实现 - PyTorch| 的最大值：")
print(f"{'':33s} {'输出':>6s} {'dL/dx':>8s} {'dL/dgain, dL/dbias':>20s}")
for label in equality.labels:
    worst = equality.worst(label)
    cells = [("< 1e-5" if v < 1e-5 else sig(v, 1)) for v in worst.values()]
    print(f"{label:33s} {cells[0]:>8s} {cells[1]:>8s} {cells[2]:>20s}")

for label in ("LayerNorm vs nn.LayerNorm", "RMSNorm vs nn.RMSNorm"):
    assert max(equality.worst(label).values()) < 1e-5, f"{label}：应在 float32 舍入误差范围内一致"
source_worst = equality.worst("SourceLayerNorm vs nn.LayerNorm")
assert min(source_worst.values()) > 1e-3, "原文的实现应有明显差异"
assert not equality.allclose[equality.labels.index("SourceLayerNorm vs nn.LayerNorm")].any()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 原文的实现用错了方差
#
# 原文写的是 `var = x.var(-1, keepdim=True)`。PyTorch 的 `Tensor.var` 是*无偏*估计：除以 `d - 1`。而 Ba 等人（2016）定义的层归一化和 `nn.LayerNorm` 都除以 `d`。所以原文除的数略大，输出是正确输出的 `sqrt((d-1)/d)` 倍：相对误差为 `1 - sqrt((d-1)/d) ≈ 1/(2d)`。`d = 1` 时，无偏方差是 `0/0`。

# %% slideshow={"slide_type": "fragment"}
source = run_source_layernorm(dims=(8, 64, 512), seeds=SEEDS[:3])
print(f"{'d':>5s} {'实测误差':>11s} {'1 - sqrt((d-1)/d)':>18s} {'allclose（默认容差）':>24s}")
for d, measured, predicted, close in zip(source.dims, source.relative_error, source.predicted, source.allclose):
    print(f"{d:5d} {sig(100 * np.median(measured)):>14s}% {sig(100 * predicted):>17s}% {str(close.any()):>30s}")
print(f"d = 1：原文实现对全部 {source.d1_source.size} 个样本的输出都是 {np.unique(source.d1_source)}；"
      f"我们的实现输出 {np.unique(source.d1_ours)}（即平移参数 β）")

assert np.allclose(source.relative_error, source.predicted[:, None], rtol=1e-3), "误差 = 1 - sqrt((d-1)/d)"
assert not source.allclose.any(), "默认容差下与 nn.LayerNorm 的 allclose 比较从不通过，d = 512 时也一样"
assert np.isnan(source.d1_source).all() and np.isfinite(source.d1_ours).all()

# %% slideshow={"slide_type": "subslide"}
_ = plot_source_error(source)

# %% [markdown] slideshow={"slide_type": "-"}
# 在 Transformer 常见的宽度下，这个误差很小（`d = 512` 时为 0.1%），所以它才一直没被发现：模型照样能训练。但这一层已经不是层归一化了：用一种实现训练出的权重，换成另一种实现后输出就不同；用 `torch.allclose` 的默认容差（`rtol=1e-5`、`atol=1e-8`）对照 `nn.LayerNorm` 做单元测试，每种宽度都会失败（放宽到 `rtol=1e-3` 时，`d = 512` 能通过）。修复只需一个参数：`x.var(-1, keepdim=True, correction=0)`。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 为什么要有 `eps`，又为什么放在根号里
#
# 没有 `eps` 时，一个所有特征都相等的向量方差为 0，层归一化要计算 `0/0`。加上 `eps`，除法就有定义了，而按 `1/sqrt(var + eps)` 缩放的梯度也有了上限。代价是：标准差小于 `sqrt(eps)` 的输入不再被归一化到 1。我们把输入的尺度从 `1e2` 一直缩小到 `1e-6`（宽度 64，三个随机种子），对比三个 `eps` 取值。

# %% slideshow={"slide_type": "-"}
eps_result = run_layernorm_eps(scales=np.logspace(-6, 2, 17), eps_values=(0.0, 1e-5, 1e-3), seeds=SEEDS[:3])
_ = plot_eps(eps_result)

# %% slideshow={"slide_type": "fragment"}
std_default_tiny = eps_result.at("output_std", 1e-5, 1e-4)
grad_no_eps = eps_result.at("input_grad", 0.0, 1e-6) / eps_result.at("input_grad", 0.0, 1.0)
grad_default = eps_result.input_grad[1].max() / eps_result.at("input_grad", 1e-5, 1.0).min()
print(f"eps = 1e-5，输入标准差 1e-4：输出标准差 {sig(np.median(std_default_tiny))}"
      f"（预测值 1e-4 / sqrt(1e-8 + 1e-5) = {sig(1e-4 / math.sqrt(1e-8 + 1e-5))}）")
print(f"eps = 0：输入标准差从 1 降到 1e-6，输入梯度增大 {sig(np.median(grad_no_eps), 1)} 倍")
print(f"eps = 1e-5：最多增大 {sig(grad_default, 1)} 倍（约为 1/sqrt(1e-5) = 316）")
for eps, finite in zip(eps_result.eps_values, eps_result.constant_input_finite):
    print(f"常数输入向量，eps = {eps:g}：{'输出有限' if finite else '输出为 NaN'}")

assert np.all(np.abs(std_default_tiny - 1e-4 / math.sqrt(1e-8 + 1e-5)) < 0.003), "eps 压低了极小输入的输出"
assert np.all(eps_result.at("output_std", 1e-5, 1.0) > 0.99), "普通尺度的输入照常归一化"
assert np.all(grad_no_eps > 1e5), "没有 eps 时，梯度按 1/std 增长"
assert grad_default < 1e3, "有 eps 时，梯度上限约为 1/sqrt(eps)"
assert list(eps_result.constant_input_finite) == [False, True, True]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### “归一化”不等于“标准正态”
#
# 原文说层归一化把输入“缩放到一个标准正态分布”。实际上它只让每个向量的均值为 0、方差为 1。它对每个向量做的是仿射变换，所以数值分布的*形状*不变：偏斜的向量归一化后偏斜程度完全一样。下面取 512 个服从指数分布的特征，其偏度（skewness）为 2。第一个检查是演示（仿射变换不可能改变偏度）；第二个检查说明输出离正态分布有多远：

# %% slideshow={"slide_type": "fragment"}
def skewness(t: torch.Tensor) -> torch.Tensor:
    """每一行的偏度：正态分布这类对称分布为 0。"""
    centred = t - t.mean(-1, keepdim=True)
    return centred.pow(3).mean(-1) / centred.pow(2).mean(-1).pow(1.5)


uniform = torch.rand(8, 512, generator=torch.Generator().manual_seed(SEEDS[0]))
skewed = -torch.log(uniform)  # 指数分布样本
normalised = LayerNorm(512)(skewed).detach()
print(f"每个样本的偏度（中位数），归一化前：{sig(skewness(skewed).median().item())}，"
      f"层归一化后：{sig(skewness(normalised).median().item())}（正态分布为 0）")
assert torch.allclose(skewness(normalised), skewness(skewed), atol=1e-3), "层归一化保持分布的形状"
assert skewness(normalised).min() > 1, "输出远不是正态分布"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. 层归一化和批归一化各在哪些轴上归一化
#
# 一层在一个批上的激活构成一个 `(batch, d)` 矩阵。**层归一化**沿*行*取统计量：一个样本的全部特征。**批归一化**（Ioffe 和 Szegedy，2015）沿*列*取统计量：一个特征在整批中的所有样本。原文的描述“对于每个神经元的输入，计算其均值和方差”是按神经元计算的：这是批归一化的视角，不是层归一化的。下面是一个 8 个样本、12 个特征的批，各特征的均值和尺度都不同。第一个检查是演示（每种归一化都按自己的公式、在自己的轴上工作）；第二个检查测量它在另一条轴上留下了什么。

# %% slideshow={"slide_type": "subslide"}
batch = run_batch_vs_layer(seeds=SEEDS[:3], d=12, batch_size=8, n_batches=30)
_ = plot_batch_vs_layer(batch)

# %% slideshow={"slide_type": "fragment"}
ln_rows_ok = batch.ln_example_mean.max() < 1e-5 and batch.ln_example_std.max() < 1e-3
bn_columns_ok = batch.bn_feature_mean.max() < 1e-5 and batch.bn_feature_std.max() < 1e-3
print(f"层归一化：每个样本（行）的均值为 0、标准差为 1：{ln_rows_ok}；"
      f"各特征（列）|均值| 的最大值：不小于 {sig(batch.ln_feature_mean.min())}")
print(f"批归一化：每个特征（列）的均值为 0、标准差为 1：{bn_columns_ok}；"
      f"各样本（行）|均值| 的最大值：不小于 {sig(batch.bn_example_mean.min())}")
assert ln_rows_ok and bn_columns_ok
assert batch.ln_feature_mean.min() > 0.3 and batch.bn_example_mean.min() > 0.1, "每种归一化只归一化自己的轴"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 批大小为 1，以及训练与推理
#
# 层归一化的统计量来自样本本身，所以一个批只有一个样本也没问题，`model.train()` 和 `model.eval()` 之间也没有任何区别。批归一化在训练模式下无法从单个样本取统计量（会报错；在推理模式下可以运行，用的是滑动统计量），推理时则换成训练中累积的滑动统计量（这里先用 100 个批累积），而它们并不是当前这批数据的统计量。（层归一化的差值为零只是演示：它根本没有随模式变化的代码路径。）

# %% slideshow={"slide_type": "fragment"}
for name, outcome in batch.batch_of_one.items():
    print(f"批大小为 1，经过 {name}：{outcome}")
print(f"|训练模式输出 - 推理模式输出| 的最大值：层归一化 {sig(batch.ln_train_eval_gap.max(), 1)}，"
      f"批归一化不小于 {sig(batch.bn_train_eval_gap.min(), 1)}")
assert batch.batch_of_one["LayerNorm"] == "ok"
assert batch.batch_of_one["BatchNorm (train mode)"].startswith("ValueError")
assert np.all(batch.ln_train_eval_gap == 0), "层归一化：训练模式和推理模式完全相同"
assert np.all(batch.bn_train_eval_gap > 0.3), "批归一化：训练模式和推理模式不同"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 四种归一化，四组轴
#
# 卷积网络的轴更多：一批图像是 `(N, C, H, W)`（样本、通道、行、列），一批 token 序列是 `(B, T, D)`（序列、位置、特征）。每种归一化对它所归约的每一块数求一个均值和一个方差。吴育昕和何恺明（Wu & He, 2018）在图 2 中把这画成了立方体，下面的图是我们自己画的。各种归一化的轴如下：**批归一化**对每个通道，在整批和所有位置上求；**实例归一化**（Ulyanov 等人，2016）对每个样本*和*每个通道，在所有位置上求；**组归一化**（吴育昕和何恺明，2018）对每个样本，在一组 `C/G` 个通道和所有位置上求；**层归一化**对每个样本，在其余所有轴上求。层归一化这里要说准确：对图像，Ba 等人归一化整个层 `(C, H, W)`，每张图一个均值；Transformer 则对每个 token 只在它的 `D` 个特征上归一化，共 `B·T` 个均值。`resnorm.norm_axes` 写明了这些轴；为了验证，我们把一个随机张量交给 PyTorch 的模块（`nn.BatchNorm2d`、`nn.LayerNorm`、`nn.InstanceNorm2d`、`nn.GroupNorm`，以及它们作用于序列 `(B, D, T)` 的一维版本），在输出中搜索处处均值为 0 的最小轴集合。

# %% slideshow={"slide_type": "subslide"}
axes_result = run_norm_axes(image_shape=(4, 6, 5, 5), token_shape=(4, 5, 6), groups=3, seed=SEEDS[0])
_ = plot_norm_axes(axes_result)

# %% slideshow={"slide_type": "fragment"}
print(f"{'':17s} {'PyTorch：均值为 0 的轴':>16s} {'我们的':>7s} {'均值个数：PyTorch':>12s} {'我们的':>3s}")
for key, measured in axes_result.measured_axes.items():
    print(f"{', '.join(key):17s} {', '.join(measured or ('无',)):>22s} {', '.join(axes_result.predicted_axes[key]):>10s} "
          f"{axes_result.measured_count[key]:>17d} {axes_result.predicted_count[key]:>6d}")
for key in axes_result.measured_axes:
    assert axes_result.measured_axes[key] == axes_result.predicted_axes[key], f"{key}：归约的轴"
    assert axes_result.measured_count[key] == axes_result.predicted_count[key], f"{key}：均值个数"
    assert axes_result.largest_mean[key] < 1e-5 and axes_result.largest_std_error[key] < 1e-3, key
assert axes_result.measured_count[("image", "layer")] == 4 and axes_result.measured_count[("tokens", "layer")] == 4 * 5, \
    "层归一化：图像每张一个均值，序列则每个 token 一个"

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch 的模块恰好在表中的轴上取统计量（对输出做穷举搜索：更小的轴集合都不能处处均值为 0）。实例归一化就是每组一个通道的组归一化，图像上的层归一化就是只有一组的组归一化。在 token 序列上，批归一化（训练模式下）、实例归一化和组归一化都会混合不同位置的信息，包括未来的位置；因果语言模型不能用它们，这也是 Transformer 对每个 token 单独做层归一化（或均方根归一化）的又一个原因。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 批归一化为什么被发明：关于内部协变量偏移的争论
#
# Ioffe 和 Szegedy（2015）提出批归一化的动机是*内部协变量偏移*（internal covariate shift）：前面的层在训练中不断变化，每一层输入的分布也跟着变，每一层都在追一个移动的目标；把每个输入的均值和方差固定下来，就是为了消除这一点。Santurkar 等人（2018）检验了这个解释。他们在每个批归一化层*之后*加入均值和方差不断变化的随机噪声，使偏移比不用任何归一化时还大，网络的训练效果却和普通批归一化差不多（他们的图 2）。他们还发现，按他们的度量，批归一化不一定减小偏移；他们认为批归一化真正的作用是让损失曲面更平滑：沿训练路径，损失及其梯度变化得更慢（更好的 Lipschitz 常数和“β-平滑性”，见他们的第 3 节）。这两篇论文讲的都不是层归一化；本 notebook 对层归一化测量的结论要朴素得多：它固定每一层输入的尺度（第 4 节），而给它提供输入的权重因此具有尺度不变性（第 8 节）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. 层归一化对哪些变换保持不变
#
# Ba 等人（2016）的表 1 列出了权重或数据的哪些变化不会改变各种归一化的输出。取一个线性层的加权输入 `a = W x`（`W` 是 `d_out × d_in` 矩阵，第 `i` 行是神经元 `i` 的输入权重；与论文的公式一样，归一化之前没有单独的偏置），后面接一个归一化。如果每个样本归一化后的输出都不变，就说这一层对该变换*不变*。论文表中的六列变换，按我们的实现方式列出如下（`δ > 0` 是一个数，`v` 和 `c` 是向量；`v` 不是缩放参数 `γ`）：
#
# | 变换 | 改变的是什么 |
# |---|---|
# | 权重矩阵缩放（weight matrix re-scaling） | `W → δW` |
# | 权重矩阵重新中心化（weight matrix re-centering） | `W → W + 1vᵀ`：每一行都加上*同一个*向量 `v`，所以每个神经元的加权输入都平移了同一个 `v·x` |
# | 权重向量缩放（weight vector re-scaling） | 第 `i` 行乘以它自己的 `δᵢ`（一个神经元的输入权重） |
# | 数据集缩放（dataset re-scaling） | 每个样本 `x → δx` |
# | 数据集重新中心化（dataset re-centering） | 每个样本 `x → x + c` |
# | 单个训练样本缩放（single training case re-scaling） | 一个样本 `x₀ → δx₀`，其他样本不变 |
#
# 我们对批归一化（训练模式的统计量）、权重归一化（weight normalization；Salimans 和 Kingma，2016：`aᵢ = gᵢ vᵢ·x / ‖vᵢ‖`）、层归一化和均方根归一化测量全部六种变换，每种归一化都带随机的缩放参数和平移参数，`δ = 3`，三个随机种子，再与课程附带的论文原表对照。每个结论都能从公式用代数推出（只要加权输入的方差远大于 `eps`），所以下面两者一致只是一个*演示*：它说明我们的代码和六种变换正是论文的意思，并不是新发现：

# %% slideshow={"slide_type": "-"}
print(reference_citation("ba2016_table1_invariance"))
published = published_table()
invariance = run_invariance(seeds=SEEDS[:3], delta=3.0)

# %% slideshow={"slide_type": "subslide"}
_ = plot_invariance(invariance, published)

# %% slideshow={"slide_type": "fragment"}
ours = invariance.verdicts()
print(f"{'':32s}" + "".join(f"{m:>13s}" for m in invariance.methods))
for name in invariance.transformations:
    print(f"{name:32s}" + "".join(f"{ours[m][name]:>13s}" for m in invariance.methods))
agree = [ours[m][t] == published[m][t] for m in published for t in invariance.transformations]
change = invariance.change
print(f"\n与 Ba 等人（2016）表 1 一致的单元格：{len(agree)} 个中有 {sum(agree)} 个")
print(f"“invariant”单元格：输出的相对变化小于 {invariance.invariant_below:g}；"
      f"“no”单元格：相对变化至少为 {sig(change[change > invariance.changed_above].min(), 1)}")

assert "unclear" not in {v for row in ours.values() for v in row.values()}, "每个单元格都有足够余量来判定"
assert all(agree), "演示：我们的代码复现了论文的表格"
ln_row, rms_row = ours["layer norm"], ours["rms norm"]
assert {t for t in rms_row if rms_row[t] != ln_row[t]} == {"weight matrix re-centering"}, \
    "演示：均方根归一化那一行就是层归一化那一行去掉重新中心化（Zhang 和 Sennrich，2019，表 1）"

# %% [markdown] slideshow={"slide_type": "notes"}
# 我们的测量与论文表格的全部 18 个单元格一致（这是演示：这些结论由代数保证）。第四行均方根归一化出自 Zhang 和 Sennrich（2019）的表 1，结论相同：具有层归一化的所有不变性，只是没有对权重矩阵重新中心化的不变性，因为均方根归一化从不减均值。有两点说明。“不变”只在加权输入的方差远大于 `eps` 时才严格成立：把输入缩小到接近 `sqrt(eps)` 就会打破它（第 1 节）。另外，对*单个*样本缩放的不变性，才是原文那句含糊的“对输入数据的变化更鲁棒”能站得住的含义：如果给每个样本都加上同一个向量，层归一化并不能让网络对此保持鲁棒（数据集重新中心化：“no”）。直接作用于一个向量时，层归一化也不受该向量所有特征都加上同一个常数的影响（见下面探索工具里的 `shift` 滑块）；从一层的加权输入来看，这就是“权重矩阵重新中心化”那一列。把样本平移一个任意向量，则不会被抵消。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. 深层网络中的激活与梯度
#
# 一个 30 块、宽度 64 的 MLP（`resnorm.models.DeepMLP`，ReLU），一个批，一次反向传播，三个随机种子。每个块的分支是 `f(h) = W₂·act(W₁·norm(h) + b₁) + b₂`，与 Transformer 中前馈网络（FFN）子层的形状相同（它的输出来自一个线性层：均值为零，有正有负）。**普通**块计算 `h → f(h)`：归一化位于唯一的通路上，每个块的输入都被归一化。**残差**块计算 `h → h + f(h)`（前置归一化，与 GPT-2 相同）：归一化位于分支的开头，残差流 `h` 本身从不被归一化。后置归一化（Post-LN），即 `norm(h + f(h))`，留到 notebook 03 讨论。其中八种配置用 PyTorch 的默认初始化，此时每个分支都很弱（它返回的方差约为输入方差的 `1/18`）；另外四种在何恺明初始化（偏置为零）下重复普通网络和残差网络，分别不加归一化和加层归一化，此时不带归一化的分支返回的方差与它收到的一样多：

# %% slideshow={"slide_type": "-"}
NORM_CONFIGS

# %% [markdown] slideshow={"slide_type": "-"}
# 我们记录每个隐藏状态 `h` 的均方根（RMS），以及反向传播得到的梯度 `∂L/∂h` 的均方根，这正是通过各块雅可比矩阵（Jacobian）推导所预测的量。隐藏状态指输入层（stem）的输出和之后每个块的输出。

# %% slideshow={"slide_type": "subslide"}
depth_result = run_norm_depth(NORM_CONFIGS, depth=30, width=64, seeds=SEEDS[:3])
_ = plot_norm_depth(depth_result)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **归一化做了什么。** 在 PyTorch 默认初始化下、不带归一化的普通网络里，每个块都让信号变小（一个块返回的方差约为输入方差的 `1/18`），隐藏状态在几个块之内就降到由偏置决定的下限，梯度在传回输入端的途中不断消失，直至下溢。通路上有了归一化，每个块都从单位尺度出发，梯度就不再消失。但这种消失是初始化问题：在何恺明初始化下，普通网络*不用*归一化也能保住梯度。在残差网络中，残差流的方差每过一块大约乘以 `1 + Var f / Var h`：默认初始化下分支很弱，无论有没有归一化，残差流都只增长一点；在何恺明初始化下，这个乘积会爆炸，而前置归一化把它约束住：此时每个分支加上固定的方差，所以经过 `l` 个块后，残差流的方差约为输入层输出的 `l + 1` 倍。RMS 按 `sqrt(depth)` 增长（预测的最后一块/第一块之比：`sqrt((L + 1)/2)`），反传的梯度也一样（输入端/输出端：`sqrt(L + 1)`）：前置归一化把指数增长变成了 `sqrt(depth)` 增长，而不是让梯度处处相等。

# %% slideshow={"slide_type": "fragment"}
L = 30
for label in NORM_CONFIGS:
    print(f"{label:30s} h 的 RMS：最后一块/第一块 {sig(np.median(depth_result.growth(label))):>6s}"
          f"   dL/dh 的 RMS：输入端/输出端 {sig(np.median(depth_result.grad_ratio(label))):>7s}")
print(f"何恺明初始化下前置归一化的预测值：h 的 RMS {sig(math.sqrt((L + 1) / 2))}，dL/dh {sig(math.sqrt(L + 1))}")

assert np.all(depth_result.grad_ratio("plain") < 1e-8), "普通网络、默认初始化：梯度朝输入端消失"
assert np.all(depth_result.grad_ratio("plain, He init") > 0.05), "普通网络、何恺明初始化：不用任何归一化也不消失"
for label in ("plain + LayerNorm", "plain + RMSNorm", "plain + BatchNorm"):
    assert np.all(depth_result.grad_ratio(label) > 1e-3), f"{label}：没有默认初始化那种梯度消失"
assert np.all(depth_result.growth("residual, He init") > 1e3), "何恺明初始化、无归一化：残差流爆炸"
he_prenorm = "residual + LayerNorm, He init"
assert abs(np.median(depth_result.growth(he_prenorm)) / math.sqrt((L + 1) / 2) - 1) < 0.15, \
    "前置归一化、何恺明初始化：残差流的 RMS 按 sqrt(depth) 增长"
assert abs(np.median(depth_result.grad_ratio(he_prenorm)) / math.sqrt(L + 1) - 1) < 0.25, \
    "前置归一化、何恺明初始化：梯度朝输入端按 sqrt(depth) 增长"
for label in ("residual + LayerNorm", "residual + RMSNorm", "residual + BatchNorm"):
    ratio = depth_result.grad_ratio(label)
    assert np.all((ratio > 1) & (ratio < 10)), f"{label}，默认初始化（分支较弱）：梯度增长几倍"

# %% [markdown] slideshow={"slide_type": "subslide"}
# **归一化解决不了什么。** 归一化控制的是*前向*的尺度；梯度仍要穿过每个块的雅可比矩阵。上表中，在默认初始化下，普通网络 + 层归一化和普通网络 + 均方根归一化每块损失一点梯度，而普通网络 + 批归一化每块反而*增长*近五分之一，30 个块累计超过一百倍。为什么？
#
# 按平均场理论（mean-field theory，层宽趋于无穷），激活函数 `φ` 之前带归一化的普通网络，每块让梯度变为原来的 `sqrt(E[φ'(u)²]·Var u / Var φ(u))` 倍，`u` 是激活函数的输入：归一化会把 `φ` 在前向丢掉的那部分方差重新放大回来，而反向传播只损失 `E[φ'(u)²]`（这个估计假设块的其余部分对前向均方值和反向梯度的缩放倍数相同，对 ReLU 成立，对会饱和的 `φ` 只是近似成立）。对 ReLU 来说，损失的那部分是正的均值：减去均值的归一化除以的是标准差，而标准差只有均方根的 `sqrt(1 - 1/π)`，所以梯度每块增长 `1/sqrt(1 - 1/π) ≈ 1.21` 倍。对 tanh 来说，损失来自饱和，在接近线性的区域很小：在 PyTorch 默认权重给出的输入方差 `1/3` 下为 `1.02`，方差为 1 时为 `1.09`。在我们的分支里，ReLU 的均值经 `W₂` 传出：对每个特征，在整批上看，它是一个固定的偏移，批归一化会把它减掉；对每个样本，在它的特征上看，`W₂` 的随机符号把它平均掉了，所以层归一化没有东西可减。消融实验（ablation）：普通网络，层归一化或批归一化，分别配 ReLU、tanh（默认输入方差，以及 `W₁` 乘以 `sqrt(3)`，即方差为 1）或不用激活函数，偏置用 PyTorch 的默认值或置零；另加何恺明等人（He et al., 2016b）的“相加之前接 ReLU”（ReLU before addition）分支，它末尾的 ReLU 会给层归一化送去一个正的均值。

# %% slideshow={"slide_type": "subslide"}
ablation = run_norm_depth(MEAN_REMOVAL_ABLATION, depth=30, width=64, seeds=SEEDS[:3])
_ = plot_mean_removal(ablation, MEAN_REMOVAL_FACTOR)

# %% slideshow={"slide_type": "fragment"}
rate = ablation.per_block
for label in MEAN_REMOVAL_ABLATION:
    print(f"{label:40s} 每块的梯度增长 {sig(np.median(rate(label)), 3):>5s}")
tanh_default, tanh_var1 = mean_field_rate("tanh", 1 / 3), mean_field_rate("tanh", 1.0)
print(f"平均场估计：去掉 ReLU 均值 {sig(MEAN_REMOVAL_FACTOR, 3)}，tanh 在输入方差 1/3 时 "
      f"{sig(tanh_default, 3)}，方差为 1 时 {sig(tanh_var1, 3)}，无激活函数 1")

for with_mean, without_mean in (("BatchNorm, relu", "BatchNorm, identity"),
                                ("LayerNorm, relu also ending the branch", "LayerNorm, relu")):
    assert np.all(rate(with_mean) > rate(without_mean) + 0.1), \
        f"{with_mean} 对比 {without_mean}：去掉 ReLU 均值，每块至少多增长预测值 0.21 的一半"
for label in ("BatchNorm, relu", "BatchNorm, relu, zero biases"):
    assert abs(np.median(rate(label)) - MEAN_REMOVAL_FACTOR) < 0.06, f"{label}：接近 1/sqrt(1 - 1/pi)"
for norm in ("LayerNorm", "BatchNorm"):
    assert np.all(rate(f"{norm}, tanh, input var 1") > rate(f"{norm}, tanh") + 0.04), \
        f"{norm}：更饱和的 tanh（完全没有均值）让梯度增长"
    assert abs(np.median(rate(f"{norm}, tanh, input var 1")) - tanh_var1) < 0.05, f"{norm}：接近 tanh 的估计值"
for label in ("LayerNorm, relu", "LayerNorm, tanh", "LayerNorm, identity"):
    assert np.all(rate(label) < 1.03), f"{label}：这里层归一化没有可去掉的 ReLU 均值，梯度不增长"
ln_bias_gap = np.median(rate("LayerNorm, identity, zero biases") - rate("LayerNorm, identity"))
assert ln_bias_gap > 0.015 and abs(np.median(rate("LayerNorm, identity, zero biases"))
                                   - np.median(rate("BatchNorm, identity"))) < 0.02, \
    "无激活函数：层归一化的增长率较低，原因在偏置 b2，而批归一化会把它减掉"

# %% [markdown] slideshow={"slide_type": "subslide"}
# 只要归一化把前向的某种损失重新放大回来，而反向传播并没有这种损失，梯度就会增长。这种损失可以是 ReLU 的均值（批归一化 + ReLU，每块接近 1.21，有没有偏置都略低于它；层归一化只有在分支以 ReLU 结尾时才会这样），也可以是会饱和的 tanh 的损失（输入方差为 1 时，完全没有均值：两种归一化都接近估计值 1.09）。在 PyTorch 默认的输入方差下，tanh 几乎是线性的，所以曲线看起来是平的。不用激活函数时，层归一化的梯度每块比批归一化多缩小几个百分点：偏置 `b₂` 增大了一个样本各特征之间的离散程度，层归一化要除以它，而批归一化把它当作逐特征的均值减掉；偏置为零时，两者一致。
#
# **这就是 Yang 等人（2019）证明的结论吗？部分是。** 他们针对初始化时带批归一化的普通网络，推导出了同样的大批量 ReLU 速率：梯度平方范数每层 `π/(π − 1) ≈ 1.47` 倍，也就是 `1.21²`：批归一化 + ReLU 这一组测到的正是他们的结果。此外，他们还推导出另一项：同一批的样本通过批统计量相互耦合而产生，无论用什么非线性（甚至没有非线性）都存在，并随批增大而减弱。不用激活函数的批归一化，批大小从 4 到 128（三个随机种子）：

# %% slideshow={"slide_type": "-"}
BATCH_SIZES = (4, 8, 32, 128)
coupling = {b: run_norm_depth({"BatchNorm, identity": MEAN_REMOVAL_ABLATION["BatchNorm, identity"]}, depth=30,
                              width=64, seeds=SEEDS[:3], batch_size=b).per_block("BatchNorm, identity")
            for b in BATCH_SIZES[:-1]}
coupling[128] = ablation.per_block("BatchNorm, identity")  # 上面的消融实验用的批大小就是 128
for b, per_seed in coupling.items():
    print(f"批归一化，无激活函数，批大小 {b:3d}：每块的梯度增长 {sig(np.median(per_seed), 3):>5s}"
          f"（各随机种子从 {sig(per_seed.min(), 3)} 到 {sig(per_seed.max(), 3)}）")

medians = [np.median(coupling[b]) for b in BATCH_SIZES]
assert medians[0] > 1.15 and medians[0] > medians[1] > medians[2], "批内耦合项随批增大而减小"
assert all(abs(m - 1) < 0.03 for m in medians[2:]), "从批大小 32 起，该项消失（每块 3% 以内）"

# %% [markdown] slideshow={"slide_type": "-"}
# 耦合项在批大小为 4 时很大，到 32 时已经消失；在上面用的批大小 128 下，批归一化配 ReLU 的增长就是去均值带来的速率。层归一化不耦合任何样本。归一化不能给普通网络带来的东西：在何恺明初始化下，普通网络和普通网络 + 层归一化在这里都能在 30 个块中保住梯度（输入端/输出端之比的中位数约为 0.8 和 1.2），所以恒等映射的通路带来的并不是梯度的尺度；深的普通网络仍然比浅的训练得差（退化问题，notebook 01），它的梯度在不同输入之间也会失去相关性（梯度破碎，notebook 05）。而在残差网络中，残差流仍在增长（前置归一化下按 `sqrt(depth)`），所以前置归一化的 Transformer 要在输出头之前再加一个最后的归一化层（final norm）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. 均方根归一化：只算一个统计量
#
# 均方根归一化（Zhang 和 Sennrich，2019）去掉了中心化和平移参数：`RMSNorm(x) = γ · x / sqrt(mean(x²) + eps)`。下面并排列出我们要比较的两个前向计算。`resnorm.norms.LayerNorm`（第 1 节）为了可读性把 `x - mean` 写了两遍；为了比较公式而不是我们的写法，下面的层归一化只算一次（`LayerNormCentredOnce`，函数完全相同：已对照 `nn.LayerNorm` 测试）：

# %% slideshow={"slide_type": "-"}
print(inspect.getsource(LayerNormCentredOnce.forward))
print(inspect.getsource(RMSNorm.forward))

# %% [markdown] slideshow={"slide_type": "-"}
# 它在前向和反向上都等于 `torch.nn.RMSNorm(d, eps=1e-6)`（见第 1 节的表），第 3 节也测了它的不变性：除了权重重新中心化，其余都与层归一化相同。它省了什么：先数一次前向传播调用了多少个 PyTorch 函数（精确、可重复：演示两个公式各需要什么），再计时（有噪声：两个模块交替计时 200 次，输入是 `(256, 512)` 的批，比较中位数）。PyTorch 自己的模块各是一次融合调用，统计量在内部计算（`layer_norm` 两个，`rms_norm` 一个）。

# %% slideshow={"slide_type": "fragment"}
cost = run_norm_cost(d=512, batch_size=256, repeats=200, seed=SEEDS[0])
for label, ops in cost.ops.items():
    kind = "融合调用" if cost.fused(label) else f"{cost.reductions(label)} 次归约"
    print(f"{label:17s} {len(ops):2d} 次调用，{kind}：{' '.join(ops)}")
assert cost.reductions("LayerNorm (ours)") == 2 and cost.reductions("RMSNorm (ours)") == 1, "演示"
assert len(cost.ops["RMSNorm (ours)"]) < len(cost.ops["LayerNorm (ours)"]), "演示"

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
for label in cost.seconds:
    print(f"{label:17s} 每次前向传播的中位数 {cost.median_us(label):6.0f} µs")
_ = plot_norm_cost(cost)

# %% slideshow={"slide_type": "fragment"}
ours_ratio = cost.ratio("RMSNorm (ours)", "LayerNorm (ours)")
print(f"从零实现时，均方根归一化比层归一化用时更少：{ours_ratio < 0.9}")
assert ours_ratio < 0.9, f"均方根归一化应明显比同样精简写法的层归一化更省；比值为 {ours_ratio:.2f}"

# %% [markdown] slideshow={"slide_type": "notes"}
# 都按最精简的写法，均方根归一化调用 6 次、一次归约，层归一化调用 9 次、两次归约，均方根归一化用时明显更少（具体比值取决于机器，所以上面存储的计时不做检查；只检查“不到层归一化的 0.9”）。但实现和公式同样重要：PyTorch 的 `nn.LayerNorm` 是一个融合内核，在这台 CPU 上可能和 `nn.RMSNorm` 一样快甚至更快。Zhang 和 Sennrich（2019）报告在他们的各个模型上运行时间减少 7% 到 64%；在大模型中，无论哪种归一化都只占总开销的一小部分（notebook 04 会测量这一点）。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. 检验两个说法：正则化与梯度方差
#
# 原文称层归一化是“一种正则化技术”，并说它“减少了梯度计算中的方差”。这两点都可以检验。
#
# **正则化。** 对批归一化和 dropout 为什么有正则化作用，一种解释是它们注入的噪声：一个样本的输出取决于和它同批的是哪些样本，或者取决于随机掩码。Ioffe 和 Szegedy（2015）在第 3.4 节指出，批归一化网络对给定样本不再产生确定的输出，因此 dropout 可以去掉或减弱。把同一个固定样本放进 30 个不同的批，观察它的输出（层归一化的零是演示，它不读取任何其他样本；批归一化和 dropout 的离散程度是测量值）：

# %% slideshow={"slide_type": "subslide"}
_ = plot_batch_dependence(batch)

# %% slideshow={"slide_type": "fragment"}
spread = dict(zip(batch.methods, batch.companion_spread))
for method, values in spread.items():
    print(f"{method:26s} 同一样本在 {batch.n_batches} 个批中输出的标准差：{sig(np.median(values))}")
assert np.all(spread["LayerNorm"] == 0), "层归一化：完全没有批噪声"
assert np.all(spread["BatchNorm (train mode)"] > 0.1), "批归一化：输出取决于所在的批"
assert np.all(spread["LayerNorm + dropout 0.1"] > 0.1), "dropout：按设计就是随机的"

# %% [markdown] slideshow={"slide_type": "-"}
# 层归一化在训练和推理时、对任何批，计算的都是同一个函数：它不注入噪声，所以完全没有批归一化或 dropout 那种由噪声带来的正则化。说它是“一种正则化技术”有误导性；准确的说法是“一种归一化技术”。但这并不意味着它对泛化毫无影响；它通过两种与噪声无关的途径影响泛化（出自文献；第 8 节在一个小网络上测量第一种途径的机制）：
#
# - **通过有效学习率。** 当一个权重矩阵的输出直接进入归一化时，把这个矩阵放大，输出不变，所以只有它的*方向*有意义；而权重越大，固定大小的梯度步让方向转动得越少。权重衰减让权重变小，从而使这种角度上的步长保持较大：对这类尺度不变的权重，L2 正则化的作用相当于学习率调度，而不是对函数的约束（van Laarhoven，2017）；Li 和 Arora（2019）进一步证明，这种组合等价于指数增长的学习率。这两项工作都假设参数是尺度不变的；在前置归一化的 Transformer 里，大多数权重矩阵要么写入残差流，要么给注意力提供输入，单独看并不具有尺度不变性，所以在那里这只是多种影响之一，并非严格等价。
# - **通过它自己的参数。** Xu 等人（2019）发现层归一化的缩放参数和平移参数可能*加重*过拟合：在他们的实验中，去掉这两个参数的层归一化（“LayerNorm-simple”）在其中四个数据集上表现更好。

# %% [markdown] slideshow={"slide_type": "subslide"}
# **“减少梯度的方差”。** 有两种理解。(1) *不同小批量之间*：有了层归一化，小批量梯度 `g_B` 是否更接近全批梯度 `g`？我们对每一层的权重梯度测量 `‖g_B − g‖ / ‖g‖`，在 4 个小批量上取平均，再取 32 个隐藏层的中位数（在各层梯度相差几个数量级的网络里，拉平后的整体梯度只反映少数几层）。只测初始化时，任务是一个有 1,024 个样本的教师模型分类任务（16 块、宽度 32 的 MLP，五个随机种子），批大小取 32 和 128。小批量是有放回抽样，所以抽样理论预测：批大小变为四倍，噪声减半，与模型无关。(2) *不同层之间*：各层梯度范数相差多大？

# %% slideshow={"slide_type": "-"}
noise = run_gradient_noise(depth=16, width=32, seeds=SEEDS, n_samples=1024, batch_sizes=(32, 128), n_batches=4)
_ = plot_gradient_noise(noise)

# %% slideshow={"slide_type": "fragment"}
print(f"{'':22s} {'各层噪声，批大小 32':>13s} {'批 128 / 批 32':>13s} {'最大/最小层梯度':>25s}")
for label in noise.relative_noise:
    print(f"{label:22s} {sig(np.median(noise.noise(label, 32))):>21s} "
          f"{sig(np.median(noise.noise(label, 128) / noise.noise(label, 32))):>15s} "
          f"{sig(np.median(noise.layer_spread[label])):>32s}")
ln_effect = {base: noise.noise(f"{base} + LayerNorm", 32) / noise.noise(base, 32) for base in ("plain", "residual")}
for base, ratio in ln_effect.items():
    print(f"{base}：加层归一化 / 不加时的噪声，各随机种子：{', '.join(sig(r) for r in ratio)}")

quadrupled = np.array([noise.noise(label, 128) / noise.noise(label, 32) for label in noise.relative_noise])
assert np.all(np.median(quadrupled, axis=1) < 0.7) and 0.4 < np.median(quadrupled) < 0.6, \
    "批大小变为四倍：噪声约减半（1/sqrt(4)），每种配置都如此"
assert np.all((ln_effect["residual"] > 0.8) & (ln_effect["residual"] < 1.25)), "残差网络：层归一化不改变噪声"
assert np.any(ln_effect["plain"] > 1), "普通网络：层归一化并非在每个随机种子上都降低噪声"
assert np.all(noise.layer_spread["plain"] > 1e6) and np.all(noise.layer_spread["plain + LayerNorm"] < 100), \
    "普通网络：层归一化把各层梯度从相差许多个数量级拉近到相差不到两个数量级"
assert np.all(noise.layer_spread["residual"] < 10) and np.all(noise.layer_spread["residual + LayerNorm"] < 10), \
    "残差网络：无论有没有层归一化，各层梯度都在一个数量级以内"

# %% [markdown] slideshow={"slide_type": "-"}
# 结论（只看初始化时，这里没有测量训练过程）：**半对**。按第 2 种理解：在 PyTorch 默认初始化下的普通网络里，层归一化把各层梯度范数从相差约九个数量级拉近到约一个数量级（中位数 13 倍，每个随机种子都不到 100 倍）；残差网络无论有没有它，各层梯度本来就只差几倍。“训练更稳定”可以建立在这一点上。第 1 种理解是错的：每一层的抽样噪声随批大小下降（批大小变为四倍，噪声约减半，与预测一致），而在给定批大小下，噪声的水平取决于数据和整个模型；加上层归一化，残差网络的噪声不变（每个随机种子都在 25% 以内），普通网络的噪声则在有的随机种子上升高、有的降低。层归一化不是降噪工具；真正起作用的是批大小。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. 缩放参数和平移参数：它们还回了什么
#
# 归一化去掉了均值和尺度；缩放参数 `γ` 和平移参数 `β` 让网络在有用的地方把尺度和平移加回来。Ioffe 和 Szegedy（2015，第 3 节）的说法是“插入网络的变换可以表示恒等变换”：取 `γ = sqrt(var + eps)`、`β = mean`，批归一化就原样返回输入。准确地说，这只对批归一化去掉的统计量成立，也就是整批共享的、每个特征一个的均值和方差（推理时是它的滑动统计量），所以每个特征一个 `γ` 和一个 `β` 就能把它们精确撤销。层归一化去掉的是每个*样本*的均值和方差；它的 `γ` 和 `β` 仍然是逐特征的、所有样本共享，所以它们能恢复逐特征的尺度和平移，却无法恢复每个样本自己的均值和尺度。我们来测量：批归一化的 `γ, β` 按它所在的批设定，层归一化之后用最小二乘求最优的逐特征 `γ, β`，数据是 32 个样本、16 个特征，各样本的均值和尺度不同；消融实验让所有样本的均值和尺度相同（三个随机种子）。

# %% slideshow={"slide_type": "fragment"}
init = {name: (m.weight.min().item(), m.weight.max().item(), m.bias.abs().max().item())
        for name, m in (("nn.LayerNorm", nn.LayerNorm(8)), ("nn.BatchNorm1d", nn.BatchNorm1d(8)),
                        ("nn.GroupNorm", nn.GroupNorm(2, 8)))}
print("PyTorch 初始的缩放参数（最小值，最大值）和最大的 |平移参数|：", init)
assert all(v == (1.0, 1.0, 0.0) for v in init.values()), "演示：初始化时 gamma = 1，beta = 0"

affine = run_affine_identity(seeds=SEEDS[:3], d=16, batch_size=32)
print(f"批归一化，gamma = sqrt(var + eps)，beta = 本批均值：最大 |输出 - 输入| / 最大 |输入| 为 "
      f"{sig(affine.batchnorm_error.max(), 1)}")
print(f"层归一化，最优的逐特征 gamma 和 beta：输入中无法还原的部分为 "
      f"{sig(np.median(affine.layernorm_residual))}（中位数；各样本的均值和尺度不同），"
      f"{sig(affine.layernorm_residual_shared.max(), 1)}（各样本的均值和尺度相同）")
assert np.all(affine.batchnorm_error < 1e-5), "批归一化能精确还原它从本批中去掉的东西"
assert np.all(affine.layernorm_residual > 0.3), "层归一化的 gamma 和 beta 无法还原每个样本自己的均值和尺度"
assert np.all(affine.layernorm_residual_shared < 1e-4), "消融：所有样本的均值和尺度相同时就可以"

# %% [markdown] slideshow={"slide_type": "-"}
# 初始化时 PyTorch 设 `γ = 1, β = 0`（上面的检查是演示：它读取的是模块本身），所以刚创建的归一化层就是纯粹的归一化。“能学成恒等映射”有两种含义。Ioffe 和 Szegedy 的含义：*归一化层*能返回它的输入；批归一化能精确做到，层归一化不能（上面已测量）。在残差网络里要紧的是另一种：分支输出为零时，*残差块*返回它的输入。有些 ResNet 在初始化时就做到这一点：把每个分支最后一个批归一化的 `γ` 初始化为 0（Goyal 等人，2017，第 5.1 节）；notebook 01 的[初始化时的残差缩放](01_residual_connections.ipynb#初始化时的残差缩放)测量的是同一个思路，只是把分支的最后一个线性层置零。后置归一化的块 `LN(x + f(x))` 无法这样成为恒等映射：它最后的层归一化仍然会归一化每个 token。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. 反向传播：层归一化的梯度中不可能有的分量
#
# 输入 `x` 平移一个常数（`x + c·1`）或缩放（`a·x`，不计 `eps`）时，层归一化的输出都不变。因此它对 `x` 的梯度与这两个方向正交，即全 1 向量和归一化后的输入 `x̂`：
#
# $$\frac{\partial L}{\partial x} = \frac{1}{\sigma}\Big(v - \overline{v} - \hat x\,\overline{v\hat x}\Big),
# \qquad v = \gamma \odot \frac{\partial L}{\partial y},\quad \sigma = \sqrt{\mathrm{var}(x) + \epsilon},$$
#
# 其中横线表示在 `d` 个特征上取平均。我们把这个闭式解（`resnorm.experiments.scale_invariance.layernorm_input_grad`）与 `nn.LayerNorm` 的 autograd 结果对比（`d = 64`，输入为 `3z + 2`，随机的缩放参数和上游梯度，三个随机种子），并测量两个余弦。消融：均方根归一化不减均值，所以它的梯度只与 `x` 正交。

# %% slideshow={"slide_type": "fragment"}
jac = run_norm_gradient(seeds=SEEDS[:3], d=64, batch_size=32)
print(f"层归一化：闭式解与 autograd 的最大相对差 {sig(jac.closed_form_error.max(), 1)}")
print(f"层归一化：|cos(dL/dx, ones)| 最大为 {sig(jac.ln_ones.max(), 1)}，|cos(dL/dx, x_hat)| 最大为 {sig(jac.ln_xhat.max(), 1)}")
print(f"均方根归一化：|cos(dL/dx, ones)| 中位数为 {sig(np.median(jac.rms_ones))}，|cos(dL/dx, x)| 最大为 {sig(jac.rms_x.max(), 1)}")
assert np.all(jac.closed_form_error < 1e-5), "闭式解就是 autograd 的梯度"
assert np.all(jac.ln_ones < 1e-5) and np.all(jac.ln_xhat < 1e-5), "与 1 和 x_hat 正交（在浮点精度和 eps 的范围内）"
assert np.all(jac.rms_ones > 0.02) and np.all(jac.rms_x < 1e-5), "消融：均方根归一化的梯度只与 x 正交"

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 给归一化提供输入的权重：尺度不变性
#
# 同样的论证往下推一层：如果一个权重矩阵 `W`（无偏置）的输出直接进入归一化，那么对每个 `c > 0` 都有 `L(cW) = L(W)`。在 `c = 1` 处对 `c` 求导，得到 `⟨∂L/∂W, W⟩ = 0`：梯度与权重正交。把 `L(cW) = L(W)` 两边对 `W` 求导，得到 `∂L/∂W (cW) = ∂L/∂W (W) / c`：权重越大，梯度按比例越小。学习率为 `η` 的一步让方向 `W/‖W‖` 移动 `η ‖∂L/∂W (W/‖W‖)‖ / ‖W‖²`：对方向（函数只取决于方向）而言，*有效学习率*是 `η/‖W‖²`（van Laarhoven，2017）。而纯 SGD 只会让 `W` 越来越长：当 `g ⊥ W` 时 `‖W − η g‖² = ‖W‖² + η²‖g‖²`，所以有效学习率只降不升。权重衰减每一步都让 `W` 变短；`‖W‖` 稳定在缩短与增长相抵的位置，有效学习率也就保持在更高的水平。Zhang 等人（2019）把这称为权重衰减三种机制中的第一种：在用 SGD 或 Adam 训练的带批归一化的网络中，权重衰减提高测试准确率，靠的是这个更大的有效学习率，而不是限制函数。网络结构：`first`（16 → 32，无偏置）→ 层归一化 → ReLU → `head`（32 → 4），任务是一个有 128 个样本的教师模型任务，三个随机种子。消融：同一网络的 `head`（后面没有归一化），以及去掉层归一化后同一网络的 `first`。然后做 50 步全批 SGD（学习率 1.5），分别不用和使用权重衰减 0.1，且只对 `first` 做衰减（对它做衰减不会改变函数，只改变 `‖W‖`）。哪些权重具有尺度不变性取决于架构：后置归一化块或“卷积 → 批归一化”网络中，每个归一化前面的那一层是；在前置归一化的 Transformer 中，没有哪个矩阵单独给归一化提供输入（第 6 节）。

# %% slideshow={"slide_type": "subslide"}
invariance_run = run_scale_invariance(seeds=SEEDS[:3], width=32, n_samples=128, steps=50, lr=1.5,
                                      weight_decays=(0.0, 0.1), scales=(0.5, 2.0, 4.0))
_ = plot_scale_invariance(invariance_run)

# %% slideshow={"slide_type": "fragment"}
norms = invariance_run.weight_norm
effective_lr = invariance_run.lr / norms ** 2
step_fall = invariance_run.relative_step[0, :, :10].mean(axis=-1) / invariance_run.relative_step[0, :, -10:].mean(axis=-1)
print(f"初始化时的 |cos(dL/dW, W)|：first（输出进入归一化）不大于 {sig(np.abs(invariance_run.cos_first).max(), 1)}；"
      f"head 不小于 {sig(np.abs(invariance_run.cos_head).min())}；去掉归一化后的 first "
      f"不小于 {sig(np.abs(invariance_run.cos_first_no_norm).min(), 1)}")
print(f"c = 0.5、2、4 时的 c |dL/dW(cW)| / |dL/dW(W)|：{', '.join(sig(v, 4) for v in np.median(invariance_run.grad_scaling, 0))}")
print(f"50 步后 |W| / 初始 |W|：无权重衰减 {sig(np.median(norms[0, :, -1] / norms[0, :, 0]))}，"
      f"有权重衰减 {sig(np.median(norms[1, :, -1] / norms[1, :, 0]))}")
print(f"50 步后的有效学习率 lr/|W|^2，有权重衰减 / 无权重衰减："
      f"{sig(np.median(effective_lr[1, :, -1] / effective_lr[0, :, -1]))}（中位数）")
print(f"无权重衰减时，相对步长 |dW|/|W| 前 10 步的均值是后 10 步的 {sig(np.median(step_fall))} 倍；"
      f"其中 1/|W|^2 的变化贡献 {sig(np.median(effective_lr[0, :, 0] / effective_lr[0, :, -1]))} 倍，"
      f"其余来自梯度随损失一起变小")
print(f"最终损失：无权重衰减 {sig(np.median(invariance_run.loss[0, :, -1]), 1)}，"
      f"有权重衰减 {sig(np.median(invariance_run.loss[1, :, -1]), 1)} nats（中位数）")

assert np.all(np.abs(invariance_run.cos_first) < 1e-4), "输出进入归一化的权重：梯度与它正交"
assert np.all(np.abs(invariance_run.cos_head) > 0.05) and np.all(np.abs(invariance_run.cos_first_no_norm) > 1e-3), \
    "消融：后面不接归一化的权重没有这种正交性"
assert np.all(np.abs(invariance_run.grad_scaling - 1) < 1e-3), "dL/dW(cW) = dL/dW(W) / c"
assert np.all(invariance_run.norm_identity_error < 1e-4), "每一步 SGD：|W'|^2 = (1 - lr wd)^2 |W|^2 + lr^2 |g|^2"
assert np.all(np.diff(norms[0], axis=-1) > 0), "无权重衰减时，|W| 每一步都在增长"
assert np.all(effective_lr[1, :, -1] > effective_lr[0, :, -1]), \
    "有权重衰减时，|W| 最终更小：有效学习率更大"

# %% [markdown] slideshow={"slide_type": "-"}
# 三个事实都在浮点精度内成立（归一化里的 `eps` 让它们偏离约 `eps / var ≈ 1e-5`）。无权重衰减时，`|W|` 每一步都在增长，有效学习率 `η/|W|²` 不断下降。解读相对步长 `|ΔW|/|W|` 时要小心：它的下降远远超过 `1/|W|²` 的下降，因为在这个小任务上损失趋于零，梯度也随之趋于零；50 步内 `1/|W|²` 的贡献并不大。有权重衰减时，`|W|` 最终更小，有效学习率更高；它并不平稳地收敛：在球面上迈出的每一大步都让 `W` 变长，衰减又把它缩短，而在全批训练中这种平衡会过冲，所以 `|W|` 围绕平衡点波动。对这些尺度不变的权重，衰减完全不约束函数，只决定有效学习率；而这里有效学习率一直较高，损失因此降不到那么低。这是否有益，是泛化和梯度噪声的问题（Zhang 等人，2019），全批训练的小实验回答不了。
#
# **为什么 `γ` 和 `β` 通常不做权重衰减。** 它们不具有尺度不变性：把 `γ` 往 0 衰减，会缩小下一层和损失看到的输出尺度，这是对函数的真实约束，而不是学习率的设置；`β` 同样会被拉向 0，即不做平移。而且它们数量很少：GPT 一类的优化器配置把所有一维参数（缩放参数、偏置）放进不做权重衰减的参数组，只对矩阵做衰减（nanoGPT 的 `configure_optimizers`）。在宽度 512 的一层 Transformer 里，它们只占参数的很小一部分（演示：数一数就知道）：

# %% slideshow={"slide_type": "fragment"}
encoder_layer = nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True)
one_d = sum(p.numel() for p in encoder_layer.parameters() if p.dim() == 1)
total = sum(p.numel() for p in encoder_layer.parameters())
print(f"一维参数（偏置、层归一化的缩放参数和平移参数）：{total} 个参数中的 {one_d} 个（{sig(100 * one_d / total)}%）")
assert one_d / total < 0.01, "演示：缩放参数和平移参数不到一层参数的 1%"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 动手探索
#
# 调整宽度 `d`、`eps`、输入 `x = scale·z + shift` 的缩放 `scale` 和平移 `shift`，以及归一化方式（`source` 是原文那个用无偏方差的版本），观察每个样本输出的统计量（左图：层归一化的目标是均值 0、标准差 1）和它的输入梯度（右图：虚线是 `sqrt(d)/std(x)`，即没有 `eps` 时的规律）。可以试试：`eps = 1e-5` 时把 `scale` 调到 `1e-3` 以下；`eps = 0` 配一个很小的 `scale`；`source` 配宽度 1；`rms` 配一个很大的 `shift`；`batch`（批归一化按列归一化，所以每个样本那一行的均值*不是* 0、标准差*不是* 1）。紧接着的是默认设置下的静态图，不运行内核也能看到。

# %% slideshow={"slide_type": "subslide"}
_ = static_figure(draw_layernorm_explorer, figsize=(11, 3.8), **EXPLORER_DEFAULTS)

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
explorer = make_layernorm_explorer()
explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 原文事实核查（第 2 题）
#
# | 原文的说法 | 结论 | 依据 |
# |---|---|---|
# | 层归一化是“一种正则化技术” | **有误导性** | 主要不是正则化方法：它是确定性的，训练和推理时相同，没有批噪声：[§6](#6.-检验两个说法：正则化与梯度方差)。它仍然影响泛化，但不是通过噪声：配合权重衰减时，对输出直接进入归一化的权重，它的尺度不变性决定了有效学习率（van Laarhoven，2017；Li 和 Arora，2019）；它的缩放参数和平移参数还可能加重过拟合（Xu 等人，2019） |
# | 它的目的是解决梯度消失和梯度爆炸 | **半对** | 它约束了前置归一化残差流的增长（何恺明初始化、30 个块：RMS 约 4 倍，梯度约 6 倍，即 `sqrt(depth)`，而不是约 10⁴ 倍）；在 PyTorch 默认初始化下，它能阻止普通网络的梯度消失，但单用何恺明初始化也能做到；带归一化的普通网络梯度仍可能增长（批归一化配 ReLU：每块约 1.17 倍，30 个块超过 100 倍）：[§4](#4.-深层网络中的激活与梯度) |
# | 它“对于每个神经元的输入”计算均值和方差 | **错误** | 是对每个样本在该层所有神经元上计算；对每个神经元在整批上计算的是批归一化：[§2](#2.-层归一化和批归一化各在哪些轴上归一化) |
# | 它把输入“缩放到一个标准正态分布” | **错误** | 每个向量均值为 0、方差为 1；分布的形状（偏度 2）不变：[§1](#1.-从零实现) |
# | “一个可学习的标量和偏移量” | **错误** | 每个特征一个缩放参数和一个平移参数，形状为 `(d,)`：[§1](#1.-从零实现) |
# | 它“减少了梯度计算中的方差”，所以训练更稳定、更快 | **半对** | 初始化时：它让普通网络（默认初始化）各层的梯度尺度趋于一致；它不降低每一层的小批量噪声（噪声由批大小决定：批大小变为 4 倍，噪声减半；加层归一化，残差网络的噪声不变，普通网络的噪声有升有降）；这里没有测量训练速度：[§6](#6.-检验两个说法：正则化与梯度方差) |
# | 它让网络“对输入数据的变化更鲁棒” | **半对** | 对单个样本或全部数据的缩放保持不变，对每个样本加上同一个向量则不然：[§3](#3.-层归一化对哪些变换保持不变) |
# | 代码：`var = x.var(-1, keepdim=True)` | **错误** | 无偏方差：输出被多乘了 `sqrt((d-1)/d)`（`d=8` 时偏小 6.5%，`d=512` 时偏小 0.098%），默认容差下与 `nn.LayerNorm` 的 `allclose` 比较从不通过，`d=1` 时为 NaN：[§1](#原文的实现用错了方差) |
# | 代码：均值、方差、大小为 `num_features` 的 `gamma`/`beta`、`eps` 放在根号里 | **正确** | 这段代码的其余部分都与 `nn.LayerNorm` 一致 |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 练习
#
# 每个答题单元格一开始都是 `answer = ...`；把 `...` 换成你的答案，运行单元格，`check` 会立刻告诉你对不对，不对的话错在哪里。`hint(key)` 给出提示。
#
# ### 练习 1：从零实现层归一化
#
# 写一个 `layer_norm(x, weight, bias, eps=1e-5)`，输入形状为 `(..., d)`，然后令 `answer = layer_norm`。检查程序会在前向和反向上把它与 `torch.nn.functional.layer_norm` 对比，包括缩放参数、平移参数、三维输入和极小的输入。

# %% slideshow={"slide_type": "subslide"}
def layer_norm(x, weight, bias, eps=1e-5):
    ...  # 在这里写你的代码


answer = ...  # 写好 layer_norm 后，把 ... 换成 layer_norm
passed = check("02.implement_layernorm", answer)

# %% slideshow={"slide_type": "-"}
hint("02.implement_layernorm", 1)

# %% [markdown] slideshow={"slide_type": "-"}
# 卡住了？取消下面这行的注释并运行，就能看到参考答案。

# %% slideshow={"slide_type": "-"}
# solution("02.implement_layernorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 2：找出原文实现中的错误
#
# 当缩放参数为 1、平移参数为 0 且 `eps → 0` 时，原文实现的输出等于 `nn.LayerNorm` 的输出乘以一个只取决于 `d` 的常数。`d = 64` 时这个常数是多少？（一个数；用 `d` 算出来，不要测量。）

# %% slideshow={"slide_type": "-"}
answer = ...  # 一个浮点数
passed = check("02.source_factor", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.source_factor")` 给出提示。要看参考答案，取消注释后运行：

# %% slideshow={"slide_type": "-"}
# solution("02.source_factor")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 3：从零实现均方根归一化
#
# 写一个 `rms_norm(x, weight, eps=1e-6)`（没有平移参数），然后令 `answer = rms_norm`。检查程序会在前向和反向上把它与 `torch.nn.functional.rms_norm` 对比。

# %% slideshow={"slide_type": "-"}
def rms_norm(x, weight, eps=1e-6):
    ...  # 在这里写你的代码


answer = ...  # 写好 rms_norm 后，把 ... 换成 rms_norm
passed = check("02.implement_rmsnorm", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.implement_rmsnorm")` 给出提示。要看参考答案，取消注释后运行：

# %% slideshow={"slide_type": "-"}
# solution("02.implement_rmsnorm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 练习 4：不变性表中均方根归一化的那一行
#
# Zhang 和 Sennrich（2019）在他们的表 1 中把均方根归一化加进了 Ba 等人的表格。不看第 3 节的图，也不看他们的表：六种变换中，哪些不会改变均方根归一化的输出？用列名组成的集合作答，例如 `{"dataset re-scaling"}`。列名（保持英文原样）：`"weight matrix re-scaling"`、`"weight matrix re-centering"`、`"weight vector re-scaling"`、`"dataset re-scaling"`、`"dataset re-centering"`、`"single training case re-scaling"`。

# %% slideshow={"slide_type": "-"}
answer = ...  # 列名组成的集合
passed = check("02.rms_invariances", answer)

# %% [markdown] slideshow={"slide_type": "-"}
# `hint("02.rms_invariances")` 给出提示。要看参考答案，取消注释后运行：

# %% slideshow={"slide_type": "-"}
# solution("02.rms_invariances")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 面试答题卡
#
# ### 15 秒版
#
# 层归一化对每个样本（每个 token）在它自己的特征维度上做归一化：用有偏方差、`eps` 放在根号里，把均值变成 0、方差变成 1，再乘上逐特征的可学习缩放参数 γ、加上平移参数 β。它让每一层输入的尺度保持固定，深层网络（尤其是带残差连接的 Transformer）因此更容易优化。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 45 秒版：三个要点
# 1. **按样本归一化，而不是按批。** 统计量只来自单个样本的特征，所以批大小为 1 也能用（批归一化在训练模式下做不到），训练和推理的计算完全一样，同一批的样本之间互不影响：这就是序列模型用它而不用批归一化的原因。它对单个样本或权重矩阵的缩放具有不变性，但对每个样本都加上同一个向量则没有不变性。
# 2. **它解决什么、不解决什么。** 它固定了前向的尺度：配合前置归一化的残差块，残差流和传回输入端的梯度都只按 `sqrt(depth)` 增长，而不是指数增长（何恺明初始化、30 个块：约 4 倍和 6 倍）。在 PyTorch 默认初始化下，它也能让普通网络的梯度不再消失，但单用何恺明初始化同样做得到；它不能替代恒等映射的通路（见退化问题和梯度破碎），也不会降低小批量梯度的噪声，决定噪声的是批大小。
# 3. **主要不是正则化方法，但对泛化并非没有影响。** 它不引入噪声；但配合权重衰减时，对输出直接送入归一化的权重（尺度不变的权重），L2 的作用变成了调节有效学习率，而 γ 和 β 本身还可能加重过拟合。实现上的坑：`x.var()` 默认是无偏方差（输出变为正确值的 `sqrt((d-1)/d)` 倍，`d = 1` 时为 NaN）；均方根归一化去掉了减均值和 β，计算更省。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问
# **问**：Transformer 为什么不用批归一化？**答**：它的统计量依赖整批数据（还受 padding 和序列长度影响），训练和推理时不一致，训练模式下批大小为 1 时无法使用；在 NLP 任务中，批统计量在训练时波动很大（Shen 等人，2020，PowerNorm）。
#
# **问**：普通深层网络加了归一化，梯度就没问题了吗？**答**：不一定：如果归一化把前向方差的某种损失重新放大回来，而反向传播并没有这种损失，梯度就会朝输入端增长。对 ReLU 来说，这种损失就是输出的正均值：这里批归一化加 ReLU 每块约增长 1.17 倍（估计值 1.21），30 个块超过 100 倍；层归一化只有在分支以 ReLU 结尾时才会这样。
#
# **问**：这就是 Yang 等人（2019）证明的结论吗？**答**：部分是：他们给出的批归一化加 ReLU 在大批量下的速率（梯度平方范数每层 `π/(π − 1)` 倍）正是 `1.21²`；此外他们还推导出一个批内样本耦合带来的项，无论用什么非线性都存在，批越大越弱（这里批大小为 4 时每块约 1.27 倍，32 及以上就没有了）。层归一化不存在这种耦合。
#
# **问**：既然主要不是正则化方法，层归一化怎么影响泛化？**答**：对尺度不变的权重，它与权重衰减共同决定有效学习率（van Laarhoven，2017；Li 和 Arora，2019）；γ 和 β 还可能加重过拟合（Xu 等人，2019）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 面试官可能的追问（续）
# **问**：用了前置归一化，是不是就不需要学习率预热（warm-up）了？**答**：在 Xiong 等人（2020）的 BERT 和机器翻译实验里，不用预热也训练得很好；但采用前置归一化的大模型仍然使用预热（GPT-3；LLaMA 用了 2000 步）。
#
# **问**：层归一化、实例归一化、组归一化有什么区别？**答**：只是统计量取自哪些轴不同：对 `(N, C, H, W)` 的图像，实例归一化对每张图、每个通道在 `(H, W)` 上求，组归一化对每张图在一组通道和 `(H, W)` 上求，层归一化对每张图在 `(C, H, W)` 上求；在 Transformer 里，层归一化对每个 token 只在 `D` 个特征上求。
#
# **问**：为什么 `γ` 和 `β` 一般不做权重衰减？**答**：它们不具有尺度不变性，衰减它们会直接把输出的尺度和平移往 0 拉，而不只是改变有效学习率；而且数量很少（宽度 512 的一层里只占 0.2%）：GPT 一类的优化器配置只对矩阵做权重衰减。
#
# **问**：LLaMA 这类模型为什么用均方根归一化？**答**：只算一个统计量、没有 β，计算更省；除了重新中心化之外，其余不变性都保留，在 Zhang 和 Sennrich（2019）的实验里效果与层归一化相当。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - Ba, Kiros, Hinton（2016）。*Layer Normalization.* arXiv:1607.06450。（式 3–4：定义；表 1 和第 5.1 节：第 3 节复现的不变性。）
# - Ioffe, Szegedy（2015）。*Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift.* ICML。（本 notebook 第 2 节：逐特征、按批的归一化及其动机，即内部协变量偏移；论文第 3 节：`γ`、`β` 可以表示恒等变换，见第 7 节；论文第 3.4 节：批归一化的正则化效果，见第 6 节。）
# - 吴育昕、何恺明（Wu, He, 2018）。*Group Normalization.* ECCV。（图 2：批归一化、层归一化、实例归一化和组归一化的立方体示意图，第 2 节按我们自己的方式重画。）
# - Ulyanov, Vedaldi, Lempitsky（2016）。*Instance Normalization: The Missing Ingredient for Fast Stylization.* arXiv:1607.08022。（实例归一化，第 2 节。）
# - Santurkar, Tsipras, Ilyas, Madry（2018）。*How Does Batch Normalization Help Optimization?* NeurIPS。（图 2：加了噪声的批归一化照样训练得好；论文第 3 节：更平滑的损失曲面；见第 2 节关于内部协变量偏移的争论。）
# - Goyal 等人（2017）。*Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour.* arXiv:1706.02677。（第 5.1 节：每个残差块最后一个批归一化取 `γ = 0`；见第 7 节。）
# - Zhang, Wang, Xu, Grosse（2019）。*Three Mechanisms of Weight Decay Regularization.* ICLR。（他们的第一种机制：在用 SGD 或 Adam 训练的批归一化网络中，权重衰减通过提高有效学习率起到正则化作用；见第 8 节。）
# - Karpathy（2022）。*nanoGPT*，`model.py`，`configure_optimizers`：只对二维参数做权重衰减，偏置和层归一化的缩放参数都不衰减（第 8 节）。
# - Salimans, Kingma（2016）。*Weight Normalization.* NeurIPS。（第 3 节中权重归一化那一行。）
# - Zhang, Sennrich（2019）。*Root Mean Square Layer Normalization.* NeurIPS。（均方根归一化，第 5 节；表 1：均方根归一化的不变性那一行，见第 3 节和练习 4。）
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2016）。*Deep Residual Learning for Image Recognition.* CVPR。（第 4 节的残差块。）
# - 何恺明、张祥雨、任少卿、孙剑（He, Zhang, Ren, Sun, 2016b）。*Identity Mappings in Deep Residual Networks.* ECCV。（图 4c，“ReLU before addition”：第 4 节消融实验中的分支。）
# - Yang, Pennington, Rao, Sohl-Dickstein, Schoenholz（2019）。*A Mean Field Theory of Batch Normalization.* ICLR。（初始化时带批归一化的普通网络中的梯度爆炸：大批量下 ReLU 的速率为梯度平方范数每层 `π/(π − 1)` 倍，以及一个对任何非线性都存在、随批增大而减弱的批内耦合项；见第 4 节。）
# - Shen, Yao, Gholami, Mahoney, Keutzer（2020）。*PowerNorm: Rethinking Batch Normalization in Transformers.* ICML。（NLP 训练中批统计量波动很大；见面试追问。）
# - van Laarhoven（2017）。*L2 Regularization versus Batch and Weight Normalization.* arXiv:1706.05350。（对尺度不变的权重，权重衰减决定有效学习率；见第 6 节和第 8 节。）
# - Li, Arora（2019）。*An Exponential Learning Rate Schedule for Deep Learning.* arXiv:1910.07454（ICLR 2020）。（归一化加权重衰减等价于指数增长的学习率；见第 6 节。）
# - Xu, Sun, Zhang, Zhao, Lin（2019）。*Understanding and Improving Layer Normalization.* NeurIPS。（层归一化的缩放参数和平移参数可能加重过拟合；LayerNorm-simple；见第 6 节。）
# - Xiong 等人（2020）。*On Layer Normalization in the Transformer Architecture.* ICML。（前置和后置归一化的位置，以及他们在 BERT 和机器翻译设置下的学习率预热；见 notebook 03。）
# - Brown 等人（2020）。*Language Models are Few-Shot Learners.* NeurIPS。（GPT-3，前置归一化，使用学习率预热，附录 B。）Touvron 等人（2023）。*LLaMA: Open and Efficient Foundation Language Models.* arXiv:2302.13971。（用均方根归一化的前置归一化，第 2.2 节；2000 步预热，第 2.3 节。）

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
# # 残差连接与层归一化：从这里开始
#
# [English](../00_start_here.ipynb)
#
# **Transformer 为什么需要残差连接（residual connection）和层归一化（layer normalization，LayerNorm）？** 本课程用做实验的方式回答这个问题：每个论断都是一个小实验，在笔记本电脑的 CPU 上几秒钟就能跑完；notebook 运行时，每个论断都由一条 `assert` 检查。只要有一个论断不再成立，课程的 CI 就会失败。
#
# 课程沿着一份中文学习资料《残差连接和层规范化：Transformer 的关键》中的四道面试题展开（原文把 layer normalization 译作“层规范化”，本课程统一称“层归一化”）。这份资料里有些直觉很好，但也有错误的说法和两段有 bug 的代码；每个 notebook 都会对原文的说法下结论（正确 / 半对 / 错误），并给出据以判断的测量结果。
#
# **适合谁**
# - 独自学习的学生：在笔记本电脑上或 Binder 上用 JupyterLab 学习；
# - 用这些 notebook 讲课的老师；
# - 准备面试的人：既想要简短、正确的答案，*也*想弄懂背后的道理。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 课程地图
#
# | # | 题目（原文） | 问的是什么 | notebook |
# |---|---|---|---|
# | 1 | 残差连接的原理和应用 | 残差连接如何起作用？用在哪里？ | [01 · 残差连接：原理与应用](01_residual_connections.ipynb) |
# | 2 | 层规范化的目的和实现 | 层归一化有什么用？怎么实现？ | [02 · 层归一化：作用是什么，怎么实现](02_layer_normalization.ipynb) |
# | 3 | Transformer 中的残差连接和层规范化 | 残差连接和层归一化在 Transformer 里起什么作用？ | [03 · Transformer 中的残差连接与层归一化](03_transformer_residual_layernorm.ipynb) |
# | 4 | 残差连接和层规范化的优缺点 | 它们有哪些优点和缺点？ | [04 · 残差连接与层归一化：优缺点](04_pros_and_cons.ipynb) |
# | + | 面试之外 | 它们实际表现如何？现代大语言模型用的是什么？ | [05 · 面试之外：残差与归一化的实际行为，以及现代模型的做法](05_beyond_the_interview.ipynb) |
#
# 每个 notebook 的结构相同：问题、简短回答（30 秒讲完）、若干实验（每个都有一张图和一条经过检查的论断）、一个交互式探索器、对原文的事实核查、带即时反馈的练习、一张面试答题卡（英文答题卡在英文版 notebook 里），以及参考文献。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 怎么运行
#
# - **在自己的电脑上**（Linux 或 macOS，Python 3.10+）：`make lab EDITION=zh` 会创建 `.venv/`、安装课程，并用中文界面的 JupyterLab 打开本 notebook（`notebooks/zh/00_start_here.ipynb`）。`make test` 运行 CI 中的全部检查。
# - **在 Binder 上**：[中文 README](../../README.zh-CN.md) 里的徽章会在浏览器中用中文界面的 JupyterLab 打开本 notebook，无需安装任何东西（第一次启动要构建镜像，需要几分钟）。
# - **在课堂上**：一切都离线、在 CPU 上运行，一台投影仪加一台笔记本电脑就够了。课前把每个 notebook 运行一遍（*运行 > 运行所有单元格*，英文界面是 *Run > Run All Cells*），每个只需几秒钟。
#
# 每个 notebook 都以 `resnorm.setup()` 开头：只用一个 CPU 线程（这样数字能精确复现到最后一位），使用课程统一的图表风格，并设定这一版的语言（中文版在 `notebooks/zh/` 下，用 `lang="zh"`，resnorm 给出的反馈和提示都是中文；英文版用 `lang="en"`）。接着 `SEEDS = resnorm.seeds(n)` 选定随机种子（seed），再作为参数传给每个实验：实验的权重、数据和批次顺序都只由这些种子决定。课程的测试会换几组随机种子把每个 notebook 重跑一遍，如果某个论断只在这里用的种子上成立，测试就会失败。模型和实验都放在一个小小的 `resnorm` 包里（`src/` 目录下），这样单元格可以写得很短，代码也能做单元测试。

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.environment import check_environment
from resnorm.experiments.gradient_flow import mlp_layer_stats
from resnorm.figures.start_here import FIRST_NETS, plot_gradient_flow

resnorm.setup(seed=0, lang="zh")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "skip"}
# ### 环境检查
#
# 下面的版本号取决于你的安装；每个都必须达到课程测试过的最低版本。

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
report = check_environment()
print(report)

# %% slideshow={"slide_type": "skip"}
assert report.ok, f"有的包缺失或版本太旧：\n{report}"
print("环境正常")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 几秒钟得到第一个结果
#
# 把 30 个宽度为 64 的隐藏块堆叠起来。每个块的分支是 `f(h) = Linear(ReLU(Linear(h)))`，与 Transformer 前馈子层的形状相同。比较四个版本，每个只在一处不同：
#
# - **普通网络**（plain network，配置名 `plain`）：`h = f(h)`，使用 PyTorch 的默认初始化；
# - **残差网络**（`residual`）：`h = h + f(h)`，即何恺明等人（He et al., 2016）的恒等路径，初始化相同；
# - **残差网络，何恺明初始化**（`residual, He init`）：同一个残差网络，改用何恺明等人（2015）提出的何恺明初始化（He initialisation），它让每个分支把输入的方差原样传下去（ReLU 网络的常用选择）；
# - **残差网络，何恺明初始化 + 层归一化**（`residual, He init + LayerNorm`）：`h = h + f(LN(h))`，即 GPT-2 风格 Transformer 的前置归一化（Pre-LN）块。
#
# 输入一批随机数据，在读出层（readout head）上计算交叉熵损失，调用一次 `backward()`，然后在五个随机种子上分别测量传到每个块输出的梯度 $\partial L/\partial h$（在整批样本上取范数）。这四种配置写成 `resnorm.models.DeepMLP` 的关键字参数如下：

# %% slideshow={"slide_type": "-"}
FIRST_NETS

# %% slideshow={"slide_type": "subslide"}
stats = mlp_layer_stats(FIRST_NETS, depth=30, width=64, seeds=SEEDS)
ax = plot_gradient_flow(stats.state_grads)

# %% [markdown] slideshow={"slide_type": "notes"}
# 按梯度流动的方向，从右往左读这张图。**普通网络**中，梯度每经过一个块就缩小大致固定的倍数：到第一个块时几乎什么都不剩了，所以在 SGD 这类更新方式下，靠前的层几乎不动（Adam 这类自适应优化器会按每个权重自己的梯度历史重新缩放步长，情况会不同）。**残差网络**没有这种衰减，因为恒等路径把梯度原样传回，每个分支再往上加一点。加多少取决于初始化：PyTorch 默认初始化下只加一点；何恺明初始化下每块约乘以 $\sqrt{2}$，梯度（以及信号）会*爆炸*。在每个分支开头加上**层归一化**后，同样用何恺明初始化的网络就不再爆炸：梯度仍朝输入方向增长，但只按 $\sqrt{L}$ 增长，而不是 $2^{L/2}$（notebook 01 在 25 到 100 个块上检验了这一缩放规律）。

# %% [markdown] slideshow={"slide_type": "subslide"}
# 下面在每个随机种子上检查这些论断（比值是第一个块输出处的梯度除以最后一个块输出处的梯度）：

# %% slideshow={"slide_type": "fragment"}
grads = stats.state_grads
plain = grads.first_to_last_ratio("plain")
residual = grads.first_to_last_ratio("residual")
residual_he = grads.first_to_last_ratio("residual, He init")
blocks_ln = grads.blocks("residual, He init + LayerNorm")
spread_ln = blocks_ln.max(axis=1) / blocks_ln.min(axis=1)

print(f"普通网络：首块/末块梯度之比，所有种子中的最大值 {plain.max():.0e}")
print(f"残差网络：首块/末块梯度之比，所有种子上的范围 {residual.min():.1f} 到 {residual.max():.1f}")
print(f"残差网络，何恺明初始化：首块/末块梯度之比，所有种子中的最小值 {residual_he.min():.0e}")
print(f"残差网络，何恺明初始化 + 层归一化：最大块/最小块梯度之比，所有种子上的范围 {spread_ln.min():.1f} 到 {spread_ln.max():.1f}"
      f"（sqrt(30) = {np.sqrt(30):.1f}）")

assert np.all(plain < 1e-12), "普通网络：梯度应当朝输入方向消失"
assert np.all((residual > 1) & (residual < 5)), "残差网络：梯度应当能到达第一个块"
assert np.all(residual_he > 1e3), "残差网络、何恺明初始化、无归一化：梯度应当爆炸"
assert np.all(np.abs(np.log(spread_ln / np.sqrt(30))) < np.log(2)), "残差 + 层归一化：按 sqrt(L) 增长，误差在 2 倍以内"

# %% [markdown] slideshow={"slide_type": "subslide"}
# 从这里已经能看出面试题的三个答案：
#
# 1. 残差连接解决了梯度随深度*消失*的问题；
# 2. 单靠残差连接，**不能**阻止信号和梯度增长：增长多少取决于初始化（PyTorch 默认初始化下增长一点，何恺明初始化下指数增长）；把分支初始化得小一些，能让增长有界；前置归一化则让它按 $\sqrt{L}$ 而不是指数增长。所以“残差连接同时解决梯度消失（vanishing gradients）*和*梯度爆炸（exploding gradients）”只对了一半；
# 3. 两者结合时，梯度在各块之间只按 $\sqrt{L}$ 增长，这就是大多数 Transformer 两者都用的原因（也有不用归一化的设计，例如 Dynamic Tanh，见 notebook 05）。
#
# 下一个 notebook [01 · 残差连接：原理与应用](01_residual_connections.ipynb) 会把这些结论逐一拆开来看。

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 参考文献
#
# - He, Zhang, Ren, Sun (2015). *Delving Deep into Rectifiers.* ICCV.（何恺明初始化，见其公式 10。）
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR.（图 1 和图 4：更深的普通网络训练得更差，残差网络则不会。）
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.

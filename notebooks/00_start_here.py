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
# # Residual connections and LayerNorm: start here
#
# **Why does a Transformer need residual connections and layer normalization?** This course
# answers that question the way an experimentalist would: every claim is a small experiment that
# runs on a laptop CPU in seconds, and every claim is checked by an `assert` when the notebook
# runs. If a claim stopped being true, the course's CI would fail.
#
# It follows the four interview questions of a Chinese study text, *残差连接和层规范化：Transformer
# 的关键* ("Residual connections and layer normalization: the key to the Transformer"). That text
# has good intuitions, but also wrong claims and two buggy code snippets; each notebook gives the
# source's claims a verdict (right / half-true / wrong) with the measurement that decides it.
#
# **Who it is for**
# - a student working alone, in JupyterLab on a laptop or on Binder;
# - an instructor teaching a lecture from the notebooks;
# - an interview candidate who wants the short, correct answer *and* the reasoning behind it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The map
#
# | # | question (source, 题目) | in English | notebook |
# |---|---|---|---|
# | 1 | 残差连接的原理和应用 | How does a residual connection work, and where is it used? | [01_residual_connections](01_residual_connections.ipynb) |
# | 2 | 层规范化的目的和实现 | What is layer normalization for, and how is it implemented? | [02_layer_normalization](02_layer_normalization.ipynb) |
# | 3 | Transformer 中的残差连接和层规范化 | What do residuals and LayerNorm do inside a Transformer? | [03_transformer_residual_layernorm](03_transformer_residual_layernorm.ipynb) |
# | 4 | 残差连接和层规范化的优缺点 | What are their advantages and drawbacks? | [04_pros_and_cons](04_pros_and_cons.ipynb) |
# | + | 面试之外 | Beyond the interview: how they really behave, and what modern LLMs use | [05_beyond_the_interview](05_beyond_the_interview.ipynb) |
#
# Each notebook has the same shape: the question, the 30-second answer, experiments (each with
# a figure and a checked claim), an interactive explorer, a fact-check of the source, exercises
# with instant feedback, an interview answer card in English and Chinese, and references.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How to run it
#
# - **On your machine** (Linux or macOS, Python 3.10+): `make lab` creates `.venv/`, installs the
#   course and opens this notebook in JupyterLab. `make test` runs every check CI runs.
# - **On Binder**: the badge in the README opens this notebook in JupyterLab in your browser;
#   nothing to install (the first start takes a few minutes while the image builds).
# - **In a classroom**: everything runs offline and on a CPU, so a projector and a laptop are
#   enough. Run each notebook once before class (*Run > Run All Cells*): each takes seconds.
#
# Every notebook starts with `resnorm.setup()`: one CPU thread (so numbers repeat to the last
# digit), the course's figure style and the edition's language (`lang="en"` here, `lang="zh"` in
# the Chinese edition under `notebooks/zh/`, where resnorm's feedback and messages are Chinese). Then `SEEDS = resnorm.seeds(n)` picks the seeds, and every
# experiment gets them as an argument: its weights, data and batch order come from those seeds
# and nothing else. The course's tests re-run every notebook with other seeds, so a claim that
# held only for the seeds shown here would fail. The models and experiments live in the small
# `resnorm` package (under `src/`), so cells stay short and the code has unit tests.

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.environment import check_environment
from resnorm.experiments.gradient_flow import mlp_layer_stats
from resnorm.figures.start_here import FIRST_NETS, plot_gradient_flow

resnorm.setup(seed=0, lang="en")
SEEDS = resnorm.seeds(5)

# %% [markdown] slideshow={"slide_type": "skip"}
# ### Environment check
# The versions below depend on your installation; each must meet the minimum the course is
# tested with.

# %% slideshow={"slide_type": "skip"} tags=["nbval-ignore-output"]
report = check_environment()
print(report)

# %% slideshow={"slide_type": "skip"}
assert report.ok, f"Some packages are missing or too old:\n{report}"
print("environment OK")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A first result in a few seconds
#
# Take a stack of 30 hidden blocks of width 64. Each block's branch is
# `f(h) = Linear(ReLU(Linear(h)))`, the shape of a Transformer's feed-forward sublayer. Compare
# four versions that differ in one place each:
#
# - **plain**: `h = f(h)`, with PyTorch's default initialisation;
# - **residual**: `h = h + f(h)`, the identity path of He et al. (2016), same initialisation;
# - **residual, He init**: the same net with He et al. (2015)'s initialisation, which makes each
#   branch pass on the variance of its input (the usual choice for ReLU nets);
# - **residual, He init + LayerNorm**: `h = h + f(LN(h))`, the pre-norm block of GPT-2 style
#   Transformers.
#
# Feed one random batch, take a cross-entropy loss on a readout head, call `backward()` once,
# and measure the gradient that reaches each block's output, $\partial L/\partial h$ (its norm over the
# batch), for five seeds. The four configurations, as keyword arguments of `resnorm.models.DeepMLP`:

# %% slideshow={"slide_type": "-"}
FIRST_NETS

# %% slideshow={"slide_type": "subslide"}
stats = mlp_layer_stats(FIRST_NETS, depth=30, width=64, seeds=SEEDS)
ax = plot_gradient_flow(stats.state_grads)

# %% [markdown] slideshow={"slide_type": "notes"}
# Read it from right to left, the way the gradient flows. In the **plain** net the gradient
# shrinks by a roughly constant factor at every block: by the first block almost nothing is
# left, so under SGD-like updates the early layers barely move (an adaptive optimizer such as
# Adam rescales each weight's step by its own gradient history, which changes that picture). The
# **residual** net has no such collapse, because the identity path hands the gradient back
# unchanged, and each branch adds a little to it. How much
# it adds depends on the initialisation: a little at PyTorch's default, a factor of about
# $\sqrt{2}$ per block at He initialisation, where the gradient (and the signal) *explode*. With
# **LayerNorm** at the start of each branch, the same He-initialised net no longer explodes: its
# gradient still grows towards the input, but like $\sqrt{L}$ instead of $2^{L/2}$ (notebook 01
# checks that scaling from 25 to 100 blocks).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The claims, checked on every seed (the gradient at the first block's output divided by the one
# at the last block's):

# %% slideshow={"slide_type": "fragment"}
grads = stats.state_grads
plain = grads.first_to_last_ratio("plain")
residual = grads.first_to_last_ratio("residual")
residual_he = grads.first_to_last_ratio("residual, He init")
blocks_ln = grads.blocks("residual, He init + LayerNorm")
spread_ln = blocks_ln.max(axis=1) / blocks_ln.min(axis=1)

print(f"plain:                first/last gradient, largest over seeds  {plain.max():.0e}")
print(f"residual:             first/last gradient, range over seeds    {residual.min():.1f} to {residual.max():.1f}")
print(f"residual, He init:    first/last gradient, smallest over seeds {residual_he.min():.0e}")
print(f"residual, He init + LN: largest/smallest block, range over seeds {spread_ln.min():.1f} to {spread_ln.max():.1f}"
      f" (sqrt(30) = {np.sqrt(30):.1f})")

assert np.all(plain < 1e-12), "plain net: the gradient should vanish towards the input"
assert np.all((residual > 1) & (residual < 5)), "residual net: the gradient should reach the first block"
assert np.all(residual_he > 1e3), "residual net, He init, no norm: the gradient should explode"
assert np.all(np.abs(np.log(spread_ln / np.sqrt(30))) < np.log(2)), "residual + LN: grows like sqrt(L), within 2x"

# %% [markdown] slideshow={"slide_type": "subslide"}
# Three answers to the interview already show:
#
# 1. residual connections fix the *vanishing* of the gradient with depth;
# 2. on their own they do **not** stop signals and gradients from growing: how much they grow
#    depends on the initialisation (a little at PyTorch's default, exponentially at He's); an
#    initialisation that shrinks the branches bounds it and a pre-norm makes it grow like
#    $\sqrt{L}$ instead of exponentially, so "residuals
#    solve vanishing *and* exploding gradients" is only half true;
# 3. together their gradient grows only like $\sqrt{L}$ across the blocks, which is why most
#    Transformers use both (normalization-free designs exist, e.g. with Dynamic Tanh, notebook 05).
#
# Notebook [01](01_residual_connections.ipynb) takes these apart one by one.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2015). *Delving Deep into Rectifiers.* ICCV. (The He initialisation,
#   their Eq. 10.)
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Fig. 1
#   and 4: deeper plain nets train worse; residual nets do not.)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.

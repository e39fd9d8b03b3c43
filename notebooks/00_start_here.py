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
# Every notebook starts with `resnorm.setup()`: fixed seeds, one CPU thread (so numbers repeat
# to the last digit) and the course's figure style. The models and experiments live in the small
# `resnorm` package (under `src/`), so cells stay short and the code has unit tests.

# %% slideshow={"slide_type": "skip"}
import numpy as np

import resnorm
from resnorm.environment import check_environment
from resnorm.experiments.gradient_flow import mlp_grad_norms
from resnorm.figures.start_here import THREE_WAYS, plot_gradient_flow

resnorm.setup(seed=0)

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
# Take a stack of 30 hidden layers, each `Linear -> ReLU` of width 64, with PyTorch's default
# initialisation. Compare three versions that differ in one place each:
#
# - **plain**: `h = f(h)`;
# - **residual**: `h = h + f(h)`, the identity path of He et al. (2016);
# - **residual + LayerNorm**: `h = h + f(LN(h))`, the pre-norm block of GPT-2 style Transformers.
#
# Feed one random batch, take a cross-entropy loss on a readout head, call `backward()` once,
# and measure the gradient norm of each layer's weight matrix, for five seeds. The three
# configurations, as keyword arguments of `resnorm.models.DeepMLP`:

# %% slideshow={"slide_type": "-"}
THREE_WAYS

# %% slideshow={"slide_type": "subslide"}
result = mlp_grad_norms(THREE_WAYS, depth=30, width=64, seeds=range(5))
ax = plot_gradient_flow(result)

# %% [markdown] slideshow={"slide_type": "notes"}
# Read it from right to left, the way the gradient flows. In the **plain** net the gradient
# shrinks by a roughly constant factor at every layer: by the first layer almost nothing is
# left, so the early layers cannot learn. The **residual** net has no such collapse, because the
# identity path hands the gradient back unchanged; but its signal grows at every block
# (`h + f(h)` adds variance), and so do its gradients. With **LayerNorm** in the branch every
# layer gets a gradient of the same order.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The claims, checked on every seed:

# %% slideshow={"slide_type": "fragment"}
plain = result.first_to_last_ratio("plain")
residual = result.first_to_last_ratio("residual")
blocks_ln = result.blocks("residual + LayerNorm")
spread_ln = blocks_ln.max(axis=1) / blocks_ln.min(axis=1)
growth = np.median(result.blocks("residual")) / np.median(blocks_ln)

print(f"plain:    first/last layer gradient, worst seed  {plain.max():.0e}")
print(f"residual: first/last layer gradient, worst seed  {residual.min():.2f}")
print(f"residual: median gradient / residual+LN's        {growth:.0f}x")
print(f"residual + LN: largest/smallest layer, worst seed {spread_ln.max():.1f}")

assert np.all(plain < 1e-6), "plain net: the gradient should vanish towards the input"
assert np.all(residual > 1e-2), "residual net: the gradient should reach the first layer"
assert growth > 20, "residual net without normalization: gradients should be large"
assert np.all(spread_ln < 10), "residual + LN: all layers should get gradients of one order"

# %% [markdown] slideshow={"slide_type": "subslide"}
# Three answers to the interview already show:
#
# 1. residual connections fix the *vanishing* of the gradient with depth;
# 2. on their own they do **not** stop signals and gradients from growing: that is the job of
#    normalization (or of careful initialisation), so "residuals solve vanishing *and* exploding
#    gradients" is only half true;
# 3. together they give every layer a gradient of the same order, which is why every
#    Transformer uses both.
#
# Notebook [01](01_residual_connections.ipynb) takes these apart one by one.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## References
#
# - He, Zhang, Ren, Sun (2016). *Deep Residual Learning for Image Recognition.* CVPR. (Fig. 1
#   and 4: deeper plain nets train worse; residual nets do not.)
# - Ba, Kiros, Hinton (2016). *Layer Normalization.* arXiv:1607.06450.
# - Xiong et al. (2020). *On Layer Normalization in the Transformer Architecture.* ICML.

"""简体中文 catalogue of resnorm: English text (the key, exactly as in the code) -> Chinese.

Terms follow docs/terminology.zh-CN.md (中英术语表). Keep every ``{field}`` of the key, with the
same format spec; Chinese punctuation is full-width (，。：；！？「」 or “”), numbers and code stay
half-width. ``tests/test_i18n.py`` checks that every message marked in the code is here, with the
same fields, and that nothing here is unused.
"""

MESSAGES: dict[str, str] = {
    # --- session, i18n, progress, widgets, quiz, argument checks (_validation), exercises/__init__
    # _validation
    "{name} must be one of {shown}; got {value!r}": "{name} 必须是 {shown} 之一，实际为 {value!r}",
    "{name} must be an integer; got {kind} {value!r}": "{name} 必须是整数，实际为 {kind} {value!r}",
    "{name} must be a real number; got {kind} {value!r}": "{name} 必须是实数，实际为 {kind} {value!r}",
    "{name} must be finite; got {value!r}": "{name} 必须是有限值，实际为 {value!r}",
    "{name} must be > {minimum}; got {value!r}": "{name} 必须 > {minimum}，实际为 {value!r}",
    "{name} must be >= {minimum}; got {value!r}": "{name} 必须 >= {minimum}，实际为 {value!r}",
    "{name} must be <= {maximum}; got {value!r}": "{name} 必须 <= {maximum}，实际为 {value!r}",
    "{name} must be a sequence of integers such as range(5); got the int {seeds!r}":
        "{name} 必须是整数序列（例如 range(5)），实际为单个 int {seeds!r}",
    "{name} must be a sequence of integers; got {kind}": "{name} 必须是整数序列，实际为 {kind}",
    "{name} must contain at least one seed; got an empty sequence": "{name} 至少要包含一个随机种子，实际为空序列",
    # session
    "{variable} must be an integer >= 0; got {raw!r}": "{variable} 必须是 >= 0 的整数，实际为 {raw!r}",
    # environment (check_environment's table)
    "ok": "满足",
    "NEEDS >= {minimum}": "需要 >= {minimum}",
    "missing": "未安装",
    # progress
    "{desc}: {n_fmt}/{total_fmt} {bar}": "{desc}：{n_fmt}/{total_fmt} {bar}",
    # widgets
    "draw must be a function draw(fig, **values); got {kind}": "draw 必须是函数 draw(fig, **values)，实际为 {kind}",
    "controls must map at least one keyword of draw to a widget": "controls 至少要把 draw 的一个关键字参数映射到一个控件",
    "{name} must be True or False; got {flag!r}": "{name} 必须是 True 或 False，实际为 {flag!r}",
    "Cannot draw this setting: {error}": "无法按这组设置作图：{error}",
    "redraw: {ms:.0f} ms": "重绘耗时：{ms:.0f} ms",
    # quiz
    "{name} must be a non-empty string; got {value!r}": "{name} 必须是非空字符串，实际为 {value!r}",
    "answer must be a finite number (int or float); got {answer!r}": "answer 必须是有限的数（int 或 float），实际为 {answer!r}",
    "Right. {explanation}": "答对了。{explanation}",
    "Not that: recompute it from the definition and try again.": "不对：从定义出发重新算一遍，再试一次。",
    "precision must be an integer >= 1 (significant digits); got {precision!r}":
        "precision 必须是 >= 1 的整数（有效数字位数），实际为 {precision!r}",
    "wrong must be a non-empty dict from option to why it is wrong; got {wrong!r}":
        "wrong 必须是非空 dict，把每个错误选项映射到它错在哪里，实际为 {wrong!r}",
    "wrong must not contain the correct option {correct!r}": "wrong 不能包含正确选项 {correct!r}",
    "a wrong option": "错误选项",
    "why an option is wrong": "选项错在哪里的说明",
    "No: {why}": "不对：{why}",
    "questions must be a non-empty list of question dicts from numeric() or choice()":
        "questions 必须是非空 list，其中是 numeric() 或 choice() 生成的题目 dict",
    # exercises/__init__
    "exercise key {key!r} is already registered": "练习键 {key!r} 已经注册过了",
    "key must be one of {keys}; got {key!r}": "key 必须是 {keys} 之一，实际为 {key!r}",
    "not attempted yet: replace the ... with your answer and run the cell again":
        "还没作答：把 ... 换成你的答案，再运行这个单元格",
    "not yet: {why}": "还不对：{why}",
    "correct: {title}": "正确：{title}",
    "Hint {i}: {text}": "提示 {i}：{text}",
    "the answer": "答案",
    "{what} must be a number (an int or a float); got {kind}": "{what}必须是数（int 或 float），实际为 {kind}",
    "{what} must be a finite number; got {value}": "{what}必须是有限的数，实际为 {value}",
    "too large": "偏大",
    "too small": "偏小",
    "{what} is {direction} by a factor of about {ratio:.2g}": "{what}{direction}，与正确值相差约 {ratio:.2g} 倍",
    "{what} is {direction} by a little": "{what}{direction}，差得不多",
    "{what} is {direction} and of the wrong sign": "{what}{direction}，而且符号反了",
    "{what} is {direction}": "{what}{direction}",
    "{what} must be a set of options such as {{{option!r}}}; got {kind}":
        "{what}必须是由选项组成的 set，例如 {{{option!r}}}，实际为 {kind}",
    "{what} must contain options such as {option!r}, not lists or dicts":
        "{what}里应是 {option!r} 这样的选项，不能是 list 或 dict",
    "{option!r} is not one of the options; choose from {allowed}": "{option!r} 不是可选项；请从 {allowed} 中选择",
    "{option!r} should not be in {what}": "{option!r} 不应出现在{what}中",
    "{what} is missing an option": "{what}少了一个选项",
    "{option!r} is missing": "缺少 {option!r}",
    "{message}: {why}": "{message}：{why}",
    # --- end of section


    # --- exercises of notebooks 01-05 (exercises/residual_connections ... beyond_the_interview)
    # shared by several exercises
    "your function raised {error_type}: {error}": "你的函数抛出了 {error_type}：{error}",
    "return a tensor of the input's shape {expected}; got {shape}": "请返回与输入形状相同（{expected}）的张量，实际为 {shape}",
    # 01.residual_forward
    "answer must be a function residual_forward(h, branch); got {kind}":
        "answer 必须是函数 residual_forward(h, branch)，实际为 {kind}",
    "your function changed its input h in place (e.g. `h += ...` or an in-place ReLU): the caller's tensor is "
    "overwritten - the bug of the source's block; build a new tensor instead":
        "你的函数原地修改了输入 h（例如 `h += ...` 或原地 ReLU）：调用方的张量被覆盖了，这正是原文那个块的 bug。"
        "请构造一个新张量",
    "you return only the branch f(h): that is a plain layer; the identity path (the input itself) must be added back":
        "你只返回了分支 f(h)：这是普通的层。还要把恒等路径（输入本身）加回来",
    "you add the branch to itself (like the source's `x = x + x`): the sum must be input + branch(input)":
        "你把分支和它自己相加了（就像原文的 `x = x + x`）：应当是 input + branch(input)",
    "you apply a ReLU after the sum: that makes the stream non-negative and is not part of x + F(x); return the "
    "plain sum":
        "你在求和之后又加了一个 ReLU：这会让残差流变成非负，而它不属于 x + F(x)。直接返回和即可",
    "you feed relu(h) to the branch: the branch gets the block's input as it is":
        "你把 relu(h) 送进了分支：分支接收的是块的原始输入",
    "the output is not h + branch(h)": "输出不等于 h + branch(h)",
    "the forward pass of a residual block": "残差块的前向传播",
    "A residual block computes output = input + F(input), where F is the branch.":
        "残差块计算 output = input + F(input)，其中 F 是分支。",
    "Do not modify h itself (no +=, no in-place ops): return a new tensor.":
        "不要修改 h 本身（不用 +=，不用原地操作）：返回一个新张量。",
    "def residual_forward(h, branch):\n    return h + branch(h)\n\nanswer = residual_forward":
        "def residual_forward(h, branch):\n    return h + branch(h)\n\nanswer = residual_forward",
    # 01.which_vanishes
    "which 30-layer nets lose the gradient": "哪些 30 层网络会出现梯度消失",
    "the set of vanishing nets": "梯度消失的网络集合",
    "30 Linear-ReLU-Linear blocks at default init shrink the gradient by about sqrt(1/18) per block":
        "30 个默认初始化的 Linear-ReLU-Linear 块，每经过一块梯度约缩小为 sqrt(1/18) 倍",
    "each LayerNorm scales the backward pass up by 1/sigma, which undoes most of what the branch takes off: the "
    "gradient shrinks only a few percent per block (PyTorch's default biases add to the forward signal but not to "
    "the backward gain), it does not vanish":
        "每个 LayerNorm 在反向传播时把梯度放大 1/sigma 倍，抵消了分支造成的大部分衰减：梯度每块只缩小百分之几"
        "（PyTorch 默认的偏置会增大前向信号，却不增大反向增益），不会消失",
    "the identity path hands the gradient back unchanged, so it reaches the first block, even a little larger "
    "(sqrt(19/18) per block)":
        "恒等路径把梯度原样传回，所以梯度能到达第一个块，甚至还略有增大（每块 sqrt(19/18) 倍）",
    "at PyTorch's default init it behaves like the plain residual net: the identity path carries the gradient to "
    "the first block":
        "在 PyTorch 默认初始化下，它和不带归一化的残差网络表现一样：恒等路径把梯度送到第一个块",
    "Vanishing means: the gradient at the first block's output is less than 1/1000 of the one at the last block's.":
        "“消失”指：第一个块输出处的梯度不到最后一个块输出处的 1/1000。",
    "Which nets give the gradient a path that does not go through a weight matrix at every layer? And what does a "
    "normalization do to the backward signal of a plain net?":
        "哪些网络给梯度留了一条不必逐层穿过权重矩阵的路径？归一化又会对普通网络的反向信号做什么？",
    'answer = {"plain"}\n# plain + LayerNorm: it shrinks a few percent per block (first/last 0.05 to 0.4,\n'
    "# from the default biases); residual and residual + LayerNorm: the identity path carries it.":
        'answer = {"plain"}\n# plain + LayerNorm：梯度每块只缩小百分之几（首块/末块为 0.05 到 0.4，\n'
        "# 来自默认的偏置）；residual 和 residual + LayerNorm：恒等路径把梯度传了回去。",
    # 01.he_factor
    "give a number, not a string: e.g. answer = (1 / 18) ** 0.5 (Python computes it)":
        "请给出一个数，而不是字符串：例如 answer = (1 / 18) ** 0.5（让 Python 来算）",
    "the factor per block": "每个块的因子",
    "sqrt(2) is the factor of a *residual* block (1 + 1 for the mean square); this block is plain":
        "sqrt(2) 是残差块的因子（均方值为 1 + 1），而这里是普通块",
    "you counted the ReLU's 1/2 but not the gain of 2 of the first layer's weights (variance 2/n, times n rows)":
        "你算了 ReLU 的 1/2，却漏了第一层权重带来的 2 倍增益（方差 2/n，乘以 n 行）",
    "sqrt(1/18) is PyTorch's default init (variance 1/(3n)); here the variances are 2/n and 1/n":
        "sqrt(1/18) 对应 PyTorch 的默认初始化（方差 1/(3n)）；这里的方差是 2/n 和 1/n",
    "the backward factor of one plain block at He initialisation": "何恺明初始化下一个普通块的反向因子",
    "Backward through Linear(n, n) with weight variance v, the gradient's mean square is multiplied by n * v; "
    "through a ReLU by about 1/2.":
        "反向穿过权重方差为 v 的 Linear(n, n) 时，梯度的均方值乘以 n * v；穿过 ReLU 时约乘以 1/2。",
    "Multiply the three mean-square factors, then take the square root for the norm.":
        "把三个均方值因子相乘，再开平方得到范数的因子。",
    "answer = (2 * 0.5 * 1) ** 0.5   # = 1.0: He init keeps the plain net's gradient at its size (and a residual "
    "block then doubles its mean square)":
        "answer = (2 * 0.5 * 1) ** 0.5   # = 1.0：何恺明初始化让普通网络的梯度保持原有大小（残差块则让它的均方值翻倍）",
    # 01.shortcut_gain
    "what a 0.5 shortcut does to the gradient": "系数 0.5 的捷径连接对梯度的影响",
    "One block with a scaled shortcut computes lam * h + F(h); the identity part of its Jacobian is lam times the "
    "identity matrix.":
        "带缩放捷径连接的块计算 lam * h + F(h)；它的雅可比矩阵中恒等部分是 lam 乘以单位矩阵。",
    "Going backward through several blocks, the Jacobians multiply.": "反向穿过多个块时，各块的雅可比矩阵相乘。",
    "answer = 0.5 ** 40   # = 9.09e-13: the identity path is effectively gone":
        "answer = 0.5 ** 40   # = 9.09e-13：恒等路径实际上已经没了",
    "give a number, not a string: e.g. answer = 0.5 ** 3 (Python computes it)":
        "请给出一个数，而不是字符串：例如 answer = 0.5 ** 3（让 Python 来算）",
    "the gain": "增益",
    "0.5 is the gain of one block; there are 40 of them in a row": "0.5 是一个块的增益，而这里一共串联了 40 个块",
    "the factors of successive blocks multiply, they do not add": "相邻各块的因子是相乘，不是相加",
    "{wrong} - a scale below 1 shrinks the gradient, the gain must be < 1": "{wrong}。小于 1 的系数会缩小梯度，增益必须 < 1",
    # 01.source_block
    "Its leading self.relu(x) changes nothing when the block follows another such block.":
        "当这个块接在另一个同样的块之后时，开头的 self.relu(x) 不起任何作用。",
    "With nn.ReLU(inplace=True) the tensor kept as `identity` is overwritten by relu(x).":
        "用了 nn.ReLU(inplace=True)，作为 `identity` 保存的张量会被 relu(x) 覆盖。",
    "The shortcut adds parameters even when in_channels == out_channels.":
        "即使 in_channels == out_channels，捷径连接也会增加参数。",
    "The block has no normalization layer.": "这个块没有归一化层。",
    "Its 1x1 projection shortcut cannot downsample: the block cannot halve the resolution.":
        "它的 1x1 投影捷径无法下采样：这个块不能把分辨率减半。",
    "The in-place ReLU only saves memory and never changes any result.": "原地 ReLU 只是省内存，不会改变任何结果。",
    "what is wrong with the source's ResidualBlock": "原文的 ResidualBlock 错在哪里",
    "the set of true statements": "正确陈述的集合",
    "the previous block ends with a ReLU, so the input is already >= 0": "前一个块以 ReLU 结尾，所以输入已经 >= 0",
    "identity and x are the same tensor, and an in-place ReLU rewrites it": "identity 和 x 是同一个张量，原地 ReLU 会改写它",
    "with equal channels self.shortcut is None: the identity shortcut is free":
        "通道数相同时 self.shortcut 是 None：恒等捷径连接没有任何参数",
    "there is no BatchNorm (He et al. put one after every convolution)": "块里没有 BatchNorm（何恺明等人在每个卷积之后都放了一个）",
    "its stride is fixed at 1 and the convolutions have no stride either": "它的 stride 固定为 1，卷积也没有设置 stride",
    "it overwrote the caller's tensor and changed the outputs in the notebook, and backward() through two stacked "
    "blocks fails":
        "它覆盖了调用方的张量，改变了 notebook 中的输出，而且穿过两个堆叠块的 backward() 会报错",
    "Run the notebook's section on the source's block: each statement is measured there.":
        "运行 notebook 中关于原文残差块的那一节：每条陈述都在那里测量过。",
    "Look at what `self.shortcut` is when the channel counts are equal.": "看看通道数相同时 `self.shortcut` 是什么。",
    'answer = {"a", "b", "d", "e"}': 'answer = {"a", "b", "d", "e"}',
    # 02.implement_layernorm
    "your function must return a torch.Tensor; it returned {kind}": "你的函数必须返回 torch.Tensor，实际返回了 {kind}",
    "the output must have the input's shape {expected}; got {got}": "输出的形状必须与输入相同（{expected}），实际为 {got}",
    "answer must be a function layer_norm(x, weight, bias, eps) - got {kind}":
        "answer 必须是函数 layer_norm(x, weight, bias, eps)，实际为 {kind}",
    "your output is the right one times sqrt((d-1)/d): that is the unbiased variance (x.var() divides by d-1); "
    "LayerNorm uses the biased one (divide by d: x.var(-1, correction=0))":
        "你的输出等于正确结果乘以 sqrt((d-1)/d)：这是无偏方差造成的（x.var() 除以 d-1）。"
        "层归一化用的是有偏方差（除以 d：x.var(-1, correction=0)）",
    "each example's output should have mean 0 over its features: take the mean and variance over the LAST "
    "dimension (dim=-1, keepdim=True), not over the batch":
        "每个样本的输出在其特征上的均值应为 0：请在最后一个维度上（dim=-1, keepdim=True）求均值和方差，而不是在 batch 上",
    "the output differs from F.layer_norm; compute (x - mean) / sqrt(var + eps) over the last dimension":
        "输出与 F.layer_norm 不同；请在最后一个维度上计算 (x - mean) / sqrt(var + eps)",
    "with a gain and a bias the output is wrong: the result is weight * normalised + bias (element-wise, one gain "
    "and bias per feature), for inputs of any number of leading dimensions":
        "加上缩放参数和平移参数后输出就错了：结果应为 weight * normalised + bias（逐元素，每个特征一个缩放参数和"
        "一个平移参数），而且对前面有任意多个维度的输入都成立",
    "the output carries no gradient: do not detach or use .data / numpy":
        "输出不带梯度：不要 detach，也不要用 .data 或 numpy",
    "the forward pass is right but the gradient with respect to {name} is not: the mean and variance must stay in "
    "the autograd graph (no .detach())":
        "前向传播对了，但对 {name} 的梯度不对：均值和方差必须留在 autograd 计算图中（不要 .detach()）",
    "right for ordinary inputs but wrong for tiny ones (std 1e-3): eps goes inside the square root, sqrt(var + eps),"
    " not sqrt(var) + eps":
        "普通输入正确，极小的输入（std 1e-3）却错了：eps 应放在平方根里面，sqrt(var + eps)，而不是 sqrt(var) + eps",
    "LayerNorm from scratch, equal to F.layer_norm in forward and backward":
        "从零实现层归一化，前向和反向都与 F.layer_norm 一致",
    "Every statistic is taken over the last dimension, one example (or token) at a time: x.mean(-1, keepdim=True).":
        "所有统计量都在最后一个维度上计算，每个样本（或 token）单独计算：x.mean(-1, keepdim=True)。",
    "The variance is the biased one: the mean of (x - mean)**2, dividing by d, not d - 1.":
        "方差用有偏的：(x - mean)**2 的均值，除以 d 而不是 d - 1。",
    "eps goes inside the square root; the gain and bias are applied last, element-wise.":
        "eps 放在平方根里面；缩放参数和平移参数最后逐元素作用。",
    "def layer_norm(x, weight, bias, eps=1e-5):\n    mean = x.mean(-1, keepdim=True)\n"
    "    var = (x - mean).pow(2).mean(-1, keepdim=True)   # biased: divide by d\n"
    "    return weight * (x - mean) / torch.sqrt(var + eps) + bias\n\nanswer = layer_norm":
        "def layer_norm(x, weight, bias, eps=1e-5):\n    mean = x.mean(-1, keepdim=True)\n"
        "    var = (x - mean).pow(2).mean(-1, keepdim=True)   # 有偏：除以 d\n"
        "    return weight * (x - mean) / torch.sqrt(var + eps) + bias\n\nanswer = layer_norm",
    # 02.source_factor
    "answer must be a number (a float); got {kind}": "answer 必须是数（float），实际为 {kind}",
    "{value:.4f} is the ratio of the two variances; the output divides by the square root of the variance":
        "{value:.4f} 是两个方差之比；输出除以的是方差的平方根",
    "the unbiased variance divides by d-1, so it is LARGER than the biased one; dividing by something larger makes "
    "the source's output smaller: the factor is below 1":
        "无偏方差除以 d-1，所以比有偏方差更大；除以更大的数，原文的输出就更小：这个因子小于 1",
    "the two are not equal: run the comparison in the notebook and look at what x.var() divides by":
        "两者并不相等：运行 notebook 中的对比，看看 x.var() 除以的是什么",
    "not the factor for d = {d}; write it with d: how do the two variances compare, and what does the output "
    "divide by?":
        "这不是 d = {d} 时的因子。请用 d 写出来：两个方差之间是什么关系？输出又除以什么？",
    "the factor the source's unbiased variance puts on the output": "原文的无偏方差给输出乘上的因子",
    "x.var(-1) divides the sum of squared deviations by d - 1; nn.LayerNorm divides by d.":
        "x.var(-1) 把离差平方和除以 d - 1；nn.LayerNorm 除以 d。",
    "So var_source = var * d / (d - 1), and the output is divided by the square root of it.":
        "所以 var_source = var * d / (d - 1)，而输出要除以它的平方根。",
    "import math\nd = 64\nanswer = math.sqrt((d - 1) / d)   # 0.9922: the source's output is 0.78% too small":
        "import math\nd = 64\nanswer = math.sqrt((d - 1) / d)   # 0.9922：原文的输出小了 0.78%",
    # 02.implement_rmsnorm
    "answer must be a function rms_norm(x, weight, eps) - got {kind}": "answer 必须是函数 rms_norm(x, weight, eps)，实际为 {kind}",
    "your output has mean 0 per example: RMSNorm does NOT subtract the mean; it divides x by sqrt(mean(x**2) + eps)":
        "你的输出每个样本的均值都是 0：RMSNorm 并不减去均值，它只把 x 除以 sqrt(mean(x**2) + eps)",
    "the gain is missing: multiply by weight (one gain per feature)": "缺少缩放参数：乘以 weight（每个特征一个缩放参数）",
    "the output differs from F.rms_norm: x / sqrt(mean(x**2, last dim) + eps) * weight":
        "输出与 F.rms_norm 不同：应为 x / sqrt(mean(x**2, last dim) + eps) * weight",
    "forward right, gradient with respect to {name} wrong: keep every statistic in the autograd graph":
        "前向正确，对 {name} 的梯度错误：所有统计量都要留在 autograd 计算图中",
    "right for ordinary inputs, wrong for tiny ones (scale 1e-4): eps goes inside the square root, "
    "sqrt(mean(x**2) + eps)":
        "普通输入正确，极小的输入（尺度 1e-4）错误：eps 应放在平方根里面，sqrt(mean(x**2) + eps)",
    "RMSNorm from scratch, equal to F.rms_norm in forward and backward": "从零实现 RMSNorm，前向和反向都与 F.rms_norm 一致",
    "Start from your LayerNorm and delete what RMSNorm does not do: the mean and the bias.":
        "从你的层归一化出发，删掉 RMSNorm 不做的部分：均值和平移参数。",
    "The one statistic is the mean of x**2 over the last dimension; eps goes inside the root.":
        "唯一的统计量是 x**2 在最后一个维度上的均值；eps 放在根号里面。",
    "def rms_norm(x, weight, eps=1e-6):\n    return weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)"
    "\n\nanswer = rms_norm":
        "def rms_norm(x, weight, eps=1e-6):\n    return weight * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)"
        "\n\nanswer = rms_norm",
    # 02.rms_invariances
    "scaling W scales every summed input, and the RMS with it": "缩放 W 会缩放每个加权输入，RMS 也随之同比缩放",
    "scaling every x scales W x, and the RMS with it": "缩放每个 x 会缩放 W x，RMS 也随之同比缩放",
    "RMSNorm sees one example at a time, and scaling it scales its RMS": "RMSNorm 每次只看一个样本，缩放样本就会同比缩放它的 RMS",
    "adding the same vector to every row of W adds a common shift to all summed inputs; LayerNorm subtracts it, "
    "RMSNorm does not":
        "给 W 的每一行加上同一个向量，会给所有加权输入加上一个共同的偏移；层归一化会减掉它，RMSNorm 不会",
    "shifting every x by c adds W c, a different shift per neuron": "把每个 x 平移 c 会加上 W c，每个神经元的偏移各不相同",
    "scaling one neuron's weights changes that neuron relative to the others; only a per-neuron statistic "
    "(BatchNorm) undoes it":
        "缩放某一个神经元的权重会改变它与其他神经元的相对大小；只有按神经元计算的统计量（批归一化）能抵消它",
    'answer must be a set of column names, e.g. {{"dataset re-scaling"}}; got {kind}':
        'answer 必须是列名的集合，例如 {{"dataset re-scaling"}}，实际为 {kind}',
    "unknown name(s) {unknown}; the allowed names are: {allowed}": "未知的列名 {unknown}；可用的列名有：{allowed}",
    "RMSNorm is NOT invariant to {option!r}: {why}": "RMSNorm 对 {option!r} 并不具有不变性：{why}",
    "RMSNorm is also invariant to {option!r}: {why}": "RMSNorm 对 {option!r} 也具有不变性：{why}",
    "the invariances of RMSNorm (Ba et al. 2016's Table 1 columns; Zhang & Sennrich 2019, Table 1)":
        "RMSNorm 的不变性（列名同 Ba 等人 2016 年的表 1，答案见 Zhang 和 Sennrich 2019 年的表 1）",
    "RMSNorm divides each example's summed inputs by their root mean square. Which changes multiply all of them by "
    "the same positive number?":
        "RMSNorm 把每个样本的加权输入除以它们的均方根。哪些变换会把它们全部乘以同一个正数？",
    "It never subtracts anything, so no shift (re-centering) is undone.": "它从不减去任何东西，所以任何重新中心化（re-centering）都不会被抵消。",
    'answer = {"weight matrix re-scaling", "dataset re-scaling",\n          "single training case re-scaling"}\n'
    "# LayerNorm's row minus 'weight matrix re-centering': the mean subtraction is what undoes\n"
    "# a common shift (Zhang & Sennrich 2019, Table 1). The invariance table in the notebook\n"
    "# measures all of them.":
        'answer = {"weight matrix re-scaling", "dataset re-scaling",\n          "single training case re-scaling"}\n'
        "# 即层归一化那一行去掉 'weight matrix re-centering'：抵消共同偏移的正是减均值这一步\n"
        "# 见 Zhang 和 Sennrich（2019）表 1。notebook 中的不变性表把它们全都测量了一遍。",
    # 03.fix_source_layer, 03.post_ln_block
    "answer must be a function forward(block, x) -> tensor; got {kind}":
        "answer 必须是函数 forward(block, x) -> tensor，实际为 {kind}",
    "calling your function raised {error_type}: {error}": "调用你的函数时抛出了 {error_type}：{error}",
    "your function must return a tensor; it returned {kind}": "你的函数必须返回张量，实际返回了 {kind}",
    "the source's layer": "原文的层",
    "a Post-LN block": "后置归一化（Post-LN）块",
    "a Pre-LN block": "前置归一化（Pre-LN）块",
    " or ": "或",
    "this is the source's layer: `x = x + x` adds the branch to itself and the block's input never reaches its "
    "output; add the branch to the block's input instead":
        "这就是原文的层：`x = x + x` 把分支和它自己相加，块的输入根本到不了输出。应当把分支加到块的输入上",
    "this computes {label}, not {wanted}: check where the norms sit relative to the sums":
        "这计算的是{label}，不是{wanted}：检查归一化层相对于求和的位置",
    "the output differs from {wanted} by up to {error:.3g}; compare each line with the formulas above the exercise":
        "输出与{wanted}最多相差 {error:.3g}；请逐行对照练习上方的公式",
    "the source's layer, fixed": "修好原文的层",
    "A residual branch adds its output to the branch's *input*: y = x + f(x), never f(x) + f(x).":
        "残差分支把它的输出加到分支自己的输入上：y = x + f(x)，绝不是 f(x) + f(x)。",
    "Keep the source's norms where they are (before each sublayer) and add each sublayer's output to the input of "
    "that sublayer's norm: x = x + attn(norm1(x)).":
        "原文的归一化层保持原位（在每个子层之前），把每个子层的输出加到该子层归一化层的输入上：x = x + attn(norm1(x))。",
    "Two sub-layers, two sums: attention with norm1, then the feed-forward net with norm2. That is Pre-LN; a "
    "Post-LN block, x = norm(x + sublayer(x)), is also a correct fix.":
        "两个子层，两次求和：先是带 norm1 的注意力，再是带 norm2 的前馈网络。这就是前置归一化；"
        "后置归一化块 x = norm(x + sublayer(x)) 也是正确的修法。",
    "def fixed_layer(block, x):\n    x = x + block.attn(block.norm1(x))     # add the branch to the layer's input, "
    "not to itself\n    return x + block.ffn(block.norm2(x))\n# The source's norms already sit before each sublayer, "
    "so this is a Pre-LN block; a stack of\n# them needs one more norm before the head (TinyTransformer.final_norm). "
    "A Post-LN block is\n# accepted too (exercise 2).\n":
        "def fixed_layer(block, x):\n    x = x + block.attn(block.norm1(x))     # 把分支加到层的输入上，而不是加到它自己上\n"
        "    return x + block.ffn(block.norm2(x))\n# 原文的归一化层本来就在每个子层之前，所以这是一个前置归一化（Pre-LN）块；\n"
        "# 把它们堆叠起来时，输出头之前还需要再加一个归一化层（TinyTransformer.final_norm）。\n"
        "# 后置归一化（Post-LN）块同样算对（见练习 2）。\n",
    "Post-LN (Vaswani et al. 2017) normalises after each sum: x = norm(x + sublayer(x)).":
        "后置归一化（Vaswani 等人，2017）在每次求和之后做归一化：x = norm(x + sublayer(x))。",
    "The sublayer sees the un-normalised stream; the norm comes after the sum, so with zeroed branches the block "
    "returns norm2(norm1(x)).":
        "子层看到的是未归一化的残差流；归一化在求和之后，所以分支置零时块返回 norm2(norm1(x))。",
    "def post_ln(block, x):\n    x = block.norm1(x + block.attn(x))     # sum first, then normalise\n"
    "    return block.norm2(x + block.ffn(x))   # no final norm needed: the last block ends with one\n":
        "def post_ln(block, x):\n    x = block.norm1(x + block.attn(x))     # 先求和，再归一化\n"
        "    return block.norm2(x + block.ffn(x))   # 不需要最后的归一化层：最后一个块本身就以归一化结尾\n",
    # 03.depth_ratios
    'answer must be a dict with the keys "post" and "pre", e.g. {"post": 1.0, "pre": 1.0}':
        'answer 必须是以 "post" 和 "pre" 为键的 dict，例如 {"post": 1.0, "pre": 1.0}',
    "answer[{key!r}] must be a number (a ratio); got {value!r}": "answer[{key!r}] 必须是数（一个比值），实际为 {value!r}",
    "Post-LN ratio {post:g}: in Post-LN the last block's gradient does not depend on the number of blocks "
    "(Theorem 1)":
        "Post-LN 的比值 {post:g}：在后置归一化中，最后一个块的梯度与块数无关（定理 1）",
    "Pre-LN ratio 0.25 would be 1/L; the gradient scales with 1/||x_L||, and ||x_L||^2 grows like L":
        "Pre-LN 的比值 0.25 相当于 1/L；而梯度按 1/||x_L|| 缩放，||x_L||^2 随 L 线性增长",
    "Pre-LN ratio {pre:g}: the last block's gradient scales like 1/sqrt(L); what is sqrt(4/16)?":
        "Pre-LN 的比值 {pre:g}：最后一个块的梯度按 1/sqrt(L) 缩放；sqrt(4/16) 是多少？",
    "how the last block's gradient scales with depth": "最后一个块的梯度如何随深度变化",
    "Theorem 1 of Xiong et al. (2020): Post-LN about independent of L; Pre-LN about 1/sqrt(L) (the limit where the "
    "blocks' contributions to the stream outweigh the input).":
        "Xiong 等人（2020）的定理 1：后置归一化大致与 L 无关；前置归一化大致为 1/sqrt(L)"
        "（即各块对残差流的贡献远超输入时的极限）。",
    "Going from 4 to 16 blocks multiplies L by 4.": "从 4 个块增加到 16 个块，L 变为原来的 4 倍。",
    'answer = {"post": 1.0, "pre": 0.5}   # Pre-LN: sqrt(4 / 16) = 0.5':
        'answer = {"post": 1.0, "pre": 0.5}   # Pre-LN：sqrt(4 / 16) = 0.5',
    # 04.projection_params
    "give a whole number of parameters (an int); got {kind} {answer!r}": "请给出参数的个数（一个 int），实际为 {kind} {answer!r}",
    "0 is right for an identity shortcut, but 64 -> 128 channels cannot be an identity: the shortcut is a 1x1 "
    "convolution with weights":
        "恒等捷径连接确实是 0，但 64 -> 128 通道不可能是恒等映射：这里的捷径连接是带权重的 1x1 卷积",
    "{answer} counts the weights only: nn.Conv2d has bias=True by default, one bias per output channel":
        "{answer} 只算了权重：nn.Conv2d 默认 bias=True，每个输出通道还有一个偏置",
    "that is a 3x3 convolution; the projection's kernel is 1x1": "这是 3x3 卷积的参数量；投影的卷积核是 1x1",
    "{answer} is not it: a 1x1 convolution has in_channels x out_channels weights plus out_channels biases":
        "{answer} 不对：1x1 卷积有 in_channels x out_channels 个权重，外加 out_channels 个偏置",
    "a 1x1 projection shortcut from 64 to 128 channels has 64*128 + 128 = 8,320 parameters":
        "从 64 通道到 128 通道的 1x1 投影捷径有 64*128 + 128 = 8,320 个参数",
    "The source's block uses nn.Conv2d(in_channels, out_channels, kernel_size=1) when the channel counts differ. "
    "How many weights does a 1x1 kernel have per (input, output) channel pair?":
        "通道数不同时，原文的块使用 nn.Conv2d(in_channels, out_channels, kernel_size=1)。"
        "对每一对（输入，输出）通道，1x1 卷积核有几个权重？",
    "Check your count with resnorm.experiments.param_count.count_parameters(nn.Conv2d(64, 128, 1)).":
        "用 resnorm.experiments.param_count.count_parameters(nn.Conv2d(64, 128, 1)) 核对你的计数。",
    "answer = 64 * 128 + 128  # 1x1 kernel: one weight per channel pair, plus one bias per output channel":
        "answer = 64 * 128 + 128  # 1x1 卷积核：每对通道一个权重，外加每个输出通道一个偏置",
    # 04.add_flop_share
    "give a number (a fraction such as 0.01); got {answer!r}": "请给出一个数（如 0.01 这样的比例），实际为 {answer!r}",
    "the add does not double the work: it is one addition per feature, while each Linear layer does d "
    "multiply-adds per feature":
        "加法不会让计算量翻倍：它每个特征只做一次加法，而每个 Linear 层每个特征要做 d 次乘加",
    "that is the add next to one Linear layer; the branch has two of them": "这是加法相对于一个 Linear 层的比例；分支里有两个 Linear 层",
    "close: a multiply-add counts as 2 FLOPs, and the branch has two Linear layers":
        "接近了：一次乘加算 2 FLOPs，而且分支里有两个 Linear 层",
    "give a fraction, not a percentage": "请给出比例，而不是百分数",
    "{answer:.3g} is off: per token the add costs d FLOPs and each Linear layer 2 d^2":
        "{answer:.3g} 不对：每个 token 上，加法花 d FLOPs，每个 Linear 层花 2 d^2 FLOPs",
    "the identity shortcut adds 1/(4d) = 1/2048 of a two-layer Linear(512, 512) branch's FLOPs":
        "恒等捷径连接只增加两层 Linear(512, 512) 分支 FLOPs 的 1/(4d) = 1/2048",
    "Per token, the add h + f(h) does one addition per feature: d FLOPs.": "每个 token 上，加法 h + f(h) 每个特征做一次加法：共 d FLOPs。",
    "Per token, each Linear(d, d) does d x d multiply-adds; count a multiply-add as 2 FLOPs, and the branch has two "
    "such layers.":
        "每个 token 上，每个 Linear(d, d) 做 d x d 次乘加；一次乘加算 2 FLOPs，而分支有两个这样的层。",
    "d = 512\nanswer = d / (2 * (2 * d * d))  # = 1/2048, about 0.05%": "d = 512\nanswer = d / (2 * (2 * d * d))  # = 1/2048，约 0.05%",
    # 04.rebuild_from_layernorm
    "give a function stats(x) that returns (mean, std)": "请给出一个返回 (mean, std) 的函数 stats(x)",
    "stats(x) failed or returned the wrong shapes ({error_type}: {error}); return two tensors of shape (..., 1), "
    "e.g. with keepdim=True":
        "stats(x) 出错或返回的形状不对（{error_type}：{error}）；请返回两个形状为 (..., 1) 的张量，例如用 keepdim=True",
    "mean and std must have shape (..., 1) (keepdim=True) so that they broadcast over the features; mean + std * "
    "LN(x) had shape {shape}":
        "mean 和 std 的形状必须是 (..., 1)（keepdim=True），才能在特征维上广播；mean + std * LN(x) 的形状却是 {shape}",
    "x.std() is the unbiased estimate (divides by d - 1); LayerNorm uses the biased one (divides by d), the same "
    "bug as the source's LayerNorm snippet":
        "x.std() 是无偏估计（除以 d - 1）；层归一化用的是有偏估计（除以 d）。这和原文层归一化代码片段的 bug 一样",
    "mean + std * LN(x) misses x by up to {error:.3g}; return the mean and the standard deviation (not the "
    "variance) over the last dimension":
        "mean + std * LN(x) 与 x 最多相差 {error:.3g}；请返回最后一个维度上的均值和标准差（不是方差）",
    "LayerNorm discards exactly two numbers per vector: its mean and its (biased) std":
        "层归一化对每个向量恰好丢掉两个数：它的均值和（有偏）标准差",
    "LayerNorm computes (x - mean) / std per vector; undo it: x = mean + std * LN(x).":
        "层归一化对每个向量计算 (x - mean) / std；把它倒过来：x = mean + std * LN(x)。",
    "Take both statistics over the last dimension with keepdim=True, and use the biased standard deviation "
    "(unbiased=False), as nn.LayerNorm does.":
        "两个统计量都在最后一个维度上用 keepdim=True 计算，并像 nn.LayerNorm 一样使用有偏标准差（unbiased=False）。",
    "def stats(x):\n    return x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False)\n\nanswer = stats":
        "def stats(x):\n    return x.mean(-1, keepdim=True), x.std(-1, keepdim=True, unbiased=False)\n\nanswer = stats",
    # 05.paths
    "the answer must be a whole number of paths; got {kind} {answer!r}": "答案必须是路径的条数（整数），实际为 {kind} {answer!r}",
    "{answer} is the number of all paths (each block: branch or skip); count only those that take exactly {k} "
    "branches":
        "{answer} 是全部路径的条数（每个块：走分支或跳过）；只数恰好经过 {k} 个分支的路径",
    "you counted ordered choices: a path visits its blocks in the network's order, so the order of choosing them "
    "does not matter - divide by 3!":
        "你数的是有序选择：路径总是按网络中的顺序经过各块，选取的先后无关紧要，要除以 3!",
    "a path of length {k} is a choice of which {k} of the {n} branches it takes: count the subsets of that size":
        "长度为 {k} 的路径，就是从 {n} 个分支中选出它经过的 {k} 个：数一数这样大小的子集有多少个",
    "count the ways to choose which {k} of the {n} branches a path goes through":
        "数一数：从 {n} 个分支中选出路径经过的 {k} 个，有多少种选法",
    "counting the paths of a residual net": "数残差网络的路径",
    "Unroll the net: at every block a path either goes through the branch or takes the shortcut.":
        "把网络展开：在每个块处，路径要么穿过分支，要么走捷径连接。",
    "A path of length k is fixed by the set of k branches it goes through: 'n choose k'.":
        "长度为 k 的路径由它经过的 k 个分支构成的集合唯一确定：即 “n 选 k”。",
    "from math import comb\nanswer = comb(10, 3)   # 120 of the 2**10 = 1024 paths":
        "from math import comb\nanswer = comb(10, 3)   # 2**10 = 1024 条路径中的 120 条",
    # 05.deepnorm
    "the answer must be a pair (alpha, beta); got {kind} {answer!r}": "答案必须是一对数 (alpha, beta)，实际为 {kind} {answer!r}",
    "alpha and beta must both be numbers": "alpha 和 beta 都必须是数",
    "alpha and beta are swapped: alpha (> 1) up-weights the shortcut, beta (< 1) shrinks the initial weights of the "
    "branch":
        "alpha 和 beta 弄反了：alpha（> 1）加大捷径连接的权重，beta（< 1）缩小分支的初始权重",
    "the encoder-only constants use fourth roots, not square roots": "仅编码器模型的常数用的是四次方根，不是平方根",
    "DeepNorm makes alpha > 1 (a stronger shortcut) and beta < 1 (a smaller initial branch); yours do not":
        "DeepNorm 要求 alpha > 1（更强的捷径连接）且 beta < 1（更小的初始分支），你的答案不满足",
    "use alpha = (2N)^(1/4) and beta = (8N)^(-1/4) with N = {n}": "用 alpha = (2N)^(1/4) 和 beta = (8N)^(-1/4)，其中 N = {n}",
    "DeepNorm's constants for an 18-layer encoder": "18 层编码器的 DeepNorm 常数",
    "For an encoder-only model with N layers, Wang et al. (2022) use alpha = (2N)^(1/4) and beta = (8N)^(-1/4).":
        "对 N 层的仅编码器模型，Wang 等人（2022）取 alpha = (2N)^(1/4)，beta = (8N)^(-1/4)。",
    "In Python, x ** 0.25 is the fourth root and x ** -0.25 its inverse.": "在 Python 中，x ** 0.25 是四次方根，x ** -0.25 是它的倒数。",
    "N = 18\nanswer = ((2 * N) ** 0.25, (8 * N) ** -0.25)   # about (2.449, 0.289)\n"
    "# or: from resnorm.reweighted import deepnorm_constants; answer = deepnorm_constants(18)":
        "N = 18\nanswer = ((2 * N) ** 0.25, (8 * N) ** -0.25)   # 约为 (2.449, 0.289)\n"
        "# 或者：from resnorm.reweighted import deepnorm_constants; answer = deepnorm_constants(18)",
    # 05.dyt
    "the answer must be a function dyt(x, alpha, weight, bias); got {kind}": "答案必须是函数 dyt(x, alpha, weight, bias)，实际为 {kind}",
    "alpha is missing: it scales the input inside the tanh": "缺少 alpha：它在 tanh 里面缩放输入",
    "the affine weight and bias come after the tanh, not before it": "仿射的 weight 和 bias 在 tanh 之后，而不是之前",
    "the per-feature weight and bias are missing after the tanh": "tanh 之后缺少逐特征的 weight 和 bias",
    "the output is not weight * tanh(alpha * x) + bias": "输出不等于 weight * tanh(alpha * x) + bias",
    "Dynamic Tanh in one line": "一行实现 Dynamic Tanh",
    "DyT squashes each element on its own: no mean, no variance.": "DyT 对每个元素单独压缩：没有均值，也没有方差。",
    "First scale by the scalar alpha, then tanh, then the per-feature weight and bias.":
        "先乘以标量 alpha，再过 tanh，最后乘逐特征的 weight、加 bias。",
    "def dyt(x, alpha, weight, bias):\n    return weight * torch.tanh(alpha * x) + bias\n\nanswer = dyt":
        "def dyt(x, alpha, weight, bias):\n    return weight * torch.tanh(alpha * x) + bias\n\nanswer = dyt",
    # --- end of section


    # --- notebook 06: exercises/interview_drill and exercises/interview_bugs

    # --- end of section


    # --- figures (resnorm.figures.*) and plots (resnorm.plots)

    # --- end of section


    # --- error messages of models, norms, measure, data, training, experiments and the rest

    # --- end of section
}

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
    # i18n
    "lang must be one of {allowed}; got {lang!r}": "lang 必须是 {allowed} 之一，实际为 {lang!r}",
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
    "site_grid must be a list of dicts from control name to a list of values; got {grid!r}":
        "site_grid 必须是字典的列表，每个字典把控件名映射到一组取值，实际为 {grid!r}",
    "site_grid names {name!r}, which is not a control; the controls are {names}":
        "site_grid 里的 {name!r} 不是控件；现有控件为 {names}",
    "site_grid[{name!r}] must be a non-empty list of values; got {values!r}":
        "site_grid[{name!r}] 必须是非空的取值列表，实际为 {values!r}",
    "site_grid[{name!r}] has values the control cannot take: {bad!r}":
        "site_grid[{name!r}] 中有该控件无法取到的值：{bad!r}",
    "recipe must be a dict with the keys factory and kwargs; got {recipe!r}":
        "recipe 必须是含 factory 和 kwargs 两个键的字典，实际为 {recipe!r}",
    "recipe factory must name a function of resnorm as 'module:name'; got {factory!r}":
        "recipe 的 factory 必须以 'module:name' 的形式指向 resnorm 里的函数，实际为 {factory!r}",
    # explorer_frames (the explorers on the website)
    "Precomputed settings only: {names} moved to match. The notebook computes every setting.":
        "网页上只有预先算好的设置组合，因此 {names} 也随之调整。在 notebook 里运行可以计算任意设置。",
    "This setting is not precomputed on this page. The notebook computes every setting.":
        "这个设置在网页上没有预先算好。在 notebook 里运行可以计算任意设置。",
    "Explorer figure for {setting}": "交互图，当前设置：{setting}",
    "on": "开",
    "off": "关",
    "an explorer on the website cannot show a control of type {kind}": "网页版交互图无法显示 {kind} 类型的控件",
    "folders must map at least one language to a folder; got {folders!r}":
        "folders 必须把至少一种语言映射到一个文件夹，实际为 {folders!r}",
    # quiz
    "Type numeric answer here:": "在此输入数值答案：",
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
    "exercise key {key!r} is already registered": "练习 key {key!r} 已注册",
    "hints must be a tuple of texts or functions returning one; got {kind}":
        "hints 必须是 tuple，每一项是文本或返回文本的函数，实际为 {kind}",
    "{name} must be a text or a function returning one; got {kind}": "{name} 必须是文本或返回文本的函数，实际为 {kind}",
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
        "30 个默认初始化的 Linear-ReLU-Linear 块：每经过一个块，梯度约乘以 sqrt(1/18)",
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
        "RMSNorm 的不变性（列名取自 Ba 等人 2016 年论文的表 1；另见 Zhang 和 Sennrich 2019 年论文的表 1）",
    "RMSNorm divides each example's summed inputs by their root mean square. Which changes multiply all of them by "
    "the same positive number?":
        "RMSNorm 把每个样本的加权输入除以它们的均方根。哪些变换会把它们全部乘以同一个正数？",
    "It never subtracts anything, so no shift (re-centering) is undone.": "它从不减去任何东西，所以任何重新中心化（re-centering）都不会被抵消。",
    'answer = {"weight matrix re-scaling", "dataset re-scaling",\n          "single training case re-scaling"}\n'
    "# LayerNorm's row minus 'weight matrix re-centering': the mean subtraction is what undoes\n"
    "# a common shift (Zhang & Sennrich 2019, Table 1). The invariance table in the notebook\n"
    "# measures all of them.":
        'answer = {"weight matrix re-scaling", "dataset re-scaling",\n          "single training case re-scaling"}\n'
        "# 即层归一化那一行去掉 'weight matrix re-centering'：抵消共同偏移的正是减均值这一步，\n"
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
        "长度为 k 的路径由它经过的 k 个分支构成的集合唯一确定：即“n 选 k”。",
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
    # interview_drill: the checker's feedback
    "{call} raised {kind}: {error}": "{call} 抛出了 {kind}：{error}",
    "{call} must build an nn.Module; got {kind}": "{call} 应当构造出一个 nn.Module，实际得到的是 {kind}",
    "it lacks {names}": "缺少 {names}",
    "it has {names}, which PyTorch's has not": "多出了 PyTorch 模块没有的 {names}",
    "the state dict of your module does not match {torch}'s: {what}. PyTorch's holds {state}: name parameters "
    "(nn.Parameter) and running statistics (self.register_buffer) the same way, so a checkpoint of one loads "
    "into the other":
        "你的模块的 state dict 与 {torch} 的不一致：{what}。PyTorch 的 state dict 包含 {state}。"
        "参数（nn.Parameter）和滑动统计量（self.register_buffer）要用同样的名字，这样一方的 checkpoint 才能加载到另一方",
    "{name} has shape {shape}; PyTorch's has {torch_shape} (a norm has one gain and one bias per feature)":
        "{name} 的形状是 {shape}，PyTorch 的是 {torch_shape}（归一化层每个特征各有一个缩放参数和一个平移参数）",
    "PyTorch's state dict does not load into your module: {error}. PyTorch's holds {state}":
        "PyTorch 的 state dict 无法加载到你的模块：{error}。PyTorch 的 state dict 包含 {state}",
    "running your module raised {kind}: {error}": "运行你的模块时抛出了 {kind}：{error}",
    "answer must be your nn.Module class itself (answer = MyClass, not an instance); got {kind}":
        "answer 应当是你的 nn.Module 类本身（answer = MyClass，而不是它的实例），实际得到的是 {kind}",
    "a fresh module must start as PyTorch's does: {name} should be all {value:g} (yours starts at {yours:g})":
        "新建的模块应当和 PyTorch 的初始状态相同：{name} 应当全为 {value:g}（你的初始值是 {yours:g}）",
    "{name}: shape {shape}, PyTorch's is {torch_shape}": "{name}：形状为 {shape}，PyTorch 的是 {torch_shape}",
    "{name} differs from PyTorch's (max difference {diff:.2g}): ": "与 PyTorch 的结果不一致：{name}（最大差值 {diff:.2g}）。",
    "compare your code with the formula line by line": "请逐行对照公式检查你的代码",
    "⏱ {title}: time box {minutes} min, the clock runs from now": "⏱ {title}：限时 {minutes} 分钟，现在开始计时",
    "⏱ time box {minutes} min (run the task cell first to start the clock)":
        "⏱ 限时 {minutes} 分钟（先运行题目单元格才会开始计时）",
    "⏱ {min} min {s:02d} s since the task cell ran: within the {minutes} min time box":
        "⏱ 距运行题目单元格 {min} 分 {s:02d} 秒：在 {minutes} 分钟限时之内",
    "⏱ {min} min {s:02d} s since the task cell ran: over the {minutes} min time box":
        "⏱ 距运行题目单元格 {min} 分 {s:02d} 秒：超出了 {minutes} 分钟的限时",
    "key must be one of {tasks}; got {key!r}": "key 必须是 {tasks} 之一，实际得到的是 {key!r}",
    "your forward returns a tuple; return the output tensor only (nn.MultiheadAttention returns (output, "
    "weights); your module should not)":
        "你的 forward 返回了元组；只返回输出张量即可（nn.MultiheadAttention 返回 (output, weights)，你的模块不应如此）",
    "your forward must return a tensor; it returned {kind}": "你的 forward 必须返回一个张量，实际返回的是 {kind}",
    "no gradient reaches the input: keep every step in the autograd graph (no .detach(), .data or NumPy)":
        "梯度传不到输入：每一步都要留在 autograd 计算图里（不要用 .detach()、.data 或 NumPy）",
    "no gradient reaches the {name}: keep every step in the autograd graph (no .detach(), .data or NumPy)":
        "梯度传不到 {name}：每一步都要留在 autograd 计算图里（不要用 .detach()、.data 或 NumPy）",
    "gradient with respect to the input": "对输入的梯度",
    "gradient with respect to the {name}": "对 {name} 的梯度",
    "output for a (6, 8) input": "(6, 8) 输入的输出",
    "output for a (2, 5, 8) input": "(2, 5, 8) 输入的输出",
    "output for a tiny (4, 8) input (std 0.001)": "极小的 (4, 8) 输入（标准差 0.001）的输出",
    "training-mode output, batch {n}": "训练模式下第 {n} 个批次的输出",
    "{name} after training batch {n}": "第 {n} 个训练批次之后的 {name}",
    "eval-mode output (uses the running statistics)": "eval 模式下的输出（使用滑动统计量）",
    "eval-mode output for the first example alone": "eval 模式下单独输入第一个样本的输出",
    "{name} after an eval-mode batch (must not change)": "eval 模式下跑过一个批次之后的 {name}（不应改变）",
    "output for a (4, 8) input": "(4, 8) 输入的输出",
    "output for a (2, 5, 16) input": "(2, 5, 16) 输入的输出",
    "the caller's input after the call (must be unchanged)": "调用之后调用方的输入（应当保持不变）",
    "autograd failed: a tensor it saved for the backward pass was modified in place. {advice}":
        "autograd 出错：它为反向传播保存的一个张量被原地修改了。{advice}",
    # interview_drill: task titles
    "LayerNorm(d, eps=1e-5) from scratch, equal to nn.LayerNorm": "从零实现 LayerNorm(d, eps=1e-5)，与 nn.LayerNorm 一致",
    "RMSNorm(d, eps=1e-6) from scratch, equal to nn.RMSNorm": "从零实现 RMSNorm(d, eps=1e-6)，与 nn.RMSNorm 一致",
    "BatchNorm1d(d, eps=1e-5, momentum=0.1) with running statistics and train/eval, equal to nn.BatchNorm1d":
        "带滑动统计量和训练/推理切换的 BatchNorm1d(d, eps=1e-5, momentum=0.1)，与 nn.BatchNorm1d 一致",
    "a pre-norm residual block x + linear2(relu(linear1(norm(x))))":
        "前置归一化的残差块 x + linear2(relu(linear1(norm(x))))",
    "multi-head self-attention, equal to nn.MultiheadAttention through its state dict":
        "多头自注意力，加载 nn.MultiheadAttention 的 state dict 后与它一致",
    "a Pre-LN Transformer block, equal to nn.TransformerEncoderLayer(norm_first=True) through its state dict":
        "前置归一化的 Transformer 块，加载 nn.TransformerEncoderLayer(norm_first=True) 的 state dict 后与它一致",
    # interview_drill: typical mistakes
    "x.var() is the UNBIASED variance (divides by d - 1); LayerNorm uses the biased one, the mean of "
    "(x - mean)**2 (x.var(-1, correction=0)): yours is too small by sqrt((d-1)/d)":
        "x.var() 是无偏方差（除以 d - 1）；层归一化用的是有偏方差，即 (x - mean)**2 的均值"
        "（x.var(-1, correction=0)）：你的输出偏小，是正确值的 sqrt((d-1)/d) 倍",
    "the statistics are taken over dim 0 (the batch), which is BatchNorm; LayerNorm takes them over the last "
    "dim, per example: x.mean(-1, keepdim=True)":
        "统计量是在第 0 维（批）上算的，那是批归一化；层归一化对每个样本在最后一维上统计：x.mean(-1, keepdim=True)",
    "eps is added to the standard deviation, sqrt(var) + eps (a convention some code uses, e.g. the Annotated "
    "Transformer); nn.LayerNorm adds it to the variance, sqrt(var + eps). Both avoid dividing by zero; they "
    "differ for inputs whose std is about sqrt(eps) or below, like the tiny input here":
        "eps 加在了标准差上，sqrt(var) + eps（有些代码这样写，例如 the Annotated Transformer）；nn.LayerNorm "
        "把它加在方差上，sqrt(var + eps)。两种写法都能避免除以零，只在输入的标准差约为 sqrt(eps) 或更小时"
        "才有差别，这里的极小输入正是如此",
    "the mean and variance are detached from the graph: the forward pass is right, the gradient is not; "
    "LayerNorm backpropagates through its statistics":
        "均值和方差从计算图里 detach 掉了：前向结果正确，梯度却不对；层归一化的反向传播要经过它的统计量",
    "one scalar gain and bias: LayerNorm learns one gain and one bias PER FEATURE, vectors of size d":
        "缩放参数和平移参数都只是一个标量：层归一化为每个特征各学一个缩放参数和一个平移参数，即长度为 d 的向量",
    "you subtract the mean: RMSNorm does not centre, it divides x itself by sqrt(mean(x**2) + eps)":
        "你减去了均值：RMSNorm 不做中心化，它直接把 x 除以 sqrt(mean(x**2) + eps)",
    "you divide by the standard deviation (the variance subtracts the mean); RMSNorm divides by the root mean "
    "square, sqrt(mean(x**2) + eps)":
        "你除的是标准差（方差会减去均值）；RMSNorm 除的是均方根 sqrt(mean(x**2) + eps)",
    "eps is outside the square root: write sqrt(mean(x**2) + eps)": "eps 放在了根号外面：应写成 sqrt(mean(x**2) + eps)",
    "RMSNorm has a gain (weight) and no bias": "RMSNorm 只有缩放参数（weight），没有平移参数",
    "in training, normalise with the BIASED batch variance (divide by the batch size); the unbiased one belongs "
    "only in the running_var update":
        "训练时要用批的有偏方差（除以批大小）做归一化；无偏方差只用于更新 running_var",
    "running_var must be updated with the UNBIASED batch variance (times n / (n - 1)), as nn.BatchNorm1d does, "
    "while the output uses the biased one":
        "running_var 必须用批的无偏方差（乘以 n / (n - 1)）来更新，nn.BatchNorm1d 就是这样做的；输出则用有偏方差",
    "momentum is the weight of the NEW batch in PyTorch: running = (1 - momentum) * running + momentum * batch "
    "(Keras and TensorFlow use the opposite convention)":
        "在 PyTorch 里 momentum 是新批次的权重：running = (1 - momentum) * running + momentum * batch"
        "（Keras 和 TensorFlow 的约定正好相反）",
    "in eval mode use the running statistics, not the batch's: check self.training; at inference an example's "
    "output must not depend on the rest of the batch, and the running statistics must not change":
        "eval 模式下要用滑动统计量，而不是当前批的统计量：检查 self.training；推理时一个样本的输出不能依赖同批的"
        "其他样本，滑动统计量也不能改变",
    "running_mean and running_var are plain tensor attributes: register them with self.register_buffer, so "
    "they are saved in the state dict and move with .to(device)":
        "running_mean 和 running_var 是普通的张量属性：要用 self.register_buffer 注册，这样它们才会存进 "
        "state dict，并随 .to(device) 一起移动",
    "the statistics are taken over the features of each example (that is LayerNorm); BatchNorm takes each "
    "feature's statistics over the batch, dim 0":
        "统计量是在每个样本的特征上算的（那是层归一化）；批归一化对每个特征在批上（第 0 维）统计",
    "x += f(x) modifies the caller's tensor in place (and breaks autograd when x is needed for a gradient): "
    "write x = x + f(x)":
        "x += f(x) 会原地修改调用方的张量（x 需要参与求梯度时还会让 autograd 出错）：应写成 x = x + f(x)",
    "the shortcut is missing: a residual block returns x + f(x), not f(x)":
        "缺了捷径连接：残差块返回的是 x + f(x)，不是 f(x)",
    "x = f(x); x + x adds the branch to itself and loses the input: keep x and return x + f(x)":
        "x = f(x); x + x 是把分支和自己相加，输入丢了：保留 x，返回 x + f(x)",
    "a ReLU after the addition (the original ResNet block) makes the stream non-negative and is no longer an "
    "identity path; in the pre-activation block nothing follows the addition":
        "相加之后再接 ReLU（原始 ResNet 块的做法）会让残差流变成非负，不再是恒等路径；预激活块在相加之后不接任何操作",
    "the norm is applied after the addition (Post-LN); in a pre-norm block it normalises the branch's input, "
    "and the stream itself is never normalised":
        "归一化放在了相加之后（后置归一化）；前置归一化的块只对分支的输入做归一化，从不对残差流本身做归一化",
    "return the output tensor only": "只返回输出张量",
    "the scores are divided by sqrt(d_model); each head divides by sqrt(d_head) = sqrt(d_model / n_heads), "
    "its own key size":
        "注意力分数除以了 sqrt(d_model)；每个头应除以它自己的 key 维度 sqrt(d_head) = sqrt(d_model / n_heads)",
    "the scores are not scaled: divide q k^T by sqrt(d_head)": "注意力分数没有缩放：q k^T 要除以 sqrt(d_head)",
    "the softmax runs over the queries (dim=-2); each query's weights over the keys must sum to 1: "
    "softmax(dim=-1)":
        "softmax 是在 query 维（dim=-2）上做的；每个 query 对所有 key 的权重之和应为 1：softmax(dim=-1)",
    "the heads are split with a reshape to (batch, heads, seq, d_head) without a transpose, which mixes tokens; "
    "view as (batch, seq, heads, d_head), then transpose(1, 2)":
        "拆分注意力头时直接 reshape 成 (batch, heads, seq, d_head) 而没有转置，会把不同 token 混在一起；"
        "应先 view 成 (batch, seq, heads, d_head)，再 transpose(1, 2)",
    "that is Post-LN (norm after the addition); Pre-LN normalises each sub-layer's input: "
    "x = x + attn(norm1(x)); x = x + ffn(norm2(x))":
        "这是后置归一化（相加之后再归一化）；前置归一化只对每个子层的输入做归一化：x = x + attn(norm1(x)); x = x + ffn(norm2(x))",
    "x = attn(norm1(x)); x = x + x doubles the branch and drops the residual stream (the source text's bug): "
    "add the branch to the block's input":
        "x = attn(norm1(x)); x = x + x 把分支加了两遍，残差流却丢了（源材料里的 bug）：应把分支加到块的输入上",
    "you normalise the stream itself (x = norm1(x), then add): the shortcut must carry the un-normalised x; "
    "only the branch's input is normalised":
        "你归一化了残差流本身（先 x = norm1(x) 再相加）：捷径连接必须传递未归一化的 x，只有分支的输入才做归一化",
    "the feed-forward sub-layer has no shortcut: x = x + ffn(norm2(x))":
        "前馈子层没有捷径连接：应为 x = x + ffn(norm2(x))",
    "nn.TransformerEncoderLayer's default activation is ReLU, not GELU":
        "nn.TransformerEncoderLayer 默认的激活函数是 ReLU，不是 GELU",
    # interview_drill: hints
    "Two parameters, nn.Parameter(torch.ones(d)) named weight and nn.Parameter(torch.zeros(d)) named bias; "
    "statistics over the last dim with keepdim=True.":
        "两个参数：名为 weight 的 nn.Parameter(torch.ones(d)) 和名为 bias 的 nn.Parameter(torch.zeros(d))；"
        "统计量在最后一维上算，keepdim=True。",
    "The variance is the biased one (divide by d) and, as in nn.LayerNorm, eps goes inside the square root.":
        "方差用有偏方差（除以 d），eps 和 nn.LayerNorm 一样放在根号里。",
    "Start from LayerNorm and delete what RMSNorm does not do: the mean and the bias.":
        "从 LayerNorm 出发，删掉 RMSNorm 不做的事：减均值和平移参数。",
    "One parameter, weight = nn.Parameter(torch.ones(d)); one statistic, mean(x**2) over the last dim; "
    "eps inside the root.":
        "一个参数 weight = nn.Parameter(torch.ones(d))；一个统计量，即最后一维上的 mean(x**2)；eps 在根号里。",
    "Parameters weight (ones) and bias (zeros); buffers running_mean (zeros) and running_var (ones) made with "
    "self.register_buffer, so they are in the state dict.":
        "参数 weight（全 1）和 bias（全 0）；缓冲区 running_mean（全 0）和 running_var（全 1）用 "
        "self.register_buffer 创建，这样它们才在 state dict 里。",
    "Training: batch mean and biased variance over dim 0 for the output; update the buffers under "
    "torch.no_grad() with momentum 0.1 and the unbiased variance. Eval: use the buffers.":
        "训练时：输出用第 0 维上的批均值和有偏方差；在 torch.no_grad() 下以 momentum 0.1 和无偏方差更新缓冲区。"
        "推理时：直接用缓冲区。",
    "Submodules named norm (a LayerNorm of size d), linear1 (d -> d_hidden), linear2 (d_hidden -> d): "
    "PyTorch's state dict of the same block must load.":
        "子模块命名为 norm（大小为 d 的 LayerNorm）、linear1（d -> d_hidden）、linear2（d_hidden -> d）："
        "同一个块的 PyTorch state dict 必须能加载进来。",
    "The branch is f(x) = linear2(relu(linear1(norm(x)))); the output is x + f(x), out of place.":
        "分支是 f(x) = linear2(relu(linear1(norm(x))))；输出是 x + f(x)，不要原地相加。",
    "Parameters named as nn.MultiheadAttention's: in_proj_weight (3 d, d), in_proj_bias (3 d), "
    "out_proj = nn.Linear(d, d). forward(x) takes one (batch, seq, d) tensor and returns one.":
        "参数名与 nn.MultiheadAttention 相同：in_proj_weight (3 d, d)、in_proj_bias (3 d)、"
        "out_proj = nn.Linear(d, d)。forward(x) 接收一个 (batch, seq, d) 张量，也只返回一个张量。",
    "q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, -1); split heads with .view(batch, seq, "
    "heads, d_head).transpose(1, 2); softmax(q k^T / sqrt(d_head), dim=-1) v.":
        "q, k, v = F.linear(x, in_proj_weight, in_proj_bias).chunk(3, -1)；用 .view(batch, seq, heads, "
        "d_head).transpose(1, 2) 拆分注意力头；再算 softmax(q k^T / sqrt(d_head), dim=-1) v。",
    "Submodules self_attn (your attention, with in_proj_weight, in_proj_bias, out_proj), linear1 (d -> d_ff), "
    "linear2 (d_ff -> d), norm1, norm2: the names of nn.TransformerEncoderLayer.":
        "子模块 self_attn（你的注意力，含 in_proj_weight、in_proj_bias、out_proj）、linear1（d -> d_ff）、"
        "linear2（d_ff -> d）、norm1、norm2：与 nn.TransformerEncoderLayer 的命名相同。",
    "forward: x = x + self_attn(norm1(x)); return x + linear2(relu(linear1(norm2(x)))).":
        "forward：先 x = x + self_attn(norm1(x))，再 return x + linear2(relu(linear1(norm2(x))))。",
    "# self_attn: your attention class of the previous task\n": "# self_attn：上一题里你写的注意力类\n",
    # interview_bugs: the checker's feedback
    "seed must be an integer >= 0; got {seed!r}": "seed 必须是 >= 0 的整数，实际得到的是 {seed!r}",
    "answer must be a pair (line_number, \"the corrected line\"), e.g. (3, \"x = x + 1\"); got {kind}":
        "answer 必须是一个二元组（行号，改正后的那一行），例如 (3, \"x = x + 1\")，实际得到的是 {kind}",
    "the line number must be an integer from 1 to {n}; got {line!r}": "行号必须是 1 到 {n} 之间的整数，实际得到的是 {line!r}",
    "the corrected line must be a non-empty string of code; got {text!r}":
        "改正后的那一行必须是非空的代码字符串，实际得到的是 {text!r}",
    "your corrected line does not parse: {why}": "你改正的那一行无法解析：{why}",
    "that line is not the bug": "bug 不在这一行",
    "the bug is still there": "bug 还在",
    "{where}: with your change the code still raises {error}": "{where}：改完之后代码仍然抛出 {error}",
    "{where}: with your change, {what} is still {yours} (fixed: {fixed})":
        "{where}：改完之后，{what} 仍然是 {yours}（修好后应为 {fixed}）",
    "with your change the code raises {error} (with the course's fix, {what} is {fixed})":
        "改完之后代码抛出 {error}（按课程的改法，{what} 为 {fixed}）",
    "your change alters the result but does not fix it: {what} is {yours}; buggy {buggy}, fixed {fixed}":
        "你的改动改变了结果，但没有修好：{what} 为 {yours}；有 bug 时为 {buggy}，修好后为 {fixed}",
    "   the bug: {explanation}": "   问题所在：{explanation}",
    "   {what}: buggy {buggy}, fixed {fixed}": "   {what}：有 bug 时 {buggy}，修好后 {fixed}",
    "key must be one of {snippets}; got {key!r}": "key 必须是 {snippets} 之一，实际得到的是 {key!r}",
    "Measure it: {what}. Which line makes that number wrong?": "测一测：{what}。是哪一行让这个数不对？",
    # interview_bugs: the snippets (title, explanation, what the harness measures)
    "a residual stack that writes into its input": "会改写自身输入的残差堆叠",
    "x += f(x) adds in place: the caller's tensor is overwritten (and autograd fails when x is needed for a "
    "gradient); x = x + f(x) makes a new tensor":
        "x += f(x) 是原地相加：调用方的张量被覆盖了（x 需要参与求梯度时 autograd 还会出错）；x = x + f(x) 会生成一个新张量",
    "max error of the output and of the caller's input afterwards": "输出的最大误差，以及调用之后调用方输入的最大误差",
    "LayerNorm with a statistic over the wrong dimension": "统计维度算错了的层归一化",
    "the mean is taken over dim 0, the batch: each example's output then depends on the other examples; "
    "LayerNorm's statistics are per example, over the last dim":
        "均值是在第 0 维（批）上算的：于是每个样本的输出都依赖同批的其他样本；层归一化的统计量按样本、在最后一维上计算",
    "max |output - F.layer_norm|": "max |output - F.layer_norm|",
    "inference with BatchNorm still in training mode": "批归一化还处于训练模式时做推理",
    "model.eval without () does nothing: BatchNorm stays in training mode and normalises with the test "
    "batch's statistics (and updates its running ones), so a prediction depends on what else is in the batch":
        "model.eval 不加 () 什么也不做：批归一化仍处于训练模式，用测试批的统计量做归一化（还会更新滑动统计量），"
        "于是一个预测取决于同批里还有哪些样本",
    "max change of 4 predictions between a batch of 4 and a batch of 32":
        "同样 4 个样本单独成批与混在 32 个样本的批里时，预测的最大变化",
    "a Pre-LN stack without its final norm": "漏了最后归一化层的前置归一化堆叠",
    "in a Pre-LN stack the residual stream is never normalised inside the blocks; the head must get "
    "final_norm(x), or it sees a scale that grows with depth":
        "前置归一化堆叠在块内从不对残差流做归一化；输出头的输入必须是 final_norm(x)，否则它看到的尺度会随深度增长",
    "max |head's input - final_norm(output of the 12 blocks)|": "max |输出头的输入 - final_norm(12 个块的输出)|",
    "a self-attention sub-layer with nn.MultiheadAttention": "用 nn.MultiheadAttention 实现的自注意力子层",
    "nn.MultiheadAttention returns a tuple (output, attention weights): take [0]":
        "nn.MultiheadAttention 返回一个元组（输出，注意力权重）：要取 [0]",
    "max |output - (x + attention output)|": "max |output - (x + 注意力输出)|",
    "LayerNorm with torch's default variance": "用了 torch 默认方差的层归一化",
    "x.var() is the unbiased variance (divides by d - 1); LayerNorm uses the biased one, so the output is too "
    "small by the factor sqrt((d-1)/d)":
        "x.var() 是无偏方差（除以 d - 1）；层归一化用的是有偏方差，所以输出偏小，是正确值的 sqrt((d-1)/d) 倍",
    "max |output - F.layer_norm| at d = 8": "d = 8 时的 max |output - F.layer_norm|",
    "LayerNorm that should match nn.LayerNorm": "应当与 nn.LayerNorm 一致的层归一化",
    "eps is added to the standard deviation, sqrt(var) + eps; nn.LayerNorm (PyTorch's convention) adds it to "
    "the variance, sqrt(var + eps). Both avoid dividing by zero (the Annotated Transformer uses std + eps; Ba "
    "et al. 2016 write no eps); they differ only for inputs whose std is about sqrt(eps) or below":
        "eps 加在了标准差上，sqrt(var) + eps；nn.LayerNorm（PyTorch 的约定）把它加在方差上，sqrt(var + eps)。"
        "两种写法都能避免除以零（the Annotated Transformer 用 std + eps，Ba 等人 2016 的公式里没有 eps），"
        "只在输入的标准差约为 sqrt(eps) 或更小时才有差别",
    "max |output - F.layer_norm| for inputs of std 0.001 (sqrt(eps) = 0.0032)":
        "标准差为 0.001 的输入上的 max |output - F.layer_norm|（sqrt(eps) = 0.0032）",
    "a Pre-LN sub-layer (the source text's slip)": "一个前置归一化子层（源材料的笔误）",
    "h + h doubles the branch and drops the residual stream: with a zero-initialised branch the block outputs "
    "zeros instead of its input":
        "h + h 把分支加了两遍，残差流却丢了：分支零初始化时，这个块输出全 0，而不是它的输入",
    "max |block(x) - (x + f(norm(x)))|, random and zero-initialised branch":
        "max |block(x) - (x + f(norm(x)))|，分支分别随机初始化和零初始化",
    "a pre-activation block with an in-place ReLU": "带原地 ReLU 的预激活块",
    "identity is the same tensor as x, and the in-place ReLU zeroes its negative entries: the shortcut no "
    "longer carries the input, and the caller's x is overwritten too (so identity = x.clone() is not enough)":
        "identity 和 x 是同一个张量，原地 ReLU 把它的负元素置成了 0：捷径连接传递的不再是输入，调用方的 x 也被覆盖了"
        "（所以只写 identity = x.clone() 还不够）",
    "max error of block(x) against linear(relu(x)) + x and of the caller's x afterwards":
        "block(x) 相对 linear(relu(x)) + x 的最大误差，以及调用之后调用方 x 的最大误差",
    "scaled dot-product attention": "缩放点积注意力",
    "the softmax runs over the queries; each query's weights over the keys (the last dim) must sum to 1":
        "softmax 是在 query 维上做的；每个 query 对所有 key（最后一维）的权重之和应为 1",
    "max |output - F.scaled_dot_product_attention|": "max |output - F.scaled_dot_product_attention|",

    # --- end of section


    # --- figures (resnorm.figures.*) and plots (resnorm.plots)
    # plots
    "gradient norm $\\|\\partial L/\\partial W\\|_2$": "梯度范数 ‖∂L/∂W‖₂",
    "layer (input → output)": "层（输入 → 输出）",
    "training loss (nats)": "训练损失（nats）",
    "training step": "训练步",
    "zero / negative (cannot be shown on log axis)": "零或负值（对数坐标轴无法显示）",
    # labels of configurations (dict keys in English, shown translated)
    "plain": "普通网络",
    "residual": "残差网络",
    "residual, He init": "残差网络，何恺明初始化",
    "residual, He init + LayerNorm": "残差网络，何恺明初始化 + LayerNorm",
    "residual + LayerNorm": "残差网络 + LayerNorm",
    "residual + RMSNorm": "残差网络 + RMSNorm",
    "residual\n+ LayerNorm": "残差网络\n+ LayerNorm",
    "residual\n+ RMSNorm": "残差网络\n+ RMSNorm",
    "no norm": "无归一化",
    "He init, no norm": "何恺明初始化，无归一化",
    "PyTorch default init, no norm": "PyTorch 默认初始化，无归一化",
    "Fixup init, no norm": "Fixup 初始化，无归一化",
    "source's layer": "原文的层",
    "Pre-LN without x +": "Pre-LN（去掉 x +）",
    ", skip path only": "，仅捷径路径",
    "BatchNorm (train mode)": "BatchNorm（训练模式）",
    "BatchNorm (eval mode)": "BatchNorm（评估模式）",
    "LayerNorm + dropout 0.1": "LayerNorm + dropout 0.1",
    "weight matrix re-scaling": "权重矩阵缩放",
    "weight matrix re-centering": "权重矩阵重新中心化",
    "weight vector re-scaling": "单个权重向量缩放",
    "dataset re-scaling": "数据集缩放",
    "dataset re-centering": "数据集重新中心化",
    "single training case re-scaling": "单个训练样本缩放",
    "batch norm": "批归一化",
    "weight norm": "权重归一化",
    "layer norm": "层归一化",
    "rms norm": "均方根归一化",
    "invariant": "不变",
    "no": "会变",
    "unclear": "不确定",
    "FLOPs (counted)": "FLOPs（计数）",
    "memory (measured)": "内存（实测）",
    "time (measured)": "时间（实测）",
    "plain + LayerNorm": "普通网络 + LayerNorm",
    "plain + RMSNorm": "普通网络 + RMSNorm",
    "LayerNorm, relu, zero biases": "LayerNorm，relu，偏置置零",
    "LayerNorm, tanh, input var 1": "LayerNorm，tanh，输入方差为 1",
    "LayerNorm, identity, zero biases": "LayerNorm，identity，偏置置零",
    "BatchNorm, relu, zero biases": "BatchNorm，relu，偏置置零",
    "BatchNorm, tanh, input var 1": "BatchNorm，tanh，输入方差为 1",
    "LayerNorm, relu also ending the branch": "LayerNorm，分支末尾也加 relu",
    "plain + BatchNorm": "普通网络 + BatchNorm",
    "residual + BatchNorm": "残差网络 + BatchNorm",
    "plain + LayerNorm, He init": "普通网络 + LayerNorm，何恺明初始化",
    "residual + LayerNorm, He init": "残差网络 + LayerNorm，何恺明初始化",
    "ReLU inside the branch": "ReLU 位于分支内部",
    "block ends in a ReLU": "块以 ReLU 结尾",
    "block ends in a tanh": "块以 tanh 结尾",
    "no activation": "无激活函数",
    "RMSNorm, block ends in a ReLU": "RMSNorm，块以 ReLU 结尾",
    "BatchNorm, ReLU inside the branch": "BatchNorm，ReLU 位于分支内部",
    "plain, 3 blocks": "普通网络，3 块",
    "plain, 15 blocks": "普通网络，15 块",
    "residual, 15 blocks": "残差网络，15 块",
    "plain, 3 blocks, LayerNorm": "普通网络，3 块，LayerNorm",
    "plain, 15 blocks, LayerNorm": "普通网络，15 块，LayerNorm",
    "default init": "默认初始化",
    "He init": "何恺明初始化",
    "He init, branch x 1/sqrt(2L)": "何恺明初始化，分支 × 1/sqrt(2L)",
    "default init + LayerNorm": "默认初始化 + LayerNorm",
    "He init + LayerNorm": "何恺明初始化 + LayerNorm",
    "He init, last layer zeroed": "何恺明初始化，最后一层零初始化",
    "Post-LN, no warm-up": "Post-LN，无预热",
    "Post-LN, 15 warm-up steps": "Post-LN，预热 15 步",
    "Pre-LN, no warm-up": "Pre-LN，无预热",
    "Post-LN, 2 blocks, no warm-up": "Post-LN，2 块，无预热",
    "plain, He init": "普通网络，何恺明初始化",
    "Post-LN, 3 layers": "Post-LN，3 层",
    "Post-LN, 6 layers": "Post-LN，6 层",
    "Pre-LN, 6 layers": "Pre-LN，6 层",
    "DeepNorm, 6 layers": "DeepNorm，6 层",
    "DeepNorm α only (β = 1)": "DeepNorm，只用 α（β = 1）",
    "DeepNorm β only (α = 1)": "DeepNorm，只用 β（α = 1）",
    "ReZero, 6 layers": "ReZero，6 层",
    "BatchNorm, training mode": "BatchNorm，训练模式",
    "BatchNorm, eval mode": "BatchNorm，评估模式",
    "LayerNorm on the input": "对输入做 LayerNorm",
    "Post-LN residual": "Post-LN 残差网络",
    "Post-LN residual, no biases": "Post-LN 残差网络，无偏置",
    "Pre-LN residual": "Pre-LN 残差网络",
    "Pre-LN residual + final LN": "Pre-LN 残差网络 + 最后的归一化层",
    # start_here, residual_connections
    "gradient $\\|\\partial L/\\partial h\\|$ at the block's output": "块输出处的梯度 ‖∂L/∂h‖",
    "{depth}-block MLP at initialisation: median and min–max over {n_seeds} seeds":
        "初始化时的 {depth} 块 MLP：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "$\\|\\partial L/\\partial h\\|$ at the block's output": "块输出处的 ‖∂L/∂h‖",
    "hidden block (input → output)": "隐藏块（输入 → 输出）",
    "{depth}-block MLP at initialisation ({n_seeds} seeds)": "初始化时的 {depth} 块 MLP（{n_seeds} 个随机种子）",
    "block l": "第 l 块",
    "RMS of h_l / RMS of h_0": "h_l 的 RMS / h_0 的 RMS",
    "The residual stream, {depth} blocks ({n_seeds} seeds)": "残差流，{depth} 块（{n_seeds} 个随机种子）",
    "product formula": "乘积公式",
    "depth L (blocks)": "深度 L（块数）",
    "RMS of h_L / RMS of h_0": "h_L 的 RMS / h_0 的 RMS",
    "Growth of the stream over the whole net, by depth ({n_seeds} seeds)":
        "整个网络中残差流的增长随深度的变化（{n_seeds} 个随机种子）",
    "training loss (nats, per mini-batch)": "训练损失（nats，每个小批量）",
    "Training on the teacher task ({n_seeds} seeds)": "在教师任务上训练（{n_seeds} 个随机种子）",
    "{depth} blocks, {norm} ({n_seeds} seeds)": "{depth} 块，{norm}（{n_seeds} 个随机种子）",
    "λ = {scale:g}, {norm}": "λ = {scale:g}，{norm}",
    "{net}, norm: {norm}, {activation}, {init} init": "{net}，归一化：{norm}，{activation}，{init} 初始化",
    "||dL/dh|| at the block's output": "块输出处的 ||dL/dh||",
    "{depth} blocks: first/last gradient {ratio:.1e}, signal growth {growth:.1e}":
        "{depth} 块：首块/末块梯度比 {ratio:.1e}，信号增长 {growth:.1e}",
    "depth": "深度",
    "norm": "归一化",
    "activation": "激活函数",
    "init": "初始化",
    # layer_normalization
    "predicted {formula}": "预测值 {formula}",
    "relative error {formula}": "相对误差 {formula}",
    "measured (min–max over seeds)": "实测值（各随机种子的最小–最大范围）",
    "width d (features normalised together)": "宽度 d（一起归一化的特征数）",
    "The source's LayerNorm (unbiased var) is off by a factor sqrt((d-1)/d)":
        "原文的 LayerNorm（无偏方差）相差因子 sqrt((d-1)/d)",
    "input scale (std of x over its features)": "输入尺度（x 在特征维上的标准差）",
    "output std per example": "每个样本的输出标准差",
    "eps squashes inputs smaller than sqrt(eps)": "eps 会压扁小于 sqrt(eps) 的输入",
    "$\\|\\partial L/\\partial x\\|$ per example": "每个样本的 ‖∂L/∂x‖",
    "...and caps the gradient at about 1/sqrt(eps)": "……并把梯度限制在约 1/sqrt(eps) 以内",
    "input: features differ\nin mean and scale": "输入：各特征的\n均值和尺度不同",
    "after LayerNorm: every ROW\nhas mean 0 and std 1": "LayerNorm 之后：每一行\n均值为 0、标准差为 1",
    "after BatchNorm (train mode): every\nCOLUMN has mean 0 and std 1": "BatchNorm（训练模式）之后：\n每一列均值为 0、标准差为 1",
    "feature (d = {d})": "特征（d = {d}）",
    "example (batch of {batch_size})": "样本（批大小 {batch_size}）",
    "value (clipped to ±3)": "数值（截断到 ±3）",
    "exactly 0": "恰好为 0",
    "layer": "层",
    "std of its output across batches": "其输出在不同批次间的标准差",
    "One example in {n_batches} different batches: does its output change? (dots: seeds)":
        "同一个样本放进 {n_batches} 个不同的批次：输出会变吗？（点：随机种子）",
    "  ✗ paper: {verdict}": "  ✗ 论文：{verdict}",
    "\n(not in paper)": "\n（论文中没有）",
    "transformation of the weights or the data": "对权重或数据的变换",
    "normalization": "归一化",
    "Invariance, measured (✓ = agrees with Ba et al. 2016, Table 1)": "不变性实测（✓ = 与 Ba 等人（2016）表 1 一致）",
    "log10 relative change of output": "输出相对变化的 log10",
    "hidden state (0: stem output, i: output of block i)": "隐藏状态（0：输入层输出，i：第 i 块的输出）",
    "RMS of the hidden state h": "隐藏状态 h 的 RMS",
    "{kind} net: activation scale ({n_seeds} seeds)": "{kind}：激活尺度（{n_seeds} 个随机种子）",
    "RMS of $\\partial L/\\partial h$": "∂L/∂h 的 RMS",
    "{kind} net: backpropagated gradient": "{kind}：反向传播的梯度",
    "ReLU mean removed: 1/sqrt(1 - 1/pi) = {predicted:.2f}": "去掉 ReLU 均值：1/sqrt(1 - 1/pi) = {predicted:.2f}",
    "plain net: norm, activation, ablation (dots: seeds)": "普通网络：归一化、激活函数、消融设置（点：随机种子）",
    "gradient growth per block (towards the input)": "每块的梯度增长（朝输入方向）",
    "Plain normalised nets: the gradient grows when the norm rescales away a forward loss":
        "带归一化的普通网络：归一化把前向中缩小的信号重新放大，梯度随之增长",
    "batch of {batch_size}": "批大小 {batch_size}",
    "$\\|g_B - g\\| / \\|g\\|$ per layer (median over layers)": "每层的 ‖g_B − g‖ / ‖g‖（各层中位数）",
    "Mini-batch gradient noise: the batch size sets it, LN does not": "小批量梯度噪声：由批大小决定，与 LN 无关",
    "largest / smallest layer gradient norm": "最大 / 最小的层梯度范数",
    "Spread of gradient scale across layers": "各层梯度尺度的差异",
    "configuration, at initialisation (dots: seeds)": "配置（初始化时；点：随机种子）",
    "module": "模块",
    "forward time (µs, median)": "前向时间（µs，中位数）",
    "One forward pass, {n_repeats} repeats (bars: 25–75%)": "一次前向计算，重复 {n_repeats} 次（误差线：25–75%）",
    "mean over its features": "特征维上的均值",
    "std over its features": "特征维上的标准差",
    "example in the batch": "批内样本",
    "output statistic (dimensionless)": "输出统计量（无量纲）",
    "{norm} norm output: median std {std:.3g}": "norm={norm} 的输出：标准差中位数 {std:.3g}",
    "{norm} norm output: NaN (not a number)": "norm={norm} 的输出：NaN（非数）",
    "sqrt(d) / std(x) (no eps)": "sqrt(d) / std(x)（无 eps）",
    "examples": "样本",
    "input std over the features of one example": "单个样本在特征维上的输入标准差",
    "‖dL/dx‖ per example": "每个样本的 ‖dL/dx‖",
    "input gradient: median {grad:.3g}": "输入梯度：中位数 {grad:.3g}",
    "input gradient: NaN": "输入梯度：NaN",
    "x = {scale:.3g}·z + {shift:.3g}, width {width}, eps {eps:.0e}": "x = {scale:.3g}·z + {shift:.3g}，宽度 {width}，eps {eps:.0e}",
    "width d": "宽度 d",
    "input scale": "输入尺度",
    "input shift": "输入平移",
    "{norm}: over ({over})\n{n_means} means for {names} = {shape}": "{norm}：在 ({over}) 上求均值\n{names} = {shape}，共 {n_means} 个均值",
    "One mean per shaded block: images (top), token sequences (bottom); GroupNorm with G = {groups}":
        "每个阴影块一个均值：图像（上），token 序列（下）；GroupNorm 取 G = {groups}",
    "weight decay {wd:g}": "权重衰减 {wd:g}",
    "|W| (Frobenius)": "|W|（Frobenius 范数）",
    "|W| grows without weight decay": "没有权重衰减时 |W| 不断增大",
    "effective learning rate lr / |W|²": "有效学习率 lr / |W|²",
    "...so the effective learning rate falls": "……于是有效学习率下降",
    "relative step |ΔW| / |W|": "相对步长 |ΔW| / |W|",
    "Relative step (also falls with the loss; lr {lr:g})": "相对步长（也随损失下降；lr {lr:g}）",
    # transformer_residual_layernorm
    "number of blocks L": "块数 L",
    "share that differs between positions": "随位置变化的比例",
    "Can the output still tell positions apart?": "输出还能区分不同位置吗？",
    "$\\|\\partial L/\\partial E\\|_F$ (token embeddings)": "‖∂L/∂E‖_F（token 嵌入）",
    "Gradient reaching the input, {n_seeds} seeds": "传到输入的梯度，{n_seeds} 个随机种子",
    "block l of {profile_depth} (input → output)": "第 l 块，共 {profile_depth} 块（输入 → 输出）",
    "Each block's FFN gradient at init, {n_seeds} seeds": "初始化时每块 FFN 的梯度，{n_seeds} 个随机种子",
    "{text} (Theorem 1)": "{text}（定理 1）",
    "{formula} per sequence": "每个序列的 {formula}",
    "RMS entry of {x} ({formula})": "{x} 元素的 RMS（{formula}）",
    "Last block's FFN gradient against depth": "最后一块 FFN 的梯度随深度的变化",
    "stream after block l (0 = embeddings) of {depth}": "第 l 块之后的残差流（0 = 嵌入），共 {depth} 块",
    "{depth} blocks at initialisation, {n_seeds} seeds": "初始化时的 {depth} 块，{n_seeds} 个随机种子",
    "uniform guess, ln {vocab_size}": "均匀猜测，ln {vocab_size}",
    "{depth}-block Transformer unless labelled, Adam, peak lr {lr:g}: {n_seeds} seeds":
        "{depth} 块 Transformer（另有标注的除外），Adam，峰值 lr {lr:g}：{n_seeds} 个随机种子",
    "after block l": "第 l 块之后",
    "Size of the residual stream": "残差流的大小",
    "How much each block changes it": "每块对残差流的改变有多大",
    "block l (input → output)": "第 l 块（输入 → 输出）",
    "gradient norm of W2 (FFN output layer)": "W2（FFN 输出层）的梯度范数",
    "{depth} blocks at initialisation": "初始化时的 {depth} 块",
    "1 block at initialisation": "初始化时的 1 块",
    "{placement}, warm-up {warmup_steps}": "{placement}，预热 {warmup_steps} 步",
    "Training: {steps} Adam steps, peak lr {lr:g}": "训练：{steps} 步 Adam，峰值 lr {lr:g}",
    "blocks": "块数",
    "placement": "归一化位置",
    "warm-up steps": "预热步数",
    "peak lr": "峰值 lr",
    # pros_and_cons
    "0 (identity)": "0（恒等映射）",
    "{share:.1f}% ({n_params:,} params)": "{share:.1f}%（{n_params:,} 个参数）",
    "parameters in the shortcuts (% of the model)": "捷径连接中的参数（占模型的 %）",
    "What shortcuts cost in parameters (counted)": "捷径连接的参数开销（计数）",
    "width d (features per token)": "宽度 d（每个 token 的特征数）",
    "cost / plain net's cost": "开销 / 普通网络的开销",
    "Forward + backward, depth {depth}, batch {batch_size}": "前向 + 反向，深度 {depth}，批大小 {batch_size}",
    "counted FLOPs (same colours)": "FLOPs 计数（颜色相同）",
    "measured time (median, min–max)": "实测时间（中位数，最小–最大）",
    "saved activations / plain net's": "保存的激活（相对普通网络）",
    "Memory kept for backward, depth {depth} (measured)": "为反向传播保留的内存，深度 {depth}（实测）",
    "train (noisy labels)": "训练集（含噪标签）",
    "test (clean labels)": "测试集（干净标签）",
    "{label}\n({n_parameters:,} parameters)": "{label}\n（{n_parameters:,} 个参数）",
    "accuracy (fraction)": "准确率（比例）",
    "Same size, same data: bars median, dots {n_seeds} seeds": "同样大小、同样数据：柱为中位数，点为 {n_seeds} 个随机种子",
    "training loss (nats, mean of last {window} steps)": "训练损失（nats，最近 {window} 步的均值）",
    "Deep MLPs: median and min–max over {n_seeds} seeds": "深层 MLP：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "{label} (slope {slope:.2f})": "{label}（斜率 {slope:.2f}）",
    "log scale of the input, u (x = e^u z)": "输入尺度的对数 u（x = e^u z）",
    "log norm of the residual stream": "残差流范数的对数",
    "At initialisation: does the stream keep the scale?": "初始化时：残差流保留了尺度吗？",
    "chance": "随机猜测",
    "test accuracy (fraction)": "测试准确率（比例）",
    "Is the input loud or quiet? ({n_seeds} seeds)": "输入的幅度是大还是小？（{n_seeds} 个随机种子）",
    "width {width}, depth {depth}, batch {batch_size}: relative to the plain net":
        "宽度 {width}，深度 {depth}，批大小 {batch_size}：相对于普通网络",
    "width": "宽度",
    "batch size": "批大小",
    # beyond_the_interview
    "path length k (residual branches the path goes through)": "路径长度 k（路径经过的残差分支数）",
    "number of paths": "路径数",
    "{n_blocks} residual blocks: {n_paths} paths, binomial({n_blocks}, k) of length k":
        "{n_blocks} 个残差块：共 {n_paths} 条路径，长度为 k 的有 binomial({n_blocks}, k) 条",
    "deleted block": "删除的块",
    "test error (fraction wrong)": "测试错误率（错误比例）",
    "Delete one block: median, min–max over {n_seeds} seeds": "删除一块：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "{label}, nothing deleted": "{label}，未删除",
    "number of blocks deleted k": "删除的块数 k",
    "Delete k random blocks: median, min–max over {n_seeds} seeds":
        "随机删除 k 块：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "input x": "输入 x",
    "d output / d x (standardised, offset)": "d output / d x（标准化并错开）",
    "Input gradients of {depth}-block nets at init": "初始化时 {depth} 块网络的输入梯度",
    "depth (blocks)": "深度（块数）",
    "lag-1 autocorrelation of d out / d x": "d out / d x 的滞后 1 自相关",
    "Smoothness of gradients: median, min–max over {n_seeds} seeds": "梯度的平滑程度：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "depth N (blocks)": "深度 N（块数）",
    "squared output change / at N = 1": "输出变化的平方 / N = 1 时的值",
    "Squared output change under a small weight perturbation: median, min–max over seeds ({seeds})":
        "小幅扰动权重时输出变化的平方：各随机种子的中位数与最小–最大范围（{seeds}）",
    "stem": "输入层",
    "after block": "块之后",
    "std of the signal / std after the stem": "信号标准差 / 输入层之后的标准差",
    "{depth}-block residual MLP without norm, at init: median, min–max over {n_seeds} seeds":
        "无归一化的 {depth} 块残差 MLP，初始化时：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "training loss (nats per token)": "训练损失（每个 token 的 nats）",
    "Training loss: median, min–max over {n_seeds} seeds": "训练损失：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "chance (uniform guess)": "随机猜测（均匀分布）",
    "token std (LayerNorm's divisor)": "token 的标准差（LayerNorm 的除数）",
    "best γ·tanh(αx)+β, α = {alpha:.2g}": "最佳拟合 γ·tanh(αx)+β，α = {alpha:.2g}",
    "LayerNorm input (one element)": "LayerNorm 的输入（单个元素）",
    "normalised output (before γ, β)": "归一化后的输出（乘 γ、加 β 之前）",
    "A trained LayerNorm, element by element": "训练好的 LayerNorm，逐元素看",
    "uniform attention, ln(keys)": "均匀注意力，ln(key 数)",
    "d_k (query and key size)": "d_k（query 和 key 的维度）",
    "attention entropy (nats)": "注意力熵（nats）",
    "Random unit-variance q, k: median, min–max over {n_seeds} seeds":
        "随机的单位方差 q、k：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "without QK-norm": "无 QK-norm",
    "with QK-norm": "有 QK-norm",
    "scale s of W_q and W_k": "W_q 和 W_k 的缩放系数 s",
    "One attention layer: median, min–max over {n_seeds} seeds": "单个注意力层：{n_seeds} 个随机种子的中位数与最小–最大范围",
    "nothing deleted": "未删除",
    "none": "无",
    "Deleted blocks: {shown}  (residual net keeps {paths} of {n_paths} paths)\nmedian and min–max over {n_runs} seeds":
        "删除的块：{shown}（残差网络保留 {n_paths} 条路径中的 {paths} 条）\n{n_runs} 个随机种子的中位数与最小–最大范围",
    "block {number}": "第 {number} 块",
    "delete": "删除",

    # --- end of section


    # --- error messages of models, norms, measure, data, training, experiments and the rest
    "module must be a torch.nn.Module; got {type_name}": "module 必须是 torch.nn.Module，实际为 {type_name}",
    "inplace must be True or False; got {inplace!r}": "inplace 必须是 True 或 False，实际为 {inplace!r}",
    "normalised and target must both have shape (batch, d); got {normalised_shape} and {target_shape}":
        "normalised 和 target 的形状都必须是 (batch, d)，实际为 {normalised_shape} 和 {target_shape}",
    "depths and growth must be 1-D of the same length >= 3; got shapes {depths_shape} and {growth_shape}":
        "depths 和 growth 必须是长度相同且 >= 3 的一维数组，实际形状为 {depths_shape} 和 {growth_shape}",
    "depths must be positive and increasing; got {depths}": "depths 必须为正且递增，实际为 {depths}",
    "growth must be finite and positive; got {growth}": "growth 必须是有限的正数，实际为 {growth}",
    "depths must contain at least one depth; got an empty sequence": "depths 至少要包含一个深度，实际为空序列",
    "kinds must contain at least one of 'post', 'pre', 'deepnorm'":
        "kinds 至少要包含 'post'、'pre'、'deepnorm' 中的一个",
    "x must be (seq, d_model) and w_q, w_k both (d_k, d_model); got shapes {x_shape}, {w_q_shape}, {w_k_shape}":
        "x 的形状必须是 (seq, d_model)，w_q 和 w_k 都必须是 (d_k, d_model)，实际形状为 {x_shape}、{w_q_shape}、{w_k_shape}",
    "qk_norm must be True or False; got {qk_norm!r}": "qk_norm 必须是 True 或 False，实际为 {qk_norm!r}",
    "d_ks must contain at least one d_k; got an empty sequence": "d_ks 至少要包含一个 d_k，实际为空序列",
    "scales must contain at least one scale; got an empty sequence": "scales 至少要包含一个缩放系数，实际为空序列",
    "reference and other must have the same shape; got {reference_shape} and {other_shape}":
        "reference 和 other 的形状必须相同，实际为 {reference_shape} 和 {other_shape}",
    "fused must be True or False; got {fused!r}": "fused 必须是 True 或 False，实际为 {fused!r}",
    "model must be a resnorm.models.DeepMLP; got {type_name}": "model 必须是 resnorm.models.DeepMLP，实际为 {type_name}",
    "model's norm must be None, 'layer' or 'rms' to swap in PyTorch's; got {norm!r}":
        "要换成 PyTorch 自带的实现，model 的 norm 必须是 None、'layer' 或 'rms'，实际为 {norm!r}",
    "model must be a torch.nn.Module; got {type_name}": "model 必须是 torch.nn.Module，实际为 {type_name}",
    "fn must be a torch.nn.Module or a function of tensors; got {type_name}":
        "fn 必须是 torch.nn.Module 或以张量为参数的函数，实际为 {type_name}",
    "models must be a non-empty mapping from a label to a torch.nn.Module":
        "models 必须是非空映射：标签 → torch.nn.Module",
    "widths must contain at least one width; got an empty sequence": "widths 至少要包含一个宽度，实际为空序列",
    "variants must include 'plain' (the reference of every ratio); got {variants}":
        "variants 必须包含 'plain'（所有比值的基准），实际为 {variants}",
    "configs must be a non-empty mapping from a label to DeepMLP keyword arguments":
        "configs 必须是非空映射：标签 → DeepMLP 的关键字参数",
    "label must be one of {choices}; got {label!r}": "label 必须是 {choices} 之一，实际为 {label!r}",
    "other must not repeat a label; both have {overlap}": "other 的标签不能与已有标签重复，两者都有 {overlap}",
    "configs[{label!r}] must give a depth, e.g. dict(depth=15, norm='batch')":
        "configs[{label!r}] 必须给出 depth，例如 dict(depth=15, norm='batch')",
    "module_name must name a LayerNorm of the model, one of {names}; got {module_name!r}":
        "module_name 必须是模型中某个 LayerNorm 的名字，即 {names} 之一，实际为 {module_name!r}",
    "x and y must have the same number (>= 3) of values; got {x_size} and {y_size}":
        "x 和 y 的元素个数必须相同（且 >= 3），实际为 {x_size} 和 {y_size}",
    "x must not be all zeros": "x 不能全为零",
    "norm_first must be True, False or None; got {norm_first!r}":
        "norm_first 必须是 True、False 或 None，实际为 {norm_first!r}",
    "zero_biases must be True or False; got {zero_biases!r}": "zero_biases 必须是 True 或 False，实际为 {zero_biases!r}",
    "per_block_factor needs at least two block columns; {label!r} has {n}":
        "per_block_factor 至少需要两列（每块一列），{label!r} 只有 {n} 列",
    "batch_sizes must be a non-empty sequence of integers; got {batch_sizes!r}":
        "batch_sizes 必须是非空的整数序列，实际为 {batch_sizes!r}",
    "configs must not use norm='batch': every mini-batch's gradient is split off one pass over all of them, "
    "which needs layers that act on each example alone":
        "configs 不能使用 norm='batch'：每个 mini-batch 的梯度是从对全部样本的一次前向与反向传播中拆出来的，"
        "这要求每一层对每个样本单独计算",
    "x must be a torch.Tensor of shape (..., d)": "x 必须是形状为 (..., d) 的 torch.Tensor",
    "models must contain only {choices}; got {label!r}": "models 只能包含 {choices}，实际为 {label!r}",
    "model must be a resnorm.models.TinyTransformer; got {type_name}":
        "model 必须是 resnorm.models.TinyTransformer，实际为 {type_name}",
    "tokens and targets must both have shape (batch, seq); got {tokens_shape} and {targets_shape}":
        "tokens 和 targets 的形状都必须是 (batch, seq)，实际为 {tokens_shape} 和 {targets_shape}",
    "layer_names must name at least one nn.Linear layer of model":
        "layer_names 至少要指定 model 中的一个 nn.Linear 层",
    "tokens must have shape (batch, seq); got {tokens_shape}": "tokens 的形状必须是 (batch, seq)，实际为 {tokens_shape}",
    "depths must hold at least two different depths; got {depths}": "depths 至少要包含两个不同的深度，实际为 {depths}",
    "placements must name at least one of 'post', 'pre', 'source'":
        "placements 至少要包含 'post'、'pre'、'source' 中的一个",
    "final_norm must be None, True or False; got {final_norm!r}":
        "final_norm 必须是 None、True 或 False，实际为 {final_norm!r}",
    "depths must hold at least one depth, each once; got {depths}":
        "depths 至少要包含一个深度，且每个深度只能出现一次，实际为 {depths}",
    "paths must name at least one of 'all', 'skip'": "paths 至少要包含 'all'、'skip' 中的一个",
    "layer_names must name nn.Linear layers of model, such as {examples}; got {name!r}":
        "layer_names 必须是 model 中 nn.Linear 层的名字，例如 {examples}，实际为 {name!r}",
    "delta must differ from 1 (1 transforms nothing); got 1.0": "delta 不能等于 1（等于 1 时什么都不变换），实际为 1.0",
    "scales and eps_values must each contain at least one value": "scales 和 eps_values 都至少要包含一个值",
    "groups must divide the channels of {layout}_shape ({n_channels}) into groups of at least 2; got {groups}":
        "groups 必须能整除 {layout}_shape 的通道数（{n_channels}），且每组至少 2 个通道，实际为 {groups}",
    "x must be a torch.Tensor; got {type_name}": "x 必须是 torch.Tensor，实际为 {type_name}",
    "dtype must be torch.float16 or torch.bfloat16; got {dtype!r}":
        "dtype 必须是 torch.float16 或 torch.bfloat16，实际为 {dtype!r}",
    "t must be a floating-point torch.Tensor; got {type_name}": "t 必须是浮点型 torch.Tensor，实际为 {type_name}",
    "x must be (n_tokens, d) and w (d, d_out); got shapes {x_shape} and {w_shape}":
        "x 的形状必须是 (n_tokens, d)，w 必须是 (d, d_out)，实际形状为 {x_shape} 和 {w_shape}",
    "module must be a torch.nn.Module or None; got {type_name}":
        "module 必须是 torch.nn.Module 或 None，实际为 {type_name}",
    "bias must be True or False; got {bias!r}": "bias 必须是 True 或 False，实际为 {bias!r}",
    "config must be a mapping of make_sequence_model arguments; got {type_name}":
        "config 必须是 make_sequence_model 参数的映射，实际为 {type_name}",
    "configs must be a non-empty mapping from a label to make_sequence_model arguments":
        "configs 必须是非空映射：标签 → make_sequence_model 的参数",
    "labels must be a non-empty list of {losses}; got {labels}": "labels 必须是由 {losses} 组成的非空列表，实际为 {labels}",
    "alpha and beta apply to kind='deepnorm' only; got kind={kind!r}":
        "alpha 和 beta 只适用于 kind='deepnorm'，实际为 kind={kind!r}",
    "x and upstream must have the same shape (..., d) and weight (d,); got {x_shape}, {upstream_shape}, "
    "{weight_shape}":
        "x 和 upstream 的形状必须相同，都是 (..., d)，weight 必须是 (d,)，实际为 {x_shape}、{upstream_shape}、"
        "{weight_shape}",
    "weight_decays and scales must each contain at least one value": "weight_decays 和 scales 都至少要包含一个值",
    "x must have shape (n, 1); got shape {x_shape}": "x 的形状必须是 (n, 1)，实际为 {x_shape}",
    "model must map (n, 1) to (n, 1); got output shape {out_shape}":
        "model 必须把 (n, 1) 映射到 (n, 1)，实际输出形状为 {out_shape}",
    "values must be a 1-D sequence of at least 3 numbers; got shape {values_shape}":
        "values 必须是至少含 3 个数的一维序列，实际形状为 {values_shape}",
    "scales must contain at least one shortcut scale, such as (1.0, 0.5)":
        "scales 至少要包含一个捷径缩放系数，例如 (1.0, 0.5)",
    "norms must contain at least one entry, such as (None, 'layer')": "norms 至少要包含一项，例如 (None, 'layer')",
    "(scale, norm) must be one of {pairs}; got {got!r}": "(scale, norm) 必须是 {pairs} 之一，实际为 {got!r}",
    "block must be a resnorm.models.TransformerBlock; got {type_name}":
        "block 必须是 resnorm.models.TransformerBlock，实际为 {type_name}",
    "h must have shape (batch, seq, d); got {h_shape}": "h 的形状必须是 (batch, seq, d)，实际为 {h_shape}",
    "depths must hold at least one depth": "depths 至少要包含一个深度",
    "placements must name at least one of {choices}": "placements 至少要包含 {choices} 中的一个",
    "dims must contain at least one width >= 2; got an empty sequence": "dims 至少要包含一个 >= 2 的宽度，实际为空序列",
    "block must be one of {choices}; got {block!r}": "block 必须是 {choices} 之一，实际为 {block!r}",
    "name must be one of {choices}; got {name!r}": "name 必须是 {choices} 之一，实际为 {name!r}",
    "h must be a (..., batch, width) tensor with batch >= 2; got {shape}":
        "h 必须是形状为 (..., batch, width) 且 batch >= 2 的张量，实际为 {shape}",
    "runs must be at least two StreamGrowthResult, one per depth":
        "runs 必须包含至少两个 StreamGrowthResult，每个深度一个",
    "runs must be in order of increasing depth; got depths {depths}": "runs 必须按深度递增排列，实际深度为 {depths}",
    "cross_term_zscore needs depth >= 2 (a spread over the blocks); got depth {depth}":
        "cross_term_zscore 需要 depth >= 2（才能算各块之间的离散程度），实际为 {depth}",
    "configs[{label!r}] must be a residual net with the identity shortcut (residual=True, shortcut_scale=1.0); "
    "got {kwargs!r}":
        "configs[{label!r}] 必须是带恒等捷径连接的残差网络（residual=True, shortcut_scale=1.0），实际为 {kwargs!r}",
    "depth_exponent needs a growth above 1 at every depth; {label!r} has {minimum:.3g}":
        "depth_exponent 要求每个深度上的增长都大于 1，{label!r} 的最小值为 {minimum:.3g}",
    "configs must be a mapping that contains the reference {reference!r}; got {got!r}":
        "configs 必须是包含基准 {reference!r} 的映射，实际为 {got!r}",
    "configs must be a non-empty mapping from a label to placement and warmup_steps":
        "configs 必须是非空映射：标签 → placement 和 warmup_steps",
    "configs[{label!r}] may only set {choices}; got {unknown}": "configs[{label!r}] 只能设置 {choices}，实际为 {unknown}",
    "figure name {name!r} is already registered": "图名 {name!r} 已经注册过了",
    "batch norm needs batch_size >= 2": "批归一化需要 batch_size >= 2",
    "counts must be a non-empty mapping from a label to a ShortcutCount":
        "counts 必须是非空映射：标签 → ShortcutCount",
    "axes must be {n_norms} Axes, one per norm; got {n_axes}": "axes 必须是 {n_norms} 个 Axes，每种归一化一个，实际为 {n_axes} 个",
    "axes must be two matplotlib Axes; got {n_axes}": "axes 必须是两个 matplotlib Axes，实际为 {n_axes} 个",
    "axes must be {n_depths} matplotlib Axes, one per depth; got {n_axes}":
        "axes 必须是 {n_depths} 个 matplotlib Axes，每个深度一个，实际为 {n_axes} 个",
    "model has no gradients yet: call loss.backward() before per_layer_grad_norms(model)":
        "model 还没有梯度：请先调用 loss.backward()，再调用 per_layer_grad_norms(model)",
    "layers {missing} have no gradient: they were not used in the forward pass that loss.backward() went through":
        "层 {missing} 没有梯度：loss.backward() 所经过的那次前向计算没有用到它们",
    "model has no Linear or Conv layers to measure ({type_name})": "model 中没有可测量的 Linear 或 Conv 层（{type_name}）",
    "d_model must be divisible by n_heads; got d_model={d_model}, n_heads={n_heads}":
        "d_model 必须能被 n_heads 整除，实际为 d_model={d_model}, n_heads={n_heads}",
    "residual must be True or False; got {residual!r}": "residual 必须是 True 或 False，实际为 {residual!r}",
    "shortcut_scale only applies when residual=True; got residual=False":
        "shortcut_scale 只在 residual=True 时有效，实际为 residual=False",
    "zero_init_last must be True or False; got {zero_init_last!r}":
        "zero_init_last 必须是 True 或 False，实际为 {zero_init_last!r}",
    "zero_init_last=True needs residual=True (a plain net would output a constant); got residual=False":
        "zero_init_last=True 需要 residual=True（普通网络会输出常数），实际为 residual=False",
    "causal must be True or False; got {causal!r}": "causal 必须是 True 或 False，实际为 {causal!r}",
    "residual=False needs placement 'post' or 'pre' (the source's layer has no residual connection to drop); "
    "got placement='source'":
        "residual=False 需要 placement 为 'post' 或 'pre'（原文的层没有可去掉的残差连接），实际为 placement='source'",
    "x must have shape (batch, seq, d_model); got shape {x_shape}":
        "x 的形状必须是 (batch, seq, d_model)，实际为 {x_shape}",
    "tokens must have shape (batch, seq) with seq <= max_len={max_len}; got shape {tokens_shape}":
        "tokens 的形状必须是 (batch, seq)，且 seq <= max_len={max_len}，实际为 {tokens_shape}",
    "shape must have {n_names} sizes {names} for layout {layout!r}; got {shape!r}":
        "布局 {layout!r} 的 shape 必须有 {n_names} 个维度 {names}，实际为 {shape!r}",
    "groups must divide {channels} = {n_channels}; got {groups}": "groups 必须能整除 {channels} = {n_channels}，实际为 {groups}",
    "params must be a non-empty iterable of tensors, e.g. model.parameters()":
        "params 必须是非空的张量可迭代对象，例如 model.parameters()",
    "betas must be a pair of floats in [0, 1); got {betas!r}": "betas 必须是两个位于 [0, 1) 的浮点数，实际为 {betas!r}",
    "series {name!r} must have shape (n_seeds, n_points) or (n_points,); got {array_shape}":
        "序列 {name!r} 的形状必须是 (n_seeds, n_points) 或 (n_points,)，实际为 {array_shape}",
    "base must be a number greater than 1; got {base!r}": "base 必须是大于 1 的数，实际为 {base!r}",
    "series must be a non-empty mapping from a label to an array of values": "series 必须是非空映射：标签 → 数值数组",
    "every series must have the same number of layers; got shapes {shapes}": "每条序列的层数必须相同，实际形状为 {shapes}",
    "layer_labels must have {n_layers} entries; got {n_layer_labels}":
        "layer_labels 必须有 {n_layers} 项，实际为 {n_layer_labels} 项",
    "steps must have {n_steps} entries for {label!r}; got {x_shape}":
        "对 {label!r}，steps 必须有 {n_steps} 项，实际形状为 {x_shape}",
    "branch must be a torch.nn.Module; got {type_name}": "branch 必须是 torch.nn.Module，实际为 {type_name}",
    "models must be a non-empty sequence of torch.nn.Module": "models 必须是非空的 torch.nn.Module 序列",
    "models must all have the same architecture (the same class)": "models 必须结构相同（同一个类）",
    "models must have no buffers (e.g. no BatchNorm): running statistics cannot be updated under torch.vmap":
        "models 不能有缓冲区（buffer），例如 BatchNorm：在 torch.vmap 下无法更新滑动统计量",
    "batches must be a function step -> (inputs, targets), each with a leading model dimension":
        "batches 必须是函数 step -> (inputs, targets)，且两者的第一维都是模型维",
    "stacked_losses must be None or a function (params, inputs, targets) -> losses (n_models,)":
        "stacked_losses 必须是 None 或函数 (params, inputs, targets) -> losses (n_models,)",
    "index must have shape (n_models, batch); got {index_shape}": "index 的形状必须是 (n_models, batch)，实际为 {index_shape}",
    "batches(step) must return inputs and targets with a leading dimension of {n} (one per model); "
    "got {inputs_shape} and {targets_shape}":
        "batches(step) 返回的 inputs 和 targets 第一维必须是 {n}（每个模型一份），实际为 {inputs_shape} 和 "
        "{targets_shape}",
    "model must use LayerNorm, RMSNorm, DynamicTanh or no norm; got {type_name}":
        "model 只能使用 LayerNorm、RMSNorm、DynamicTanh 或不用归一化，实际为 {type_name}",
    "models must be a non-empty sequence of TinyTransformer or ReweightedTransformer; got {models!r:.80}":
        "models 必须是非空的 TinyTransformer 或 ReweightedTransformer 序列，实际为 {models!r:.80}",
    "models must have one architecture: the same class, blocks, norms and placement (only the weights and "
    "DeepNorm's alpha may differ)":
        "models 的结构必须一致：类、块、归一化和归一化位置都相同（只有权重和 DeepNorm 的 alpha 可以不同）",
    "models must have no dropout (the stacked forward has none); {name} has some":
        "models 不能有 dropout（堆叠的前向计算不含 dropout），{name} 有 dropout",
    "model blocks must be TransformerBlock, DeepNormBlock or ReZeroBlock; got {type_name}":
        "模型的块必须是 TransformerBlock、DeepNormBlock 或 ReZeroBlock，实际为 {type_name}",
    "tokens must have shape (n_models, batch, seq) with seq <= max_len={max_len}; got shape {tokens_shape}":
        "tokens 的形状必须是 (n_models, batch, seq)，且 seq <= max_len={max_len}，实际为 {tokens_shape}",
    "batches must be a function step -> (inputs, targets)": "batches 必须是函数 step -> (inputs, targets)",
    "training runs": "训练次数",
    "nets trained (all seeds at once)": "已训练的网络（所有随机种子同时训练）",
    "stacks trained (all seeds at once)": "已训练的模型组（所有随机种子同时训练）",
    "seeds (train, then delete blocks)": "随机种子（先训练，再删除块）",

    # --- end of section
}

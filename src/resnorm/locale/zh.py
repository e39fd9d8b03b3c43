"""简体中文 catalogue of resnorm: English text (the key, exactly as in the code) -> Chinese.

Terms follow docs/terminology.zh-CN.md (中英术语表). Keep every ``{field}`` of the key, with the
same format spec; Chinese punctuation is full-width (，。：；！？「」 or “”), numbers and code stay
half-width. ``tests/test_i18n.py`` checks that every message marked in the code is here, with the
same fields, and that nothing here is unused.
"""

MESSAGES: dict[str, str] = {
    # --- session, i18n, progress, widgets, quiz, argument checks (_validation), exercises/__init__

    # --- end of section


    # --- exercises of notebooks 01-05 (exercises/residual_connections ... beyond_the_interview)

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

    # --- end of section


    # --- error messages of models, norms, measure, data, training, experiments and the rest

    # --- end of section
}

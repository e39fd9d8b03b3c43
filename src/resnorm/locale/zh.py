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
        "均值和方差被从计算图中 detach 了：前向结果正确，梯度却不对；层归一化的反向传播要经过它的统计量",
    "one scalar gain and bias: LayerNorm learns one gain and one bias PER FEATURE, vectors of size d":
        "缩放参数和平移参数各只有一个标量：层归一化为每个特征各学一个缩放参数和平移参数，它们是长度为 d 的向量",
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
        "归一化放在了相加之后（后置归一化）；前置归一化的块只归一化分支的输入，残差流本身从不被归一化",
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
        "这是后置归一化（相加之后归一化）；前置归一化归一化的是每个子层的输入：x = x + attn(norm1(x)); x = x + ffn(norm2(x))",
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
        "forward：x = x + self_attn(norm1(x))；return x + linear2(relu(linear1(norm2(x))))。",
    # interview_bugs: the checker's feedback
    "seed must be an integer >= 0; got {seed!r}": "seed 必须是 >= 0 的整数，实际得到的是 {seed!r}",
    "answer must be a pair (line_number, \"the corrected line\"), e.g. (3, \"x = x + 1\"); got {kind}":
        "answer 必须是 (line_number, \"the corrected line\") 形式的二元组，即（行号，改正后的那一行），例如 (3, \"x = x + 1\")，实际得到的是 {kind}",
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
        "同样 4 个样本单独成批（4 个）与放进 32 个的批中，预测的最大变化",
    "a Pre-LN stack without its final norm": "缺少最后的归一化层的前置归一化堆叠",
    "in a Pre-LN stack the residual stream is never normalised inside the blocks; the head must get "
    "final_norm(x), or it sees a scale that grows with depth":
        "前置归一化堆叠中，残差流在块内从不被归一化；输出头必须拿到 final_norm(x)，否则它看到的尺度会随深度增长",
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
    "residual, He init": "残差网络，He 初始化",
    "residual, He init + LayerNorm": "残差网络，He 初始化 + LayerNorm",
    "residual + LayerNorm": "残差网络 + LayerNorm",
    "residual + RMSNorm": "残差网络 + RMSNorm",
    "residual\n+ LayerNorm": "残差网络\n+ LayerNorm",
    "residual\n+ RMSNorm": "残差网络\n+ RMSNorm",
    "no norm": "无归一化",
    "He init, no norm": "He 初始化，无归一化",
    "PyTorch default init, no norm": "PyTorch 默认初始化，无归一化",
    "Fixup init, no norm": "Fixup 初始化，无归一化",
    "source's layer": "原文的层",
    "Pre-LN without x +": "Pre-LN（去掉 x +）",
    ", skip path only": "，仅捷径路径",
    "BatchNorm (train mode)": "BatchNorm（训练模式）",
    "BatchNorm (eval mode)": "BatchNorm（评估模式）",
    "LayerNorm + dropout 0.1": "LayerNorm + dropout 0.1",
    "weight matrix re-scaling": "权重矩阵缩放",
    "weight matrix re-centering": "权重矩阵平移",
    "weight vector re-scaling": "单个权重向量缩放",
    "dataset re-scaling": "数据集缩放",
    "dataset re-centering": "数据集平移",
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
    "LayerNorm, relu also ending the branch": "LayerNorm，relu，分支末尾也有",
    "plain + BatchNorm": "普通网络 + BatchNorm",
    "residual + BatchNorm": "残差网络 + BatchNorm",
    "plain + LayerNorm, He init": "普通网络 + LayerNorm，He 初始化",
    "residual + LayerNorm, He init": "残差网络 + LayerNorm，He 初始化",
    "ReLU inside the branch": "ReLU 在分支内部",
    "block ends in a ReLU": "块以 ReLU 结尾",
    "block ends in a tanh": "块以 tanh 结尾",
    "no activation": "无激活函数",
    "RMSNorm, block ends in a ReLU": "RMSNorm，块以 ReLU 结尾",
    "BatchNorm, ReLU inside the branch": "BatchNorm，ReLU 在分支内部",
    "plain, 3 blocks": "普通网络，3 块",
    "plain, 15 blocks": "普通网络，15 块",
    "residual, 15 blocks": "残差网络，15 块",
    "plain, 3 blocks, LayerNorm": "普通网络，3 块，LayerNorm",
    "plain, 15 blocks, LayerNorm": "普通网络，15 块，LayerNorm",
    "default init": "默认初始化",
    "He init": "He 初始化",
    "He init, branch x 1/sqrt(2L)": "He 初始化，分支 x 1/sqrt(2L)",
    "default init + LayerNorm": "默认初始化 + LayerNorm",
    "He init + LayerNorm": "He 初始化 + LayerNorm",
    "He init, last layer zeroed": "He 初始化，最后一层零初始化",
    "Post-LN, no warm-up": "Post-LN，无预热",
    "Post-LN, 15 warm-up steps": "Post-LN，预热 15 步",
    "Pre-LN, no warm-up": "Pre-LN，无预热",
    "Post-LN, 2 blocks, no warm-up": "Post-LN，2 块，无预热",
    "plain, He init": "普通网络，He 初始化",
    "Post-LN, 3 layers": "Post-LN，3 层",
    "Post-LN, 6 layers": "Post-LN，6 层",
    "Pre-LN, 6 layers": "Pre-LN，6 层",
    "DeepNorm, 6 layers": "DeepNorm，6 层",
    "DeepNorm α only (β = 1)": "DeepNorm 仅用 α（β = 1）",
    "DeepNorm β only (α = 1)": "DeepNorm 仅用 β（α = 1）",
    "ReZero, 6 layers": "ReZero，6 层",
    "BatchNorm, training mode": "BatchNorm，训练模式",
    "BatchNorm, eval mode": "BatchNorm，评估模式",
    "LayerNorm on the input": "LayerNorm 作用在输入上",
    "Post-LN residual": "Post-LN 残差网络",
    "Post-LN residual, no biases": "Post-LN 残差网络，无偏置",
    "Pre-LN residual": "Pre-LN 残差网络",
    "Pre-LN residual + final LN": "Pre-LN 残差网络 + 最后的 LN",
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
        "残差流在整个网络上的增长，随深度变化（{n_seeds} 个随机种子）",
    "training loss (nats, per mini-batch)": "训练损失（nats，每个 mini-batch）",
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
        "原文的 LayerNorm（无偏方差）差了一个因子 sqrt((d-1)/d)",
    "input scale (std of x over its features)": "输入尺度（x 在其特征上的标准差）",
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
    "hidden state (0: stem output, i: output of block i)": "隐藏状态（0：stem 输出，i：第 i 块的输出）",
    "RMS of the hidden state h": "隐藏状态 h 的 RMS",
    "{kind} net: activation scale ({n_seeds} seeds)": "{kind}：激活尺度（{n_seeds} 个随机种子）",
    "RMS of $\\partial L/\\partial h$": "∂L/∂h 的 RMS",
    "{kind} net: backpropagated gradient": "{kind}：反向传播的梯度",
    "ReLU mean removed: 1/sqrt(1 - 1/pi) = {predicted:.2f}": "去掉 ReLU 均值：1/sqrt(1 - 1/pi) = {predicted:.2f}",
    "plain net: norm, activation, ablation (dots: seeds)": "普通网络：归一化、激活函数、消融设置（点：随机种子）",
    "gradient growth per block (towards the input)": "每块的梯度增长（朝输入方向）",
    "Plain normalised nets: the gradient grows when the norm rescales away a forward loss":
        "带归一化的普通网络：当归一化把前向的衰减重新放大时，梯度随之增长",
    "batch of {batch_size}": "批大小 {batch_size}",
    "$\\|g_B - g\\| / \\|g\\|$ per layer (median over layers)": "每层的 ‖g_B − g‖ / ‖g‖（各层中位数）",
    "Mini-batch gradient noise: the batch size sets it, LN does not": "mini-batch 梯度噪声：由批大小决定，与 LN 无关",
    "largest / smallest layer gradient norm": "最大 / 最小的层梯度范数",
    "Spread of gradient scale across layers": "梯度尺度在各层间的差异",
    "configuration, at initialisation (dots: seeds)": "配置，初始化时（点：随机种子）",
    "module": "模块",
    "forward time (µs, median)": "前向时间（µs，中位数）",
    "One forward pass, {n_repeats} repeats (bars: 25–75%)": "一次前向计算，重复 {n_repeats} 次（误差线：25–75%）",
    "mean over its features": "在其特征上的均值",
    "std over its features": "在其特征上的标准差",
    "example in the batch": "批内样本",
    "output statistic (dimensionless)": "输出统计量（无量纲）",
    "{norm} norm output: median std {std:.3g}": "norm={norm} 的输出：标准差中位数 {std:.3g}",
    "{norm} norm output: NaN (not a number)": "norm={norm} 的输出：NaN（非数）",
    "sqrt(d) / std(x) (no eps)": "sqrt(d) / std(x)（无 eps）",
    "examples": "样本",
    "input std over the features of one example": "单个样本在其特征上的输入标准差",
    "‖dL/dx‖ per example": "每个样本的 ‖dL/dx‖",
    "input gradient: median {grad:.3g}": "输入梯度：中位数 {grad:.3g}",
    "input gradient: NaN": "输入梯度：NaN",
    "x = {scale:.3g}·z + {shift:.3g}, width {width}, eps {eps:.0e}": "x = {scale:.3g}·z + {shift:.3g}，宽度 {width}，eps {eps:.0e}",
    "width d": "宽度 d",
    "input scale": "输入尺度",
    "input shift": "输入平移",
    "{norm}: over ({over})\n{n_means} means for {names} = {shape}": "{norm}：在 ({over}) 上\n{names} = {shape} 共 {n_means} 个均值",
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
    "How much each block changes it": "每块对它的改变有多大",
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
    "saved activations / plain net's": "保存的激活 / 普通网络的",
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
    "stem": "stem",
    "after block": "块之后",
    "std of the signal / std after the stem": "信号标准差 / stem 之后的标准差",
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
    "without QK-norm": "不用 QK-norm",
    "with QK-norm": "使用 QK-norm",
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
    "other must not repeat a label; both have {overlap}": "other 不能有重复的标签，两者都有 {overlap}",
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
        "per_block_factor 至少需要两列（两个块），{label!r} 只有 {n} 列",
    "batch_sizes must be a non-empty sequence of integers; got {batch_sizes!r}":
        "batch_sizes 必须是非空的整数序列，实际为 {batch_sizes!r}",
    "configs must not use norm='batch': every mini-batch's gradient is split off one pass over all of them, "
    "which needs layers that act on each example alone":
        "configs 不能使用 norm='batch'：每个 mini-batch 的梯度是从对全部样本的一次前向与反向传播中拆出来的，"
        "这要求每一层对每个样本单独计算",
    "x must be a torch.Tensor of shape (..., d)": "x 必须是形状为 (..., d) 的 torch.Tensor",
    "models must contain only {choices}; got {label!r}": "models 只能包含 {choices}，实际出现了 {label!r}",
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
    "delta must differ from 1 (1 transforms nothing); got 1.0": "delta 不能等于 1（乘以 1 什么也没变），实际为 1.0",
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
        "cross_term_zscore 需要 depth >= 2（才能算各块之间的离散程度），实际 depth 为 {depth}",
    "configs[{label!r}] must be a residual net with the identity shortcut (residual=True, shortcut_scale=1.0); "
    "got {kwargs!r}":
        "configs[{label!r}] 必须是带恒等捷径连接的残差网络（residual=True, shortcut_scale=1.0），实际为 {kwargs!r}",
    "depth_exponent needs a growth above 1 at every depth; {label!r} has {minimum:.3g}":
        "depth_exponent 要求每个深度上的增长都大于 1，而 {label!r} 的最小值为 {minimum:.3g}",
    "configs must be a mapping that contains the reference {reference!r}; got {got!r}":
        "configs 必须是包含基准 {reference!r} 的映射，实际为 {got!r}",
    "configs must be a non-empty mapping from a label to placement and warmup_steps":
        "configs 必须是非空映射：标签 → placement 和 warmup_steps",
    "configs[{label!r}] may only set {choices}; got {unknown}": "configs[{label!r}] 只能设置 {choices}，实际出现了 {unknown}",
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
        "models 不能有 buffer（例如不能有 BatchNorm）：在 torch.vmap 下无法更新滑动统计量",
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
        "models 不能有 dropout（堆叠的前向计算不含 dropout），而 {name} 有",
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

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
    "residual + LayerNorm": "残差网络 + LayerNorm",
    "no norm": "无归一化",
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
    "plain + LayerNorm": "普通网络 + LayerNorm",
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
    # layer_normalization
    # transformer_residual_layernorm
    # pros_and_cons
    # beyond_the_interview

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

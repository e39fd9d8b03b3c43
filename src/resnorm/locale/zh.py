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
    # labels of configurations (dict keys in English, shown translated)
    # start_here, residual_connections
    # layer_normalization
    # transformer_residual_layernorm
    # pros_and_cons
    # beyond_the_interview

    # --- end of section


    # --- error messages of models, norms, measure, data, training, experiments and the rest
    "module must be a torch.nn.Module; got {type_name}": "module 必须是 torch.nn.Module，实际为 {type_name}",
    "inplace must be True or False; got {inplace!r}": "inplace 必须是 True 或 False，实际为 {inplace!r}",
    "fused must be True or False; got {fused!r}": "fused 必须是 True 或 False，实际为 {fused!r}",
    "model must be a torch.nn.Module; got {type_name}": "model 必须是 torch.nn.Module，实际为 {type_name}",
    "final_norm must be None, True or False; got {final_norm!r}":
        "final_norm 必须是 None、True 或 False，实际为 {final_norm!r}",
    "alpha and beta apply to kind='deepnorm' only; got kind={kind!r}":
        "alpha 和 beta 只适用于 kind='deepnorm'，实际为 kind={kind!r}",
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

    # --- end of section
}

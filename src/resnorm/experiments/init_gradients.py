"""Gradients of a Transformer at initialisation, per layer and against depth (Xiong et al. 2020).

Xiong et al. (2020, Theorem 1) bound the gradient of the last layer's second FFN matrix
``W^{2,L}`` (here ``blocks[-1].linear2.weight``) at initialisation: for Post-LN it does not
depend on the number of layers ``L``; for Pre-LN it shrinks like ``1/sqrt(L)``, because the final
norm divides by the size of a residual stream that every block has added to. This module measures
both on :class:`~resnorm.models.TinyTransformer` models of increasing depth.

The theorem is about the gradient of the loss of *one* input. The gradient of a batch average
also depends on how the examples' gradients line up, so this module measures each sequence's own
gradient (:func:`per_example_grad_norms`, one backward pass for the whole batch) and reports
their root mean square.

Theorem 1 rests on Lemma 2, which assumes inputs of unit scale: then ``||x_L||^2 / d`` of a Pre-LN
stream lies between ``1 + L/2`` and ``1 + 3L/2``, so the last-layer gradient goes like
``1/sqrt(1 + cL)``, which is ``1/sqrt(L)`` only once ``cL`` outgrows the input's 1. GPT-2's small
embeddings (``embedding_std=0.02``) reach that limit at once. :func:`run_init_gradients` runs
either regime and records the stream's size, so the two can be compared. With
``final_norm=False`` it removes the final norm (an ablation): in Pre-LN that norm's Jacobian, which
divides by ``||x_L||``, is what makes the last layer's gradient shrink with depth (Xiong et al.'s
Lemma 3).

:func:`run_stream_gradients` follows the gradient the other way, towards the input: the gradient
of the loss with respect to the residual stream before and after every block, through the whole
model or through the skip path alone (the branches' own Jacobians cut), which shows what the 2L
LayerNorms on a Post-LN skip path do to it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import sequence_task
from ..i18n import tr
from ..models import PLACEMENTS, TinyTransformer
from ..norms import to_torch_norms

UNIT_SCALE_EMBEDDING_STD = 2 ** -0.5
"""Embedding standard deviation at which token plus position embedding has unit variance per
entry: the unit-scale input of Xiong et al.'s Lemma 2."""

INITS = ("xiong", "default")
"""Initialisations of :func:`init_transformer_`: ``"xiong"`` (Xavier weights, zero biases, small
embeddings: the setting of Xiong et al. 2020, with GPT-2's embedding scale) or ``"default"``
(PyTorch's own: Kaiming-uniform ``Linear`` weights, N(0, 1) embeddings)."""


def init_transformer_(model: TinyTransformer, init: str = "xiong", *,
                      embedding_std: float = 0.02) -> TinyTransformer:
    """Re-initialise ``model`` in place and return it.

    ``init="xiong"``: every weight matrix (each ``nn.Linear`` and the attention in-projection)
    Xavier-uniform, every bias zero, token and position embeddings ``N(0, embedding_std**2)``
    (GPT-2 uses 0.02), norms at weight 1 and bias 0. Small embeddings make the residual stream
    of a Pre-LN model the sum of what its blocks add, which is the regime Theorem 1 describes.
    ``init="default"`` leaves PyTorch's initialisation untouched.
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(tr("model must be a resnorm.models.TinyTransformer; got {type_name}",
                           type_name=type(model).__name__))
    check_choice("init", init, INITS)
    embedding_std = check_float("embedding_std", embedding_std, minimum=0.0, strict_minimum=True)
    if init == "default":
        return model
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        for block in model.blocks:
            nn.init.xavier_uniform_(block.self_attn.in_proj_weight)
            nn.init.zeros_(block.self_attn.in_proj_bias)
        nn.init.normal_(model.token_embedding.weight, std=embedding_std)
        nn.init.normal_(model.position_embedding.weight, std=embedding_std)
    return model


def per_example_grad_norms(model: nn.Module, tokens: torch.Tensor, targets: torch.Tensor,
                           layer_names: Sequence[str]) -> np.ndarray:
    """Norm of each example's own weight gradient, for the named ``nn.Linear`` layers.

    ``tokens`` and ``targets`` are ``(batch, seq)``; the loss of one example is the mean
    cross-entropy (nats) over its ``seq`` positions. Returns an array ``(batch, len(layer_names))``
    whose entry ``[b, j]`` is ``||dloss_b / dW_j||_F``. One forward and one backward pass serve the
    whole batch: the weight gradient of example ``b`` is ``sum_p g_bp a_bp^T`` (``a`` the layer's
    input, ``g`` the gradient at its output), and its norm follows from the two Gram matrices.
    The model must treat examples independently (no batch norm), as every model here does.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(tr("model must be a torch.nn.Module; got {type_name}", type_name=type(model).__name__))
    if tokens.dim() != 2 or targets.shape != tokens.shape:
        raise ValueError(
            tr("tokens and targets must both have shape (batch, seq); got {tokens_shape} and {targets_shape}",
               tokens_shape=tuple(tokens.shape), targets_shape=tuple(targets.shape))
        )
    modules = dict(model.named_modules())
    layer_names = list(layer_names)
    if not layer_names:
        raise ValueError(tr("layer_names must name at least one nn.Linear layer of model"))
    for name in layer_names:
        if not isinstance(modules.get(name), nn.Linear):
            linears = [n for n, m in modules.items() if isinstance(m, nn.Linear)]
            raise ValueError(tr("layer_names must name nn.Linear layers of model, such as {examples}; got {name!r}",
                                examples=linears[:3], name=name))
    inputs: dict[str, torch.Tensor] = {}
    output_grads: dict[str, torch.Tensor] = {}

    def make_hook(name):
        def hook(_module, args, output):
            inputs[name] = args[0].detach()
            output.register_hook(lambda grad: output_grads.__setitem__(name, grad.detach()))
        return hook

    handles = [modules[name].register_forward_hook(make_hook(name)) for name in layer_names]
    try:
        logits = model(tokens)
        F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)).backward()
    finally:
        for handle in handles:
            handle.remove()
    batch = tokens.shape[0]
    # the batch loss is the mean of the examples' losses, so each example's gradient is batch x its share
    return torch.stack([_per_example_weight_grad_norms(inputs[name], output_grads[name] * batch)
                        for name in layer_names], dim=1).numpy()


def _per_example_weight_grad_norms(a: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """``||sum_p g_bp a_bp^T||_F`` per example ``b``, from a linear layer's input ``a`` ``(batch,
    seq, in)`` and the gradient ``g`` ``(batch, seq, out)`` at its output; shape ``(batch,)``."""
    squared = ((g @ g.transpose(1, 2)) * (a @ a.transpose(1, 2))).sum(dim=(1, 2))
    return squared.clamp_min(0.0).sqrt()


@dataclass
class InitGradientResult:
    """Gradient norms of ``W^{2,l}`` (each block's ``linear2.weight``) at initialisation.

    ``last_layer[placement]`` is ``(n_seeds, n_depths)``: for a model of ``depths[j]`` blocks, the
    root-mean-square over examples of ``||dloss/dW^{2,L}||_F`` (nats per unit weight).
    ``per_layer[placement]`` is ``(n_seeds, profile_depth)``: the same for every block ``l`` of the
    model with ``profile_depth`` blocks, input to output. ``stream_rms[placement]`` is
    ``(n_seeds, n_depths)``: the root-mean-square entry of ``x_L``, the last block's output (the
    final norm's input), averaged in square over the examples' tokens.
    """

    depths: np.ndarray
    last_layer: dict[str, np.ndarray]
    profile_depth: int
    per_layer: dict[str, np.ndarray]
    stream_rms: dict[str, np.ndarray]
    init: str
    embedding_std: float
    final_norm: bool | None = None

    def slopes(self, placement: str) -> np.ndarray:
        """Per seed, the slope of ``log(last-layer gradient)`` against ``log(L)``: ``(n_seeds,)``.

        0 means independent of depth; -0.5 means ``1/sqrt(L)``.
        """
        check_choice("placement", placement, tuple(self.last_layer))
        x = np.log(self.depths)
        return np.array([np.polyfit(x, np.log(row), 1)[0] for row in self.last_layer[placement]])

    def stream_corrected_slopes(self, placement: str) -> np.ndarray:
        """Per seed, the slope of ``log(last-layer gradient * RMS of x_L)`` against ``log(L)``.

        The final norm divides the gradient by the stream's size; if that is all that makes a
        Pre-LN gradient shrink with depth, this slope is about 0 whatever the embedding scale.
        """
        check_choice("placement", placement, tuple(self.last_layer))
        x = np.log(self.depths)
        product = self.last_layer[placement] * self.stream_rms[placement]
        return np.array([np.polyfit(x, np.log(row), 1)[0] for row in product])

    def median_slope(self, placement: str) -> float:
        """The median over seeds of each seed's own slope (:meth:`slopes`).

        The depths of one seed are prefixes of one model, so a seed's slope is a paired
        measurement; the slope of the per-depth medians would mix seeds (the median picks a
        different seed at each depth) and jumps by about 0.1 from one seed set to another.
        """
        return float(np.median(self.slopes(placement)))


def first_blocks(model: TinyTransformer, depth: int) -> TinyTransformer:
    """The model made of ``model``'s embeddings, its first ``depth`` blocks, its final norm and head.

    Shares every module (and so every parameter) with ``model``; ``model`` is not changed. A prefix
    of a freshly initialised deep model is a freshly initialised ``depth``-block model, so a depth
    sweep can measure the prefixes of one model instead of building one model per depth.
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(tr("model must be a resnorm.models.TinyTransformer; got {type_name}",
                           type_name=type(model).__name__))
    depth = check_int("depth", depth, minimum=1, maximum=len(model.blocks))
    prefix = copy.copy(model)
    prefix._modules = dict(model._modules)
    prefix.blocks = nn.ModuleList(model.blocks[:depth])
    return prefix


def _fresh_models(seeds, placements, depth, *, init="xiong", embedding_std, final_norm=None,
                  d_model, n_heads, d_ff, n_examples, seq_len, vocab_size):
    """Per seed and placement, a fresh ``depth``-block :class:`TinyTransformer` and the seed's data.

    Yields ``(i, placement, model, tokens, targets)``: ``n_examples`` sequences of the
    ``"reverse"`` task per seed (the same for every placement), the model built with
    ``torch.manual_seed(seed)`` and re-initialised by :func:`init_transformer_`, its LayerNorms
    PyTorch's (the same function in one operation, for speed: :func:`~resnorm.norms.to_torch_norms`).
    """
    for i, seed in enumerate(seeds):
        tokens, targets = sequence_task("reverse", n_examples, seq_len, vocab_size, seed=seed)
        for placement in placements:
            torch.manual_seed(seed)
            model = TinyTransformer(vocab_size, depth, d_model, n_heads, d_ff, placement=placement,
                                    max_len=seq_len, final_norm=final_norm)
            init_transformer_(model, init, embedding_std=embedding_std)
            yield i, placement, to_torch_norms(model), tokens, targets


def block_outputs(model: TinyTransformer, tokens: torch.Tensor) -> list[torch.Tensor]:
    """The residual stream before the first block and after each block: ``depth + 1`` tensors.

    Each is ``(batch, seq, d_model)``; the first is ``token_embedding + position_embedding``, and
    entry ``L`` is what the prefix of ``L`` blocks (:func:`first_blocks`) hands its final norm, so
    one forward pass serves every prefix. The tensors keep their autograd graph (see
    :func:`~resnorm.experiments.residual_stream.stream_states` for the same without gradients).
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(tr("model must be a resnorm.models.TinyTransformer; got {type_name}",
                           type_name=type(model).__name__))
    if tokens.dim() != 2:
        raise ValueError(tr("tokens must have shape (batch, seq); got {tokens_shape}",
                            tokens_shape=tuple(tokens.shape)))
    states = [model.token_embedding(tokens) + model.position_embedding(torch.arange(tokens.shape[1]))]
    for block in model.blocks:
        states.append(block(states[-1]))
    return states


def prefix_last_layer_gradients(model: TinyTransformer, tokens: torch.Tensor, targets: torch.Tensor,
                                depths: Sequence[int], profile_depth: int | None = None):
    """Per-example ``||dloss_b/dW^{2,L}||_F`` of the last block of each prefix of ``model``.

    For every ``L`` in ``depths``, the model is :func:`first_blocks` ``(model, L)``; the loss of one
    example is its mean cross-entropy (nats) over positions. One forward pass through all blocks
    serves every prefix; each prefix then needs a backward pass only from its loss to its last
    block's ``linear2``. Returns ``(last, profile, rms)``: ``last`` ``(batch, len(depths))``;
    ``profile`` ``(batch, profile_depth)``, every block's value for the prefix of
    ``profile_depth`` blocks (``None`` if not asked for); ``rms`` ``(len(depths),)``, the RMS entry
    of ``x_L``, the prefix's last block output (its final norm's input).
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(tr("model must be a resnorm.models.TinyTransformer; got {type_name}",
                           type_name=type(model).__name__))
    depths = [check_int(f"depths[{i}]", d, minimum=1, maximum=len(model.blocks)) for i, d in enumerate(depths)]
    if profile_depth is not None:
        profile_depth = check_choice("profile_depth", profile_depth, tuple(depths))
    captured: list[tuple[torch.Tensor, torch.Tensor]] = []
    handles = [block.linear2.register_forward_hook(
        lambda _m, args, out: captured.append((args[0].detach(), out))) for block in model.blocks]
    try:
        states = block_outputs(model, tokens)
    finally:
        for handle in handles:
            handle.remove()
    batch = tokens.shape[0]
    last, profile, rms = [], None, []
    for depth in depths:
        logits = model.head(model.final_norm(states[depth]))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        blocks = range(depth) if depth == profile_depth else [depth - 1]
        grads = torch.autograd.grad(loss, [captured[l][1] for l in blocks], retain_graph=True)
        norms = [_per_example_weight_grad_norms(captured[l][0], g * batch) for l, g in zip(blocks, grads)]
        last.append(norms[-1])
        if depth == profile_depth:
            profile = torch.stack(norms, dim=1).numpy()
        rms.append(float(states[depth].detach().pow(2).mean().sqrt()))
    return torch.stack(last, dim=1).numpy(), profile, np.array(rms)


def run_init_gradients(
    depths: Sequence[int] = (2, 4, 8, 12, 16, 24),
    *,
    placements: Sequence[str] = ("post", "pre"),
    profile_depth: int = 12,
    init: str = "xiong",
    embedding_std: float = 0.02,
    final_norm: bool | None = None,
    d_model: int = 32,
    n_heads: int = 4,
    d_ff: int = 64,
    seeds=range(5),
    n_examples: int = 32,
    seq_len: int = 8,
    vocab_size: int = 10,
) -> InitGradientResult:
    """Measure ``W^{2,l}`` gradients of fresh :class:`TinyTransformer` models of each depth, per seed.

    For each seed the data are ``n_examples`` sequences of the ``"reverse"`` task
    (:func:`resnorm.data.sequence_task`), the same for every depth and placement. Per seed and
    placement one model of ``max(depths)`` blocks is built with ``torch.manual_seed(seed)`` and
    re-initialised by :func:`init_transformer_` (with ``embedding_std``: 0.02 as GPT-2, or
    :data:`UNIT_SCALE_EMBEDDING_STD` for Lemma 2's unit-scale inputs; ignored for
    ``init="default"``); the model of ``L`` blocks is its first ``L`` blocks with the final norm and
    head (:func:`first_blocks`), so the depths of one seed share their lower blocks and differ only
    in depth. ``profile_depth`` must be one of ``depths``: that model's per-layer values are kept.
    ``final_norm`` goes to :class:`TinyTransformer` (``None``: a final norm for Pre-LN only;
    ``False``: none, the ablation); ``stream_rms`` is ``x_L``, the last block's output, with or
    without a final norm after it.
    """
    depths = [check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths)]
    if len(depths) < 2 or len(set(depths)) != len(depths):
        raise ValueError(tr("depths must hold at least two different depths; got {depths}", depths=depths))
    placements = list(placements)
    if not placements:
        raise ValueError(tr("placements must name at least one of 'post', 'pre', 'source'"))
    for placement in placements:
        check_choice("placement", placement, PLACEMENTS)
    profile_depth = check_choice("profile_depth", profile_depth, tuple(depths))
    check_choice("init", init, INITS)
    embedding_std = check_float("embedding_std", embedding_std, minimum=0.0, strict_minimum=True)
    if final_norm is not None and not isinstance(final_norm, bool):
        raise TypeError(tr("final_norm must be None, True or False; got {final_norm!r}", final_norm=final_norm))
    seeds = check_seeds("seeds", seeds)
    n_examples = check_int("n_examples", n_examples, minimum=1)
    last = {p: np.zeros((len(seeds), len(depths))) for p in placements}
    sizes = {p: np.zeros((len(seeds), len(depths))) for p in placements}
    profile = {p: np.zeros((len(seeds), profile_depth)) for p in placements}
    models = _fresh_models(seeds, placements, max(depths), init=init, embedding_std=embedding_std,
                           final_norm=final_norm, d_model=d_model, n_heads=n_heads, d_ff=d_ff,
                           n_examples=n_examples, seq_len=seq_len, vocab_size=vocab_size)
    for i, placement, model, tokens, targets in models:
        per_example, per_layer, rms = prefix_last_layer_gradients(model, tokens, targets, depths,
                                                                  profile_depth)
        last[placement][i] = np.sqrt(np.mean(per_example ** 2, axis=0))
        profile[placement][i] = np.sqrt(np.mean(per_layer ** 2, axis=0))
        sizes[placement][i] = rms
    return InitGradientResult(np.array(depths, dtype=float), last, profile_depth, profile, sizes,
                              init, embedding_std, final_norm)


PATHS = ("all", "skip")
"""Which paths :func:`run_stream_gradients` lets the gradient take: ``"all"`` (ordinary
backpropagation) or ``"skip"`` (each branch's input detached, so the gradient reaches a lower
block only along the skip path: through the LayerNorms in Post-LN, as an identity in Pre-LN)."""


@dataclass
class StreamGradientResult:
    """Gradients with respect to the residual stream at initialisation, input to output.

    ``grads[(placement, path)][depth]`` is ``(n_seeds, depth + 1)``: column ``l`` is the root mean
    square over examples of ``||dloss_b / dx_l||`` (nats per unit of stream, one example's loss
    being its mean cross-entropy over positions), where ``x_0`` is the embeddings' sum and ``x_l``
    the output of block ``l`` (the final norm's input for ``l = depth``).
    """

    depths: tuple[int, ...]
    grads: dict[tuple[str, str], dict[int, np.ndarray]]
    embedding_std: float

    def input_over_output(self, placement: str, path: str, depth: int) -> np.ndarray:
        """Per seed, ``||dloss/dx_0|| / ||dloss/dx_L||``: below 1 means the gradient shrinks on its
        way back to the input. Shape ``(n_seeds,)``."""
        check_choice("placement", placement, sorted({p for p, _ in self.grads}))
        check_choice("path", path, sorted({q for _, q in self.grads}))
        depth = check_choice("depth", depth, self.depths)
        g = self.grads[(placement, path)][depth]
        return g[:, 0] / g[:, -1]


def _detach_input(_module, args):
    return (args[0].detach(), *args[1:])


def stream_gradient_norms(model: TinyTransformer, tokens: torch.Tensor, targets: torch.Tensor,
                          path: str = "all") -> np.ndarray:
    """``||dloss_b / dx_l||`` for every example ``b`` and stream position ``l``: ``(batch, depth + 1)``.

    ``x_0`` is the input of the first block, ``x_l`` the output of block ``l``. The loss summed
    over examples gives each example's own gradient in its own row, in one backward pass (the
    examples do not interact). ``path="skip"`` detaches the input of every attention and of every
    FFN, so no gradient flows through a branch (the forward pass is unchanged).
    """
    if not isinstance(model, TinyTransformer):
        raise TypeError(tr("model must be a resnorm.models.TinyTransformer; got {type_name}",
                           type_name=type(model).__name__))
    check_choice("path", path, PATHS)
    if tokens.dim() != 2 or targets.shape != tokens.shape:
        raise ValueError(
            tr("tokens and targets must both have shape (batch, seq); got {tokens_shape} and {targets_shape}",
               tokens_shape=tuple(tokens.shape), targets_shape=tuple(targets.shape))
        )
    states: list[torch.Tensor] = []

    def keep(_module, args):
        states.append(args[0])

    handles = [block.register_forward_pre_hook(keep) for block in model.blocks]
    handles.append(model.final_norm.register_forward_pre_hook(keep))
    if path == "skip":
        for block in model.blocks:
            handles += [block.self_attn.register_forward_pre_hook(_detach_input),
                        block.linear1.register_forward_pre_hook(_detach_input)]
    try:
        logits = model(tokens)
    finally:
        for handle in handles:
            handle.remove()
    per_token = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                reduction="none")
    # only the stream's gradients: no weight gradient is computed, and the model's .grad stay as they are
    grads = torch.autograd.grad(per_token.view(tokens.shape).mean(dim=1).sum(), states)
    return torch.stack([g.flatten(1).norm(dim=1) for g in grads], dim=1).numpy()


def run_stream_gradients(
    depths: Sequence[int] = (6, 24),
    *,
    placements: Sequence[str] = ("post", "pre"),
    paths: Sequence[str] = PATHS,
    embedding_std: float = UNIT_SCALE_EMBEDDING_STD,
    d_model: int = 32,
    n_heads: int = 4,
    d_ff: int = 64,
    seeds=range(5),
    n_examples: int = 32,
    seq_len: int = 8,
    vocab_size: int = 10,
) -> StreamGradientResult:
    """Measure the gradient towards the input of fresh :class:`TinyTransformer` models.

    Models as in :func:`run_init_gradients` (``init="xiong"`` with ``embedding_std``; by default
    unit-scale inputs, Lemma 2's regime; the model of each depth the first blocks of one model of
    ``max(depths)`` blocks per seed and placement), the same ``"reverse"`` data for every depth,
    placement and path of one seed; each ``path`` is measured on the same model.
    """
    depths = tuple(check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths))
    if not depths or len(set(depths)) != len(depths):
        raise ValueError(tr("depths must hold at least one depth, each once; got {depths}", depths=list(depths)))
    placements = list(placements)
    if not placements:
        raise ValueError(tr("placements must name at least one of 'post', 'pre', 'source'"))
    for placement in placements:
        check_choice("placement", placement, PLACEMENTS)
    paths = list(paths)
    if not paths:
        raise ValueError(tr("paths must name at least one of 'all', 'skip'"))
    for path in paths:
        check_choice("path", path, PATHS)
    embedding_std = check_float("embedding_std", embedding_std, minimum=0.0, strict_minimum=True)
    seeds = check_seeds("seeds", seeds)
    n_examples = check_int("n_examples", n_examples, minimum=1)
    grads = {(p, path): {d: np.zeros((len(seeds), d + 1)) for d in depths}
             for p in placements for path in paths}
    models = _fresh_models(seeds, placements, max(depths), embedding_std=embedding_std,
                           d_model=d_model, n_heads=n_heads, d_ff=d_ff, n_examples=n_examples,
                           seq_len=seq_len, vocab_size=vocab_size)
    for i, placement, model, tokens, targets in models:
        for depth in depths:
            prefix = first_blocks(model, depth)
            for path in paths:
                per_example = stream_gradient_norms(prefix, tokens, targets, path)
                grads[(placement, path)][depth][i] = np.sqrt(np.mean(per_example ** 2, axis=0))
    return StreamGradientResult(depths, grads, embedding_std)

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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import sequence_task
from ..models import PLACEMENTS, TinyTransformer

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
        raise TypeError(f"model must be a resnorm.models.TinyTransformer; got {type(model).__name__}")
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
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    if tokens.dim() != 2 or targets.shape != tokens.shape:
        raise ValueError(
            f"tokens and targets must both have shape (batch, seq); got {tuple(tokens.shape)} "
            f"and {tuple(targets.shape)}"
        )
    modules = dict(model.named_modules())
    layer_names = list(layer_names)
    if not layer_names:
        raise ValueError("layer_names must name at least one nn.Linear layer of model")
    for name in layer_names:
        if not isinstance(modules.get(name), nn.Linear):
            linears = [n for n, m in modules.items() if isinstance(m, nn.Linear)]
            raise ValueError(f"layer_names must name nn.Linear layers of model, such as {linears[:3]}; "
                             f"got {name!r}")
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
    norms = []
    for name in layer_names:
        a, g = inputs[name], output_grads[name] * batch  # the batch loss is the mean of the examples'
        squared = ((g @ g.transpose(1, 2)) * (a @ a.transpose(1, 2))).sum(dim=(1, 2))
        norms.append(squared.clamp_min(0.0).sqrt())
    return torch.stack(norms, dim=1).numpy()


@dataclass
class InitGradientResult:
    """Gradient norms of ``W^{2,l}`` (each block's ``linear2.weight``) at initialisation.

    ``last_layer[placement]`` is ``(n_seeds, n_depths)``: for a model of ``depths[j]`` blocks, the
    root-mean-square over examples of ``||dloss/dW^{2,L}||_F`` (nats per unit weight).
    ``per_layer[placement]`` is ``(n_seeds, profile_depth)``: the same for every block ``l`` of the
    model with ``profile_depth`` blocks, input to output.
    """

    depths: np.ndarray
    last_layer: dict[str, np.ndarray]
    profile_depth: int
    per_layer: dict[str, np.ndarray]
    init: str

    def slopes(self, placement: str) -> np.ndarray:
        """Per seed, the slope of ``log(last-layer gradient)`` against ``log(L)``: ``(n_seeds,)``.

        0 means independent of depth; -0.5 means ``1/sqrt(L)``.
        """
        check_choice("placement", placement, tuple(self.last_layer))
        x = np.log(self.depths)
        return np.array([np.polyfit(x, np.log(row), 1)[0] for row in self.last_layer[placement]])

    def median_slope(self, placement: str) -> float:
        """Slope of the median over seeds (a single, less noisy estimate)."""
        check_choice("placement", placement, tuple(self.last_layer))
        median = np.median(self.last_layer[placement], axis=0)
        return float(np.polyfit(np.log(self.depths), np.log(median), 1)[0])


def run_init_gradients(
    depths: Sequence[int] = (2, 4, 8, 12, 16, 24),
    *,
    placements: Sequence[str] = ("post", "pre"),
    profile_depth: int = 12,
    init: str = "xiong",
    d_model: int = 32,
    n_heads: int = 4,
    d_ff: int = 64,
    seeds=range(5),
    n_examples: int = 32,
    seq_len: int = 8,
    vocab_size: int = 10,
) -> InitGradientResult:
    """Measure ``W^{2,l}`` gradients of fresh :class:`TinyTransformer` models, one per depth and seed.

    For each seed the data are ``n_examples`` sequences of the ``"reverse"`` task
    (:func:`resnorm.data.sequence_task`), the same for every depth and placement; each model is
    built with ``torch.manual_seed(seed)`` and re-initialised by :func:`init_transformer_`.
    ``profile_depth`` must be one of ``depths``: that model's per-layer values are kept.
    """
    depths = [check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths)]
    if len(depths) < 2 or len(set(depths)) != len(depths):
        raise ValueError(f"depths must hold at least two different depths; got {depths}")
    placements = list(placements)
    if not placements:
        raise ValueError("placements must name at least one of 'post', 'pre', 'source'")
    for placement in placements:
        check_choice("placement", placement, PLACEMENTS)
    profile_depth = check_choice("profile_depth", profile_depth, tuple(depths))
    check_choice("init", init, INITS)
    seeds = check_seeds("seeds", seeds)
    n_examples = check_int("n_examples", n_examples, minimum=1)
    last = {p: np.zeros((len(seeds), len(depths))) for p in placements}
    profile = {p: np.zeros((len(seeds), profile_depth)) for p in placements}
    for i, seed in enumerate(seeds):
        tokens, targets = sequence_task("reverse", n_examples, seq_len, vocab_size, seed=seed)
        for placement in placements:
            for j, depth in enumerate(depths):
                torch.manual_seed(seed)
                model = TinyTransformer(vocab_size, depth, d_model, n_heads, d_ff,
                                        placement=placement, max_len=seq_len)
                init_transformer_(model, init)
                names = [f"blocks.{l}.linear2" for l in range(depth)]
                per_example = per_example_grad_norms(model, tokens, targets, names)
                rms = np.sqrt(np.mean(per_example ** 2, axis=0))
                last[placement][i, j] = rms[-1]
                if depth == profile_depth:
                    profile[placement][i] = rms
    return InitGradientResult(np.array(depths, dtype=float), last, profile_depth, profile, init)

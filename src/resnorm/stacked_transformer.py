"""The forward pass of several small Transformers of one architecture at once, written out by hand.

:func:`resnorm.stacked.train_stacked` runs stacked models under ``torch.vmap`` by default; for the
tiny sequence models of :mod:`resnorm.experiments.reweighted` vmap's per-operation overhead eats
most of the gain (and it has no batching rule for CPU attention). :func:`stacked_sequence_forward`
computes the same function with every weight carrying a leading model dimension: batched matrix
products (``torch.baddbmm``), attention over all models' sequences at once, and norms whose
affine parameters broadcast over that dimension. Each model's output equals its own forward pass
up to float rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .i18n import tr
from .models import SelfAttention, SequenceModel, TransformerBlock
from .norms import DynamicTanh, LayerNorm, RMSNorm
from .reweighted import DeepNormBlock, ReZeroBlock

Params = dict[str, torch.Tensor]


def _linear(params: Params, name: str, x: torch.Tensor) -> torch.Tensor:
    """``nn.Linear`` ``name`` of every model: ``x`` ``(n_models, tokens, in)`` -> ``(n_models, tokens, out)``."""
    return torch.baddbmm(params[f"{name}.bias"].unsqueeze(1), x, params[f"{name}.weight"].transpose(1, 2))


def _norm(module: nn.Module, params: Params, name: str, x: torch.Tensor) -> torch.Tensor:
    """The norm ``module`` (named ``name``) of every model on ``x`` ``(n_models, tokens, d)``."""
    if isinstance(module, nn.Identity):
        return x
    if isinstance(module, DynamicTanh):
        return torch.addcmul(params[f"{name}.bias"].unsqueeze(1), params[f"{name}.weight"].unsqueeze(1),
                             torch.tanh(params[f"{name}.alpha"].unsqueeze(1) * x))
    shape = (x.shape[-1],)
    if isinstance(module, (LayerNorm, nn.LayerNorm)):
        y = F.layer_norm(x, shape, eps=module.eps)
        return torch.addcmul(params[f"{name}.bias"].unsqueeze(1), y, params[f"{name}.weight"].unsqueeze(1))
    if isinstance(module, (RMSNorm, nn.RMSNorm)):
        return F.rms_norm(x, shape, eps=module.eps) * params[f"{name}.weight"].unsqueeze(1)
    raise ValueError(tr("model must use LayerNorm, RMSNorm, DynamicTanh or no norm; got {type_name}",
                        type_name=type(module).__name__))


def _attention(module: SelfAttention, params: Params, name: str, x: torch.Tensor, seq: int) -> torch.Tensor:
    """:class:`~resnorm.models.SelfAttention` of every model; ``x`` ``(n_models, batch * seq, d)``."""
    n, tokens, d = x.shape
    qkv = torch.baddbmm(params[f"{name}.in_proj_bias"].unsqueeze(1), x,
                        params[f"{name}.in_proj_weight"].transpose(1, 2))
    q, k, v = (t.reshape(n * tokens // seq, seq, module.n_heads, -1).transpose(1, 2) for t in qkv.split(d, dim=-1))
    # softmax(q k^T / sqrt(d_head)) v written out, faster on a CPU for these tiny heads than
    # scaled_dot_product_attention's flash kernel. The scores are held transposed, (keys, queries),
    # because PyTorch's CPU softmax over a short last dimension is about 3x slower than over another.
    weights_t = torch.softmax(k @ q.transpose(-2, -1) * q.shape[-1] ** -0.5, dim=-2)
    y = weights_t.transpose(-2, -1) @ v
    return _linear(params, f"{name}.out_proj", y.transpose(1, 2).reshape(n, tokens, d))


def _ffn(params: Params, name: str, x: torch.Tensor) -> torch.Tensor:
    return _linear(params, f"{name}.linear2", F.relu(_linear(params, f"{name}.linear1", x)))


def _block(block: nn.Module, params: Params, name: str, x: torch.Tensor, seq: int,
           alpha: torch.Tensor | None) -> torch.Tensor:
    """One block of every model, as its ``forward`` computes it; ``x`` ``(n_models, batch * seq, d)``.

    ``alpha`` ``(n_models, 1, 1)``: each model's DeepNorm shortcut weight (``DeepNormBlock`` only).
    """
    def attn(h):
        return _attention(block.self_attn, params, f"{name}.self_attn", h, seq)

    def ffn(h):
        return _ffn(params, name, h)

    def norm(i, h):
        return _norm(getattr(block, f"norm{i}"), params, f"{name}.norm{i}", h)

    if isinstance(block, TransformerBlock):
        skip = (lambda h: h) if block.residual else (lambda h: 0.0)
        if block.placement == "post":
            x = norm(1, skip(x) + attn(x))
            return norm(2, skip(x) + ffn(x))
        if block.placement == "pre":
            x = skip(x) + attn(norm(1, x))
            return skip(x) + ffn(norm(2, x))
        x = attn(norm(1, x))
        x = ffn(norm(2, x + x))
        return x + x
    if isinstance(block, DeepNormBlock):
        x = norm(1, alpha * x + attn(x))
        return norm(2, alpha * x + ffn(x))
    # ReZeroBlock (the only other kind stacked_sequence_forward accepts)
    x = x + params[f"{name}.alpha_attn"].unsqueeze(1) * attn(x)
    return x + params[f"{name}.alpha_ffn"].unsqueeze(1) * ffn(x)


def _structure(model: nn.Module) -> list:
    """What the stacked forward reads of a model besides its weights (DeepNorm's alpha excepted)."""
    return [(name, type(m), getattr(m, "placement", None), getattr(m, "residual", None), getattr(m, "eps", None),
             getattr(m, "n_heads", None)) for name, m in model.named_modules()]


def stacked_sequence_forward(models: Sequence[nn.Module]) -> Callable[[Params, torch.Tensor], torch.Tensor]:
    """``forward(params, tokens)``: the logits of all ``models``, computed at once from stacked weights.

    ``models`` are :class:`~resnorm.models.TinyTransformer` or
    :class:`~resnorm.reweighted.ReweightedTransformer` of one architecture (any placement and
    norm, no dropout); they may differ in their weights and, for DeepNorm, in the shortcut weight
    ``alpha`` (so the ablations of DeepNorm's constants stack with DeepNorm itself). Only their
    structure is read here. ``params`` maps each parameter name to the stacked tensor
    ``(n_models, *shape)`` (as ``torch.func.stack_module_state`` makes them), ``tokens`` is
    ``(n_models, batch, seq)`` and the result ``(n_models, batch, seq, vocab_size)``: model ``k``'s
    logits on ``tokens[k]``.
    """
    if (not isinstance(models, Sequence) or not models
            or not all(isinstance(m, SequenceModel) for m in models)):
        raise TypeError(tr("models must be a non-empty sequence of TinyTransformer or ReweightedTransformer; got "
                           "{models!r:.80}",
                           models=models))
    template = models[0]
    if any(type(m) is not type(template) or _structure(m) != _structure(template) for m in models):
        raise ValueError(tr("models must have one architecture: the same class, blocks, norms and placement (only "
                            "the weights and DeepNorm's alpha may differ)"))
    for name, module in template.named_modules():
        if isinstance(module, SelfAttention) and module.dropout or isinstance(module, nn.Dropout) and module.p:
            raise ValueError(tr("models must have no dropout (the stacked forward has none); {name} has some",
                                name=name))
    blocks = list(template.blocks)
    for block in blocks:
        if not isinstance(block, (TransformerBlock, DeepNormBlock, ReZeroBlock)):
            raise ValueError(tr("model blocks must be TransformerBlock, DeepNormBlock or ReZeroBlock; got "
                                "{type_name}",
                                type_name=type(block).__name__))
    alphas = [torch.tensor([float(m.blocks[i].alpha) for m in models]).view(-1, 1, 1)
              if isinstance(block, DeepNormBlock) else None for i, block in enumerate(blocks)]

    def forward(params: Params, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.dim() != 3 or tokens.shape[2] > template.max_len:
            raise ValueError(tr("tokens must have shape (n_models, batch, seq) with seq <= max_len={max_len}; got "
                                "shape {tokens_shape}",
                                max_len=template.max_len, tokens_shape=tuple(tokens.shape)))
        n, batch, seq = tokens.shape
        embedding = params["token_embedding.weight"]
        offsets = torch.arange(n, device=tokens.device).view(n, 1, 1) * embedding.shape[1]
        x = F.embedding(tokens + offsets, embedding.flatten(0, 1))
        x = (x + params["position_embedding.weight"][:, None, :seq]).reshape(n, batch * seq, -1)
        for i, block in enumerate(blocks):
            x = _block(block, params, f"blocks.{i}", x, seq, alphas[i])
        x = _norm(template.final_norm, params, "final_norm", x)
        # The logits are computed class-first, (n_models, vocab, tokens), and returned as a
        # transposed view: the cross-entropy of stacked_sequence_losses then takes its
        # log-softmax over a dimension that is not the last, which is faster on a CPU.
        logits = torch.baddbmm(params["head.bias"].unsqueeze(2), params["head.weight"], x.transpose(1, 2))
        return logits.transpose(1, 2).view(n, batch, seq, -1)

    return forward


def stacked_sequence_losses(models: Sequence[nn.Module]) -> Callable[[Params, torch.Tensor, torch.Tensor], torch.Tensor]:
    """``losses(params, tokens, targets)``: each stacked model's mean cross-entropy (nats), ``(n_models,)``.

    ``tokens`` and ``targets`` are ``(n_models, batch, seq)``; the logits are those of
    :func:`stacked_sequence_forward` of ``models``. Model ``k``'s loss equals
    ``resnorm.training.cross_entropy(model_k(tokens[k]), targets[k])`` up to float rounding.
    Suitable as ``stacked_losses`` of :func:`resnorm.stacked.train_stacked`.
    """
    forward = stacked_sequence_forward(models)

    def losses(params: Params, tokens: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        logits = forward(params, tokens).flatten(1, 2).transpose(1, 2)  # (n_models, vocab, tokens)
        return F.cross_entropy(logits, targets.flatten(1), reduction="none").mean(1)

    return losses

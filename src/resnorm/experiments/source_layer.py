"""The interview text's Transformer layer against the correct ones: what ``x = x + x`` loses.

The source's layer computes ``x = norm1(x); x = attn(x); x = x + x; x = norm2(x); x = ffn(x);
x = x + x`` (``TransformerBlock(placement="source")``). The sum doubles the branch output and the
layer's input never reaches its output. Two measurements show it:

- :func:`zero_branch_outputs`: with the last layer of both branches set to zero, a correct block
  passes its input through (Pre-LN exactly, Post-LN up to two LayerNorms); the source's returns 0;
- :func:`run_source_stack`: in a stack of source layers, the output stops depending on the
  position (attention averages the positions and nothing carries them past it), and the gradient
  that reaches the embeddings fades with depth. The source's stack also differs from a Pre-LN
  stack in two more ways (no final norm, the last FFN output doubled), so the stack
  ``"pre_no_residual"`` (Pre-LN with the ``x +`` dropped, final norm kept) is the control that
  changes nothing but the residual connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_choice, check_int, check_seeds
from ..data import sequence_task
from ..i18n import tr
from ..models import PLACEMENTS, TinyTransformer, TransformerBlock
from ..norms import to_torch_norms
from .init_gradients import block_outputs


STACKS = {
    "post": dict(placement="post"),
    "pre": dict(placement="pre"),
    "source": dict(placement="source"),
    "pre_no_residual": dict(placement="pre", residual=False),
}
"""The stacks :func:`run_source_stack` can build: name -> :class:`TinyTransformer` arguments."""


def zero_branches_(block: TransformerBlock) -> TransformerBlock:
    """Set the last layer of both branches (``self_attn.out_proj`` and ``linear2``) to zero.

    Both branches then output exactly 0 for any input, so the block shows what its skeleton of
    sums and norms does to the input. Returns ``block`` (changed in place).
    """
    if not isinstance(block, TransformerBlock):
        raise TypeError(tr("block must be a resnorm.models.TransformerBlock; got {type_name}",
                           type_name=type(block).__name__))
    with torch.no_grad():
        for layer in (block.self_attn.out_proj, block.linear2):
            layer.weight.zero_()
            layer.bias.zero_()
    return block


@dataclass
class ZeroBranchResult:
    """Input ``x`` ``(batch, seq, d_model)`` and each placement's output with zeroed branches."""

    x: torch.Tensor
    outputs: dict[str, torch.Tensor]

    def layer_norm_of_input(self, times: int = 1) -> torch.Tensor:
        """``x`` normalised ``times`` times by a fresh LayerNorm (weight 1, bias 0, eps 1e-5)."""
        out = self.x
        for _ in range(times):
            out = F.layer_norm(out, out.shape[-1:], eps=1e-5)
        return out

    def max_difference(self, placement: str, reference: torch.Tensor) -> float:
        """Largest absolute difference between ``placement``'s output and ``reference``."""
        check_choice("placement", placement, tuple(self.outputs))
        return float((self.outputs[placement] - reference).abs().max())

    def relative_size(self, placement: str) -> float:
        """``||output|| / ||x||``: 0 means the input was lost entirely."""
        check_choice("placement", placement, tuple(self.outputs))
        return float(self.outputs[placement].norm() / self.x.norm())


def zero_branch_outputs(d_model: int = 16, n_heads: int = 4, d_ff: int = 32, *, seed: int = 0,
                        batch: int = 4, seq_len: int = 6) -> ZeroBranchResult:
    """Run one block of each placement, branches zeroed, on the same standard normal input."""
    seed = check_int("seed", seed, minimum=0)
    batch = check_int("batch", batch, minimum=1)
    seq_len = check_int("seq_len", seq_len, minimum=1)
    x = torch.randn(batch, seq_len, d_model, generator=torch.Generator().manual_seed(seed))
    outputs = {}
    for placement in PLACEMENTS:
        torch.manual_seed(seed)
        block = zero_branches_(TransformerBlock(d_model, n_heads, d_ff, placement=placement))
        with torch.no_grad():
            outputs[placement] = block(x)
    return ZeroBranchResult(x, outputs)


@dataclass
class SourceStackResult:
    """Per stack (a key of :data:`STACKS`), arrays ``(n_seeds, n_depths)`` for stacks of ``depths`` blocks at initialisation.

    ``embedding_grad``: ``||dL/dE||_F`` of the token embedding table ``E`` (nats per unit weight),
    the gradient that made it all the way back to the input. ``position_spread``: the share of the
    head's input that differs between the positions of one sequence,
    ``||h - mean_over_positions(h)|| / ||h - mean(h)||``; 0 means every position gets the same
    vector, so no position-dependent task (such as reversing) can be learned.
    """

    depths: np.ndarray
    embedding_grad: dict[str, np.ndarray]
    position_spread: dict[str, np.ndarray]


def position_spread(h: torch.Tensor) -> float:
    """``||h - h.mean(positions)|| / ||h - h.mean(all)||`` for ``h`` of shape ``(batch, seq, d)``."""
    if h.dim() != 3:
        raise ValueError(tr("h must have shape (batch, seq, d); got {h_shape}", h_shape=tuple(h.shape)))
    centred = h - h.mean(dim=(0, 1), keepdim=True)
    return float((h - h.mean(dim=1, keepdim=True)).norm() / centred.norm().clamp_min(1e-30))


def run_source_stack(
    depths: Sequence[int] = (1, 2, 4, 8, 16),
    *,
    placements: Sequence[str] = PLACEMENTS,
    d_model: int = 32,
    n_heads: int = 4,
    d_ff: int = 64,
    seeds=range(3),
    n_examples: int = 32,
    seq_len: int = 8,
    vocab_size: int = 10,
) -> SourceStackResult:
    """Stacks of ``depth`` blocks of each kind (PyTorch's default initialisation), one
    cross-entropy loss on the ``"reverse"`` task, one backward pass per model.

    ``placements`` names keys of :data:`STACKS` (the three placements, and ``"pre_no_residual"``).
    Every stack sees the same data and is built from the same seed. The stack of ``L`` blocks is
    the first ``L`` blocks of one stack of ``max(depths)`` blocks per seed and kind, with its final
    norm and head (:func:`~resnorm.experiments.init_gradients.first_blocks`: a fresh ``L``-block
    stack; one forward pass serves every depth). Its LayerNorms are PyTorch's (the same function
    in one operation, for speed: :func:`~resnorm.norms.to_torch_norms`).
    """
    depths = [check_int(f"depths[{i}]", d, minimum=1) for i, d in enumerate(depths)]
    if not depths:
        raise ValueError(tr("depths must hold at least one depth"))
    placements = list(placements)
    if not placements:
        raise ValueError(tr("placements must name at least one of {choices}", choices=', '.join(map(repr, STACKS))))
    for placement in placements:
        check_choice("placement", placement, tuple(STACKS))
    seeds = check_seeds("seeds", seeds)
    grads = {p: np.zeros((len(seeds), len(depths))) for p in placements}
    spread = {p: np.zeros((len(seeds), len(depths))) for p in placements}
    for i, seed in enumerate(seeds):
        tokens, targets = sequence_task("reverse", n_examples, seq_len, vocab_size, seed=seed)
        for placement in placements:
            torch.manual_seed(seed)
            model = to_torch_norms(TinyTransformer(vocab_size, max(depths), d_model, n_heads, d_ff,
                                                           max_len=seq_len, **STACKS[placement]))
            states = block_outputs(model, tokens)
            for j, depth in enumerate(depths):
                h = model.final_norm(states[depth])
                loss = F.cross_entropy(model.head(h).reshape(-1, vocab_size), targets.reshape(-1))
                (grad,) = torch.autograd.grad(loss, model.token_embedding.weight, retain_graph=True)
                grads[placement][i, j] = float(grad.norm())
                spread[placement][i, j] = position_spread(h.detach())
    return SourceStackResult(np.array(depths), grads, spread)


def multihead_attention_returns_a_tuple(d_model: int = 8, n_heads: int = 2) -> tuple[str, str]:
    """What PyTorch's ``nn.MultiheadAttention`` gives back, and what the source's call does with it.

    Returns ``(type_name, error)``: the type of ``attn(x, x, x)`` and the message of the
    ``TypeError`` that ``nn.Dropout`` raises when handed that result, as the source's
    ``self.dropout(self.attn(x, x, x, mask=mask))`` would (its ``mask=`` keyword is a second error:
    PyTorch calls it ``attn_mask``).
    """
    attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
    x = torch.zeros(1, 3, d_model)
    result = attn(x, x, x)
    try:
        nn.Dropout(0.1)(result)
    except TypeError as error:
        message = str(error)
    else:  # pragma: no cover - would mean PyTorch changed its API
        message = ""
    return type(result).__name__, message

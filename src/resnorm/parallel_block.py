"""The parallel Transformer block of GPT-J and PaLM: attention and MLP read the same normalised input.

Serial Pre-LN block: ``x + a + MLP(LN2(x + a))`` with ``a = Attn(LN1(x))``; the MLP waits for the
attention. Parallel block (Wang & Komatsuzaki 2021; Chowdhery et al. 2022, Sec. 2):
``x + Attn(LN(x)) + MLP(LN(x))``, one norm, and both branches start with a matrix product of the
same ``LN(x)``, so the query/key/value projection and the MLP's first layer can be fused into one
matrix product (:meth:`ParallelBlock.forward_fused`).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .i18n import tr
from .models import SelfAttention, TransformerBlock, check_block_sizes
from .norms import LayerNorm


class ParallelBlock(nn.Module):
    """``x + attn(norm(x)) + ffn(norm(x))`` with ``ffn(h) = linear2(relu(linear1(h)))``; input and output ``(batch, seq, d_model)``.

    ``self_attn`` is :class:`resnorm.models.SelfAttention`; parameter names otherwise follow
    :class:`resnorm.models.TransformerBlock`, which has the same layers plus a second norm.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int):
        super().__init__()
        d_model, n_heads, d_ff = check_block_sizes(d_model, n_heads, d_ff)
        self.n_heads = n_heads
        self.norm = LayerNorm(d_model)
        self.self_attn = SelfAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)

    @staticmethod
    def _check(x: torch.Tensor) -> None:
        if x.dim() != 3:
            raise ValueError(tr("x must have shape (batch, seq, d_model); got shape {x_shape}",
                                x_shape=tuple(x.shape)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self._check(x)
        h = self.norm(x)
        return x + self.self_attn(h) + self.linear2(F.relu(self.linear1(h)))

    def fused_input_weight(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The query/key/value projection and ``linear1`` stacked: weight ``(3*d_model + d_ff, d_model)`` and bias."""
        return (torch.cat([self.self_attn.in_proj_weight, self.linear1.weight]),
                torch.cat([self.self_attn.in_proj_bias, self.linear1.bias]))

    def forward_fused(self, x: torch.Tensor) -> torch.Tensor:
        """The same function as :meth:`forward`, with one matrix product for both branches' input projections."""
        self._check(x)
        batch, seq, d_model = x.shape
        weight, bias = self.fused_input_weight()
        q, k, v, u = F.linear(self.norm(x), weight, bias).split([d_model, d_model, d_model, weight.shape[0] - 3 * d_model], -1)
        q, k, v = (t.reshape(batch, seq, self.n_heads, -1).transpose(1, 2) for t in (q, k, v))
        attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1) @ v
        attention = self.self_attn.out_proj(attention.transpose(1, 2).reshape(batch, seq, d_model))
        return x + attention + self.linear2(F.relu(u))

    def serial_twin(self) -> TransformerBlock:
        """A serial Pre-LN :class:`~resnorm.models.TransformerBlock` with the same weights (both its norms are this block's norm)."""
        d_model, d_ff = self.linear1.in_features, self.linear1.out_features
        twin = TransformerBlock(d_model, self.n_heads, d_ff, placement="pre")
        state = {name: value for name, value in self.state_dict().items() if not name.startswith("norm.")}
        for norm in ("norm1", "norm2"):
            state.update({f"{norm}.{key}": value for key, value in self.norm.state_dict().items()})
        twin.load_state_dict(state)
        return twin

"""Residual blocks that re-weight the branch or the shortcut instead of relying on a norm alone.

- **SkipInit** (De & Smith 2020) and **ReZero** (Bachlechner et al. 2020): ``x + alpha * F(x)``
  with a learnable scalar ``alpha`` that starts at 0, so every block is the identity at
  initialisation; ReZero drops the Transformer's LayerNorms altogether (:class:`ReZeroBlock`),
  SkipInit replaces BatchNorm in ResNets (:class:`ScaledResidual` wraps any branch).
- **DeepNorm** (Wang et al. 2022): a Post-LN block ``x = LN(alpha * x + G(x))`` that up-weights
  the shortcut by ``alpha > 1`` and scales the initial weights of ``G`` down by ``beta < 1``
  (:class:`DeepNormBlock`, constants from :func:`deepnorm_constants`).
- **Fixup** (Zhang, Dauphin & Ma 2019): no norm, but an initialisation that makes each residual
  branch start at zero and shrinks the other branch layers with depth (:class:`FixupMLP`).

:class:`ReweightedTransformer` stacks the Transformer blocks like ``models.TinyTransformer``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ._validation import check_choice, check_float, check_int
from .i18n import tr
from .models import SelfAttention, SequenceModel, check_block_sizes
from .norms import LayerNorm

RESIDUAL_KINDS = ("rezero", "deepnorm")
"""Block kinds of :class:`ReweightedTransformer`."""

FIXUP_INITS = ("fixup", "he", "default")
"""Initialisations of :class:`FixupMLP`: Fixup's, He-normal everywhere, or PyTorch's default."""


def deepnorm_constants(n_layers: int) -> tuple[float, float]:
    """DeepNorm's ``(alpha, beta)`` for an encoder-only stack of ``n_layers`` blocks.

    Wang et al. (2022): ``alpha = (2N)**(1/4)`` multiplies the shortcut and ``beta = (8N)**(-1/4)``
    is the gain of the initial weights of the feed-forward layers and of the attention's value
    and output projections.
    """
    n_layers = check_int("n_layers", n_layers, minimum=1)
    return (2 * n_layers) ** 0.25, (8 * n_layers) ** -0.25


class ScaledResidual(nn.Module):
    """SkipInit / ReZero around any branch: ``x + alpha * branch(x)``, ``alpha`` starting at ``alpha0``.

    ``alpha`` is one learnable scalar (shape ``(1,)``). With ``alpha0 = 0`` the block is the
    identity at initialisation, yet ``branch`` still gets a gradient through ``alpha``.
    """

    def __init__(self, branch: nn.Module, alpha0: float = 0.0):
        super().__init__()
        if not isinstance(branch, nn.Module):
            raise TypeError(tr("branch must be a torch.nn.Module; got {type_name}", type_name=type(branch).__name__))
        self.branch = branch
        self.alpha = nn.Parameter(torch.full((1,), check_float("alpha0", alpha0)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.alpha * self.branch(x)


class ReZeroBlock(nn.Module):
    """A Transformer encoder block without norms (Bachlechner et al. 2020).

    ``x = x + alpha_attn * attn(x); x = x + alpha_ffn * ffn(x)``: one learnable scalar per
    residual branch, both starting at ``alpha0`` (0 in the paper). ``attn`` and ``ffn`` are
    those of ``models.TransformerBlock`` (same names). Input and output ``(batch, seq, d_model)``.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, *, alpha0: float = 0.0):
        super().__init__()
        d_model, n_heads, d_ff = check_block_sizes(d_model, n_heads, d_ff)
        alpha0 = check_float("alpha0", alpha0)
        self.self_attn = SelfAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.alpha_attn = nn.Parameter(torch.full((1,), alpha0))
        self.alpha_ffn = nn.Parameter(torch.full((1,), alpha0))

    def ffn(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear2(F.relu(self.linear1(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.alpha_attn * self.self_attn(x)
        return x + self.alpha_ffn * self.ffn(x)


class DeepNormBlock(nn.Module):
    """A Post-LN encoder block with DeepNorm (Wang et al. 2022).

    ``x = LN(alpha * x + attn(x)); x = LN(alpha * x + ffn(x))``. At initialisation (the paper's
    pseudocode): Xavier-normal weights with gain ``beta`` for ``linear1``, ``linear2``, the value
    projection and ``out_proj``, gain 1 for the query and key projections; biases zero. With
    ``alpha = beta = 1`` and default init it would be the ordinary Post-LN block.
    Input and output ``(batch, seq, d_model)``.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, *, alpha: float, beta: float):
        super().__init__()
        d_model, n_heads, d_ff = check_block_sizes(d_model, n_heads, d_ff)
        self.alpha = check_float("alpha", alpha, minimum=0.0, strict_minimum=True)
        self.beta = check_float("beta", beta, minimum=0.0, strict_minimum=True)
        self.self_attn = SelfAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = LayerNorm(d_model)
        self.norm2 = LayerNorm(d_model)
        self.reset_parameters()

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """DeepNorm's initialisation (see the class docstring)."""
        d = self.norm1.d
        q, k, v = self.self_attn.in_proj_weight.split(d, dim=0)
        nn.init.xavier_normal_(q, gain=1.0)
        nn.init.xavier_normal_(k, gain=1.0)
        nn.init.xavier_normal_(v, gain=self.beta)
        for linear in (self.self_attn.out_proj, self.linear1, self.linear2):
            nn.init.xavier_normal_(linear.weight, gain=self.beta)
            nn.init.zeros_(linear.bias)
        nn.init.zeros_(self.self_attn.in_proj_bias)

    def ffn(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear2(F.relu(self.linear1(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.norm1(self.alpha * x + self.self_attn(x))
        return self.norm2(self.alpha * x + self.ffn(x))

    def extra_repr(self) -> str:
        return f"alpha={self.alpha:.3g}, beta={self.beta:.3g}"


class ReweightedTransformer(SequenceModel):
    """Embeddings, ``depth`` re-weighted blocks and a head: ``models.TinyTransformer``'s layout.

    ``kind="rezero"``: :class:`ReZeroBlock` (no norm anywhere); ``kind="deepnorm"``:
    :class:`DeepNormBlock` with :func:`deepnorm_constants` of ``depth``, unless ``alpha`` or
    ``beta`` is given (the ablations of one constant: ``beta=1.0`` keeps only the up-weighted
    shortcut, ``alpha=1.0`` only the smaller initial branches). No final norm (ReZero
    has none; DeepNorm's output is already normalised). Tokens ``(batch, seq)`` -> logits
    ``(batch, seq, vocab_size)``.
    """

    def __init__(self, vocab_size: int, depth: int, d_model: int = 32, n_heads: int = 4,
                 d_ff: int = 64, *, kind: str = "deepnorm", max_len: int = 64,
                 alpha: float | None = None, beta: float | None = None):
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        depth = check_int("depth", depth, minimum=1)
        kind = check_choice("kind", kind, RESIDUAL_KINDS)
        d_model, n_heads, d_ff = check_block_sizes(d_model, n_heads, d_ff)
        super().__init__(vocab_size, d_model, max_len)
        self.kind = kind
        if kind != "deepnorm" and (alpha is not None or beta is not None):
            raise ValueError(tr("alpha and beta apply to kind='deepnorm' only; got kind={kind!r}", kind=kind))
        if kind == "deepnorm":
            default_alpha, default_beta = deepnorm_constants(depth)
            alpha = default_alpha if alpha is None else alpha
            beta = default_beta if beta is None else beta
            blocks = (DeepNormBlock(d_model, n_heads, d_ff, alpha=alpha, beta=beta) for _ in range(depth))
        else:
            blocks = (ReZeroBlock(d_model, n_heads, d_ff) for _ in range(depth))
        self.blocks = nn.ModuleList(blocks)
        self.final_norm = nn.Identity()
        self.head = nn.Linear(d_model, vocab_size)


class FixupBlock(nn.Module):
    """A two-layer residual branch with Fixup's scalars, no norm, of width ``w``.

    ``h -> h + scale * linear2(relu(linear1(h + b1) + b2) + b3) + b4``: ``scale`` starts at 1 and
    the four scalar biases at 0 (Zhang et al. 2019, rule 3). Input and output ``(batch, w)``.
    """

    def __init__(self, width: int):
        super().__init__()
        self.linear1 = nn.Linear(width, width, bias=False)
        self.linear2 = nn.Linear(width, width, bias=False)
        self.biases = nn.Parameter(torch.zeros(4))
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        b1, b2, b3, b4 = self.biases
        branch = self.linear2(F.relu(self.linear1(h + b1) + b2) + b3)
        return h + self.scale * branch + b4


class FixupMLP(nn.Module):
    """``stem -> depth x FixupBlock -> head`` without any normalization.

    ``init="fixup"`` (Zhang, Dauphin & Ma 2019, with ``m = 2`` layers per branch): the head and
    every branch's last layer start at zero; every branch's first layer is He-normal scaled by
    ``depth ** -1/2`` (``L ** (-1 / (2m - 2))``). For comparison, the same network with
    ``init="he"`` (the "standard method" Fixup starts from, as ``models.DeepMLP``'s ``"he"``:
    ``std = sqrt(2 / width)`` for the first branch layer, which a ReLU follows, and ``sqrt(1 /
    width)`` for the last, which none follows, so each branch starts with about its input's
    variance and the signal's variance doubles per block) or ``init="default"`` (PyTorch's
    default). The stem keeps PyTorch's
    default in all three. Input ``(batch, in_features)``, output ``(batch, out_features)``; both
    default to ``width``.
    """

    def __init__(self, depth: int, width: int = 64, *, in_features: int | None = None,
                 out_features: int | None = None, init: str = "fixup"):
        super().__init__()
        depth = check_int("depth", depth, minimum=1)
        width = check_int("width", width, minimum=1)
        in_features = width if in_features is None else check_int("in_features", in_features, minimum=1)
        out_features = width if out_features is None else check_int("out_features", out_features, minimum=1)
        self.init = check_choice("init", init, FIXUP_INITS)
        self.stem = nn.Linear(in_features, width)
        self.blocks = nn.ModuleList(FixupBlock(width) for _ in range(depth))
        self.head = nn.Linear(width, out_features)
        he_std = math.sqrt(2.0 / width)
        with torch.no_grad():
            if init == "he":
                for block in self.blocks:
                    block.linear1.weight.normal_(0.0, he_std)
                    block.linear2.weight.normal_(0.0, math.sqrt(1.0 / width))
            elif init == "fixup":
                for block in self.blocks:
                    block.linear1.weight.normal_(0.0, he_std * depth ** -0.5)
                    block.linear2.weight.zero_()
                self.head.weight.zero_()
                self.head.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.hidden_states(x)[-1])

    def hidden_states(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The stem output and each block's output, ``depth + 1`` tensors of ``(batch, width)``."""
        states = [self.stem(x)]
        for block in self.blocks:
            states.append(block(states[-1]))
        return states

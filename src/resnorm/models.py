"""The models the course measures: a deep MLP and a Transformer block, with switches.

Every switch the course talks about (residual or not, which normalization, where it sits, how
the weights start) is an argument, so that two configurations differ in exactly one place. The
default initialisation is PyTorch's, because that is what a reader meets first.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ._validation import check_choice, check_float, check_int
from .i18n import tr
from .norms import NORM_NAMES, DynamicTanh, LayerNorm, RMSNorm, make_norm

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "identity": nn.Identity}
"""Activation names accepted by :class:`DeepMLP`."""

PLACEMENTS = ("post", "pre", "source")
"""Where a :class:`TransformerBlock` puts its norms (see its docstring)."""

class TokenBatchNorm(nn.BatchNorm1d):
    """Batch normalization for token sequences: statistics per feature over every token of the batch.

    An input ``(..., d)`` is normalised as ``d`` features of ``prod(...)`` examples, so a
    ``(batch, seq, d)`` tensor gets one mean and variance per feature over all ``batch * seq``
    tokens, as ``nn.BatchNorm1d(d)`` on ``x.transpose(1, 2)`` does. In training mode these are the
    current batch's statistics (and the running averages are updated); in eval mode the running
    averages. Output has the input's shape.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.reshape(-1, x.shape[-1])).view(x.shape)


BLOCK_NORMS = {"layer": LayerNorm, "rms": RMSNorm, "dyt": DynamicTanh, "batch": TokenBatchNorm}
"""Normalizations a :class:`TransformerBlock` can use, by name (``"dyt"``: Dynamic Tanh, Zhu et al.
2025, a statistics-free replacement with the same interface; ``"batch"``: :class:`TokenBatchNorm`,
batch statistics over every token of the batch, to show why Transformers do not use it)."""


BRANCHES = ("standard", "act_before_addition")
"""Residual-branch shapes of :class:`DeepMLP` (see :class:`MLPBlock`)."""

INITS = ("default", "he", "scaled")
"""Weight initialisations of :class:`DeepMLP` (see its docstring)."""


class MLPBlock(nn.Module):
    """One hidden block of width ``w`` around the branch ``f(h) = linear2(act(linear1(norm(h))))``.

    The branch has the shape of a pre-activation ResNet block or a Transformer FFN: its output
    comes from a linear layer, so it has mean zero and either sign. Plain: ``h -> f(h)``.
    Residual: ``h -> shortcut_scale * h + f(h)``. The branch is the same in both, so a plain and
    a residual block differ by the ``+ h`` only.

    ``branch="act_before_addition"`` applies ``act`` once more at the end of the branch,
    ``f(h) = act(linear2(act(linear1(norm(h)))))``: He et al. (2016b, Fig. 4c, "ReLU before
    addition") tried it and found it worse; the course uses it only as that ablation (a ReLU
    branch then only ever adds non-negative values to the stream). Input and output ``(batch, w)``.
    """

    def __init__(self, width: int, *, residual: bool, norm: str | None, activation: str,
                 shortcut_scale: float = 1.0, branch: str = "standard"):
        super().__init__()
        self.residual = residual
        self.shortcut_scale = shortcut_scale
        self.norm = make_norm(norm, width)
        self.linear1 = nn.Linear(width, width)
        self.act = ACTIVATIONS[activation]()
        self.linear2 = nn.Linear(width, width)
        self.final_act = ACTIVATIONS[activation]() if branch == "act_before_addition" else nn.Identity()

    def branch(self, h: torch.Tensor) -> torch.Tensor:
        return self.final_act(self.linear2(self.act(self.linear1(self.norm(h)))))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        if self.residual:
            return self.shortcut_scale * h + self.branch(h)
        return self.branch(h)


class DeepMLP(nn.Module):
    """``stem -> depth x MLPBlock -> head``: a deep net whose only variable is the block.

    ``stem`` is ``Linear(in_features, width)``, ``head`` is ``Linear(width, out_features)``;
    ``in_features`` and ``out_features`` default to ``width``. Input ``(batch, in_features)``,
    output ``(batch, out_features)``. Each block has two ``Linear(width, width)`` layers
    (``blocks.i.linear1``, ``blocks.i.linear2``; see :class:`MLPBlock`).

    - ``residual``: ``False`` stacks the branches, ``h -> f(h)``; ``True`` adds the input,
      ``h -> h + f(h)``. Nothing else differs: same layers, same parameters, same initial weights
      for the same seed.
    - ``norm``: ``None, "layer", "rms", "batch"``, at the start of each branch (pre-norm).
    - ``activation``: ``"relu", "tanh", "gelu", "identity"``, between the branch's two layers.
    - ``init``: ``"default"`` keeps PyTorch's initialisation (weights and biases uniform in
      ``+-1/sqrt(fan_in)``, weight variance ``1/(3 fan_in)``); ``"he"`` draws weights from
      ``N(0, gain^2/fan_in)`` with gain ``sqrt(2)`` for ``linear1`` (a ReLU follows it) and 1 for
      every other layer, biases 0 (He et al. 2015: each branch then passes on its input's
      variance); ``"scaled"`` is ``"he"`` with each branch's last layer multiplied by
      ``1/sqrt(2 * depth)``: GPT-2's ``1/sqrt(N)`` for ``N`` residual layers (Radford et al.
      2019) with ``N = 2 * depth``, as in a Transformer of ``depth`` layers with two sublayers
      each. This MLP has one residual branch per block, so GPT-2's rule applied to it would be
      ``1/sqrt(depth)``; GPT-2 itself also draws its weights from ``N(0, 0.02^2)``, not He's.
    - ``shortcut_scale`` multiplies the identity path of residual blocks (He et al. 2016b study
      0.5; 1.0 is the ordinary residual). ``branch``: ``"standard"`` or He et al.'s
      ``"act_before_addition"`` ablation (see :class:`MLPBlock`).
    - ``zero_init_last=True`` (residual nets only) sets the weight and bias of each branch's
      last layer, ``linear2``, to 0 after ``init``: every block starts as the identity. It is
      the idea of Goyal et al. (2017)'s zero-initialised last BatchNorm scale in each ResNet
      block, applied to the branch's last linear layer (these branches end in no norm).
    """

    def __init__(self, depth: int, width: int = 64, *, in_features: int | None = None,
                 out_features: int | None = None, residual: bool = False,
                 norm: str | None = None, activation: str = "relu", init: str = "default",
                 shortcut_scale: float = 1.0, branch: str = "standard", zero_init_last: bool = False):
        super().__init__()
        depth = check_int("depth", depth, minimum=1)
        width = check_int("width", width, minimum=1)
        in_features = width if in_features is None else check_int("in_features", in_features, minimum=1)
        out_features = width if out_features is None else check_int("out_features", out_features, minimum=1)
        if not isinstance(residual, bool):
            raise TypeError(tr("residual must be True or False; got {residual!r}", residual=residual))
        check_choice("norm", norm, (None,) + NORM_NAMES)
        check_choice("activation", activation, tuple(ACTIVATIONS))
        check_choice("init", init, INITS)
        check_choice("branch", branch, BRANCHES)
        shortcut_scale = check_float("shortcut_scale", shortcut_scale)
        if shortcut_scale != 1.0 and not residual:
            raise ValueError(tr("shortcut_scale only applies when residual=True; got residual=False"))
        if not isinstance(zero_init_last, bool):
            raise TypeError(tr("zero_init_last must be True or False; got {zero_init_last!r}",
                               zero_init_last=zero_init_last))
        if zero_init_last and not residual:
            raise ValueError(tr("zero_init_last=True needs residual=True (a plain net would output a constant); got "
                                "residual=False"))
        self.config = dict(depth=depth, width=width, residual=residual, norm=norm,
                           activation=activation, init=init, shortcut_scale=shortcut_scale,
                           branch=branch, zero_init_last=zero_init_last)
        self.stem = nn.Linear(in_features, width)
        self.blocks = nn.ModuleList(
            MLPBlock(width, residual=residual, norm=norm, activation=activation,
                     shortcut_scale=shortcut_scale, branch=branch)
            for _ in range(depth)
        )
        self.head = nn.Linear(width, out_features)
        self._apply_init()

    @torch.no_grad()
    def _apply_init(self) -> None:
        """``init`` and ``zero_init_last`` on top of the layers' own (PyTorch's) initialisation."""
        init = self.config["init"]
        if init != "default":
            self._init_he(last_layer_scale=(2 * self.config["depth"]) ** -0.5 if init == "scaled" else 1.0)
        if self.config["zero_init_last"]:
            for block in self.blocks:
                block.linear2.weight.zero_()
                block.linear2.bias.zero_()

    @torch.no_grad()
    def reset_parameters(self) -> None:
        """Draw every parameter again from the current random state and drop the gradients.

        The model then holds exactly the numbers ``DeepMLP(**config)`` would be built with from
        the same random state (norms back to their start, BatchNorm's running statistics
        cleared), without the cost of building the modules (about 50 ms for 100 blocks of width
        64). For measurements over seeds: ``torch.manual_seed(seed); model.reset_parameters()``.
        """
        for module in self.modules():
            if module is not self and hasattr(module, "reset_parameters"):
                module.reset_parameters()
        self._apply_init()
        self.zero_grad(set_to_none=True)

    @torch.no_grad()
    def _init_he(self, last_layer_scale: float) -> None:
        for name, module in self.named_modules():
            if isinstance(module, nn.Linear):
                gain = 2 ** 0.5 if name.endswith("linear1") else 1.0
                module.weight.normal_(0.0, gain / module.in_features ** 0.5)
                module.bias.zero_()
                if name.endswith("linear2"):
                    module.weight.mul_(last_layer_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        return self.head(h)

    def hidden_states(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The stem output and each block's output, ``depth + 1`` tensors of ``(batch, width)``."""
        states = [self.stem(x)]
        for block in self.blocks:
            states.append(block(states[-1]))
        return states


class SelfAttention(nn.Module):
    """Multi-head self-attention, written out; parameters named as in ``nn.MultiheadAttention``.

    Input and output ``(batch, seq, d_model)``. ``in_proj_weight`` (``3*d_model x d_model``)
    makes queries, keys and values; each of ``n_heads`` heads attends with
    ``softmax(q k^T / sqrt(d_head)) v``; ``out_proj`` mixes the heads back. ``causal=True`` lets
    position ``t`` attend only to positions ``<= t`` (a decoder, as in GPT-2).
    """

    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0, *, causal: bool = False):
        super().__init__()
        if not isinstance(causal, bool):
            raise TypeError(tr("causal must be True or False; got {causal!r}", causal=causal))
        self.n_heads = n_heads
        self.dropout = dropout
        self.causal = causal
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d_model, d_model))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d_model))
        self.out_proj = nn.Linear(d_model, d_model)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, seq, d_model = x.shape
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).split(d_model, dim=-1)
        q, k, v = (t.view(batch, seq, self.n_heads, -1).transpose(1, 2) for t in (q, k, v))
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=self.causal)
        return self.out_proj(y.transpose(1, 2).reshape(batch, seq, d_model))


def check_block_sizes(d_model, n_heads, d_ff) -> tuple[int, int, int]:
    """``(d_model, n_heads, d_ff)`` of a Transformer block, each a positive int and ``d_model``
    divisible by ``n_heads``; otherwise a ``ValueError``/``TypeError`` naming the argument."""
    d_model = check_int("d_model", d_model, minimum=1)
    n_heads = check_int("n_heads", n_heads, minimum=1)
    d_ff = check_int("d_ff", d_ff, minimum=1)
    if d_model % n_heads:
        raise ValueError(tr("d_model must be divisible by n_heads; got d_model={d_model}, n_heads={n_heads}",
                            d_model=d_model, n_heads=n_heads))
    return d_model, n_heads, d_ff


class TransformerBlock(nn.Module):
    """One Transformer encoder layer with a choice of where the norms go.

    - ``"post"`` (Vaswani et al. 2017): ``x = norm1(x + attn(x)); x = norm2(x + ffn(x))``
    - ``"pre"`` (GPT-2 style): ``x = x + attn(norm1(x)); x = x + ffn(norm2(x))``; a stack of
      these needs a final norm, which :class:`TinyTransformer` adds.
    - ``"source"`` (the interview text): ``x = norm1(x); x = attn(x); x = x + x; ...`` - the
      sum doubles the branch and the residual stream is lost.

    ``ffn(x) = linear2(relu(linear1(x)))``. Parameter names match
    ``torch.nn.TransformerEncoderLayer(..., batch_first=True)``, so its state dict loads
    strictly (``norm_first=True`` for ``"pre"``). Input and output ``(batch, seq, d_model)``.

    ``residual=False`` (an ablation, ``"post"`` and ``"pre"`` only) drops the ``x +`` of both
    sums and changes nothing else: ``"pre"`` becomes ``x = attn(norm1(x)); x = ffn(norm2(x))``.
    ``causal=True`` masks the attention so that no position sees a later one.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, *, placement: str = "post",
                 dropout: float = 0.0, norm: str = "layer", residual: bool = True,
                 causal: bool = False):
        super().__init__()
        d_model, n_heads, d_ff = check_block_sizes(d_model, n_heads, d_ff)
        self.placement = check_choice("placement", placement, PLACEMENTS)
        dropout = check_float("dropout", dropout, minimum=0.0, maximum=1.0)
        check_choice("norm", norm, tuple(BLOCK_NORMS))
        if not isinstance(residual, bool):
            raise TypeError(tr("residual must be True or False; got {residual!r}", residual=residual))
        if not residual and placement == "source":
            raise ValueError(tr("residual=False needs placement 'post' or 'pre' (the source's layer has no residual "
                                "connection to drop); got placement='source'"))
        self.residual = residual
        self.self_attn = SelfAttention(d_model, n_heads, dropout, causal=causal)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = BLOCK_NORMS[norm](d_model)
        self.norm2 = BLOCK_NORMS[norm](d_model)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def attn(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout1(self.self_attn(x))

    def ffn(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout2(self.linear2(self.dropout(F.relu(self.linear1(x)))))

    def _skip(self, x: torch.Tensor) -> torch.Tensor | float:
        """What the skip path adds to a sublayer's output: ``x``, or 0 when ``residual=False``."""
        return x if self.residual else 0.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3:
            raise ValueError(tr("x must have shape (batch, seq, d_model); got shape {x_shape}",
                                x_shape=tuple(x.shape)))
        if self.placement == "post":
            x = self.norm1(self._skip(x) + self.attn(x))
            return self.norm2(self._skip(x) + self.ffn(x))
        if self.placement == "pre":
            x = self._skip(x) + self.attn(self.norm1(x))
            return self._skip(x) + self.ffn(self.norm2(x))
        x = self.norm1(x)
        x = self.attn(x)
        x = x + x
        x = self.norm2(x)
        x = self.ffn(x)
        return x + x


class SequenceModel(nn.Module):
    """Token and position embeddings, then ``self.blocks``, ``self.final_norm`` and ``self.head``.

    Subclasses build the blocks, the final norm and the head after calling this constructor.
    Tokens ``(batch, seq)`` of ids in ``[0, vocab_size)`` map to logits ``(batch, seq, vocab_size)``.
    """

    def __init__(self, vocab_size: int, d_model: int, max_len: int):
        super().__init__()
        self.max_len = check_int("max_len", max_len, minimum=1)
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Embedding(max_len, d_model)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.dim() != 2 or tokens.shape[1] > self.max_len:
            raise ValueError(
                tr("tokens must have shape (batch, seq) with seq <= max_len={max_len}; got shape {tokens_shape}",
                   max_len=self.max_len, tokens_shape=tuple(tokens.shape))
            )
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.token_embedding(tokens) + self.position_embedding(positions)
        for block in self.blocks:
            x = block(x)
        return self.head(self.final_norm(x))


class TinyTransformer(SequenceModel):
    """A small sequence-to-sequence encoder: embeddings, ``depth`` blocks, final norm, head.

    Tokens ``(batch, seq)`` of ids in ``[0, vocab_size)`` map to logits
    ``(batch, seq, vocab_size)``. Every block is built on its own (no deep copies, so no two
    layers start identical). By default (``final_norm=None``) the final norm exists only for
    ``placement="pre"``, where the residual stream is otherwise never normalised;
    ``final_norm=True`` or ``False`` adds or drops it for any placement (an ablation).
    ``residual`` and ``causal`` are passed to every :class:`TransformerBlock`.
    """

    def __init__(self, vocab_size: int, depth: int, d_model: int = 32, n_heads: int = 4,
                 d_ff: int = 64, *, placement: str = "pre", max_len: int = 64,
                 dropout: float = 0.0, norm: str = "layer", final_norm: bool | None = None,
                 residual: bool = True, causal: bool = False):
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        depth = check_int("depth", depth, minimum=1)
        if final_norm is not None and not isinstance(final_norm, bool):
            raise TypeError(tr("final_norm must be None, True or False; got {final_norm!r}", final_norm=final_norm))
        super().__init__(vocab_size, d_model, max_len)
        self.blocks = nn.ModuleList(
            TransformerBlock(d_model, n_heads, d_ff, placement=placement, dropout=dropout, norm=norm,
                             residual=residual, causal=causal)
            for _ in range(depth)
        )
        if final_norm is None:
            final_norm = placement == "pre"
        self.final_norm = BLOCK_NORMS[norm](d_model) if final_norm else nn.Identity()
        self.head = nn.Linear(d_model, vocab_size)

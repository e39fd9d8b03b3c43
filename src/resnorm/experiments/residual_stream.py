"""The residual stream of a Transformer, layer by layer: how big it is and how much each block changes it.

In a Pre-LN model nothing normalises the stream between blocks: ``x_{l+1} = x_l + f_l(norm(x_l))``
with branch outputs of roughly fixed size, so ``||x_l||`` grows (like ``sqrt(l)`` when the branch
outputs are uncorrelated) and block ``l`` changes the stream by a fraction that shrinks as ``l``
grows. In a Post-LN model every block ends with a norm and the stream stays at unit size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_choice, check_int, check_seeds
from ..data import sequence_task
from ..i18n import tr
from ..models import PLACEMENTS, TinyTransformer
from .init_gradients import INITS, block_outputs, init_transformer_


def stream_states(model: TinyTransformer, tokens: torch.Tensor) -> list[torch.Tensor]:
    """The residual stream before the first block and after each block: ``depth + 1`` tensors.

    Each is ``(batch, seq, d_model)``; the first is ``token_embedding + position_embedding``.
    The final norm and the head are not applied. Computed without gradients.
    """
    with torch.no_grad():
        return block_outputs(model, tokens)


def stream_rms(model: TinyTransformer, tokens: torch.Tensor) -> np.ndarray:
    """Root-mean-square entry of the stream at each depth, ``(depth + 1,)``: ``||x_l|| / sqrt(d_model)``
    averaged (in square) over tokens. 1 is the size a LayerNorm output has."""
    return np.array([float(s.pow(2).mean().sqrt()) for s in stream_states(model, tokens)])


@dataclass
class ResidualStreamResult:
    """Per placement: ``rms[p]`` ``(n_seeds, depth + 1)``, the stream's RMS entry before the first
    block (column 0) and after each block; ``relative_change[p]`` ``(n_seeds, depth)``, the RMS of
    ``x_{l+1} - x_l`` divided by the RMS of ``x_l``: how much block ``l + 1`` changes the stream."""

    depth: int
    rms: dict[str, np.ndarray]
    relative_change: dict[str, np.ndarray]
    init: str

    def growth_exponent(self, placement: str, first_block: int = 2) -> np.ndarray:
        """Per seed, the slope of ``log rms`` against ``log l`` over blocks ``first_block..depth``.

        0.5 means the stream grows like ``sqrt(l)``; 0 means it stays the same size.
        """
        check_choice("placement", placement, tuple(self.rms))
        first_block = check_int("first_block", first_block, minimum=1, maximum=self.depth - 1)
        layers = np.arange(first_block, self.depth + 1)
        return np.array([np.polyfit(np.log(layers), np.log(row[first_block:]), 1)[0]
                         for row in self.rms[placement]])


def run_residual_stream(
    depth: int = 24,
    *,
    placements: Sequence[str] = ("pre", "post"),
    init: str = "xiong",
    d_model: int = 32,
    n_heads: int = 4,
    d_ff: int = 64,
    seeds=range(3),
    n_examples: int = 32,
    seq_len: int = 8,
    vocab_size: int = 10,
) -> ResidualStreamResult:
    """Measure the stream of freshly initialised ``depth``-block :class:`TinyTransformer` models.

    Inputs are ``n_examples`` sequences of the ``"reverse"`` task per seed; models are built with
    ``torch.manual_seed(seed)`` and re-initialised by
    :func:`~resnorm.experiments.init_gradients.init_transformer_` with ``init``.
    """
    depth = check_int("depth", depth, minimum=2)
    placements = list(placements)
    if not placements:
        raise ValueError(tr("placements must name at least one of 'post', 'pre', 'source'"))
    for placement in placements:
        check_choice("placement", placement, PLACEMENTS)
    check_choice("init", init, INITS)
    seeds = check_seeds("seeds", seeds)
    rms = {p: np.zeros((len(seeds), depth + 1)) for p in placements}
    change = {p: np.zeros((len(seeds), depth)) for p in placements}
    for i, seed in enumerate(seeds):
        tokens, _ = sequence_task("reverse", n_examples, seq_len, vocab_size, seed=seed)
        for placement in placements:
            torch.manual_seed(seed)
            model = TinyTransformer(vocab_size, depth, d_model, n_heads, d_ff,
                                    placement=placement, max_len=seq_len)
            states = stream_states(init_transformer_(model, init), tokens)
            sizes = np.array([float(s.pow(2).mean().sqrt()) for s in states])
            steps = np.array([float((b - a).pow(2).mean().sqrt()) for a, b in zip(states, states[1:])])
            rms[placement][i] = sizes
            change[placement][i] = steps / sizes[:-1]
    return ResidualStreamResult(depth, rms, change, init)

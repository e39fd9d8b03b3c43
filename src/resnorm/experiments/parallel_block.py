"""Parallel against serial Transformer blocks: the fused input projection, and how far the two functions differ."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_int, check_seeds
from ..parallel_block import ParallelBlock


@dataclass
class ParallelBlockResult:
    """Per seed, ``(n_seeds,)``: ``fused_difference``, the largest ``|difference|`` between
    :meth:`ParallelBlock.forward` and :meth:`ParallelBlock.forward_fused` (float rounding only);
    ``serial_difference``, the RMS difference between the parallel block and its serial Pre-LN
    twin (same weights), relative to the RMS of the parallel block's update ``y - x``."""

    fused_difference: np.ndarray
    serial_difference: np.ndarray


def run_parallel_block(*, d_model: int = 32, n_heads: int = 4, d_ff: int = 64, batch_size: int = 8,
                       seq_len: int = 16, seeds=range(3)) -> ParallelBlockResult:
    """Build a :class:`ParallelBlock` from ``torch.manual_seed(seed)`` and compare its three computations.

    The input ``(batch_size, seq_len, d_model)`` is standard normal from a generator seeded by the seed.
    """
    d_model = check_int("d_model", d_model, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seq_len = check_int("seq_len", seq_len, minimum=1)
    seeds = check_seeds("seeds", seeds)
    fused, serial = [], []
    with torch.no_grad():
        for seed in seeds:
            torch.manual_seed(seed)
            block = ParallelBlock(d_model, n_heads, d_ff)
            x = torch.randn(batch_size, seq_len, d_model, generator=torch.Generator().manual_seed(seed))
            y = block(x)
            fused.append(float((block.forward_fused(x) - y).abs().max()))
            update = y - x
            serial.append(float((block.serial_twin()(x) - y).pow(2).mean().sqrt() / update.pow(2).mean().sqrt()))
    return ParallelBlockResult(np.array(fused), np.array(serial))

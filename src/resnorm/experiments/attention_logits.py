"""Attention logits: why ``q·k`` is divided by ``sqrt(d_k)``, how the logits grow with the weights, and QK-norm.

A query and a key with ``d_k`` independent unit-variance entries have a dot product of variance
``d_k``; divided by ``sqrt(d_k)`` it has variance 1 whatever ``d_k`` is, so the softmax over the
keys sees logits of the same size in a small and in a large model (Vaswani et al. 2017, Sec.
3.2.1). Logits also grow when the query and key weights grow: scaling ``W_q`` and ``W_k`` by ``s``
multiplies every logit by ``s**2``, and the attention over the keys collapses toward one-hot
(entropy toward 0), the failure Dehghani et al. (2023, ViT-22B) saw in training. QK-norm
normalises ``q`` and ``k`` (here a LayerNorm without gain and bias) before the dot product,
which removes their scale: ``|logit| <= sqrt(d_k)`` whatever the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_float, check_int, check_seeds
from ..i18n import tr

ATTENTION_KINDS = ("plain", "qk-norm")
"""The two ways of computing the logits of :func:`attention_logits`: as is, or with QK-norm."""


def attention_entropy(logits: torch.Tensor) -> torch.Tensor:
    """Entropy (nats) of ``softmax(logits)`` over the last dimension, for each row: shape ``logits.shape[:-1]``.

    ``ln(n_keys)`` for uniform attention, 0 for one-hot attention.
    """
    log_p = torch.log_softmax(logits, dim=-1)
    return -(log_p.exp() * log_p).sum(-1)


def attention_logits(x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, *, qk_norm: bool = False) -> torch.Tensor:
    """Scaled logits ``q kᵀ / sqrt(d_k)`` of tokens ``x`` ``(seq, d_model)`` attending to each other: ``(seq, seq)``.

    ``q = x w_qᵀ`` and ``k = x w_kᵀ`` with ``w_q``, ``w_k`` of shape ``(d_k, d_model)``. With
    ``qk_norm`` each query and key is layer-normalised (no gain, no bias) first (Henry et al.
    2020; Dehghani et al. 2023).
    """
    if x.dim() != 2 or w_q.dim() != 2 or w_q.shape != w_k.shape or w_q.shape[1] != x.shape[1]:
        raise ValueError(tr("x must be (seq, d_model) and w_q, w_k both (d_k, d_model); got shapes {x_shape}, "
                            "{w_q_shape}, {w_k_shape}",
                            x_shape=tuple(x.shape), w_q_shape=tuple(w_q.shape), w_k_shape=tuple(w_k.shape)))
    if not isinstance(qk_norm, bool):
        raise TypeError(tr("qk_norm must be True or False; got {qk_norm!r}", qk_norm=qk_norm))
    q, k = x @ w_q.T, x @ w_k.T
    d_k = q.shape[-1]
    if qk_norm:
        q, k = F.layer_norm(q, (d_k,)), F.layer_norm(k, (d_k,))
    return q @ k.T / math.sqrt(d_k)


@dataclass
class LogitScaleResult:
    """Dot products of random unit-variance queries and keys, per ``d_k``; arrays ``(n_seeds, len(d_ks))``.

    ``raw_variance``: variance of ``q·k``; ``scaled_variance``: of ``q·k / sqrt(d_k)``;
    ``raw_entropy`` and ``scaled_entropy``: mean entropy (nats) of the softmax of each query's
    logits over ``n_keys`` keys, without and with the division. ``max_entropy = ln(n_keys)``.
    """

    d_ks: np.ndarray
    raw_variance: np.ndarray
    scaled_variance: np.ndarray
    raw_entropy: np.ndarray
    scaled_entropy: np.ndarray
    max_entropy: float


def run_logit_scale(d_ks=(4, 16, 64, 256), *, n_queries: int = 256, n_keys: int = 32,
                    seeds=range(3)) -> LogitScaleResult:
    """Variance of ``q·k`` and the entropy of its softmax, with and without the ``1/sqrt(d_k)``.

    For each seed and ``d_k``, ``n_queries`` queries and ``n_keys`` keys with independent standard
    normal entries are drawn from a generator seeded by the seed; every query attends to all keys.
    """
    d_ks = tuple(check_int(f"d_ks[{i}]", d, minimum=1) for i, d in enumerate(d_ks))
    if not d_ks:
        raise ValueError(tr("d_ks must contain at least one d_k; got an empty sequence"))
    n_queries = check_int("n_queries", n_queries, minimum=2)
    n_keys = check_int("n_keys", n_keys, minimum=2)
    seeds = check_seeds("seeds", seeds)
    shape = (len(seeds), len(d_ks))
    out = {name: np.zeros(shape) for name in ("raw_variance", "scaled_variance", "raw_entropy", "scaled_entropy")}
    for s, seed in enumerate(seeds):
        generator = torch.Generator().manual_seed(seed)
        for j, d_k in enumerate(d_ks):
            q = torch.randn(n_queries, d_k, generator=generator)
            k = torch.randn(n_keys, d_k, generator=generator)
            raw = q @ k.T
            scaled = raw / math.sqrt(d_k)
            out["raw_variance"][s, j] = float(raw.var())
            out["scaled_variance"][s, j] = float(scaled.var())
            out["raw_entropy"][s, j] = float(attention_entropy(raw).mean())
            out["scaled_entropy"][s, j] = float(attention_entropy(scaled).mean())
    return LogitScaleResult(np.array(d_ks), **out, max_entropy=math.log(n_keys))


@dataclass
class LogitGrowthResult:
    """Attention logits of one layer as ``W_q`` and ``W_k`` are scaled by ``s``, by kind of :data:`ATTENTION_KINDS`.

    ``max_logit[kind]`` and ``entropy[kind]`` have shape ``(n_seeds, len(scales))``: the largest
    ``|logit|`` and the mean attention entropy (nats) over the queries. ``max_entropy = ln(seq_len)``.
    """

    scales: np.ndarray
    d_k: int
    max_logit: dict[str, np.ndarray]
    entropy: dict[str, np.ndarray]
    max_entropy: float


def run_logit_growth(scales=(1.0, 2.0, 4.0, 8.0), *, d_model: int = 64, d_k: int = 64, seq_len: int = 32,
                     seeds=range(3)) -> LogitGrowthResult:
    """One self-attention layer's logits as its query and key weights grow by ``scales``, with and without QK-norm.

    Per seed (a generator seeded by it): tokens ``x`` ``(seq_len, d_model)`` standard normal,
    ``W_q`` and ``W_k`` ``(d_k, d_model)`` normal with variance ``1/d_model`` (so that ``q`` and
    ``k`` start with unit variance), then multiplied by each scale ``s``.
    """
    scales = tuple(check_float(f"scales[{i}]", s, minimum=0.0, strict_minimum=True) for i, s in enumerate(scales))
    if not scales:
        raise ValueError(tr("scales must contain at least one scale; got an empty sequence"))
    d_model = check_int("d_model", d_model, minimum=1)
    d_k = check_int("d_k", d_k, minimum=2)
    seq_len = check_int("seq_len", seq_len, minimum=2)
    seeds = check_seeds("seeds", seeds)
    max_logit = {kind: np.zeros((len(seeds), len(scales))) for kind in ATTENTION_KINDS}
    entropy = {kind: np.zeros((len(seeds), len(scales))) for kind in ATTENTION_KINDS}
    for i, seed in enumerate(seeds):
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(seq_len, d_model, generator=generator)
        w_q, w_k = (torch.randn(d_k, d_model, generator=generator) / math.sqrt(d_model) for _ in range(2))
        for j, s in enumerate(scales):
            for kind in ATTENTION_KINDS:
                logits = attention_logits(x, s * w_q, s * w_k, qk_norm=kind == "qk-norm")
                max_logit[kind][i, j] = float(logits.abs().max())
                entropy[kind][i, j] = float(attention_entropy(logits).mean())
    return LogitGrowthResult(np.array(scales), d_k, max_logit, entropy, math.log(seq_len))

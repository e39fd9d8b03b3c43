"""Why a Transformer does not use BatchNorm, measured on a small causal (GPT-style) model.

BatchNorm normalises each feature with statistics taken over the batch: in a Transformer, over
every token of every sequence in the batch (:class:`~resnorm.models.TokenBatchNorm`). LayerNorm
takes its statistics from each token's own vector. :func:`run_causal_batch_norm` builds the same
causal Pre-LN :class:`~resnorm.models.TinyTransformer` with either norm and measures three
consequences of batch statistics:

- **the future leaks into the past.** Causal attention hides later tokens from earlier positions,
  but in training mode a BatchNorm's mean and variance include the later tokens, so changing only
  the last token of one sequence changes the outputs at its earlier positions and at every
  position of the other sequences. With LayerNorm they do not change. BatchNorm in eval mode
  (running statistics, fixed per feature) is the ablation: no batch statistics, no leak;
- **padding changes the result.** The same sequences with more pad positions after them: in
  training mode the pad tokens enter the statistics and change the outputs at the real tokens;
- **inference differs from training.** Eval mode (running statistics) gives other outputs than
  the training-mode pass on the same batch, and a sequence run alone (a batch of one, as in
  generation) gets other outputs than in its batch.

Every change is reported as the largest absolute change of an output logit divided by the
root-mean-square logit of the unchanged run: 0 means the output did not change at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_int, check_seeds
from ..i18n import N_, tr
from ..models import TinyTransformer, TokenBatchNorm

SETTINGS = {
    N_("BatchNorm, training mode"): ("batch", True),
    N_("BatchNorm, eval mode"): ("batch", False),
    "LayerNorm": ("layer", True),
}
"""The models :func:`run_causal_batch_norm` compares: label -> (``norm`` of
:class:`~resnorm.models.TinyTransformer`, training mode or not)."""


@dataclass
class CausalBatchNormResult:
    """Relative output changes (see the module docstring), arrays ``(n_seeds,)``.

    Per label of :data:`SETTINGS`: ``earlier_positions`` (the positions before the changed last
    token of the same sequence), ``other_sequences`` (every position of the other sequences of the
    batch), ``padding`` (the real positions, with ``n_pad`` pad positions added to every sequence).
    Per norm (``"batch"``, ``"layer"``): ``eval_vs_training`` (eval mode against training mode on the
    same batch) and ``alone_vs_in_batch`` (one sequence run alone against the same sequence in
    its batch, training mode).
    """

    earlier_positions: dict[str, np.ndarray]
    other_sequences: dict[str, np.ndarray]
    padding: dict[str, np.ndarray]
    eval_vs_training: dict[str, np.ndarray]
    alone_vs_in_batch: dict[str, np.ndarray]
    batch_size: int
    seq_len: int
    n_pad: int


def relative_change(reference: torch.Tensor, other: torch.Tensor) -> float:
    """``max |other - reference| / RMS(reference)``: 0 when nothing changed."""
    if reference.shape != other.shape:
        raise ValueError(tr("reference and other must have the same shape; got {reference_shape} and {other_shape}",
                            reference_shape=tuple(reference.shape), other_shape=tuple(other.shape)))
    return float((other - reference).abs().max() / reference.pow(2).mean().sqrt())


def _set_running_statistics_(model: TinyTransformer, batches: list[torch.Tensor]) -> None:
    """Every :class:`TokenBatchNorm`'s running mean and variance: the plain average over
    ``batches`` of the batch statistics (training-mode passes without gradients)."""
    norms = [m for m in model.modules() if isinstance(m, TokenBatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average instead of an exponential one
    model.train()
    with torch.no_grad():
        for tokens in batches:
            model(tokens)


def run_causal_batch_norm(
    *,
    depth: int = 2,
    d_model: int = 16,
    n_heads: int = 4,
    d_ff: int = 32,
    batch_size: int = 8,
    seq_len: int = 8,
    n_pad: int = 4,
    vocab_size: int = 10,
    n_calibration: int = 20,
    seeds=range(3),
) -> CausalBatchNormResult:
    """Measure the three consequences of batch statistics in a causal Pre-LN Transformer.

    Per seed: ``batch_size`` sequences of ``seq_len`` random tokens in ``[0, vocab_size - 1)``;
    token ``vocab_size - 1`` is the pad token. One model per norm, built with
    ``torch.manual_seed(seed)`` (PyTorch's default initialisation, so both norms get the same
    weights), ``causal=True``, ``placement="pre"``, its final norm of the same kind. The
    BatchNorm's running statistics are the average over ``n_calibration`` batches of fresh
    random tokens. Only forward passes, without gradients.
    """
    depth = check_int("depth", depth, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    seq_len = check_int("seq_len", seq_len, minimum=2)
    n_pad = check_int("n_pad", n_pad, minimum=1)
    vocab_size = check_int("vocab_size", vocab_size, minimum=3)
    n_calibration = check_int("n_calibration", n_calibration, minimum=1)
    seeds = check_seeds("seeds", seeds)
    fields = ("earlier_positions", "other_sequences", "padding")
    changes = {field: {label: np.zeros(len(seeds)) for label in SETTINGS} for field in fields}
    modes = {field: {norm: np.zeros(len(seeds)) for norm in ("batch", "layer")}
             for field in ("eval_vs_training", "alone_vs_in_batch")}
    pad = vocab_size - 1
    for i, seed in enumerate(seeds):
        g = torch.Generator().manual_seed(seed)
        tokens = torch.randint(pad, (batch_size, seq_len), generator=g)
        changed = tokens.clone()
        changed[0, -1] = (tokens[0, -1] + 1) % pad
        padded = torch.cat([tokens, torch.full((batch_size, n_pad), pad)], dim=1)
        calibration = [torch.randint(pad, (batch_size, seq_len), generator=g) for _ in range(n_calibration)]
        for norm in ("batch", "layer"):
            torch.manual_seed(seed)
            model = TinyTransformer(vocab_size, depth, d_model, n_heads, d_ff, placement="pre",
                                    max_len=seq_len + n_pad, norm=norm, causal=True)
            _set_running_statistics_(model, calibration)
            outputs = {}
            with torch.no_grad():
                for training in (True, False):
                    model.train(training)
                    outputs[training] = base = model(tokens)
                    label = next((k for k, v in SETTINGS.items() if v == (norm, training)), None)
                    if label is None:
                        continue
                    after = model(changed)
                    changes["earlier_positions"][label][i] = relative_change(base[0, :-1], after[0, :-1])
                    changes["other_sequences"][label][i] = relative_change(base[1:], after[1:])
                    changes["padding"][label][i] = relative_change(base, model(padded)[:, :seq_len])
                model.train()
                modes["alone_vs_in_batch"][norm][i] = relative_change(outputs[True][:1], model(tokens[:1]))
            modes["eval_vs_training"][norm][i] = relative_change(outputs[True], outputs[False])
    return CausalBatchNormResult(**changes, **modes, batch_size=batch_size, seq_len=seq_len, n_pad=n_pad)


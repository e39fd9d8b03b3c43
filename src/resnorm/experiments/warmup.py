"""Training deep Post-LN and Pre-LN Transformers with and without learning-rate warm-up.

Xiong et al. (2020, Sec. 3.2 and Fig. 2: IWSLT14 De-En, BLEU 8.45 with Adam without warm-up
against about 34 with it) find that a Post-LN Transformer needs a warm-up stage (the learning
rate ramped up from near zero) or it trains badly, and (Sec. 4) that a Pre-LN Transformer trains
without one in their BERT and translation experiments. This module trains a small :class:`TinyTransformer` on a toy
sequence task under several such settings, several seeds each, with the shared training loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import SEQUENCE_TASKS, sequence_task
from ..i18n import N_, tr
from ..models import PLACEMENTS, TinyTransformer
from ..norms import to_torch_norms
from ..progress import progress
from ..training import train
from .residual_stream import stream_rms

WARMUP_CONFIGS = {
    N_("Post-LN, no warm-up"): dict(placement="post", warmup_steps=0),
    N_("Post-LN, 15 warm-up steps"): dict(placement="post", warmup_steps=15),
    N_("Pre-LN, no warm-up"): dict(placement="pre", warmup_steps=0),
    N_("Post-LN, 2 blocks, no warm-up"): dict(placement="post", warmup_steps=0, depth=2),
}
"""The settings of the notebook: label -> ``placement``, ``warmup_steps`` and optionally
``final_norm`` (see :class:`TinyTransformer`) and ``depth`` (default: ``run_warmup``'s). The last
is a control: a shallow Post-LN model."""

CONFIG_KEYS = ("placement", "warmup_steps", "final_norm", "depth")
"""What a setting of :func:`run_warmup` may set."""


@dataclass
class WarmupResult:
    """Training curves per setting: ``losses[label]`` ``(n_seeds, steps)`` (nats, ``NaN`` after a
    divergence), ``diverged_at[label]`` (per seed, the step or ``None``), and ``stream_rms[label]``
    ``(n_seeds, depth + 1)`` (that setting's depth): the trained model's residual stream size at
    each depth (see :func:`~resnorm.experiments.residual_stream.stream_rms`). ``depth`` is the
    depth of every setting that does not set its own; ``vocab_size`` that of the task (a uniform
    guess has a loss of ``ln(vocab_size)``)."""

    losses: dict[str, np.ndarray]
    diverged_at: dict[str, list[int | None]]
    stream_rms: dict[str, np.ndarray]
    lr: float
    depth: int
    vocab_size: int = 6

    def final_loss(self, label: str, last: int = 10) -> np.ndarray:
        """Per seed, the mean loss over the last ``last`` steps (``inf`` if the run diverged)."""
        check_choice("label", label, tuple(self.losses))
        last = check_int("last", last, minimum=1)
        values = self.losses[label][:, -last:]
        return np.where(np.isfinite(values).all(axis=1), values.mean(axis=1), np.inf)


def run_warmup(
    configs: Mapping[str, Mapping] = WARMUP_CONFIGS,
    *,
    depth: int = 6,
    d_model: int = 16,
    n_heads: int = 4,
    d_ff: int = 32,
    lr: float = 0.03,
    steps: int = 40,
    batch_size: int = 32,
    seeds=range(3),
    task: str = "reverse",
    seq_len: int = 4,
    vocab_size: int = 6,
) -> WarmupResult:
    """Train one :class:`TinyTransformer` per setting and seed with Adam and a linear warm-up.

    ``configs`` maps a label to ``placement`` (``"post"``, ``"pre"`` or ``"source"``),
    ``warmup_steps``, and optionally ``final_norm`` (``None``, ``True`` or ``False``) and
    ``depth`` (else ``depth``). For each seed every setting sees the same fresh batches (``steps *
    batch_size`` sequences of ``task``, none repeated) and starts from ``torch.manual_seed(seed)``
    with PyTorch's default initialisation. For speed the LayerNorms are PyTorch's (the same
    function, :func:`~resnorm.norms.to_torch_norms`) and Adam is PyTorch's fused kernel. The loss is the per-token cross-entropy in nats;
    guessing uniformly gives ``ln(vocab_size)``.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to placement and warmup_steps"))
    for label, config in configs.items():
        unknown = set(config) - set(CONFIG_KEYS)
        if unknown:
            raise ValueError(tr("configs[{label!r}] may only set {choices}; got {unknown}",
                                label=label, choices=', '.join(map(repr, CONFIG_KEYS)), unknown=sorted(unknown)))
        check_choice("placement", config.get("placement", "post"), PLACEMENTS)
        check_int("warmup_steps", config.get("warmup_steps", 0), minimum=0)
        check_choice("final_norm", config.get("final_norm"), (None, True, False))
        check_int("depth", config.get("depth", 1), minimum=1)
    depth = check_int("depth", depth, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    steps = check_int("steps", steps, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seeds = check_seeds("seeds", seeds)
    check_choice("task", task, SEQUENCE_TASKS)
    losses = {label: np.zeros((len(seeds), steps)) for label in configs}
    diverged = {label: [] for label in configs}
    depths = {label: config.get("depth", depth) for label, config in configs.items()}
    sizes = {label: np.zeros((len(seeds), depths[label] + 1)) for label in configs}
    runs = [(i, seed, label) for i, seed in enumerate(seeds) for label in configs]
    data = {}
    for i, seed, label in progress(runs, desc=tr("training runs"), total=len(runs)):
        if seed not in data:
            data[seed] = sequence_task(task, steps * batch_size, seq_len, vocab_size, seed=seed)
        tokens, targets = data[seed]

        def batches(step, tokens=tokens, targets=targets):
            rows = slice(step * batch_size, (step + 1) * batch_size)
            return tokens[rows], targets[rows]

        config = configs[label]
        torch.manual_seed(seed)
        model = to_torch_norms(TinyTransformer(
            vocab_size, depths[label], d_model, n_heads, d_ff, placement=config.get("placement", "post"),
            max_len=seq_len, final_norm=config.get("final_norm")))
        result = train(model, batches, steps=steps, lr=lr,
                       warmup_steps=config.get("warmup_steps", 0), optimizer="adam", fused=True)
        losses[label][i] = result.losses
        diverged[label].append(result.diverged_at)
        sizes[label][i] = stream_rms(model, tokens[:batch_size])
    return WarmupResult(losses, diverged, sizes, lr, depth, vocab_size)

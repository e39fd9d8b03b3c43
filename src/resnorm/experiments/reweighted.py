"""Deeper Post-LN without warm-up: plain Post-LN against Pre-LN, DeepNorm (and its two constants alone) and ReZero.

Each configuration is a small Transformer (``models.TinyTransformer`` or
``reweighted.ReweightedTransformer``) trained with Adam at one fixed, fairly large learning
rate and *no* warm-up on :func:`resnorm.data.sequence_task`; the loss curves of several seeds
show which ones learn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .._validation import check_choice, check_float, check_int, check_seeds
from ..data import SEQUENCE_TASKS, sequence_task
from ..i18n import N_, tr
from ..models import TinyTransformer
from ..norms import to_torch_norms
from ..progress import progress
from ..reweighted import ReweightedTransformer
from ..stacked import stack_batches, train_stacked
from ..stacked_transformer import stacked_sequence_losses

MODEL_KINDS = ("post", "pre", "deepnorm", "rezero")
"""Kinds of :func:`make_sequence_model`: the two placements of ``TinyTransformer`` and the two
re-weighted stacks of ``ReweightedTransformer``."""

DEEPER_CONFIGS = {
    N_("Post-LN, 3 layers"): dict(kind="post", depth=3),
    N_("Post-LN, 6 layers"): dict(kind="post", depth=6),
    N_("Pre-LN, 6 layers"): dict(kind="pre", depth=6),
    N_("DeepNorm, 6 layers"): dict(kind="deepnorm", depth=6),
    N_("DeepNorm α only (β = 1)"): dict(kind="deepnorm", depth=6, beta=1.0),
    N_("DeepNorm β only (α = 1)"): dict(kind="deepnorm", depth=6, alpha=1.0),
    N_("ReZero, 6 layers"): dict(kind="rezero", depth=6),
}
"""The notebook's comparison: :func:`make_sequence_model` keyword arguments by label. Besides
Post-LN at two depths, the 6-layer fixes: moving the norm (Pre-LN), DeepNorm, DeepNorm with one
of its two constants switched off (which of them does the work), and ReZero."""

N_SAMPLES = 2048
"""Size of the pool of sequences the mini-batches are drawn from."""


@dataclass
class SequenceTrainingResult:
    """Training losses (nats per token) by label, each ``(n_seeds, steps)``; ``NaN`` after divergence.

    ``chance`` is ``ln(vocab_size)``, the loss of a model that guesses uniformly; ``models[label]``
    holds the trained models, one per seed, and ``tokens[s]`` the pool of input sequences
    ``(n_samples, seq_len)`` that the models of the ``s``-th seed were trained on.
    """

    losses: dict[str, np.ndarray]
    chance: float
    models: dict[str, list[nn.Module]] = field(default_factory=dict, repr=False)
    tokens: list[torch.Tensor] = field(default_factory=list, repr=False)

    def final(self, label: str, last: int = 10) -> np.ndarray:
        """Mean loss over the ``last`` steps of each seed: ``(n_seeds,)`` (``inf`` if it diverged)."""
        values = self.losses[label][:, -last:]
        return np.where(np.isnan(values).any(axis=1), np.inf, values.mean(axis=1))

    def subset(self, labels) -> SequenceTrainingResult:
        """The same result restricted to ``labels`` (in that order), e.g. to plot a few of them."""
        labels = list(labels)
        unknown = [label for label in labels if label not in self.losses]
        if not labels or unknown:
            raise ValueError(tr("labels must be a non-empty list of {losses}; got {labels}",
                                losses=list(self.losses), labels=labels))
        return SequenceTrainingResult({label: self.losses[label] for label in labels}, self.chance,
                                      {label: self.models[label] for label in labels if label in self.models},
                                      self.tokens)


SEQUENCE_NORMS = ("layer", "rms", "dyt")
"""Norms of the sequence models: per-token ones only (the stacked training has no batch statistics)."""


def make_sequence_model(kind: str, depth: int, *, vocab_size: int = 10, d_model: int = 16,
                        n_heads: int = 2, d_ff: int = 32, max_len: int = 8,
                        norm: str = "layer", alpha: float | None = None,
                        beta: float | None = None) -> nn.Module:
    """A small Transformer of ``kind`` (see :data:`MODEL_KINDS`), from the global seed.

    ``norm`` (``"layer"``, ``"rms"`` or ``"dyt"``) applies to ``"post"`` and ``"pre"``;
    DeepNorm always uses LayerNorm and ReZero has no norm. ``alpha`` and ``beta`` override
    DeepNorm's constants (``kind="deepnorm"`` only; see ``ReweightedTransformer``).
    """
    check_choice("kind", kind, MODEL_KINDS)
    check_choice("norm", norm, SEQUENCE_NORMS)
    if kind in ("post", "pre"):
        if alpha is not None or beta is not None:
            raise ValueError(tr("alpha and beta apply to kind='deepnorm' only; got kind={kind!r}", kind=kind))
        return TinyTransformer(vocab_size, depth, d_model, n_heads, d_ff, placement=kind,
                               max_len=max_len, norm=norm)
    return ReweightedTransformer(vocab_size, depth, d_model, n_heads, d_ff, kind=kind, max_len=max_len,
                                 alpha=alpha, beta=beta)


def initial_model(config: Mapping, seed: int, *, vocab_size: int = 10, d_model: int = 16, n_heads: int = 2,
                  d_ff: int = 32, max_len: int = 8) -> nn.Module:
    """The untrained model of ``config`` (:func:`make_sequence_model` arguments) for ``seed``.

    Built from ``torch.manual_seed(seed)``, it is exactly the model that
    :func:`run_sequence_training` starts from for that seed (same sizes), so a property of the
    trained model can be compared with the same model before training.
    """
    if not isinstance(config, Mapping):
        raise TypeError(tr("config must be a mapping of make_sequence_model arguments; got {type_name}",
                           type_name=type(config).__name__))
    seed = check_int("seed", seed, minimum=0)
    torch.manual_seed(seed)
    return make_sequence_model(**config, vocab_size=vocab_size, d_model=d_model, n_heads=n_heads,
                               d_ff=d_ff, max_len=max_len).eval()


def _architecture(config: Mapping) -> tuple:
    """``config`` without DeepNorm's constants: configurations with the same value can share a stack."""
    return tuple(sorted((key, value) for key, value in config.items() if key not in ("alpha", "beta")))


def run_sequence_training(configs: Mapping[str, Mapping], *, task: str = "reverse", steps: int = 40,
                          lr: float = 3e-2, warmup_steps: int = 0, batch_size: int = 32,
                          seq_len: int = 8, vocab_size: int = 10, d_model: int = 16, n_heads: int = 2,
                          d_ff: int = 32, seeds=range(3)) -> SequenceTrainingResult:
    """Train every configuration once per seed; return the loss curves.

    ``configs`` maps a label to :func:`make_sequence_model` keyword arguments (``kind``, ``depth``,
    optionally ``norm``). A seed fixes everything random: the pool of ``task`` sequences
    (``sequence_task(..., seed=seed)``), the initial weights (``torch.manual_seed(seed)``) and
    the order of the mini-batches of ``batch_size`` sequences; for one seed every configuration
    sees the same data in the same order. For speed, the from-scratch norms are swapped for
    PyTorch's (:func:`resnorm.norms.to_torch_norms`) and all seeds of a configuration, and of
    configurations that differ only in DeepNorm's ``alpha`` and ``beta``, train side by side as
    one stack (:func:`resnorm.stacked.train_stacked` with the hand-written
    :func:`resnorm.stacked_transformer.stacked_sequence_losses`, one fused Adam step for all;
    a progress bar counts the stacks): each model follows the trajectory it would follow
    alone, up to float rounding, in a fraction of the time.
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to make_sequence_model arguments"))
    check_choice("task", task, SEQUENCE_TASKS)
    steps = check_int("steps", steps, minimum=1)
    lr = check_float("lr", lr, minimum=0.0, strict_minimum=True)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seeds = check_seeds("seeds", seeds)
    data = [sequence_task(task, N_SAMPLES, seq_len, vocab_size, seed=seed) for seed in seeds]
    tokens, targets = (torch.stack(t) for t in zip(*data))
    size = dict(vocab_size=vocab_size, d_model=d_model, n_heads=n_heads, d_ff=d_ff, max_len=seq_len)
    groups = {}  # configurations that differ only in DeepNorm's constants train as one stack
    for label, config in configs.items():
        groups.setdefault(_architecture(config), []).append(label)
    losses, models = {}, {}
    for labels in progress(list(groups.values()), desc=tr("stacks trained (all seeds at once)")):
        stack = [to_torch_norms(initial_model(configs[label], seed, **size)) for label in labels for seed in seeds]
        orders = [torch.Generator().manual_seed(seed) for _ in labels for seed in seeds]
        pools, pool_targets = tokens.repeat(len(labels), 1, 1), targets.repeat(len(labels), 1, 1)

        def batches(step, orders=orders, pools=pools, pool_targets=pool_targets):
            index = torch.stack([torch.randint(N_SAMPLES, (batch_size,), generator=order) for order in orders])
            return stack_batches(pools, pool_targets, index=index)

        result = train_stacked(stack, batches, steps=steps, lr=lr, warmup_steps=warmup_steps,
                               stacked_losses=stacked_sequence_losses(stack))
        for i, label in enumerate(labels):
            losses[label] = result.losses[i * len(seeds):(i + 1) * len(seeds)]
            models[label] = [model.eval() for model in stack[i * len(seeds):(i + 1) * len(seeds)]]
    losses, models = {label: losses[label] for label in configs}, {label: models[label] for label in configs}
    return SequenceTrainingResult(losses, math.log(vocab_size), models, [pool for pool, _ in data])


def run_deeper(configs: Mapping[str, Mapping] = DEEPER_CONFIGS, *, lr: float = 2e-2, seeds=range(5),
               **kwargs) -> SequenceTrainingResult:
    """The notebook's comparison of fixes for a deeper Post-LN: :func:`run_sequence_training` of ``configs``.

    The learning rate 0.02 (Adam, no warm-up, 40 steps) is high enough that a 6-layer Post-LN
    stays at chance on most seeds while a 3-layer one learns on most; single runs scatter, so
    the notebook compares medians over 5 seeds.
    """
    return run_sequence_training(configs, lr=lr, seeds=seeds, **kwargs)

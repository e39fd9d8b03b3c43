"""LayerNorm normalises each example over its features; BatchNorm each feature over the batch.

Consequences measured here: LayerNorm works at batch size 1, is the same in training and
evaluation, and gives an example the same output whatever batch it is in; BatchNorm does none of
these, and dropout is random by design.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_int, check_seeds
from ..i18n import N_
from ..norms import LayerNorm

METHODS = ("LayerNorm", N_("BatchNorm (train mode)"), N_("BatchNorm (eval mode)"), N_("LayerNorm + dropout 0.1"))
"""The layers compared in :func:`run_batch_vs_layer`, by label."""


@dataclass
class BatchVsLayerResult:
    """What each layer normalises over, and how an example's output depends on its batch.

    Statistics of the outputs on one batch ``(batch_size, d)``, per seed ``(n_seeds,)``, all
    dimensionless: ``ln_example_mean``/``ln_example_std``: the largest ``|mean|`` and
    ``|std - 1|`` over examples (rows) of the LayerNorm output; ``ln_feature_mean``: the largest
    ``|mean|`` over features (columns); ``bn_*`` likewise for BatchNorm in training mode.

    ``companion_spread`` ``(n_methods, n_seeds)``: one fixed example is put in ``n_batches``
    batches with different other examples; the value is the standard deviation of its output
    across those batches, averaged over features (0 means the batch does not matter).
    ``train_eval_gap`` ``(n_seeds,)`` per layer: the largest ``|output in train mode - output in
    eval mode|`` over the batch. ``batch_of_one``: for each layer, ``"ok"`` or the error raised.
    ``example_input``, ``example_ln``, ``example_bn``: the first seed's batch and both outputs.
    ``n_batches``: how many batches each fixed example was put in.
    """

    methods: list[str]
    ln_example_mean: np.ndarray
    ln_example_std: np.ndarray
    ln_feature_mean: np.ndarray
    bn_feature_mean: np.ndarray
    bn_feature_std: np.ndarray
    bn_example_mean: np.ndarray
    companion_spread: np.ndarray
    ln_train_eval_gap: np.ndarray
    bn_train_eval_gap: np.ndarray
    batch_of_one: dict[str, str]
    example_input: np.ndarray
    example_ln: np.ndarray
    example_bn: np.ndarray
    n_batches: int


def _features(n: int, d: int, g: torch.Generator) -> torch.Tensor:
    """``n`` examples whose ``d`` features have different means (in [-2, 2]) and scales (in [0.5, 3])."""
    mean = 4 * torch.rand(d, generator=g) - 2
    scale = 0.5 + 2.5 * torch.rand(d, generator=g)
    return torch.randn(n, d, generator=g) * scale + mean


def _row_stats(out: torch.Tensor, dim: int) -> tuple[float, float]:
    mean = out.mean(dim).abs().max().item()
    std = (out.std(dim, correction=0) - 1).abs().max().item()
    return mean, std


def run_batch_vs_layer(seeds=range(3), *, d: int = 12, batch_size: int = 8, n_batches: int = 30,
                       pool_size: int = 512) -> BatchVsLayerResult:
    """Measure both layers (fresh, gain 1, bias 0) on examples drawn from a pool of ``pool_size``.

    BatchNorm's running statistics are first warmed up on 100 training-mode batches from the
    pool, as after training, and then frozen for its evaluation mode, so that the comparison of
    the two modes is fair.
    """
    seeds = check_seeds("seeds", seeds)
    d = check_int("d", d, minimum=2)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_batches = check_int("n_batches", n_batches, minimum=2)
    pool_size = check_int("pool_size", pool_size, minimum=batch_size)
    n = len(seeds)
    stats = {k: np.zeros(n) for k in ("lm", "ls", "lf", "bf", "bs", "bm", "lgap", "bgap")}
    spread = np.zeros((len(METHODS), n))
    for k, seed in enumerate(seeds):
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)  # dropout's masks
        pool = _features(pool_size, d, g)
        ln, bn, drop = LayerNorm(d), nn.BatchNorm1d(d), nn.Dropout(0.1)
        with torch.no_grad():
            for _ in range(100):
                bn(pool[torch.randint(pool_size, (batch_size,), generator=g)])
            bn_eval = copy.deepcopy(bn).eval()  # frozen running statistics
            batch = pool[:batch_size]
            ln_out, bn_out = ln(batch), bn.train()(batch)
            stats["lm"][k], stats["ls"][k] = _row_stats(ln_out, -1)
            stats["lf"][k] = ln_out.mean(0).abs().max().item()
            stats["bf"][k], stats["bs"][k] = _row_stats(bn_out, 0)
            stats["bm"][k] = bn_out.mean(-1).abs().max().item()
            stats["lgap"][k] = (ln.train()(batch) - ln.eval()(batch)).abs().max().item()
            stats["bgap"][k] = (bn.train()(batch) - bn_eval(batch)).abs().max().item()
            if k == 0:
                example = (batch.numpy(), ln_out.numpy(), bn_out.numpy())
            outputs = {m: [] for m in METHODS}
            for _ in range(n_batches):
                others = pool[1 + torch.randint(pool_size - 1, (batch_size - 1,), generator=g)]
                mixed = torch.cat([pool[:1], others])
                outputs[METHODS[0]].append(ln(mixed)[0])
                outputs[METHODS[1]].append(bn.train()(mixed)[0])
                outputs[METHODS[2]].append(bn_eval(mixed)[0])
                outputs[METHODS[3]].append(drop.train()(ln(mixed))[0])
            for i, m in enumerate(METHODS):
                spread[i, k] = torch.stack(outputs[m]).std(0).mean().item()
    batch_of_one = {}
    one = torch.randn(1, d, generator=torch.Generator().manual_seed(seeds[0]))
    for name, layer in (("LayerNorm", LayerNorm(d)), ("BatchNorm (train mode)", nn.BatchNorm1d(d))):
        try:
            with torch.no_grad():
                layer(one)
            batch_of_one[name] = "ok"
        except ValueError as error:
            batch_of_one[name] = f"ValueError: {error}"
    return BatchVsLayerResult(
        list(METHODS), stats["lm"], stats["ls"], stats["lf"], stats["bf"], stats["bs"], stats["bm"],
        spread, stats["lgap"], stats["bgap"], batch_of_one, *example, n_batches,
    )

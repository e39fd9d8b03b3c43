"""How the residual stream of an unnormalised residual MLP grows, block by block, and why.

A residual block computes ``h_{l+1} = h_l + F_l(h_l)``. Its mean square is
``E[h_{l+1}^2] = E[h_l^2] + E[F_l^2] + 2 E[h_l F_l]``; when the branch's output is uncorrelated
with the stream (a zero-mean branch with independent weights), the last term vanishes and the
stream's root mean square (RMS) after ``L`` blocks is the product

    RMS(h_L) / RMS(h_0) = prod_l sqrt(1 + E[F_l^2] / E[h_l^2]).

So how fast the stream grows is set by the branch-to-stream ratio ``E[F^2] / E[h^2]`` of each
block, that is by the branch's initialisation: about 1/18 per block at PyTorch's default
initialisation (moderate growth), 1 at He initialisation (the mean square doubles per block),
``1/(2 depth)`` with ``init="scaled"`` (GPT-2's ``1/sqrt(N)`` rule with ``N = 2 depth`` residual
layers, as in a Transformer; growth about ``e^(1/4)``), and ``c / l`` behind a pre-norm, whose
branch sees a unit-scale input whatever the stream's scale (the mean square grows linearly in
``l``, so the RMS like ``sqrt(l)``: not bounded, but no longer exponential).

:func:`run_stream_growth` measures both sides of the product formula on freshly initialised
residual :class:`~resnorm.models.DeepMLP` nets: the stream's mean square after every block, each
branch's output mean square, and (one ``backward()``) the backpropagated gradient at every state.
"Mean square" is over the batch and the width; for a zero-mean signal it is the variance.
:func:`growth_with_depth` collects runs at several depths into the growth over the whole net as
a function of the net's depth (geometric for default and He init, bounded for ``init="scaled"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .._validation import check_choice, check_int, check_seeds
from ..i18n import N_, tr
from ..models import DeepMLP
from ..norms import to_torch_norms
from .gradient_flow import random_batch

STREAM_CONFIGS = {
    N_("default init"): dict(residual=True),
    N_("He init"): dict(residual=True, init="he"),
    N_("He init, branch x 1/sqrt(2L)"): dict(residual=True, init="scaled"),
    N_("default init + LayerNorm"): dict(residual=True, norm="layer"),
    N_("He init + LayerNorm"): dict(residual=True, norm="layer", init="he"),
}
"""Notebook 01's residual nets without and with a bound on the stream (``DeepMLP`` keyword arguments)."""

BRANCH_MEAN_ABLATION = {
    "ReLU before addition": dict(residual=True, branch="act_before_addition"),
    "tanh before addition": dict(residual=True, branch="act_before_addition", activation="tanh"),
}
"""He et al. (2016b, Fig. 4c)'s branch that ends in its activation, with a ReLU (every output
>= 0, so a positive mean) and with a tanh (zero mean): the ablation of the cross term."""


INIT_CONFIGS = {label: STREAM_CONFIGS[label] for label in ("default init", "He init", "He init, branch x 1/sqrt(2L)")}
"""The three initialisations of :data:`STREAM_CONFIGS` without a norm: notebook 01 measures how
the stream's growth over a whole net depends on the net's depth under each."""

ZERO_INIT_ABLATION = {
    N_("He init"): dict(residual=True, init="he"),
    N_("He init, last layer zeroed"): dict(residual=True, init="he", zero_init_last=True),
}
"""He init with and without each branch's last layer set to 0 (``zero_init_last``, the idea of
Goyal et al. 2017's zero-initialised last BatchNorm scale): every block starts as the identity."""


@dataclass
class StreamGrowthResult:
    """Per configuration, arrays over seeds (rows) of one ``depth``-block residual net each.

    - ``stream_ms[label]``: ``(n_seeds, depth + 1)``, mean square of the stem's output ``h_0``
      and of every block's output ``h_1 ... h_depth``;
    - ``branch_ms[label]``: ``(n_seeds, depth)``, mean square of each branch's output ``F_l(h_l)``;
    - ``state_grads[label]``: ``(n_seeds, depth + 1)``, L2 norm of ``dL/dh_l`` over the batch
      (cross-entropy of a readout head, nats per unit of ``h``);
    - ``mean_cosine[label]``: ``(n_seeds, depth + 1)``, the cosine similarity between the
      stream vectors of two different examples, averaged over all pairs of the batch, at
      ``h_0 ... h_depth`` (near 0: the examples point in unrelated directions; near 1: the batch
      has collapsed onto one direction).
    """

    depth: int
    stream_ms: dict[str, np.ndarray]
    branch_ms: dict[str, np.ndarray]
    state_grads: dict[str, np.ndarray]
    mean_cosine: dict[str, np.ndarray]

    def _check(self, label: str) -> str:
        if label not in self.stream_ms:
            raise ValueError(tr("label must be one of {choices}; got {label!r}",
                                choices=', '.join(map(repr, self.stream_ms)), label=label))
        return label

    def growth(self, label: str) -> np.ndarray:
        """RMS of ``h_l`` divided by RMS of ``h_0``, for ``l = 0 ... depth``: ``(n_seeds, depth + 1)``."""
        ms = self.stream_ms[self._check(label)]
        return np.sqrt(ms / ms[:, :1])

    def branch_ratio(self, label: str) -> np.ndarray:
        """Each block's ``E[F_l^2] / E[h_l^2]`` (branch output over its input stream): ``(n_seeds, depth)``."""
        return self.branch_ms[self._check(label)] / self.stream_ms[label][:, :-1]

    def predicted_growth(self, label: str) -> np.ndarray:
        """The product formula from the measured ratios, ``prod_{k<l} sqrt(1 + ratio_k)``: ``(n_seeds, depth + 1)``.

        Equal to :meth:`growth` when every branch output is uncorrelated with its input stream.
        """
        ratio = self.branch_ratio(label)
        ones = np.ones((ratio.shape[0], 1))
        return np.concatenate([ones, np.sqrt(np.cumprod(1.0 + ratio, axis=1))], axis=1)

    def formula_error_per_block(self, label: str) -> np.ndarray:
        """Per seed, how far the measured growth per block is from the formula's: ``(n_seeds,)``.

        ``(measured / predicted) ** (1 / depth) - 1`` after the last block: 0 when the formula
        holds; the cross term ``2 E[h F]`` of each block shows up here (positive when the branches
        add to the stream in a shared direction). Zero-mean fluctuations of the cross term at a
        finite width make single seeds deviate by a few tenths of a percent per block.
        """
        ratio = self.growth(label)[:, -1] / self.predicted_growth(label)[:, -1]
        return ratio ** (1.0 / self.depth) - 1.0

    def cross_term(self, label: str) -> np.ndarray:
        """Each block's cross term relative to its input, ``2 E[h_l F_l] / E[h_l^2]``: ``(n_seeds, depth)``.

        Computed as ``(E[h_{l+1}^2] - E[h_l^2] - E[F_l^2]) / E[h_l^2]``, the part of the block's
        growth that the product formula leaves out.
        """
        stream = self.stream_ms[self._check(label)]
        return (stream[:, 1:] - stream[:, :-1] - self.branch_ms[label]) / stream[:, :-1]

    def cross_term_zscore(self, label: str) -> np.ndarray:
        """Per seed, the mean of the blocks' cross terms in units of its standard error: ``(n_seeds,)``.

        ``mean_l c_l / (std_l c_l / sqrt(depth))`` for the cross terms ``c_l`` of
        :meth:`cross_term` (sample standard deviation). When the branches are uncorrelated with
        the stream, each ``c_l`` is a fluctuation of mean zero and the z-score is of order 1
        (``|z| > 4`` has a probability of about 1e-4 for independent Gaussian terms); a branch that
        adds to a shared direction gives a systematic positive cross term and a large z-score.
        Needs ``depth >= 2``.
        """
        if self.depth < 2:
            raise ValueError(tr("cross_term_zscore needs depth >= 2 (a spread over the blocks); got depth {depth}",
                                depth=self.depth))
        cross = self.cross_term(label)
        return cross.mean(axis=1) / (cross.std(axis=1, ddof=1) / np.sqrt(self.depth))

    def gradient_growth(self, label: str) -> np.ndarray:
        """Per seed, ``||dL/dh_0|| / ||dL/dh_depth||``: how much the gradient grows on its way to the input."""
        grads = self.state_grads[self._check(label)]
        return grads[:, 0] / grads[:, -1]


def mean_pairwise_cosine(h: torch.Tensor) -> torch.Tensor:
    """Mean cosine similarity between the rows of ``h``, over all pairs of different rows.

    ``h``: ``(batch, width)``, or ``(..., batch, width)`` for several states at once (e.g. the
    stream after every block, ``(depth + 1, batch, width)``). Returns a float64 tensor of shape
    ``h.shape[:-2]`` (0-d for one state).
    """
    if not isinstance(h, torch.Tensor) or h.ndim < 2 or h.shape[-2] < 2:
        shape = tuple(h.shape) if isinstance(h, torch.Tensor) else type(h).__name__
        raise ValueError(tr("h must be a (..., batch, width) tensor with batch >= 2; got {shape}", shape=shape))
    unit = F.normalize(h.detach().double(), dim=-1)
    n = unit.shape[-2]
    gram = unit @ unit.transpose(-1, -2)
    return (gram.sum(dim=(-2, -1)) - gram.diagonal(dim1=-2, dim2=-1).sum(dim=-1)) / (n * (n - 1))


def run_stream_growth(
    configs: Mapping[str, Mapping] = STREAM_CONFIGS,
    *,
    depth: int = 100,
    width: int = 64,
    seeds=range(3),
    batch_size: int = 64,
    n_classes: int = 10,
) -> StreamGrowthResult:
    """Measure the stream, the branches and ``dL/dh`` of residual ``DeepMLP(depth, width)`` nets.

    ``configs`` maps a label to ``DeepMLP`` keyword arguments, each with ``residual=True`` and
    the plain identity shortcut (the formula is for ``h + F(h)``). For a seed, every net sees the
    same batch (:func:`~resnorm.experiments.gradient_flow.random_batch`) and is initialised from
    ``torch.manual_seed(seed)``, as in :func:`~resnorm.experiments.gradient_flow.mlp_layer_stats`
    (one model per configuration, re-drawn per seed with :meth:`~resnorm.models.DeepMLP.reset_parameters`).
    LayerNorms run as ``torch.nn.LayerNorm`` (:func:`~resnorm.norms.to_torch_norms`, the
    same function, fused).
    """
    if not isinstance(configs, Mapping) or not configs:
        raise ValueError(tr("configs must be a non-empty mapping from a label to DeepMLP keyword arguments"))
    for label, kwargs in configs.items():
        if kwargs.get("residual") is not True or kwargs.get("shortcut_scale", 1.0) != 1.0:
            raise ValueError(tr("configs[{label!r}] must be a residual net with the identity shortcut "
                                "(residual=True, shortcut_scale=1.0); got {kwargs!r}",
                                label=label, kwargs=dict(kwargs)))
    depth = check_int("depth", depth, minimum=1)
    width = check_int("width", width, minimum=1)
    seeds = check_seeds("seeds", seeds)
    batch_size = check_int("batch_size", batch_size, minimum=2)
    n_classes = check_int("n_classes", n_classes, minimum=2)
    stream, branch, grads, cosine = ({label: [] for label in configs} for _ in range(4))
    # one model per configuration, its weights drawn again for each seed (DeepMLP.reset_parameters:
    # the same numbers as a model built after torch.manual_seed(seed)); torch's fused LayerNorm is
    # the same function as resnorm's, several times cheaper here
    models = {label: to_torch_norms(DeepMLP(depth, width, out_features=n_classes, **kwargs))
              for label, kwargs in configs.items()}
    for seed in seeds:
        x, y = random_batch(seed, batch_size=batch_size, width=width, n_classes=n_classes)
        for label, model in models.items():
            torch.manual_seed(seed)
            model.reset_parameters()
            states, outputs = [model.stem(x)], []
            for block in model.blocks:
                outputs.append(block.branch(states[-1]))
                states.append(states[-1] + outputs[-1])
            for state in states:
                state.retain_grad()
            F.cross_entropy(model.head(states[-1]), y).backward()
            # float64: at He initialisation the stream's mean square reaches ~1e30
            all_states = torch.stack(states).detach().double()
            stream[label].append(all_states.pow(2).mean(dim=(1, 2)).tolist())
            branch[label].append(torch.stack(outputs).detach().double().pow(2).mean(dim=(1, 2)).tolist())
            grads[label].append(torch.stack([s.grad for s in states]).double().flatten(1).norm(dim=1).tolist())
            cosine[label].append(mean_pairwise_cosine(all_states).tolist())
    as_arrays = lambda d: {label: np.array(v) for label, v in d.items()}  # noqa: E731
    return StreamGrowthResult(depth, as_arrays(stream), as_arrays(branch), as_arrays(grads), as_arrays(cosine))


@dataclass
class DepthSweepResult:
    """How the stream's growth over a whole net depends on the net's depth.

    ``growth[label]`` and ``gradient_growth[label]`` are ``(n_seeds, len(depths))``: for the net
    of ``depths[j]`` blocks (column ``j``), ``RMS(h_L) / RMS(h_0)`` and ``||dL/dh_0|| / ||dL/dh_L||``
    (see :class:`StreamGrowthResult`).
    """

    depths: tuple[int, ...]
    growth: dict[str, np.ndarray]
    gradient_growth: dict[str, np.ndarray]

    def depth_exponent(self, label: str) -> np.ndarray:
        """Per seed, the exponent ``k`` of ``ln growth ~ depth ** k``: ``(n_seeds,)``.

        The least-squares slope of ``ln(ln growth)`` against ``ln depth`` over the depths: 1 when
        the growth is geometric in depth (``g ** L``: doubling the depth squares it), 0 when it
        tends to a constant. Needs a growth above 1 at every depth.
        """
        if label not in self.growth:
            raise ValueError(tr("label must be one of {choices}; got {label!r}",
                                choices=', '.join(map(repr, self.growth)), label=label))
        growth = self.growth[label]
        if np.any(growth <= 1):
            raise ValueError(tr("depth_exponent needs a growth above 1 at every depth; {label!r} has {minimum:.3g}",
                                label=label, minimum=growth.min()))
        x = np.log(self.depths)
        y = np.log(np.log(growth))
        x_centred = x - x.mean()
        return (y - y.mean(axis=1, keepdims=True)) @ x_centred / (x_centred @ x_centred)


def growth_with_depth(runs: Sequence[StreamGrowthResult], labels: Sequence[str] | None = None) -> DepthSweepResult:
    """Collect the growth over the whole net from runs of :func:`run_stream_growth` at different depths.

    ``runs``: at least two results, in order of increasing ``depth``, each with the same seeds
    and every label of ``labels`` (default: the labels of the first run). Nets of different
    depths are separate nets (``init="scaled"`` scales each branch by ``1/sqrt(2 depth)`` of its
    own net).
    """
    runs = list(runs)
    if len(runs) < 2 or not all(isinstance(r, StreamGrowthResult) for r in runs):
        raise ValueError(tr("runs must be at least two StreamGrowthResult, one per depth"))
    depths = tuple(r.depth for r in runs)
    if any(b <= a for a, b in zip(depths, depths[1:])):
        raise ValueError(tr("runs must be in order of increasing depth; got depths {depths}", depths=depths))
    labels = list(runs[0].stream_ms) if labels is None else list(labels)
    for r in runs:
        for label in labels:
            check_choice(f"labels (in the run of depth {r.depth})", label, tuple(r.stream_ms))
    growth = {label: np.stack([r.growth(label)[:, -1] for r in runs], axis=1) for label in labels}
    gradient = {label: np.stack([r.gradient_growth(label) for r in runs], axis=1) for label in labels}
    return DepthSweepResult(depths, growth, gradient)

"""Which axes PyTorch's four norms take their statistics over, read off their outputs.

For each module, the output is searched for the smallest sets of axes over which it has mean 0
at every index of the other axes: the axes its statistics were taken over. The channel (feature)
axis is split into ``(G, C/G)`` so that GroupNorm's groups are an axis of their own. The result is
compared with :func:`resnorm.norm_axes.statistic_axes` and :func:`~resnorm.norm_axes.n_statistics`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import torch
from torch import nn

from .._validation import check_int
from ..i18n import tr
from ..norm_axes import KINDS, LAYOUTS, n_statistics, statistic_axes

ZERO_MEAN_TOLERANCE = 1e-4
"""Largest ``|mean|`` counted as zero: float32 rounding of a normalised output is about 1e-7,
while the mean of unit-variance values over a set that misses a reduced axis is of order
``1/sqrt(size)`` (here above 0.01)."""


@dataclass
class NormAxesResult:
    """Per ``(layout, kind)``: the PyTorch module used and the reduced axes and counts.

    ``module``: the module's ``repr``. ``measured_axes``: the smallest set of axes over which the
    module's output has mean 0 everywhere (``"C/G"``/``"D/G"``: within a group; ``"C"``/``"D"``:
    all channels), in the layout's order; ``None`` if there is no unique smallest set.
    ``measured_count``: how many means that set leaves (the product of the other axes' sizes).
    ``predicted_axes``, ``predicted_count``: from :mod:`resnorm.norm_axes`. ``largest_mean``,
    ``largest_std_error``: the largest ``|mean|`` and ``|std - 1|`` over the predicted sets.
    """

    shapes: dict[str, tuple[int, ...]]
    groups: int
    module: dict[tuple[str, str], str]
    measured_axes: dict[tuple[str, str], tuple[str, ...] | None]
    measured_count: dict[tuple[str, str], int]
    predicted_axes: dict[tuple[str, str], tuple[str, ...]]
    predicted_count: dict[tuple[str, str], int]
    largest_mean: dict[tuple[str, str], float]
    largest_std_error: dict[tuple[str, str], float]


def _modules(layout: str, channels: int, groups: int, shape) -> dict[str, nn.Module]:
    if layout == "image":
        return {"batch": nn.BatchNorm2d(channels), "layer": nn.LayerNorm(list(shape[1:])),
                "instance": nn.InstanceNorm2d(channels), "group": nn.GroupNorm(groups, channels)}
    return {"batch": nn.BatchNorm1d(channels), "layer": nn.LayerNorm(channels),
            "instance": nn.InstanceNorm1d(channels), "group": nn.GroupNorm(groups, channels)}


def _split(out: torch.Tensor, layout: str, groups: int) -> tuple[torch.Tensor, tuple[str, ...]]:
    """``out`` with its channel axis split into ``(G, C/G)``, and the names of the axes."""
    if layout == "image":
        n, c, h, w = out.shape
        return out.reshape(n, groups, c // groups, h, w), ("N", "G", "C/G", "H", "W")
    b, t, d = out.shape
    return out.reshape(b, t, groups, d // groups), ("B", "T", "G", "D/G")


def _merge(axes: tuple[str, ...], layout: str) -> tuple[str, ...]:
    """Split axis names back to the layout's: ``G`` and ``C/G`` together are ``C``."""
    channel, within = ("C", "C/G") if layout == "image" else ("D", "D/G")
    names = set(axes)
    if {"G", within} <= names:
        names -= {"G", within}
        names.add(channel)
    order = ("N", "C", "C/G", "G", "H", "W") if layout == "image" else ("B", "T", "D", "D/G", "G")
    return tuple(sorted(names, key=order.index))


def _smallest_zero_mean_sets(split: torch.Tensor, names: tuple[str, ...]) -> list[tuple[int, ...]]:
    zero = [dims for r in range(1, len(names) + 1) for dims in itertools.combinations(range(len(names)), r)
            if split.mean(dim=dims).abs().max().item() < ZERO_MEAN_TOLERANCE]
    return [dims for dims in zero if not any(set(other) < set(dims) for other in zero)]


def run_norm_axes(*, image_shape=(4, 6, 5, 5), token_shape=(4, 5, 6), groups: int = 3,
                  seed: int = 0) -> NormAxesResult:
    """Normalise a standard normal tensor of each layout with each of PyTorch's four modules.

    ``image_shape`` is ``(N, C, H, W)``, ``token_shape`` ``(B, T, D)``; ``groups`` must divide
    ``C`` and ``D`` and be at least 2 (so that GroupNorm differs from LayerNorm and InstanceNorm).
    Modules are fresh (gain 1, bias 0; BatchNorm in training mode). The input comes from ``seed``.
    """
    shapes = {}
    for layout, shape in (("image", image_shape), ("tokens", token_shape)):
        n_statistics("layer", layout, shape)  # validates the shape
        shapes[layout] = tuple(int(s) for s in shape)
    groups = check_int("groups", groups, minimum=2)
    for layout, channel in (("image", 1), ("tokens", 2)):
        if shapes[layout][channel] // groups < 2 or shapes[layout][channel] % groups:
            raise ValueError(tr("groups must divide the channels of {layout}_shape ({n_channels}) into groups of at "
                                "least 2; got {groups}",
                                layout=layout, n_channels=shapes[layout][channel], groups=groups))
    seed = check_int("seed", seed, minimum=0)
    g = torch.Generator().manual_seed(seed)
    fields = {name: {} for name in ("module", "measured_axes", "measured_count", "predicted_axes",
                                    "predicted_count", "largest_mean", "largest_std_error")}
    for layout, shape in shapes.items():
        x = 2 * torch.randn(*shape, generator=g) + 1
        channels = shape[1] if layout == "image" else shape[2]
        for kind, module in _modules(layout, channels, groups, shape).items():
            key = (layout, kind)
            with torch.no_grad():
                if layout == "tokens" and kind != "layer":  # features as channels: (B, D, T)
                    out = module(x.transpose(1, 2)).transpose(1, 2)
                else:
                    out = module(x)
            split, names = _split(out, layout, groups)
            smallest = _smallest_zero_mean_sets(split, names)
            predicted = statistic_axes(kind, layout)
            dims = tuple(i for i, name in enumerate(names) if name in _expand(predicted, layout))
            fields["module"][key] = repr(module)
            fields["measured_axes"][key] = (_merge(tuple(names[i] for i in smallest[0]), layout)
                                            if len(smallest) == 1 else None)
            fields["measured_count"][key] = split.mean(dim=smallest[0]).numel() if len(smallest) == 1 else 0
            fields["predicted_axes"][key] = predicted
            fields["predicted_count"][key] = n_statistics(kind, layout, shape, groups)
            fields["largest_mean"][key] = split.mean(dim=dims).abs().max().item()
            fields["largest_std_error"][key] = (split.std(dim=dims, correction=0) - 1).abs().max().item()
    return NormAxesResult(shapes, groups, **fields)


def _expand(axes: tuple[str, ...], layout: str) -> set[str]:
    """Layout axis names to split ones: ``C`` is ``G`` and ``C/G``."""
    channel, within = ("C", "C/G") if layout == "image" else ("D", "D/G")
    names = set(axes)
    if channel in names:
        names = (names - {channel}) | {"G", within}
    return names

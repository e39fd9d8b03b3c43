"""Over which axes BatchNorm, LayerNorm, InstanceNorm and GroupNorm take their statistics.

Two layouts: images ``(N, C, H, W)`` and token sequences ``(B, T, D)``. Each norm computes one
mean (and one variance) for every index of the axes it does *not* reduce over; GroupNorm splits
the channels (features) into ``groups`` groups of ``C/G`` (``D/G``) and reduces over one group at
a time. Names of axes: ``"N", "C", "H", "W"`` for images, ``"B", "T", "D"`` for sequences, and
``"C/G"`` (``"D/G"``) for "the channels of one group".

LayerNorm differs between the two layouts: Ba et al. (2016) normalise an image's whole layer,
``(C, H, W)``, one statistic per image; a Transformer normalises each token over its ``D``
features only, ``B*T`` statistics.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._validation import check_choice, check_int
from .i18n import tr

KINDS = ("batch", "layer", "instance", "group")
"""The four normalizations, in the order of Wu & He (2018), Figure 2."""

LAYOUTS = {"image": ("N", "C", "H", "W"), "tokens": ("B", "T", "D")}
"""Each layout's axes, in the order of the tensor's dimensions."""

_REDUCED = {
    "image": {"batch": ("N", "H", "W"), "layer": ("C", "H", "W"), "instance": ("H", "W"),
              "group": ("C/G", "H", "W")},
    "tokens": {"batch": ("B", "T"), "layer": ("D",), "instance": ("T",), "group": ("T", "D/G")},
}


def statistic_axes(kind: str, layout: str) -> tuple[str, ...]:
    """The axes one mean of ``kind`` is taken over in ``layout`` (``"C/G"``: one group's channels).

    For sequences, BatchNorm, InstanceNorm and GroupNorm are PyTorch's ``nn.BatchNorm1d``,
    ``nn.InstanceNorm1d`` and ``nn.GroupNorm`` applied to the ``(B, D, T)`` transpose (features
    as channels); LayerNorm is ``nn.LayerNorm(D)``.
    """
    check_choice("kind", kind, KINDS)
    check_choice("layout", layout, tuple(LAYOUTS))
    return _REDUCED[layout][kind]


def n_statistics(kind: str, layout: str, shape: Sequence[int], groups: int = 1) -> int:
    """How many means (and as many variances) ``kind`` computes for a tensor of ``shape``.

    ``shape`` is ``(N, C, H, W)`` or ``(B, T, D)``, matching ``layout``; ``groups`` (GroupNorm
    only) must divide the channel (feature) count.
    """
    axes = statistic_axes(kind, layout)
    names = LAYOUTS[layout]
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != len(names):
        raise ValueError(tr("shape must have {n_names} sizes {names} for layout {layout!r}; got {shape!r}",
                            n_names=len(names), names=names, layout=layout, shape=shape))
    sizes = {name: check_int(f"shape[{i}]", s, minimum=1) for i, (name, s) in enumerate(zip(names, shape))}
    channels = "C" if layout == "image" else "D"
    groups = check_int("groups", groups, minimum=1)
    if sizes[channels] % groups:
        raise ValueError(tr("groups must divide {channels} = {n_channels}; got {groups}",
                            channels=channels, n_channels=sizes[channels], groups=groups))
    count = 1
    for name, size in sizes.items():
        if name == channels and kind == "group":
            count *= groups  # one statistic per group of channels
        elif name not in axes:
            count *= size
    return count

"""What a shortcut costs in parameters: nothing for the identity, ``in x out (+ bias)`` for a projection.

Every number here is counted from real modules (``numel`` of each parameter), never typed in.
Large layouts (a ResNet-34) are built on PyTorch's ``meta`` device: shapes only, no memory.

- :func:`mlp_parameters`: a plain and a residual :class:`~resnorm.models.DeepMLP`, same size.
- :func:`conv_block_parameters`: the source text's ``ResidualBlock`` layout (two ``k x k``
  convolutions and a ``1 x 1`` projection when the channel count changes).
- :func:`resnet34_parameters`: the three shortcut options of He et al. (2016), Sec. 4.1 and
  Table 3 - (A) identity with zero-padding, (B) projections only where the shape changes,
  (C) projections everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .._validation import check_choice, check_int
from ..i18n import tr
from ..models import DeepMLP

SHORTCUT_OPTIONS = ("A", "B", "C")
"""He et al. (2016)'s shortcut options: A zero-padded identity, B projection where the shape
changes, C projection on every shortcut."""

RESNET34_STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))
"""ResNet-34's four stages: (channels, number of basic blocks) (He et al. 2016, Table 1)."""


def count_parameters(module: nn.Module | None) -> int:
    """Number of scalar parameters of ``module`` (0 for ``None``, an identity shortcut)."""
    if module is None:
        return 0
    if not isinstance(module, nn.Module):
        raise TypeError(tr("module must be a torch.nn.Module or None; got {type_name}",
                           type_name=type(module).__name__))
    return sum(p.numel() for p in module.parameters())


@dataclass(frozen=True)
class ShortcutCount:
    """Parameters of one residual block's main path (``branch``) and of its ``shortcut``."""

    branch: int
    shortcut: int

    @property
    def total(self) -> int:
        return self.branch + self.shortcut

    @property
    def fraction(self) -> float:
        """Share of the block's parameters that sit in the shortcut (0 for an identity)."""
        return self.shortcut / self.total


def mlp_parameters(depth: int, width: int, *, in_features: int | None = None,
                   out_features: int | None = None, norm: str | None = None) -> dict[str, int]:
    """Parameter counts of a plain and a residual :class:`DeepMLP` built with the same arguments.

    Returns ``{"plain": n, "residual": n}``; identity shortcuts make the two equal.
    """
    kwargs = dict(in_features=in_features, out_features=out_features, norm=norm)
    with torch.device("meta"):
        return {
            "plain": count_parameters(DeepMLP(depth, width, residual=False, **kwargs)),
            "residual": count_parameters(DeepMLP(depth, width, residual=True, **kwargs)),
        }


def _conv_block(in_channels: int, out_channels: int, *, kernel_size: int, stride: int,
                bias: bool, batch_norm: bool, projection: bool) -> tuple[nn.Module, nn.Module | None]:
    """A basic residual block's main path and shortcut (``None`` for an identity)."""
    pad = kernel_size // 2
    layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=pad, bias=bias)]
    layers += [nn.BatchNorm2d(out_channels)] if batch_norm else []
    layers += [nn.ReLU(), nn.Conv2d(out_channels, out_channels, kernel_size, padding=pad, bias=bias)]
    layers += [nn.BatchNorm2d(out_channels)] if batch_norm else []
    shortcut = None
    if projection:
        shortcut = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=bias),
                                 *([nn.BatchNorm2d(out_channels)] if batch_norm else []))
    return nn.Sequential(*layers), shortcut


def conv_block_parameters(in_channels: int, out_channels: int, *, kernel_size: int = 3,
                          bias: bool = True) -> ShortcutCount:
    """Parameters of the source text's ``ResidualBlock(in_channels, out_channels)``.

    Main path: ``Conv2d(in, out, k)`` and ``Conv2d(out, out, k)``; shortcut: ``Conv2d(in, out, 1)``
    if ``in_channels != out_channels``, else the identity. With ``bias`` (PyTorch's default, as
    in the source) the projection has ``in * out + out`` parameters.
    """
    in_channels = check_int("in_channels", in_channels, minimum=1)
    out_channels = check_int("out_channels", out_channels, minimum=1)
    kernel_size = check_int("kernel_size", kernel_size, minimum=1)
    if not isinstance(bias, bool):
        raise TypeError(tr("bias must be True or False; got {bias!r}", bias=bias))
    with torch.device("meta"):
        branch, shortcut = _conv_block(in_channels, out_channels, kernel_size=kernel_size, stride=1,
                                       bias=bias, batch_norm=False,
                                       projection=in_channels != out_channels)
    return ShortcutCount(count_parameters(branch), count_parameters(shortcut))


def resnet34_parameters(option: str) -> ShortcutCount:
    """Parameters of a ResNet-34 (ImageNet, 1000 classes) with shortcut ``option`` A, B or C.

    ``branch`` counts everything except the shortcuts (stem ``7 x 7`` convolution, the 16 basic
    blocks' convolutions and BatchNorms, the final fully connected layer); ``shortcut`` counts the
    ``1 x 1`` projection convolutions and their BatchNorms (bias-free convolutions, as in the
    paper). Option A pads the identity with zeros: no parameters.
    """
    check_choice("option", option, SHORTCUT_OPTIONS)
    with torch.device("meta"):
        stem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64))
        branch, shortcut = count_parameters(stem) + count_parameters(nn.Linear(512, 1000)), 0
        channels = 64
        for stage, (width, blocks) in enumerate(RESNET34_STAGES):
            for i in range(blocks):
                changes = i == 0 and stage > 0
                projection = option == "C" or (option == "B" and changes)
                main, short = _conv_block(channels, width, kernel_size=3, stride=2 if changes else 1,
                                          bias=False, batch_norm=True, projection=projection)
                branch += count_parameters(main)
                shortcut += count_parameters(short)
                channels = width
    return ShortcutCount(branch, shortcut)

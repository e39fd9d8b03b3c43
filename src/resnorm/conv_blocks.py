"""Convolutional residual blocks: the interview text's block and two correct ones, side by side.

- :class:`SourceResidualBlock`: the source's ``ResidualBlock``, re-created in our own code with
  its quirks kept: a ReLU *before* the first convolution and another *after* the addition, an
  in-place ReLU (``inplace=True``), no normalization, and a 1x1 projection fixed at stride 1.
- :class:`BasicBlock`: the block of He et al. (2016, Fig. 2 and 5 left):
  ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``, where ``conv1`` and the 1x1
  projection shortcut share the stride, so a block can halve the resolution.
- :class:`PreActBlock`: the pre-activation block of He et al. (2016b, Fig. 4e):
  ``x + conv2(relu(bn2(conv1(relu(bn1(x))))))``; nothing follows the addition, so the stream
  ``x`` passes through every block untouched.

Inputs and outputs are ``(batch, channels, height, width)``; with ``stride=2`` height and width
are halved (rounded up).
"""

from __future__ import annotations

import torch
from torch import nn

from ._validation import check_int
from .i18n import tr


def _channels(in_channels, out_channels, stride=1):
    return (check_int("in_channels", in_channels, minimum=1),
            check_int("out_channels", out_channels, minimum=1),
            check_int("stride", stride, minimum=1))


class SourceResidualBlock(nn.Module):
    """The interview text's residual block, as it is written (our code, its behaviour).

    ``forward``: ``identity = x``; ``out = relu(x)``; ``out = conv2(relu(conv1(out)))``;
    ``out += shortcut(identity)`` (a 1x1 convolution with stride 1 if the channels change,
    else the identity); ``return relu(out)``.

    With ``inplace=True`` (the source's ``nn.ReLU(inplace=True)``) the first ReLU overwrites
    ``x`` itself: the caller's tensor loses its negative entries, the identity that is added
    back is ``relu(x)`` instead of ``x``, and when two blocks are stacked the second ReLU
    overwrites a tensor autograd saved, so ``backward()`` raises a ``RuntimeError``.
    ``inplace=False`` keeps everything else as written. The block cannot change the resolution.
    """

    def __init__(self, in_channels: int, out_channels: int, *, inplace: bool = True):
        super().__init__()
        in_channels, out_channels, _ = _channels(in_channels, out_channels)
        if not isinstance(inplace, bool):
            raise TypeError(tr("inplace must be True or False; got {inplace!r}", inplace=inplace))
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1)
        self.relu = nn.ReLU(inplace=inplace)
        self.shortcut = (nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=1)
                         if in_channels != out_channels else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x
        out = self.relu(x)
        out = self.conv1(out)
        out = self.relu(out)
        out = self.conv2(out)
        if self.shortcut is not None:
            identity = self.shortcut(identity)
        out += identity
        return self.relu(out)


class BasicBlock(nn.Module):
    """He et al. (2016)'s basic block: two 3x3 convolutions, each followed by batch normalization.

    ``out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``. ``conv1`` has the block's
    ``stride``; the shortcut is the identity when shape is kept (``stride == 1`` and equal
    channels), else a 1x1 convolution with the same stride followed by batch normalization
    (He et al.'s option B). Convolutions have no bias: the batch norm after each supplies it.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        in_channels, out_channels, stride = _channels(in_channels, out_channels, stride)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))


class PreActBlock(nn.Module):
    """He et al. (2016b)'s pre-activation block: normalization and ReLU *before* each convolution.

    ``a = relu(bn1(x))``; ``out = conv2(relu(bn2(conv1(a))))``; ``return out + shortcut``,
    where the shortcut is ``x`` itself when the shape is kept, else a strided 1x1 convolution of
    ``a``. No ReLU follows the addition, so the stream can be negative and the leading
    ``relu(bn1(x))`` does real work (the source's leading ReLU, on a non-negative input, does not).
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        in_channels, out_channels, stride = _channels(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.relu = nn.ReLU()
        self.shortcut = None
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.relu(self.bn1(x))
        shortcut = x if self.shortcut is None else self.shortcut(a)
        out = self.conv1(a)
        out = self.conv2(self.relu(self.bn2(out)))
        return out + shortcut


def count_parameters(module: nn.Module) -> int:
    """Number of trainable scalars of ``module``."""
    if not isinstance(module, nn.Module):
        raise TypeError(tr("module must be a torch.nn.Module; got {type_name}", type_name=type(module).__name__))
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def has_normalization(module: nn.Module) -> bool:
    """Whether ``module`` contains a batch, layer, group or instance normalization layer."""
    if not isinstance(module, nn.Module):
        raise TypeError(tr("module must be a torch.nn.Module; got {type_name}", type_name=type(module).__name__))
    kinds = (nn.modules.batchnorm._BatchNorm, nn.LayerNorm, nn.GroupNorm,
             nn.modules.instancenorm._InstanceNorm)
    return any(isinstance(m, kinds) for m in module.modules())

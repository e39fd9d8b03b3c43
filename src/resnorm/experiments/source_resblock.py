"""What the interview text's convolutional ``ResidualBlock`` actually does, measured on random images.

Three checks, each on freshly initialised blocks and standard normal inputs, for several seeds:

- :func:`inplace_effects`: the in-place ReLU overwrites the caller's tensor, changes the block's
  output (the identity added back is ``relu(x)``, not ``x``) and breaks ``backward()`` through
  two stacked blocks;
- :func:`negative_input_fractions`: in a stack, every block after the first gets a non-negative
  input, so a leading ReLU there changes nothing;
- :func:`block_properties`: parameters, normalization and stride support of the three blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import check_int, check_seeds
from ..conv_blocks import BasicBlock, PreActBlock, SourceResidualBlock, count_parameters, has_normalization
from ..i18n import tr

BLOCKS: dict[str, Callable[..., nn.Module]] = {
    "source": SourceResidualBlock,
    "basic (He et al. 2016)": BasicBlock,
    "pre-activation (He et al. 2016b)": PreActBlock,
}
"""The three blocks compared in notebook 01: a class taking ``(in_channels, out_channels)`` by name."""


def _images(seed: int, batch: int, channels: int, size: int) -> torch.Tensor:
    return torch.randn(batch, channels, size, size, generator=torch.Generator().manual_seed(seed))


@dataclass
class InPlaceEffects:
    """Per seed (arrays of shape ``(n_seeds,)``), what ``SourceResidualBlock(inplace=...)`` does.

    - ``caller_changed``: fraction of the entries of the caller's input tensor that the forward
      pass overwrote (0 when the input is left alone);
    - ``output_changed``: fraction of output entries that differ from the same block (same
      weights) with ``inplace=False``;
    - ``backward_error``: per seed, the first line of the error that ``backward()`` raises
      through two stacked blocks, or ``None`` if it works.
    """

    caller_changed: np.ndarray
    output_changed: np.ndarray
    backward_error: list[str | None]


def inplace_effects(inplace: bool = True, *, channels: int = 8, size: int = 8, batch: int = 4,
                    seeds=range(3)) -> InPlaceEffects:
    """Run the source's block with ``inplace`` on standard normal images ``(batch, channels, size, size)``."""
    if not isinstance(inplace, bool):
        raise TypeError(tr("inplace must be True or False; got {inplace!r}", inplace=inplace))
    channels = check_int("channels", channels, minimum=1)
    size = check_int("size", size, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    seeds = check_seeds("seeds", seeds)
    caller, output, errors = [], [], []
    for seed in seeds:
        torch.manual_seed(seed)
        block = SourceResidualBlock(channels, channels, inplace=inplace)
        reference = SourceResidualBlock(channels, channels, inplace=False)
        reference.load_state_dict(block.state_dict())
        x = _images(seed, batch, channels, size)
        original = x.clone()
        with torch.no_grad():
            out = block(x)
            expected = reference(original.clone())
        caller.append((x != original).float().mean().item())
        output.append((out != expected).float().mean().item())
        torch.manual_seed(seed)
        stack = nn.Sequential(SourceResidualBlock(channels, channels, inplace=inplace),
                              SourceResidualBlock(channels, channels, inplace=inplace))
        try:
            stack(original.clone()).sum().backward()
        except RuntimeError as error:
            errors.append(str(error).splitlines()[0])
        else:
            errors.append(None)
    return InPlaceEffects(np.array(caller), np.array(output), errors)


def negative_input_fractions(block: str = "source", *, n_blocks: int = 4, channels: int = 8,
                             size: int = 8, batch: int = 4, seeds=range(3)) -> np.ndarray:
    """Fraction of negative entries in the input of each block of a stack: ``(n_seeds, n_blocks)``.

    Column 0 is the raw input (standard normal images: about half negative); column ``i`` is the
    output of block ``i - 1``. A zero means a ReLU at the start of block ``i`` changes nothing.
    ``block`` is one of the names of :data:`BLOCKS`; the source's block runs with ``inplace=False``
    so that the measurement does not overwrite what it measures.
    """
    if block not in BLOCKS:
        raise ValueError(tr("block must be one of {choices}; got {block!r}",
                            choices=', '.join(map(repr, BLOCKS)), block=block))
    n_blocks = check_int("n_blocks", n_blocks, minimum=1)
    channels = check_int("channels", channels, minimum=1)
    size = check_int("size", size, minimum=1)
    batch = check_int("batch", batch, minimum=2)
    seeds = check_seeds("seeds", seeds)
    rows = []
    for seed in seeds:
        torch.manual_seed(seed)
        kwargs = {"inplace": False} if block == "source" else {}
        blocks = [BLOCKS[block](channels, channels, **kwargs) for _ in range(n_blocks)]
        h = _images(seed, batch, channels, size)
        fractions = []
        with torch.no_grad():
            for b in blocks:
                fractions.append((h < 0).float().mean().item())
                h = b(h)
        rows.append(fractions)
    return np.array(rows)


@dataclass
class BlockProperties:
    """Facts about one block type, measured on instances of it.

    ``parameters``: trainable scalars of a block with 16 input and 16 output channels;
    ``normalization``: whether it contains a normalization layer; ``output_size_stride_2``:
    height of the output for a 16x16 input when built with ``stride=2`` (and 32 output
    channels), or ``None`` if the block has no stride argument.
    """

    name: str
    parameters: int
    normalization: bool
    output_size_stride_2: int | None


def block_properties(name: str) -> BlockProperties:
    """Measure :class:`BlockProperties` of the block ``name`` (one of :data:`BLOCKS`).

    Nothing here depends on the values of the weights or of the input (a zero image), so the
    measurement uses no seed.
    """
    if name not in BLOCKS:
        raise ValueError(tr("name must be one of {choices}; got {name!r}",
                            choices=', '.join(map(repr, BLOCKS)), name=name))
    make = BLOCKS[name]
    block = make(16, 16)
    try:
        strided = make(16, 32, stride=2)
    except TypeError:
        size = None
    else:
        with torch.no_grad():
            size = strided(torch.zeros(2, 16, 16, 16)).shape[-1]
    return BlockProperties(name, count_parameters(block), has_normalization(block), size)

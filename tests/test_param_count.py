"""Parameter counts of shortcuts: identity adds none, projections add in*out (+ bias)."""

import pytest
from torch import nn

from resnorm.experiments.param_count import (SHORTCUT_OPTIONS, ShortcutCount, conv_block_parameters,
                                             count_parameters, mlp_parameters, resnet34_parameters)
from resnorm.models import DeepMLP


def test_count_parameters_matches_numel_and_identity_is_zero():
    layer = nn.Conv2d(64, 128, 1)
    assert count_parameters(layer) == 64 * 128 + 128
    assert count_parameters(None) == 0
    assert count_parameters(nn.Identity()) == 0


@pytest.mark.parametrize("depth, width, norm", [(1, 8, None), (5, 32, "layer"), (3, 16, "batch")])
def test_plain_and_residual_mlps_have_the_same_parameters(depth, width, norm):
    counts = mlp_parameters(depth, width, in_features=7, out_features=3, norm=norm)
    real = sum(p.numel() for p in DeepMLP(depth, width, in_features=7, out_features=3, norm=norm).parameters())
    assert counts == {"plain": real, "residual": real}


def _source_block(in_channels, out_channels):
    """The interview text's ResidualBlock layers, as written there."""
    layers = [nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.Conv2d(out_channels, out_channels, 3, padding=1)]
    shortcut = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None
    return layers, shortcut


@pytest.mark.parametrize("channels", [(64, 128), (64, 64), (3, 16)])
def test_conv_block_counts_match_the_source_layout(channels):
    layers, shortcut = _source_block(*channels)
    count = conv_block_parameters(*channels)
    assert count.branch == sum(count_parameters(m) for m in layers)
    assert count.shortcut == count_parameters(shortcut)


def test_conv_block_without_bias_and_fraction():
    count = conv_block_parameters(64, 128, bias=False)
    assert count.shortcut == 64 * 128
    assert count.total == count.branch + count.shortcut
    assert count.fraction == pytest.approx(count.shortcut / count.total)
    assert ShortcutCount(10, 0).fraction == 0.0


def test_resnet34_option_b_has_the_usual_parameter_count():
    # torchvision.models.resnet34() has 21,797,672 parameters: the layout here is the same network
    assert resnet34_parameters("B").total == 21_797_672
    a, b, c = (resnet34_parameters(o) for o in SHORTCUT_OPTIONS)
    assert a.shortcut == 0 and a.branch == b.branch == c.branch
    # B: projections 64->128, 128->256, 256->512 (1x1, no bias) with a BatchNorm each
    assert b.shortcut == sum(i * o + 2 * o for i, o in ((64, 128), (128, 256), (256, 512)))
    assert c.shortcut > b.shortcut


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: conv_block_parameters(0, 4), ValueError, ["in_channels", ">= 1"]),
        (lambda: conv_block_parameters(4, 4.5), TypeError, ["out_channels", "integer"]),
        (lambda: conv_block_parameters(4, 4, bias="yes"), TypeError, ["bias", "True or False"]),
        (lambda: resnet34_parameters("D"), ValueError, ["option", "'A'", "'C'"]),
        (lambda: mlp_parameters(0, 8), ValueError, ["depth"]),
        (lambda: count_parameters("conv"), TypeError, ["module"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_conv_block_counts_match_the_recreated_source_block():
    from resnorm.conv_blocks import SourceResidualBlock

    for channels in ((64, 128), (32, 32)):
        block = SourceResidualBlock(*channels)
        count = conv_block_parameters(*channels)
        assert count.total == count_parameters(block)
        assert count.shortcut == count_parameters(block.shortcut)

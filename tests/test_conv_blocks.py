"""The source's residual block keeps its quirks; the basic and pre-activation blocks are correct."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm.conv_blocks import (
    BasicBlock,
    PreActBlock,
    SourceResidualBlock,
    count_parameters,
    has_normalization,
)


def _images(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_source_block_computes_what_the_source_writes():
    torch.manual_seed(0)
    block = SourceResidualBlock(4, 4, inplace=False)
    x = _images(2, 4, 6, 6)
    expected = torch.relu(block.conv2(torch.relu(block.conv1(torch.relu(x)))) + x)
    torch.testing.assert_close(block(x), expected)
    assert block.shortcut is None


def test_source_block_projects_with_a_stride_1_conv_when_channels_change():
    torch.manual_seed(0)
    block = SourceResidualBlock(3, 5, inplace=False)
    assert isinstance(block.shortcut, nn.Conv2d)
    assert block.shortcut.kernel_size == (1, 1) and block.shortcut.stride == (1, 1)
    x = _images(2, 3, 6, 6)
    expected = torch.relu(block.conv2(torch.relu(block.conv1(torch.relu(x)))) + block.shortcut(x))
    torch.testing.assert_close(block(x), expected)
    assert block(x).shape == (2, 5, 6, 6)


def test_inplace_relu_overwrites_the_callers_tensor_and_the_saved_identity():
    torch.manual_seed(0)
    block = SourceResidualBlock(4, 4, inplace=True)
    safe = SourceResidualBlock(4, 4, inplace=False)
    safe.load_state_dict(block.state_dict())
    x = _images(2, 4, 6, 6)
    original = x.clone()
    with torch.no_grad():
        out = block(x)
    assert (original < 0).any()
    torch.testing.assert_close(x, torch.relu(original))  # the caller's tensor lost its negatives
    with torch.no_grad():
        # what was added back is relu(x), not x
        wrong_identity = torch.relu(safe.conv2(torch.relu(safe.conv1(torch.relu(original)))) + torch.relu(original))
        assert torch.equal(out, wrong_identity)
        assert not torch.equal(out, safe(original.clone()))


def test_inplace_relu_changes_nothing_on_non_negative_inputs():
    torch.manual_seed(0)
    block = SourceResidualBlock(4, 4, inplace=True)
    safe = SourceResidualBlock(4, 4, inplace=False)
    safe.load_state_dict(block.state_dict())
    x = _images(2, 4, 6, 6).abs()
    with torch.no_grad():
        torch.testing.assert_close(block(x.clone()), safe(x))


def test_leading_relu_is_a_no_op_on_non_negative_inputs():
    torch.manual_seed(0)
    block = SourceResidualBlock(4, 4, inplace=False)
    x = torch.relu(_images(2, 4, 6, 6))  # the output of a previous block ends with a ReLU
    without_leading_relu = torch.relu(block.conv2(torch.relu(block.conv1(x))) + x)
    torch.testing.assert_close(block(x), without_leading_relu)
    assert (block(_images(2, 4, 6, 6)) >= 0).all()  # so every block's output is such an input


def test_stacked_inplace_blocks_cannot_backpropagate():
    torch.manual_seed(0)
    stack = nn.Sequential(SourceResidualBlock(4, 4), SourceResidualBlock(4, 4))
    with pytest.raises(RuntimeError, match="inplace operation"):
        stack(_images(2, 4, 6, 6)).sum().backward()
    torch.manual_seed(0)
    safe = nn.Sequential(SourceResidualBlock(4, 4, inplace=False), SourceResidualBlock(4, 4, inplace=False))
    safe(_images(2, 4, 6, 6)).sum().backward()
    assert all(p.grad is not None for p in safe.parameters())


def test_only_the_correct_blocks_normalise_and_downsample():
    assert not has_normalization(SourceResidualBlock(4, 4))
    assert has_normalization(BasicBlock(4, 4)) and has_normalization(PreActBlock(4, 4))
    with pytest.raises(TypeError):
        SourceResidualBlock(4, 8, stride=2)
    x = _images(2, 4, 9, 9)
    for block in (BasicBlock(4, 8, stride=2), PreActBlock(4, 8, stride=2)):
        assert block(x).shape == (2, 8, 5, 5)


def test_basic_block_equals_functional_pytorch():
    torch.manual_seed(0)
    block = BasicBlock(4, 8, stride=2)
    x = _images(3, 4, 8, 8)
    conv, bn = block.shortcut
    assert conv.stride == (2, 2) and conv.kernel_size == (1, 1)

    def batch_norm(t, m):
        return F.batch_norm(t, None, None, m.weight, m.bias, training=True, eps=m.eps)

    branch = batch_norm(F.conv2d(torch.relu(batch_norm(F.conv2d(x, block.conv1.weight, stride=2, padding=1),
                                                       block.bn1)), block.conv2.weight, padding=1), block.bn2)
    shortcut = batch_norm(F.conv2d(x, conv.weight, stride=2), bn)
    torch.testing.assert_close(block(x), torch.relu(branch + shortcut))


def test_basic_block_identity_shortcut_adds_no_parameters():
    block = BasicBlock(8, 8)
    assert isinstance(block.shortcut, nn.Identity)
    branch_only = sum(p.numel() for name, p in block.named_parameters() if not name.startswith("shortcut"))
    assert count_parameters(block) == branch_only
    projected = BasicBlock(8, 16)
    assert count_parameters(projected.shortcut) == 8 * 16 + 2 * 16  # 1x1 conv, no bias, + BatchNorm


def test_preact_block_equals_functional_pytorch_and_keeps_the_stream():
    torch.manual_seed(0)
    block = PreActBlock(4, 4)
    x = _images(3, 4, 6, 6)

    def batch_norm(t, m):
        return F.batch_norm(t, None, None, m.weight, m.bias, training=True, eps=m.eps)

    a = torch.relu(batch_norm(x, block.bn1))
    out = F.conv2d(torch.relu(batch_norm(F.conv2d(a, block.conv1.weight, padding=1), block.bn2)),
                   block.conv2.weight, padding=1)
    torch.testing.assert_close(block(x), out + x)
    assert (block(x) < 0).any()  # nothing after the addition: the stream keeps its sign
    strided = PreActBlock(4, 8, stride=2)
    a = torch.relu(batch_norm(x, strided.bn1))
    torch.testing.assert_close(strided(x) - F.conv2d(a, strided.shortcut.weight, stride=2),
                               F.conv2d(torch.relu(batch_norm(F.conv2d(a, strided.conv1.weight, stride=2, padding=1),
                                                              strided.bn2)), strided.conv2.weight, padding=1))


def test_count_parameters_and_has_normalization():
    module = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4))
    assert count_parameters(module) == 3 * 4 + 4 + 4 + 4
    assert has_normalization(module) and not has_normalization(nn.Linear(3, 4))
    assert has_normalization(nn.GroupNorm(2, 4)) and has_normalization(nn.InstanceNorm2d(4))


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: SourceResidualBlock(0, 4), ValueError, ["in_channels", ">= 1"]),
        (lambda: SourceResidualBlock(4, 4, inplace="yes"), TypeError, ["inplace", "True or False"]),
        (lambda: BasicBlock(4, 0), ValueError, ["out_channels", ">= 1"]),
        (lambda: BasicBlock(4, 4, stride=0), ValueError, ["stride", ">= 1"]),
        (lambda: PreActBlock(4, 4, stride=1.5), TypeError, ["stride", "integer"]),
        (lambda: count_parameters("model"), TypeError, ["module", "torch.nn.Module"]),
        (lambda: has_normalization(None), TypeError, ["module", "torch.nn.Module"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)

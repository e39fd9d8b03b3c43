"""The axes each norm reduces over, stated by resnorm.norm_axes and read off PyTorch's modules."""

import pytest
import torch
from torch import nn

from resnorm.experiments.norm_axes import run_norm_axes
from resnorm.norm_axes import KINDS, LAYOUTS, n_statistics, statistic_axes


def test_statistic_axes_and_counts():
    assert statistic_axes("layer", "image") == ("C", "H", "W")
    assert statistic_axes("layer", "tokens") == ("D",)
    assert n_statistics("batch", "image", (8, 16, 4, 4)) == 16
    assert n_statistics("layer", "image", (8, 16, 4, 4)) == 8
    assert n_statistics("instance", "image", (8, 16, 4, 4)) == 8 * 16
    assert n_statistics("group", "image", (8, 16, 4, 4), groups=4) == 8 * 4
    assert n_statistics("batch", "tokens", (2, 10, 32)) == 32
    assert n_statistics("layer", "tokens", (2, 10, 32)) == 2 * 10
    assert n_statistics("instance", "tokens", (2, 10, 32)) == 2 * 32
    assert n_statistics("group", "tokens", (2, 10, 32), groups=8) == 2 * 8


def test_counts_equal_the_statistics_pytorch_keeps():
    # BatchNorm's running mean has one entry per channel; GroupNorm with one group is LayerNorm over (C, H, W)
    x = torch.randn(3, 6, 4, 4)
    assert nn.BatchNorm2d(6).running_mean.numel() == n_statistics("batch", "image", x.shape)
    ln = nn.LayerNorm([6, 4, 4], elementwise_affine=False)(x)
    gn = nn.GroupNorm(1, 6, affine=False)(x)
    torch.testing.assert_close(ln, gn, rtol=1e-5, atol=1e-5)
    assert n_statistics("group", "image", x.shape, groups=1) == n_statistics("layer", "image", x.shape)
    assert n_statistics("group", "image", x.shape, groups=6) == n_statistics("instance", "image", x.shape)


def test_pytorch_modules_reduce_over_exactly_the_stated_axes():
    r = run_norm_axes(image_shape=(3, 4, 3, 3), token_shape=(2, 3, 8), groups=2, seed=5)
    assert set(r.module) == {(layout, kind) for layout in LAYOUTS for kind in KINDS}
    for key in r.module:
        assert r.measured_axes[key] == r.predicted_axes[key]
        assert r.measured_count[key] == r.predicted_count[key]
        assert r.largest_mean[key] < 1e-5 and r.largest_std_error[key] < 1e-3
    assert "GroupNorm(2, 8" in r.module[("tokens", "group")]
    assert r.module[("image", "layer")].startswith("LayerNorm((4, 3, 3)")


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: statistic_axes("weight", "image"), ValueError, ["kind", "'batch'"]),
        (lambda: statistic_axes("layer", "video"), ValueError, ["layout", "'image'"]),
        (lambda: n_statistics("layer", "image", (2, 3, 4)), ValueError, ["shape", "4 sizes"]),
        (lambda: n_statistics("layer", "image", (2, 0, 4, 4)), ValueError, ["shape[1]", ">= 1"]),
        (lambda: n_statistics("group", "image", (2, 6, 4, 4), groups=4), ValueError, ["groups", "divide"]),
        (lambda: n_statistics("group", "tokens", (2, 6, 4), groups=0), ValueError, ["groups", ">= 1"]),
        (lambda: run_norm_axes(groups=1), ValueError, ["groups", ">= 2"]),
        (lambda: run_norm_axes(image_shape=(2, 6, 3, 3), groups=4), ValueError, ["groups", "image_shape"]),
        (lambda: run_norm_axes(seed=-1), ValueError, ["seed"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

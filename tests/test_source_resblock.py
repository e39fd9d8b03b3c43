"""Measurements of the source's convolutional block: in-place effects, leading ReLU, properties."""

import numpy as np
import pytest

from resnorm.experiments.source_resblock import (
    BLOCKS,
    block_properties,
    inplace_effects,
    negative_input_fractions,
)


def test_inplace_effects():
    bad, good = inplace_effects(True, seeds=[0, 1]), inplace_effects(False, seeds=[0, 1])
    assert bad.caller_changed.shape == (2,) and np.all(bad.caller_changed > 0.3)
    assert np.all(bad.output_changed > 0.05)
    assert all("inplace operation" in e for e in bad.backward_error)
    assert np.all(good.caller_changed == 0) and np.all(good.output_changed == 0)
    assert good.backward_error == [None, None]


def test_negative_input_fractions():
    source = negative_input_fractions("source", n_blocks=3, seeds=[0, 1])
    preact = negative_input_fractions("pre-activation (He et al. 2016b)", n_blocks=3, seeds=[0, 1])
    assert source.shape == (2, 3)
    assert np.all(source[:, 0] > 0.3) and np.all(source[:, 1:] == 0)
    assert np.all(preact[:, 1:] > 0.3)


def test_block_properties():
    source = block_properties("source")
    assert source.parameters == 2 * (16 * 16 * 9 + 16) and not source.normalization
    assert source.output_size_stride_2 is None
    for name in list(BLOCKS)[1:]:
        p = block_properties(name)
        assert p.normalization and p.output_size_stride_2 == 8
        assert p.parameters == 2 * 16 * 16 * 9 + 2 * 2 * 16  # two bias-free convs, two BatchNorms


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: inplace_effects("yes"), TypeError, ["inplace", "True or False"]),
        (lambda: inplace_effects(channels=0), ValueError, ["channels", ">= 1"]),
        (lambda: inplace_effects(seeds=[]), ValueError, ["seeds"]),
        (lambda: negative_input_fractions("resnet"), ValueError, ["block must be one of", "'source'"]),
        (lambda: negative_input_fractions(n_blocks=0), ValueError, ["n_blocks", ">= 1"]),
        (lambda: block_properties("resnet"), ValueError, ["name must be one of", "'source'"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

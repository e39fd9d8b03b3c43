"""Fixup experiment at initialisation: signal size and the gradient of the zero layers."""

import numpy as np
import pytest

from resnorm.experiments.fixup import run_fixup


def test_run_fixup_shapes_and_effect():
    r = run_fixup(depth=6, width=8, seeds=[0, 1])
    assert set(r.signal) == {"fixup", "he", "default"}
    assert r.signal["he"].shape == (2, 7) and r.last_layer_grad.shape == (2, 2, 6)
    np.testing.assert_allclose(r.signal["fixup"], 1.0, atol=1e-6)
    assert np.all(r.signal["he"][:, -1] > 2)  # variance x2 per block: std 2**3 = 8 over 6 blocks, roughly
    assert np.all(r.last_layer_grad[:, 0] == 0) and np.all(r.last_layer_grad[:, 1] > 0)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(depth=0), ValueError, ["depth"]),
        (dict(width=0), ValueError, ["width"]),
        (dict(batch_size=1), ValueError, ["batch_size", ">= 2"]),
        (dict(n_classes=1), ValueError, ["n_classes", ">= 2"]),
        (dict(lr=0), ValueError, ["lr", "> 0"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_fixup(**kwargs)
    for word in words:
        assert word in str(info.value)

"""run_torch_equality: our norms match PyTorch's to rounding; the source's version does not."""

import numpy as np
import pytest

from resnorm.experiments.torch_equality import PAIRS, run_torch_equality


def test_shapes_and_verdicts():
    r = run_torch_equality(dims=(4, 32), seeds=[0, 1], batch_size=8)
    assert r.labels == list(PAIRS)
    for field in (r.forward, r.input_grad, r.param_grad, r.allclose):
        assert field.shape == (3, 2, 2)
    assert list(r.dims) == [4, 32]
    for label in ("LayerNorm vs nn.LayerNorm", "RMSNorm vs nn.RMSNorm"):
        assert max(r.worst(label).values()) < 1e-5
    assert min(r.worst("SourceLayerNorm vs nn.LayerNorm").values()) > 1e-3
    assert not r.allclose[2].any()


def test_repeatable():
    a = run_torch_equality(dims=(8,), seeds=[3])
    b = run_torch_equality(dims=(8,), seeds=[3])
    np.testing.assert_array_equal(a.forward, b.forward)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(dims=()), ValueError, ["dims"]),
        (dict(dims=(1,)), ValueError, ["dims[0]", ">= 2"]),
        (dict(dims=(8.5,)), TypeError, ["dims[0]", "integer"]),
        (dict(seeds=[]), ValueError, ["seeds"]),
        (dict(batch_size=0), ValueError, ["batch_size", ">= 1"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_torch_equality(**kwargs)
    for word in words:
        assert word in str(info.value)

"""The measured invariance table reproduces Ba et al. (2016), Table 1, and adds RMSNorm."""

import pytest
import torch

from resnorm.exercises.layer_normalization import RMS_INVARIANT
from resnorm.experiments.invariance import (
    METHODS,
    TRANSFORMATIONS,
    WeightNormLinear,
    published_table,
    run_invariance,
)


def test_reproduces_the_published_table_and_rmsnorm_row():
    r = run_invariance(seeds=[0, 1, 2])
    assert r.change.shape == (len(METHODS), len(TRANSFORMATIONS), 3)
    ours, paper = r.verdicts(), published_table()
    assert set(paper) == {"batch norm", "weight norm", "layer norm"}
    for method in paper:
        assert ours[method] == paper[method]
    assert {t for t, v in ours["rms norm"].items() if v == "invariant"} == RMS_INVARIANT


def test_unclear_when_thresholds_leave_no_margin():
    r = run_invariance(seeds=[0], invariant_below=1e-12, changed_above=1e3)
    assert "unclear" in {v for row in r.verdicts().values() for v in row.values()}


def test_weight_norm_linear_matches_torch_weight_norm():
    torch.manual_seed(0)
    linear = torch.nn.Linear(5, 3, bias=False)
    ref = torch.nn.utils.parametrizations.weight_norm(linear)
    gain = ref.parametrizations.weight.original0.detach().flatten()
    ours = WeightNormLinear(linear.parametrizations.weight.original1.detach(), gain)
    x = torch.randn(4, 5)
    torch.testing.assert_close(ours(x), ref(x))


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(delta=1.0), ValueError, ["delta", "differ from 1"]),
        (dict(delta=-2.0), ValueError, ["delta", "> 0"]),
        (dict(d_out=1), ValueError, ["d_out", ">= 2"]),
        (dict(batch_size=1), ValueError, ["batch_size"]),
        (dict(invariant_below=1e-2, changed_above=1e-3), ValueError, ["changed_above"]),
        (dict(seeds=3), TypeError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_invariance(**kwargs)
    for word in words:
        assert word in str(info.value)

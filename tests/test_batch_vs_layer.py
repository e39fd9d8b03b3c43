"""LayerNorm normalises rows and ignores the batch; BatchNorm normalises columns and does not."""

import numpy as np
import pytest

from resnorm.experiments.batch_vs_layer import METHODS, run_batch_vs_layer


def test_axes_batch_of_one_train_eval_and_companions():
    r = run_batch_vs_layer(seeds=[0, 1], d=6, batch_size=5, n_batches=10, pool_size=64)
    assert r.methods == list(METHODS) and r.companion_spread.shape == (4, 2)
    assert r.ln_example_mean.max() < 1e-5 and r.ln_example_std.max() < 1e-3
    assert r.bn_feature_mean.max() < 1e-5 and r.bn_feature_std.max() < 1e-3
    assert r.ln_feature_mean.min() > 0.1 and r.bn_example_mean.min() > 0.05
    assert r.batch_of_one["LayerNorm"] == "ok"
    assert "Expected more than 1 value per channel" in r.batch_of_one["BatchNorm (train mode)"]
    assert np.all(r.ln_train_eval_gap == 0) and np.all(r.bn_train_eval_gap > 0.1)
    spread = dict(zip(r.methods, r.companion_spread))
    assert np.all(spread["LayerNorm"] == 0) and np.all(spread["BatchNorm (eval mode)"] == 0)
    assert np.all(spread["BatchNorm (train mode)"] > 0.05) and np.all(spread["LayerNorm + dropout 0.1"] > 0.05)
    assert r.example_input.shape == r.example_ln.shape == r.example_bn.shape == (5, 6)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(d=1), ValueError, ["d", ">= 2"]),
        (dict(batch_size=1), ValueError, ["batch_size", ">= 2"]),
        (dict(n_batches=1), ValueError, ["n_batches"]),
        (dict(batch_size=8, pool_size=4), ValueError, ["pool_size", ">= 8"]),
        (dict(seeds=[-1]), ValueError, ["seeds[0]"]),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_batch_vs_layer(**kwargs)
    for word in words:
        assert word in str(info.value)

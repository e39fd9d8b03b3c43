"""Training with and without warm-up: shapes, repeatability, divergence handling, bad input."""

import numpy as np
import pytest

from resnorm.experiments.warmup import WARMUP_CONFIGS, WarmupResult, run_warmup


SMALL = dict(depth=2, d_model=8, n_heads=2, d_ff=16, steps=6, batch_size=4, seq_len=4, vocab_size=5)


def test_run_warmup_shapes_and_repeatability(monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    a = run_warmup(WARMUP_CONFIGS, seeds=[0, 1], **SMALL)
    b = run_warmup(WARMUP_CONFIGS, seeds=[0, 1], **SMALL)
    for label in WARMUP_CONFIGS:
        assert a.losses[label].shape == (2, 6)
        assert a.stream_rms[label].shape == (2, 3)
        assert a.final_loss(label, last=3).shape == (2,)
        np.testing.assert_array_equal(a.losses[label], b.losses[label])
        assert a.diverged_at[label] == [None, None]
    assert a.depth == 2 and a.lr == 0.03 and a.vocab_size == 5


def test_warmup_changes_the_run_and_placement_changes_the_model(monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    configs = {"cold": dict(placement="post"), "warm": dict(placement="post", warmup_steps=4),
               "pre": dict(placement="pre")}
    r = run_warmup(configs, seeds=[0], **SMALL)
    assert r.losses["cold"][0, 0] == r.losses["warm"][0, 0]  # same model and batch at step 0
    assert not np.array_equal(r.losses["cold"], r.losses["warm"])
    assert r.losses["cold"][0, 0] != r.losses["pre"][0, 0]


def test_a_setting_can_set_its_depth_and_drop_the_final_norm(monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    configs = {"pre": dict(placement="pre"), "no final norm": dict(placement="pre", final_norm=False),
               "deep": dict(placement="post", depth=3)}
    r = run_warmup(configs, seeds=[0], **SMALL)
    assert r.stream_rms["pre"].shape == (1, 3) and r.stream_rms["deep"].shape == (1, 4)
    assert r.losses["pre"][0, 0] != r.losses["no final norm"][0, 0]


def test_final_loss_is_inf_for_a_diverged_run():
    losses = np.array([[2.0, 1.0, 0.5], [2.0, np.nan, np.nan]])
    result = WarmupResult({"a": losses}, {"a": [None, 1]}, {"a": np.ones((2, 2))}, 0.1, 1)
    final = result.final_loss("a", last=2)
    assert final[0] == pytest.approx(0.75) and np.isinf(final[1])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(configs={}), ValueError, ["configs"]),
        (dict(configs={"a": dict(placement="post", lr=1.0)}), ValueError,
         ["configs['a']", "'placement'", "'warmup_steps'", "'final_norm'", "'depth'"]),
        (dict(configs={"a": dict(final_norm="yes")}), ValueError, ["final_norm", "None", "True", "False"]),
        (dict(configs={"a": dict(depth=0)}), ValueError, ["depth", ">= 1"]),
        (dict(configs={"a": dict(placement="middle")}), ValueError, ["placement", "'post'", "'pre'"]),
        (dict(configs={"a": dict(warmup_steps=-1)}), ValueError, ["warmup_steps", ">= 0"]),
        (dict(lr=0.0), ValueError, ["lr", "> 0"]),
        (dict(steps=0), ValueError, ["steps", ">= 1"]),
        (dict(task="copy"), ValueError, ["task", "'reverse'", "'sort'"]),
        (dict(seeds=2), TypeError, ["seeds", "range(5)"]),
        (dict(depth=0), ValueError, ["depth", ">= 1"]),
    ],
)

def test_bad_input_names_the_argument(kwargs, error, words):
    with pytest.raises(error) as info:
        run_warmup(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_final_loss_rejects_unknown_labels():
    result = WarmupResult({"a": np.ones((1, 2))}, {"a": [None]}, {"a": np.ones((1, 2))}, 0.1, 1)
    with pytest.raises(ValueError, match="label must be one of 'a'"):
        result.final_loss("b")

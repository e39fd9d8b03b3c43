"""Toy sequence training of notebook 05: model kinds, loss curves, bad input."""

import numpy as np
import pytest
import torch

from resnorm.experiments.reweighted import (
    DEEPER_CONFIGS,
    initial_model,
    make_sequence_model,
    run_deeper,
    run_sequence_training,
)
from resnorm.models import TinyTransformer
from resnorm.norms import DynamicTanh
from resnorm.reweighted import ReweightedTransformer, deepnorm_constants


def test_make_sequence_model_kinds():
    assert isinstance(make_sequence_model("post", 2), TinyTransformer)
    pre = make_sequence_model("pre", 2, norm="dyt")
    assert isinstance(pre.final_norm, DynamicTanh)
    assert make_sequence_model("deepnorm", 3).kind == "deepnorm"
    assert isinstance(make_sequence_model("rezero", 3), ReweightedTransformer)
    assert make_sequence_model("rezero", 1)(torch.randint(10, (2, 8))).shape == (2, 8, 10)


def test_run_sequence_training_shapes_repeatability_and_final():
    configs = {"a": dict(kind="pre", depth=1), "b": dict(kind="rezero", depth=1)}
    r = run_sequence_training(configs, steps=4, seeds=[0, 1])
    again = run_sequence_training(configs, steps=4, seeds=[0, 1])
    assert r.losses["a"].shape == (2, 4) and len(r.models["b"]) == 2
    np.testing.assert_array_equal(r.losses["b"], again.losses["b"])
    assert r.final("a", last=2).shape == (2,)
    np.testing.assert_allclose(r.final("a", last=1), r.losses["a"][:, -1])
    assert len(r.tokens) == 2 and r.tokens[0].shape == (2048, 8)


def test_each_seed_draws_its_own_data():
    r = run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=2, seeds=[0, 1])
    assert not torch.equal(r.tokens[0], r.tokens[1])
    again = run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=2, seeds=[1])
    assert torch.equal(again.tokens[0], r.tokens[1])
    np.testing.assert_array_equal(again.losses["a"][0], r.losses["a"][1])


def test_initial_model_is_the_model_training_starts_from():
    config = dict(kind="pre", depth=1)
    r = run_sequence_training({"a": config}, steps=1, lr=1e-3, seeds=[3])
    start = initial_model(config, 3)
    again = initial_model(config, 3)
    for p, q in zip(start.parameters(), again.parameters()):
        assert torch.equal(p, q)
    trained = dict(r.models["a"][0].named_parameters())
    moved = [not torch.equal(p, trained[name]) for name, p in start.named_parameters()]
    assert any(moved)  # one Adam step moved the weights away from the same starting point
    torch.manual_seed(3)
    fresh = make_sequence_model(**config)
    assert torch.equal(next(fresh.parameters()), next(start.parameters()))


def test_make_sequence_model_deepnorm_constant_overrides():
    alpha_only = make_sequence_model("deepnorm", 6, beta=1.0)
    default_alpha, _ = deepnorm_constants(6)
    assert all(b.alpha == default_alpha and b.beta == 1.0 for b in alpha_only.blocks)
    beta_only = make_sequence_model("deepnorm", 6, alpha=1.0)
    assert all(b.alpha == 1.0 and b.beta == deepnorm_constants(6)[1] for b in beta_only.blocks)


def test_configurations_sharing_a_stack_train_as_they_would_alone():
    configs = {"DeepNorm": dict(kind="deepnorm", depth=2), "α only": dict(kind="deepnorm", depth=2, beta=1.0),
               "Pre-LN": dict(kind="pre", depth=1)}
    together = run_sequence_training(configs, steps=5, seeds=[0, 1])
    assert list(together.losses) == list(configs) and list(together.models) == list(configs)
    for label, config in configs.items():
        alone = run_sequence_training({label: config}, steps=5, seeds=[0, 1])
        np.testing.assert_allclose(together.losses[label], alone.losses[label], rtol=1e-5)
        for model, model_alone in zip(together.models[label], alone.models[label]):
            for p, q in zip(model.parameters(), model_alone.parameters()):
                torch.testing.assert_close(p, q, rtol=1e-3, atol=1e-3)  # Adam magnifies rounding of tiny gradients


def test_subset_keeps_the_chosen_labels_in_order():
    r = run_sequence_training({"a": dict(kind="pre", depth=1), "b": dict(kind="post", depth=1)}, steps=2, seeds=[0])
    sub = r.subset(["b"])
    assert list(sub.losses) == ["b"] and sub.chance == r.chance and list(sub.models) == ["b"]
    np.testing.assert_array_equal(sub.losses["b"], r.losses["b"])
    with pytest.raises(ValueError, match="labels"):
        r.subset(["c"])
    with pytest.raises(ValueError, match="labels"):
        r.subset([])


def test_final_marks_a_diverged_run_as_inf():
    r = run_sequence_training({"a": dict(kind="post", depth=1)}, steps=3, seeds=[0])
    r.losses["a"][0, -1] = np.nan
    assert np.isinf(r.final("a")[0])


def test_deeper_configs_are_the_notebook_comparison():
    assert [c["kind"] for c in DEEPER_CONFIGS.values()] == ["post", "post", "pre", "deepnorm", "deepnorm",
                                                            "deepnorm", "rezero"]
    ablations = [c for c in DEEPER_CONFIGS.values() if c["kind"] == "deepnorm" and len(c) > 2]
    assert {(c.get("alpha"), c.get("beta")) for c in ablations} == {(None, 1.0), (1.0, None)}
    r = run_deeper({"DeepNorm": dict(kind="deepnorm", depth=2)}, steps=2, seeds=[0])
    assert r.losses["DeepNorm"].shape == (1, 2)
    assert len(run_deeper({"a": dict(kind="post", depth=1)}, steps=1).models["a"]) == 5


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: make_sequence_model("sandwich", 2), ValueError, ["kind", "'post'", "'rezero'"]),
        (lambda: make_sequence_model("pre", 2, norm="batch"), ValueError, ["norm", "'dyt'"]),
        (lambda: make_sequence_model("pre", 2, alpha=2.0), ValueError, ["alpha", "beta", "'deepnorm'"]),
        (lambda: make_sequence_model("deepnorm", 2, beta=0.0), ValueError, ["beta", "> 0"]),
        (lambda: initial_model("pre", 0), TypeError, ["config", "mapping"]),
        (lambda: initial_model(dict(kind="pre", depth=1), -1), ValueError, ["seed", ">= 0"]),
        (lambda: run_sequence_training({}), ValueError, ["configs"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, task="copy"), ValueError,
         ["task", "'reverse'", "'sort'"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, steps=0), ValueError, ["steps"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, lr=-1.0), ValueError, ["lr"]),
        (lambda: run_sequence_training({"a": dict(kind="pre", depth=1)}, seeds=[]), ValueError, ["seeds"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)

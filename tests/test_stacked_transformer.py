"""The hand-written stacked forward of the sequence models equals each model's own forward."""

import pytest
import torch
from torch import nn
from torch.func import stack_module_state

from resnorm.experiments.reweighted import make_sequence_model
from resnorm.models import DeepMLP, TinyTransformer
from resnorm.norms import to_torch_norms
from resnorm.reweighted import ReweightedTransformer
from resnorm.stacked_transformer import stacked_sequence_forward, stacked_sequence_losses
from resnorm.training import cross_entropy

MODELS = {
    "post LayerNorm": lambda: make_sequence_model("post", 2),
    "pre RMSNorm": lambda: make_sequence_model("pre", 2, norm="rms"),
    "pre DyT": lambda: make_sequence_model("pre", 2, norm="dyt"),
    "source": lambda: TinyTransformer(10, 2, 16, 2, 32, placement="source", max_len=8),
    "pre, no residual": lambda: TinyTransformer(10, 2, 16, 2, 32, placement="pre", max_len=8, residual=False),
    "deepnorm": lambda: make_sequence_model("deepnorm", 2, alpha=1.3, beta=0.7),
    "rezero": lambda: make_sequence_model("rezero", 2),
}


def _stack(make, n=3, torch_norms=False):
    models = []
    for seed in range(n):
        torch.manual_seed(seed)
        model = make()
        if isinstance(model, ReweightedTransformer) and model.kind == "rezero":
            with torch.no_grad():  # ReZero's branches start at zero: give them a weight to test them
                for name, p in model.named_parameters():
                    if "alpha" in name:
                        p.fill_(0.3 + seed)
        models.append(to_torch_norms(model) if torch_norms else model)
    params, _ = stack_module_state(models)
    return models, params


@pytest.mark.parametrize("torch_norms", [False, True])
@pytest.mark.parametrize("name", MODELS)
def test_stacked_forward_equals_each_model(name, torch_norms):
    models, params = _stack(MODELS[name], torch_norms=torch_norms)
    tokens = torch.randint(10, (3, 5, 7), generator=torch.Generator().manual_seed(1))
    logits = stacked_sequence_forward(models)(params, tokens)
    assert logits.shape == (3, 5, 7, 10)
    for k, model in enumerate(models):
        torch.testing.assert_close(logits[k], model(tokens[k]), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["post LayerNorm", "rezero"])
def test_stacked_losses_and_their_gradients_equal_each_model(name):
    models, params = _stack(MODELS[name])
    tokens = torch.randint(10, (3, 4, 8), generator=torch.Generator().manual_seed(2))
    targets = torch.randint(10, (3, 4, 8), generator=torch.Generator().manual_seed(3))
    losses = stacked_sequence_losses(models)(params, tokens, targets)
    losses.sum().backward()
    for k, model in enumerate(models):
        loss = cross_entropy(model(tokens[k]), targets[k])
        loss.backward()
        torch.testing.assert_close(losses[k], loss, rtol=1e-5, atol=1e-6)
        for p_name, p in model.named_parameters():
            torch.testing.assert_close(params[p_name].grad[k], p.grad, rtol=1e-4, atol=1e-6, msg=p_name)


def test_deepnorm_models_with_different_constants_stack_together():
    models = []
    for seed, (alpha, beta) in enumerate([(None, None), (None, 1.0), (1.0, None)]):
        torch.manual_seed(seed)
        models.append(make_sequence_model("deepnorm", 2, alpha=alpha, beta=beta))
    assert len({m.blocks[0].alpha for m in models}) == 2
    params, _ = stack_module_state(models)
    tokens = torch.randint(10, (3, 4, 8), generator=torch.Generator().manual_seed(4))
    logits = stacked_sequence_forward(models)(params, tokens)
    for k, model in enumerate(models):
        torch.testing.assert_close(logits[k], model(tokens[k]), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: stacked_sequence_forward([DeepMLP(1, 4)]), TypeError, ["models", "TinyTransformer"]),
        (lambda: stacked_sequence_forward([]), TypeError, ["models", "non-empty"]),
        (lambda: stacked_sequence_forward([make_sequence_model("pre", 1), make_sequence_model("post", 1)]),
         ValueError, ["models", "one architecture"]),
        (lambda: stacked_sequence_forward([make_sequence_model("deepnorm", 1), make_sequence_model("rezero", 1)]),
         ValueError, ["models", "one architecture"]),
        (lambda: stacked_sequence_forward([TinyTransformer(10, 1, 16, 2, 32, dropout=0.1)]), ValueError,
         ["models", "dropout"]),
        (lambda: stacked_sequence_forward([make_sequence_model("pre", 1)])({}, torch.zeros(2, 3, dtype=torch.long)),
         ValueError, ["tokens", "(n_models, batch, seq)"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_unknown_blocks_or_norms_are_refused():
    model = make_sequence_model("pre", 1)
    model.blocks[0] = nn.Identity()
    with pytest.raises(ValueError, match="model blocks"):
        stacked_sequence_forward([model])
    model = make_sequence_model("pre", 1)
    model.final_norm = nn.BatchNorm1d(16)
    models, params = [model], {n: p[None] for n, p in model.named_parameters()}
    with pytest.raises(ValueError, match="LayerNorm, RMSNorm, DynamicTanh"):
        stacked_sequence_forward(models)(params, torch.zeros(1, 2, 3, dtype=torch.long))

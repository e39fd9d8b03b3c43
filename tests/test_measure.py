"""per_layer_grad_norms agrees with a direct computation and fails clearly before backward()."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from resnorm.measure import per_layer_grad_norms
from resnorm.models import DeepMLP, TransformerBlock


def test_matches_direct_computation_in_registration_order():
    torch.manual_seed(0)
    model = DeepMLP(4, 8, out_features=3, residual=True, norm="layer")
    x, y = torch.randn(16, 8), torch.randint(3, (16,))
    F.cross_entropy(model(x), y).backward()
    norms = per_layer_grad_norms(model)
    assert list(norms) == ["stem"] + [f"blocks.{i}.linear{j}" for i in range(4) for j in (1, 2)] + ["head"]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    for value, layer in zip(norms.values(), linears):
        assert isinstance(value, float)
        assert value == pytest.approx(torch.sqrt((layer.weight.grad ** 2).sum()).item(), rel=1e-6)


def test_matches_autograd_grad_of_a_single_layer():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 1))
    x = torch.randn(7, 5)
    loss = model(x).sum()
    (grad_first,) = torch.autograd.grad(loss, model[0].weight, retain_graph=True)
    loss.backward()
    assert per_layer_grad_norms(model)["0"] == pytest.approx(grad_first.norm().item(), rel=1e-6)


def test_includes_conv_layers():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4, 1))
    model(torch.randn(2, 1, 6, 6)).sum().backward()
    assert list(per_layer_grad_norms(model)) == ["0", "2"]


def test_transformer_block_linears_are_measured():
    block = TransformerBlock(8, 2, 16)
    block(torch.randn(2, 3, 8)).sum().backward()
    assert list(per_layer_grad_norms(block)) == ["self_attn.out_proj", "linear1", "linear2"]


def test_clear_error_before_backward():
    with pytest.raises(RuntimeError, match=r"loss.backward\(\)"):
        per_layer_grad_norms(DeepMLP(2, 4))


def test_clear_error_for_unused_layer():
    model = nn.ModuleDict({"used": nn.Linear(2, 2), "unused": nn.Linear(2, 2)})
    model["used"](torch.randn(1, 2)).sum().backward()
    with pytest.raises(RuntimeError, match="unused"):
        per_layer_grad_norms(model)


def test_bad_model_argument():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        per_layer_grad_norms("not a model")
    with pytest.raises(ValueError, match="no Linear or Conv"):
        per_layer_grad_norms(nn.ReLU())


def test_tiny_gradients_are_not_rounded_to_zero():
    layer = nn.Linear(4, 4)
    layer.weight.grad = torch.full((4, 4), 1e-25)  # squares (1e-50) underflow in float32
    assert per_layer_grad_norms(layer)[""] == pytest.approx(4e-25, rel=1e-5)

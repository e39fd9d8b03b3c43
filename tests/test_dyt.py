"""Dynamic Tanh: the layer, its use in TransformerBlock, and the notebook-05 DyT experiment."""

import numpy as np
import pytest
import torch

from resnorm.experiments.dyt import fit_tanh, norm_mapping, run_dyt
from resnorm.models import BLOCK_NORMS, TinyTransformer, TransformerBlock
from resnorm.norms import DynamicTanh


def test_dyt_matches_its_formula_forward_and_backward():
    torch.manual_seed(0)
    dyt = DynamicTanh(6, alpha0=0.7)
    with torch.no_grad():
        dyt.weight.normal_()
        dyt.bias.normal_()
    x = (3 * torch.randn(2, 4, 6)).requires_grad_(True)
    alpha = dyt.alpha.detach().clone().requires_grad_(True)
    weight = dyt.weight.detach().clone().requires_grad_(True)
    bias = dyt.bias.detach().clone().requires_grad_(True)
    x2 = x.detach().clone().requires_grad_(True)
    upstream = torch.randn(2, 4, 6)
    dyt(x).backward(upstream)
    expected = weight * torch.tanh(alpha * x2) + bias
    expected.backward(upstream)
    torch.testing.assert_close(dyt(x), expected)
    for ours, theirs in ((x.grad, x2.grad), (dyt.alpha.grad, alpha.grad), (dyt.weight.grad, weight.grad),
                         (dyt.bias.grad, bias.grad)):
        torch.testing.assert_close(ours, theirs)


def test_dyt_parameters_and_default_alpha():
    dyt = DynamicTanh(5)
    assert dyt.alpha.shape == (1,) and dyt.alpha.item() == 0.5
    assert dyt.weight.shape == (5,) and torch.equal(dyt.weight, torch.ones(5))
    assert torch.equal(dyt.bias, torch.zeros(5))
    out = dyt(torch.tensor([[-1e6, 0.0, 1e6, 2.0, -2.0]]))
    assert out.abs().max() <= 1.0, "tanh bounds the output by |weight| + |bias|"
    assert "alpha=0.5" in repr(dyt)


def test_dyt_is_a_block_norm():
    assert BLOCK_NORMS["dyt"] is DynamicTanh
    block = TransformerBlock(8, 2, 16, placement="pre", norm="dyt")
    assert isinstance(block.norm1, DynamicTanh) and isinstance(block.norm2, DynamicTanh)
    model = TinyTransformer(7, 2, 8, 2, 16, placement="pre", norm="dyt", max_len=5)
    assert isinstance(model.final_norm, DynamicTanh)
    assert model(torch.randint(7, (3, 5))).shape == (3, 5, 7)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: DynamicTanh(0), ValueError, ["d", ">= 1"]),
        (lambda: DynamicTanh(4, alpha0="big"), TypeError, ["alpha0", "real number"]),
        (lambda: DynamicTanh(4, alpha0=float("inf")), ValueError, ["alpha0", "finite"]),
        (lambda: TransformerBlock(8, 2, 16, norm="tanh"), ValueError, ["norm", "'dyt'", "'layer'"]),
    ],
)
def test_bad_input_names_the_argument(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_fit_tanh_recovers_a_tanh_and_beats_a_line_on_it():
    rng = np.random.default_rng(0)
    x = 3 * rng.normal(size=4000)
    y = 2.0 * np.tanh(0.4 * x) + 0.1
    fit = fit_tanh(x, y)
    assert fit.alpha == pytest.approx(0.4, rel=0.05)
    assert fit.gamma == pytest.approx(2.0, rel=0.05) and fit.beta == pytest.approx(0.1, abs=0.01)
    assert fit.tanh_mse < 1e-4 < fit.line_mse
    line = fit_tanh(x, 0.5 * x - 1)
    assert line.tanh_mse <= 1e-3 and line.line_mse < 1e-20


def test_fit_tanh_rejects_bad_input():
    with pytest.raises(ValueError, match="x and y"):
        fit_tanh([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="x must not be all zeros"):
        fit_tanh([0, 0, 0], [1, 2, 3])


def test_run_dyt_shapes_and_norm_mapping():
    result = run_dyt(steps=3, seeds=[0, 1])
    assert set(result.losses) == {"LayerNorm", "DyT"}
    assert result.losses["DyT"].shape == (2, 3) and result.final("DyT").shape == (2,)
    assert result.chance == pytest.approx(np.log(10))
    model = result.models["LayerNorm"][0]
    mapping = norm_mapping(model, result.tokens[0][:4], "final_norm")
    assert mapping.x.shape == (32, 16) and mapping.y.shape == (32, 16) and mapping.token_std.shape == (32,)
    np.testing.assert_allclose(mapping.y.mean(axis=1), 0, atol=1e-5)
    np.testing.assert_allclose(mapping.y.std(axis=1), 1, atol=1e-3)
    with pytest.raises(ValueError, match="module_name must name"):
        norm_mapping(result.models["DyT"][0], result.tokens[0][:4], "final_norm")

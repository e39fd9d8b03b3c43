"""Op counts are exact; timings are only checked loosely (they depend on the machine's load)."""

import pytest
import torch

from resnorm.experiments.norm_cost import LayerNormCentredOnce, count_ops, modules_to_compare, run_norm_cost
from resnorm.norms import LayerNorm, RMSNorm


def test_count_ops_of_the_from_scratch_norms():
    x = torch.randn(4, 16)
    ln, rms = count_ops(LayerNorm(16), x), count_ops(RMSNorm(16), x)
    assert ln.count("mean") == 2 and rms.count("mean") == 1
    assert "sqrt" in ln and "sqrt" in rms and len(rms) < len(ln)
    assert count_ops(torch.nn.LayerNorm(16), x) == ["layer_norm"]
    once = count_ops(LayerNormCentredOnce(16), x)
    assert once.count("sub") == 1 and ln.count("sub") == 2 and len(once) == len(ln) - 1 == 9


def test_centred_once_layernorm_equals_pytorch_forward_and_backward():
    torch.manual_seed(0)
    ours, theirs = LayerNormCentredOnce(16), torch.nn.LayerNorm(16)
    for p in (*ours.parameters(), *theirs.parameters()):
        torch.nn.init.normal_(p)
    theirs.load_state_dict(ours.state_dict())
    x = (3 * torch.randn(4, 5, 16) + 2).requires_grad_()
    upstream = torch.randn(4, 5, 16)
    (grad_ours,) = torch.autograd.grad(ours(x), x, upstream)
    (grad_theirs,) = torch.autograd.grad(theirs(x), x, upstream)
    torch.testing.assert_close(ours(x), theirs(x))
    torch.testing.assert_close(grad_ours, grad_theirs)


def test_run_norm_cost():
    r = run_norm_cost(d=64, batch_size=16, repeats=20, warmup=2)
    assert set(r.ops) == set(r.seconds) == set(modules_to_compare(8))
    assert r.reductions("LayerNorm (ours)") == 2 and r.reductions("RMSNorm (ours)") == 1
    assert r.fused("nn.LayerNorm") and r.fused("nn.RMSNorm") and not r.fused("LayerNorm (ours)")
    assert r.reductions("nn.LayerNorm") == 0
    assert all(len(v) == 20 and (v > 0).all() for v in r.seconds.values())
    assert r.median_us("nn.LayerNorm") > 0
    assert r.ratio("RMSNorm (ours)", "RMSNorm (ours)") == 1.0


def test_from_scratch_rmsnorm_is_cheaper_loosely():
    r = run_norm_cost(d=512, batch_size=256, repeats=60)
    assert r.ratio("RMSNorm (ours)", "LayerNorm (ours)") < 0.95


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: count_ops("not a module", torch.zeros(1)), TypeError, ["module", "torch.nn.Module"]),
        (lambda: count_ops(LayerNorm(2), [1.0, 2.0]), TypeError, ["x", "torch.Tensor"]),
        (lambda: run_norm_cost(repeats=0), ValueError, ["repeats", ">= 1"]),
        (lambda: run_norm_cost(d=0), ValueError, ["d", ">= 1"]),
        (lambda: modules_to_compare(1.5), TypeError, ["d", "integer"]),
    ],
)
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)

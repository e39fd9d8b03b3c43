"""resnorm.optimizers against torch.optim: bitwise the same weights after every step."""

import sys

import pytest
import torch
from torch import nn

from resnorm.optimizers import SGD, Adam


def _net(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.LayerNorm(16), nn.Linear(16, 3))


def _run(make_optimizer, set_lr, seed: int = 0, steps: int = 25) -> list[torch.Tensor]:
    net = _net(seed)
    opt = make_optimizer(net.parameters())
    g = torch.Generator().manual_seed(seed + 1)
    for step in range(steps):
        set_lr(opt, 0.05 * min(1.0, (step + 1) / 5))  # a warm-up: lr changes between steps
        x, y = torch.randn(8, 6, generator=g), torch.randint(3, (8,), generator=g)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return [p.detach().clone() for p in net.parameters()]


def _set_torch_lr(opt, lr):
    for group in opt.param_groups:
        group["lr"] = lr


def _set_lr(opt, lr):
    opt.lr = lr


@pytest.mark.parametrize("fused", [False, True])
def test_adam_matches_torch_bitwise(fused):
    ours = _run(lambda p: Adam(p, lr=0.05, fused=fused), _set_lr)
    theirs = _run(lambda p: torch.optim.Adam(p, lr=0.05, fused=fused), _set_torch_lr)
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))


def test_sgd_matches_torch_bitwise():
    ours = _run(lambda p: SGD(p, lr=0.05), _set_lr)
    theirs = _run(lambda p: torch.optim.SGD(p, lr=0.05), _set_torch_lr)
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))


def test_parameters_without_gradient_are_left_alone():
    frozen, trained = nn.Parameter(torch.ones(3)), nn.Parameter(torch.ones(3))
    opt = Adam([frozen, trained], lr=0.1)
    trained.sum().backward()
    opt.step()
    assert torch.equal(frozen, torch.ones(3)) and not torch.equal(trained, torch.ones(3))


@pytest.mark.parametrize("make", [
    lambda: Adam([], lr=0.1),
    lambda: Adam([nn.Parameter(torch.ones(1))], lr=0.0),
    lambda: Adam([nn.Parameter(torch.ones(1))], lr=0.1, betas=(0.9, 1.0)),
    lambda: Adam([nn.Parameter(torch.ones(1))], lr=0.1, fused="yes"),
    lambda: SGD([nn.Parameter(torch.ones(1))], lr=-1.0),
    lambda: SGD("weights", lr=0.1),
])
def test_bad_input_names_the_argument(make):
    with pytest.raises((TypeError, ValueError), match="params|lr|betas|fused"):
        make()


def test_no_compiler_import():
    code = ("import sys, torch; from resnorm.optimizers import Adam; "
            "p = torch.nn.Parameter(torch.ones(2)); o = Adam([p], lr=0.1, fused=True); "
            "p.sum().backward(); o.step(); assert 'torch._dynamo' not in sys.modules")
    import subprocess
    subprocess.run([sys.executable, "-c", code], check=True)

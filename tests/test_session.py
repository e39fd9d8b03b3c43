"""setup() makes runs repeatable; the environment check reports what it finds."""

import matplotlib as mpl
import pytest
import torch

import resnorm
from resnorm.environment import check_environment
from resnorm.progress import progress


def test_setup_makes_random_draws_repeatable_and_uses_one_thread():
    resnorm.setup(seed=3)
    a = torch.randn(4)
    resnorm.setup(seed=3)
    assert torch.equal(a, torch.randn(4))
    assert torch.get_num_threads() == 1
    assert mpl.rcParams["axes.grid"] is True


def test_setup_rejects_bad_arguments():
    with pytest.raises(ValueError, match="seed"):
        resnorm.setup(seed=-1)
    with pytest.raises(ValueError, match="threads"):
        resnorm.setup(threads=0)


def test_environment_check_finds_the_installed_packages():
    report = check_environment()
    assert report.ok
    assert report.packages["torch"][0].startswith(torch.__version__.split("+")[0])
    assert "torch" in str(report)


def test_progress_passes_items_through(monkeypatch):
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    assert list(progress(range(3), desc="x")) == [0, 1, 2]


def test_seeds_are_consecutive_and_shifted_by_the_environment(monkeypatch):
    monkeypatch.delenv("RESNORM_SEED_SHIFT", raising=False)
    assert resnorm.seeds(3) == (0, 1, 2)
    monkeypatch.setenv("RESNORM_SEED_SHIFT", "1000")
    assert resnorm.seeds(2) == (1000, 1001)
    resnorm.setup(seed=1)
    a = torch.randn(3)
    torch.manual_seed(1001)
    assert torch.equal(a, torch.randn(3)), "setup() seeds with seed + shift"


@pytest.mark.parametrize("value", ["-3", "ten", "1.5"])
def test_a_bad_seed_shift_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("RESNORM_SEED_SHIFT", value)
    with pytest.raises(ValueError, match="RESNORM_SEED_SHIFT must be an integer >= 0"):
        resnorm.seeds(3)


def test_seeds_rejects_a_bad_count():
    with pytest.raises(ValueError, match="n must be >= 1"):
        resnorm.seeds(0)

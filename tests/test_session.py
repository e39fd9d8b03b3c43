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

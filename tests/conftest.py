"""Shared test set-up: one CPU thread, as resnorm.setup() gives every notebook.

Tiny models run many times slower with two threads on a busy two-core machine, and one thread
makes results repeat to the last digit.
"""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    yield
    torch.set_num_threads(threads)

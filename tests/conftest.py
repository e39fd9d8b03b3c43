"""Shared test set-up: one CPU thread, as resnorm.setup() gives every notebook.

Tiny models run many times slower with two threads on a busy two-core machine, and one thread
makes results repeat to the last digit. Importing matplotlib's font manager here builds its font
cache (if missing) in the test process, so the message "Matplotlib is building the font cache"
goes to pytest's log instead of the stderr of the first notebook cell that draws.
"""

import matplotlib.font_manager  # noqa: F401  (builds the font cache here, before any notebook kernel)
import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    yield
    torch.set_num_threads(threads)

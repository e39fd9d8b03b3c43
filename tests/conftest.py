"""Shared test set-up: one CPU thread, as resnorm.setup() gives every notebook.

Tiny models run many times slower with two threads on a busy two-core machine, and one thread
makes results repeat to the last digit. Importing matplotlib's font manager here builds its font
cache (if missing) in the test process, so the message "Matplotlib is building the font cache"
goes to pytest's log instead of the stderr of the first notebook cell that draws.
"""

import os
import sys
from pathlib import Path

# Matplotlib's font cache per environment, as the Makefile sets it, also for a bare `pytest`:
# a cache shared with another (deleted) venv makes matplotlib rebuild it inside a notebook cell,
# whose stderr nbval then reports. Notebook kernels inherit this variable.
os.environ.setdefault("MPLCONFIGDIR", str(Path(sys.prefix) / "mplconfig"))

import matplotlib.font_manager  # noqa: E402, F401  (builds the font cache before any kernel draws)
import pytest  # noqa: E402
import torch  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    yield
    torch.set_num_threads(threads)

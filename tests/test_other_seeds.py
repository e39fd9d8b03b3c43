"""Every notebook's claims hold for seeds other than the ones its stored run used.

Each notebook takes its seeds from ``resnorm.seeds(n)``, which adds ``RESNORM_SEED_SHIFT``. Here
every notebook is executed in a fresh kernel with two other shifts; the stored outputs are not
compared (the numbers differ), but every ``assert`` of every claim cell must still pass.
Run only these with ``pytest -m seeds``.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from resnorm.execution import PromptKernelManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SHIFTS = (1000, 2000)


@pytest.mark.seeds
@pytest.mark.parametrize("shift", SHIFTS)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_claims_hold_with_other_seeds(notebook, shift, monkeypatch):
    monkeypatch.setenv("RESNORM_SEED_SHIFT", str(shift))
    monkeypatch.setenv("RESNORM_PROGRESS", "0")
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", kernel_manager_class=PromptKernelManager,
                            resources={"metadata": {"path": str(notebook.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{notebook.name} with RESNORM_SEED_SHIFT={shift}: a claim failed\n{error}")

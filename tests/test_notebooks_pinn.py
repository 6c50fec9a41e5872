"""Execute notebooks/04_pinn_bvp.ipynb in quick mode (BIOACT_QUICK=1)."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_04_pinn_bvp_notebook_runs():
    path = ROOT / "notebooks" / "04_pinn_bvp.ipynb"
    nb = nbformat.read(path, as_version=4)
    old = {k: os.environ.get(k) for k in ("BIOACT_QUICK", "PYTHONPATH", "MPLBACKEND")}
    os.environ.update(
        BIOACT_QUICK="1",
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), old["PYTHONPATH"]])),
    )
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

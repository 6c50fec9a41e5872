"""Execute notebooks/05_fitting.ipynb (quick mode) with nbclient."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_05_fitting_notebook_runs():
    nb = nbformat.read(ROOT / "notebooks" / "05_fitting.ipynb", as_version=4)
    env_before = os.environ.get("BIOACT_QUICK")
    os.environ["BIOACT_QUICK"] = "1"
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        if env_before is None:
            os.environ.pop("BIOACT_QUICK", None)
        else:
            os.environ["BIOACT_QUICK"] = env_before
    outputs = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "coverage over 40 draws" in outputs
    assert "non-identifiable: ('vmax', 'baseline')" in outputs

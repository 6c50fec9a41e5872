"""Execute notebooks/02_excitability.ipynb in quick mode (BIOACT_QUICK=1)."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_excitability_notebook_runs():
    nb = nbformat.read(ROOT / "notebooks" / "02_excitability.ipynb", as_version=4)
    env_before = dict(os.environ)
    os.environ["BIOACT_QUICK"] = "1"
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)

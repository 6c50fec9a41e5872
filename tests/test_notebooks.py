"""Execute every walkthrough notebook in quick mode (BIOACT_QUICK=1) and check key outputs.

The kernel inherits this process's environment; PYTHONPATH is prefixed with the repo root so a
notebook imports this checkout's bioact even without an editable install.
"""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

#: notebook -> substrings its printed outputs must contain (so a notebook that silently stops
#: computing the thing it is about fails the test)
NOTEBOOKS = {
    "01_activations.ipynb": ["max |GELU(z) - z sigmoid(1.702 z)| = 0.0203"],
    "02_excitability.ipynb": [],
    "03_feedforward_loops.ipynb": ["delay", "same F=2"],
    "04_pinn_bvp.ipynb": [],
    "05_fitting.ipynb": [
        "coverage over 40 draws",
        "non-identifiable: ('vmax', 'baseline')",
        "i1 truth inside 2-sigma intervals: True",
        "hh1952 residual sd at the truth: 0.9",
    ],
}


def test_every_notebook_is_tested():
    assert sorted(NOTEBOOKS) == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_executes(name, monkeypatch):
    monkeypatch.setenv("BIOACT_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    )
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    for expected in NOTEBOOKS[name]:
        assert expected in outputs, f"{name}: missing output {expected!r}"

"""Execute notebooks/03_feedforward_loops.ipynb in quick mode (BIOACT_QUICK=1)."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_feedforward_loops_notebook_runs():
    nb = nbformat.read(ROOT / "notebooks" / "03_feedforward_loops.ipynb", as_version=4)
    env_before = dict(os.environ)
    os.environ["BIOACT_QUICK"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env_before.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    outputs = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "delay" in outputs and "same F=2" in outputs

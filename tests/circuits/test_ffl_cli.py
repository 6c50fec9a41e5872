"""The ``bioact ffl`` command: files, columns, metrics, presets, --param, SBML, bad arguments."""

import json
from pathlib import Path

import numpy as np
import pytest

from bioact.circuits import FFL, ffl_metrics, run_protocol
from bioact.cli import main
from bioact.io import read_csv

ROOT = Path(__file__).resolve().parents[2]


def test_ffl_cli_writes_everything(tmp_path):
    out = tmp_path / "run"
    code = main(["ffl", "i1", "--logic", "and", "--protocol", "on", "--out", str(out),
                 "--param", "n=3", "--param", "k_yz=0.2", "--t-end", "8", "--points", "201",
                 "--sbml", str(out / "model.xml")])  # fmt: skip
    assert code == 0
    for name in ("trajectory.csv", "metrics.json", "pulse.png", "meta.json", "model.xml"):
        assert (out / name).is_file(), name
    data = read_csv(out / "trajectory.csv")
    assert list(data) == ["time", "x", "y", "z"] and len(data["time"]) == 201
    assert data["time"][-1] == 8.0 and np.all(data["x"] == 1.0)
    metrics = json.loads((out / "metrics.json").read_text())
    ref = ffl_metrics(run_protocol(FFL("i1", "and", n_xy=3.0, n_xz=3.0, n_yz=3.0, k_yz=0.2),
                                   "on", t_end=8.0))  # fmt: skip
    assert abs(metrics["t50"] - ref["t50"]) < 1e-9 and abs(metrics["z_ss"] - ref["z_ss"]) < 1e-12
    meta = json.loads((out / "meta.json").read_text())
    assert meta["model"]["parameters"]["n_yz"] == 3.0 and meta["protocol"]["name"] == "on"


def test_ffl_cli_preset_with_overrides(tmp_path):
    code = main(["ffl", str(ROOT / "models" / "ffl_i1_fcd.toml"), "--out", str(tmp_path),
                 "--fold", "3"])  # fmt: skip
    assert code == 0
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["protocol"] == {"name": "foldchange", "points": 201, "t_end": 10.0, "a": 0.02,
                                "fold": 3.0, "t_start": -1.0}  # fmt: skip
    data = read_csv(tmp_path / "trajectory.csv")
    assert data["x"][0] == pytest.approx(0.02) and data["x"][-1] == pytest.approx(0.06)


@pytest.mark.parametrize(
    "argv,match",
    [
        (["ffl", "c9"], "TYPE must be one of"),
        (["ffl", "c1", "--param", "k_xy=-1"], "k_xy must be > 0"),
        (["ffl", "c1", "--param", "bogus=1"], "unknown FFL parameter"),
        (["ffl", "c1", "--param", "k_xy"], "name=value"),
        (["ffl", "c1", "--logic", "xor"], "invalid choice"),
    ],
)
def test_ffl_cli_bad_arguments_exit_2(argv, match, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert match in capsys.readouterr().err

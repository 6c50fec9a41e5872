"""The command line: outputs, meta.json, exit codes and one-line errors."""

import csv
import json
import subprocess
import sys

import pytest

from bioact import activations
from bioact.cli import main


def test_activations_command_writes_csv_png_and_meta(tmp_path, capsys):
    out = tmp_path / "res"
    assert main(["activations", "--out", str(out)]) == 0
    with (out / "activations.csv").open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert list(rows[0]) == [
        "name",
        "smoothness",
        "lipschitz",
        "output_range",
        "monotone",
        "saturation",
    ]
    names = [r["name"] for r in rows]
    for required in (
        "sigmoid tanh arctan relu leaky_relu elu softplus gelu swish hill hill_repression boltzmann"
    ).split():
        assert required in names
    by = {r["name"]: r for r in rows}
    assert by["relu"]["smoothness"] == "C0" and by["tanh"]["smoothness"] == "Cinf"
    assert by["arctan"]["saturation"] == "algebraic" and by["relu"]["saturation"] == "none"
    assert float(by["softplus"]["lipschitz"]) == activations.get("softplus").lipschitz
    assert all(r["smoothness"] in {"C0", "C1", "C2", "Cinf"} for r in rows)
    assert all(r["saturation"] in {"exponential", "algebraic", "none"} for r in rows)
    png = (out / "activations.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    meta = json.loads((out / "meta.json").read_text())
    assert meta["command"].startswith("bioact activations")
    assert meta["parameters"]["out"] == str(out)
    assert meta["versions"]["jax"] and meta["versions"]["bioact"]
    assert meta["wall_time_s"] > 0
    assert 0.020 < meta["gelu_sigmoid_max_abs_deviation"] < 0.021
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["activations"], "the following arguments are required: --out"),
        (["nonsense", "--out", "x"], "invalid choice: 'nonsense'"),
        (["activations", "--out", "x", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_console_entry_point_no_traceback(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "bioact", "activations", "--out"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.strip().startswith("bioact: error:") and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1

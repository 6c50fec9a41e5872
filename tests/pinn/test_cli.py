"""``bioact pinn``: files, columns, exit codes."""

import json

import numpy as np

from bioact.cli import main
from bioact.io import read_csv

QUICK = ["--width", "16", "--adam-steps", "200", "--lbfgs-steps", "300", "--n-collocation", "32"]


def test_pinn_command_writes_solution_metrics_plot(tmp_path):
    out = tmp_path / "run"
    assert main(["pinn", "poisson_sin", "--activation", "tanh", "--out", str(out), *QUICK]) == 0
    data = read_csv(out / "solution.csv")
    assert list(data) == ["x", "u_pinn", "u_ref"]
    np.testing.assert_allclose(data["u_ref"], np.sin(np.pi * data["x"]), atol=1e-15)
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("rel_l2", "max_err", "residual", "iterations", "wall_s", "compile_s"):
        assert key in metrics
    assert metrics["rel_l2"] < 1e-3
    rel = np.linalg.norm(data["u_pinn"] - data["u_ref"]) / np.linalg.norm(data["u_ref"])
    assert abs(rel - metrics["rel_l2"]) < 1e-12
    assert (out / "solution.png").stat().st_size > 10_000
    meta = json.loads((out / "meta.json").read_text())
    assert meta["metrics"]["rel_l2"] == metrics["rel_l2"]


def test_nonsmooth_activation_exit_code_2(tmp_path, capsys):
    code = main(["pinn", "poisson_sin", "--activation", "relu", "--out", str(tmp_path), *QUICK])
    assert code == 2
    err = capsys.readouterr().err
    assert "vanishes almost everywhere" in err and "--allow-nonsmooth" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["pinn", "nope", "--out", str(tmp_path)]) == 2
    assert main(["pinn", "poisson_sin", "--compare", "tanh,relu", "--out", str(tmp_path)]) == 2


def test_compare_runs_each_activation(tmp_path):
    out = tmp_path / "cmp"
    args = [
        "pinn",
        "poisson_sin",
        "--compare",
        "tanh,relu",
        "--allow-nonsmooth",
        "--out",
        str(out),
        *QUICK,
    ]
    assert main(args) == 0
    table = read_csv(out / "compare.csv")
    assert list(table) == ["evaluation", "rel_l2_tanh", "rel_l2_relu"]
    summary = json.loads((out / "compare.json").read_text())
    assert summary["relu"]["rel_l2"] > 0.1 > 100 * summary["tanh"]["rel_l2"]
    assert (out / "compare.png").is_file()

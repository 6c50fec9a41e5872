"""`bioact fit MODEL DATA.csv`: files, JSON schema, TOML round trip, exit codes."""

import json

import numpy as np
import pytest
from scipy.optimize import curve_fit

from bioact.cli import main
from bioact.fit import BoltzmannGate, HillDoseResponse, fit, load_model, predict_boltzmann
from bioact.io import read_csv, read_toml, write_csv


def test_cli_hill_weighted(root, gen, tmp_path):
    out = tmp_path / "hill"
    data = root / "data" / "hill_dose_response.csv"
    assert main(["fit", "hill_dose_response", str(data), "--out", str(out), "--starts", "1"]) == 0
    for name in ("fit.json", "fit.png", "fitted_model.toml", "meta.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0
    summary = json.loads((out / "fit.json").read_text())
    assert set(summary["estimates"]) == {"k", "n", "vmax", "baseline"}
    assert set(summary["stderr"]) == set(summary["estimates"])
    assert summary["correlation"]["k"]["k"] == pytest.approx(1.0)
    assert summary["diagnostics"]["weighted"] is True  # the sigma column was used
    d = read_csv(data)
    p, cov = curve_fit(
        gen.hill_true, d["x"], d["y"], p0=[1, 1, 1, 0], sigma=d["sigma"], absolute_sigma=True
    )
    for i, n in enumerate(["k", "n", "vmax", "baseline"]):
        assert summary["estimates"][n] == pytest.approx(p[i], rel=1e-5)
        assert summary["stderr"][n] == pytest.approx(np.sqrt(cov[i, i]), rel=2e-3)
    toml = read_toml(out / "fitted_model.toml")
    assert toml["model"]["name"] == "hill_dose_response"
    assert toml["parameters"]["k"] == pytest.approx(summary["estimates"]["k"])
    model = load_model(out / "fitted_model.toml")
    assert isinstance(model, HillDoseResponse)
    assert float(model.n) == pytest.approx(summary["estimates"]["n"])
    # restarting from the fitted file lands on the same optimum
    out2 = tmp_path / "again"
    assert (
        main(
            [
                "fit",
                "hill_dose_response",
                str(data),
                "--out",
                str(out2),
                "--starts",
                "1",
                "--init",
                str(out / "fitted_model.toml"),
            ]
        )
        == 0
    )
    again = json.loads((out2 / "fit.json").read_text())
    for n, v in summary["estimates"].items():
        assert again["estimates"][n] == pytest.approx(v, rel=1e-6)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["command"].startswith("bioact fit hill_dose_response")


def test_cli_boltzmann_subset_of_params(root, tmp_path):
    out = tmp_path / "gate"
    data = root / "data" / "boltzmann_gate.csv"
    code = main(
        [
            "fit",
            "boltzmann_gate",
            str(data),
            "--out",
            str(out),
            "--params",
            "v_half",
            "--starts",
            "2",
        ]
    )
    assert code == 0
    summary = json.loads((out / "fit.json").read_text())
    assert list(summary["estimates"]) == ["v_half"]
    assert summary["diagnostics"]["n_starts"] == 2
    # k stayed at the data-driven initial guess (span/10 = 10 mV), written unchanged
    assert read_toml(out / "fitted_model.toml")["parameters"]["k"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    "args,match",
    [
        (["fit", "no_such_model", "DATA"], "unknown MODEL"),
        (["fit", "boltzmann_gate", "MISSING.csv"], "existing CSV"),
        (["fit", "boltzmann_gate", "WRONGCOLS"], "lacks column"),
        (["fit", "boltzmann_gate", "DATA", "--params", "v_half,slope"], "unknown parameter"),
        (["fit", "boltzmann_gate", "NAN"], "NaN"),
        (["fit", "boltzmann_gate", "DATA", "--starts", "0"], "--starts"),
    ],
)
def test_cli_bad_arguments_exit_2(root, tmp_path, capsys, args, match):
    good = root / "data" / "boltzmann_gate.csv"
    wrong = write_csv(tmp_path / "wrong.csv", {"x": [1.0, 2.0], "y": [0.1, 0.2]})
    nan = write_csv(tmp_path / "nan.csv", {"v": [-50.0, -40.0, -30.0], "y": [0.1, np.nan, 0.8]})
    subs = {
        "DATA": str(good),
        "WRONGCOLS": str(wrong),
        "NAN": str(nan),
        "MISSING.csv": str(tmp_path / "missing.csv"),
    }
    argv = [subs.get(a, a) for a in args] + ["--out", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and len(err.strip().splitlines()) == 1


def test_to_toml_roundtrip_unregistered_name(tmp_path):
    v = np.linspace(-80.0, 0.0, 17)
    y = np.asarray(predict_boltzmann(BoltzmannGate(v_half=-35.0, k=6.0), v))
    res = fit(
        BoltzmannGate(v_half=-40.0, k=5.0), (v, y), ["v_half", "k"], predict=predict_boltzmann
    )
    path = res.to_toml(tmp_path / "gate.toml", name="my_gate")
    doc = read_toml(path)
    assert doc["fit"]["params"] == ["v_half", "k"]
    assert set(doc["fit"]["stderr"]) == {"v_half", "k"}
    model = load_model(path)  # not registered: built from [model].class
    assert isinstance(model, BoltzmannGate)
    assert float(model.v_half) == pytest.approx(-35.0, abs=1e-8)

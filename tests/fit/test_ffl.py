"""Worked case 3: rates and a threshold of an I1-FFL (AND) from a noisy step-ON pulse of Z.

The committed data (data/ffl_i1_pulse.csv) come from data/generate.py, which integrates the
FFL with scipy's DOP853 (independent of bioact). The fit is cross-checked against
scipy.optimize.curve_fit on that reference ODE (finite-difference Jacobians). All fits use
the same predict function, parameter list and one start, so they share one compilation.
"""

import json
import subprocess
import sys

import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import curve_fit

from bioact.circuits import FFL
from bioact.cli import main
from bioact.fit import fit, load_model
from bioact.fit.ffl import FFL_FIT_TRANSFORMS, ffl_predictor
from bioact.io import read_csv, write_csv

NAMES = ["beta_z", "alpha_z", "k_yz"]


@pytest.fixture(scope="module")
def data(root):
    return read_csv(root / "data" / "ffl_i1_pulse.csv")


@pytest.fixture(scope="module")
def result(data, gen):
    guess = FFL("i1", "and", **{**gen.FFL_FIXED, "beta_z": 1.0, "alpha_z": 0.5, "k_yz": 0.5})
    return fit(
        guess,
        (data["time"], data["z"]),
        NAMES,
        predict=ffl_predictor("on"),
        transforms={n: FFL_FIT_TRANSFORMS[n] for n in NAMES},
        model_name="i1",
    )


def test_predict_matches_scipy_reference(gen):
    ts = gen.ffl_t()
    model = FFL("i1", "and", **gen.FFL_FIXED, **gen.FFL_TRUTH)
    ref = gen.ffl_i1_true(ts, **gen.FFL_TRUTH)
    np.testing.assert_allclose(ffl_predictor("on")(model, ts), ref[:, 1], rtol=0, atol=1e-7)
    both = ffl_predictor("on", ("y", "z"))(model, ts)
    np.testing.assert_allclose(both, ref, rtol=0, atol=1e-7)


def test_recovers_truth_and_matches_curve_fit(result, data, gen):
    assert result.converged, result.message
    assert not result.non_identifiable
    p, cov = curve_fit(
        lambda t, *q: gen.ffl_i1_true(t, *q)[:, 1],
        data["time"],
        data["z"],
        p0=[1.0, 0.5, 0.5],
    )
    se = np.sqrt(np.diag(cov))
    for i, name in enumerate(NAMES):
        lo, hi = result.interval(name, 2.0)
        truth = gen.FFL_TRUTH[name]
        assert lo < truth < hi, (name, result.estimates[name], result.stderr[name], truth)
        assert result.estimates[name] == pytest.approx(p[i], rel=1e-5)
        assert result.stderr[name] == pytest.approx(se[i], rel=1e-3)
    np.testing.assert_allclose(result.correlation, cov / np.outer(se, se), atol=1e-3)
    # identifiable, though alpha_z and k_yz are strongly correlated (both set the decay)
    off = np.abs(result.correlation[np.triu_indices(3, 1)])
    assert np.all(off < 0.98), result.correlation
    # the residual sd estimates the generating noise sd
    s = np.sqrt(result.cov_info["residual_variance"])
    assert s == pytest.approx(gen.FFL_SIGMA, rel=0.35)


def test_k_xz_only_enters_with_beta_z(gen):
    """After a step ON, X* is constant: k_xz only scales beta_z (a null direction)."""
    ts = jnp.asarray(gen.ffl_t())
    base = FFL("i1", "and", **gen.FFL_FIXED, **gen.FFL_TRUTH)
    f = base.k_xz**2 + 1.0  # f_xz(1) = 1/(1 + k_xz^2) with n_xz = 2, x_total = 1
    other = base.replace(k_xz=0.5, beta_z=gen.FFL_TRUTH["beta_z"] * (1.25 / f))
    predict = ffl_predictor("on")
    np.testing.assert_allclose(predict(other, ts), predict(base, ts), rtol=1e-9, atol=1e-12)


def test_cli_i1(result, root, tmp_path):
    out = tmp_path / "i1"
    csv = root / "data" / "ffl_i1_pulse.csv"
    argv = ["fit", "i1", str(csv), "--logic", "and", "--protocol", "on", "--starts", "1"]
    assert main([*argv, "--out", str(out)]) == 0
    summary = json.loads((out / "fit.json").read_text())
    assert set(summary["estimates"]) == set(NAMES)
    for n in NAMES:
        assert summary["estimates"][n] == pytest.approx(result.estimates[n], rel=1e-6)
        assert summary["stderr"][n] == pytest.approx(result.stderr[n], rel=1e-4)
    model = load_model(out / "fitted_model.toml", {"logic": "and"})
    assert isinstance(model, FFL) and model.ffl_type == "i1"
    assert float(model.k_yz) == pytest.approx(result.estimates["k_yz"])
    assert (out / "fit.png").stat().st_size > 0


@pytest.mark.slow
def test_cli_fits_y_and_z_together(gen, tmp_path):
    d = gen.draw_ffl_i1(np.random.default_rng(7), with_y=True)
    csv = tmp_path / "yz.csv"
    write_csv(csv, d)
    out = tmp_path / "out"
    assert main(["fit", "i1", str(csv), "--starts", "1", "--out", str(out)]) == 0
    summary = json.loads((out / "fit.json").read_text())
    assert summary["diagnostics"]["n_data"] == 2 * len(d["time"])
    for n in NAMES:
        est, se = summary["estimates"][n], summary["stderr"][n]
        assert abs(est - gen.FFL_TRUTH[n]) < 2 * se, (n, est, se)


def test_cli_ffl_bad_column(root, tmp_path):
    csv = tmp_path / "bad.csv"
    write_csv(csv, {"time": np.arange(5.0), "x": np.ones(5)})
    assert main(["fit", "i1", str(csv), "--out", str(tmp_path / "o")]) == 2


@pytest.mark.slow
def test_float32_subprocess(result, root):
    """The same fit in float32 (BIOACT_X64=0) lands within 0.1 standard error of float64's."""
    code = (
        "import jax, json\n"
        "from bioact.circuits import FFL\n"
        "from bioact.fit import fit\n"
        "from bioact.fit.ffl import ffl_predictor\n"
        "from bioact.io import read_csv\n"
        "assert not jax.config.jax_enable_x64\n"
        "d = read_csv('data/ffl_i1_pulse.csv')\n"
        "names = ['beta_z', 'alpha_z', 'k_yz']\n"
        "guess = FFL('i1', 'and', beta_z=1.0, alpha_z=0.5, k_yz=0.5)\n"
        "r = fit(guess, (d['time'], d['z']), names, predict=ffl_predictor('on'),"
        " transforms=dict.fromkeys(names, 'log'))\n"
        "assert r.converged, r.message\n"
        "print(json.dumps(r.estimates))\n"
    )
    env = {"BIOACT_X64": "0", "PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    env["JAX_PLATFORMS"] = "cpu"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    est = json.loads(out.stdout.strip().splitlines()[-1])
    for n in NAMES:
        assert abs(est[n] - result.estimates[n]) < 0.1 * result.stderr[n], (n, est[n])

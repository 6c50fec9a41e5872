"""Worked case 4: neuron conductances from a voltage trace (HH) and from an f-I curve (ML Type I).

The committed data come from data/generate.py, which integrates both models with scipy's
DOP853 (spike times by scipy's event detection) -- independent of bioact. Each fit is
cross-checked against scipy.optimize.least_squares with finite-difference Jacobians on the
same residual function. The f-I tests check that the gradient of the smooth rate estimator
(bioact.fit.neuron.smooth_rate: interpolated crossing times) is useful: it matches a central
finite difference of the estimator and a Gauss-Newton step along it lowers the loss.
"""

import json
import subprocess
import sys

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import least_squares

import bioact.neuron as bn
from bioact.cli import main
from bioact.fit import fit, load_model, set_params
from bioact.fit.neuron import fi_rate_predictor, smooth_rate, voltage_trace_predictor
from bioact.io import read_csv

HH_NAMES = ["g_na", "g_k", "g_l"]


@pytest.fixture(scope="module")
def hh_data(root):
    return read_csv(root / "data" / "hh_voltage_trace.csv")


@pytest.fixture(scope="module")
def ml_data(root):
    return read_csv(root / "data" / "ml_fi_curve.csv")


@pytest.fixture(scope="module")
def hh_result(hh_data, gen):
    # start from the hh1952 preset (120, 36, 0.3); truth is (110, 33, 0.25)
    return fit(
        bn.load_model("hh1952"),
        (hh_data["time"], hh_data["v"]),
        HH_NAMES,
        predict=voltage_trace_predictor(gen.HH_CURRENT),
        model_name="hh1952",
    )


def _ml_fit(ml_data):
    return fit(
        bn.load_model("morris_lecar_type1"),  # g_ca = 4.0; truth 4.2
        (ml_data["current"], ml_data["rate_hz"]),
        ["g_ca"],
        predict=fi_rate_predictor(),
        rtol=1e-5,
        atol=1e-5,
        model_name="morris_lecar_type1",
    )


@pytest.fixture(scope="module")
def ml_result(ml_data):
    return _ml_fit(ml_data)


def _scipy_fd_fit(model, names, predict, x, y, p0):
    """scipy least_squares, 2-point finite-difference Jacobian, on the same residual."""
    f = eqx.filter_jit(lambda m, p: predict(set_params(m, dict(zip(names, p))), x) - y)
    return least_squares(
        lambda p: np.asarray(f(model, jnp.asarray(p))),
        p0,
        x_scale=np.abs(p0),
        diff_step=1e-6,
        xtol=1e-10,
        ftol=1e-10,
    )


def test_trace_matches_scipy_reference(gen):
    ts = gen.hh_t()
    model = bn.HodgkinHuxley(**gen.HH_FIXED, **gen.HH_TRUTH)
    v = voltage_trace_predictor(gen.HH_CURRENT)(model, ts)
    ref = gen.hh_true(ts, **gen.HH_TRUTH)
    assert np.max(ref) > 20 and np.sum((ref[:-1] < 0) & (ref[1:] >= 0)) == 2  # two spikes
    np.testing.assert_allclose(v, ref, rtol=0, atol=1e-3)


def test_hh_recovers_truth_and_matches_scipy_fd(hh_result, hh_data, gen):
    r = hh_result
    assert r.converged, r.message
    assert not r.non_identifiable
    for name in HH_NAMES:
        lo, hi = r.interval(name, 2.0)
        assert lo < gen.HH_TRUTH[name] < hi, (name, r.estimates[name], r.stderr[name])
    assert np.sqrt(r.cov_info["residual_variance"]) == pytest.approx(gen.HH_SIGMA, rel=0.15)
    predict = voltage_trace_predictor(gen.HH_CURRENT)
    p0 = np.array([120.0, 36.0, 0.3])
    ref = _scipy_fd_fit(bn.load_model("hh1952"), HH_NAMES, predict, hh_data["time"],
                        hh_data["v"], p0)  # fmt: skip
    assert ref.success
    for i, name in enumerate(HH_NAMES):
        assert r.estimates[name] == pytest.approx(ref.x[i], abs=0.01 * r.stderr[name])
    assert r.rss == pytest.approx(2 * ref.cost, rel=1e-6)


def test_smooth_rate_of_a_sine_and_its_period_derivative():
    dt = 0.1
    t = jnp.arange(0.0, 1000.0, dt)

    def rate(period):
        return smooth_rate(jnp.sin(2 * jnp.pi * t / period), dt, transient=100.0)

    for period in (37.0, 50.0):
        assert float(rate(period)) == pytest.approx(1000.0 / period, rel=1e-4)
        # d(1000/P)/dP = -1000/P^2: the gradient flows through the crossing times
        assert float(jax.grad(rate)(period)) == pytest.approx(-1000.0 / period**2, rel=1e-3)
    assert float(smooth_rate(jnp.full(100, -60.0), dt)) == 0.0  # no spikes -> 0, not NaN


def test_fi_rates_match_scipy_events(ml_data, gen):
    model = bn.load_model("morris_lecar_type1")
    model = set_params(model, gen.ML_TRUTH)
    currents = ml_data["current"]
    rates = fi_rate_predictor()(model, currents)
    ref = gen.ml_true(currents, **gen.ML_TRUTH)
    np.testing.assert_allclose(rates, ref, rtol=0, atol=0.02)


def test_fi_gradient_is_useful(ml_data, ml_result):
    """Spike counts have zero gradient; the interpolated-crossing rate's gradient matches a
    finite difference of the estimator (per current and for the loss) and a Gauss-Newton step
    along it lowers the loss. The estimator jumps where a crossing enters or leaves the
    counting window; the jumps are tiny (< 1e-3 Hz, vs noise 0.3 Hz), so the finite
    difference uses h = 1e-2 mS/cm^2, over which they are negligible."""
    base = bn.load_model("morris_lecar_type1")
    x, y = jnp.asarray(ml_data["current"]), jnp.asarray(ml_data["rate_hz"])
    predict = fi_rate_predictor()

    @jax.jit
    def rates(g):
        return predict(eqx.tree_at(lambda m: m.g_ca, base, g), x)

    def loss(g):
        return 0.5 * float(jnp.sum((rates(g) - y) ** 2))

    jac = jax.jit(jax.jacfwd(rates))
    h = 1e-2
    for g in (3.9, 4.0, 4.3):
        j, r = np.asarray(jac(g)), np.asarray(rates(g)) - np.asarray(y)
        fd_rates = (np.asarray(rates(g + h)) - np.asarray(rates(g - h))) / (2 * h)
        assert np.all(np.abs(j - fd_rates) <= 0.1 + 0.05 * np.abs(fd_rates)), (g, j, fd_rates)
        # Ca speeds firing near rheobase and slows it near depolarisation block
        assert j[0] > 1.0 and j[-1] < -1.0
        grad = float(j @ r)
        fd = (loss(g + h) - loss(g - h)) / (2 * h)
        assert np.sign(grad) == np.sign(fd) and grad == pytest.approx(fd, rel=0.05), (g, fd)
        # one Gauss-Newton step lowers the loss and closes >= 75% of the gap to the optimum
        g_new = g - grad / float(j @ j)
        assert loss(g_new) < loss(g), (g, loss(g), loss(g_new))
        g_hat = ml_result.estimates["g_ca"]
        assert abs(g_new - g_hat) < 0.25 * abs(g - g_hat), (g, g_new, g_hat)


def test_ml_recovers_truth_and_matches_scipy_fd(ml_result, ml_data, gen):
    r = ml_result
    assert r.converged, r.message
    lo, hi = r.interval("g_ca", 2.0)
    assert lo < gen.ML_TRUTH["g_ca"] < hi, (r.estimates, r.stderr)
    assert np.sqrt(r.cov_info["residual_variance"]) == pytest.approx(gen.ML_SIGMA, rel=0.5)
    ref = least_squares(
        lambda p: (
            np.asarray(
                fi_rate_predictor()(
                    set_params(bn.load_model("morris_lecar_type1"), {"g_ca": p[0]}),
                    ml_data["current"],
                )
            )
            - ml_data["rate_hz"]
        ),
        [4.0],
        diff_step=1e-4,
        xtol=1e-8,
    )
    assert ref.success
    assert r.estimates["g_ca"] == pytest.approx(ref.x[0], abs=0.01 * r.stderr["g_ca"])


def test_cli_hh1952_trace(hh_result, root, tmp_path):
    out = tmp_path / "hh"
    csv = root / "data" / "hh_voltage_trace.csv"
    argv = ["fit", "hh1952", str(csv), "--current", "10", "--params", "g_na,g_k,g_l"]
    assert main([*argv, "--starts", "1", "--out", str(out)]) == 0
    summary = json.loads((out / "fit.json").read_text())
    for n in HH_NAMES:
        assert summary["estimates"][n] == pytest.approx(hh_result.estimates[n], rel=1e-6)
        assert summary["stderr"][n] == pytest.approx(hh_result.stderr[n], rel=1e-4)
    model = load_model(out / "fitted_model.toml")
    assert isinstance(model, bn.HodgkinHuxley)
    assert float(model.g_k) == pytest.approx(hh_result.estimates["g_k"])
    assert (out / "fit.png").stat().st_size > 0
    # a voltage trace without --current is a usage error (exit 2)
    assert main(["fit", "hh1952", str(csv), "--out", str(tmp_path / "x")]) == 2


@pytest.mark.slow
def test_cli_morris_lecar_fi(ml_result, root, tmp_path):
    out = tmp_path / "ml"
    csv = root / "data" / "ml_fi_curve.csv"
    argv = ["fit", "morris_lecar_type1", str(csv), "--params", "g_ca", "--starts", "1"]
    assert main([*argv, "--out", str(out)]) == 0
    summary = json.loads((out / "fit.json").read_text())
    assert summary["estimates"]["g_ca"] == pytest.approx(ml_result.estimates["g_ca"], rel=1e-6)
    assert isinstance(load_model(out / "fitted_model.toml"), bn.MorrisLecar)


@pytest.mark.slow
def test_float32_subprocess(root, gen):
    """float32 (BIOACT_X64=0): the HH trace follows the scipy reference and the ML f-I rates
    and their forward-mode gradients match the scipy reference and float64 in sign."""
    code = (
        "import jax, json, numpy as np, jax.numpy as jnp, equinox as eqx\n"
        "import bioact.neuron as bn\n"
        "from bioact.fit.neuron import voltage_trace_predictor, fi_rate_predictor\n"
        "assert not jax.config.jax_enable_x64\n"
        "m = bn.HodgkinHuxley(g_na=110.0, g_k=33.0, g_l=0.25)\n"
        "v = voltage_trace_predictor(10.0)(m, jnp.linspace(0.0, 30.0, 301))\n"
        "ml = bn.load_model('morris_lecar_type1')\n"
        "f = lambda g: fi_rate_predictor()(eqx.tree_at(lambda q: q.g_ca, ml, g),"
        " jnp.array([50.0, 80.0]))\n"
        "r, dr = jax.jvp(f, (jnp.float32(4.2),), (jnp.float32(1.0),))\n"
        "print(json.dumps({'v': np.asarray(v).tolist(), 'r': np.asarray(r).tolist(),"
        " 'dr': np.asarray(dr).tolist()}))\n"
    )
    env = {"BIOACT_X64": "0", "PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    env["JAX_PLATFORMS"] = "cpu"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    ref = gen.hh_true(gen.hh_t(), **gen.HH_TRUTH)
    np.testing.assert_allclose(got["v"], ref, rtol=0, atol=0.5)
    np.testing.assert_allclose(got["r"], gen.ml_true(np.array([50.0, 80.0]), 4.2), atol=0.05)
    assert np.all(np.isfinite(got["dr"])) and got["dr"][0] > 0 > got["dr"][1]

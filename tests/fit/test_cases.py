"""Worked cases on the committed data files, each checked against scipy.optimize.curve_fit
(an independent optimiser with finite-difference Jacobians) and against the known truth."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.optimize import curve_fit

from bioact.fit import (
    BoltzmannGate,
    HillDoseResponse,
    LogisticGrowth,
    fit,
    logistic_analytic,
    predict_boltzmann,
    predict_hill,
    predict_logistic,
)
from bioact.io import read_csv


def _check_truth_and_scipy(res, truth, scipy_p, scipy_cov, rtol_p=1e-5, rtol_se=2e-3):
    assert res.converged, res.message
    se_ref = np.sqrt(np.diag(scipy_cov))
    for i, name in enumerate(res.names):
        lo, hi = res.interval(name, 2.0)
        assert lo < truth[name] < hi, (name, res.estimates[name], res.stderr[name], truth[name])
        assert res.estimates[name] == pytest.approx(scipy_p[i], rel=rtol_p, abs=1e-9)
        assert res.stderr[name] == pytest.approx(se_ref[i], rel=rtol_se)
    corr_ref = scipy_cov / np.outer(se_ref, se_ref)
    np.testing.assert_allclose(res.correlation, corr_ref, atol=2e-3)


def test_hill_dose_response_weighted(root, gen):
    d = read_csv(root / "data" / "hill_dose_response.csv")
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=0.8, baseline=0.0)
    names = ["k", "n", "vmax", "baseline"]
    res = fit(guess, (d["x"], d["y"], d["sigma"]), names, predict=predict_hill)
    assert res.weighted
    p, cov = curve_fit(
        gen.hill_true,
        d["x"],
        d["y"],
        p0=[1.0, 1.0, 0.8, 0.0],
        sigma=d["sigma"],
        absolute_sigma=True,
    )
    _check_truth_and_scipy(res, gen.HILL_TRUTH, p, cov)
    # chi^2 per degree of freedom is consistent with the stated noise
    assert 0.2 < res.rss / (res.n_data - 4) < 2.5


def test_boltzmann_gate_unweighted(root, gen):
    d = read_csv(root / "data" / "boltzmann_gate.csv")
    res = fit(
        BoltzmannGate(v_half=-50.0, k=3.0),
        (d["v"], d["y"]),
        ["v_half", "k"],
        predict=predict_boltzmann,
    )
    assert not res.weighted
    p, cov = curve_fit(gen.boltzmann_true, d["v"], d["y"], p0=[-50.0, 3.0])
    _check_truth_and_scipy(res, gen.BOLTZMANN_TRUTH, p, cov)
    # residual sd estimates the generating noise sd
    assert np.sqrt(res.cov_info["residual_variance"]) == pytest.approx(gen.BOLTZMANN_SIGMA, rel=0.4)


def test_simulate_matches_logistic_closed_form():
    ts = jnp.linspace(0.0, 12.0, 25)
    model = LogisticGrowth(r=0.9, capacity=1.6, x0=0.05)
    np.testing.assert_allclose(
        jax.jit(predict_logistic)(model, ts), logistic_analytic(model, ts), rtol=0, atol=1e-8
    )

    # forward-mode sensitivities through the diffrax solve equal the closed-form derivatives
    def through_solver(p):
        return predict_logistic(LogisticGrowth(r=p[0], capacity=p[1], x0=p[2]), ts)

    def closed(p):
        return logistic_analytic(LogisticGrowth(r=p[0], capacity=p[1], x0=p[2]), ts)

    p = jnp.array([0.9, 1.6, 0.05])
    jac_solver = jax.jit(jax.jacfwd(through_solver))(p)
    np.testing.assert_allclose(jac_solver, jax.jacfwd(closed)(p), atol=1e-6)


@pytest.mark.slow
def test_logistic_growth_through_simulate(root, gen):
    d = read_csv(root / "data" / "logistic_growth.csv")
    guess = LogisticGrowth(r=0.5, capacity=1.0, x0=0.1)
    res = fit(guess, (d["time"], d["x"]), ["r", "capacity", "x0"], predict=predict_logistic)
    p, cov = curve_fit(
        lambda t, r, c, x0: gen.logistic_true(t, r, c, x0), d["time"], d["x"], p0=[0.5, 1.0, 0.1]
    )
    _check_truth_and_scipy(res, gen.LOGISTIC_TRUTH, p, cov, rtol_p=1e-5, rtol_se=5e-3)


@pytest.mark.slow
def test_simulate_default_adjoint_needs_reverse_mode():
    """simulate's default (reverse-mode) adjoint: jac='fwd' explains itself, jac='bwd' fits."""
    import bioact

    ts = jnp.linspace(0.0, 6.0, 7)
    truth = LogisticGrowth(r=0.8, capacity=2.0, x0=0.1)

    def predict(model, t):
        return bioact.simulate(model, t[-1], ts=t, rtol=1e-9, atol=1e-9, throw=False)["x"]

    guess = LogisticGrowth(r=0.5, capacity=2.0, x0=0.1)
    data = (ts, logistic_analytic(truth, ts))
    with pytest.raises(ValueError, match="ForwardMode"):
        fit(guess, data, ["r"], predict=predict)
    res = fit(guess, data, ["r"], predict=predict, jac="bwd")
    assert res.estimates["r"] == pytest.approx(0.8, rel=1e-6)

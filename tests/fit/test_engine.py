"""Engine: exact recovery, frozen fields, multi-start, methods, errors, identifiability."""

import subprocess
import sys
import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.errors import ConvergenceError
from bioact.fit import (
    BoltzmannGate,
    HillDoseResponse,
    fit,
    get_param,
    predict_boltzmann,
    predict_hill,
    set_params,
)

X = jnp.logspace(-1, 1.3, 14)
TRUTH = HillDoseResponse(k=2.0, n=1.5, vmax=1.2, baseline=0.1)
Y = predict_hill(TRUTH, X)


def test_noise_free_recovery_and_frozen_fields():
    guess = HillDoseResponse(k=0.7, n=1.0, vmax=1.0, baseline=0.1)
    res = fit(guess, (X, Y), ["k", "n", "vmax"], predict=predict_hill)
    assert res.converged
    for name in ("k", "n", "vmax"):
        assert res.estimates[name] == pytest.approx(float(getattr(TRUTH, name)), rel=1e-9)
    assert float(res.model.baseline) == 0.1  # frozen: untouched
    assert res.rss < 1e-20
    assert res.fitted.shape == Y.shape
    np.testing.assert_allclose(res.curve(X), Y, atol=1e-10)
    assert res.n_steps > 0 and res.n_evaluations >= res.n_steps


def test_adam_reaches_lm_optimum():
    rng = np.random.default_rng(0)
    y = np.asarray(Y) + 0.02 * rng.normal(size=Y.shape)
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=1.0, baseline=0.0)
    names = ["k", "n", "vmax", "baseline"]
    lm = fit(guess, (X, y), names, predict=predict_hill)
    adam = fit(guess, (X, y), names, predict=predict_hill, method="adam", max_steps=4000)
    assert adam.rss == pytest.approx(lm.rss, rel=1e-4)
    for n in names:
        assert adam.estimates[n] == pytest.approx(lm.estimates[n], abs=0.05 * lm.stderr[n])


def test_reverse_mode_jacobian_matches_forward():
    rng = np.random.default_rng(1)
    y = np.asarray(Y) + 0.02 * rng.normal(size=Y.shape)
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=1.0)
    fwd = fit(guess, (X, y), ["k", "n", "vmax"], predict=predict_hill)
    bwd = fit(guess, (X, y), ["k", "n", "vmax"], predict=predict_hill, jac="bwd")
    for n in fwd.names:
        assert bwd.estimates[n] == pytest.approx(fwd.estimates[n], rel=1e-7)
        assert bwd.stderr[n] == pytest.approx(fwd.stderr[n], rel=1e-6)


def test_multistart_counts_and_is_deterministic():
    v = jnp.linspace(-80.0, 0.0, 17)
    y = predict_boltzmann(BoltzmannGate(v_half=-35.0, k=6.0), v)
    guess = BoltzmannGate(v_half=-40.0, k=5.0)
    a = fit(guess, (v, y), ["v_half", "k"], predict=predict_boltzmann, n_starts=6, seed=3)
    b = fit(guess, (v, y), ["v_half", "k"], predict=predict_boltzmann, n_starts=6, seed=3)
    assert a.n_starts == 6 and 1 <= a.n_starts_at_best <= 6
    np.testing.assert_array_equal(a.start_rss, b.start_rss)
    assert a.estimates["v_half"] == pytest.approx(-35.0, abs=1e-8)
    assert a.n_starts_at_best == int(np.sum(a.start_rss <= a.rss * (1 + 1e-6) + 1e-12))


def test_multistart_escapes_a_flat_start():
    # v_half = +200 mV: the gate is ~0 at every test potential, so the single start stalls on
    # the plateau (and says its parameters are not identifiable there); other starts escape
    v = jnp.linspace(-80.0, 0.0, 17)
    y = predict_boltzmann(BoltzmannGate(v_half=-35.0, k=6.0), v)
    guess = BoltzmannGate(v_half=200.0, k=5.0)
    with pytest.warns(UserWarning, match="not identifiable"):
        single = fit(guess, (v, y), ["v_half", "k"], predict=predict_boltzmann)
    assert single.rss > 1.0
    multi = fit(
        guess, (v, y), ["v_half", "k"], predict=predict_boltzmann, n_starts=16, start_spread=1.5
    )
    assert multi.rss < 1e-20
    assert 1 <= multi.n_starts_at_best < 16
    assert multi.estimates["v_half"] == pytest.approx(-35.0, abs=1e-6)


def test_sigmoid_bounded_parameter_stays_inside():
    # truth vmax = 1.2 lies outside the bounds (0, 1): the estimate approaches, never crosses, 1
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=0.5, baseline=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit(
            guess,
            (X, Y),
            ["k", "n", "vmax"],
            predict=predict_hill,
            transforms={"vmax": ("sigmoid", 0.0, 1.0)},
        )
    assert 0.0 < res.estimates["vmax"] < 1.0
    assert res.transforms["vmax"] == "sigmoid(0, 1)"


def test_weighted_fit_uses_sigma():
    rng = np.random.default_rng(2)
    sigma = 0.01 + 0.1 * np.asarray(Y)
    y = np.asarray(Y) + sigma * rng.normal(size=Y.shape)
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=1.0, baseline=0.0)
    names = ["k", "n", "vmax", "baseline"]
    w = fit(guess, (X, y, sigma), names, predict=predict_hill)
    u = fit(guess, (X, y), names, predict=predict_hill)
    assert w.weighted and not u.weighted
    assert w.rss == pytest.approx(np.sum(((w.fitted - y) / sigma) ** 2), rel=1e-10)
    assert w.estimates["k"] != pytest.approx(u.estimates["k"], rel=1e-6)


def test_residual_function_path_and_nested_names():
    class Pair(eqx.Module):
        inner: HillDoseResponse
        offset: jax.Array = eqx.field(converter=jnp.asarray, default=0.0)

    def residual(model, data):
        x, y = data
        return model.inner(x) + model.offset - y

    model = Pair(inner=HillDoseResponse(k=1.0, n=1.0, vmax=1.2, baseline=0.0), offset=0.1)
    res = fit(model, (X, Y), ["inner.k", "inner.n"], residual=residual)
    assert res.estimates["inner.k"] == pytest.approx(2.0, rel=1e-8)
    assert float(get_param(res.model, "inner.n")) == pytest.approx(1.5, rel=1e-8)
    with pytest.raises(ValueError, match="predict="):
        res.curve(X)


def test_set_params_replaces_only_named():
    m = set_params(TRUTH, {"k": 3.0})
    assert float(m.k) == 3.0 and float(m.n) == 1.5


def test_rank_deficient_jacobian_warns_and_names_parameters():
    class Product(eqx.Module):
        a: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
        b: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
        c: jax.Array = eqx.field(converter=jnp.asarray, default=0.0)

    def predict(m, x):
        return m.a * m.b * x + m.c

    x = jnp.linspace(0.0, 1.0, 9)
    y = 6.0 * x + 1.0
    with pytest.warns(UserWarning, match=r"rank-deficient.*\['a', 'b'\]"):
        res = fit(Product(a=2.0, b=2.0), (x, y), ["a", "b", "c"], predict=predict)
    assert res.non_identifiable == ("a", "b")
    assert np.isinf(res.stderr["a"]) and np.isinf(res.stderr["b"])
    assert np.isfinite(res.stderr["c"])
    assert res.estimates["a"] * res.estimates["b"] == pytest.approx(6.0, rel=1e-8)


def test_zero_sensitivity_parameter_is_flagged():
    # all doses far above K: the plateau carries no information about n and k
    x = jnp.linspace(1e3, 2e3, 8)
    with pytest.warns(UserWarning, match="not identifiable"):
        res = fit(
            HillDoseResponse(k=1e-3, n=4.0),
            (x, jnp.ones(8)),
            ["k", "n", "vmax"],
            predict=predict_hill,
        )
    assert set(res.non_identifiable) >= {"k"}


@pytest.mark.parametrize(
    "data,match",
    [
        ((X, jnp.full_like(Y, jnp.nan)), "NaN"),
        ((X[:5], Y), "same length"),
        ((jnp.zeros(0), jnp.zeros(0)), "non-empty"),
        ((X, Y, -np.ones_like(Y)), "sigma must be finite and > 0"),
        ((X, Y, np.ones(3)), "sigma must be a scalar or shaped like y"),
        ({"x": X}, "keys 'x' and 'y'"),
        ((X.at[2].set(jnp.nan), Y), "data x contains NaN"),
    ],
)
def test_bad_data(data, match):
    with pytest.raises(ValueError, match=match):
        fit(HillDoseResponse(), data, ["k"], predict=predict_hill)


def test_bad_requests():
    m = HillDoseResponse()
    with pytest.raises(
        ValueError, match=r"unknown parameter name 'K'.*\['k', 'n', 'vmax', 'baseline'\]"
    ):
        fit(m, (X, Y), ["K"], predict=predict_hill)
    with pytest.raises(ValueError, match="at least one"):
        fit(m, (X, Y), [], predict=predict_hill)
    with pytest.raises(ValueError, match="unique"):
        fit(m, (X, Y), ["k", "k"], predict=predict_hill)
    with pytest.raises(ValueError, match="method must be one of"):
        fit(m, (X, Y), ["k"], predict=predict_hill, method="bfgs")
    with pytest.raises(ValueError, match="exactly one of predict"):
        fit(m, (X, Y), ["k"])
    with pytest.raises(ValueError, match="not fitted"):
        fit(m, (X, Y), ["k"], predict=predict_hill, transforms={"n": "log"})
    with pytest.raises(ValueError, match="at least as many data points"):
        fit(m, (X[:2], Y[:2]), ["k", "n", "vmax"], predict=predict_hill)
    with pytest.raises(ValueError, match="n_starts must be"):
        fit(m, (X, Y), ["k"], predict=predict_hill, n_starts=0)
    with pytest.raises(ValueError, match=r"predict\(model, x\) has shape"):
        fit(m, (X, Y[:, None]), ["k"], predict=predict_hill)
    with pytest.raises(ValueError, match="k must be > 0"):
        HillDoseResponse(k=-1.0)


def test_nonfinite_residuals_raise_convergence_error():
    def predict(m, x):
        return jnp.log(-m.k * x)  # NaN for every k > 0

    with pytest.raises(ConvergenceError, match="non-finite"):
        fit(HillDoseResponse(), (X, Y), ["k"], predict=predict)


def test_refit_new_data_does_not_recompile():
    from bioact.fit import engine

    rng = np.random.default_rng(5)
    guess = HillDoseResponse(k=1.0, n=1.0, vmax=1.0)
    fit(guess, (X, Y), ["k", "n"], predict=predict_hill)
    before = engine._run._cached._cache_size()
    for _ in range(3):
        y = np.asarray(Y) + 0.01 * rng.normal(size=Y.shape)
        fit(
            HillDoseResponse(k=float(rng.uniform(1, 3)), n=1.0, vmax=1.0),
            (X, y),
            ["k", "n"],
            predict=predict_hill,
        )
    assert engine._run._cached._cache_size() == before


def test_float32_subprocess(root):
    code = (
        "import jax, jax.numpy as jnp, numpy as np\n"
        "from bioact.fit import BoltzmannGate, fit, predict_boltzmann\n"
        "assert not jax.config.jax_enable_x64\n"
        "v = jnp.linspace(-80.0, 0.0, 17)\n"
        "y = predict_boltzmann(BoltzmannGate(v_half=-35.0, k=6.0), v)\n"
        "y = y + 0.01 * jnp.asarray(np.random.default_rng(0).normal(size=17), jnp.float32)\n"
        "r = fit(BoltzmannGate(v_half=-45.0, k=4.0), (v, y), ['v_half', 'k'],"
        " predict=predict_boltzmann, n_starts=3)\n"
        "assert r.converged, r.message\n"
        "assert abs(r.estimates['v_half'] + 35.0) < 3 * r.stderr['v_half'], r.estimates\n"
        "assert abs(r.estimates['k'] - 6.0) < 3 * r.stderr['k'], r.estimates\n"
        "print('ok', r.estimates, r.stderr)\n"
    )
    env = {
        "BIOACT_X64": "0",
        "PYTHONPATH": str(root),
        "PATH": "/usr/bin:/bin",
        "JAX_PLATFORMS": "cpu",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "ok" in out.stdout

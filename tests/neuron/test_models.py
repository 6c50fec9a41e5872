"""Models vs independent references: scipy solve_ivp spike times, textbook rate formulas."""

import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import bioact.neuron as bn
from bioact.stimuli import Constant

CASES = [  # (preset, sub-threshold current, supra-threshold current) in uA/cm^2
    ("hh1952", 3.0, 10.0),
    ("wang_buzsaki", 0.1, 1.0),
    ("connor_stevens", 7.0, 12.0),
    ("morris_lecar_type1", 30.0, 60.0),
    ("morris_lecar_type2", 60.0, 110.0),
]


def _scipy_spikes(model, current, t1=100.0):
    """Upward 0 mV crossings of an LSODA rtol=1e-10 solve (scipy's own event location)."""
    f = jax.jit(lambda y: model.vector_field(0.0, y, Constant(current)))
    jac = jax.jit(jax.jacfwd(lambda y: model.vector_field(0.0, y, Constant(current))))

    def crossing(t, y):
        return y[0]

    crossing.direction = 1.0
    sol = solve_ivp(
        lambda t, y: np.asarray(f(jnp.asarray(y))),
        (0.0, t1),
        np.asarray(model.initial_state()),
        method="LSODA",
        jac=lambda t, y: np.asarray(jac(jnp.asarray(y))),
        rtol=1e-10,
        atol=1e-12,
        events=crossing,
    )
    assert sol.success
    return sol.t_events[0]


@pytest.mark.parametrize("name,i_sub,i_supra", CASES)
def test_spike_times_match_scipy(name, i_sub, i_supra):
    model = bn.load_model(name)
    res = bn.fi_curve(
        model, [i_sub, i_supra], duration=100.0, transient=0.0, max_spikes=40, rtol=1e-8, atol=1e-8
    )
    for k, current in enumerate([i_sub, i_supra]):
        ref = _scipy_spikes(model, current)
        ours = np.asarray(res.spike_times_ms[k])
        ours = ours[np.isfinite(ours)]
        assert len(ours) == len(ref), (current, ours, ref)
        np.testing.assert_allclose(ours, ref, atol=0.05)
    assert len(_scipy_spikes(model, i_supra)) >= 2  # the supra-threshold case really fires


@pytest.mark.parametrize("name", bn.PRESETS)
def test_resting_state_is_fixed_point(name):
    model = bn.load_model(name)
    y = model.initial_state()
    assert np.max(np.abs(np.asarray(model.vector_field(0.0, y, Constant(0.0))))) < 1e-9
    eig = np.asarray(bn.eigenvalues(model, y, 0.0))
    assert np.all(eig.real < 0)  # stable rest


def test_resting_state_gradient_is_the_implicit_function_derivative():
    """dV*/dp = -(dI_ss/dp) / (dI_ss/dV) at the fixed point (implicit function theorem), for a
    parameter and for the injected current; checked against central differences too."""
    model = bn.WangBuzsaki()

    def v_rest(g_na, current=0.0):
        return bn.resting_state(bn.WangBuzsaki(g_na=g_na), current)[0]

    v = v_rest(35.0)
    di_dv = jax.grad(model.steady_state_current)(v)
    di_dp = jax.grad(lambda p: bn.WangBuzsaki(g_na=p).steady_state_current(v))(35.0)
    assert float(jax.grad(v_rest)(35.0)) == pytest.approx(float(-di_dp / di_dv), rel=1e-10)
    h = 1e-4
    fd = (v_rest(35.0 + h) - v_rest(35.0 - h)) / (2 * h)
    assert float(jax.grad(v_rest)(35.0)) == pytest.approx(float(fd), rel=1e-6)
    d_current = jax.grad(lambda i: v_rest(35.0, i))(0.0)
    assert float(d_current) == pytest.approx(float(1.0 / di_dv), rel=1e-10)


def test_hh_rates_finite_at_singular_points():
    hh = bn.HodgkinHuxley()
    for v in (-40.0, -55.0):
        rates = hh.rates(jnp.asarray(v))
        assert all(np.isfinite(float(r)) for r in rates)
        grads = jax.jacfwd(lambda x: jnp.stack(hh.rates(x)))(jnp.asarray(v))
        assert np.all(np.isfinite(np.asarray(grads)))
        jac = jax.jacfwd(lambda y: hh.vector_field(0.0, y, Constant(0.0)))(hh.steady_state(v))
        assert np.all(np.isfinite(np.asarray(jac)))
    # limits by l'Hopital: alpha_m(-40) = 1, alpha_n(-55) = 0.1; slopes 0.05 and 0.005 per mV
    am, _, _, _, an, _ = hh.rates(jnp.asarray(-40.0))
    assert float(am) == pytest.approx(1.0, abs=1e-12)
    assert float(hh.rates(jnp.asarray(-55.0))[4]) == pytest.approx(0.1, abs=1e-12)
    assert float(jax.grad(lambda x: hh.rates(x)[0])(-40.0)) == pytest.approx(0.05, abs=1e-10)
    del an


def test_hh_rates_match_textbook_formulas():
    hh = bn.HodgkinHuxley()
    v = np.array([-80.0, -62.3, -40.1, -30.0, 10.0])
    am, bm, ah, bh, an, bn_ = (np.asarray(r) for r in hh.rates(jnp.asarray(v)))
    np.testing.assert_allclose(am, 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10)), rtol=1e-12)
    np.testing.assert_allclose(bm, 4 * np.exp(-(v + 65) / 18), rtol=1e-12)
    np.testing.assert_allclose(ah, 0.07 * np.exp(-(v + 65) / 20), rtol=1e-12)
    np.testing.assert_allclose(bh, 1 / (1 + np.exp(-(v + 35) / 10)), rtol=1e-12)
    np.testing.assert_allclose(an, 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10)), rtol=1e-12)
    np.testing.assert_allclose(bn_, 0.125 * np.exp(-(v + 65) / 80), rtol=1e-12)


def test_morris_lecar_gates_are_boltzmann_of_tanh_form():
    ml = bn.MorrisLecar.type1()
    v = np.linspace(-80, 40, 13)
    m = 0.5 * (1 + np.tanh((v + 1.2) / 18))
    w = 0.5 * (1 + np.tanh((v - 12) / 17.4))
    curves = ml.gating_curves(jnp.asarray(v))
    np.testing.assert_allclose(np.asarray(curves["m_inf"]), m, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(curves["w_inf"]), w, rtol=1e-10)


def test_bad_parameters_rejected():
    with pytest.raises(ValueError, match="g_na must be > 0"):
        bn.HodgkinHuxley(g_na=-1.0)
    with pytest.raises(ValueError, match="phi must be > 0"):
        bn.MorrisLecar(phi=0.0)


def test_presets_and_loader(tmp_path):
    assert bn.load_model("hh1952") == bn.HodgkinHuxley()
    assert bn.load_model("wang_buzsaki") == bn.WangBuzsaki()
    assert bn.load_model("connor_stevens") == bn.ConnorStevens()
    ml1, ml2 = bn.load_model("morris_lecar_type1"), bn.load_model("morris_lecar_type2")
    for a, b in [(ml1, bn.MorrisLecar.type1()), (ml2, bn.MorrisLecar.type2())]:
        for f in ("g_ca", "v3", "v4", "phi", "c", "g_l", "g_k", "v1", "v2"):
            assert float(getattr(a, f)) == pytest.approx(float(getattr(b, f)))
    path = tmp_path / "mine.toml"
    path.write_text('[model]\nkind = "hodgkin_huxley"\n[parameters]\ng_na = 100.0\n')
    assert float(bn.load_model(path).g_na) == 100.0
    path.write_text('[model]\nkind = "hodgkin_huxley"\n[parameters]\ng_nax = 100.0\n')
    with pytest.raises(ValueError, match="unknown parameter"):
        bn.load_model(path)
    with pytest.raises(ValueError, match="preset name"):
        bn.load_model("nope")


def test_float32_path():
    """The f-I path runs in float32 (BIOACT_X64=0, fresh process)."""
    code = (
        "import jax.numpy as jnp, bioact.neuron as bn\n"
        "res = bn.fi_curve(bn.HodgkinHuxley(), jnp.array([0.0, 10.0]), duration=150.0,"
        " transient=50.0)\n"
        "assert res.rate_hz.dtype == jnp.float32, res.rate_hz.dtype\n"
        "assert float(res.rate_hz[0]) == 0.0 and float(res.rate_hz[1]) > 50.0, res.rate_hz\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "BIOACT_X64": "0", "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]

"""f-I curves: protocol, vmap == loop, one compile, HH onset, rheobase, failure flags."""

import equinox as eqx
import jax.numpy as jnp
import numpy as np
import pytest

import bioact.neuron as bn
from bioact.errors import SimulationError
from bioact.neuron import fi as fi_module


def test_vmap_equals_loop_and_compiles_once():
    model = bn.HodgkinHuxley()
    currents = jnp.array([2.0, 8.0, 15.0])
    core = eqx.debug.assert_max_traces(fi_module._fi_core.__wrapped__, max_traces=1)
    fi_module_core = fi_module._fi_core
    try:
        fi_module._fi_core = eqx.filter_jit(core)
        batch = bn.fi_curve(model, currents, duration=300.0, transient=50.0)
        again = bn.fi_curve(model, currents + 0.5, duration=300.0, transient=50.0)
        other = bn.fi_curve(bn.HodgkinHuxley(g_na=110.0), currents, duration=300.0, transient=50.0)
    finally:
        fi_module._fi_core = fi_module_core
    assert np.all(np.asarray(again.rate_hz)[1:] > 0) and np.all(np.asarray(other.success))
    loop = [
        bn.fi_curve(model, jnp.array([c]), duration=300.0, transient=50.0).rate_hz[0]
        for c in currents
    ]
    # The batch size changes XLA's vectorisation (last-bit differences in exp/log), which the
    # adaptive step sequence amplifies to ~1e-9 relative: equal far below any physical scale.
    np.testing.assert_allclose(np.asarray(batch.rate_hz), np.asarray(loop), rtol=1e-7)


def test_rates_against_recorded_spike_times():
    """Mean-ISI and count rates follow from the recorded spike times (the protocol)."""
    res = bn.fi_curve(bn.HodgkinHuxley(), [10.0], duration=400.0, transient=100.0, max_spikes=64)
    st = np.asarray(res.spike_times_ms[0])
    st = st[np.isfinite(st)]
    assert st.min() >= 100.0 and st.max() < 400.0
    assert int(res.n_spikes[0]) == st.size
    assert float(res.rate_hz[0]) == pytest.approx(1000 * (st.size - 1) / (st[-1] - st[0]))
    assert float(res.count_rate_hz[0]) == pytest.approx(1000 * st.size / 300.0)
    np.testing.assert_allclose(np.asarray(res.isis_ms[0, : st.size - 1]), np.diff(st))
    assert 0 < float(res.first_spike_ms[0]) < 100.0  # latency counted from t = 0


def test_hh_onset_is_abrupt_near_50hz():
    """Hodgkin-Huxley, 1 s runs: silent at 6.0, firing at ~50 Hz by 6.5 uA/cm^2 (Type II)."""
    res = bn.fi_curve(bn.HodgkinHuxley(), jnp.array([5.0, 6.0, 6.5, 7.0, 10.0]))
    r = np.asarray(res.rate_hz)
    assert r[0] == 0.0 and r[1] == 0.0
    assert 45.0 < r[2] < 60.0 and 45.0 < r[3] < 65.0
    assert 60.0 < r[4] < 75.0  # 68 Hz (Ermentrout & Terman 2010, fig. 1.10 range)


def test_wang_buzsaki_continuous_from_low_rates():
    res = bn.fi_curve(bn.WangBuzsaki(), jnp.array([0.1, 0.2, 0.4, 1.0]))
    r = np.asarray(res.rate_hz)
    assert r[0] == 0.0 and 0.0 < r[1] < 25.0  # onset at low rate just above the SNIC (0.160)
    assert np.all(np.diff(r) > 0)


def test_failures_are_flagged_or_raised():
    kw = dict(duration=200.0, transient=50.0, max_steps=20)
    res = bn.fi_curve(bn.HodgkinHuxley(), [10.0, 0.0], throw=False, **kw)
    assert not bool(res.success[0]) and np.isnan(float(res.rate_hz[0]))
    with pytest.raises(SimulationError, match="f-I solves failed"):
        bn.fi_curve(bn.HodgkinHuxley(), [10.0], **kw)


def test_bad_arguments():
    hh = bn.HodgkinHuxley()
    with pytest.raises(ValueError, match="duration must be > 0"):
        bn.fi_curve(hh, [1.0], duration=-1.0)
    with pytest.raises(ValueError, match="transient must be"):
        bn.fi_curve(hh, [1.0], duration=100.0, transient=100.0)
    with pytest.raises(ValueError, match="max_spikes"):
        bn.fi_curve(hh, [1.0], max_spikes=-2)


def test_rheobase_hh():
    i_rh, f_rh = bn.rheobase(bn.HodgkinHuxley(), 5.0, 8.0, duration=500.0, transient=100.0)
    below = bn.fi_curve(bn.HodgkinHuxley(), [i_rh - 0.01], duration=500.0, transient=100.0)
    assert float(below.rate_hz[0]) == 0.0 and f_rh > 40.0
    assert 6.0 < i_rh < 6.6
    with pytest.raises(ValueError, match="i_low must be a silent"):
        bn.rheobase(bn.HodgkinHuxley(), 8.0, 12.0, duration=300.0)


def test_crossing_refinement_on_the_dense_interpolant():
    """refine=0 interpolates linearly between step ends; regula falsi on the solver's dense
    output converges onto the spike times of a tight solve (Morris-Lecar: long steps, so
    linear interpolation is visibly off). The observer does not change the steps taken."""
    model = bn.MorrisLecar.type1()
    kw = dict(duration=300.0, transient=0.0, max_spikes=8, rtol=1e-7, atol=1e-7)
    ref = bn.fi_curve(model, [100.0], duration=300.0, transient=0.0, max_spikes=8,
                      rtol=1e-10, atol=1e-10, max_steps=10**6)  # fmt: skip
    n = int(ref.n_spikes[0])
    errs, steps = [], []
    for refine in (0, 1, 2):
        res = bn.fi_curve(model, [100.0], refine=refine, **kw)
        assert int(res.n_spikes[0]) == n >= 3
        errs.append(np.max(np.abs(np.asarray(res.spike_times_ms - ref.spike_times_ms)[0, :n])))
        steps.append(int(res.num_steps[0]))
    assert errs[0] > 1e-3 and errs[1] < errs[0] / 10 and errs[2] < errs[1] / 3, errs
    assert steps[0] == steps[1] == steps[2] == _plain_steps(model, 100.0, 300.0, 1e-7)


def _plain_steps(model, current, duration, tol):
    import diffrax

    from bioact.neuron.fi import TIGHT_SOLVER
    from bioact.solve import make_controller, simulate

    ctrl = make_controller(tol, tol, pcoeff=0.0, icoeff=1.0, dtmax=10.0)
    traj = simulate(model, duration, stimulus=current, saveat=diffrax.SaveAt(t1=True),
                    solver=TIGHT_SOLVER, stepsize_controller=ctrl)  # fmt: skip
    return int(traj.num_steps)


def test_chunked_over_threads_equals_one_batch():
    """workers=k solves equal chunks concurrently (padded by repeating the last current):
    the stitched result equals the single vmapped batch, element for element."""
    currents = np.linspace(0.0, 15.0, 11)  # 11 = 2 chunks of 6, one padded current
    kw = dict(duration=200.0, transient=20.0, max_spikes=4)
    one = bn.fi_curve(bn.HodgkinHuxley(), currents, workers=1, **kw)
    two = bn.fi_curve(bn.HodgkinHuxley(), currents, workers=2, **kw)
    for name in ("rate_hz", "n_spikes", "spike_times_ms", "final_state", "num_steps"):
        a, b = np.asarray(getattr(one, name)), np.asarray(getattr(two, name))
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, err_msg=name)
    with pytest.raises(ValueError, match="workers must be an int >= 1"):
        bn.fi_curve(bn.HodgkinHuxley(), currents, workers=0, **kw)


def test_any_diffrax_solver_can_be_passed():
    """diffrax's own Runge-Kutta solvers (seen through the spike observer) keep the default
    adjoint; the rates agree with the default solver's."""
    import diffrax

    model, currents = bn.MorrisLecar.type1(), np.array([0.0, 50.0, 100.0])
    kw = dict(duration=300.0, transient=50.0)
    ref = bn.fi_curve(model, currents, **kw)
    res = bn.fi_curve(model, currents, solver=diffrax.Tsit5(), **kw)
    np.testing.assert_allclose(np.asarray(res.rate_hz), np.asarray(ref.rate_hz), atol=0.05)


def test_internal_options_defaults_are_fi_curves():
    """The firing_rate sweep quantity builds its solver settings from _Options' defaults:
    they must be fi_curve's (DEFAULT_SOLVER is what solver=None means at the default rtol)."""
    import inspect

    params = inspect.signature(bn.fi_curve).parameters
    for name, value in fi_module._Options._field_defaults.items():
        if name == "solver":
            assert params["solver"].default is None and value is fi_module.DEFAULT_SOLVER
        else:
            assert params[name].default == value, name

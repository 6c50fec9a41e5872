"""The solver layer against analytic solutions and tight-tolerance scipy references."""

import os
import subprocess
import sys
import textwrap

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import bioact
from bioact import Constant, Pulse, Ramp, SimulationError, Step, simulate


class Decay(bioact.AbstractModel):
    """dx/dt = I(t) - rate x."""

    rate: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    x0: jax.Array = eqx.field(converter=jnp.asarray, default=0.0)
    state_names = ("x",)

    def vector_field(self, t, y, stimulus):
        return stimulus(t) - self.rate * y

    def initial_state(self):
        return jnp.atleast_1d(self.x0).astype(float)


class Oscillator(bioact.AbstractModel):
    """Harmonic oscillator x'' = -omega^2 x."""

    omega: jax.Array = eqx.field(converter=jnp.asarray, default=2.0)
    state_names = ("x", "v")

    def vector_field(self, t, y, stimulus):
        x, v = y
        return jnp.stack([v, -(self.omega**2) * x + stimulus(t)])

    def initial_state(self):
        return jnp.array([1.0, 0.0])


class Robertson(bioact.AbstractModel):
    """Robertson's stiff chemical kinetics (Hairer & Wanner, Solving ODEs II, sec. IV.1)."""

    k1: jax.Array = eqx.field(converter=jnp.asarray, default=0.04)
    k2: jax.Array = eqx.field(converter=jnp.asarray, default=3e7)
    k3: jax.Array = eqx.field(converter=jnp.asarray, default=1e4)
    state_names = ("A", "B", "C")
    stiff = True

    def vector_field(self, t, y, stimulus):
        a, b, c = y
        return jnp.stack(
            [
                -self.k1 * a + self.k3 * b * c,
                self.k1 * a - self.k2 * b**2 - self.k3 * b * c,
                self.k2 * b**2,
            ]
        )

    def initial_state(self):
        return jnp.array([1.0, 0.0, 0.0])


def test_decay_matches_analytic_solution():
    ts = jnp.linspace(0, 5, 51)
    traj = simulate(Decay(rate=1.3, x0=2.0), 5.0, ts=ts)
    np.testing.assert_allclose(
        traj["x"], 2.0 * np.exp(-1.3 * np.asarray(ts)), rtol=1e-6, atol=1e-10
    )
    assert traj.names == ("x",) and bool(traj.success)
    assert traj.ys.shape == (51, 1)


def test_step_stimulus_response_matches_analytic_and_steps_onto_the_jump():
    t_on, amp, rate = 1.7, 3.0, 2.0
    ts = jnp.linspace(0, 6, 601)
    traj = simulate(Decay(rate=rate), 6.0, stimulus=Step(t_on, amp), ts=ts)
    t = np.asarray(ts)
    exact = np.where(t >= t_on, amp / rate * (1 - np.exp(-rate * (t - t_on))), 0.0)
    np.testing.assert_allclose(traj["x"], exact, atol=1e-8)
    # the jump time is handed to the controller: fewer steps than without it
    ctl = diffrax.PIDController(rtol=1e-8, atol=1e-8)
    blind = simulate(
        Decay(rate=rate), 6.0, stimulus=Step(t_on, amp), ts=ts, stepsize_controller=ctl
    )
    assert int(traj.num_steps) < int(blind.num_steps)


def test_oscillator_with_pulse_matches_scipy_tight():
    model = Oscillator(omega=3.0)
    stim = Pulse(t_on=1.0, width=0.5, amplitude=4.0)
    ts = np.linspace(0, 5, 201)
    traj = simulate(model, 5.0, stimulus=stim, ts=ts, rtol=1e-10, atol=1e-12)

    def rhs(t, y):
        return [y[1], -9.0 * y[0] + (4.0 if 1.0 <= t < 1.5 else 0.0)]

    ref = solve_ivp(
        rhs, (0, 5), [1.0, 0.0], method="DOP853", t_eval=ts, rtol=1e-12, atol=1e-14, max_step=0.01
    )
    np.testing.assert_allclose(np.asarray(traj.ys).T, ref.y, atol=1e-7)


def test_stiff_robertson_matches_radau():
    ts = np.array([0.0, 0.4, 4.0, 40.0, 400.0])
    traj = simulate(Robertson(), 400.0, ts=ts, rtol=1e-8, atol=1e-12)
    assert isinstance(bioact.solve.default_solver(Robertson()), diffrax.Kvaerno5)

    def rhs(t, y):
        a, b, c = y
        return [-0.04 * a + 1e4 * b * c, 0.04 * a - 3e7 * b * b - 1e4 * b * c, 3e7 * b * b]

    ref = solve_ivp(rhs, (0, 400), [1, 0, 0], method="Radau", t_eval=ts, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(np.asarray(traj.ys).T, ref.y, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(np.sum(traj.ys, axis=1), 1.0, atol=1e-10)  # mass conservation


def test_ramp_and_constant_stimuli():
    ramp = Ramp(t0=1.0, t1=3.0, start=0.0, stop=2.0)
    np.testing.assert_allclose(
        [float(ramp(t)) for t in (0.0, 1.0, 2.0, 3.0, 9.0)], [0.0, 0.0, 1.0, 2.0, 2.0]
    )
    np.testing.assert_allclose(ramp.jump_ts, [1.0, 3.0])
    assert Constant(2.5).jump_ts is None and float(Constant(2.5)(7.0)) == 2.5
    pulse = Pulse(1.0, 0.5, 2.0, baseline=1.0)
    assert [float(pulse(t)) for t in (0.99, 1.0, 1.49, 1.5)] == [1.0, 3.0, 3.0, 1.0]

    # dx/dt = ramp(t), x(0) = 0: x(4) = area under the ramp = 2 + 2 = 4
    class Integrator(bioact.AbstractModel):
        state_names = ("x",)

        def vector_field(self, t, y, stimulus):
            return jnp.atleast_1d(stimulus(t))

        def initial_state(self):
            return jnp.zeros(1)

    traj = simulate(Integrator(), 4.0, stimulus=ramp, ts=[0.0, 4.0])
    assert float(traj["x"][-1]) == pytest.approx(4.0, rel=1e-9)


def test_stimulus_validation():
    with pytest.raises(ValueError, match="width must be > 0, got width=0.0"):
        Pulse(0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="t1 must be > t0"):
        Ramp(2.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="stimulus must be a bioact.stimuli stimulus"):
        simulate(Decay(), 1.0, stimulus=lambda t: t)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="t1 must be > t0"):
        simulate(Decay(), 0.0)
    with pytest.raises(ValueError, match="max_steps must be a positive int"):
        simulate(Decay(), 1.0, max_steps=0)
    traj = simulate(Decay(), 1.0, ts=[0.0, 1.0])
    with pytest.raises(ValueError, match="unknown state name='V'"):
        traj["V"]


def test_failure_raises_with_reason():
    # rate 1e5 with an explicit solver: stability limits the step to ~3e-5, far beyond 1000 steps
    with pytest.raises(SimulationError, match="maximum number of solver steps") as info:
        simulate(Decay(rate=1e5, x0=1.0), 3.0, max_steps=1000)
    assert info.value.failed == ((),)


def test_divergence_is_reported_not_returned_as_nan():
    class Blowup(bioact.AbstractModel):  # dx/dt = x^2, x(0) = 1 blows up at t = 1
        state_names = ("x",)

        def vector_field(self, t, y, stimulus):
            return y**2

        def initial_state(self):
            return jnp.ones(1)

    with pytest.raises(SimulationError):
        simulate(Blowup(), 2.0)


def test_vmap_reports_failing_indices_and_matches_loop():
    rates = jnp.array([0.5, 1.0, 2.0, 4.0])

    def run(rate):
        return simulate(
            Decay(rate=rate, x0=1.0), 3.0, ts=jnp.linspace(0, 3, 7), max_steps=1000, throw=False
        )

    batched = jax.vmap(run)(rates)
    assert batched.ys.shape == (4, 7, 1) and bool(jnp.all(batched.success))
    loop = np.stack([np.asarray(run(r).ys) for r in rates])
    np.testing.assert_allclose(batched.ys, loop, rtol=1e-12)
    batched.check()

    out = jax.vmap(run)(jnp.array([1.0, 2.0, 1e5, 4.0]))  # element 2 is too stiff for Tsit5
    assert [i for i, _ in out.failures()] == [(2,)]
    with pytest.raises(SimulationError, match=r"1 of 4 solve\(s\) failed.*index \(2,\)") as info:
        out.check()
    assert info.value.failed == ((2,),)
    np.testing.assert_allclose(out.ys[0], loop[1], rtol=1e-12)  # rate 1.0: others unaffected


def test_new_parameter_values_do_not_recompile():
    ts = jnp.linspace(0, 1, 5)

    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def run(model):
        return simulate(model, 1.0, ts=ts, throw=False).ys

    for r in (0.5, 1.0, 2.0):
        run(Decay(rate=r))


def test_gradient_through_simulate_matches_analytic():
    # x(t) = x0 exp(-r t): dx(T)/dr = -T x0 exp(-r T)
    def final(rate):
        return simulate(Decay(rate=rate, x0=2.0), 1.5, ts=jnp.array([1.5]), throw=False).ys[0, 0]

    g = jax.grad(final)(0.8)
    assert float(g) == pytest.approx(-1.5 * 2.0 * np.exp(-0.8 * 1.5), rel=1e-6)


def test_float32_mode_runs_and_is_accurate():
    code = textwrap.dedent(
        """
        import jax, jax.numpy as jnp, equinox as eqx, numpy as np, bioact
        assert not jax.config.jax_enable_x64
        class Decay(bioact.AbstractModel):
            rate: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
            state_names = ("x",)
            def vector_field(self, t, y, s):
                return s(t) - self.rate * y
            def initial_state(self):
                return jnp.zeros(1)
        tr = bioact.simulate(Decay(), 5.0, stimulus=bioact.Step(1.0, 2.0), rtol=1e-5, atol=1e-6)
        assert tr.ys.dtype == jnp.float32, tr.ys.dtype
        err = abs(float(tr["x"][-1]) - 2.0 * (1 - np.exp(-4.0)))
        assert err < 1e-4, err
        print("ok", err)
        """
    )
    env = {**os.environ, "BIOACT_X64": "0", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


# ------------------------------------------------------------------ UnrolledERK (default solver)
def _forced_oscillator(t, y, args):
    return jnp.stack([y[1], -(1.0 + 0.3 * jnp.sin(t)) * y[0] - 0.1 * y[1] ** 3])


@pytest.mark.parametrize(
    "base", [diffrax.Tsit5(), diffrax.Dopri5(), diffrax.Dopri8(), diffrax.Bosh3()], ids=str
)
def test_unrolled_erk_takes_the_same_steps_as_diffrax(base):
    """Same tableau, same error estimate, same dense output: identical step sequence and
    saved values equal to rounding (only the order of floating-point additions differs)."""
    ts = jnp.linspace(0.0, 15.0, 301)
    kw = dict(
        saveat=diffrax.SaveAt(ts=ts),
        stepsize_controller=diffrax.PIDController(rtol=1e-6, atol=1e-6),
    )
    y0 = jnp.array([1.0, 0.0])
    term = diffrax.ODETerm(_forced_oscillator)
    ref = diffrax.diffeqsolve(term, base, 0.0, 15.0, 0.05, y0, **kw)
    new = diffrax.diffeqsolve(term, bioact.UnrolledERK(base), 0.0, 15.0, 0.05, y0, **kw)
    assert int(new.stats["num_steps"]) == int(ref.stats["num_steps"])
    assert int(new.stats["num_rejected_steps"]) == int(ref.stats["num_rejected_steps"])
    np.testing.assert_allclose(np.asarray(new.ys), np.asarray(ref.ys), rtol=0, atol=1e-12)


def test_unrolled_erk_is_accurate_differentiable_and_handles_jumps():
    # against an rtol 1e-12 scipy solve, through a stimulus with jumps (made_jump path)
    model = Oscillator()
    stim = Pulse(t_on=1.0, width=2.0, amplitude=3.0)
    ts = jnp.linspace(0.0, 6.0, 61)
    traj = simulate(model, 6.0, stimulus=stim, ts=ts, solver=bioact.UnrolledERK(), rtol=1e-10)
    f = lambda t, y: [y[1], -4.0 * y[0] + float(stim(t))]  # noqa: E731
    sol = solve_ivp(f, (0, 6), [1.0, 0.0], method="DOP853", rtol=1e-12, atol=1e-12,
                    t_eval=np.asarray(ts), max_step=0.01)  # fmt: skip
    np.testing.assert_allclose(np.asarray(traj["x"]), sol.y[0], atol=2e-7)

    # reverse-mode gradient equals diffrax's own Tsit5 gradient
    def end(rate, solver):
        model, end_only = Decay(rate=rate, x0=1.0), diffrax.SaveAt(t1=True)
        traj = simulate(model, 2.0, stimulus=Step(0.5, 1.0), saveat=end_only, solver=solver)
        return traj.ys[-1, 0]

    g_new = jax.grad(end)(0.7, bioact.UnrolledERK())
    g_ref = jax.grad(end)(0.7, diffrax.Tsit5())
    assert float(g_new) == pytest.approx(float(g_ref), rel=1e-9)
    assert isinstance(bioact.default_solver(model), bioact.UnrolledERK)
    with pytest.raises(ValueError, match="base must be an explicit Runge-Kutta"):
        bioact.UnrolledERK(diffrax.Kvaerno5())


def test_unrolled_erk_keeps_float32_time_and_state():
    y0 = jnp.ones(2, dtype=jnp.float32)
    term = diffrax.ODETerm(lambda t, y, args: -y * jnp.cos(t))
    t0, t1, dt0 = jnp.float32(0.0), jnp.float32(5.0), jnp.float32(0.1)
    ctrl = diffrax.PIDController(rtol=1e-4, atol=1e-4)
    sol = diffrax.diffeqsolve(term, bioact.UnrolledERK(), t0, t1, dt0, y0, stepsize_controller=ctrl)
    assert sol.ys.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(sol.ys[-1]), np.exp(-np.sin(5.0)), rtol=1e-3)

"""On-the-fly spike detection: an observer that rides along with the ODE solver.

Long f-I runs must not store every step. :class:`SpikeObserver` wraps any adaptive diffrax
solver and keeps a small observer vector in the *solver state*: whether detection is armed,
spike counts, first/last spike times and optionally a fixed-size buffer of spike times.
After each step it looks for an upward crossing of ``threshold`` by V between the step's end
points and locates the crossing time on the solver's dense interpolant (regula falsi,
``refine`` iterations). diffrax keeps the solver state of accepted steps only, so rejected
steps never count. Hysteresis: after a spike the detector re-arms only once V has dropped
below ``threshold - hysteresis``. Memory is ``O(n_states + max_spikes)`` per current,
independent of the number of steps: the solve saves its final state and final solver state
(``SaveAt(t1=True, solver_state=True)``).

The model's own state and vector field are untouched, so the observed solve takes exactly the
steps the plain solve takes.
"""

from __future__ import annotations

import diffrax
import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array

__all__ = ["OBSERVER_NAMES", "SpikeObserver", "observer_init"]

#: Names of the observer entries (then ``spike_0 ... spike_{K-1}``).
OBSERVER_NAMES = ("armed", "n_window", "t_first", "t_last", "n_total", "t_first_any")
_N_OBS = len(OBSERVER_NAMES)
_REFINE = 2


def observer_init(y0: Array, max_spikes: int, threshold: Array, hysteresis: Array) -> Array:
    """A fresh observer vector for a run starting at ``y0`` (armed iff V0 < threshold -
    hysteresis), followed by ``max_spikes`` empty (-1) buffer slots."""
    y0 = jnp.asarray(y0)
    armed = jnp.where(y0[0] < threshold - hysteresis, 1.0, 0.0)
    obs = jnp.array([0.0, 0.0, -1.0, -1.0, 0.0, -1.0], dtype=y0.dtype).at[0].set(armed)
    return jnp.concatenate([obs, -jnp.ones(max_spikes, dtype=y0.dtype)])


class SpikeObserver(diffrax.AbstractAdaptiveSolver, diffrax.AbstractWrappedSolver):
    """Wrap ``solver``; its state becomes ``(solver's state, observer vector)``.

    Spikes are upward crossings of ``threshold`` (mV) with ``hysteresis`` (mV); spikes at
    ``transient <= t < t_end`` count in the window statistics (``n_window``, ``t_first``,
    ``t_last`` and the buffer of ``max_spikes`` times); ``n_total`` and ``t_first_any``
    count every spike from t = 0. Read the final observer vector from
    ``solution.solver_state[1]``.
    """

    solver: diffrax.AbstractAdaptiveSolver
    max_spikes: int = eqx.field(static=True)
    threshold: Array = eqx.field(converter=jnp.asarray)
    hysteresis: Array = eqx.field(converter=jnp.asarray)
    transient: Array = eqx.field(converter=jnp.asarray)
    t_end: Array = eqx.field(converter=jnp.asarray)
    refine: int = eqx.field(static=True, default=_REFINE)

    @property
    def term_structure(self):
        return self.solver.term_structure

    @property
    def interpolation_cls(self):  # pyright: ignore
        return self.solver.interpolation_cls

    @property
    def term_compatible_contr_kwargs(self):
        return self.solver.term_compatible_contr_kwargs

    def order(self, terms):
        return self.solver.order(terms)

    def error_order(self, terms):
        return self.solver.error_order(terms)

    def init(self, terms, t0, t1, y0, args):
        obs = observer_init(y0, self.max_spikes, self.threshold, self.hysteresis)
        return self.solver.init(terms, t0, t1, y0, args), obs

    def func(self, terms, t0, y0, args):
        return self.solver.func(terms, t0, y0, args)

    def step(self, terms, t0, t1, y0, args, solver_state, made_jump):
        inner, obs = solver_state
        y1, y_error, dense_info, inner, result = self.solver.step(
            terms, t0, t1, y0, args, inner, made_jump
        )
        # A non-finite trial step (an explicit step far beyond its stability limit) must be
        # rejected and shrunk: report an infinite error with a finite y1, so NaN never
        # reaches the step-size controller or the observer.
        ok = jnp.all(jnp.isfinite(y1))
        if y_error is not None:
            ok = ok & jnp.all(jnp.isfinite(y_error))
            y_error = jnp.where(ok, y_error, jnp.inf)
        y1 = jnp.where(ok, y1, y0)
        armed, n_win, t_first, t_last, n_tot, t_any = (obs[i] for i in range(_N_OBS))
        th = self.threshold
        v0, v1 = y0[0], y1[0]
        cross = (armed > 0.5) & (v0 < th) & (v1 >= th)
        t_spike = self._crossing_time(t0, t1, v0 - th, v1 - th, dense_info)
        in_win = cross & (t_spike >= self.transient) & (t_spike < self.t_end)
        rearm = v1 < th - self.hysteresis
        new = [
            jnp.where(cross, 0.0, jnp.where(rearm, 1.0, armed)),
            n_win + jnp.where(in_win, 1.0, 0.0),
            jnp.where(in_win & (n_win == 0), t_spike, t_first),
            jnp.where(in_win, t_spike, t_last),
            n_tot + jnp.where(cross, 1.0, 0.0),
            jnp.where(cross & (n_tot == 0), t_spike, t_any),
        ]
        obs_new = jnp.stack(new).astype(obs.dtype)
        if self.max_spikes:
            slot = jnp.arange(self.max_spikes) == n_win
            buf = jnp.where(in_win & slot, t_spike, obs[_N_OBS:])
            obs_new = jnp.concatenate([obs_new, buf])
        return y1, y_error, dense_info, (inner, obs_new), result

    def _crossing_time(self, t0, t1, f0, f1, dense_info):
        """Root of ``V(t) - threshold`` in [t0, t1] on the dense interpolant (regula falsi)."""
        interp = self.solver.interpolation_cls(t0=t0, t1=t1, **dense_info)

        def secant(a, fa, b, fb):
            den = jnp.where(fb - fa == 0, 1.0, fb - fa)
            return jnp.clip(a - fa * (b - a) / den, t0, t1)

        a, fa, b, fb = t0, f0, t1, f1
        c = secant(a, fa, b, fb)  # linear interpolation between the step's end points
        for _ in range(self.refine):
            fc = interp.evaluate(c)[0] - self.threshold
            left = jnp.sign(fc) == jnp.sign(fa)
            a, fa, b, fb = (
                jnp.where(left, c, a),
                jnp.where(left, fc, fa),
                jnp.where(left, b, c),
                jnp.where(left, fb, fc),
            )
            c = secant(a, fa, b, fb)
        return c

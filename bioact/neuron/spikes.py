"""On-the-fly spike detection: an observer that rides along with the ODE solver.

Long f-I runs must not store every step. :class:`SpikeObserver` wraps any adaptive diffrax
solver; after each *accepted* step (diffrax discards the state of rejected steps) it looks for
an upward crossing of ``threshold`` by V between the step's end points, locates the crossing
time on the solver's dense interpolant (regula falsi, ``refine`` iterations), and updates a small
observer vector appended to the state: whether detection is armed, spike counts and first/last
spike times, and optionally a fixed-size buffer of spike times. Hysteresis: after a spike the
detector re-arms only once V has dropped below ``threshold - hysteresis``. Memory is
``O(n_states + max_spikes)`` per current, independent of the number of steps; the solve saves
only its final state (``SaveAt(t1=True)``).

The observer part has a zero vector field and zero error estimate, and the step-size
controller's norm looks only at the model's own states, so the observed solve takes exactly
the steps the plain solve would.
"""

from __future__ import annotations

from typing import ClassVar

import diffrax
import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array

from bioact.solve import AbstractModel

__all__ = ["OBSERVER_NAMES", "ObservedModel", "SpikeObserver", "observer_init"]

#: Names of the observer entries appended to the state (then ``spike_0 ... spike_{K-1}``).
OBSERVER_NAMES = ("armed", "n_window", "t_first", "t_last", "n_total", "t_first_any")
_N_OBS = len(OBSERVER_NAMES)
_REFINE = 2


class ObservedModel(AbstractModel):
    """``model`` with the observer vector appended to its state (zero vector field there)."""

    model: AbstractModel
    max_spikes: int = eqx.field(static=True, default=0)
    stiff: ClassVar[bool] = False

    @property
    def n_model(self) -> int:
        return len(self.model.state_names)

    @property
    def state_names(self):  # type: ignore[override]
        buf = tuple(f"spike_{i}" for i in range(self.max_spikes))
        return tuple(self.model.state_names) + OBSERVER_NAMES + buf

    def vector_field(self, t, y, stimulus):
        f = self.model.vector_field(t, y[: self.n_model], stimulus)
        return jnp.concatenate([f, jnp.zeros(y.shape[0] - self.n_model, dtype=f.dtype)])

    def initial_state(self):
        return observer_init(self.model.initial_state(), self.max_spikes, 0.0, 10.0)

    def model_norm(self, x: Array) -> Array:
        """RMS norm over the model's own states (the step-size controller's norm)."""
        return jnp.sqrt(jnp.mean(x[: self.n_model] ** 2))


def observer_init(y0: Array, max_spikes: int, threshold: float, hysteresis: float) -> Array:
    """``y0`` followed by a fresh observer vector (armed iff V0 < threshold - hysteresis)."""
    y0 = jnp.asarray(y0)
    armed = jnp.where(y0[0] < threshold - hysteresis, 1.0, 0.0)
    obs = jnp.array([0.0, 0.0, -1.0, -1.0, 0.0, -1.0], dtype=y0.dtype).at[0].set(armed)
    buf = -jnp.ones(max_spikes, dtype=y0.dtype)
    return jnp.concatenate([y0, obs, buf])


class SpikeObserver(diffrax.AbstractAdaptiveSolver, diffrax.AbstractWrappedSolver):
    """Wrap ``solver``; after every step update the spike observer stored at ``y[n_model:]``.

    Spikes are upward crossings of ``threshold`` (mV) with ``hysteresis`` (mV); spikes at
    ``transient <= t < t_end`` count in the window statistics (``n_window``, ``t_first``,
    ``t_last`` and the buffer of ``max_spikes`` times); ``n_total`` and ``t_first_any``
    count every spike from t = 0.
    """

    solver: diffrax.AbstractAdaptiveSolver
    n_model: int = eqx.field(static=True)
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
        return self.solver.init(terms, t0, t1, y0, args)

    def func(self, terms, t0, y0, args):
        return self.solver.func(terms, t0, y0, args)

    def step(self, terms, t0, t1, y0, args, solver_state, made_jump):
        y1, y_error, dense_info, solver_state, result = self.solver.step(
            terms, t0, t1, y0, args, solver_state, made_jump
        )
        n = self.n_model
        # A non-finite trial step (an explicit step far beyond its stability limit, e.g. after
        # zero-error steps at an exact fixed point) must be rejected and shrunk: report an
        # infinite error with a finite y1, so NaN never reaches the step-size controller.
        ok = jnp.all(jnp.isfinite(y1[:n]))
        if y_error is not None:
            ok = ok & jnp.all(jnp.isfinite(y_error[:n]))
        y1 = jnp.where(ok, y1, y0)
        obs = y0[n:]
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
        obs_new = jnp.stack(new).astype(y1.dtype)
        if self.max_spikes:
            buf = obs[_N_OBS:]
            slot = jnp.arange(self.max_spikes) == n_win
            buf = jnp.where(in_win & slot, t_spike, buf)
            obs_new = jnp.concatenate([obs_new, buf])
        y1 = jnp.concatenate([y1[:n], obs_new])
        if y_error is not None:
            err = jnp.where(ok, y_error[:n], jnp.inf)
            y_error = jnp.concatenate([err, jnp.zeros_like(obs_new)])
        return y1, y_error, dense_info, solver_state, result

    def _crossing_time(self, t0, t1, f0, f1, dense_info):
        """Root of ``V(t) - threshold`` in [t0, t1] on the dense interpolant (regula falsi)."""
        interp = self.solver.interpolation_cls(t0=t0, t1=t1, **dense_info)
        a, fa, b, fb = t0, f0, t1, f1
        c = t0
        for _ in range(self.refine):
            den = jnp.where(fb - fa == 0, 1.0, fb - fa)
            c = jnp.clip(a - fa * (b - a) / den, t0, t1)
            fc = interp.evaluate(c)[0] - self.threshold
            left = jnp.sign(fc) == jnp.sign(fa)
            a, fa, b, fb = (
                jnp.where(left, c, a),
                jnp.where(left, fc, fa),
                jnp.where(left, b, c),
                jnp.where(left, fb, fc),
            )
        return c

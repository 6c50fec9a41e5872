"""Neurons as fitting targets: voltage traces under a constant current, and f-I curves.

:func:`voltage_trace_predictor` returns ``predict(model, ts) -> V(ts)`` (mV): the neuron starts
at its resting state at zero current (:meth:`AbstractNeuron.initial_state`, a jit-safe root
solve whose final Newton steps carry the implicit derivative of the rest state with respect to
the conductances), the constant current ``I`` (uA/cm^2) steps on at t = 0, and
:func:`bioact.simulate` integrates with ``adjoint=diffrax.ForwardMode()`` so that the default
forward-mode Levenberg--Marquardt Jacobian (``jac="fwd"``: 3 columns for gNa, gK, gL)
differentiates through the solver.

:func:`fi_rate_predictor` returns ``predict(model, currents) -> rate (Hz)``. Spike *counts* are
piecewise constant in the parameters (zero gradient almost everywhere), so the rate is not a
count but a **mean inter-spike-interval rate built from interpolated crossing times**
(:func:`smooth_rate`): V is saved on a fine grid ``dt``; each upward crossing of ``threshold``
between grid points k and k+1 is located by linear interpolation,

    tau = t_k + dt (threshold - V_k) / (V_{k+1} - V_k),

and with the n crossings in ``[transient, duration)`` the rate is

    rate = 1000 (n - 1) / (tau_last - tau_first)  Hz   (0 if n < 2),

the same definition as :func:`bioact.neuron.fi_curve`. The *which-grid-interval* selection
(the mask) is piecewise constant and carries no gradient; the crossing times tau are smooth
functions of V_k, V_{k+1} and hence (forward-mode through the solver) of the parameters, so
``d rate / d g`` is the derivative of ``1 / mean ISI`` -- the quantity that actually changes
smoothly with the conductances. The estimator jumps only when a crossing enters or leaves the
window, by the (small) non-stationarity of the ISIs after the transient: for the Morris--Lecar
Type I f-I data in ``data/ml_fi_curve.csv`` the jumps are below 1e-3 Hz (noise sd 0.3 Hz) and
the forward-mode derivative matches a central finite difference (h = 1e-2 mS/cm^2) of the
estimator (``tests/fit/test_neuron.py``). Levenberg--Marquardt then converges, but pass a
looser ``rtol``/``atol`` (1e-5) to :func:`bioact.fit.fit`: at 1e-8 it can keep rejecting steps
smaller than the jumps.

>>> import jax.numpy as jnp
>>> import bioact.neuron as bn
>>> predict = voltage_trace_predictor(10.0)
>>> predict(bn.HodgkinHuxley(), jnp.linspace(0.0, 5.0, 6)).shape
(6,)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike

from bioact._checks import positive
from bioact.solve import make_controller, simulate
from bioact.stimuli import Constant

__all__ = ["fi_rate_predictor", "smooth_rate", "voltage_trace_predictor"]


def _tols(rtol, atol):
    x64 = jnp.result_type(float) == jnp.float64
    rtol = (1e-8 if x64 else 1e-5) if rtol is None else rtol
    atol = (1e-8 if x64 else 1e-5) if atol is None else atol
    return float(rtol), float(atol)


def voltage_trace_predictor(
    current: float, *, rtol: float | None = None, atol: float | None = None
) -> Callable[[object, jax.Array], jax.Array]:
    """``predict(model, ts)``: membrane potential (mV) at times ``ts`` (ms) under current I.

    Protocol: rest at zero current (``model.initial_state()``), then ``I = current``
    (uA/cm^2) from t = 0 to ``ts[-1]``; ``ts`` increasing, ``ts[0] >= 0``.

    Args:
        current: the injected constant current (uA/cm^2).
        rtol, atol: solver tolerances (default 1e-8 in float64, 1e-5 in float32).

    Predictors are cached by their arguments (one compiled fit per protocol).

    >>> voltage_trace_predictor(10.0) is voltage_trace_predictor(10)
    True
    """
    return _trace_predictor(float(current), *_tols(rtol, atol))


@functools.cache
def _trace_predictor(current, rtol, atol):
    controller = make_controller(rtol, atol)

    def predict(model, ts):
        ts = jnp.asarray(ts, dtype=jnp.result_type(float))
        traj = simulate(
            model,
            ts[-1],
            t0=0.0,
            y0=model.initial_state(),
            ts=ts,
            stimulus=Constant(current),
            stepsize_controller=controller,
            adjoint=diffrax.ForwardMode(),
            max_steps=100_000,
            throw=False,
        )
        return jnp.where(traj.success, traj.ys[:, 0], jnp.nan)

    predict.__name__ = f"predict_voltage_trace_I{current:g}"
    return eqx.filter_jit(predict)


def smooth_rate(
    v: ArrayLike, dt: float, *, threshold: float = 0.0, transient: float = 0.0, t0: float = 0.0
) -> Array:
    """Mean-ISI firing rate (Hz) from a voltage trace on a uniform grid, differentiable in V.

    ``v[k]`` is V (mV) at ``t0 + k dt`` (ms). Upward crossings of ``threshold`` are located by
    linear interpolation (``tau = t_k + dt (thr - V_k)/(V_{k+1} - V_k)``); with the n
    crossings at ``tau >= transient`` the rate is ``1000 (n - 1)/(tau_last - tau_first)``,
    0 if n < 2. The gradient flows through the crossing times, not through n.

    >>> import jax.numpy as jnp
    >>> t = jnp.arange(0.0, 1000.0, 0.5)
    >>> round(float(smooth_rate(jnp.sin(2 * jnp.pi * t / 50.0), 0.5)), 6)  # 20 Hz
    20.0
    """
    v = jnp.asarray(v)
    a, b = v[:-1], v[1:]
    up = (a < threshold) & (b >= threshold)
    denom = jnp.where(up, b - a, 1.0)
    k = jnp.arange(a.shape[0], dtype=v.dtype)
    tau = t0 + dt * (k + jnp.where(up, (threshold - a) / denom, 0.0))
    counted = up & (tau >= transient)
    n = jnp.sum(counted)
    first = jnp.min(jnp.where(counted, tau, jnp.inf))
    last = jnp.max(jnp.where(counted, tau, -jnp.inf))
    span = jnp.where(n >= 2, last - first, 1.0)
    return jnp.where(n >= 2, 1000.0 * (n - 1) / span, 0.0)


def fi_rate_predictor(
    duration: float = 1000.0,
    transient: float = 200.0,
    *,
    dt: float = 0.25,
    threshold: float = 0.0,
    rtol: float | None = None,
    atol: float | None = None,
) -> Callable[[object, jax.Array], jax.Array]:
    """``predict(model, currents)``: smooth firing rate (Hz) at each current (uA/cm^2).

    Each current runs from rest (zero current) for ``duration`` ms; V is saved every ``dt``
    ms and reduced by :func:`smooth_rate` over ``[transient, duration)`` (see the module
    docstring for how the spike count is differentiated). Currents run vmapped in one solve.

    Args:
        duration, transient: run length and discarded transient (ms), defaults 1000, 200.
        dt: save-grid spacing (ms) for locating crossings, default 0.25 (spike upstrokes of
            Morris--Lecar last several ms; use <= 0.05 for Hodgkin--Huxley).
        threshold: spike threshold (mV), default 0.
        rtol, atol: solver tolerances (default 1e-8 in float64, 1e-5 in float32).

    >>> fi_rate_predictor() is fi_rate_predictor(1000.0, 200.0)
    True
    """
    positive("duration", duration)
    positive("dt", dt)
    if not 0.0 <= transient < duration:
        raise ValueError(f"transient must be in [0, duration), got transient={transient!r}")
    return _rate_predictor(
        float(duration), float(transient), float(dt), float(threshold), *_tols(rtol, atol)
    )


@functools.cache
def _rate_predictor(duration, transient, dt, threshold, rtol, atol):
    controller = make_controller(rtol, atol)
    n_grid = int(round(duration / dt)) + 1

    def predict(model, currents):
        dtype = jnp.result_type(float)
        ts = jnp.linspace(0.0, (n_grid - 1) * dt, n_grid, dtype=dtype)
        y0 = model.initial_state()

        def one(current):
            traj = simulate(
                model,
                ts[-1],
                t0=0.0,
                y0=y0,
                ts=ts,
                stimulus=Constant(current),
                stepsize_controller=controller,
                adjoint=diffrax.ForwardMode(),
                max_steps=200_000,
                throw=False,
            )
            rate = smooth_rate(traj.ys[:, 0], dt, threshold=threshold, transient=transient)
            return jnp.where(traj.success, rate, jnp.nan)

        return jax.vmap(one)(jnp.asarray(currents, dtype=dtype))

    predict.__name__ = "predict_fi_rate"
    return eqx.filter_jit(predict)

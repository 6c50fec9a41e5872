"""Batched f-I curves with on-the-fly spike detection, and rheobase.

Protocol (defaults; every one can be overridden): start from the model's resting state at zero
current; the constant current I steps on at t = 0 and lasts ``duration`` ms; spikes are upward
crossings of ``threshold`` = 0 mV (re-armed after V falls below ``threshold - hysteresis``);
only spikes in ``[transient, duration)`` count. With n such spikes the rate is the mean-ISI rate

    rate = 1000 (n - 1) / (t_last - t_first)  Hz   if n >= 2, else 0,

and the count rate ``1000 n / (duration - transient)`` Hz is returned too.

>>> import bioact.neuron as bn, jax.numpy as jnp
>>> res = bn.fi_curve(bn.HodgkinHuxley(), jnp.array([0.0, 10.0]), duration=300.0)
>>> [round(float(r)) for r in res.rate_hz]  # doctest: +SKIP
[0, 68]
"""

from __future__ import annotations

from typing import NamedTuple

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Bool, Float

from bioact._checks import check, nonnegative, positive
from bioact.batching import map_chunks
from bioact.errors import ConvergenceError, SimulationError
from bioact.neuron.spikes import OBSERVER_NAMES, SpikeObserver
from bioact.solve import UnrolledERK, make_controller, simulate
from bioact.stimuli import Constant

__all__ = ["FICurve", "fi_curve", "rheobase"]

#: Default solver for f-I curves at the default (loose) tolerances: Bogacki--Shampine 3(2)
#: with its stages unrolled. Its HH rates are within 0.05 Hz of an rtol = 1e-10 reference at
#: every current from 0 to 20 uA/cm^2, also next to the bistable onset near 6.3 uA/cm^2 where
#: Tsit5 at the same tolerance is off by 0.5 Hz (and by 52 Hz at rtol 5e-4); at half the
#: vector-field evaluations per step it runs as fast as Tsit5 and compiles faster (4 inlined
#: vector fields, not 7), which is most of a first call (benchmarks/fi_curve.py). Below
#: rtol = 1e-5 a third-order method needs too many steps, and :func:`fi_curve` uses
#: :data:`TIGHT_SOLVER` (Tsit5, unrolled) instead.
DEFAULT_SOLVER = UnrolledERK(diffrax.Bosh3())
TIGHT_SOLVER = UnrolledERK(diffrax.Tsit5())
#: Default tolerances (rates within 0.06 Hz of the reference for all five presets; the spike
#: phase drifts by up to ~1.7 ms over 1 s, so pass tighter ones for precise spike times).
DEFAULT_RTOL = 3e-4
DEFAULT_ATOL = 3e-4


class FICurve(eqx.Module):
    """Result of :func:`fi_curve` (arrays over currents, leading shape ``(n_currents,)``).

    Attributes:
        currents: injected currents (uA/cm^2).
        rate_hz: mean-ISI rate in the counting window (Hz), 0 with fewer than 2 spikes.
        count_rate_hz: spikes in the window / window length (Hz).
        n_spikes: spikes in the window.
        n_spikes_total: spikes from t = 0.
        first_spike_ms: time of the first spike from t = 0 (latency, ms), NaN if none.
        spike_times_ms: the first ``max_spikes`` spike times in the window (NaN-padded),
            shape ``(n_currents, max_spikes)``.
        success: False where the solve failed (rates are NaN there).
        num_steps: accepted + rejected solver steps per current.
        final_state: model state at t = duration, shape ``(n_currents, n_states)``.
    """

    currents: Float[Array, " n"]
    rate_hz: Float[Array, " n"]
    count_rate_hz: Float[Array, " n"]
    n_spikes: Array
    n_spikes_total: Array
    first_spike_ms: Float[Array, " n"]
    spike_times_ms: Float[Array, "n k"]
    success: Bool[Array, " n"]
    num_steps: Array
    final_state: Array

    @property
    def isis_ms(self) -> Array:
        """Inter-spike intervals from ``spike_times_ms`` (NaN-padded), shape ``(n, k - 1)``."""
        return jnp.diff(self.spike_times_ms, axis=-1)

    def failed(self) -> np.ndarray:
        """Indices of currents whose solve failed."""
        return np.nonzero(~np.asarray(self.success))[0]


class _Options(NamedTuple):
    """Static solver settings of :func:`_fi_core` (hashable: part of the compile key).

    The defaults are :func:`fi_curve`'s (a test keeps the two in step), for internal callers
    such as the ``firing_rate`` sweep quantity."""

    solver: diffrax.AbstractAdaptiveSolver = DEFAULT_SOLVER
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    max_steps: int = 200_000
    max_spikes: int = 0
    pcoeff: float = 0.0
    icoeff: float = 1.0
    dtmax: float = 10.0
    refine: int = 2


def _fi_impl(model, y0, currents, duration, transient, threshold, hysteresis, opts) -> FICurve:
    """The whole f-I computation, traceable: resting state (if ``y0`` is None), the vmapped
    observed solves, and the rate summary, so a first call compiles one XLA program."""
    n_states = len(model.state_names)
    if y0 is None:
        y0 = model.initial_state()
    y0 = jnp.broadcast_to(y0, currents.shape + (n_states,))
    observer = SpikeObserver(
        opts.solver,
        opts.max_spikes,
        threshold,
        hysteresis,
        transient,
        duration,
        opts.refine,
    )
    controller = make_controller(
        opts.rtol, opts.atol, pcoeff=opts.pcoeff, icoeff=opts.icoeff, dtmax=opts.dtmax
    )

    def one(current, y0):
        traj = simulate(
            model,
            duration,
            stimulus=Constant(current),
            y0=y0,
            saveat=diffrax.SaveAt(t1=True, solver_state=True),
            solver=observer,
            stepsize_controller=controller,
            max_steps=opts.max_steps,
            adjoint=_adjoint(opts.solver),
            throw=False,
        )
        return traj.ys[-1], traj.solver_state[1], traj.success, traj.num_steps

    ys, obs, success, num_steps = jax.vmap(one)(currents, y0)
    return _summarise(currents, ys, obs, success, num_steps, duration, transient)


_fi_core = eqx.filter_jit(_fi_impl)


def _adjoint(solver):
    """f-I rates are piecewise constant in the parameters: nothing to reverse-differentiate,
    and ``diffrax.ForwardMode``'s plain while loop compiles ~0.2 s faster than the default
    checkpointed one. (ForwardMode rewrites diffrax's own Runge--Kutta solvers, which it sees
    through our wrapper and cannot edit there: those keep the default adjoint.)"""
    return None if isinstance(solver, diffrax.AbstractRungeKutta) else diffrax.ForwardMode()


def fi_curve(
    model,
    currents: ArrayLike,
    duration: float = 1000.0,
    transient: float = 200.0,
    *,
    threshold: float = 0.0,
    hysteresis: float = 10.0,
    y0: ArrayLike | None = None,
    max_spikes: int = 0,
    solver: diffrax.AbstractAdaptiveSolver | None = None,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    pcoeff: float = 0.0,
    icoeff: float = 1.0,
    dtmax: float = 10.0,
    refine: int = 2,
    max_steps: int = 200_000,
    workers: int | None = None,
    throw: bool = True,
) -> FICurve:
    """Firing rate vs constant injected current, all currents in one vmapped, jitted solve.

    Args:
        model: a neuron model (V must be the first state).
        currents: injected currents (uA/cm^2), 1-D.
        duration: length of each run (ms), default 1000.
        transient: spikes before this time (ms) are not counted, default 200.
        threshold: spike threshold (mV), default 0.
        hysteresis: re-arm after V < threshold - hysteresis (mV), default 10.
        y0: initial state, shape ``(n_states,)`` or one per current ``(n_currents, n_states)``;
            default the resting state at zero current.
        max_spikes: also record the first ``max_spikes`` spike times in the window.
        solver: adaptive diffrax solver; default :data:`DEFAULT_SOLVER` (Bosh3 with its
            stages unrolled; see :class:`bioact.solve.UnrolledERK`) when ``rtol >= 1e-5``,
            else :data:`TIGHT_SOLVER` (Tsit5, unrolled).
        rtol, atol, pcoeff, icoeff: PID step-size controller settings.
        dtmax: largest step (ms), default 10. Needed: at an exact fixed point the error
            estimate is 0 and an unbounded step would grow to inf and stall the solve.
        refine: regula-falsi iterations locating each crossing on the dense interpolant
            (0: linear interpolation between the step's end points), default 2.
        max_steps: step budget per current.
        workers: split the currents into this many equal chunks solved concurrently from
            a thread pool (:func:`bioact.batching.map_chunks`; one compilation). Default:
            on the CPU backend the cores this process may use, with at least ``MIN_CHUNK``
            currents per chunk; 1 (one vmapped batch) on accelerators. XLA runs a vmapped
            solve of a few hundred currents on one core, so on 2 cores two chunks take
            ~0.55x the time of one batch.
        throw: raise :class:`SimulationError` naming the failed currents; with
            ``throw=False`` failures are flagged in ``success`` (rates NaN there).

    Returns:
        :class:`FICurve`. The function compiles once per (model type, number of currents,
        solver options); new parameter values or currents of the same shape reuse it.

    >>> import bioact.neuron as bn, jax.numpy as jnp
    >>> res = bn.fi_curve(bn.WangBuzsaki(), jnp.linspace(0, 2, 5), duration=500.0)
    """
    # Validation and conversions run in NumPy: an eager jnp operation would compile its own
    # small XLA program (tens of ms each) on the first call.
    dtype = np.dtype(jnp.result_type(float))
    currents = np.atleast_1d(np.asarray(currents, dtype=dtype))
    check("currents", currents, lambda a: (a.ndim == 1) & np.all(np.isfinite(a)), "finite 1-D")
    positive("duration", duration)
    nonnegative("transient", transient)
    check("transient", transient, lambda a: a < duration, f"< duration={duration}")
    positive("hysteresis", hysteresis)
    if not isinstance(max_spikes, int) or max_spikes < 0:
        raise ValueError(f"max_spikes must be an int >= 0, got max_spikes={max_spikes!r}")
    n_states = len(model.state_names)
    if y0 is not None:
        y0 = np.asarray(y0, dtype=dtype)
        check(
            "y0",
            y0,
            lambda a: a.shape[-1:] == (n_states,) and a.ndim <= 2,
            f"shape ({n_states},) or (n_currents, {n_states})",
        )
        y0 = np.broadcast_to(y0, currents.shape + (n_states,))
    if solver is None:
        solver = DEFAULT_SOLVER if rtol >= 1e-5 else TIGHT_SOLVER
    opts = _Options(solver, rtol, atol, max_steps, max_spikes, pcoeff, icoeff, dtmax, refine)
    scalars = tuple(np.asarray(x, dtype) for x in (duration, transient, threshold, hysteresis))

    def solve(currents, y0=y0):
        return _fi_core(model, y0, currents, *scalars, opts)

    batched = (currents,) if y0 is None else (currents, y0)
    result = map_chunks(solve, *batched, workers=workers, min_chunk=MIN_CHUNK)
    if throw and not np.all(np.asarray(result.success)):
        bad = result.failed()
        shown = ", ".join(f"{float(currents[i]):g}" for i in bad[:10])
        raise SimulationError(
            f"{bad.size} of {currents.size} f-I solves failed (currents {shown} uA/cm^2). "
            "Try a larger max_steps or looser rtol/atol, or pass throw=False to keep the rest.",
            failed=tuple((int(i),) for i in bad),
        )
    return result


#: Fewest currents per chunk when :func:`fi_curve` splits a batch over CPU cores.
MIN_CHUNK = 32


def _summarise(currents, ys, obs, success, num_steps, duration, transient) -> FICurve:
    k = len(OBSERVER_NAMES)
    _, n_win, t_first, t_last, n_tot, t_any = (obs[:, i] for i in range(k))
    span = t_last - t_first
    rate = jnp.where(
        (n_win >= 2) & (span > 0), 1000.0 * (n_win - 1) / jnp.where(span > 0, span, 1.0), 0.0
    )
    nan = jnp.nan
    buf = obs[:, k:]
    return FICurve(
        currents=currents,
        rate_hz=jnp.where(success, rate, nan),
        count_rate_hz=jnp.where(success, 1000.0 * n_win / (duration - transient), nan),
        n_spikes=jnp.where(success, n_win, nan),
        n_spikes_total=jnp.where(success, n_tot, nan),
        first_spike_ms=jnp.where(success & (t_any >= 0), t_any, nan),
        spike_times_ms=jnp.where(success[:, None] & (buf >= 0), buf, nan),
        success=success,
        num_steps=num_steps,
        final_state=ys,
    )


def rheobase(
    model,
    i_low: float = 0.0,
    i_high: float = 200.0,
    *,
    tol: float = 0.01,
    n_per_round: int = 16,
    **fi_kwargs,
) -> tuple[float, float]:
    """Smallest current (uA/cm^2) giving sustained firing (rate > 0 in :func:`fi_curve`).

    Vectorised bisection: each round evaluates ``n_per_round`` currents across the bracket
    in one batched :func:`fi_curve` call (same shape, so one compile), keeps the interval
    between the last silent and the first firing current, and stops when it is narrower
    than ``tol`` (default 0.01 uA/cm^2). Returns ``(rheobase, rate_at_rheobase_hz)`` where
    the rheobase is the upper (firing) end of the final bracket.

    Raises ``ValueError`` if ``i_low`` already fires or ``i_high`` does not.

    >>> import bioact.neuron as bn
    >>> i_rh, f_rh = rheobase(bn.HodgkinHuxley(), 0.0, 20.0)  # doctest: +SKIP
    """
    positive("tol", tol)
    check("i_high", i_high, lambda a: a > i_low, f"> i_low={i_low}")
    lo, hi = float(i_low), float(i_high)
    ends = fi_curve(model, jnp.array([lo, hi] + [hi] * (n_per_round - 2)), **fi_kwargs)
    if float(ends.rate_hz[0]) > 0:
        raise ValueError(f"i_low must be a silent current, but i_low={lo} fires")
    if not float(ends.rate_hz[1]) > 0:
        raise ValueError(f"i_high must be a firing current, but i_high={hi} is silent")
    rate_hi = float(ends.rate_hz[1])
    for _ in range(60):
        if hi - lo <= tol:
            return hi, rate_hi
        grid = np.linspace(lo, hi, n_per_round + 2)[1:-1]
        rates = np.asarray(fi_curve(model, jnp.asarray(grid), **fi_kwargs).rate_hz)
        firing = np.nonzero(rates > 0)[0]
        if firing.size:
            j = int(firing[0])
            hi, rate_hi = float(grid[j]), float(rates[j])
            lo = float(grid[j - 1]) if j > 0 else lo
        else:
            lo = float(grid[-1])
    raise ConvergenceError(f"rheobase bisection did not reach tol={tol} in 60 rounds")

"""Input protocols for feed-forward loops, as :mod:`bioact.stimuli` stimuli of the signal Sx(t).

* ``on``: Sx steps 0 -> level at ``t_on``; the circuit starts from Y = Z = 0.
* ``off``: Sx steps level -> 0 at ``t_on``; the circuit starts from the ON steady state.
* ``pulse``: Sx = level on ``[t_on, t_on + width)``, 0 otherwise; starts from the Sx = 0
  steady state.
* ``foldchange``: Sx steps a -> F a at ``t_on``; starts from the Sx = a steady state
  (Goentoro, Shoval, Kirschner & Alon 2009, Mol. Cell 36:894).

>>> from bioact.circuits import FFL, run_protocol
>>> res = run_protocol(FFL("i1", "and"), "foldchange", a=0.1, fold=2.0, t_end=10.0)
>>> float(res.stimulus(-1.0)), float(res.stimulus(1.0))
(0.1, 0.2)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import diffrax
import jax.numpy as jnp
import numpy as np

from bioact._checks import is_concrete, nonnegative, positive
from bioact.solve import AbstractModel, Trajectory, make_controller, simulate
from bioact.stimuli import AbstractStimulus, Pulse, Step

__all__ = [
    "PROTOCOLS",
    "ProtocolResult",
    "fold_change",
    "input_pulse",
    "make_protocol",
    "run_protocol",
    "step_off",
    "step_on",
]

PROTOCOLS: tuple[str, ...] = ("on", "off", "pulse", "foldchange")

#: :func:`run_protocol` caps the step at ``(t_end - t_start) / MIN_STEPS`` (see ``dtmax``).
MIN_STEPS: int = 40


def step_on(level: float = 1.0, t_on: float = 0.0) -> Step:
    """Sx: 0 before ``t_on``, ``level`` after (a :class:`bioact.stimuli.Step`)."""
    nonnegative("level", level)
    return Step(t_on=t_on, amplitude=level)


def step_off(level: float = 1.0, t_on: float = 0.0) -> Step:
    """Sx: ``level`` before ``t_on``, 0 after."""
    nonnegative("level", level)
    return Step(t_on=t_on, amplitude=-level, baseline=level)


def input_pulse(width: float = 1.0, level: float = 1.0, t_on: float = 0.0) -> Pulse:
    """Sx: ``level`` on ``[t_on, t_on + width)`` (time units of 1/alpha), 0 otherwise."""
    positive("width", width)
    nonnegative("level", level)
    return Pulse(t_on=t_on, width=width, amplitude=level)


def fold_change(a: float = 0.1, fold: float = 2.0, t_on: float = 0.0) -> Step:
    """Sx: ``a`` before ``t_on``, ``fold * a`` after (fold-change step a -> F a)."""
    positive("a", a)
    positive("fold", fold)
    return Step(t_on=t_on, amplitude=(fold - 1.0) * a, baseline=a)


class ProtocolResult(NamedTuple):
    """A simulated protocol: the model, the stimulus, input levels and the trajectory.

    ``s_before``/``s_after`` are Sx before/after the switch at ``t_on``; ``s_on`` is the
    level the circuit is "switched to" (the pulse level for ``pulse``, ``s_before`` for
    ``off``): the level at which steady states are matched against simple regulation.
    """

    protocol: str
    model: AbstractModel
    stimulus: AbstractStimulus
    traj: Trajectory
    s_before: float
    s_after: float
    s_on: float
    t_on: float
    y0: jnp.ndarray


def make_protocol(
    protocol: str,
    *,
    level: float = 1.0,
    width: float = 1.0,
    a: float = 0.1,
    fold: float = 2.0,
    t_on: float = 0.0,
) -> tuple[AbstractStimulus, float, float, float]:
    """``(stimulus, s_before, s_after, s_on)`` for a protocol name in :data:`PROTOCOLS`."""
    if protocol == "on":
        return step_on(level, t_on), 0.0, level, level
    if protocol == "off":
        return step_off(level, t_on), level, 0.0, level
    if protocol == "pulse":
        return input_pulse(width, level, t_on), 0.0, 0.0, level
    if protocol == "foldchange":
        return fold_change(a, fold, t_on), a, fold * a, fold * a
    raise ValueError(f"protocol must be one of {PROTOCOLS}, got protocol={protocol!r}")


def run_protocol(
    model: AbstractModel,
    protocol: str = "on",
    *,
    t_end: float | None = None,
    n_points: int = 201,
    t_start: float = 0.0,
    level: float = 1.0,
    width: float = 1.0,
    a: float = 0.1,
    fold: float = 2.0,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    solver: diffrax.AbstractSolver | None = None,
    dtmax: float | None = None,
    pid: Mapping[str, float] | None = None,
) -> ProtocolResult:
    """Simulate ``model`` (an :class:`~bioact.circuits.FFL` or simple regulation) under a protocol.

    The switch happens at t = 0; the simulation runs from ``t_start`` (<= 0) to ``t_end``
    (default 10, or ``width + 10`` for a pulse) and saves ``n_points`` equally spaced
    points (rtol/atol/solver are passed to :func:`bioact.simulate`). The initial state is
    Y = Z = 0 for ``on`` and the closed-form steady state at the pre-switch input otherwise.

    ``dtmax`` caps the solver's step; default ``(t_end - t_start) / MIN_STEPS`` (at least
    40 steps); ``math.inf`` removes the cap. Under ``vmap`` every batch element runs
    diffrax's save loop as often as the element whose step spans the most save points, so
    the long steps taken near steady state make a 10k-element sweep (201 points, 0-20) ~1.4x
    slower without the cap (``benchmarks/ffl_sweep.py``); the cap only adds steps, never
    error, and costs little because these solves need ~40 steps anyway. ``pid``: extra
    ``diffrax.PIDController`` options, e.g. ``{"pcoeff": 0.3, "icoeff": 0.3}`` (a PI
    controller; on the 10k I1 sweep it makes rtol 3e-6 as fast as, and 4x more accurate
    than, the default I controller at rtol 1e-6).

    >>> from bioact.circuits import FFL
    >>> res = run_protocol(FFL("c1", "and"), "off")
    >>> float(res.traj["z"][0]) > 0.7
    True
    """
    stim, s_before, s_after, s_on = make_protocol(
        protocol, level=level, width=width, a=a, fold=fold
    )
    if t_end is None:
        t_end = 10.0 + (width if protocol == "pulse" else 0.0)
    positive("t_end", t_end)
    if not t_start <= 0.0:
        raise ValueError(f"t_start must be <= 0 (the switch is at t = 0), got t_start={t_start}")
    if not isinstance(n_points, int) or n_points < 2:
        raise ValueError(f"n_points must be an int >= 2, got n_points={n_points!r}")
    if protocol == "on":
        y0 = model.initial_state()
    else:
        y0 = model.steady_state(s_before)
    ts = jnp.linspace(t_start, t_end, n_points)
    jumps = stim.jump_ts
    if is_concrete(jumps):  # a jump at (or before) the start needs no step clipping
        jumps = np.asarray(jumps)
        jumps = jnp.asarray(jumps[jumps > t_start]) if np.any(jumps > t_start) else None
    if dtmax is None:
        dtmax = (t_end - t_start) / MIN_STEPS
    positive("dtmax", dtmax)
    controller = make_controller(rtol, atol, jumps, **{"dtmax": dtmax, **(pid or {})})
    traj = simulate(
        model,
        t_end,
        t0=t_start,
        stimulus=stim,
        y0=y0,
        ts=ts,
        stepsize_controller=controller,
        solver=solver,
    )
    return ProtocolResult(protocol, model, stim, traj, s_before, s_after, s_on, 0.0, y0)

"""The solver layer: every ODE in bioact is integrated by :func:`simulate` (diffrax underneath).

A model is an :class:`AbstractModel` -- a frozen ``equinox.Module`` whose fields are its
parameters -- providing ``vector_field(t, y, stimulus)``, ``initial_state()`` and
``state_names``. Because a model is a pytree, ``jax.vmap`` over models gives parameter
sweeps and ``jax.grad`` with respect to a model gives fitting.

>>> import bioact, jax.numpy as jnp
>>> class Decay(bioact.AbstractModel):
...     rate: float = 1.0
...     state_names = ("x",)
...     def vector_field(self, t, y, stimulus):
...         return stimulus(t) - self.rate * y
...     def initial_state(self):
...         return jnp.array([1.0])
>>> traj = bioact.simulate(Decay(), 1.0, ts=jnp.array([0.0, 1.0]))
>>> round(float(traj["x"][-1]), 6)  # exp(-1)
0.367879

Failures are explicit: a solve that hits ``max_steps``, whose step size collapses or
whose state becomes non-finite raises :class:`bioact.SimulationError` with diffrax's
reason. Under ``jit``/``vmap`` nothing can be raised, so the returned
:class:`Trajectory` carries a per-element ``success`` flag and
:meth:`Trajectory.check` raises afterwards, naming the failing batch indices.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar

import diffrax
import equinox as eqx
import equinox.internal as eqxi
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Bool, Float

from bioact._checks import is_concrete
from bioact.errors import SimulationError
from bioact.stimuli import AbstractStimulus, as_stimulus

__all__ = [
    "AbstractModel",
    "Trajectory",
    "UnrolledERK",
    "default_solver",
    "make_controller",
    "simulate",
]


def parameter(default: float) -> Any:
    """A numeric model field: stored as an array (``converter=jnp.asarray``), so a new value
    is new data, not a new compilation. Use as ``g_na: Array = parameter(120.0)``."""
    return eqx.field(converter=jnp.asarray, default=default)


class AbstractModel(eqx.Module):
    """Base class of every bioact ODE model (abstract: subclasses are final).

    Subclasses declare their parameters as fields (numeric fields should use
    ``eqx.field(converter=jnp.asarray)`` so that new values never recompile; discrete
    choices are ``eqx.field(static=True)``), validate them in ``__check_init__`` with a
    ``ValueError`` naming the parameter, and define:

    * ``state_names``: class-level tuple naming the entries of the state vector ``y``;
    * ``vector_field(t, y, stimulus)``: ``dy/dt`` as an array shaped like ``y``;
      ``stimulus(t)`` is the input at time t (see :mod:`bioact.stimuli`);
    * ``initial_state()``: a sensible starting state (e.g. the resting fixed point).

    Set the class attribute ``stiff = True`` to get an implicit solver by default.
    """

    state_names: ClassVar[tuple[str, ...]]
    stiff: ClassVar[bool] = False

    @abc.abstractmethod
    def vector_field(self, t: ArrayLike, y: Array, stimulus: AbstractStimulus) -> Array:
        """Right-hand side dy/dt at time t, state y, input ``stimulus(t)``."""

    @abc.abstractmethod
    def initial_state(self) -> Array:
        """Default initial state, shape ``(len(state_names),)``."""


class Trajectory(eqx.Module):
    """A solved trajectory: ``ts`` (shape ``(..., n_t)``), ``ys`` (``(..., n_t, n_states)``).

    ``traj["V"]`` returns the named state's time series. Leading axes appear when
    :func:`simulate` was ``vmap``-ed. ``result`` holds diffrax's result codes and
    ``success`` is True where the solve finished and every saved value is finite.
    ``solver_state`` is the solver's final state when the ``saveat`` asked for it
    (``diffrax.SaveAt(solver_state=True)``), else None.
    """

    ts: Float[Array, "... n_t"]
    ys: Any
    names: tuple[str, ...] = eqx.field(static=True)
    result: Any
    success: Bool[Array, ...]
    num_steps: Array
    solver_state: Any = None

    def __getitem__(self, name: str) -> Array:
        try:
            index = self.names.index(name)
        except ValueError:
            raise ValueError(
                f"unknown state name={name!r}; this trajectory has states {self.names}"
            ) from None
        return self.ys[..., index]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return tuple(np.shape(self.success))

    def failures(self) -> list[tuple[tuple[int, ...], str]]:
        """``[(batch_index, reason), ...]`` for every failed element (empty when all succeeded)."""
        ok = np.asarray(self.success)
        codes = np.broadcast_to(np.asarray(self.result._value), ok.shape)
        out = []
        for index in zip(*np.nonzero(~ok), strict=True) if ok.ndim else ([()] if not ok else []):
            code = int(codes[index])
            if code == 0:
                reason = "the state became non-finite (NaN or inf) without the solver failing"
            else:
                reason = diffrax.RESULTS._index_to_message[code].rstrip(".")
            out.append((tuple(int(i) for i in index), reason))
        return out

    def check(self) -> Trajectory:
        """Raise :class:`SimulationError` listing the failed batch elements; return self if none."""
        failed = self.failures()
        if failed:
            shown = "; ".join(f"index {i}: {r}" if i else r for i, r in failed[:10])
            more = f" (and {len(failed) - 10} more)" if len(failed) > 10 else ""
            n_total = int(np.prod(self.batch_shape)) if self.batch_shape else 1
            raise SimulationError(
                f"{len(failed)} of {n_total} solve(s) failed: {shown}{more}. Try a larger "
                "max_steps, looser rtol/atol, or an implicit solver (solver=diffrax.Kvaerno5()) "
                "for stiff dynamics.",
                failed=tuple(i for i, _ in failed),
                reasons=tuple(r for _, r in failed),
            )
        return self


class UnrolledERK(diffrax.AbstractAdaptiveSolver):
    """An explicit Runge--Kutta method (default Tsit5) with its stages unrolled at trace time.

    diffrax runs the stages of an explicit Runge--Kutta step in an inner ``while_loop`` (one
    compiled loop body for all stages, reverse-mode friendly). For forward simulation of
    small systems under ``vmap`` that inner loop costs more than the vector field itself: on
    the Hodgkin--Huxley f-I benchmark (201 currents, one Tsit5 step = 6 vector-field
    evaluations of 11 us) a step takes 330 us with the loop and 120 us unrolled. This solver
    takes the Butcher tableau of ``base`` and writes every stage out in straight-line code,
    so XLA fuses across stages; it takes exactly the steps ``base`` takes (same tableau,
    same error estimate, same dense output via ``base.interpolation_cls``).

    Works for any ``diffrax.AbstractERK`` with a single tableau (Tsit5, Dopri5, Dopri8,
    Bosh3, Heun, ...), with ``diffrax.ODETerm`` vector fields. Forward- and reverse-mode
    differentiation work as for any straight-line JAX code.

    >>> import diffrax
    >>> solver = UnrolledERK(diffrax.Dopri5())
    """

    base: diffrax.AbstractERK = diffrax.Tsit5()
    term_structure: ClassVar = diffrax.AbstractTerm

    def __check_init__(self):
        tableau = getattr(type(self.base), "tableau", None)
        if not isinstance(self.base, diffrax.AbstractERK) or not isinstance(
            tableau, diffrax.ButcherTableau
        ):
            raise ValueError(
                "base must be an explicit Runge-Kutta solver with one Butcher tableau "
                f"(e.g. diffrax.Tsit5()), got base={self.base!r}"
            )

    @property
    def interpolation_cls(self):  # pyright: ignore[reportIncompatibleVariableOverride]
        return self.base.interpolation_cls

    def order(self, terms):
        return self.base.order(terms)

    def error_order(self, terms):
        return self.base.error_order(terms)

    def func(self, terms, t0, y0, args):
        return terms.vf(t0, y0, args)

    def init(self, terms, t0, t1, y0, args):
        # FSAL methods carry the vector field at the step's start from one step to the next.
        return terms.vf(t0, y0, args) if self.base.tableau.fsal else None

    def step(self, terms, t0, t1, y0, args, solver_state, made_jump):
        tableau = self.base.tableau
        control = terms.contr(t0, t1)
        dt = t1 - t0
        if tableau.fsal:
            f0 = solver_state
            if made_jump is not False:  # after a jump the carried value is stale
                # unvmap_any: under vmap a batched predicate would turn the cond into a
                # select that evaluates the vector field on every step (as diffrax does).
                f0 = jax.lax.cond(
                    eqxi.unvmap_any(made_jump),
                    lambda: jax.tree.map(
                        lambda new, old: jnp.where(made_jump, new, old),
                        terms.vf(t0, y0, args),
                        f0,
                    ),
                    lambda: f0,
                )
        else:
            f0 = terms.vf(t0, y0, args)
        ks = [terms.prod(f0, control)]
        f_stage = f0
        y_stage = y0
        for c_i, a_i in zip(tableau.c, tableau.a_lower, strict=True):
            y_stage = _combine(y0, a_i, ks)
            # float(): a NumPy float64 scalar is not weakly typed and would promote float32 time
            f_stage = terms.vf(t0 + float(c_i) * dt, y_stage, args)
            ks.append(terms.prod(f_stage, control))
        # FSAL tableaus evaluate their last stage at y1 itself (b_sol == a_lower[-1]).
        y1 = y_stage if tableau.fsal else _combine(y0, tableau.b_sol, ks)
        y_error = _combine(None, tableau.b_error, ks)
        dense_info = dict(y0=y0, y1=y1, k=jax.tree.map(lambda *k: jnp.stack(k), *ks))
        new_state = f_stage if tableau.fsal else None
        return y1, y_error, dense_info, new_state, diffrax.RESULTS.successful


def _combine(y0, coeffs, ks):
    """``y0 + sum_j coeffs[j] * ks[j]`` over pytrees, skipping zero coefficients."""
    out = y0
    for a, k in zip(coeffs, ks, strict=False):
        if a != 0:
            term = jax.tree.map(lambda x, a=float(a): a * x, k)
            out = term if out is None else jax.tree.map(jnp.add, out, term)
    return out


def default_solver(model: AbstractModel) -> diffrax.AbstractSolver:
    """Kvaerno5 (implicit, L-stable) for models marked ``stiff``, otherwise Tsit5 with its
    stages unrolled (:class:`UnrolledERK`: the same steps as ``diffrax.Tsit5()``, faster)."""
    return diffrax.Kvaerno5() if getattr(model, "stiff", False) else UnrolledERK()


def make_controller(
    rtol: float, atol: float, jump_ts: ArrayLike | None = None, **pid_kwargs: Any
) -> diffrax.AbstractStepSizeController:
    """A PID controller, wrapped to step exactly onto ``jump_ts`` when there are any."""
    pid = diffrax.PIDController(rtol=rtol, atol=atol, **pid_kwargs)
    if jump_ts is None:
        return pid
    return diffrax.ClipStepSizeController(pid, jump_ts=jump_ts)


def simulate(
    model: AbstractModel,
    t1: float,
    *,
    stimulus: AbstractStimulus | ArrayLike | None = None,
    y0: ArrayLike | None = None,
    t0: float = 0.0,
    ts: ArrayLike | None = None,
    saveat: diffrax.SaveAt | None = None,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-8,
    atol: float = 1e-8,
    dt0: float | None = None,
    max_steps: int = 100_000,
    stepsize_controller: diffrax.AbstractStepSizeController | None = None,
    adjoint: diffrax.AbstractAdjoint | None = None,
    throw: bool = True,
) -> Trajectory:
    """Integrate ``model`` from ``t0`` to ``t1`` (the model's time unit, e.g. ms) and save states.

    Args:
        model: an :class:`AbstractModel`.
        t1: end time (> t0).
        stimulus: a :mod:`bioact.stimuli` object or a number (constant input); default 0.
        y0: initial state; default ``model.initial_state()``.
        t0: start time, default 0.
        ts: save times; default 1001 equally spaced points on ``[t0, t1]``.
        saveat: a ``diffrax.SaveAt`` (overrides ``ts``), e.g. ``SaveAt(t1=True)`` or
            ``SaveAt(ts=..., fn=...)`` to save a reduced quantity instead of full states.
        solver: any diffrax solver; default :func:`default_solver`.
        rtol, atol: tolerances of the PID step-size controller (default 1e-8 both).
        dt0: initial step (default: chosen by the controller).
        max_steps: solver step budget (default 100,000).
        stepsize_controller: overrides the controller built from rtol/atol/jump times.
        adjoint: diffrax adjoint for gradients (default ``RecursiveCheckpointAdjoint``).
        throw: raise :class:`SimulationError` on failure when called outside ``jit``/``vmap``.

    Returns:
        A :class:`Trajectory`.
    """
    if is_concrete(t1) and is_concrete(t0) and not float(t1) > float(t0):
        raise ValueError(f"t1 must be > t0, got t0={t0}, t1={t1}")
    if not isinstance(max_steps, int) or max_steps <= 0:
        raise ValueError(f"max_steps must be a positive int, got max_steps={max_steps!r}")
    stim = as_stimulus(stimulus)
    dtype = jnp.result_type(float)
    t0 = jnp.asarray(t0, dtype=dtype)
    t1 = jnp.asarray(t1, dtype=dtype)
    y0 = model.initial_state() if y0 is None else jnp.asarray(y0, dtype=dtype)
    if saveat is None:
        ts = jnp.linspace(t0, t1, 1001) if ts is None else jnp.asarray(ts, dtype=dtype)
        saveat = diffrax.SaveAt(ts=ts)
    if stepsize_controller is None:
        stepsize_controller = make_controller(rtol, atol, stim.jump_ts)
    sol = diffrax.diffeqsolve(
        diffrax.ODETerm(model.vector_field),
        default_solver(model) if solver is None else solver,
        t0,
        t1,
        None if dt0 is None else jnp.asarray(dt0, dtype=dtype),
        y0,
        args=stim,
        saveat=saveat,
        stepsize_controller=stepsize_controller,
        max_steps=max_steps,
        adjoint=diffrax.RecursiveCheckpointAdjoint() if adjoint is None else adjoint,
        throw=False,
    )
    traj = trajectory_from_solution(sol, model.state_names)
    if throw and is_concrete(traj.success):
        traj.check()
    return traj


def trajectory_from_solution(sol: diffrax.Solution, names: tuple[str, ...]) -> Trajectory:
    """Wrap a ``diffrax.Solution``; ``success`` = solver succeeded and all saved values finite."""
    finite = jnp.array(True)
    for leaf in jax.tree_util.tree_leaves(sol.ys):
        finite = finite & jnp.all(jnp.isfinite(leaf))
    success = (sol.result == diffrax.RESULTS.successful) & finite
    return Trajectory(
        ts=sol.ts,
        ys=sol.ys,
        names=tuple(names),
        result=sol.result,
        success=success,
        num_steps=sol.stats["num_steps"],
        solver_state=sol.solver_state,
    )

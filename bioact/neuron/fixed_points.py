"""Fixed points of conductance models, their stability, and the bifurcation at spike onset.

For a model whose gates relax to ``x_inf(V)``, every fixed point at injected current I is
``(V*, x_inf(V*))`` with ``I_ss(V*) = I`` where ``I_ss(V) = I_ion(V, x_inf(V))``
(:meth:`AbstractNeuron.steady_state_current`). So fixed points are roots of a scalar function:
found on a voltage grid, polished by regula falsi. Stability comes from the eigenvalues of
the Jacobian ``df/dy`` (``jax.jacfwd``). Along the resting branch (the lowest-voltage fixed
point) the rest state is lost either where a complex pair crosses the imaginary axis (Hopf)
or at a fold ``dI_ss/dV = 0`` where a real eigenvalue goes through zero (saddle-node).

>>> import bioact.neuron as bn
>>> bif = bn.find_bifurcation(bn.HodgkinHuxley())
>>> bif.kind, round(bif.current, 1)
('hopf', 9.8)
"""

from __future__ import annotations

import dataclasses

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike

from bioact.errors import ConvergenceError
from bioact.stimuli import Constant

__all__ = [
    "Bifurcation",
    "eigenvalues",
    "find_bifurcation",
    "fixed_points",
    "resting_branch",
    "resting_state",
]

#: Voltage window (mV) searched for fixed points.
V_RANGE = (-100.0, 60.0)
_N_GRID = 1601
_N_ILLINOIS = 20


def _bracket_root(model, current, lo, hi):
    """Root of ``I_ss(V) - I`` in a sign-change bracket ``[lo, hi]`` (jit-safe).

    The Illinois variant of regula falsi (Dowell & Jarratt 1971): superlinear (order ~1.44),
    never leaves the bracket, needs no derivative. From a 0.1 mV grid bracket it reaches
    rounding level in well under ``_N_ILLINOIS`` iterations, with one vector-field evaluation
    per iteration in one loop body (a bisection + ``jax.grad`` Newton polish tripled the
    compile time of :func:`resting_state`). A last Newton step with the slope held constant
    leaves the value unchanged (the residual is at rounding level) but gives the exact
    implicit-function derivative ``dV*/dp = -(dg/dp) / g'(V*)`` to ``jax.grad``/``jvp``,
    which differentiating through the iterations would only approximate.
    """
    g = lambda v: model.steady_state_current(v) - current  # noqa: E731

    def illinois(_, carry):
        a, ga, b, gb, wa, wb, side = carry  # ga, gb: true residuals; wa, wb: working ones
        den = wb - wa
        c = jnp.where(den != 0, (a * wb - b * wa) / jnp.where(den != 0, den, 1.0), 0.5 * (a + b))
        gc = g(c)
        # c replaces the end whose residual has gc's sign; if the same end is kept twice in
        # a row, its working residual is halved (the Illinois step).
        same_as_b = jnp.sign(gc) == jnp.sign(gb)
        a, ga, wa = (
            jnp.where(same_as_b, a, c),
            jnp.where(same_as_b, ga, gc),
            jnp.where(same_as_b, jnp.where(side == 1, 0.5 * wa, wa), gc),
        )
        b, gb, wb = (
            jnp.where(same_as_b, c, b),
            jnp.where(same_as_b, gc, gb),
            jnp.where(same_as_b, gc, jnp.where(side == -1, 0.5 * wb, wb)),
        )
        return a, ga, b, gb, wa, wb, jnp.where(same_as_b, 1, -1)

    glo, ghi = g(lo), g(hi)
    init = (lo, glo, hi, ghi, glo, ghi, 0)
    a, ga, b, gb, *_ = jax.lax.fori_loop(0, _N_ILLINOIS, illinois, init)
    v = jax.lax.stop_gradient(jnp.where(jnp.abs(ga) <= jnp.abs(gb), a, b))
    slope = jax.lax.stop_gradient(jax.jvp(g, (v,), (jnp.ones_like(v),))[1])
    step = g(v) / jnp.where(slope != 0, slope, 1.0)
    return v - jnp.where(jnp.isfinite(step), step, 0.0)


def _resting_state(model, current):
    dtype = jnp.result_type(float)
    current = jnp.asarray(current, dtype=dtype)
    grid = jnp.linspace(*V_RANGE, _N_GRID, dtype=dtype)
    g = jax.vmap(model.steady_state_current)(grid) - current
    change = jnp.sign(g[:-1]) != jnp.sign(g[1:])
    i = jnp.argmax(change)
    v = _bracket_root(model, current, grid[i], grid[i + 1])
    v = jnp.where(jnp.any(change), v, jnp.nan)
    return model.steady_state(v)


_resting_state_jit = eqx.filter_jit(_resting_state)


def resting_state(model, current: ArrayLike = 0.0) -> Array:
    """The lowest-voltage fixed point of ``model`` at constant ``current`` (uA/cm^2).

    Found by locating the first sign change of ``I_ss(V) - I`` on a grid over
    ``V_RANGE`` = (-100, 60) mV (0.1 mV spacing), and polishing with regula falsi (Illinois)
    (``|f(y*)|`` is at rounding level). Jit- and vmap-safe; NaNs if no fixed point lies in
    the window.

    >>> import bioact.neuron as bn
    >>> y = resting_state(bn.WangBuzsaki())
    """
    return _resting_state_jit(model, current)


@eqx.filter_jit
def _root_state(model, current, lo, hi):
    return model.steady_state(_bracket_root(model, current, lo, hi))


def fixed_points(model, current: float = 0.0) -> np.ndarray:
    """All fixed points at constant ``current`` with V in (-100, 60) mV, shape ``(k, n_states)``.

    Sorted by voltage. Concrete (not jit-able: the number of roots varies).

    >>> import bioact.neuron as bn
    >>> fixed_points(bn.MorrisLecar.type1(), 0.0).shape  # node, saddle, focus
    (3, 2)
    """
    grid = np.linspace(*V_RANGE, _N_GRID)
    g = np.asarray(jax.vmap(model.steady_state_current)(jnp.asarray(grid))) - current
    idx = np.nonzero(np.sign(g[:-1]) != np.sign(g[1:]))[0]
    out = [np.asarray(_root_state(model, current, grid[i], grid[i + 1])) for i in idx]
    n = len(model.state_names)
    return np.array(out).reshape(-1, n)


def eigenvalues(model, y: ArrayLike, current: ArrayLike = 0.0) -> Array:
    """Eigenvalues (1/ms) of the Jacobian ``df/dy`` at state ``y`` and constant ``current``."""
    stim = Constant(current)
    jac = jax.jacfwd(lambda z: model.vector_field(0.0, z, stim))(jnp.asarray(y))
    return jnp.linalg.eigvals(jac)


@dataclasses.dataclass(frozen=True)
class Bifurcation:
    """Where the resting state is lost as the injected current rises.

    Attributes:
        kind: ``"hopf"`` (complex pair crosses Re = 0) or ``"saddle-node"`` (the resting
            branch folds: a real eigenvalue crosses 0), or ``"none"`` in the scanned range.
        current: bifurcation current (uA/cm^2), NaN for ``"none"``.
        voltage: V of the fixed point there (mV).
        frequency_hz: ``Im(lambda) / (2 pi) * 1000`` at a Hopf point (Hz), else 0.
    """

    kind: str
    current: float
    voltage: float
    frequency_hz: float = 0.0


@eqx.filter_jit
def _branch(model, currents):
    def one(i):
        y = _resting_state(model, i)
        return y, eigenvalues(model, y, i)

    return jax.vmap(one)(currents)


def resting_branch(model, currents: ArrayLike) -> tuple[Array, Array]:
    """``(states, eigenvalues)`` of the lowest-voltage fixed point at each current.

    Shapes ``(n, n_states)`` and ``(n, n_states)`` (complex). NaN where no fixed point.
    """
    return _branch(model, jnp.asarray(currents, dtype=jnp.result_type(float)))


@eqx.filter_jit
def _fold_newton(model, v):
    d1 = jax.grad(model.steady_state_current)
    d2 = jax.grad(d1)
    v = jax.lax.fori_loop(0, 30, lambda _, v: v - d1(v) / d2(v), v)
    return model.steady_state_current(v), v


@eqx.filter_jit
def _dI_grid(model, grid):
    return jax.vmap(jax.grad(model.steady_state_current))(grid)


def _fold(model) -> tuple[float, float] | None:
    """First local maximum of ``I_ss(V)`` above the resting voltage: ``(current, voltage)``."""
    grid = np.linspace(*V_RANGE, 16001)
    dI = np.asarray(_dI_grid(model, jnp.asarray(grid)))
    v_rest = float(resting_state(model, 0.0)[0])
    idx = np.nonzero((dI[:-1] > 0) & (dI[1:] <= 0) & (grid[:-1] > v_rest - 1.0))[0]
    if idx.size == 0:
        return None
    i_fold, v_fold = _fold_newton(model, jnp.asarray(0.5 * (grid[idx[0]] + grid[idx[0] + 1])))
    return float(i_fold), float(v_fold)


def find_bifurcation(model, i_max: float = 200.0, n: int = 201) -> Bifurcation:
    """Locate the bifurcation that destroys the resting state for currents in ``[0, i_max]``.

    The resting branch is followed from 0 up to the first fold of ``I_ss(V)`` (or
    ``i_max``) on ``n`` currents; the first current where the largest real part of the
    Jacobian eigenvalues turns positive is refined (three rounds of an ``n``-point grid,
    i.e. to ``range / n^3``). A crossing by a complex pair before the fold is a Hopf point;
    otherwise the fold is a saddle-node (SNIC when it lies on the limit cycle, see
    :func:`classify_excitability`).
    """
    fold = _fold(model)
    top = min(i_max, fold[0]) if fold is not None else i_max
    lo, hi = 0.0, top
    ev0 = np.asarray(resting_branch(model, jnp.zeros(1))[1])[0]
    if np.max(ev0.real) > 0:
        raise ConvergenceError("the resting state is already unstable at zero current")
    found = False
    for _ in range(3):
        currents = np.linspace(lo, hi, n)
        ys, eigs = resting_branch(model, currents)
        re = np.max(np.real(np.asarray(eigs)), axis=-1)
        bad = np.nonzero(~(re < 0))[0]
        if bad.size == 0:
            break
        found = True
        k = max(int(bad[0]), 1)
        lo, hi = currents[k - 1], currents[k]
    if found:
        y = np.asarray(resting_state(model, hi))
        y_lo = np.asarray(resting_state(model, lo))
        ev = np.asarray(eigenvalues(model, y, hi))
        lead = ev[np.argmax(ev.real)]
        continuous = abs(y[0] - y_lo[0]) < 0.5
        if continuous and abs(lead.imag) > 1e-9 and hi < top - 1e-6:
            return Bifurcation("hopf", float(hi), float(y[0]), abs(lead.imag) / (2 * np.pi) * 1e3)
    if fold is not None and fold[0] <= i_max:
        return Bifurcation("saddle-node", fold[0], fold[1])
    return Bifurcation("none", float("nan"), float("nan"))

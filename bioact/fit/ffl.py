"""Feed-forward-loop time courses as fitting targets: ``predict(model, ts)`` for an FFL protocol.

:func:`ffl_predictor` returns a ``predict(model, ts)`` for :func:`bioact.fit.fit` that runs the
same protocol as :func:`bioact.circuits.run_protocol` (switch at t = 0; Y = Z = 0 at the start
for ``on``, the closed-form steady state at the pre-switch input otherwise) through
:func:`bioact.simulate` with ``adjoint=diffrax.ForwardMode()`` (so the default forward-mode
Levenberg--Marquardt Jacobian differentiates through the solver) and returns Z at ``ts``, or
``(Y, Z)`` columns when Y is observed too. Predictors are cached by their arguments, so
refitting with the same protocol reuses one compiled fit.

Only combinations that change the trajectory are identifiable: with a single step ON, X* is
constant after the switch, so ``k_xz`` (and ``n_xz``) enter only through the product
``beta_z f_xz(X*)``, and ``k_xy`` only through ``beta_y f_xy(X*)``. Fit ``beta_z``,
``alpha_z`` and ``k_yz`` (plus ``beta_y``, ``alpha_y`` when Y is observed) and keep those
fixed, or combine several input levels.

>>> import jax.numpy as jnp
>>> from bioact.circuits import FFL
>>> predict = ffl_predictor("on")
>>> z = predict(FFL("i1", "and"), jnp.linspace(0.0, 10.0, 5))
>>> z.shape
(5,)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp

from bioact.circuits.ffl import PARAM_NAMES
from bioact.circuits.protocols import make_protocol
from bioact.solve import make_controller, simulate

__all__ = ["FFL_FIT_TRANSFORMS", "ffl_predictor"]

#: Every FFL parameter is positive: fit them in log space (``fit(..., transforms=...)``).
FFL_FIT_TRANSFORMS: dict[str, str] = dict.fromkeys(PARAM_NAMES, "log")


def ffl_predictor(
    protocol: str = "on",
    observe: tuple[str, ...] = ("z",),
    *,
    level: float = 1.0,
    width: float = 1.0,
    a: float = 0.1,
    fold: float = 2.0,
    rtol: float | None = None,
    atol: float | None = None,
) -> Callable[[object, jax.Array], jax.Array]:
    """``predict(model, ts)``: the observed species of an FFL under ``protocol`` at times ``ts``.

    Args:
        protocol: "on", "off", "pulse" or "foldchange" (:func:`bioact.circuits.make_protocol`;
            the input switches at t = 0, in units of 1/alpha).
        observe: ("z",) -> shape ``(len(ts),)``; ("y", "z") -> shape ``(len(ts), 2)``.
        level, width, a, fold: protocol parameters (input level, pulse width, fold change).
        rtol, atol: solver tolerances (default 1e-8, 1e-10; 1e-5, 1e-7 in float32).

    The simulation starts at ``min(ts[0], 0)`` and ends at ``ts[-1]`` (ts increasing).

    >>> ffl_predictor("on") is ffl_predictor("on", ("z",), width=1.0)  # one compiled fit
    True
    """
    observe = tuple(observe)
    if observe not in (("z",), ("y",), ("y", "z")):
        raise ValueError(f"observe must be ('z',), ('y',) or ('y', 'z'), got observe={observe!r}")
    x64 = jnp.result_type(float) == jnp.float64
    rtol = (1e-8 if x64 else 1e-5) if rtol is None else rtol
    atol = (1e-10 if x64 else 1e-7) if atol is None else atol
    args = (float(level), float(width), float(a), float(fold), float(rtol), float(atol))
    return _predictor(str(protocol), observe, *args)


@functools.cache
def _predictor(protocol, observe, level, width, a, fold, rtol, atol):
    stim, s_before, _, _ = make_protocol(protocol, level=level, width=width, a=a, fold=fold)
    controller = make_controller(rtol, atol, stim.jump_ts)

    def predict(model, ts):
        ts = jnp.asarray(ts, dtype=jnp.result_type(float))
        y0 = model.initial_state() if protocol == "on" else model.steady_state(s_before)
        traj = simulate(
            model,
            ts[-1],
            t0=jnp.minimum(ts[0], 0.0),
            y0=y0,
            ts=ts,
            stimulus=stim,
            stepsize_controller=controller,
            adjoint=diffrax.ForwardMode(),
            throw=False,
        )
        if len(observe) == 1:
            return traj[observe[0]]
        return jnp.stack([traj["y"], traj["z"]], axis=1)

    predict.__name__ = f"predict_ffl_{protocol}_{'_'.join(observe)}"
    return eqx.filter_jit(predict)

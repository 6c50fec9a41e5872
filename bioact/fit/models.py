"""Small models for the worked fitting cases, with their ``predict(model, x)`` functions.

* :class:`HillDoseResponse` -- steady-state dose response ``baseline + vmax * x^n/(K^n + x^n)``.
* :class:`BoltzmannGate` -- steady-state gating curve ``1 / (1 + exp(-(V - V_half)/k))`` (mV).
* :class:`LogisticGrowth` -- an ODE model ``dx/dt = r x (1 - x/capacity)`` fitted through
  :func:`bioact.simulate` (analytic solution ``capacity / (1 + (capacity/x0 - 1) e^{-r t})``).
"""

from __future__ import annotations

from typing import ClassVar

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp

from bioact import activations
from bioact._checks import nonzero, positive
from bioact.solve import AbstractModel, simulate

__all__ = [
    "BoltzmannGate",
    "HillDoseResponse",
    "LogisticGrowth",
    "logistic_analytic",
    "predict_boltzmann",
    "predict_hill",
    "predict_logistic",
]


class HillDoseResponse(eqx.Module):
    """``y(x) = baseline + vmax * x^n / (k^n + x^n)``; x and k in the same concentration unit.

    >>> float(HillDoseResponse(k=2.0, n=1.0, vmax=1.0)(2.0))
    0.5
    """

    k: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    n: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    vmax: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    baseline: jax.Array = eqx.field(converter=jnp.asarray, default=0.0)

    fit_transforms: ClassVar[dict] = {"k": "log", "n": "log", "vmax": None, "baseline": None}

    def __check_init__(self):
        positive("k", self.k)
        positive("n", self.n)

    def __call__(self, x):
        return self.baseline + self.vmax * activations.hill(x, k=self.k, n=self.n)


class BoltzmannGate(eqx.Module):
    """Steady-state gate ``1 / (1 + exp(-(v - v_half)/k))``; v, v_half, k in mV (k != 0;
    k > 0 activation, k < 0 inactivation). k is fitted in log|k| so it keeps its sign.

    >>> float(BoltzmannGate(v_half=-40.0, k=5.0)(-40.0))
    0.5
    """

    v_half: jax.Array = eqx.field(converter=jnp.asarray, default=-40.0)
    k: jax.Array = eqx.field(converter=jnp.asarray, default=5.0)

    fit_transforms: ClassVar[dict] = {"v_half": None, "k": "log"}

    def __check_init__(self):
        nonzero("k", self.k)

    def __call__(self, v):
        return activations.boltzmann(v, v_half=self.v_half, k=self.k)


class LogisticGrowth(AbstractModel):
    """``dx/dt = r x (1 - x / capacity)``, x(0) = x0; r in 1/time, x and capacity in one unit."""

    r: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    capacity: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
    x0: jax.Array = eqx.field(converter=jnp.asarray, default=0.1)

    state_names: ClassVar[tuple[str, ...]] = ("x",)
    fit_transforms: ClassVar[dict] = {"r": "log", "capacity": "log", "x0": "log"}

    def __check_init__(self):
        positive("r", self.r)
        positive("capacity", self.capacity)
        positive("x0", self.x0)

    def vector_field(self, t, y, stimulus):
        return self.r * y * (1.0 - y / self.capacity)

    def initial_state(self):
        return jnp.reshape(self.x0, (1,)).astype(jnp.result_type(float))


def predict_hill(model: HillDoseResponse, x: jax.Array) -> jax.Array:
    """Dose response at concentrations ``x``."""
    return model(x)


def predict_boltzmann(model: BoltzmannGate, v: jax.Array) -> jax.Array:
    """Open probability at voltages ``v`` (mV)."""
    return model(v)


def predict_logistic(model: LogisticGrowth, ts: jax.Array) -> jax.Array:
    """``x(ts)`` by :func:`bioact.simulate` from t = 0 (forward-mode differentiable).

    Uses ``adjoint=diffrax.ForwardMode()`` so Levenberg--Marquardt's forward-mode
    Jacobian (``fit(..., jac="fwd")``, the default) differentiates through the solver.
    """
    ts = jnp.asarray(ts)
    traj = simulate(
        model, ts[-1], ts=ts, rtol=1e-9, atol=1e-9, adjoint=diffrax.ForwardMode(), throw=False
    )
    return traj["x"]


def logistic_analytic(model: LogisticGrowth, ts: jax.Array) -> jax.Array:
    """Closed form ``capacity / (1 + (capacity/x0 - 1) exp(-r t))`` (independent reference)."""
    return model.capacity / (1.0 + (model.capacity / model.x0 - 1.0) * jnp.exp(-model.r * ts))

"""Hill-function feed-forward loops (FFLs): all 8 sign types, AND/OR logic, simple regulation.

The FFL X -> Y -> Z with a direct edge X -> Z (Mangan & Alon 2003, PNAS 100:11980; Alon,
*An Introduction to Systems Biology*, ch. 4). The input signal Sx(t) (a
:mod:`bioact.stimuli` stimulus, 0 = absent, 1 = present) activates X: ``X* = x_total Sx``.
With first-order degradation/dilution::

    dY/dt = beta_y f_xy(X*) - alpha_y Y
    dZ/dt = beta_z G(f_xz(X*), f_yz(Y)) - alpha_z Z

Each edge ``f`` is Hill activation ``u^n/(K^n+u^n)`` or repression ``K^n/(K^n+u^n)``
(:func:`bioact.activations.hill`, :func:`~bioact.activations.hill_repression`) according to
the type's signs (X->Y, X->Z, Y->Z):

==== ======= ==== ======= ======= ======= ==== =======
C1   + + +   C2   - - +   C3      + - -   C4   - + -
I1   + + -   I2   - - -   I3      + - +   I4   - + +
==== ======= ==== ======= ======= ======= ==== =======

(coherent: sign(X->Z) = sign(X->Y) sign(Y->Z)). The Z input function is ``G = a b`` (AND)
or ``G = a + b - a b`` (OR: the probabilistic OR of the two edge occupancies; bounded by 1
like AND and equal to the Boolean OR in the limit n -> infinity). Concentrations are in
units of the thresholds' scale, time in units of 1/alpha (dimensionless textbook set).

>>> from bioact.circuits import FFL
>>> m = FFL("c1", "and")
>>> [round(float(v), 6) for v in m.steady_state(1.0)]  # (Y, Z) with Sx = 1
[0.990099, 0.788908]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike

from bioact._checks import check, nonnegative, positive
from bioact.activations import _hill_pair
from bioact.solve import AbstractModel, parameter
from bioact.stimuli import AbstractStimulus

__all__ = [
    "FFL",
    "LOGICS",
    "PARAM_NAMES",
    "SIGNS",
    "TYPES",
    "SimpleRegulation",
    "default_params",
    "edge",
]

#: Edge signs (X->Y, X->Z, Y->Z) of each FFL type (Mangan & Alon 2003, Fig. 1): +1 activation.
SIGNS: dict[str, tuple[int, int, int]] = {
    "c1": (+1, +1, +1),
    "c2": (-1, -1, +1),
    "c3": (+1, -1, -1),
    "c4": (-1, +1, -1),
    "i1": (+1, +1, -1),
    "i2": (-1, -1, -1),
    "i3": (+1, -1, +1),
    "i4": (-1, +1, +1),
}
TYPES: tuple[str, ...] = tuple(SIGNS)
LOGICS: tuple[str, ...] = ("and", "or")
#: Parameter names shared by the API, the TOML presets and the CLI's ``--param name=value``.
PARAM_NAMES: tuple[str, ...] = (
    "x_total",
    "beta_y",
    "alpha_y",
    "beta_z",
    "alpha_z",
    "k_xy",
    "k_xz",
    "k_yz",
    "n_xy",
    "n_xz",
    "n_yz",
)
_RATES = ("x_total", "beta_y", "beta_z")
_POSITIVE = ("alpha_y", "alpha_z", "k_xy", "k_xz", "k_yz", "n_xy", "n_xz", "n_yz")


def default_params(ffl_type: str = "c1") -> dict[str, float]:
    """The dimensionless textbook set: x_total = beta = alpha = 1, k_xy = k_xz = 0.1, n = 2,
    k_yz = 0.5 (coherent) or 0.3 (incoherent) (Alon, ch. 4).

    >>> default_params("i1")["k_yz"]
    0.3
    """
    t = _check_type(ffl_type)
    p = dict.fromkeys(("x_total", "beta_y", "alpha_y", "beta_z", "alpha_z"), 1.0)
    p.update(k_xy=0.1, k_xz=0.1, k_yz=0.5 if t.startswith("c") else 0.3)
    p.update(n_xy=2.0, n_xz=2.0, n_yz=2.0)
    return p


def _check_type(ffl_type: str) -> str:
    t = str(ffl_type).lower()
    if t not in SIGNS:
        raise ValueError(f"ffl_type must be one of {TYPES}, got ffl_type={ffl_type!r}")
    return t


def edge(u: ArrayLike, k: ArrayLike, n: ArrayLike, sign: int) -> Array:
    """Hill edge: activation ``u^n/(K^n+u^n)`` if ``sign > 0`` else repression ``K^n/(K^n+u^n)``.

    Uses the same stable evaluation as :func:`bioact.activations.hill` (no checks, so it is
    usable under ``jit``/``vmap``; the model validates K and n once, in ``__check_init__``).
    """
    act, rep = _hill_pair(jnp.maximum(u, 0.0), k, n)
    return act if sign > 0 else rep


def _validate(model: eqx.Module, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(model, name)
        check(name, value, lambda a: a == a, "a number (not NaN)")
        if name in _RATES:
            nonnegative(name, value)
        else:
            positive(name, value)


class FFL(AbstractModel):
    """Feed-forward loop of type ``ffl_type`` (c1..c4, i1..i4) with ``logic`` "and" | "or".

    State ``(Y, Z)``; the input ``Sx(t)`` is the stimulus (X* = x_total Sx). Parameters
    (defaults: the textbook set of :func:`default_params`, with k_yz = 0.5 for coherent and
    0.3 for incoherent types unless given): production ``beta_y, beta_z`` (>= 0),
    degradation ``alpha_y, alpha_z`` (> 0), thresholds ``k_xy, k_xz, k_yz`` (> 0),
    Hill coefficients ``n_xy, n_xz, n_yz`` (> 0), ``x_total`` (>= 0).

    >>> import bioact
    >>> from bioact.circuits import FFL, step_on
    >>> traj = bioact.simulate(FFL("i1", "and"), 10.0, stimulus=step_on())
    """

    ffl_type: str = eqx.field(static=True, default="c1")
    logic: str = eqx.field(static=True, default="and")
    x_total: Array = parameter(1.0)
    beta_y: Array = parameter(1.0)
    alpha_y: Array = parameter(1.0)
    beta_z: Array = parameter(1.0)
    alpha_z: Array = parameter(1.0)
    k_xy: Array = parameter(0.1)
    k_xz: Array = parameter(0.1)
    k_yz: Array = parameter(0.5)
    n_xy: Array = parameter(2.0)
    n_xz: Array = parameter(2.0)
    n_yz: Array = parameter(2.0)

    state_names: ClassVar[tuple[str, ...]] = ("y", "z")

    def __init__(self, ffl_type: str = "c1", logic: str = "and", **params: Any):
        self.ffl_type = _check_type(ffl_type)
        lg = str(logic).lower()
        if lg not in LOGICS:
            raise ValueError(f"logic must be one of {LOGICS}, got logic={logic!r}")
        self.logic = lg
        unknown = sorted(set(params) - set(PARAM_NAMES))
        if unknown:
            raise ValueError(f"unknown FFL parameter(s) {unknown}; allowed names: {PARAM_NAMES}")
        values = {**default_params(self.ffl_type), **params}
        for name in PARAM_NAMES:
            setattr(self, name, jnp.asarray(values[name]))

    def __check_init__(self):
        _validate(self, PARAM_NAMES)

    @property
    def signs(self) -> tuple[int, int, int]:
        """Edge signs (X->Y, X->Z, Y->Z)."""
        return SIGNS[self.ffl_type]

    def params(self) -> dict[str, Array]:
        """The numeric parameters by name."""
        return {name: getattr(self, name) for name in PARAM_NAMES}

    def gate(self, x_star: ArrayLike, y: ArrayLike) -> Array:
        """Z input function G(X*, Y) in [0, 1]: ``a b`` (AND) or ``a + b - a b`` (OR)."""
        s_xy, s_xz, s_yz = self.signs
        a = edge(x_star, self.k_xz, self.n_xz, s_xz)
        b = edge(y, self.k_yz, self.n_yz, s_yz)
        return a * b if self.logic == "and" else a + b - a * b

    def vector_field(self, t: ArrayLike, y: Array, stimulus: AbstractStimulus) -> Array:
        x_star = self.x_total * stimulus(t)
        yy, zz = y[0], y[1]
        dy = self.beta_y * edge(x_star, self.k_xy, self.n_xy, self.signs[0]) - self.alpha_y * yy
        dz = self.beta_z * self.gate(x_star, yy) - self.alpha_z * zz
        return jnp.stack([dy, dz])

    def initial_state(self) -> Array:
        """Y = Z = 0 (the step-ON initial condition of Mangan & Alon 2003)."""
        return jnp.zeros(2, dtype=jnp.result_type(float))

    def steady_state(self, s: ArrayLike = 1.0) -> Array:
        """Closed-form steady state ``(Y*, Z*)`` at constant input Sx = s::

        Y* = beta_y/alpha_y f_xy(x_total s),   Z* = beta_z/alpha_z G(x_total s, Y*)
        """
        x_star = self.x_total * jnp.asarray(s)
        y_ss = self.beta_y / self.alpha_y * edge(x_star, self.k_xy, self.n_xy, self.signs[0])
        z_ss = self.beta_z / self.alpha_z * self.gate(x_star, y_ss)
        return jnp.stack([y_ss, z_ss])

    def simple_regulation(self, s: ArrayLike = 1.0) -> SimpleRegulation:
        """Simple regulation X -> Z (same X->Z edge and alpha_z) with the FFL's steady state Z*(s).

        ``beta_z`` is rescaled so that both circuits reach the same Z* at input s: the
        baseline for response-time comparisons (Alon ch. 4: "matched steady state").
        """
        z_ss = self.steady_state(s)[1]
        f = edge(self.x_total * jnp.asarray(s), self.k_xz, self.n_xz, self.signs[1])
        return SimpleRegulation(
            sign=self.signs[1],
            x_total=self.x_total,
            beta_z=z_ss * self.alpha_z / f,
            alpha_z=self.alpha_z,
            k_xz=self.k_xz,
            n_xz=self.n_xz,
        )

    def replace(self, **params: Any) -> FFL:
        """A copy with some parameters changed (``n=...`` sets n_xy, n_xz and n_yz)."""
        return FFL(self.ffl_type, self.logic, **{**self.params(), **expand_params(params)})


def expand_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Expand the shorthand ``n`` (all three Hill coefficients); reject unknown names."""
    out = {}
    for name, value in params.items():
        if name == "n":
            out.update(n_xy=value, n_xz=value, n_yz=value)
        elif name in PARAM_NAMES:
            out[name] = value
        else:
            raise ValueError(
                f"unknown FFL parameter {name!r}; allowed names: {PARAM_NAMES + ('n',)}"
            )
    return out


class SimpleRegulation(AbstractModel):
    """Simple regulation X -> Z: ``dZ/dt = beta_z f_xz(x_total Sx) - alpha_z Z`` (state ``(Z,)``).

    ``sign`` (static) is +1 (activation) or -1 (repression). Usually built with
    :meth:`FFL.simple_regulation` so that its steady state matches an FFL's.
    """

    sign: int = eqx.field(static=True, default=1)
    x_total: Array = parameter(1.0)
    beta_z: Array = parameter(1.0)
    alpha_z: Array = parameter(1.0)
    k_xz: Array = parameter(0.1)
    n_xz: Array = parameter(2.0)

    state_names: ClassVar[tuple[str, ...]] = ("z",)

    def __check_init__(self):
        if self.sign not in (1, -1):
            raise ValueError(f"sign must be +1 or -1, got sign={self.sign!r}")
        _validate(self, ("x_total", "beta_z", "alpha_z", "k_xz", "n_xz"))

    def vector_field(self, t, y, stimulus):
        f = edge(self.x_total * stimulus(t), self.k_xz, self.n_xz, self.sign)
        return self.beta_z * f - self.alpha_z * y

    def initial_state(self):
        return jnp.zeros(1, dtype=jnp.result_type(float))

    def steady_state(self, s: ArrayLike = 1.0) -> Array:
        """``Z* = beta_z/alpha_z f_xz(x_total s)`` as a length-1 array."""
        f = edge(self.x_total * jnp.asarray(s), self.k_xz, self.n_xz, self.sign)
        return jnp.atleast_1d(self.beta_z / self.alpha_z * f)

"""Second-order boundary-value problems on an interval, declared from parts.

* :class:`LinearBVP`: ``a(x) u'' + b(x) u' + c(x) u = f(x)`` on ``[x0, x1]``;
* :class:`NonlinearBVP`: ``u'' = g(x, u, u')`` (e.g. Bratu ``g = -lam e^u``);
* :class:`BoundaryCondition` at each end: ``alpha u + beta u' = value`` with ``u' = du/dx``
  (not the outward normal): Dirichlet ``(1, 0)``, Neumann ``(0, 1)``, Robin otherwise.

Coefficients are text expressions in ``x`` (and ``u``, ``du`` for ``g``) and the problem's
named ``parameters`` (see :mod:`bioact.pinn.expr`), or Python callables ``fn(x)`` /
``g(x, u, du)``. Parameters are array leaves of the (frozen, equinox) problem, so a new
value of ``lam`` does not recompile a training run. The optional ``exact`` solution is
only evaluated outside ``jit`` and may call ``bratu_theta(lam, branch)``.

>>> p = LinearBVP(-1.0, 1.0, BoundaryCondition.dirichlet(0.0), BoundaryCondition.dirichlet(0.0),
...               a="-1", f="pi**2 * sin(pi*x)", exact="sin(pi*x)")
>>> float(p.exact_solution(0.5))
1.0
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Mapping
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from bioact._checks import check, finite
from bioact.pinn.expr import compile_expression, evaluate

__all__ = [
    "AbstractBVP",
    "BoundaryCondition",
    "LinearBVP",
    "NonlinearBVP",
    "bratu_theta",
]

Coefficient = str | Callable[..., Any]
_KINDS = ("dirichlet", "neumann", "robin")


def _as_params(params: Mapping[str, Any] | None) -> dict[str, jax.Array]:
    out = {}
    for key, value in dict(params or {}).items():
        if not str(key).isidentifier():
            raise ValueError(f"parameter names must be identifiers, got name={key!r}")
        finite(key, value)
        out[str(key)] = jnp.asarray(value, dtype=float)
    return out


class BoundaryCondition(eqx.Module):
    """``alpha u(x_end) + beta u'(x_end) = value`` at one end of the interval.

    Use the constructors :meth:`dirichlet`, :meth:`neumann`, :meth:`robin`.
    ``kind`` is ``"dirichlet"`` (beta = 0), ``"neumann"`` (alpha = 0) or ``"robin"``.
    """

    kind: str = eqx.field(static=True)
    alpha: jax.Array = eqx.field(converter=jnp.asarray)
    beta: jax.Array = eqx.field(converter=jnp.asarray)
    value: jax.Array = eqx.field(converter=jnp.asarray)

    def __check_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got kind={self.kind!r}")
        for name in ("alpha", "beta", "value"):
            finite(name, getattr(self, name))
        if self.kind == "dirichlet":
            check("beta", self.beta, lambda b: b == 0, "0 for a Dirichlet condition")
            check("alpha", self.alpha, lambda a: a != 0, "nonzero for a Dirichlet condition")
        elif self.kind == "neumann":
            check("alpha", self.alpha, lambda a: a == 0, "0 for a Neumann condition")
            check("beta", self.beta, lambda b: b != 0, "nonzero for a Neumann condition")
        else:
            check("beta", self.beta, lambda b: b != 0, "nonzero for a Robin condition")

    @classmethod
    def dirichlet(cls, value: float) -> BoundaryCondition:
        """``u = value``."""
        return cls("dirichlet", 1.0, 0.0, value)

    @classmethod
    def neumann(cls, value: float) -> BoundaryCondition:
        """``u' = value``."""
        return cls("neumann", 0.0, 1.0, value)

    @classmethod
    def robin(cls, alpha: float, beta: float, value: float) -> BoundaryCondition:
        """``alpha u + beta u' = value`` (beta != 0)."""
        return cls("robin", alpha, beta, value)

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], where: str = "bc") -> BoundaryCondition:
        """From a TOML table ``{type = "robin", alpha = 1, beta = 1, value = 0}``."""
        kind = spec.get("type")
        if kind == "dirichlet":
            return cls.dirichlet(spec.get("value", 0.0))
        if kind == "neumann":
            return cls.neumann(spec.get("value", 0.0))
        if kind == "robin":
            return cls.robin(spec.get("alpha", 1.0), spec.get("beta", 1.0), spec.get("value", 0.0))
        raise ValueError(f"{where}.type must be one of {_KINDS}, got type={kind!r}")

    def residual(self, u, du):
        """``alpha u + beta u' - value``."""
        return self.alpha * u + self.beta * du - self.value


def bratu_theta(lam: float, branch: float = 0) -> float:
    """Root theta of ``theta = sqrt(2 lam) cosh(theta / 4)`` for Bratu ``u'' + lam e^u = 0``.

    On ``[0, 1]`` with ``u(0) = u(1) = 0`` the exact solutions are
    ``u = -2 ln(cosh((x - 1/2) theta / 2) / cosh(theta / 4))``; for
    ``0 < lam < lam_c ~ 3.5138`` there are two roots: ``branch=0`` (lower, small u) and
    ``branch=1`` (upper). Solved with ``scipy.optimize.brentq`` either side of the fold
    ``theta* = 4 x`` where ``x tanh x = 1`` (x ~ 1.19968).
    """
    from scipy.optimize import brentq

    lam = float(lam)
    check("lam", lam, lambda v: (v > 0) & (v < 3.51383), "in (0, 3.51383) (two Bratu branches)")
    k = math.sqrt(2.0 * lam)
    fold = 4.0 * brentq(lambda s: s * math.tanh(s) - 1.0, 0.1, 5.0)

    def h(t):
        return t - k * math.cosh(t / 4.0)

    if int(branch) == 0:
        return brentq(h, 0.0, fold)
    hi = fold
    while h(hi) > 0:
        hi *= 2.0
    return brentq(h, fold, hi)


class AbstractBVP(eqx.Module):
    """A second-order BVP on ``[x0, x1]`` with a boundary condition at each end.

    Subclasses define :meth:`second_derivative` (``u''`` as a function of ``x, u, u'``,
    used by ``solve_bvp``) and :meth:`residual` (the equation's residual, zero for the
    solution; used by the PINN loss and the residual metric).
    """

    x0: eqx.AbstractVar[jax.Array]
    x1: eqx.AbstractVar[jax.Array]
    left: eqx.AbstractVar[BoundaryCondition]
    right: eqx.AbstractVar[BoundaryCondition]
    parameters: eqx.AbstractVar[dict[str, jax.Array]]
    exact: eqx.AbstractVar[Coefficient | None]
    name: eqx.AbstractVar[str]

    @abc.abstractmethod
    def residual(self, x, u, du, d2u): ...

    @abc.abstractmethod
    def second_derivative(self, x, u, du): ...

    @property
    def is_linear(self) -> bool:
        return isinstance(self, LinearBVP)

    def _env(self, **arrays) -> dict[str, Any]:
        return {**self.parameters, **arrays}

    def _call(self, spec: Coefficient, **arrays):
        if isinstance(spec, str):
            return evaluate(spec, self._env(**arrays))
        out = spec(*arrays.values())
        xp = np if isinstance(arrays["x"], np.ndarray) else jnp
        return xp.broadcast_to(xp.asarray(out, dtype=float), np.shape(arrays["x"]))

    def exact_solution(self, x) -> np.ndarray | None:
        """The exact solution at ``x`` (numpy), or ``None`` when not known."""
        if self.exact is None:
            return None
        x = np.asarray(x, dtype=float)
        if isinstance(self.exact, str):
            params = {k: float(v) for k, v in self.parameters.items()}
            return np.asarray(
                evaluate(self.exact, {**params, "x": x}, {"bratu_theta": bratu_theta})
            )
        return np.asarray(self.exact(x), dtype=float)

    def _check_domain(self):
        finite("x0", self.x0)
        finite("x1", self.x1)
        if float(self.x1) <= float(self.x0):
            raise ValueError(f"x1 must be > x0, got x0={float(self.x0)!r}, x1={float(self.x1)!r}")
        if isinstance(self.exact, str):
            names = ("x", *self.parameters)
            compile_expression(self.exact, tuple(sorted(names)), ("bratu_theta",))


class LinearBVP(AbstractBVP):
    """``a(x) u'' + b(x) u' + c(x) u = f(x)`` on ``[x0, x1]``.

    ``a, b, c, f`` are expressions in ``x`` and the parameters (defaults ``a = "1"``,
    ``b = c = f = "0"``) or callables ``fn(x)``; ``a`` must not vanish on the interval.
    """

    x0: jax.Array = eqx.field(converter=jnp.asarray)
    x1: jax.Array = eqx.field(converter=jnp.asarray)
    left: BoundaryCondition
    right: BoundaryCondition
    a: Coefficient = eqx.field(static=True, default="1")
    b: Coefficient = eqx.field(static=True, default="0")
    c: Coefficient = eqx.field(static=True, default="0")
    f: Coefficient = eqx.field(static=True, default="0")
    exact: Coefficient | None = eqx.field(static=True, default=None)
    parameters: dict[str, jax.Array] = eqx.field(converter=_as_params, default=None)
    name: str = eqx.field(static=True, default="linear")

    def __check_init__(self):
        self._check_domain()
        names = tuple(sorted(("x", *self.parameters)))
        for coeff in (self.a, self.b, self.c, self.f):
            if isinstance(coeff, str):
                compile_expression(coeff, names)

    def coefficients(self, x):
        """``(a, b, c, f)`` evaluated at the points ``x``."""
        return tuple(self._call(s, x=x) for s in (self.a, self.b, self.c, self.f))

    def residual(self, x, u, du, d2u):
        a, b, c, f = self.coefficients(x)
        return a * d2u + b * du + c * u - f

    def second_derivative(self, x, u, du):
        a, b, c, f = self.coefficients(x)
        return (f - b * du - c * u) / a


class NonlinearBVP(AbstractBVP):
    """``u'' = g(x, u, u')`` on ``[x0, x1]``; ``g`` an expression in ``x, u, du`` and the
    parameters, or a callable ``g(x, u, du)``. Example (Bratu): ``g = "-lam * exp(u)"``.
    """

    x0: jax.Array = eqx.field(converter=jnp.asarray)
    x1: jax.Array = eqx.field(converter=jnp.asarray)
    left: BoundaryCondition
    right: BoundaryCondition
    g: Coefficient = eqx.field(static=True, default="0")
    exact: Coefficient | None = eqx.field(static=True, default=None)
    parameters: dict[str, jax.Array] = eqx.field(converter=_as_params, default=None)
    name: str = eqx.field(static=True, default="nonlinear")

    def __check_init__(self):
        self._check_domain()
        if isinstance(self.g, str):
            compile_expression(self.g, tuple(sorted(("x", "u", "du", *self.parameters))))

    def second_derivative(self, x, u, du):
        return self._call(self.g, x=x, u=u, du=du)

    def residual(self, x, u, du, d2u):
        return d2u - self.second_derivative(x, u, du)

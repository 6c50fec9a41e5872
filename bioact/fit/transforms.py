"""Bijections between a parameter p and the unconstrained variable u the optimiser moves.

Positive (or sign-definite) parameters are fitted in log space, bounded ones through a
sigmoid, never by clipping:

* ``Identity(scale)``:  p = scale * u            (scale = |p0|, or 1 when p0 = 0)
* ``Log(sign)``:        p = sign * exp(u)        (p keeps the sign of its initial value)
* ``Sigmoid(lo, hi)``:  p = lo + (hi - lo) * sigmoid(u),  lo < p < hi

A user declares them per parameter with ``transforms={"k": "log", "v_half": None,
"p": ("sigmoid", 0.0, 1.0)}``. Undeclared parameters take the model's class attribute
``fit_transforms`` (a dict of the same form) if it has one, else :func:`default_kind`.

>>> t = resolve_transform("k", 2.0, "log")
>>> float(t.forward(t.inverse(2.0)))
2.0
"""

from __future__ import annotations

import abc
import math
import re
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp

__all__ = ["Identity", "Log", "Sigmoid", "Transform", "default_kind", "resolve_transform"]

#: Names that are positive by nature (rates, conductances, constants K, Hill n, time constants,
#: capacities, maximal responses); matched case-insensitively against the last dotted part.
POSITIVE_NAME = re.compile(
    r"^(k|k_?[a-z0-9]+|kd|km|n|n_?h(ill)?|g[a-z0-9_]*|tau[a-z0-9_]*|r|rate[a-z0-9_]*"
    r"|[a-z0-9_]*_rate|alpha[a-z0-9_]*|beta[a-z0-9_]*|gamma|vmax|v_?max|c_?m|capacity"
    r"|x0|y0|amplitude)$",
    re.IGNORECASE,
)


class Transform(eqx.Module):
    """Abstract bijection u -> p (``forward``) with inverse p -> u (``inverse``).

    Fields are arrays (part of the pytree), so a new scale or bound never recompiles.
    """

    @abc.abstractmethod
    def forward(self, u): ...

    @abc.abstractmethod
    def inverse(self, p): ...

    @abc.abstractmethod
    def describe(self) -> str: ...


class Identity(Transform):
    scale: Any = eqx.field(converter=jnp.asarray, default=1.0)

    def forward(self, u):
        return self.scale * u

    def inverse(self, p):
        return jnp.asarray(p) / self.scale

    def describe(self) -> str:
        return "identity"


class Log(Transform):
    sign: Any = eqx.field(converter=jnp.asarray, default=1.0)

    def forward(self, u):
        return self.sign * jnp.exp(u)

    def inverse(self, p):
        return jnp.log(self.sign * jnp.asarray(p))

    def describe(self) -> str:
        return "log" if float(self.sign) > 0 else "log(-p)"


class Sigmoid(Transform):
    lo: Any = eqx.field(converter=jnp.asarray)
    hi: Any = eqx.field(converter=jnp.asarray)

    def forward(self, u):
        return self.lo + (self.hi - self.lo) * jax.nn.sigmoid(u)

    def inverse(self, p):
        q = (jnp.asarray(p) - self.lo) / (self.hi - self.lo)
        return jnp.log(q) - jnp.log1p(-q)

    def describe(self) -> str:
        return f"sigmoid({float(self.lo):g}, {float(self.hi):g})"


def default_kind(name: str, value: float) -> str | None:
    """``"log"`` when ``value > 0`` and ``name`` looks like a positive quantity, else None.

    >>> default_kind("gNa", 120.0), default_kind("v_half", -40.0), default_kind("k", -5.0)
    ('log', None, None)
    """
    leaf = name.rsplit(".", 1)[-1]
    return "log" if value > 0 and POSITIVE_NAME.match(leaf) else None


def resolve_transform(name: str, value: float, spec: Any) -> Transform:
    """Build the :class:`Transform` for parameter ``name`` with initial ``value`` from a spec.

    ``spec`` is None/"identity", "log", ("sigmoid", lo, hi) or a :class:`Transform`.
    Raises ValueError when the initial value is outside the transform's range.
    """
    if isinstance(spec, Transform):
        return spec
    if spec is None or spec == "identity":
        return Identity(abs(value) if value != 0 else 1.0)
    if spec == "log":
        if not value != 0 or not math.isfinite(value):
            raise ValueError(
                f"transforms[{name!r}]='log' needs a nonzero initial value, got {name}={value!r}"
            )
        return Log(1.0 if value > 0 else -1.0)
    if isinstance(spec, (tuple, list)) and len(spec) == 3 and spec[0] == "sigmoid":
        lo, hi = float(spec[1]), float(spec[2])
        if not lo < hi:
            raise ValueError(f"transforms[{name!r}] sigmoid bounds need lo < hi, got {spec!r}")
        if not lo < value < hi:
            raise ValueError(
                f"initial {name}={value!r} must lie strictly inside its sigmoid bounds ({lo}, {hi})"
            )
        return Sigmoid(lo, hi)
    raise ValueError(
        f"transforms[{name!r}] must be None, 'identity', 'log' or ('sigmoid', lo, hi), got {spec!r}"
    )

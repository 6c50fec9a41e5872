"""Activation primitives shared by neurons, gene circuits and neural networks.

Every primitive is a pure ``jax.numpy`` function, safe under ``jit``, ``vmap`` and
``grad`` (values *and* gradients finite wherever the mathematical function is
differentiable). One registry holds their properties::

    >>> from bioact import activations
    >>> activations.get("softplus").lipschitz
    1.0
    >>> float(activations.hill(2.0, k=1.0, n=2.0))
    0.8

The biological ones are logistic functions in disguise (see :mod:`bioact.identities`):

* Hill activation ``x^n / (K^n + x^n) = sigmoid(n ln(x/K))`` -- a logistic in log-concentration;
* Boltzmann gate ``1 / (1 + exp(-(V - V_half)/k)) = sigmoid((V - V_half)/k)`` -- a logistic
  in voltage.

Parameters are validated when they are concrete (outside ``jit``): ``K <= 0``,
``n <= 0``, ``k == 0``, ``beta <= 0`` raise :class:`ValueError` naming the
parameter and its value. Under tracing no check is possible; the functions then
follow IEEE semantics.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import erf

from bioact._checks import check as _check
from bioact._checks import nonzero as _nonzero
from bioact._checks import positive as _positive

__all__ = [
    "Activation",
    "arctan",
    "boltzmann",
    "elu",
    "exprel",
    "gelu",
    "get",
    "hill",
    "hill_repression",
    "leaky_relu",
    "logistic",
    "logit",
    "names",
    "properties_table",
    "relu",
    "sigmoid",
    "silu",
    "sin",
    "softplus",
    "spike",
    "swish",
    "tanh",
]

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
#: Coefficient of the sigmoid approximation of GELU, z * sigmoid(1.702 z) (Hendrycks & Gimpel 2016).
GELU_SIGMOID_COEFF = 1.702
#: Cubic coefficient of the tanh approximation of GELU (Hendrycks & Gimpel 2016).
GELU_TANH_COEFF = 0.044715


# ---------------------------------------------------------------------------- ML activations
def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + e^{-z})``, range (0, 1), Lipschitz 1/4.

    Uses ``jax.nn.sigmoid`` (no clipped ``exp``: exact saturation, non-zero gradients).

    >>> float(sigmoid(0.0))
    0.5
    """
    return jax.nn.sigmoid(z)


logistic = sigmoid


def logit(p):
    """Inverse of :func:`sigmoid`: ``ln(p / (1 - p))`` for p in (0, 1).

    ``logit(0.9) = ln 9``: the bias that makes a sigmoid unit output a prior of 0.9.
    """
    _check("p", p, lambda a: (a > 0) & (a < 1), "in the open interval (0, 1)")
    return jnp.log(p) - jnp.log1p(-p)


def tanh(z):
    """Hyperbolic tangent, range (-1, 1), Lipschitz 1; ``tanh(z) = 2 sigmoid(2z) - 1``."""
    return jnp.tanh(z)


def arctan(z):
    """Arctangent, range (-pi/2, pi/2), Lipschitz 1; algebraic saturation: pi/2 - arctan z ~ 1/z."""
    return jnp.arctan(z)


def sin(z):
    """Sine, range [-1, 1], Lipschitz 1; periodic (SIREN-style PINN activation), C^inf."""
    return jnp.sin(z)


def relu(z):
    """Rectified linear unit ``max(z, 0)``; C^0, Lipschitz 1, derivative taken as 0 at z = 0."""
    return jax.nn.relu(z)


def leaky_relu(z, alpha: float = 0.01):
    """Leaky ReLU ``z`` for z >= 0, ``alpha z`` for z < 0; alpha >= 0 (default 0.01)."""
    _check("alpha", alpha, lambda a: a >= 0, ">= 0")
    return jnp.where(z >= 0, z, alpha * z)


def elu(z, alpha: float = 1.0):
    """Exponential linear unit ``z`` (z > 0), ``alpha (e^z - 1)`` (z <= 0); alpha > 0 (default 1).

    C^1 for alpha = 1, otherwise C^0 (the derivative jumps from alpha to 1 at 0).
    """
    _positive("alpha", alpha)
    zneg = jnp.where(z > 0, 0.0, z)  # keeps expm1 finite in the unselected branch
    return jnp.where(z > 0, z, alpha * jnp.expm1(zneg))


def softplus(z, beta: float = 1.0):
    """Softplus ``ln(1 + e^{beta z}) / beta`` (beta > 0, default 1); derivative ``sigmoid(beta z)``.

    Computed with ``logaddexp`` so it never overflows.
    """
    _positive("beta", beta)
    return jnp.logaddexp(beta * z, 0.0) / beta


def _gelu_mode(approximate: str | bool) -> str:
    if approximate is False or approximate is None:
        return "none"
    if approximate is True:
        return "tanh"
    if approximate in ("none", "tanh", "sigmoid"):
        return approximate
    raise ValueError(
        "approximate must be one of 'none', 'tanh', 'sigmoid' (or a bool), "
        f"got approximate={approximate!r}"
    )


def gelu(z, approximate: str | bool = "none"):
    """Gaussian error linear unit ``z Phi(z)`` (Hendrycks & Gimpel 2016).

    ``approximate``: ``"none"`` (exact, with ``erf``), ``"tanh"``
    (``0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))``) or ``"sigmoid"``
    (``z sigmoid(1.702 z)``). ``True`` means ``"tanh"`` as in ``jax.nn.gelu``.
    """
    mode = _gelu_mode(approximate)
    if mode == "tanh":
        return 0.5 * z * (1.0 + jnp.tanh(_SQRT_2_OVER_PI * (z + GELU_TANH_COEFF * z**3)))
    if mode == "sigmoid":
        return z * jax.nn.sigmoid(GELU_SIGMOID_COEFF * z)
    return 0.5 * z * (1.0 + erf(z / _SQRT_2))


def swish(z, beta: float = 1.0):
    """Swish ``z sigmoid(beta z)`` (beta > 0, default 1; beta = 1 is SiLU)."""
    _positive("beta", beta)
    return z * jax.nn.sigmoid(beta * z)


silu = swish


# ---------------------------------------------------------------------------- biology
def _hill_pair(x, k, n):
    """(activation, repression) of the Hill function, stable for every x >= 0 and large n.

    Arguments are cast to one floating dtype first (a custom JVP cannot take the ``float0``
    tangents of integer arguments); see :func:`_hill_pair_float` for the evaluation.
    """
    dtype = jnp.result_type(float, x, k, n)
    return _hill_pair_float(jnp.asarray(x, dtype), jnp.asarray(k, dtype), jnp.asarray(n, dtype))


@jax.custom_jvp
def _hill_pair_float(x, k, n):
    """(activation, repression) of the Hill function for floating x >= 0, K > 0, n > 0.

    Evaluated through the identity "a Hill function is a logistic in log-concentration":
    ``x^n / (K^n + x^n) = sigmoid(n ln(x/K))`` and ``K^n / (K^n + x^n) = sigmoid(-n ln(x/K))``.
    One log and two logistics, no power: nothing overflows for huge x or n, and it is ~4x
    faster than two ``x^n`` powers in float64 (the Hill edges are most of the cost of a
    feed-forward-loop sweep). x = 0 gives (0, 1) exactly; NaN propagates. The derivative
    is a custom JVP (``d sigmoid = sigmoid (1 - sigmoid)``), exact at x = 0 too, where it is
    the limit ``n x^(n-1) / K^n``: 1/K for n = 1, 0 for n > 1, inf for n < 1. (Exactly at
    x = 0 only first derivatives are exact; second derivatives there are not.)
    """
    z, positive = _hill_logit(x, k, n)
    act = jnp.where(positive, jax.nn.sigmoid(z), 0.0)
    rep = jnp.where(positive, jax.nn.sigmoid(-z), 1.0)
    return act, rep


def _hill_logit(x, k, n):
    """``(n ln(x/K), x/K > 0 or NaN)``, with a safe log argument where x = 0."""
    u = jnp.asarray(x) / k
    positive = ~(u <= 0)
    return n * jnp.log(jnp.where(positive, u, 1.0)), positive


@_hill_pair_float.defjvp
def _hill_pair_jvp(primals, tangents):
    x, k, n = primals
    dx, dk, dn = tangents
    act, rep = _hill_pair_float(x, k, n)
    z, positive = _hill_logit(x, k, n)
    slope = act * rep  # d sigmoid(z) / dz
    x_safe = jnp.where(positive, x, 1.0)
    # d act = slope * dz with dz = n dx / x - n dk / k + ln(x/K) dn; at x = 0 the dx term is
    # the limit n x^(n-1) / K^n (slope / x -> 0/0 there).
    at_zero = n / k * jnp.power(jnp.zeros_like(slope), n - 1.0)
    c_x = jnp.where(positive, n * slope / x_safe, at_zero)
    c_k = -n * slope / k
    c_n = jnp.where(positive, z / jnp.where(n == 0, 1.0, n), 0.0) * slope
    d_act = c_x * dx + c_k * dk + c_n * dn
    return (act, rep), (d_act, -d_act)


def _check_hill(x, k, n):
    _check("x", x, lambda a: a >= 0, ">= 0 (a concentration)")
    _positive("k", k)
    _positive("n", n)


def hill(x, k: float = 1.0, n: float = 2.0):
    """Hill activation ``x^n / (K^n + x^n)`` for a concentration x >= 0.

    ``k`` (K > 0) is the half-activation concentration, ``n`` (> 0) the Hill coefficient
    (cooperativity). Range [0, 1). Equals ``sigmoid(n ln(x/K))``; tends to the step
    ``x > K`` as n -> infinity.

    >>> float(hill(1.0, k=1.0, n=4.0))
    0.5
    """
    _check_hill(x, k, n)
    return _hill_pair(x, k, n)[0]


def hill_repression(x, k: float = 1.0, n: float = 2.0):
    """Hill repression ``K^n / (K^n + x^n) = 1 - hill(x, k, n)``, range (0, 1]."""
    _check_hill(x, k, n)
    return _hill_pair(x, k, n)[1]


def boltzmann(v, v_half: float = 0.0, k: float = 1.0):
    """Boltzmann gating curve ``1 / (1 + exp(-(V - V_half)/k))``; V, V_half, k in mV.

    ``k > 0`` gives an activation gate (increasing in V), ``k < 0`` an inactivation gate
    (decreasing); ``k == 0`` is rejected. Equals ``sigmoid((V - V_half)/k)``.
    """
    _nonzero("k", k)
    return jax.nn.sigmoid((v - v_half) / k)


# ---------------------------------------------------------------------------- special primitives
_EXPREL_SWITCH = 1e-2


def exprel(x):
    """Relative error exponential ``(e^x - 1) / x``, with value 1 and derivative 1/2 at x = 0.

    Near 0 (|x| < 1e-2) a degree-6 Taylor series is used (truncation < 1e-15 relative);
    elsewhere ``expm1(x) / x``. The double ``where`` keeps the gradient finite at 0.
    This removes the 0/0 of Hodgkin--Huxley rates, e.g.
    ``alpha_m(V) = 0.1 (V+40) / (1 - exp(-(V+40)/10)) = 1 / exprel(-(V+40)/10)``.
    """
    x = jnp.asarray(x)
    small = jnp.abs(x) < _EXPREL_SWITCH
    xs = jnp.where(small, 1.0, x)  # never 0 in the direct branch
    direct = jnp.expm1(xs) / xs
    xt = jnp.where(small, x, 0.0)
    series = 1.0 + xt * (
        1 / 2 + xt * (1 / 6 + xt * (1 / 24 + xt * (1 / 120 + xt * (1 / 720 + xt / 5040))))
    )
    return jnp.where(small, series, direct)


@jax.custom_jvp
def _spike(s, beta):
    return jnp.where(s > 0, 1.0, 0.0).astype(jnp.result_type(s, float))


@_spike.defjvp
def _spike_jvp(primals, tangents):
    s, beta = primals
    ds, _ = tangents
    sg = jax.nn.sigmoid(beta * s)
    return _spike(s, beta), beta * sg * (1.0 - sg) * ds


def spike(s, beta: float = 10.0):
    """Surrogate-gradient spike: Heaviside ``s > 0`` forward, ``d/ds sigmoid(beta s)`` backward.

    The backward pass uses ``beta sigmoid(beta s) (1 - sigmoid(beta s))`` (peak beta/4 at s = 0),
    so gradients flow through spiking units (Neftci, Mostafa & Zenke 2019). ``beta > 0``
    (default 10); the gradient with respect to ``beta`` is taken as zero.
    """
    _positive("beta", beta)
    s = jnp.asarray(s)
    return _spike(s, jax.lax.stop_gradient(jnp.asarray(beta, dtype=jnp.result_type(s, float))))


# ---------------------------------------------------------------------------- exact derivatives
def _d_sigmoid(z):
    s = jax.nn.sigmoid(z)
    return s * (1.0 - s)


def _d_gelu(z, approximate="none"):
    mode = _gelu_mode(approximate)
    if mode == "tanh":
        inner = _SQRT_2_OVER_PI * (z + GELU_TANH_COEFF * z**3)
        t = jnp.tanh(inner)
        dinner = _SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * z**2)
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * dinner
    if mode == "sigmoid":
        s = jax.nn.sigmoid(GELU_SIGMOID_COEFF * z)
        return s + GELU_SIGMOID_COEFF * z * s * (1.0 - s)
    return 0.5 * (1.0 + erf(z / _SQRT_2)) + z * _INV_SQRT_2PI * jnp.exp(-0.5 * z**2)


def _d_swish(z, beta=1.0):
    s = jax.nn.sigmoid(beta * z)
    return s + beta * z * s * (1.0 - s)


def _d_hill(x, k=1.0, n=2.0):
    # n/x * f (1 - f), written as n/K * u^(n-1) / (1+u^n)^2 branch-wise (no 0/0, no overflow).
    x = jnp.asarray(x)
    u = x / k
    below = u <= 1.0
    ub = jnp.where(below, u, 1.0)
    r = jnp.power(ub, n)
    low = n / k * jnp.power(ub, n - 1.0) / (1.0 + r) ** 2
    ua = jnp.where(below, 1.0, u)
    q = jnp.power(1.0 / ua, n)
    high = n / k * q / ua / (1.0 + q) ** 2
    return jnp.where(below, low, high)


# ---------------------------------------------------------------------------- Lipschitz constants
#: sup |GELU'| = Phi(sqrt 2) + sqrt(2) phi(sqrt 2), attained at z = sqrt 2 (GELU'' = phi (2 - z^2)).
GELU_LIPSCHITZ = 0.5 * (1.0 + math.erf(1.0)) + _SQRT_2 * _INV_SQRT_2PI * math.exp(-1.0)
#: sup |swish'| for every beta > 0 (swish'(z) depends on u = beta z only), attained where
#: swish'' = 0, at u* = 2.3993572; checked in tests against a bounded scalar minimisation.
SWISH_LIPSCHITZ = 1.0998393201


def _gelu_lipschitz(approximate="none"):
    if _gelu_mode(approximate) == "none":
        return GELU_LIPSCHITZ
    z = np.linspace(-10.0, 10.0, 200_001)  # the approximations: dense search (they are smooth)
    return float(np.max(np.abs(np.asarray(_d_gelu(jnp.asarray(z), approximate)))))


def _hill_lipschitz(k=1.0, n=2.0):
    """sup_x hill'(x): 1/K (n = 1), +inf (n < 1), else (n^2-1)/(4nK) u*^(-1/n), u* = (n-1)/(n+1)."""
    if n < 1:
        return math.inf
    if n == 1:
        return 1.0 / k
    ustar = (n - 1.0) / (n + 1.0)
    return (n * n - 1.0) / (4.0 * n * k) * ustar ** (-1.0 / n)


# ---------------------------------------------------------------------------- registry
_SMOOTHNESS_ORDER = {"C0": 0, "C1": 1, "C2": 2, "Cinf": math.inf}


@dataclasses.dataclass(frozen=True)
class Activation:
    """One registered primitive and its properties (at its default parameters).

    Attributes:
        name: registry name (also the function name in :mod:`bioact.activations`).
        fn: the primitive ``fn(z, **params)``.
        derivative: exact first derivative ``derivative(z, **params)``.
        params: default parameter values, in signature order.
        smoothness: ``"C0"``, ``"C1"``, ``"C2"`` or ``"Cinf"`` (at the defaults).
        lipschitz: ``sup |f'|`` at the defaults (``math.inf`` if unbounded).
        output_range: the range as text, e.g. ``"(0, 1)"``.
        bounds: the range as ``(low, high)`` floats.
        monotone: whether f is monotone on its domain.
        saturation: ``"exponential"``, ``"algebraic"`` or ``"none"`` -- how f approaches its
            asymptote(s): ``1 - tanh z ~ 2 e^{-2z}`` vs ``pi/2 - arctan z ~ 1/z``.
        domain: the input domain as text.
        description: one line of formula.
    """

    name: str
    fn: Callable[..., Any]
    derivative: Callable[..., Any]
    params: Mapping[str, Any]
    smoothness: str
    lipschitz: float
    output_range: str
    bounds: tuple[float, float]
    monotone: bool
    saturation: str
    domain: str
    description: str
    lipschitz_fn: Callable[..., float] | None = None

    @property
    def smoothness_order(self) -> float:
        """Number of continuous derivatives (0, 1, 2 or ``math.inf``)."""
        return _SMOOTHNESS_ORDER[self.smoothness]

    def __call__(self, z, **params):
        return self.fn(z, **{**self.params, **params})

    def grad(self, z, **params):
        """Exact first derivative at ``z`` with the given (or default) parameters."""
        return self.derivative(z, **{**self.params, **params})

    def lipschitz_at(self, **params) -> float:
        """``sup |f'|`` for other parameter values (e.g. ``get("hill").lipschitz_at(n=4)``)."""
        merged = {**self.params, **params}
        if self.lipschitz_fn is None:
            return self.lipschitz
        return float(self.lipschitz_fn(**merged))

    def row(self) -> dict[str, Any]:
        """The properties as one CSV row (see ``bioact activations``)."""
        return {
            "name": self.name,
            "smoothness": self.smoothness,
            "lipschitz": self.lipschitz,
            "output_range": self.output_range,
            "monotone": self.monotone,
            "saturation": self.saturation,
        }


def _entry(
    name,
    fn,
    derivative,
    params,
    smoothness,
    lipschitz_fn,
    output_range,
    bounds,
    monotone,
    saturation,
    domain,
    description,
):
    return Activation(
        name=name,
        fn=fn,
        derivative=derivative,
        params=dict(params),
        smoothness=smoothness,
        lipschitz=float(lipschitz_fn(**params)),
        output_range=output_range,
        bounds=bounds,
        monotone=monotone,
        saturation=saturation,
        domain=domain,
        description=description,
        lipschitz_fn=lipschitz_fn,
    )


_inf = math.inf
_REGISTRY: dict[str, Activation] = {
    a.name: a
    for a in [
        _entry(
            "sigmoid",
            sigmoid,
            _d_sigmoid,
            {},
            "Cinf",
            lambda: 0.25,
            "(0, 1)",
            (0.0, 1.0),
            True,
            "exponential",
            "R",
            "1 / (1 + exp(-z))",
        ),
        _entry(
            "tanh",
            tanh,
            lambda z: 1.0 - jnp.tanh(z) ** 2,
            {},
            "Cinf",
            lambda: 1.0,
            "(-1, 1)",
            (-1.0, 1.0),
            True,
            "exponential",
            "R",
            "tanh(z) = 2 sigmoid(2z) - 1",
        ),
        _entry(
            "arctan",
            arctan,
            lambda z: 1.0 / (1.0 + z**2),
            {},
            "Cinf",
            lambda: 1.0,
            "(-pi/2, pi/2)",
            (-math.pi / 2, math.pi / 2),
            True,
            "algebraic",
            "R",
            "arctan(z)",
        ),
        _entry(
            "sin",
            sin,
            jnp.cos,
            {},
            "Cinf",
            lambda: 1.0,
            "[-1, 1]",
            (-1.0, 1.0),
            False,
            "none",
            "R",
            "sin(z)",
        ),
        _entry(
            "relu",
            relu,
            lambda z: jnp.where(z > 0, 1.0, 0.0),
            {},
            "C0",
            lambda: 1.0,
            "[0, inf)",
            (0.0, _inf),
            True,
            "none",
            "R",
            "max(z, 0)",
        ),
        _entry(
            "leaky_relu",
            leaky_relu,
            lambda z, alpha=0.01: jnp.where(z >= 0, 1.0, alpha),
            {"alpha": 0.01},
            "C0",
            lambda alpha=0.01: max(1.0, alpha),
            "(-inf, inf)",
            (-_inf, _inf),
            True,
            "none",
            "R",
            "z if z >= 0 else alpha z",
        ),
        _entry(
            "elu",
            elu,
            lambda z, alpha=1.0: jnp.where(z > 0, 1.0, alpha * jnp.exp(jnp.minimum(z, 0.0))),
            {"alpha": 1.0},
            "C1",
            lambda alpha=1.0: max(1.0, alpha),
            "(-1, inf)",
            (-1.0, _inf),
            True,
            "exponential",
            "R",
            "z if z > 0 else alpha (exp(z) - 1)",
        ),
        _entry(
            "softplus",
            softplus,
            lambda z, beta=1.0: jax.nn.sigmoid(beta * z),
            {"beta": 1.0},
            "Cinf",
            lambda beta=1.0: 1.0,
            "(0, inf)",
            (0.0, _inf),
            True,
            "exponential",
            "R",
            "log(1 + exp(beta z)) / beta",
        ),
        _entry(
            "gelu",
            gelu,
            _d_gelu,
            {"approximate": "none"},
            "Cinf",
            _gelu_lipschitz,
            "[-0.170, inf)",
            (-0.1699712, _inf),
            False,
            "exponential",
            "R",
            "z Phi(z)",
        ),
        _entry(
            "swish",
            swish,
            _d_swish,
            {"beta": 1.0},
            "Cinf",
            lambda beta=1.0: SWISH_LIPSCHITZ,
            "[-0.278, inf)",
            (-0.2784645, _inf),
            False,
            "exponential",
            "R",
            "z sigmoid(beta z)",
        ),
        _entry(
            "hill",
            hill,
            _d_hill,
            {"k": 1.0, "n": 2.0},
            "Cinf",
            _hill_lipschitz,
            "[0, 1)",
            (0.0, 1.0),
            True,
            "algebraic",
            "[0, inf)",
            "x^n / (K^n + x^n)",
        ),
        _entry(
            "hill_repression",
            hill_repression,
            lambda x, k=1.0, n=2.0: -_d_hill(x, k, n),
            {"k": 1.0, "n": 2.0},
            "Cinf",
            _hill_lipschitz,
            "(0, 1]",
            (0.0, 1.0),
            True,
            "algebraic",
            "[0, inf)",
            "K^n / (K^n + x^n)",
        ),
        _entry(
            "boltzmann",
            boltzmann,
            lambda v, v_half=0.0, k=1.0: _d_sigmoid((v - v_half) / k) / k,
            {"v_half": 0.0, "k": 1.0},
            "Cinf",
            lambda v_half=0.0, k=1.0: 0.25 / abs(k),
            "(0, 1)",
            (0.0, 1.0),
            True,
            "exponential",
            "R (mV)",
            "1 / (1 + exp(-(V - V_half) / k))",
        ),
    ]
}


def names() -> tuple[str, ...]:
    """All registered primitive names, in registry order."""
    return tuple(_REGISTRY)


def get(name: str) -> Activation:
    """Look up a primitive by name; unknown names raise ``ValueError`` listing the valid ones.

    >>> get("tanh").smoothness
    'Cinf'
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation name={name!r}; valid names are: {', '.join(_REGISTRY)}"
        ) from None


def properties_table() -> list[dict[str, Any]]:
    """One row per primitive: name, smoothness, lipschitz, output_range, monotone, saturation."""
    return [a.row() for a in _REGISTRY.values()]

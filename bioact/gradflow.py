"""Gradient flow through chains of activations: vanishing/exploding products, saturation.

For a depth-L scalar chain ``h_0 = x``, ``z_k = w_k h_{k-1}``, ``h_k = f(z_k)``, the chain rule
gives

    d h_L / d w_1 = x f'(z_1) prod_{k=2..L} w_k f'(z_k),
    d h_L / d x   = prod_{k=1..L} w_k f'(z_k).

With unit weights the first is ``x prod_k f'(z_k)``: since sigmoid' <= 1/4 and tanh' <= 1 it
vanishes geometrically with depth (sigmoid: at most 4^-L); a linear unit ``f(z) = a z`` with
weights ``s`` gives ``(s a)^L``, which explodes for ``s a > 1`` (1.26^L, about 10^L/10).

>>> import jax.numpy as jnp
>>> from bioact import activations, gradflow
>>> g = gradflow.chain_gradient(activations.get("sigmoid"), 1.0, jnp.ones(10))
>>> float(g) < 0.25 ** 10 * 1.0001
True
"""

from __future__ import annotations

import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from bioact import activations
from bioact._checks import positive

__all__ = [
    "chain_forward",
    "chain_gradient",
    "chain_input_gradient",
    "saturation_fraction",
    "surrogate_gradient_stats",
    "surrogate_mean_square_asymptote",
]


def _as_activation(f: str | activations.Activation) -> activations.Activation:
    return activations.get(f) if isinstance(f, str) else f


def chain_forward(
    f: str | activations.Activation | Callable, x: ArrayLike, weights: Float[Array, " L"]
) -> tuple[Array, Float[Array, " L"]]:
    """Run the chain; return ``(h_L, z)`` with the pre-activations ``z_1..z_L``."""
    fn = _as_activation(f) if isinstance(f, str) else f

    def step(h, w):
        z = w * h
        return fn(z), z

    return jax.lax.scan(step, jnp.asarray(x, dtype=jnp.result_type(float)), jnp.asarray(weights))


def _local_factors(f, x, weights) -> tuple[Array, Array]:
    """``(w, f'(z))`` along the chain: the factors of every chain-rule product."""
    act = _as_activation(f)
    weights = jnp.asarray(weights, dtype=jnp.result_type(float))
    _, z = chain_forward(act, x, weights)
    return weights, act.grad(z)


def chain_gradient(
    f: str | activations.Activation, x: ArrayLike, weights: Float[Array, " L"]
) -> Array:
    """``d h_L / d w_1 = x f'(z_1) prod_{k>=2} w_k f'(z_k)``, from the registry's exact f'."""
    w, fp = _local_factors(f, x, weights)
    return x * fp[0] * jnp.prod(w[1:] * fp[1:])


def chain_input_gradient(
    f: str | activations.Activation, x: ArrayLike, weights: Float[Array, " L"]
) -> Array:
    """``d h_L / d x = prod_k w_k f'(z_k)``."""
    w, fp = _local_factors(f, x, weights)
    return jnp.prod(w * fp)


def saturation_fraction(
    f: str | activations.Activation, z: ArrayLike, threshold: float = 0.01
) -> Array:
    """Fraction of pre-activations ``z`` where ``|f'(z)| < threshold * sup|f'|`` (saturated units).

    E.g. for sigmoid with threshold 0.01 this is the fraction with ``|z| > 5.99``.
    """
    positive("threshold", threshold)
    act = _as_activation(f)
    return jnp.mean(jnp.abs(act.grad(jnp.asarray(z))) < threshold * act.lipschitz)


def surrogate_gradient_stats(
    beta: float, key: Array, n: int = 100_000, scale: float = 1.0
) -> dict[str, Array]:
    """Mean and mean square of the surrogate gradient of :func:`bioact.activations.spike`.

    The membrane-potential offsets are ``s ~ Normal(0, scale^2)`` drawn with ``key``; the
    gradient is obtained with ``jax.grad`` through the ``custom_jvp``. Returns
    ``{"mean": E[g], "mean_square": E[g^2], "nonzero_fraction": P(g > 1e-3 max g)}``.
    """
    positive("beta", beta)
    positive("scale", scale)
    s = scale * jax.random.normal(key, (n,), dtype=jnp.result_type(float))
    g = jax.vmap(jax.grad(lambda v: activations.spike(v, beta)))(s)
    return {
        "mean": jnp.mean(g),
        "mean_square": jnp.mean(g**2),
        "nonzero_fraction": jnp.mean((g > 1e-3 * beta / 4).astype(s.dtype)),
    }


def surrogate_mean_square_asymptote(beta: float, scale: float = 1.0) -> float:
    """Large-beta limit of ``E[g^2]`` for ``s ~ N(0, scale^2)``: ``beta / (6 sqrt(2 pi) scale)``.

    From ``int (d/du sigmoid(u))^2 du = int_0^1 p (1 - p) dp = 1/6``: the mean square grows
    proportionally to beta (while the mean stays near the density at 0).
    """
    return beta / (6.0 * math.sqrt(2.0 * math.pi) * scale)

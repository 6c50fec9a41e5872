"""Gradient flow through chains: the chain-rule product, vanishing/exploding, surrogates."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact import activations as A
from bioact import gradflow as G


def _chain_output(w, x, f):
    h = x
    for wk in w:
        h = f(wk * h)
    return h


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "swish", "gelu", "arctan"])
def test_chain_gradient_equals_autodiff(name):
    key = jax.random.key(0)
    w = 1.0 + 0.3 * jax.random.normal(key, (12,))
    x = 0.7
    f = A.get(name)
    auto_w1 = jax.grad(lambda w0: _chain_output(w.at[0].set(w0), x, f))(w[0])
    auto_x = jax.grad(lambda x0: _chain_output(w, x0, f))(x)
    assert float(G.chain_gradient(name, x, w)) == pytest.approx(float(auto_w1), rel=1e-12)
    assert float(G.chain_input_gradient(name, x, w)) == pytest.approx(float(auto_x), rel=1e-12)


def test_unit_weight_chain_is_x_times_product_of_derivatives_and_vanishes():
    x, depth = 0.5, 20
    w = jnp.ones(depth)
    _, z = G.chain_forward("sigmoid", x, w)
    expected = x * float(jnp.prod(A.get("sigmoid").grad(z)))
    assert float(G.chain_gradient("sigmoid", x, w)) == pytest.approx(expected, rel=1e-13)
    assert expected < x * 0.25**depth  # sigmoid' <= 1/4: at least 4^-L decay
    grads = [float(G.chain_gradient("tanh", x, jnp.ones(L))) for L in (1, 5, 10, 20)]
    assert all(b < a for a, b in zip(grads, grads[1:], strict=False))


def test_linear_unit_gradient_grows_as_power_of_s_times_a():
    s, a = 1.4, 0.9  # s * a = 1.26
    for L in (1, 10, 30):
        g = jax.grad(lambda x0, L=L: _chain_output(jnp.full(L, s), x0, lambda z: a * z))(1.0)
        assert float(g) == pytest.approx(1.26**L, rel=1e-12)
    assert 1.26**10 == pytest.approx(10.08, rel=1e-3)  # ~ 10x per 10 layers


def test_saturation_fraction():
    z = jnp.linspace(-10, 10, 200001)
    # sigmoid'(z) < 0.01 * 0.25  <=>  |z| > z* with s(1-s) = 0.0025
    zstar = math.log((1 + math.sqrt(1 - 4 * 0.0025)) / (1 - math.sqrt(1 - 4 * 0.0025)))
    assert float(G.saturation_fraction("sigmoid", z)) == pytest.approx(1 - zstar / 10, abs=1e-4)
    assert float(G.saturation_fraction("relu", z)) == pytest.approx(0.5, abs=1e-4)
    with pytest.raises(ValueError, match="threshold must be > 0"):
        G.saturation_fraction("tanh", z, threshold=0.0)


def test_surrogate_gradient_mean_square_grows_proportionally_to_beta():
    key = jax.random.key(42)
    betas = [5.0, 10.0, 20.0, 40.0, 80.0]
    ms = np.array(
        [float(G.surrogate_gradient_stats(b, key, n=200_000)["mean_square"]) for b in betas]
    )
    slope = np.polyfit(np.log(betas), np.log(ms), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.05)
    # and the constant matches the analytic large-beta limit beta / (6 sqrt(2 pi))
    assert ms[-1] == pytest.approx(G.surrogate_mean_square_asymptote(80.0), rel=0.02)
    # the mean gradient tends to the density of s at 0: 1/sqrt(2 pi)
    mean = float(G.surrogate_gradient_stats(80.0, key, n=200_000)["mean"])
    assert mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=0.02)

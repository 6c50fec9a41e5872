"""The identities linking biology and machine learning, and the quantitative facts of saturation.

References: the logistic forms of the Hill and Boltzmann functions are exact algebra; the GELU
approximations are from Hendrycks & Gimpel (2016), "Gaussian Error Linear Units (GELUs)",
arXiv:1606.08415, section 2 (x sigma(1.702 x) and the tanh form).
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_expit
from scipy.stats import norm

from bioact import activations as A
from bioact import identities as I

pos = st.floats(1e-3, 1e3, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(pos, pos, st.floats(0.2, 12.0))
def test_hill_is_logistic_in_log_concentration(x, k, n):
    assert float(A.hill(x, k, n)) == pytest.approx(
        float(I.hill_as_logistic(x, k, n)), rel=1e-12, abs=1e-300
    )
    assert float(A.hill(x, k, n)) == pytest.approx(
        float(expit(n * math.log(x / k))), rel=1e-12, abs=1e-300
    )
    assert float(A.hill(x, k, n) + A.hill_repression(x, k, n)) == pytest.approx(1.0, rel=1e-15)


@settings(max_examples=50, deadline=None)
@given(st.floats(-120, 60), st.floats(-80, 0), st.floats(-20, 20).filter(lambda k: abs(k) > 0.1))
def test_boltzmann_is_logistic_in_voltage(v, v_half, k):
    expected = 1.0 / (1.0 + math.exp(-(v - v_half) / k)) if -(v - v_half) / k < 700 else 0.0
    assert float(A.boltzmann(v, v_half, k)) == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert float(I.boltzmann_as_logistic(v, v_half, k)) == float(A.boltzmann(v, v_half, k))


def test_tanh_is_rescaled_logistic_and_softplus_derivative_is_sigmoid():
    z = jnp.linspace(-20, 20, 4001)
    np.testing.assert_allclose(I.tanh_as_logistic(z), jnp.tanh(z), atol=2e-16)
    d_softplus = jax.vmap(jax.grad(A.softplus))(z)
    np.testing.assert_allclose(d_softplus, A.sigmoid(z), rtol=1e-14)
    d_sp_beta = jax.vmap(jax.grad(lambda t: A.softplus(t, 3.0)))(z)
    np.testing.assert_allclose(d_sp_beta, A.sigmoid(3.0 * z), rtol=1e-14)


def test_gelu_sigmoid_approximation_max_deviation():
    err, z_at = I.gelu_sigmoid_max_deviation()

    # independent reference: scipy's normal CDF and expit on a fine grid, refined by minimize_scalar
    def dev(z):
        return abs(z * norm.cdf(z) - z * expit(1.702 * z))

    grid = np.linspace(-10, 10, 200001)
    i = int(np.argmax([dev(z) for z in grid[::10]])) * 10
    res = minimize_scalar(
        lambda z: -dev(z),
        bounds=(grid[i] - 1e-3, grid[i] + 1e-3),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert err == pytest.approx(-res.fun, rel=1e-9)
    assert z_at == pytest.approx(res.x, abs=1e-5)
    assert 0.020 < err < 0.021  # ~0.0203 at z ~ -2.27: the number quoted in the docs


def test_hill_tends_to_step_as_n_grows():
    x = np.array([0.5, 0.9, 0.99, 1.01, 1.1, 2.0])
    step = (x > 1.0).astype(float)
    errors = [
        float(np.max(np.abs(np.asarray(A.hill(x, 1.0, n)) - step)))
        for n in (1, 10, 100, 1000, 10000)
    ]
    assert all(b < a for a, b in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 1e-40
    assert float(A.hill(1.0, 1.0, 1e4)) == 0.5  # the threshold stays at K


def test_algebraic_vs_exponential_saturation():
    assert float(jnp.tanh(10.0)) == pytest.approx(0.9999999958776927, rel=1e-15)
    for z in (10.0, 100.0, 1000.0):
        gap = math.pi / 2 - float(A.arctan(z))
        assert gap * z == pytest.approx(1.0, rel=1.0 / z**2)  # pi/2 - arctan z = 1/z - 1/(3z^3)..
    # exponential: 1 - tanh z ~ 2 e^{-2z}; at z = 10 the arctan gap is ~2.4e7 times larger
    assert (math.pi / 2 - math.atan(10.0)) / (2 * float(A.sigmoid(-20.0))) > 2e7
    assert A.get("tanh").saturation == "exponential" and A.get("arctan").saturation == "algebraic"


def test_sigmoid_near_zero_and_gradient_ratio():
    for z in (1e-3, 1e-2, 0.05):
        # sigma(z) = 1/2 + z/4 - z^3/48 + ...: linear with no quadratic term (sigma''(0) = 0)
        assert float(A.sigmoid(z)) - (0.5 + 0.25 * z) == pytest.approx(-(z**3) / 48, rel=1e-2)
    assert float(jax.grad(jax.grad(A.sigmoid))(0.0)) == 0.0
    ratio = float(jax.grad(A.sigmoid)(0.0) / jax.grad(A.sigmoid)(4.0))
    assert ratio == pytest.approx(0.25 / (expit(4) * (1 - expit(4))), rel=1e-12)
    assert 14.1 < ratio < 14.2  # 14.154: the "~14.1" of the gradient-flow argument


def test_logit_prior_matching_bias():
    assert float(A.logit(0.9)) == pytest.approx(math.log(9.0), rel=1e-15)
    assert float(A.sigmoid(A.logit(0.9))) == pytest.approx(0.9, rel=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.floats(-30, 30), st.floats(0, 1))
@example(17.0, 1.0)  # found by hypothesis in CI: softplus(z) - y z cancelled 8 digits
@example(0.0, 0.3)
def test_bce_gradient_through_sigmoid_is_p_minus_y(z, y):
    g = float(jax.grad(I.bce_with_logits)(z, y))
    assert g == pytest.approx(float(expit(z)) - y, abs=1e-14)
    reference = -(y * log_expit(z) + (1 - y) * log_expit(-z))  # scipy's stable log-sigmoid
    assert float(I.bce_with_logits(z, y)) == pytest.approx(reference, rel=1e-12, abs=1e-15)

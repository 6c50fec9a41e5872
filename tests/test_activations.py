"""Property tests of the activation primitives and their registry."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import expit

from bioact import activations as A

NAMES = A.names()
REQUIRED = (
    "sigmoid tanh arctan relu leaky_relu elu softplus gelu swish hill hill_repression boltzmann"
).split()
# XLA on CPU flushes subnormals to zero, so they are excluded from the inputs.
reals = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
concentrations = st.floats(0.0, 1e4, allow_nan=False, allow_infinity=False, allow_subnormal=False)
FAST = settings(max_examples=40, deadline=None)


def _inputs(name):
    return concentrations if A.get(name).domain.startswith("[0") else reals


def _grid(name, num=4001):
    if A.get(name).domain.startswith("[0"):
        return np.concatenate([[0.0], np.logspace(-4, 3, num)])
    return np.linspace(-30.0, 30.0, num)


def test_registry_has_required_names_with_valid_properties():
    assert set(REQUIRED) <= set(NAMES)
    for name in NAMES:
        a = A.get(name)
        assert a.smoothness in ("C0", "C1", "C2", "Cinf")
        assert a.saturation in ("exponential", "algebraic", "none")
        assert a.lipschitz > 0
        assert getattr(A, name) is a.fn  # function names follow registry names
        row = a.row()
        assert list(row) == [
            "name",
            "smoothness",
            "lipschitz",
            "output_range",
            "monotone",
            "saturation",
        ]


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation name='softmax'.*sigmoid.*boltzmann"):
        A.get("softmax")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: A.hill(1.0, k=0.0), r"k must be > 0, got k=0\.0"),
        (lambda: A.hill(1.0, k=-1.0), r"k must be > 0, got k=-1\.0"),
        (lambda: A.hill(1.0, n=0.0), r"n must be > 0, got n=0\.0"),
        (lambda: A.hill_repression(1.0, 1.0, -2.0), r"n must be > 0, got n=-2\.0"),
        (lambda: A.hill(-1.0), r"x must be >= 0"),
        (lambda: A.boltzmann(0.0, -40.0, 0.0), r"k must be nonzero, got k=0\.0"),
        (lambda: A.softplus(0.0, beta=0.0), r"beta must be > 0, got beta=0\.0"),
        (lambda: A.swish(0.0, beta=-1.0), r"beta must be > 0, got beta=-1\.0"),
        (lambda: A.spike(0.0, beta=0.0), r"beta must be > 0"),
        (lambda: A.elu(0.0, alpha=0.0), r"alpha must be > 0"),
        (lambda: A.leaky_relu(0.0, alpha=-0.1), r"alpha must be >= 0"),
        (lambda: A.gelu(0.0, approximate="erf"), r"approximate must be one of"),
        (lambda: A.logit(1.0), r"p must be in the open interval"),
    ],
)
def test_bad_parameters_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_jax_grad_on_grid(name):
    a = A.get(name)
    z = jnp.asarray(_grid(name, 2001))
    auto = jax.vmap(jax.grad(lambda x: a(x)))(z)
    np.testing.assert_allclose(a.grad(z), auto, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_property_derivative_finite_bounds_monotone(name):
    a = A.get(name)
    lo, hi = a.bounds
    direction = np.sign(np.mean(np.asarray(a.grad(jnp.asarray(_grid(name, 101))))))

    @FAST
    @given(_inputs(name), _inputs(name))
    def check(z1, z2):
        f1, f2 = float(a(z1)), float(a(z2))
        g = float(jax.grad(lambda x: a(x))(z1))
        assert math.isfinite(f1) and math.isfinite(g)
        assert g == pytest.approx(float(a.grad(z1)), rel=1e-10, abs=1e-14)
        assert lo - 1e-12 <= f1 <= hi + 1e-12
        assert abs(g) <= a.lipschitz * (1 + 1e-9)
        if a.monotone and z1 < z2:
            assert direction * (f2 - f1) >= -1e-12

    check()


@pytest.mark.parametrize("name", NAMES)
def test_lipschitz_is_the_supremum_of_the_derivative(name):
    """sup|f'| from the registry vs a dense grid plus bounded scalar refinement (independent)."""
    a = A.get(name)
    z = _grid(name, 20001)
    g = np.abs(np.asarray(a.grad(jnp.asarray(z))))
    i = int(np.argmax(g))
    lo, hi = z[max(i - 1, 0)], z[min(i + 1, z.size - 1)]
    res = minimize_scalar(
        lambda x: -abs(float(a.grad(x))),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-12},
    )
    assert max(g.max(), -res.fun) == pytest.approx(a.lipschitz, rel=1e-8)


def test_lipschitz_at_other_parameters():
    hill = A.get("hill")
    assert hill.lipschitz_at(k=2.0, n=1.0) == pytest.approx(0.5)
    assert hill.lipschitz_at(n=0.5) == math.inf
    x = np.linspace(0, 10, 200001)
    assert hill.lipschitz_at(k=1.5, n=4.0) == pytest.approx(
        float(np.max(np.asarray(hill.grad(x, k=1.5, n=4.0)))), rel=1e-6
    )
    assert A.get("boltzmann").lipschitz_at(k=-5.0) == pytest.approx(0.05)
    assert A.get("leaky_relu").lipschitz_at(alpha=2.0) == 2.0


@pytest.mark.parametrize("name", NAMES)
def test_jit_equals_eager_and_vmap_equals_loop(name):
    a = A.get(name)
    z = jnp.asarray(_grid(name, 33))
    eager = a(z)
    np.testing.assert_allclose(jax.jit(a.fn)(z), eager, rtol=1e-14, atol=1e-300)  # fusion: 1 ulp
    loop = jnp.stack([a(zi) for zi in z])
    np.testing.assert_allclose(jax.vmap(a.fn)(z), loop, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(eager, loop, rtol=1e-14, atol=1e-300)


def test_parametrised_primitives_under_jit_and_vmap_over_parameters():
    ks = jnp.array([0.5, 1.0, 2.0])
    out = jax.vmap(lambda k: A.hill(1.0, k, 2.0))(ks)
    np.testing.assert_allclose(out, 1.0 / (1.0 + ks**2), rtol=1e-14)
    out = jax.jit(A.boltzmann)(jnp.array(-40.0), -40.0, 5.0)
    assert float(out) == 0.5


def test_edge_points_finite_values_and_gradients():
    # Hill at x = 0 (n = 1 has derivative 1/K there), huge x and huge n: no overflow / NaN.
    assert float(jax.grad(lambda x: A.hill(x, 2.0, 1.0))(0.0)) == pytest.approx(0.5)
    assert float(jax.grad(A.hill)(0.0)) == 0.0
    for x, n in ((1e300, 2.0), (1e6, 500.0), (1e-300, 3.0), (0.999, 1000.0)):
        v, g = jax.value_and_grad(lambda t, n=n: A.hill(t, 1.0, n))(x)
        r = jax.grad(lambda t, n=n: A.hill_repression(t, 1.0, n))(x)
        assert np.isfinite([v, g, r]).all() and 0.0 <= float(v) <= 1.0
    # sigmoid/softplus/elu/swish/gelu at extreme inputs
    for name in ("sigmoid", "softplus", "elu", "swish", "gelu", "tanh", "boltzmann"):
        for z in (-1e4, -745.0, 0.0, 745.0, 1e4):
            v, g = jax.value_and_grad(lambda t, name=name: A.get(name)(t))(z)
            assert np.isfinite([v, g]).all(), (name, z, v, g)
    assert float(A.softplus(1000.0)) == 1000.0
    assert float(A.sigmoid(-800.0)) == 0.0 and float(jax.grad(A.sigmoid)(-30.0)) > 0.0


def test_exprel_value_and_gradient_at_zero_and_hh_singularities():
    assert float(A.exprel(0.0)) == 1.0
    assert float(jax.grad(A.exprel)(0.0)) == 0.5
    assert float(jax.grad(jax.grad(A.exprel))(0.0)) == pytest.approx(1.0 / 3.0)
    x = np.array([-1.0, -1e-2, -1e-3, -1e-8, 1e-8, 1e-3, 1e-2 - 1e-12, 1e-2, 0.5, 20.0])
    ref = np.expm1(x) / x  # numpy reference, accurate away from exactly 0
    np.testing.assert_allclose(A.exprel(x), ref, rtol=1e-14)
    # derivative (x e^x - e^x + 1)/x^2 in extended precision via its series / exact form
    d_ref = np.array(
        [
            float(
                (np.longdouble(xi) * np.exp(np.longdouble(xi)) - np.expm1(np.longdouble(xi)))
                / np.longdouble(xi) ** 2
            )
            if abs(xi) > 1e-3
            else 0.5 + xi / 3 + xi**2 / 8
            for xi in x
        ]
    )
    np.testing.assert_allclose(jax.vmap(jax.grad(A.exprel))(jnp.asarray(x)), d_ref, rtol=1e-9)

    # Hodgkin-Huxley alpha_m at V = -40 mV and alpha_n at V = -55 mV (0/0 in the textbook form)
    def alpha_m(v):
        return 1.0 / A.exprel(-(v + 40.0) / 10.0)

    def alpha_n(v):
        return 0.1 / A.exprel(-(v + 55.0) / 10.0)

    assert float(alpha_m(-40.0)) == pytest.approx(1.0)
    assert float(alpha_n(-55.0)) == pytest.approx(0.1)
    for f, v in ((alpha_m, -40.0), (alpha_n, -55.0)):
        g = float(jax.grad(f)(v))
        fd = (float(f(v + 1e-4)) - float(f(v - 1e-4))) / 2e-4
        assert np.isfinite(g) and g == pytest.approx(fd, rel=1e-6)


def test_spike_forward_heaviside_backward_sigmoid_derivative():
    s = jnp.array([-1.0, -1e-9, 0.0, 1e-9, 2.0])
    np.testing.assert_array_equal(A.spike(s), [0.0, 0.0, 0.0, 1.0, 1.0])
    for beta in (1.0, 10.0, 40.0):
        g = jax.vmap(jax.grad(lambda v, b=beta: A.spike(v, b)))(s)
        p = expit(beta * np.asarray(s))
        np.testing.assert_allclose(g, beta * p * (1 - p), rtol=1e-14)
    assert float(jax.grad(lambda b: A.spike(0.3, b))(10.0)) == 0.0


def test_gelu_variants_and_their_derivatives():
    z = jnp.linspace(-6, 6, 1001)
    exact = A.gelu(z)
    from scipy.stats import norm

    np.testing.assert_allclose(
        exact, np.asarray(z) * norm.cdf(np.asarray(z)), rtol=1e-13, atol=1e-15
    )
    assert float(jnp.max(jnp.abs(A.gelu(z, approximate="tanh") - exact))) < 1e-3
    np.testing.assert_allclose(A.gelu(z, approximate=True), A.gelu(z, approximate="tanh"))
    np.testing.assert_allclose(A.gelu(z), jax.nn.gelu(z, approximate=False), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(
        A.gelu(z, approximate="tanh"), jax.nn.gelu(z, approximate=True), rtol=1e-13, atol=1e-15
    )
    gelu = A.get("gelu")
    for mode in ("tanh", "sigmoid"):
        auto = jax.vmap(jax.grad(lambda x, m=mode: A.gelu(x, approximate=m)))(z)
        np.testing.assert_allclose(gelu.grad(z, approximate=mode), auto, rtol=1e-12, atol=1e-14)
    assert gelu.lipschitz_at(approximate="sigmoid") == pytest.approx(
        float(jnp.max(jnp.abs(gelu.grad(z, approximate="sigmoid")))), rel=1e-4
    )


def test_elu_is_c1_only_at_alpha_one():
    d = A.get("elu").grad
    eps = 1e-9
    assert float(d(-eps)) == pytest.approx(float(d(eps)), abs=1e-8)  # alpha = 1: C^1
    assert float(d(-eps, alpha=0.5)) == pytest.approx(0.5, abs=1e-8)  # jump -> only C^0


def test_smoothness_classes_reflect_derivative_jumps():
    # A C^0 primitive's derivative jumps at 0; a C^inf one's second derivative is continuous.
    for name in NAMES:
        a = A.get(name)
        if a.domain.startswith("[0"):
            continue
        jump = abs(float(a.grad(1e-9)) - float(a.grad(-1e-9)))
        assert (jump > 1e-3) == (a.smoothness == "C0"), name


def test_properties_table_rows():
    rows = A.properties_table()
    assert [r["name"] for r in rows] == list(NAMES)
    by = {r["name"]: r for r in rows}
    assert by["relu"]["smoothness"] == "C0" and by["elu"]["smoothness"] == "C1"
    assert by["arctan"]["saturation"] == "algebraic"
    assert by["tanh"]["saturation"] == "exponential" and by["relu"]["saturation"] == "none"
    assert by["gelu"]["monotone"] is False and by["hill_repression"]["monotone"] is True
    assert by["sigmoid"]["lipschitz"] == 0.25


def test_hill_logistic_evaluation_matches_powers_and_its_custom_derivative():
    """hill is evaluated as sigmoid(n ln(x/K)) with a custom JVP: check values against the
    textbook power form and all three partial derivatives against central differences."""
    x = np.array([0.0, 1e-12, 0.05, 0.3, 0.7, 1.0, 1.4, 3.0, 50.0])
    for k, n in ((0.7, 1.0), (0.7, 2.3), (2.0, 4.0), (0.1, 0.6)):
        act, rep = np.asarray(A.hill(x, k, n)), np.asarray(A.hill_repression(x, k, n))
        np.testing.assert_allclose(act, x**n / (k**n + x**n), rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(rep, k**n / (k**n + x**n), rtol=1e-13)
        for f in (A.hill, A.hill_repression):
            for xv in (0.3, 1.4, 3.0):
                grad = jax.grad(f, argnums=(0, 1, 2))(xv, k, n)
                h = 1e-6
                fd = [
                    (f(xv + h, k, n) - f(xv - h, k, n)) / (2 * h),
                    (f(xv, k + h, n) - f(xv, k - h, n)) / (2 * h),
                    (f(xv, k, n + h) - f(xv, k, n - h)) / (2 * h),
                ]
                np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-10)
    # at x = 0: the value is exact, k- and n-derivatives vanish, the x-derivative is the limit
    assert jax.grad(A.hill, argnums=(1, 2))(0.0, 1.0, 2.0) == (0.0, 0.0)
    assert float(jax.grad(lambda x: A.hill(x, 1.0, 0.5))(0.0)) == np.inf
    # forward and reverse mode agree; NaN is not silently turned into a number
    xs = jnp.array([0.0, 0.5, 2.0])
    np.testing.assert_allclose(
        jnp.diag(jax.jacfwd(lambda x: A.hill(x, 0.8, 3.0))(xs)),
        jax.vmap(jax.grad(lambda x: A.hill(x, 0.8, 3.0)))(xs),
        rtol=1e-14,
    )
    assert np.isnan(float(A._hill_pair(jnp.nan, 1.0, 2.0)[0]))


def test_hill_accepts_integer_arguments_under_grad():
    # integer k or n must not break the custom JVP (float0 tangents)
    assert float(jax.grad(lambda x: A.hill(x, k=1.0, n=4))(0.5)) == pytest.approx(
        4 * 0.5**3 / (1 + 0.5**4) ** 2
    )
    assert float(jax.grad(lambda k: A.hill(1, k, 2))(0.5)) == pytest.approx(-0.64)

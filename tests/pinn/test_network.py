"""Network, hard boundary transform, derivatives and the smoothness guard."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.pinn import check_activation, derivatives, load_problem, make_network, solution


@pytest.mark.parametrize("features", [0, 4])
def test_nested_jvp_derivatives_match_reverse_mode(features):
    problem, _ = load_problem("poisson_sin")
    net = make_network(problem, seed=3, activation="tanh", width=8, fourier_features=features)
    xs = jnp.linspace(-1.0, 1.0, 7)
    u, du, d2u = jax.jit(derivatives)(net, problem, xs)

    def f(x):
        return solution(net, problem, x)

    grads = jax.jit(lambda xs: (jax.vmap(jax.grad(f))(xs), jax.vmap(jax.grad(jax.grad(f)))(xs)))
    g1, g2 = grads(xs)
    np.testing.assert_allclose(du, g1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(d2u, g2, rtol=1e-12, atol=1e-12)
    # and against central differences (independent of autodiff)
    h = 1e-4
    fv = jax.jit(jax.vmap(f))
    fd2 = (fv(xs + h) - 2 * fv(xs) + fv(xs - h)) / h**2
    np.testing.assert_allclose(d2u, fd2, rtol=1e-5, atol=1e-5)


def test_hard_dirichlet_transform_is_exact_and_offset_shifts_guess():
    problem, _ = load_problem("bratu_upper")
    net = make_network(problem, seed=0, width=8)
    for off in (0.0, 4.0):
        ends = [float(solution(net, problem, x, True, off)) for x in (0.0, 1.0)]
        assert ends == [0.0, 0.0]
    mid = float(solution(net, problem, 0.5, True, 4.0)) - float(solution(net, problem, 0.5))
    assert abs(mid - 4.0) < 1e-12
    # soft mode does not pin the ends
    assert abs(float(solution(net, problem, 0.0, False))) > 0


def test_network_is_deterministic_and_validates():
    problem, _ = load_problem("poisson_sin")
    a = make_network(problem, seed=1, width=5)
    b = make_network(problem, seed=1, width=5)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights, strict=True))
    with pytest.raises(ValueError, match="width"):
        make_network(problem, width=0)
    with pytest.raises(ValueError, match="unknown activation"):
        make_network(problem, activation="nope")


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu"])
def test_nonsmooth_activations_are_refused_with_reason(name):
    with pytest.raises(ValueError, match="vanishes almost everywhere"):
        check_activation(name)
    check_activation(name, allow_nonsmooth=True)


@pytest.mark.parametrize("name", ["tanh", "sin", "softplus", "gelu", "swish"])
def test_smooth_activations_pass(name):
    check_activation(name)


def test_relu_network_second_derivative_vanishes():
    problem, _ = load_problem("poisson_sin")
    net = make_network(problem, seed=0, activation="relu", width=16)
    xs = jnp.linspace(-0.93, 0.97, 50)  # generic points, away from kinks with probability 1
    n2 = jax.vmap(jax.grad(jax.grad(net)))(xs)
    assert np.all(np.asarray(n2) == 0.0)

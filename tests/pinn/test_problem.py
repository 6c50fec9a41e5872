"""Problem specification: expressions, boundary conditions, presets, Bratu exact solutions."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.pinn import (
    BoundaryCondition,
    LinearBVP,
    NonlinearBVP,
    bratu_theta,
    load_problem,
    preset_names,
)
from bioact.pinn.expr import compile_expression, evaluate

D0 = BoundaryCondition.dirichlet(0.0)


@pytest.mark.parametrize(
    "text", ["__import__('os')", "x.real", "x[0]", "foo(x)", "'a'", "sin(x, y=1)", "lambda: 1"]
)
def test_expressions_reject_anything_but_arithmetic(text):
    with pytest.raises(ValueError, match="expression"):
        compile_expression(text, ("x",))


def test_expression_values_numpy_and_jax_agree():
    x = np.linspace(0, 1, 7)
    text = "pi**2 * sin(pi*x) + lam * exp(-x) - 2"
    a = evaluate(text, {"x": x, "lam": 0.5})
    b = evaluate(text, {"x": jnp.asarray(x), "lam": 0.5})
    assert isinstance(a, np.ndarray)
    np.testing.assert_allclose(a, np.pi**2 * np.sin(np.pi * x) + 0.5 * np.exp(-x) - 2, rtol=1e-15)
    np.testing.assert_allclose(np.asarray(b), a, rtol=1e-14)
    assert evaluate("1", {"x": x}).shape == x.shape


def test_boundary_condition_validation():
    with pytest.raises(ValueError, match="beta"):
        BoundaryCondition("dirichlet", 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="beta"):
        BoundaryCondition.robin(1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="kind"):
        BoundaryCondition("periodic", 1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="bc.left.type"):
        BoundaryCondition.from_dict({"type": "cauchy"}, "bc.left")
    bc = BoundaryCondition.robin(2.0, 3.0, 1.0)
    assert float(bc.residual(1.0, 1.0)) == 4.0


def test_problem_validation():
    with pytest.raises(ValueError, match="x1 must be > x0"):
        LinearBVP(1.0, 0.0, D0, D0)
    with pytest.raises(ValueError, match="unknown name 'y'"):
        LinearBVP(0.0, 1.0, D0, D0, f="y")
    with pytest.raises(ValueError, match="unknown name 'lam'"):
        NonlinearBVP(0.0, 1.0, D0, D0, g="-lam * exp(u)")
    with pytest.raises(ValueError, match="unknown problem"):
        load_problem("no_such_problem")


def _exact_residual(problem, n=41):
    """Residual of the exact solution, derivatives by jax.grad (independent of the PINN code)."""
    assert isinstance(problem.exact, str)
    from bioact.pinn.expr import evaluate as ev

    def u(x):
        params = {k: v for k, v in problem.parameters.items()}
        env = {**params, "x": x}
        if "bratu_theta" in problem.exact:
            lam = float(problem.parameters["lam"])
            branch = 1 if "bratu_theta(lam, 1)" in problem.exact else 0
            env["theta"] = bratu_theta(lam, branch)
            text = problem.exact.replace(f"bratu_theta(lam, {branch})", "theta")
        else:
            text = problem.exact
        return ev(text, env)

    du, d2u = jax.grad(u), jax.grad(jax.grad(u))
    xs = jnp.linspace(float(problem.x0), float(problem.x1), n)
    uu = jax.vmap(u)(xs)
    r = problem.residual(xs, uu, jax.vmap(du)(xs), jax.vmap(d2u)(xs))
    ends = [
        float(bc.residual(u(x), du(x)))
        for bc, x in ((problem.left, problem.x0), (problem.right, problem.x1))
    ]
    return np.asarray(r), np.asarray(ends)


@pytest.mark.parametrize(
    "name", ["poisson_sin", "robin_cos", "multiscale", "bratu_lower", "bratu_upper"]
)
def test_presets_exact_solutions_solve_their_problems(name):
    problem, _ = load_problem(name)
    r, ends = _exact_residual(problem)
    scale = (
        1.0 + np.max(np.abs(np.asarray(problem.coefficients(np.linspace(0, 1, 5))[3])))
        if problem.is_linear
        else 1.0
    )
    assert np.max(np.abs(r)) < 1e-9 * scale
    assert np.max(np.abs(ends)) < 1e-12
    # exact_solution() (numpy path) agrees with the jax path
    x = np.linspace(float(problem.x0), float(problem.x1), 9)
    assert np.all(np.isfinite(problem.exact_solution(x)))


def test_preset_list_and_bratu_branches():
    assert {"poisson_sin", "robin_cos", "multiscale", "bratu_lower", "bratu_upper"} <= set(
        preset_names()
    )
    lo, hi = bratu_theta(1.0, 0), bratu_theta(1.0, 1)
    for t in (lo, hi):
        assert abs(t - np.sqrt(2.0) * np.cosh(t / 4.0)) < 1e-12
    assert 1.5 < lo < 1.6 and 10.5 < hi < 11.0  # Boyd (2003): theta = 1.51716, 10.8469
    with pytest.raises(ValueError, match="lam"):
        bratu_theta(4.0)
    upper, _ = load_problem("bratu_upper")
    lower, _ = load_problem("bratu_lower")
    assert (
        upper.exact_solution(np.array([0.5]))[0]
        > 4.0
        > 0.2
        > lower.exact_solution(np.array([0.5]))[0]
    )

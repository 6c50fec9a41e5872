"""Reference solvers: Chebyshev collocation and solve_bvp against exact solutions."""

import numpy as np
import pytest

from bioact.pinn import (
    BoundaryCondition,
    LinearBVP,
    bvp_solve,
    chebyshev_solve,
    error_metrics,
    load_problem,
    reference_solution,
)
from bioact.pinn.reference import chebyshev_matrix


def test_chebyshev_matrix_differentiates_polynomials_exactly():
    x, d = chebyshev_matrix(8)
    np.testing.assert_allclose(d @ x**5, 5 * x**4, atol=1e-12)
    with pytest.raises(ValueError, match="n must be >= 2"):
        chebyshev_matrix(1)


@pytest.mark.parametrize(
    "name,n,tol", [("poisson_sin", 32, 1e-12), ("robin_cos", 32, 1e-12), ("multiscale", 160, 1e-8)]
)
def test_chebyshev_matches_exact(name, n, tol):
    problem, _ = load_problem(name)
    x = np.linspace(float(problem.x0), float(problem.x1), 501)
    u = chebyshev_solve(problem, n=n)(x)
    assert error_metrics(u, problem.exact_solution(x))["rel_l2"] < tol


def test_chebyshev_variable_coefficients_against_solve_bvp_and_exact():
    # (1 + x^2) u'' + x u' - 2 u = f with exact u = exp(x) sin(2x) on [0, 2]; Robin right end.
    exact = "exp(x) * sin(2*x)"
    # u' = e^x (sin 2x + 2 cos 2x), u'' = e^x (-3 sin 2x + 4 cos 2x)
    f = (
        "(1 + x**2) * exp(x) * (-3*sin(2*x) + 4*cos(2*x)) + x * exp(x) * (sin(2*x) + "
        "2*cos(2*x)) - 2 * exp(x) * sin(2*x)"
    )
    e2 = np.exp(2.0)
    right_val = 1.0 * e2 * np.sin(4.0) + 0.5 * e2 * (np.sin(4.0) + 2 * np.cos(4.0))
    problem = LinearBVP(
        0.0,
        2.0,
        BoundaryCondition.dirichlet(0.0),
        BoundaryCondition.robin(1.0, 0.5, right_val),
        a="1 + x**2",
        b="x",
        c="-2",
        f=f,
        exact=exact,
    )
    x = np.linspace(0.0, 2.0, 301)
    u_exact = problem.exact_solution(x)
    u_cheb = chebyshev_solve(problem, n=40)(x)
    u_bvp = bvp_solve(problem, tol=1e-10)(x)
    assert error_metrics(u_cheb, u_exact)["rel_l2"] < 1e-11
    assert error_metrics(u_bvp, u_exact)["rel_l2"] < 1e-6
    u_ref, source, _ = reference_solution(problem, x, method="chebyshev", n=40)
    assert source == "chebyshev" and np.allclose(u_ref, u_cheb)


def test_bratu_branches_from_two_initial_guesses():
    for name, guess in (("bratu_lower", None), ("bratu_upper", lambda x: 16 * x * (1 - x))):
        problem, _ = load_problem(name)
        x = np.linspace(0.0, 1.0, 201)
        u = bvp_solve(problem, guess=guess)(x)
        assert error_metrics(u, problem.exact_solution(x))["rel_l2"] < 1e-7
    problem, _ = load_problem("bratu_lower")
    with pytest.raises(ValueError, match="LinearBVP"):
        chebyshev_solve(problem)
    u, source, _ = reference_solution(
        problem.__class__(
            problem.x0,
            problem.x1,
            problem.left,
            problem.right,
            g=problem.g,
            parameters={"lam": 1.0},
        ),
        x,
    )
    assert source == "solve_bvp"
    assert error_metrics(u, problem.exact_solution(x))["rel_l2"] < 1e-7


def test_error_metrics_and_bad_method():
    m = error_metrics(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    assert m["max_err"] == 1.0 and abs(m["rel_l2"] - 1 / np.sqrt(2)) < 1e-15
    problem, _ = load_problem("poisson_sin")
    with pytest.raises(ValueError, match="method"):
        reference_solution(problem, np.zeros(3), method="magic")

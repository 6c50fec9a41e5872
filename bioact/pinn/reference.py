"""Reference solutions and error metrics for second-order BVPs.

* :func:`chebyshev_solve` -- spectral collocation for linear problems: ``n + 1``
  Chebyshev--Gauss--Lobatto points, differentiation matrix ``D`` (Trefethen, *Spectral
  Methods in MATLAB*, 2000, ``cheb.m``), operator ``diag(a) D^2 + diag(b) D + diag(c)``
  with the first/last rows replaced by ``alpha u + beta u' = value``; evaluated elsewhere by
  barycentric interpolation. Exponential convergence for analytic data.
* :func:`bvp_solve` -- ``scipy.integrate.solve_bvp`` (4th-order collocation, any problem,
  including nonlinear ones; the initial guess selects the branch).
* :func:`reference_solution` -- the exact solution when known, else Chebyshev (linear) or
  ``solve_bvp`` (nonlinear).
* :func:`error_metrics` -- relative L2 and max error on a dense grid.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from bioact._checks import positive
from bioact.errors import ConvergenceError
from bioact.pinn.problem import AbstractBVP, LinearBVP

__all__ = [
    "bvp_solve",
    "chebyshev_matrix",
    "chebyshev_solve",
    "error_metrics",
    "reference_solution",
]


def chebyshev_matrix(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev points ``x_j = cos(pi j / n)`` on [-1, 1] (descending) and the ``(n+1, n+1)``
    differentiation matrix ``D`` (diagonal by negative row sums for accuracy).
    """
    if int(n) < 2:
        raise ValueError(f"n must be >= 2, got n={n!r}")
    n = int(n)
    x = np.cos(np.pi * np.arange(n + 1) / n)
    c = np.ones(n + 1)
    c[0] = c[-1] = 2.0
    c *= (-1.0) ** np.arange(n + 1)
    dx = x[:, None] - x[None, :]
    d = np.outer(c, 1.0 / c) / (dx + np.eye(n + 1))
    d -= np.diag(d.sum(axis=1))
    return x, d


def chebyshev_solve(problem: LinearBVP, n: int = 128) -> Callable[[np.ndarray], np.ndarray]:
    """Solve a linear BVP by Chebyshev collocation with ``n + 1`` points; returns ``u(x)``.

    >>> from bioact.pinn import load_problem
    >>> u = chebyshev_solve(load_problem("poisson_sin")[0], n=32)  # doctest: +SKIP
    >>> float(u(np.array([0.5]))[0])  # doctest: +SKIP
    1.0000000000000004
    """
    from scipy.interpolate import BarycentricInterpolator

    if not isinstance(problem, LinearBVP):
        raise ValueError(
            f"chebyshev_solve needs a LinearBVP, got {type(problem).__name__}; "
            "use bvp_solve for nonlinear problems"
        )
    s, d = chebyshev_matrix(n)
    x0, x1 = float(problem.x0), float(problem.x1)
    x = x0 + (s + 1.0) * (x1 - x0) / 2.0  # x[0] = x1, x[-1] = x0
    d = d * 2.0 / (x1 - x0)
    a, b, c, f = (np.asarray(v, dtype=float) for v in problem.coefficients(x))
    op = a[:, None] * (d @ d) + b[:, None] * d + np.diag(c)
    rhs = f.copy()
    for row, bc in ((0, problem.right), (n, problem.left)):
        op[row] = float(bc.alpha) * np.eye(n + 1)[row] + float(bc.beta) * d[row]
        rhs[row] = float(bc.value)
    u = np.linalg.solve(op, rhs)
    if not np.all(np.isfinite(u)):
        raise ConvergenceError(f"Chebyshev solve of {problem.name!r} gave non-finite values")
    interp = BarycentricInterpolator(x, u)
    return lambda xs: np.asarray(interp(np.asarray(xs, dtype=float)), dtype=float)


def bvp_solve(
    problem: AbstractBVP,
    guess: Callable[[np.ndarray], np.ndarray] | None = None,
    tol: float = 1e-10,
    n_mesh: int = 101,
) -> Callable[[np.ndarray], np.ndarray]:
    """Solve any problem with ``scipy.integrate.solve_bvp``; returns ``u(x)`` (cubic spline).

    ``guess(x)`` is the initial guess of ``u`` (default 0; its derivative is taken by finite
    differences). For problems with several solutions (Bratu) the guess selects the branch,
    e.g. ``guess = lambda x: 16 x (1 - x)`` gives the upper Bratu branch at ``lam = 1``.
    Raises :class:`~bioact.errors.ConvergenceError` if scipy reports failure.
    """
    from scipy.integrate import solve_bvp

    positive("tol", tol)
    x0, x1 = float(problem.x0), float(problem.x1)
    mesh = np.linspace(x0, x1, int(n_mesh))
    u0 = np.zeros_like(mesh) if guess is None else np.asarray(guess(mesh), dtype=float)
    y0 = np.vstack([u0, np.gradient(u0, mesh)])

    def fun(x, y):
        d2 = problem.second_derivative(np.asarray(x), np.asarray(y[0]), np.asarray(y[1]))
        return np.vstack([y[1], np.asarray(d2)])

    def bc(ya, yb):
        return np.array(
            [
                float(problem.left.alpha) * ya[0]
                + float(problem.left.beta) * ya[1]
                - float(problem.left.value),
                float(problem.right.alpha) * yb[0]
                + float(problem.right.beta) * yb[1]
                - float(problem.right.value),
            ]
        )

    sol = solve_bvp(fun, bc, mesh, y0, tol=tol, max_nodes=100_000)
    if sol.status != 0:
        raise ConvergenceError(f"solve_bvp failed on {problem.name!r}: {sol.message}")
    return lambda xs: np.asarray(sol.sol(np.asarray(xs, dtype=float))[0], dtype=float)


def reference_solution(
    problem: AbstractBVP, x: np.ndarray, method: str = "auto", **kwargs
) -> tuple[np.ndarray, str, float]:
    """``(u_ref(x), source, seconds)``: ``method`` is ``"exact"``, ``"chebyshev"``,
    ``"solve_bvp"`` or ``"auto"`` (exact if known, else Chebyshev for linear problems, else
    ``solve_bvp``). ``kwargs`` go to the solver (``n`` or ``guess``/``tol``).
    """
    if method == "auto":
        method = (
            "exact"
            if problem.exact is not None
            else ("chebyshev" if isinstance(problem, LinearBVP) else "solve_bvp")
        )
    start = time.perf_counter()
    if method == "exact":
        u = problem.exact_solution(x)
        if u is None:
            raise ValueError(f"problem {problem.name!r} has no exact solution; use method='auto'")
    elif method == "chebyshev":
        u = chebyshev_solve(problem, **kwargs)(x)
    elif method == "solve_bvp":
        u = bvp_solve(problem, **kwargs)(x)
    else:
        raise ValueError(
            f"method must be 'auto', 'exact', 'chebyshev' or 'solve_bvp', got method={method!r}"
        )
    return np.asarray(u, dtype=float), method, time.perf_counter() - start


def error_metrics(u: np.ndarray, u_ref: np.ndarray) -> dict[str, float]:
    """``rel_l2 = ||u - u_ref||_2 / ||u_ref||_2`` and ``max_err = max |u - u_ref|`` on a grid
    (uniform grids: discrete norms approximate the continuous L2 ratio).
    """
    u, u_ref = np.asarray(u, dtype=float), np.asarray(u_ref, dtype=float)
    err = u - u_ref
    return {
        "rel_l2": float(np.linalg.norm(err) / np.linalg.norm(u_ref)),
        "max_err": float(np.max(np.abs(err))),
    }

"""The fitting engine: least squares on residuals computed through any model, differentiated by JAX.

A *model* is any ``equinox.Module`` (a :class:`bioact.AbstractModel` or a plain module such as
:class:`bioact.fit.HillDoseResponse`) whose fields are its parameters. :func:`fit` moves a chosen
subset of its scalar fields (dotted names reach into sub-modules), the rest frozen, by
substituting them with ``eqx.tree_at``. Residuals are either

* ``(predict(model, x) - y) / sigma`` for data ``(x, y[, sigma])`` -- ``predict`` may call
  :func:`bioact.simulate` and any analysis function; or
* ``residual(model, data)``, a user function returning the (already weighted) residual vector.

The solver is Levenberg--Marquardt (``optimistix.LevenbergMarquardt``, Jacobians by forward-
or reverse-mode autodiff) or Adam (``optax.adam``). Everything is compiled once per
(predict, parameter set, method) with ``eqx.filter_jit``; data, models and initial guesses are
dynamic, so refitting new data does not recompile.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import optimistix as optx

from bioact.errors import ConvergenceError
from bioact.fit._validate import as_data, check_params, first_order_optimality, get_param
from bioact.fit.result import FitResult, covariance_from_jacobian
from bioact.fit.transforms import default_kind, resolve_transform

__all__ = ["fit", "get_param", "set_params"]

_METHODS = ("lm", "adam")


def set_params(model: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``model`` with the named (possibly dotted) fields replaced (``eqx.tree_at``)."""
    names = list(values)
    if not names:
        return model
    return eqx.tree_at(
        lambda m: [get_param(m, n) for n in names],
        model,
        [jnp.asarray(values[n], dtype=jnp.result_type(float)) for n in names],
    )


@dataclasses.dataclass(frozen=True)
class _Config:
    """Static (hashable) part of a fitting problem: changing it recompiles."""

    names: tuple[str, ...]
    predict: Callable | None
    residual: Callable | None
    method: str
    jac: str
    rtol: float
    atol: float
    max_steps: int
    learning_rate: float
    patience: int


def _build(cfg: _Config, model, transforms, u):
    return set_params(
        model,
        {n: t.forward(u[i]) for i, (n, t) in enumerate(zip(cfg.names, transforms, strict=True))},
    )


def _resid_model(cfg: _Config, model, data):
    if cfg.predict is not None:
        x, y, w = data
        return ((jnp.asarray(cfg.predict(model, x)) - y) * w).ravel()
    return jnp.ravel(jnp.asarray(cfg.residual(model, data)))


def _solve_lm(cfg, res, u0, args):
    solver = optx.LevenbergMarquardt(rtol=cfg.rtol, atol=cfg.atol)
    sol = optx.least_squares(
        res,
        solver,
        u0,
        args=args,
        max_steps=cfg.max_steps,
        throw=False,
        options={"jac": cfg.jac},
    )
    return sol.value, sol.stats["num_steps"], sol.result._value


def _solve_adam(cfg, res, u0, args):
    opt = optax.adam(cfg.learning_rate)

    def loss_and_grad(u):
        if cfg.jac == "fwd":  # forward mode: works with diffrax.ForwardMode inside predict
            r = res(u, args)
            return 0.5 * jnp.sum(r**2), jax.jacfwd(res)(u, args).T @ r
        return jax.value_and_grad(lambda v: 0.5 * jnp.sum(res(v, args) ** 2))(u)

    def cond(carry):
        step, _, _, _, _, since = carry
        return (step < cfg.max_steps) & (since < cfg.patience)

    def body(carry):
        step, u, state, best, best_u, since = carry
        loss, g = loss_and_grad(u)
        improved = loss < best * (1 - cfg.rtol) - cfg.atol
        best_u = jnp.where(loss < best, u, best_u)
        best = jnp.minimum(jnp.where(jnp.isfinite(loss), loss, jnp.inf), best)
        since = jnp.where(improved, 0, since + 1)
        updates, state = opt.update(g, state, u)
        return step + 1, optax.apply_updates(u, updates), state, best, best_u, since

    init = (jnp.asarray(0), u0, opt.init(u0), jnp.asarray(jnp.inf, u0.dtype), u0, jnp.asarray(0))
    step, _, _, _, best_u, since = jax.lax.while_loop(cond, body, init)
    code = jnp.where(since >= cfg.patience, 0, 1)  # 1: ran out of steps
    return best_u, step, code


@eqx.filter_jit
def _run(cfg: _Config, model, transforms, data, u0s):
    def res(u, args):
        mdl, dat = args
        return _resid_model(cfg, _build(cfg, mdl, transforms, u), dat)

    solve = _solve_lm if cfg.method == "lm" else _solve_adam
    if u0s.shape[0] == 1:  # no vmap: batched while/cond would evaluate both LM branches
        us, steps, codes = jax.tree_util.tree_map(
            lambda a: a[None], solve(cfg, res, u0s[0], (model, data))
        )
        rss = jnp.sum(res(us[0], (model, data)) ** 2)[None]
    else:
        us, steps, codes = jax.vmap(lambda u0: solve(cfg, res, u0, (model, data)))(u0s)
        rss = jax.vmap(lambda u: jnp.sum(res(u, (model, data)) ** 2))(us)
    best = jnp.argmin(jnp.where(jnp.isfinite(rss), rss, jnp.inf))
    p_best = jnp.stack([t.forward(us[best, i]) for i, t in enumerate(transforms)])

    def res_natural(p):
        mdl = set_params(model, dict(zip(cfg.names, p, strict=True)))
        return _resid_model(cfg, mdl, data)

    def res_twice(p):
        r = res_natural(p)
        return r, r

    jac_fn = jax.jacfwd if cfg.jac == "fwd" else jax.jacrev
    jacobian, r_best = jac_fn(res_twice, has_aux=True)(p_best)
    return us, rss, steps, codes, best, p_best, r_best, jacobian


def fit(
    model: Any,
    data: Any,
    params: Sequence[str] | str,
    *,
    predict: Callable[[Any, Any], jax.Array] | None = None,
    residual: Callable[[Any, Any], jax.Array] | None = None,
    method: str = "lm",
    transforms: Mapping[str, Any] | None = None,
    n_starts: int = 1,
    seed: int = 0,
    start_spread: float = 1.0,
    jac: str = "fwd",
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int | None = None,
    learning_rate: float = 0.05,
    patience: int = 200,
    rcond: float | None = None,
    gtol: float | None = None,
    absolute_sigma: bool | None = None,
    model_name: str | None = None,
) -> FitResult:
    """Least-squares fit of the fields ``params`` of ``model`` to ``data``.

    Minimises ``sum_i r_i^2`` with ``r_i = (predict(model, x)_i - y_i) / sigma_i`` (sigma = 1
    when not given) or ``r = residual(model, data)``. Each parameter is optimised in an
    unconstrained variable u (see :mod:`bioact.fit.transforms`): ``transforms`` maps names to
    None/"identity", "log" or ("sigmoid", lo, hi); undeclared names use the model's
    ``fit_transforms`` class attribute, else "log" for positive-looking names (rates, K, n, g*,
    tau*, vmax, ...) with a positive initial value, else identity.

    Standard errors come from the Jacobian J of the weighted residuals with respect to the
    parameters at the optimum (Gauss--Newton): ``cov = (J^T J)^-1`` when ``sigma`` is given,
    ``cov = s^2 (J^T J)^-1`` with ``s^2 = RSS/(m - p)`` otherwise. A rank-deficient J raises a
    warning naming the non-identifiable parameters (their standard errors are inf).

    Args:
        model: an ``eqx.Module`` whose fields are parameters (initial guess for ``params``).
        data: ``(x, y)``, ``(x, y, sigma)`` or ``{"x":..., "y":..., "sigma":...}`` with
            ``predict``; any pytree with ``residual``.
        params: names of the scalar fields to fit (list or "k,n"); dotted names for sub-modules.
        predict: ``predict(model, x) -> array shaped like y``; may call :func:`bioact.simulate`
            (pass ``adjoint=diffrax.ForwardMode()`` there with the default ``jac="fwd"``).
        residual: alternative to ``predict``: ``residual(model, data) -> weighted residuals``.
        method: "lm" (Levenberg--Marquardt, default) or "adam".
        n_starts: number of starts (start 0 is the given model; the others perturb u by
            ``start_spread * N(0, 1)`` drawn with ``seed``); they run vmapped, the best wins.
        jac: "fwd" (forward-mode Jacobians, default: few parameters, many residuals) or "bwd".
        rtol, atol: convergence tolerances (default 1e-8 in float64, 1e-5 in float32).
        max_steps: iteration cap (default 256 for LM, 5000 for Adam).
        learning_rate, patience: Adam step size and the number of steps without a relative
            loss decrease > rtol after which it stops (converged).
        gtol: first-order optimality threshold: a fit whose solver stopped on max_steps still
            counts as converged when ``max_j |cos(J_j, r)| <= gtol`` (default sqrt(eps));
            LM's trust region can stall at an exact optimum rejecting round-off-sized steps.
        rcond: relative singular-value threshold for rank deficiency (default sqrt(eps)).
        absolute_sigma: use ``cov = (J^T J)^-1`` unscaled (default: True iff ``sigma`` given;
            set True with ``residual=`` when it already divides by known sigmas).
        model_name: registry name written by :meth:`FitResult.to_toml`.

    Returns:
        A :class:`FitResult`.

    >>> from bioact.fit import HillDoseResponse, fit, predict_hill
    >>> x = jnp.logspace(-1, 1, 12); truth = HillDoseResponse(k=2.0, n=1.5, vmax=1.0)
    >>> r = fit(HillDoseResponse(k=1.0, n=1.0), (x, predict_hill(truth, x)), ["k", "n"],
    ...         predict=predict_hill)
    >>> round(r.estimates["k"], 6), round(r.estimates["n"], 6)
    (2.0, 1.5)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got method={method!r}")
    if jac not in ("fwd", "bwd"):
        raise ValueError(f"jac must be 'fwd' or 'bwd', got jac={jac!r}")
    if (predict is None) == (residual is None):
        raise ValueError("pass exactly one of predict= (with data x, y[, sigma]) or residual=")
    if not isinstance(n_starts, int) or n_starts < 1:
        raise ValueError(f"n_starts must be an int >= 1, got n_starts={n_starts!r}")
    if not start_spread >= 0:
        raise ValueError(f"start_spread must be >= 0, got start_spread={start_spread!r}")
    names = check_params(model, params)
    transforms = dict(transforms or {})
    unknown = sorted(set(transforms) - set(names))
    if unknown:
        raise ValueError(f"transforms name parameters that are not fitted: {unknown}")
    declared = dict(getattr(type(model), "fit_transforms", {}) or {})
    p0 = [float(get_param(model, n)) for n in names]
    tfs = tuple(
        resolve_transform(
            n, v, transforms[n] if n in transforms else declared.get(n, default_kind(n, v))
        )
        for n, v in zip(names, p0, strict=True)
    )
    x64 = jnp.result_type(float) == jnp.float64
    eps = float(jnp.finfo(jnp.result_type(float)).eps)
    cfg = _Config(
        names=names,
        predict=predict,
        residual=residual,
        method=method,
        jac=jac,
        rtol=(1e-8 if x64 else 1e-5) if rtol is None else float(rtol),
        atol=(1e-8 if x64 else 1e-5) if atol is None else float(atol),
        max_steps=(256 if method == "lm" else 5000) if max_steps is None else int(max_steps),
        learning_rate=float(learning_rate),
        patience=int(patience),
    )
    if predict is not None:
        x, y, sigma = as_data(data, predict)
        dtype = jnp.result_type(float)
        w = 1.0 / sigma if sigma is not None else np.ones_like(y)
        jdata = (
            jax.tree_util.tree_map(jnp.asarray, x),
            jnp.asarray(y, dtype),
            jnp.asarray(w, dtype),
        )
        shape = jax.eval_shape(lambda m, xx: jnp.asarray(predict(m, xx)), model, jdata[0]).shape
        if shape != y.shape:
            raise ValueError(f"predict(model, x) has shape {shape} but data y has shape {y.shape}")
        m = y.size
    else:
        x = y = sigma = None
        jdata = data
        m = int(
            np.prod(jax.eval_shape(lambda mm, d: jnp.ravel(residual(mm, d)), model, data).shape)
        )
    if m < len(names):
        raise ValueError(
            f"need at least as many data points as parameters, got m={m}, p={len(names)}"
        )
    u0 = jnp.stack([t.inverse(v) for t, v in zip(tfs, p0, strict=True)]).astype(
        jnp.result_type(float)
    )
    if n_starts > 1:
        noise = jax.random.normal(jax.random.key(seed), (n_starts - 1, len(names)), u0.dtype)
        u0s = jnp.concatenate([u0[None], u0 + start_spread * noise])
    else:
        u0s = u0[None]
    try:
        us, rss, steps, codes, best, p_best, r_best, jacobian = _run(cfg, model, tfs, jdata, u0s)
    except TypeError as err:
        if "forward-mode" not in str(err):
            raise
        raise ValueError(
            "jac='fwd' cannot differentiate predict/residual: it contains a reverse-mode-only "
            "operation (e.g. bioact.simulate with its default RecursiveCheckpointAdjoint). Pass "
            "adjoint=diffrax.ForwardMode() to simulate inside predict (best for few parameters), "
            f"or call fit(..., jac='bwd'). JAX said: {err}"
        ) from None
    rss = np.asarray(rss)
    best = int(best)
    if not np.isfinite(rss[best]):
        raise ConvergenceError(
            f"all {n_starts} start(s) gave non-finite residuals; check the initial guess, the "
            "data scale and that predict() succeeds (e.g. a failing simulate inside it)"
        )
    tol = 1e-6 if x64 else 1e-3
    n_at_best = int(np.sum(rss <= rss[best] * (1 + tol) + tol * 1e-6))
    code = int(np.asarray(codes)[best])
    optimality = first_order_optimality(np.asarray(jacobian), np.asarray(r_best))
    gtol = np.sqrt(eps) if gtol is None else float(gtol)
    if code == 0:
        converged = True
        message = (
            "converged"
            if method == "lm"
            else f"converged: loss stopped decreasing by more than rtol={cfg.rtol:g} for "
            f"{cfg.patience} steps"
        )
    elif optimality <= gtol:
        converged = True
        message = (
            f"converged: first-order optimality {optimality:.2g} <= gtol={gtol:.2g} (the "
            f"solver's own step/decrease test did not trigger within max_steps={cfg.max_steps})"
        )
    else:
        converged = False
        message = (
            optx.RESULTS._index_to_message[code]
            if method == "lm"
            else f"reached max_steps={cfg.max_steps}"
        ) + f" (first-order optimality {optimality:.2g} > gtol={gtol:.2g})"
    if not converged:
        warnings.warn(f"fit did not converge ({method}): {message}", stacklevel=2)
    cov_info = covariance_from_jacobian(
        np.asarray(jacobian),
        float(rss[best]),
        absolute_sigma=(sigma is not None) if absolute_sigma is None else bool(absolute_sigma),
        rcond=np.sqrt(eps) if rcond is None else rcond,
        scale=np.abs(np.asarray(p_best, dtype=float)),
    )
    if cov_info["rank_deficient"]:
        bad = [names[i] for i in cov_info["null_params"]]
        warnings.warn(
            f"the Jacobian is rank-deficient (rank {cov_info['rank']} < {len(names)}): "
            f"parameters {bad} are not identifiable from these data; their standard errors are "
            "reported as inf. Fix some of them or add informative data.",
            stacklevel=2,
        )
    fitted_model = set_params(model, dict(zip(names, p_best, strict=True)))
    fitted = None
    if predict is not None:
        fitted = np.asarray(r_best) * (sigma.ravel() if sigma is not None else 1.0) + y.ravel()
        fitted = fitted.reshape(y.shape)
    return FitResult(
        model=fitted_model,
        names=names,
        p_best=np.asarray(p_best, dtype=float),
        cov_info=cov_info,
        rss=float(rss[best]),
        n_data=m,
        weighted=cov_info["absolute_sigma"],
        converged=converged,
        message=message,
        method=method,
        n_steps=int(np.asarray(steps)[best]),
        n_evaluations=int(np.sum(steps)) + n_starts,
        optimality=optimality,
        n_starts=n_starts,
        n_starts_at_best=n_at_best,
        start_rss=rss,
        residuals=np.asarray(r_best),
        fitted=fitted,
        data=(x, y, sigma) if predict is not None else data,
        transforms={n: t.describe() for n, t in zip(names, tfs, strict=True)},
        predict=predict,
        model_name=model_name,
    )

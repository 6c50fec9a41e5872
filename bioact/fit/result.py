"""The result of a fit: estimates, Gauss--Newton uncertainties, diagnostics, files."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax.numpy as jnp
import numpy as np

__all__ = ["FitResult", "covariance_from_jacobian"]


def covariance_from_jacobian(
    jacobian: np.ndarray,
    rss: float,
    *,
    absolute_sigma: bool,
    rcond: float,
    scale: np.ndarray | None = None,
) -> dict[str, Any]:
    """Gauss--Newton covariance of the parameters from the residual Jacobian J (m x p).

    ``cov = (J^T J)^-1`` if ``absolute_sigma`` (residuals already divided by known sigmas),
    else ``s^2 (J^T J)^-1`` with ``s^2 = RSS / (m - p)``. The rank test works on relative
    sensitivities ``J_ij * scale_j`` (``scale`` = typical parameter magnitudes, default |p| as
    passed by :func:`fit`, 1 for zeros), so it does not depend on units: singular values
    ``<= rcond * s_max`` are null directions (collinear or insensitive parameters); the
    parameters with a component > 0.1 in a null direction are returned in ``null_params`` and
    get standard error inf. So do parameters with ``|J_j| scale_j <= rcond sqrt(rss)`` (no
    measurable effect on the residuals, as on a flat plateau).
    """
    jac = np.atleast_2d(np.asarray(jacobian, dtype=float))
    m, p = jac.shape
    dof = m - p
    norms = np.linalg.norm(jac, axis=0)
    scale = np.ones(p) if scale is None else np.asarray(scale, dtype=float)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    _, s, vt = np.linalg.svd(jac * scale, full_matrices=False)
    small = ~(s > rcond * (s[0] if s.size and s[0] > 0 else np.inf))
    # a parameter whose 100% change moves the residuals by < rcond * |r| is not identifiable
    # either (e.g. a start on a flat plateau, where all columns are equally tiny)
    insensitive = norms * scale <= rcond * math.sqrt(max(rss, 0.0))
    null = set(np.flatnonzero((norms == 0) | insensitive).tolist())
    for k in np.flatnonzero(small):
        null.update(np.flatnonzero(np.abs(vt[k]) > 0.1).tolist())
    keep = ~small
    cov_scaled = (vt[keep].T / s[keep] ** 2) @ vt[keep]
    cov = cov_scaled * np.outer(scale, scale)
    s2 = rss / dof if dof > 0 else math.nan
    if not absolute_sigma:
        cov = cov * s2
    stderr = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    null_idx = sorted(null)
    stderr[null_idx] = np.inf
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(stderr, stderr)
    np.fill_diagonal(corr, 1.0)
    corr[null_idx, :] = np.nan
    corr[:, null_idx] = np.nan
    return {
        "covariance": cov,
        "stderr": stderr,
        "correlation": corr,
        "rank": int(keep.sum()) if not null_idx else min(int(keep.sum()), p - len(null_idx)),
        "rank_deficient": bool(null_idx),
        "null_params": null_idx,
        "singular_values": s,
        "condition_number": float(s[0] / s[-1]) if s.size and s[-1] > 0 else math.inf,
        "dof": dof,
        "residual_variance": s2,
        "absolute_sigma": bool(absolute_sigma),
    }


@dataclasses.dataclass(frozen=True, eq=False)
class FitResult:
    """What :func:`bioact.fit.fit` returns.

    Attributes: ``model`` (the fitted model), ``names`` (fitted parameters), ``estimates`` /
    ``stderr`` (``{name: float}``), ``covariance`` / ``correlation`` (p x p, order of
    ``names``), ``rss`` (weighted residual sum of squares, chi^2 when sigma was given),
    ``residual_norm`` (sqrt(rss)), ``converged`` and ``message``, ``n_steps`` (solver
    iterations of the best start), ``n_evaluations`` (residual evaluations over all starts;
    each LM iteration also builds one Jacobian), ``n_starts`` / ``n_starts_at_best``,
    ``residuals`` (weighted), ``fitted`` (``predict(model, x)`` at the data), ``data``
    (``(x, y, sigma)``) and ``non_identifiable`` (names, empty when J has full rank).
    """

    model: Any
    names: tuple[str, ...]
    p_best: np.ndarray
    cov_info: dict[str, Any]
    rss: float
    n_data: int
    weighted: bool
    converged: bool
    message: str
    method: str
    n_steps: int
    n_evaluations: int
    optimality: float
    n_starts: int
    n_starts_at_best: int
    start_rss: np.ndarray
    residuals: np.ndarray
    fitted: np.ndarray | None
    data: Any
    transforms: dict[str, str]
    predict: Callable | None = None
    model_name: str | None = None

    @property
    def estimates(self) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.names, self.p_best, strict=True)}

    @property
    def stderr(self) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.names, self.cov_info["stderr"], strict=True)}

    @property
    def covariance(self) -> np.ndarray:
        return self.cov_info["covariance"]

    @property
    def correlation(self) -> np.ndarray:
        return self.cov_info["correlation"]

    @property
    def residual_norm(self) -> float:
        return math.sqrt(self.rss)

    @property
    def non_identifiable(self) -> tuple[str, ...]:
        return tuple(self.names[i] for i in self.cov_info["null_params"])

    def interval(self, name: str, k: float = 2.0) -> tuple[float, float]:
        """``estimate -/+ k * stderr`` for parameter ``name`` (k = 2: ~95% for large m)."""
        if name not in self.names:
            raise ValueError(f"unknown parameter name {name!r}; fitted: {list(self.names)}")
        est, se = self.estimates[name], self.stderr[name]
        return est - k * se, est + k * se

    def curve(self, x: Any) -> np.ndarray:
        """The fitted model's prediction ``predict(model, x)`` at new inputs ``x``."""
        if self.predict is None:
            raise ValueError("curve() needs a fit made with predict=, this one used residual=")
        return np.asarray(self.predict(self.model, jnp.asarray(x)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: ``estimates``, ``stderr``, ``correlation``, ``diagnostics``."""
        names = list(self.names)

        def table(mat: np.ndarray) -> dict[str, dict[str, float]]:
            return {
                a: {b: float(mat[i, j]) for j, b in enumerate(names)} for i, a in enumerate(names)
            }

        info = self.cov_info
        return {
            "estimates": self.estimates,
            "stderr": self.stderr,
            "interval_2sigma": {n: list(self.interval(n)) for n in names},
            "correlation": table(self.correlation),
            "covariance": table(self.covariance),
            "transforms": dict(self.transforms),
            "diagnostics": {
                "method": self.method,
                "converged": self.converged,
                "message": self.message,
                "rss": self.rss,
                "residual_norm": self.residual_norm,
                "n_data": self.n_data,
                "n_params": len(names),
                "dof": info["dof"],
                "residual_variance": info["residual_variance"],
                "weighted": self.weighted,
                "n_steps": self.n_steps,
                "n_evaluations": self.n_evaluations,
                "optimality": self.optimality,
                "n_starts": self.n_starts,
                "n_starts_at_best": self.n_starts_at_best,
                "rank": info["rank"],
                "non_identifiable": list(self.non_identifiable),
                "condition_number": info["condition_number"],
            },
        }

    def to_toml(self, path: str | Path, name: str | None = None) -> Path:
        """Write a model file: ``[model]`` (registry name, class), ``[parameters]`` (every
        scalar field, fitted values substituted) and ``[fit]`` (stderr, rss, method).

        :func:`bioact.fit.load_model` reads it back; ``bioact fit --init FILE`` starts from it.
        """
        from bioact.fit.engine import get_param

        cls = type(self.model)
        params: dict[str, float] = {}
        for f in dataclasses.fields(self.model):
            value = getattr(self.model, f.name, None)
            if f.metadata.get("static") or isinstance(value, bool) or np.ndim(value) != 0:
                continue
            if isinstance(value, (int, float)) or hasattr(value, "dtype"):
                params[f.name] = float(value)
        for n in self.names:
            params[n] = float(get_param(self.model, n))
        model_name = name or self.model_name or cls.__name__
        lines = [
            f"# Fitted by bioact.fit ({self.method}); converged={str(self.converged).lower()}",
            "[model]",
            f"name = {json.dumps(model_name)}",
            f"class = {json.dumps(f'{cls.__module__}.{cls.__qualname__}')}",
            "",
            "[parameters]",
            *(f"{_key(k)} = {_num(v)}" for k, v in params.items()),
            "",
            "[fit]",
            f"params = {json.dumps(list(self.names))}",
            f"method = {json.dumps(self.method)}",
            f"converged = {str(self.converged).lower()}",
            f"rss = {_num(self.rss)}",
            f"n_data = {self.n_data}",
            "",
            "[fit.stderr]",
            *(f"{_key(k)} = {_num(v)}" for k, v in self.stderr.items()),
            "",
        ]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines))
        return path

    def summary(self) -> str:
        """A small text table of estimates +- stderr and the main diagnostics."""
        rows = [f"{'param':>12} {'estimate':>14} {'stderr':>12}  transform"]
        for n in self.names:
            rows.append(
                f"{n:>12} {self.estimates[n]:>14.6g} {self.stderr[n]:>12.3g}  {self.transforms[n]}"
            )
        rows.append(
            f"rss={self.rss:.6g} m={self.n_data} converged={self.converged} "
            f"steps={self.n_steps} starts at best={self.n_starts_at_best}/{self.n_starts}"
        )
        return "\n".join(rows)

    __str__ = summary


def _num(v: float) -> str:
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def _key(k: str) -> str:
    return k if k.replace("_", "").isalnum() else json.dumps(k)

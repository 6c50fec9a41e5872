"""Input validation for :func:`bioact.fit.fit`: data arrays and parameter names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import numpy as np

__all__ = ["as_data", "check_params", "first_order_optimality", "get_param"]


def get_param(model: Any, name: str) -> Any:
    """The field ``name`` of ``model``; dotted names (``"channel.g"``) reach into sub-modules."""
    obj = model
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def first_order_optimality(jacobian: np.ndarray, r: np.ndarray) -> float:
    """max_j |cos(angle between J[:, j] and r)|: 0 at a stationary point, unit-free."""
    rn = np.linalg.norm(r)
    cn = np.linalg.norm(jacobian, axis=0)
    if rn == 0:
        return 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.abs(jacobian.T @ r) / (cn * rn)
    return float(np.max(np.where(cn > 0, cos, 0.0), initial=0.0))


def as_data(data: Any, predict: Callable | None) -> tuple[Any, np.ndarray, np.ndarray | None]:
    if isinstance(data, Mapping):
        missing = [k for k in ("x", "y") if k not in data]
        if missing:
            raise ValueError(
                f"data must have keys 'x' and 'y' (optional 'sigma'), missing {missing}"
            )
        x, y, sigma = data["x"], data["y"], data.get("sigma")
    elif isinstance(data, (tuple, list)) and len(data) in (2, 3):
        x, y, sigma = data[0], data[1], (data[2] if len(data) == 3 else None)
    else:
        raise ValueError(
            "data must be (x, y), (x, y, sigma) or a dict with keys x, y[, sigma] when fitting "
            f"with predict=, got {type(data).__name__}"
        )
    y = np.asarray(y, dtype=float)
    if y.size == 0 or y.ndim == 0:
        raise ValueError(f"data y must be a non-empty array, got shape {y.shape}")
    if np.isnan(y).any():
        bad = np.argwhere(np.isnan(y))[:5].tolist()
        raise ValueError(f"data y contains {int(np.isnan(y).sum())} NaN value(s), e.g. at {bad}")
    if not np.isfinite(y).all():
        raise ValueError("data y contains infinite values")
    for leaf in jax.tree_util.tree_leaves(x):
        arr = np.asarray(leaf)
        if arr.ndim and arr.shape[0] != y.shape[0]:
            raise ValueError(
                f"data x and y must have the same length, got len(x)={arr.shape[0]}, "
                f"len(y)={y.shape[0]}"
            )
        if np.issubdtype(arr.dtype, np.number) and not np.isfinite(arr).all():
            raise ValueError("data x contains NaN or infinite values")
    if sigma is not None:
        sigma = np.asarray(sigma, dtype=float)
        if sigma.ndim and sigma.shape != y.shape:
            raise ValueError(
                f"data sigma must be a scalar or shaped like y {y.shape}, got shape {sigma.shape}"
            )
        sigma = np.broadcast_to(sigma, y.shape).copy()
        if not (np.isfinite(sigma).all() and (sigma > 0).all()):
            raise ValueError("data sigma must be finite and > 0 everywhere")
    return x, y, sigma


def check_params(model: Any, params: Sequence[str]) -> tuple[str, ...]:
    if isinstance(params, str):
        params = [p.strip() for p in params.split(",") if p.strip()]
    names = tuple(params)
    if not names:
        raise ValueError("params must name at least one field to fit, got params=[]")
    if len(set(names)) != len(names):
        raise ValueError(f"params must be unique, got params={list(names)}")
    fittable = [
        f.name
        for f in dataclasses.fields(model)
        if not f.metadata.get("static", False)
        and np.ndim(getattr(model, f.name, None)) == 0
        and isinstance(getattr(model, f.name, None), (int, float, jax.Array, np.ndarray))
    ]
    for name in names:
        try:
            value = get_param(model, name)
        except AttributeError:
            raise ValueError(
                f"unknown parameter name {name!r}; fittable fields of {type(model).__name__} "
                f"are {fittable}"
            ) from None
        if isinstance(value, bool) or not isinstance(value, (int, float, jax.Array, np.ndarray)):
            raise ValueError(f"parameter {name!r} is not numeric (got {type(value).__name__})")
        if np.ndim(value) != 0:
            raise ValueError(
                f"parameter {name!r} has shape {np.shape(value)}; only scalar fields can be fitted"
            )
        if not np.isfinite(float(value)):
            raise ValueError(f"initial value of {name!r} must be finite, got {float(value)}")
    return names

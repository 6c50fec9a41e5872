"""Argument validation shared by every module: errors name the argument and echo its value.

Checks run only on concrete values; under ``jit``/``vmap`` tracing nothing can be checked
and the functions follow IEEE semantics instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import numpy as np

__all__ = ["check", "finite", "is_concrete", "nonnegative", "nonzero", "positive"]


def is_concrete(x: Any) -> bool:
    """True unless ``x`` is a JAX tracer (inside ``jit``/``vmap``/``grad``)."""
    return not isinstance(x, jax.core.Tracer)


def check(name: str, value: Any, ok: Callable[[np.ndarray], Any], rule: str) -> None:
    """Raise ``ValueError("<name> must be <rule>, got <name>=<value>")`` if ``ok`` fails."""
    if not is_concrete(value):
        return
    arr = np.asarray(value)
    if arr.dtype == object or not np.all(ok(arr)):
        shown = arr.item() if arr.ndim == 0 else arr
        raise ValueError(f"{name} must be {rule}, got {name}={shown!r}")


def positive(name: str, value: Any) -> None:
    check(name, value, lambda a: a > 0, "> 0")


def nonnegative(name: str, value: Any) -> None:
    check(name, value, lambda a: a >= 0, ">= 0")


def nonzero(name: str, value: Any) -> None:
    check(name, value, lambda a: a != 0, "nonzero")


def finite(name: str, value: Any) -> None:
    check(name, value, np.isfinite, "finite (no NaN or inf)")

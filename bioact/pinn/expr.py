"""Safe arithmetic expressions for BVP coefficients written as text (TOML presets, CLI).

An expression such as ``"pi**2 * sin(pi*x)"`` or ``"-lam * exp(u)"`` is parsed with
:mod:`ast`; only numbers, the variables given by the caller (``x``, ``u``, ``du``, problem
parameters), arithmetic operators and the functions in :data:`FUNCTIONS` are allowed, so a
preset file can never run arbitrary code. The compiled expression is evaluated with
``jax.numpy`` and is therefore differentiable and traceable.

>>> import jax.numpy as jnp
import numpy as np
>>> evaluate("pi**2 * sin(pi*x)", {"x": jnp.array(0.5)})
Array(9.8696044, dtype=float64, weak_type=True)
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp
import numpy as np

__all__ = ["FUNCTIONS", "compile_expression", "evaluate"]

#: Functions and constants an expression may use.
FUNCTIONS: dict[str, Any] = {
    "sin": jnp.sin,
    "cos": jnp.cos,
    "tan": jnp.tan,
    "exp": jnp.exp,
    "log": jnp.log,
    "sqrt": jnp.sqrt,
    "tanh": jnp.tanh,
    "cosh": jnp.cosh,
    "sinh": jnp.sinh,
    "arctan": jnp.arctan,
    "abs": jnp.abs,
    "pi": math.pi,
    "e": math.e,
}

#: The same names with numpy implementations (evaluation outside ``jit``: no JAX dispatch).
NUMPY_FUNCTIONS: dict[str, Any] = {
    k: (getattr(np, k) if callable(v) else v) for k, v in FUNCTIONS.items()
}

_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
)


@functools.lru_cache(maxsize=256)
def compile_expression(text: str, variables: tuple[str, ...], extra: tuple[str, ...] = ()):
    """Parse ``text`` into a code object, allowing only ``variables``, :data:`FUNCTIONS` and
    the extra function names ``extra``.

    Raises ``ValueError`` naming the offending token for anything else (attributes,
    subscripts, unknown names, keyword arguments, strings).
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"expression must be a non-empty string, got expression={text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"expression {text!r} is not valid arithmetic: {err.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ValueError(
                f"expression {text!r} uses {type(node).__name__}; only numbers, + - * / **, "
                f"the variables {list(variables)} and the functions {sorted(FUNCTIONS)} "
                "are allowed"
            )
        known = set(variables) | set(FUNCTIONS) | set(extra)
        if isinstance(node, ast.Name) and node.id not in known:
            raise ValueError(
                f"expression {text!r} uses unknown name {node.id!r}; allowed: {sorted(known)}"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError(f"expression {text!r} contains a non-numeric constant {node.value!r}")
        if isinstance(node, ast.Call) and (
            node.keywords
            or not isinstance(node.func, ast.Name)
            or node.func.id not in set(FUNCTIONS) | set(extra)
        ):
            raise ValueError(f"expression {text!r}: only calls like sin(x) are allowed")
    return compile(tree, "<bioact expression>", "eval")


def evaluate(text: str, env: Mapping[str, Any], functions: Mapping[str, Any] | None = None):
    """Evaluate expression ``text`` with the variables in ``env`` (arrays or scalars).

    ``functions`` adds callables beyond :data:`FUNCTIONS` (e.g. ``bratu_theta`` for exact
    solutions, which are evaluated outside ``jit``).

    The result is broadcast to the shape of ``env["x"]`` when ``x`` is given, so constant
    coefficients such as ``"1"`` work on arrays of points. When ``x`` is a numpy array the
    expression is evaluated with numpy (fast outside ``jit``), otherwise with ``jax.numpy``.
    """
    functions = dict(functions or {})
    code = compile_expression(text, tuple(sorted(env)), tuple(sorted(functions)))
    use_np = isinstance(env.get("x"), np.ndarray)
    table = NUMPY_FUNCTIONS if use_np else FUNCTIONS
    if use_np:
        env = {k: (np.asarray(v) if hasattr(v, "__array__") else v) for k, v in env.items()}
    value = eval(code, {"__builtins__": {}}, {**table, **functions, **env})  # noqa: S307
    if "x" in env:
        xp = np if use_np else jnp
        x = xp.asarray(env["x"])
        value = xp.broadcast_to(xp.asarray(value, dtype=xp.result_type(x, float)), x.shape)
    return value

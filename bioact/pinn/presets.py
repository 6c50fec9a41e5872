"""BVP presets from TOML files (``models/pinn_<name>.toml``).

A preset file has a ``[problem]`` table (``kind = "linear"`` with ``a, b, c, f`` or
``kind = "nonlinear"`` with ``g``; ``domain = [x0, x1]``; optional ``exact``;
``[problem.parameters]``), ``[bc.left]`` / ``[bc.right]`` tables
(``type = "dirichlet" | "neumann" | "robin"``, ``alpha``, ``beta``, ``value``) and an
optional ``[pinn]`` table of training settings that override :class:`PINNConfig` defaults
for this problem (e.g. Fourier features for the multi-scale case).

>>> problem, settings = load_problem("poisson_sin")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bioact.io import read_toml
from bioact.pinn.problem import AbstractBVP, BoundaryCondition, LinearBVP, NonlinearBVP

__all__ = ["load_problem", "models_dir", "preset_names", "problem_from_dict"]

_PREFIX = "pinn_"


def models_dir() -> Path:
    """The repository's ``models/`` folder (next to the ``bioact`` package)."""
    return Path(__file__).resolve().parents[2] / "models"


def preset_names() -> tuple[str, ...]:
    """Names of the PINN presets in :func:`models_dir` (``pinn_<name>.toml``)."""
    return tuple(sorted(p.stem[len(_PREFIX) :] for p in models_dir().glob(f"{_PREFIX}*.toml")))


def problem_from_dict(spec: dict[str, Any], where: str = "preset") -> AbstractBVP:
    """Build a problem from the parsed TOML tables ``problem`` and ``bc``."""
    prob = dict(spec.get("problem", {}))
    bc = spec.get("bc", {})
    for end in ("left", "right"):
        if end not in bc:
            raise ValueError(f"{where}: missing table [bc.{end}]")
    domain = prob.get("domain")
    if not isinstance(domain, list) or len(domain) != 2:
        raise ValueError(f"{where}: problem.domain must be [x0, x1], got domain={domain!r}")
    common = dict(
        x0=float(domain[0]),
        x1=float(domain[1]),
        left=BoundaryCondition.from_dict(bc["left"], "bc.left"),
        right=BoundaryCondition.from_dict(bc["right"], "bc.right"),
        exact=prob.get("exact"),
        parameters=prob.get("parameters", {}),
        name=str(prob.get("name", where)),
    )
    kind = prob.get("kind", "linear")
    if kind == "linear":
        coeffs = {k: str(prob[k]) for k in ("a", "b", "c", "f") if k in prob}
        return LinearBVP(**common, **coeffs)
    if kind == "nonlinear":
        return NonlinearBVP(**common, g=str(prob.get("g", "0")))
    raise ValueError(f"{where}: problem.kind must be 'linear' or 'nonlinear', got kind={kind!r}")


def load_problem(name: str | Path) -> tuple[AbstractBVP, dict[str, Any]]:
    """Load a preset by name (``"poisson_sin"``) or a TOML path; returns ``(problem, pinn)``
    where ``pinn`` holds the preset's training-setting overrides (possibly empty).
    """
    path = Path(name)
    if path.suffix != ".toml":
        path = models_dir() / f"{_PREFIX}{name}.toml"
        if not path.is_file():
            raise ValueError(
                f"unknown problem={str(name)!r}; presets: {', '.join(preset_names())} "
                "(or pass a path to a .toml file)"
            )
    spec = read_toml(path)
    return problem_from_dict(spec, where=path.stem), dict(spec.get("pinn", {}))

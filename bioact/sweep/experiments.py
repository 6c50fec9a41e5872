"""Sweep experiments from TOML files: a model preset, a quantity, a grid.

An experiment file (``models/sweep_*.toml``) reads::

    [experiment]
    quantity = "ffl_pulse_amplitude"     # a name from QUANTITIES
    description = "..."

    [model]                              # what the quantity needs to build its model
    type = "i1"
    logic = "and"

    [settings]                           # fixed arguments of the quantity
    t_end = 10.0

    [grid]                               # axes: lists or {start, stop, num, scale}
    k_yz = {start = 0.05, stop = 1.0, num = 20, scale = "log"}
    n = {start = 1.0, stop = 4.0, num = 13}

    [sweep]
    chunk_size = 128

Every grid axis must be a parameter of the model (``n`` sets all three FFL Hill
coefficients). Each quantity is a module-level pure function bound with
:func:`functools.partial`, so a rerun fingerprints identically and resumes from its
checkpoint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax.numpy as jnp

from bioact.io import read_toml
from bioact.sweep._grid import Grid

__all__ = ["QUANTITIES", "Experiment", "load_experiment"]


# ---------------------------------------------------------------------------- quantities
def _ffl_pulse_amplitude(
    ffl_type: str,
    logic: str,
    fixed: Mapping[str, float],
    t_end: float,
    n_points: int,
    rtol: float,
    atol: float,
    **row: Any,
) -> dict[str, Any]:
    """Step-ON pulse amplitude ``(Z_peak - Z*) / Z*`` (plus Z_peak, Z*) of one FFL."""
    from bioact.circuits import FFL, expand_params, run_protocol

    model = FFL(ffl_type, logic, **expand_params({**fixed, **row}))
    res = run_protocol(model, "on", t_end=t_end, n_points=n_points, rtol=rtol, atol=atol)
    z = res.traj["z"]
    z_ss = model.steady_state(1.0)[1]
    peak = jnp.max(z)
    return {
        "pulse_amplitude": (peak - z_ss) / z_ss,
        "z_peak": peak,
        "z_steady": z_ss,
        "success": res.traj.success,
    }


def _make_ffl_pulse_amplitude(
    model: Mapping[str, Any], settings: Mapping[str, Any], axes: tuple[str, ...]
) -> Callable[..., Any]:
    from bioact.circuits import FFL, PARAM_NAMES, expand_params

    fixed = {k: float(v) for k, v in model.get("params", {}).items()}
    ffl_type, logic = str(model.get("type", "i1")), str(model.get("logic", "and"))
    allowed = set(PARAM_NAMES) | {"n"}
    unknown = [a for a in axes if a not in allowed]
    if unknown:
        raise ValueError(
            f"grid axes {unknown} are not FFL parameters; allowed: {', '.join(sorted(allowed))}"
        )
    FFL(ffl_type, logic, **expand_params(fixed))  # validate type, logic and values eagerly
    return functools.partial(
        _ffl_pulse_amplitude,
        ffl_type,
        logic,
        fixed,
        float(settings.get("t_end", 10.0)),
        int(settings.get("n_points", 401)),
        float(settings.get("rtol", 1e-6)),
        float(settings.get("atol", 1e-9)),
    )


#: quantity name -> (factory(model_cfg, settings, axes) -> fn(**row), main output column, label)
QUANTITIES: dict[str, tuple[Callable[..., Callable[..., Any]], str, str]] = {
    "ffl_pulse_amplitude": (
        _make_ffl_pulse_amplitude,
        "pulse_amplitude",
        "Z pulse amplitude (Z_peak - Z*) / Z*",
    ),
}


def register_quantity(
    name: str, factory: Callable[..., Callable[..., Any]], column: str, label: str
) -> None:
    """Add a sweep quantity (used by domain packages, e.g. the neuron firing rate)."""
    QUANTITIES[name] = (factory, column, label)


# ---------------------------------------------------------------------------- experiment
@dataclass(frozen=True)
class Experiment:
    """A loaded experiment: the bound function, its grid and how to present the result."""

    name: str
    quantity: str
    fn: Callable[..., Any]
    grid: Grid
    column: str
    label: str
    chunk_size: int
    description: str
    spec: Mapping[str, Any]


def load_experiment(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Experiment:
    """Read a sweep experiment TOML and bind its quantity (see the module docstring).

    ``overrides`` replaces whole ``[grid]`` axes (e.g. a smaller grid for a quick run).
    """
    _ensure_domain_quantities()
    path = Path(path)
    spec = read_toml(path)
    exp = spec.get("experiment", {})
    quantity = exp.get("quantity")
    if quantity not in QUANTITIES:
        raise ValueError(
            f"{path.name}: [experiment] quantity must be one of {sorted(QUANTITIES)}, "
            f"got quantity={quantity!r}"
        )
    if not spec.get("grid"):
        raise ValueError(f"{path.name}: a [grid] table with at least one axis is required")
    grid_spec = {**spec["grid"], **(overrides or {})}
    grid = Grid.from_spec(grid_spec)
    factory, column, label = QUANTITIES[quantity]
    fn = factory(spec.get("model", {}), spec.get("settings", {}), tuple(grid_spec))
    chunk_size = int(spec.get("sweep", {}).get("chunk_size", 256))
    if chunk_size < 1:
        raise ValueError(f"{path.name}: [sweep] chunk_size must be >= 1, got {chunk_size}")
    return Experiment(
        path.stem,
        quantity,
        fn,
        grid,
        column,
        label,
        chunk_size,
        str(exp.get("description", "")),
        spec,
    )


def _ensure_domain_quantities() -> None:
    """Import domain modules that register their quantities (kept lazy for import speed)."""
    try:
        import bioact.neuron.sweep  # noqa: F401  (registers "firing_rate")
    except ImportError:  # pragma: no cover - neuron package always present in releases
        pass

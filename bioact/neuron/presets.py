"""Model presets: TOML files in ``models/`` (one model each) and a loader.

A preset file names the model ``kind`` and its parameters (units in comments), plus an optional
``[protocol]`` table for f-I runs::

    [model]
    kind = "hodgkin_huxley"
    reference = "Hodgkin & Huxley (1952) J. Physiol. 117:500"

    [parameters]
    g_na = 120.0   # mS/cm^2

    [protocol]
    currents = [0.0, 20.0, 201]   # start, stop, number (uA/cm^2)
    duration = 1000.0             # ms
    transient = 200.0             # ms

>>> import bioact.neuron as bn
>>> bn.load_model("morris_lecar_type1").v3
Array(12., dtype=float64, weak_type=True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bioact.io import read_toml
from bioact.neuron.models import (
    AbstractNeuron,
    ConnorStevens,
    HodgkinHuxley,
    MorrisLecar,
    WangBuzsaki,
)

__all__ = ["KINDS", "MODELS_DIR", "PRESETS", "load_model", "load_preset", "model_from_dict"]

#: Folder of the preset TOML files (the repository's ``models/``).
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
#: Preset names (files ``models/<name>.toml``).
PRESETS = (
    "hh1952",
    "wang_buzsaki",
    "connor_stevens",
    "morris_lecar_type1",
    "morris_lecar_type2",
)
#: ``kind`` strings accepted in ``[model]`` tables.
KINDS: dict[str, type[AbstractNeuron]] = {
    "hodgkin_huxley": HodgkinHuxley,
    "wang_buzsaki": WangBuzsaki,
    "connor_stevens": ConnorStevens,
    "morris_lecar": MorrisLecar,
}


def model_from_dict(spec: dict[str, Any], source: str = "model spec") -> AbstractNeuron:
    """Build a model from a parsed preset (``{"model": {"kind": ...}, "parameters": {...}}``)."""
    kind = spec.get("model", {}).get("kind")
    if kind not in KINDS:
        raise ValueError(
            f"[model] kind in {source} must be one of {', '.join(KINDS)}, got kind={kind!r}"
        )
    cls = KINDS[kind]
    params = dict(spec.get("parameters", {}))
    allowed = {f for f in cls.__dataclass_fields__ if f not in ("state_names", "stiff")}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {unknown} for kind={kind!r} in {source}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    for name, value in params.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError(f"parameter {name} in {source} must be a number, got {value!r}")
    return cls(**{k: float(v) for k, v in params.items()})


def load_preset(name_or_path: str | Path) -> dict[str, Any]:
    """The parsed TOML of a preset name (``hh1952``, ...) or a path to a preset file."""
    text = str(name_or_path)
    if text in PRESETS:
        path = MODELS_DIR / f"{text}.toml"
    elif text.endswith(".toml") or Path(text).is_file():
        path = Path(text)
    else:
        raise ValueError(
            f"model must be a preset name ({', '.join(PRESETS)}) or a path to a .toml file, "
            f"got model={text!r}"
        )
    return read_toml(path)


def load_model(name_or_path: str | Path) -> AbstractNeuron:
    """Load a neuron model from a preset name or a TOML file in ``models/``'s format."""
    return model_from_dict(load_preset(name_or_path), source=str(name_or_path))

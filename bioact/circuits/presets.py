"""FFL presets: ``models/*.toml`` with ``[model]``, ``[parameters]`` and ``[protocol]`` tables.

>>> from bioact.circuits.presets import load_preset
>>> model, protocol = load_preset("models/ffl_i1_fcd.toml")  # doctest: +SKIP
>>> protocol["name"]  # doctest: +SKIP
'foldchange'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bioact.circuits.ffl import FFL, expand_params
from bioact.circuits.protocols import PROTOCOLS
from bioact.io import read_toml

__all__ = ["PROTOCOL_KEYS", "load_preset"]

#: Keys allowed in a preset's ``[protocol]`` table.
PROTOCOL_KEYS = ("name", "t_end", "points", "level", "width", "a", "fold", "t_start")


def load_preset(path: str | Path, **overrides: Any) -> tuple[FFL, dict[str, Any]]:
    """Read an FFL preset: ``(FFL, protocol dict)``; ``overrides`` replace parameters
    (``n`` sets all three Hill coefficients). Unknown tables/keys raise ``ValueError``.
    """
    data = read_toml(path)
    unknown = sorted(set(data) - {"model", "parameters", "protocol"})
    if unknown:
        raise ValueError(
            f"{str(path)!r}: unknown table(s) {unknown}; allowed: model, parameters, protocol"
        )
    model_tab = data.get("model", {})
    params = expand_params({**data.get("parameters", {}), **overrides})
    model = FFL(model_tab.get("type", "c1"), model_tab.get("logic", "and"), **params)
    protocol = dict(data.get("protocol", {}))
    bad = sorted(set(protocol) - set(PROTOCOL_KEYS))
    if bad:
        raise ValueError(
            f"{str(path)!r}: unknown [protocol] key(s) {bad}; allowed: {PROTOCOL_KEYS}"
        )
    protocol.setdefault("name", "on")
    if protocol["name"] not in PROTOCOLS:
        raise ValueError(
            f"{str(path)!r}: protocol name must be one of {PROTOCOLS}, "
            f"got name={protocol['name']!r}"
        )
    return model, protocol

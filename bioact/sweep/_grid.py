"""Parameter grids: a Cartesian product of named axes, or an explicit table of rows."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any

import jax
import numpy as np

__all__ = ["Grid"]

_SHOWN_VALUES = 16  # axes with at most this many values are listed in full in manifests


def _column(name: str, values: Any, what: str) -> np.ndarray:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{what} names must be Python identifiers, got name={name!r}")
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{what} {name!r} must be 1-D, got shape={arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{what} {name!r} must have at least one value, got an empty array")
    if arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{what} {name!r} must be numeric (bool, int or float), got dtype={arr.dtype}; "
            "map categorical choices to integer codes and decode them in fn"
        )
    # The dtype JAX will actually compute in (float32/int32 when x64 is off).
    return arr.astype(jax.dtypes.canonicalize_dtype(arr.dtype))


class Grid:
    """The rows a sweep evaluates: named parameter columns, in a fixed order.

    Two kinds, built with the class methods:

    * :meth:`Grid.product` -- the Cartesian product of named 1-D axes, in C order (the last
      axis varies fastest, like ``np.meshgrid(..., indexing="ij")``); ``shape`` is the axes'
      lengths and results can be reshaped back with ``SweepResult.as_grid``.
    * :meth:`Grid.rows` -- an explicit table: equal-length columns, one row per evaluation
      (random designs, Latin hypercubes, a list of fitted parameter sets).

    A plain mapping passed to :func:`bioact.sweep.sweep` means :meth:`Grid.product`.
    Rows are never materialised as a whole: :meth:`columns` builds any slice on demand,
    so a 10^8-point product costs only its axes in memory.

    >>> g = Grid.product(g_na=[100.0, 120.0], g_k=[30.0, 36.0, 42.0])
    >>> len(g), g.shape, g.columns(0, 2)["g_k"].tolist()
    (6, (2, 3), [30.0, 36.0])
    """

    def __init__(self, kind: str, data: dict[str, np.ndarray]):
        self.kind = kind
        self._data = data
        self.names = tuple(data)
        if kind == "product":
            self.shape: tuple[int, ...] | None = tuple(len(v) for v in data.values())
            self.n_rows = math.prod(self.shape)
        else:
            self.shape = None
            self.n_rows = len(next(iter(data.values())))

    @classmethod
    def product(cls, axes: Mapping[str, Any] | None = None, **kw_axes: Any) -> Grid:
        """Cartesian product of named 1-D axes (a mapping, keyword arguments, or both)."""
        axes = {**(axes or {}), **kw_axes}
        if not axes:
            raise ValueError("grid must name at least one axis, got no axes")
        return cls("product", {k: _column(k, v, "axis") for k, v in axes.items()})

    @classmethod
    def rows(cls, columns: Mapping[str, Any] | None = None, **kw_columns: Any) -> Grid:
        """An explicit table of rows from equal-length named columns."""
        columns = {**(columns or {}), **kw_columns}
        if not columns:
            raise ValueError("grid must name at least one column, got no columns")
        data = {k: _column(k, v, "column") for k, v in columns.items()}
        lengths = {k: len(v) for k, v in data.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"grid columns must have equal lengths, got lengths={lengths}")
        return cls("rows", data)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], kind: str = "product") -> Grid:
        """Build a grid from a TOML/JSON-style spec (what an experiment file's ``[grid]`` holds).

        Each entry is a list of values, a single number, or a table
        ``{start, stop, num, scale = "linear" | "log"}`` (``np.linspace``/``np.geomspace``,
        both ends included). ``kind`` is ``"product"`` (default) or ``"rows"``.

        >>> Grid.from_spec({"g_na": {"start": 60, "stop": 180, "num": 3}, "n": [1, 2]}).shape
        (3, 2)
        """
        if kind not in ("product", "rows"):
            raise ValueError(f"kind must be 'product' or 'rows', got kind={kind!r}")
        columns = {}
        for name, entry in spec.items():
            if isinstance(entry, Mapping):
                extra = set(entry) - {"start", "stop", "num", "scale"}
                missing = {"start", "stop", "num"} - set(entry)
                if extra or missing:
                    raise ValueError(
                        f"grid axis {name!r} must be a list or a table with keys start, stop, "
                        f"num[, scale], got keys {sorted(entry)}"
                    )
                num, scale = entry["num"], entry.get("scale", "linear")
                if not isinstance(num, int) or isinstance(num, bool) or num < 1:
                    raise ValueError(
                        f"grid axis {name!r}: num must be an int >= 1, got num={num!r}"
                    )
                if scale == "linear":
                    columns[name] = np.linspace(entry["start"], entry["stop"], num)
                elif scale == "log":
                    if not (entry["start"] > 0 and entry["stop"] > 0):
                        raise ValueError(
                            f"grid axis {name!r}: a log scale needs start > 0 and stop > 0, "
                            f"got start={entry['start']!r}, stop={entry['stop']!r}"
                        )
                    columns[name] = np.geomspace(entry["start"], entry["stop"], num)
                else:
                    raise ValueError(
                        f"grid axis {name!r}: scale must be 'linear' or 'log', got scale={scale!r}"
                    )
            else:
                columns[name] = entry
        return cls.product(columns) if kind == "product" else cls.rows(columns)

    @classmethod
    def coerce(cls, grid: Grid | Mapping[str, Any]) -> Grid:
        """A :class:`Grid` as is; a mapping as :meth:`product`; anything else is refused."""
        if isinstance(grid, Grid):
            return grid
        if isinstance(grid, Mapping):
            return cls.product(grid)
        raise ValueError(
            "grid must be a bioact.sweep.Grid or a mapping of axis name -> values, "
            f"got grid of type {type(grid).__name__}"
        )

    def __len__(self) -> int:
        return self.n_rows

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}[{len(v)}]" for k, v in self._data.items())
        return f"Grid.{self.kind}({sizes}; {self.n_rows} rows)"

    @property
    def axes(self) -> dict[str, np.ndarray]:
        """The axis values (product grids) or the full columns (row grids)."""
        return dict(self._data)

    def columns(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Parameter values of rows ``start <= i < stop`` as one array per name."""
        if not 0 <= start <= stop <= self.n_rows:
            raise ValueError(f"row range must lie in [0, {self.n_rows}], got [{start}, {stop})")
        if self.kind == "rows":
            return {k: v[start:stop] for k, v in self._data.items()}
        index = np.unravel_index(np.arange(start, stop), self.shape)
        return {k: v[i] for (k, v), i in zip(self._data.items(), index, strict=True)}

    def fingerprint(self) -> str:
        """SHA-256 of the kind, names, dtypes and values: equal iff the rows are equal."""
        h = hashlib.sha256(self.kind.encode())
        for name, values in self._data.items():
            h.update(f"|{name}|{values.dtype.str}|{values.shape}|".encode())
            h.update(np.ascontiguousarray(values).tobytes())
        return h.hexdigest()

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary for manifests and ``meta.json``."""
        cols = {}
        for name, v in self._data.items():
            if len(v) <= _SHOWN_VALUES:
                cols[name] = v.tolist()
            else:
                cols[name] = {"n": len(v), "min": v.min().item(), "max": v.max().item()}
        return {"kind": self.kind, "n_rows": self.n_rows, "shape": self.shape, "columns": cols}

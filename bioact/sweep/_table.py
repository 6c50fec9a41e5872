"""The labelled result table of a sweep."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bioact.io import write_csv
from bioact.sweep._grid import Grid

__all__ = ["SweepResult"]


class SweepResult:
    """Parameters and outputs of a sweep as numpy columns, one row per grid point.

    ``columns`` maps every parameter name, then every output name (sorted, the order JAX
    gives dict pytrees), then ``"failed"`` to an
    array whose first axis is the row (outputs may carry trailing axes, e.g. a saved
    time series). ``failed[i]`` is True when row i's ``success`` output was False or any
    of its floating outputs is NaN/inf (see :func:`bioact.sweep.sweep`).

    >>> res["rate"], res.as_grid("rate"), res.failed.sum()  # doctest: +SKIP
    >>> res.to_csv("results.csv")  # doctest: +SKIP
    """

    def __init__(
        self,
        grid: Grid,
        params: dict[str, np.ndarray],
        outputs: dict[str, np.ndarray],
        failed: np.ndarray,
        info: dict[str, Any] | None = None,
    ):
        self.grid = grid
        self.param_names = tuple(params)
        self.output_names = tuple(outputs)
        self.columns: dict[str, np.ndarray] = {**params, **outputs, "failed": failed}
        self.info = dict(info or {})

    def __len__(self) -> int:
        return self.grid.n_rows

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise ValueError(
                f"unknown column name={name!r}; this sweep has columns {tuple(self.columns)}"
            ) from None

    def __repr__(self) -> str:
        return (
            f"SweepResult({len(self)} rows; params={self.param_names}, "
            f"outputs={self.output_names}, failed={int(self.failed.sum())})"
        )

    @property
    def failed(self) -> np.ndarray:
        """Boolean per-row failure flags."""
        return self.columns["failed"]

    def failures(self) -> dict[str, np.ndarray]:
        """The parameter values of the failed rows (empty arrays when none failed)."""
        mask = self.failed
        return {k: self.columns[k][mask] for k in self.param_names}

    def as_grid(self, name: str) -> np.ndarray:
        """Column ``name`` reshaped to the product grid's ``shape`` (+ trailing output axes).

        ``res.as_grid("rate")[i, j]`` is the value at ``axes[0][i], axes[1][j]`` -- ready for
        ``plt.pcolormesh(axes[1], axes[0], res.as_grid("rate"))``. Row grids have no shape.
        """
        if self.grid.kind != "product":
            raise ValueError(
                f"as_grid needs a Grid.product sweep, got a grid of kind={self.grid.kind!r}"
            )
        col = self[name]
        return col.reshape(self.grid.shape + col.shape[1:])

    def flat_columns(self) -> dict[str, np.ndarray]:
        """Scalar columns only: an output with trailing axes becomes ``name[i]``/``name[i,j]``."""
        out = {}
        for name, col in self.columns.items():
            if col.ndim == 1:
                out[name] = col
                continue
            for index in np.ndindex(col.shape[1:]):
                out[f"{name}[{','.join(map(str, index))}]"] = col[(slice(None), *index)]
        return out

    def to_csv(self, path: str | Path, comments: Sequence[str] = ()) -> Path:
        """Write every row as CSV (via :func:`bioact.io.write_csv`, atomically)."""
        return write_csv(path, self.flat_columns(), comments)

    def to_npz(self, path: str | Path) -> Path:
        """Write every column (with its full shape) to one ``.npz`` file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez(fh, **self.columns)
        return path

"""Files in and out: CSV (units in ``#`` header lines), JSON with numpy values, metadata, TOML.

Every CLI command writes its outputs with these helpers, so all result folders look alike:
data as CSV, a JSON sidecar ``meta.json`` with the command, its parameters, package
versions and wall time.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import platform
import sys
import tempfile
import time
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "read_csv",
    "read_toml",
    "to_jsonable",
    "versions",
    "write_csv",
    "write_json",
    "write_meta",
]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/JAX scalars and arrays (recursively) to JSON-serialisable Python objects.

    Non-finite floats become ``None`` (JSON has no NaN/inf).
    """
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "__array__") and not isinstance(obj, (str, bytes)):
        arr = np.asarray(obj)
        return to_jsonable(arr.tolist()) if arr.ndim else to_jsonable(arr.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as indented JSON (atomically: a partial file is never left behind)."""
    path = Path(path)
    _atomic_write_text(path, json.dumps(to_jsonable(obj), indent=2, allow_nan=False) + "\n")
    return path


def write_csv(
    path: str | Path,
    columns: Mapping[str, Sequence[Any] | np.ndarray],
    comments: Sequence[str] = (),
) -> Path:
    """Write equal-length columns as CSV; ``comments`` become leading ``# ...`` lines (units).

    >>> write_csv("out.csv", {"t": [0, 1], "z": [0.0, 0.5]}, ["t in 1/alpha"])  # doctest: +SKIP
    """
    path = Path(path)
    names = list(columns)
    cols = [
        np.asarray(columns[n]).ravel() if np.ndim(columns[n]) else np.asarray([columns[n]])
        for n in names
    ]
    lengths = {len(c) for c in cols}
    if len(lengths) > 1:
        raise ValueError(
            f"columns must have equal lengths, got {dict(zip(names, map(len, cols), strict=True))}"
        )
    rows = zip(*cols, strict=True)
    buf = io.StringIO()
    for line in comments:
        buf.write(f"# {line}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_fmt(v) for v in row])
    _atomic_write_text(path, buf.getvalue())
    return path


def _fmt(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v)


def read_csv(path: str | Path) -> dict[str, np.ndarray]:
    """Read a CSV written by :func:`write_csv` (``#`` lines skipped) into float columns.

    Columns that are not numeric are returned as string arrays.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path must be an existing CSV file, got path={str(path)!r}")
    with path.open(newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.reader(lines)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValueError(f"CSV file {str(path)!r} is empty (no header row)") from None
    raw = [row for row in reader]
    out: dict[str, np.ndarray] = {}
    for j, name in enumerate(header):
        values = [row[j].strip() if j < len(row) else "" for row in raw]
        try:
            out[name] = np.array([float(v) if v != "" else np.nan for v in values])
        except ValueError:
            out[name] = np.array(values)
    return out


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML model/experiment file; errors name the file."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path must be an existing TOML file, got path={str(path)!r}")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{str(path)!r} is not valid TOML: {err}") from None


def versions() -> dict[str, str]:
    """Versions of bioact, Python and the numerical stack (for result sidecars)."""
    import importlib.metadata as md

    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for pkg in ("bioact", "jax", "jaxlib", "diffrax", "equinox", "optax", "numpy", "scipy"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            if pkg == "bioact":
                import bioact

                out[pkg] = bioact.__version__
    try:
        import jax

        out["jax_backend"] = jax.default_backend()
        out["x64"] = str(bool(jax.config.jax_enable_x64))
    except Exception:  # pragma: no cover - jax always importable with bioact
        pass
    return out


def write_meta(
    out_dir: str | Path,
    command: str,
    parameters: Mapping[str, Any],
    wall_time_s: float,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``out_dir/meta.json``: command, parameters, versions, wall time, timestamp, extras."""
    meta = {
        "command": command,
        "parameters": dict(parameters),
        "versions": versions(),
        "wall_time_s": wall_time_s,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if extra:
        meta.update(extra)
    return write_json(Path(out_dir) / "meta.json", meta)

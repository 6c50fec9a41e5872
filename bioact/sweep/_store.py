"""Checkpoint directories: a manifest plus one self-verifying NPZ file per finished chunk.

Layout of ``DIR``::

    manifest.json          grid and function fingerprints, chunk size, versions
    chunk_000000.npz       outputs + failed flags of rows [0, chunk_size), with a checksum
    chunk_000001.npz       ...

Every file is written to a temporary name in ``DIR`` and moved into place with
``os.replace`` (atomic on POSIX and Windows), so a killed process leaves either the old
state or the complete new file, never half a chunk. Each chunk file stores its index,
row range, the grid and function fingerprints and a SHA-256 of its arrays; a file that
fails to load or to verify is reported and recomputed.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import json
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import numpy as np

from bioact.io import versions, write_json
from bioact.sweep._grid import Grid

__all__ = ["Store", "function_identity"]

FORMAT = "bioact.sweep/1"
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _unwrap(fn: Callable) -> Callable:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__wrapped__", fn)


def function_identity(fn: Callable, example_row: dict[str, Any] | None, call) -> dict[str, Any]:
    """Name, qualname, module, a hash of the source and (given an example row) of the jaxpr.

    The jaxpr hash covers what the source cannot: closed-over constants, ``partial``
    arguments, a changed model preset, float32 vs float64. Memory addresses in reprs are
    stripped so the hash is stable across processes.
    """
    base = _unwrap(fn)
    try:
        source = inspect.getsource(base)
    except (OSError, TypeError):
        source = repr(base)
    ident = {
        "name": getattr(base, "__name__", type(base).__name__),
        "qualname": getattr(base, "__qualname__", type(base).__qualname__),
        "module": getattr(base, "__module__", None),
        "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
    }
    if example_row is not None:
        closed = jax.make_jaxpr(call)(example_row)
        h = hashlib.sha256(_ADDRESS.sub("", str(closed)).encode())
        for const in closed.consts:
            arr = np.asarray(const)
            h.update(f"{arr.dtype.str}{arr.shape}".encode())
            h.update(np.ascontiguousarray(arr).tobytes())
        ident["jaxpr_sha256"] = h.hexdigest()
    return ident


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        h.update(f"|{name}|{arr.dtype.str}|{arr.shape}|".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Store:
    """One checkpoint directory for one (grid, function, chunk size)."""

    def __init__(self, directory: str | Path, grid: Grid, function: dict, chunk_size: int):
        self.dir = Path(directory)
        if self.dir.exists() and not self.dir.is_dir():
            raise ValueError(f"checkpoint must be a directory, got checkpoint={str(self.dir)!r}")
        self.key = {
            "grid_sha256": grid.fingerprint(),
            "function": function,
            "chunk_size": int(chunk_size),
        }
        self.manifest = {
            "format": FORMAT,
            **self.key,
            "n_rows": grid.n_rows,
            "grid": grid.describe(),
            "x64": bool(jax.config.jax_enable_x64),
            "versions": versions(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        self.tag = hashlib.sha256(json.dumps(self.key, sort_keys=True).encode()).hexdigest()

    def open(self, write: bool) -> None:
        """Create the directory and manifest, or check an existing manifest matches.

        Raises ``ValueError`` when ``DIR`` holds a sweep of another grid, function or chunk
        size: mixing their results would be silently wrong.
        """
        path = self.dir / "manifest.json"
        if path.exists():
            try:
                old = json.loads(path.read_text())
            except (OSError, ValueError) as err:
                raise ValueError(
                    f"checkpoint manifest {str(path)!r} is unreadable ({err}); delete the "
                    "checkpoint directory or choose another one"
                ) from None
            self._compare(old)
        elif write:
            self.dir.mkdir(parents=True, exist_ok=True)
            for stale in self.dir.glob(".chunk_*.tmp"):  # left by a process killed mid-write
                stale.unlink(missing_ok=True)
            write_json(path, self.manifest)

    def _compare(self, old: dict) -> None:
        diffs = []
        if old.get("format") != FORMAT:
            diffs.append(f"format {old.get('format')!r} != {FORMAT!r}")
        if old.get("grid_sha256") != self.key["grid_sha256"]:
            diffs.append(f"the grid differs (was {json.dumps(old.get('grid'))})")
        if old.get("chunk_size") != self.key["chunk_size"]:
            diffs.append(f"chunk_size was {old.get('chunk_size')}, now {self.key['chunk_size']}")
        f_old, f_new = old.get("function", {}), self.key["function"]
        for field in ("qualname", "module", "source_sha256", "jaxpr_sha256"):
            if f_old.get(field) != f_new.get(field):
                what = field.replace("_sha256", "")
                diffs.append(f"the function's {what} differs ({f_old.get('qualname')!r} before)")
        if diffs:
            v_old, v_new = old.get("versions", {}), versions()
            changed = [k for k in ("jax", "jaxlib", "bioact") if v_old.get(k) != v_new.get(k)]
            note = f" (versions changed: {', '.join(changed)})" if changed else ""
            raise ValueError(
                f"checkpoint={str(self.dir)!r} holds a different sweep: {'; '.join(diffs)}"
                f"{note}. Use a new checkpoint directory, or delete this one to start over."
            )

    def chunk_path(self, index: int) -> Path:
        return self.dir / f"chunk_{index:06d}.npz"

    def save(self, index: int, start: int, stop: int, arrays: dict[str, np.ndarray]) -> None:
        meta = {"index": index, "start": start, "stop": stop, "tag": self.tag}
        meta["sha256"] = _checksum(arrays)
        buf = io.BytesIO()
        np.savez(buf, __meta__=np.array(json.dumps(meta)), **arrays)
        _atomic_write_bytes(self.chunk_path(index), buf.getvalue())

    def load(self, index: int, start: int, stop: int) -> dict[str, np.ndarray] | None:
        """The chunk's arrays, or None if absent; a corrupt file warns and returns None."""
        path = self.chunk_path(index)
        if not path.exists():
            return None
        try:
            with path.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            meta = json.loads(str(arrays.pop("__meta__")))
            expect = {"index": index, "start": start, "stop": stop, "tag": self.tag}
            if any(meta.get(k) != v for k, v in expect.items()):
                got = {k: meta.get(k) for k in ("index", "start", "stop")}
                raise ValueError(f"it belongs to another chunk or sweep ({got})")
            if meta.get("sha256") != _checksum(arrays):
                raise ValueError("its checksum does not match its contents")
            if any(len(a) != stop - start for a in arrays.values()):
                raise ValueError(f"it does not hold {stop - start} rows")
        except Exception as err:  # truncated zip, bad CRC, missing meta, wrong checksum ...
            warnings.warn(
                f"checkpoint chunk {str(path)!r} is corrupt or partial "
                f"({type(err).__name__}: {err}); recomputing it",
                RuntimeWarning,
                stacklevel=3,
            )
            return None
        return arrays

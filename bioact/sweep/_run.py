"""``sweep``: evaluate a pure JAX function over a grid, chunk by chunk, sharded over devices."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from bioact.sweep._grid import Grid
from bioact.sweep._store import Store, function_identity
from bioact.sweep._table import SweepResult

__all__ = ["ChunkInfo", "sweep"]


@dataclasses.dataclass(frozen=True)
class ChunkInfo:
    """What ``on_chunk`` receives after each chunk: rows ``[start, stop)``, computed or loaded."""

    index: int
    n_chunks: int
    start: int
    stop: int
    computed: bool
    n_failed: int


def _call_mode(fn: Callable, names: tuple[str, ...]) -> str:
    """``"kwargs"`` if fn accepts every grid name as a keyword, ``"dict"`` if it takes one dict."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: try keywords
        return "kwargs"
    params = list(sig.parameters.values())
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return "kwargs"
    keywords = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    if set(names) <= keywords:
        return "kwargs"
    required = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    if len(required) == 1:
        return "dict"
    raise ValueError(
        f"fn must accept the grid names {names} as keyword arguments or take a single dict "
        f"argument, got fn with signature {sig}"
    )


def _row_outputs(fn: Callable, mode: str, row: dict[str, Any]) -> dict[str, jax.Array]:
    """Evaluate fn on one row; normalise to ``{name: array, ..., "failed": bool}``."""
    out = fn(**row) if mode == "kwargs" else fn(dict(row))
    out = dict(out) if isinstance(out, Mapping) else {"value": out}
    try:
        out = {str(k): jnp.asarray(v) for k, v in out.items()}
    except TypeError:
        raise ValueError(
            "fn must return a number/array or a dict of them (e.g. {'rate': r, "
            f"'success': traj.success}}), got {type(out).__name__} values"
        ) from None
    clash = set(out) & (set(row) | {"failed"})
    if clash:
        raise ValueError(f"fn output names must differ from grid names and 'failed', got {clash}")
    failed = jnp.array(False)
    if "success" in out:
        failed = ~jnp.all(out.pop("success").astype(bool))
    for value in out.values():
        if jnp.issubdtype(value.dtype, jnp.inexact):
            failed = failed | ~jnp.all(jnp.isfinite(value))
    return {**out, "failed": failed}


class _ByIdentity:
    """Hash/compare an unhashable callable (e.g. an eqx.Module with array fields) by identity."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __hash__(self) -> int:
        return id(self.fn)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByIdentity) and other.fn is self.fn


@functools.partial(jax.jit, static_argnames=("fn", "mode", "mesh"))
def _run_chunk(columns, *, fn, mode, mesh):
    # fn and mesh are static (hashed), so every chunk of every sweep of the same fn over the
    # same batch shape reuses one compiled program. shard_map gives each device its own
    # vmapped solve: adaptive while-loops stop per device, with no per-step collective.
    body = jax.vmap(functools.partial(_row_outputs, fn, mode))
    spec = PartitionSpec("rows")
    return jax.shard_map(body, mesh=mesh, in_specs=spec, out_specs=spec, check_vma=False)(columns)


def _to_host(tree: Any) -> dict[str, np.ndarray]:
    if jax.process_count() > 1:
        from jax.experimental import multihost_utils

        return multihost_utils.process_allgather(tree, tiled=True)
    return jax.tree.map(np.asarray, tree)


def sweep(
    fn: Callable[..., Any],
    grid: Grid | Mapping[str, Any],
    *,
    chunk_size: int = 1024,
    checkpoint: str | Path | None = None,
    devices: Sequence[jax.Device] | None = None,
    progress: bool = True,
    on_chunk: Callable[[ChunkInfo], None] | None = None,
) -> SweepResult:
    """Evaluate ``fn`` at every row of ``grid``: vmapped, chunked, sharded, resumable.

    Args:
        fn: a pure JAX function of named scalar parameters, called as ``fn(**row)`` when it
            accepts every grid name as a keyword, else as ``fn(row)`` with a dict. It returns
            a number/array (column ``"value"``) or a dict of them (one column each; arrays
            keep their trailing shape). Fixed arguments (a model preset, ``t1``) are closed
            over or bound with ``functools.partial``.
        grid: a :class:`Grid` (``Grid.product(...)`` or ``Grid.rows(...)``), or a mapping
            ``{name: values}`` meaning the Cartesian product of those axes.
        chunk_size: rows per chunk (default 1024). Each chunk is padded (with copies of its
            last row, dropped afterwards) to a multiple of the device count, placed with a
            ``NamedSharding`` over a 1-D ``Mesh`` of ``devices`` and evaluated by
            ``jax.shard_map`` of ``jax.vmap(fn)``: every device solves its slice of rows
            independently (its adaptive solver loops do not wait for the other devices').
            Every chunk has the same shape, so the sweep compiles once. Memory ~ chunk_size.
        checkpoint: directory; each finished chunk is written there atomically and a rerun
            with the same directory loads finished chunks instead of recomputing them. A
            directory holding another grid, function or chunk size raises ``ValueError``;
            corrupt or partial chunk files are recomputed with a ``RuntimeWarning``.
        devices: devices to shard each chunk over (default ``jax.devices()``: every local
            and, after ``jax.distributed.initialize()``, remote accelerator).
        progress: show a tqdm bar (rows done, simulations/s, ETA, chunks) on stderr.
        on_chunk: called with a :class:`ChunkInfo` after each chunk is computed or loaded.

    Returns:
        A :class:`SweepResult` with the parameter columns, the output columns and ``failed``.

    Failures are per row, never fatal: ``failed[i]`` is True when fn's output ``success``
    (if it returns one, e.g. ``Trajectory.success`` from ``simulate(..., throw=False)``)
    is False, or when any floating output of row i is NaN/inf. Inside fn always call
    ``simulate(..., throw=False)``; under ``vmap`` it cannot raise.

    Multi-host: start the same script on every host after ``jax.distributed.initialize()``
    (coordinator address, process count and id from the cluster or arguments). Then
    ``jax.devices()`` lists every host's devices, each chunk is split across all of them,
    every process gets the full result, and only process 0 writes to ``checkpoint``, which
    must be on a filesystem all hosts can read (resume decisions are taken by process 0).

    >>> def rate(k, n):
    ...     return {"y": k**n / (1.0 + k**n)}
    >>> res = sweep(rate, {"k": [0.5, 1.0, 2.0], "n": [1.0, 4.0]}, progress=False)
    >>> res.as_grid("y").shape
    (3, 2)
    """
    grid = Grid.coerce(grid)
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size <= 0:
        raise ValueError(f"chunk_size must be a positive int, got chunk_size={chunk_size!r}")
    devices = list(jax.devices() if devices is None else devices)
    if not devices:
        raise ValueError("devices must list at least one device, got devices=[]")
    mode = _call_mode(fn, grid.names)
    n_rows, n_dev = grid.n_rows, len(devices)
    chunk_size = min(chunk_size, n_rows)
    batch = math.ceil(chunk_size / n_dev) * n_dev
    n_chunks = math.ceil(n_rows / chunk_size)
    mesh = Mesh(np.array(devices), ("rows",))
    sharding = NamedSharding(mesh, PartitionSpec("rows"))
    try:
        hash(fn)
        static_fn = fn
    except TypeError:
        static_fn = _ByIdentity(fn)
    lead = jax.process_index() == 0
    bounds = [(i * chunk_size, min((i + 1) * chunk_size, n_rows)) for i in range(n_chunks)]

    store = None
    results: list[dict[str, np.ndarray] | None] = [None] * n_chunks
    if checkpoint is not None:
        example = {k: v[0] for k, v in grid.columns(0, 1).items()}
        ident = function_identity(fn, example, functools.partial(_row_outputs, fn, mode))
        store = Store(checkpoint, grid, ident, chunk_size)
        store.open(write=lead)
        results = [store.load(i, a, b) for i, (a, b) in enumerate(bounds)]
        if jax.process_count() > 1:  # every process must agree on what is left to compute
            from jax.experimental import multihost_utils

            done = np.array([r is not None for r in results])
            done = np.asarray(multihost_utils.broadcast_one_to_all(done))
            results = [r if d else None for r, d in zip(results, done, strict=True)]

    from tqdm.auto import tqdm

    loaded = [i for i, r in enumerate(results) if r is not None]
    todo = [i for i, r in enumerate(results) if r is None]
    bar = tqdm(
        total=n_rows,
        initial=sum(bounds[i][1] - bounds[i][0] for i in loaded),
        unit="sim",
        desc=f"sweep {getattr(fn, '__name__', 'fn')}",
        disable=not (progress and lead),
        dynamic_ncols=True,
    )
    bar.set_postfix_str(f"chunks {len(loaded)}/{n_chunks}")
    for i in loaded:
        if on_chunk is not None:
            a, b = bounds[i]
            on_chunk(ChunkInfo(i, n_chunks, a, b, False, int(results[i]["failed"].sum())))

    def dispatch(i: int):
        a, b = bounds[i]
        cols = grid.columns(a, b)
        cols = {k: np.concatenate([v, np.repeat(v[-1:], batch - (b - a))]) for k, v in cols.items()}
        arrays = {
            k: jax.make_array_from_callback(v.shape, sharding, lambda idx, v=v: v[idx])
            for k, v in cols.items()
        }
        return _run_chunk(arrays, fn=static_fn, mode=mode, mesh=mesh)

    def finish(i: int, out: Any) -> None:
        a, b = bounds[i]
        arrays = {k: v[: b - a] for k, v in _to_host(out).items()}
        if store is not None and lead:
            store.save(i, a, b, arrays)
        results[i] = arrays
        bar.set_postfix_str(f"chunks {sum(r is not None for r in results)}/{n_chunks}", False)
        bar.update(b - a)
        if on_chunk is not None:
            on_chunk(ChunkInfo(i, n_chunks, a, b, True, int(arrays["failed"].sum())))

    t0 = time.perf_counter()
    try:
        pending = None
        for i in todo:  # dispatch chunk i (asynchronous), then fetch and save chunk i-1
            out = dispatch(i)
            if pending is not None:
                finish(*pending)
            pending = (i, out)
        if pending is not None:
            finish(*pending)
    finally:
        bar.close()
    wall = time.perf_counter() - t0

    names = [k for k in results[0] if k != "failed"]
    outputs = {k: np.concatenate([r[k] for r in results]) for k in names}
    failed = np.concatenate([r["failed"] for r in results]).astype(bool)
    info = {
        "n_rows": n_rows,
        "n_chunks": n_chunks,
        "chunk_size": chunk_size,
        "batch_size": batch,
        "n_devices": n_dev,
        "chunks_computed": len(todo),
        "chunks_loaded": len(loaded),
        "compute_wall_s": wall,
        "checkpoint": None if checkpoint is None else str(checkpoint),
    }
    return SweepResult(grid, grid.columns(0, n_rows), outputs, failed, info)

"""Run a batched (vmapped, jitted) function over equal chunks of its batch, concurrently.

XLA on a CPU runs a vmapped ODE solve of a few hundred elements on one core: its loop body is
a sequence of small kernels, too small to split across threads. :func:`map_chunks` splits the
batch into equal chunks -- padded by repeating the last element, so every chunk has the same
shape and there is one compilation -- and calls the function on the chunks from a thread pool
(JAX releases the GIL while XLA executes), then stitches the outputs back in order. On
accelerators one big batch is better, and the default is a single chunk there.

>>> import jax, jax.numpy as jnp, numpy as np
>>> f = jax.jit(jax.vmap(lambda x: x**2))
>>> map_chunks(f, np.arange(5.0), workers=2).tolist()
[0.0, 1.0, 4.0, 9.0, 16.0]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["cpu_cores", "map_chunks", "n_chunks"]


def cpu_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def n_chunks(n: int, workers: int | None = None, min_chunk: int = 32) -> int:
    """How many chunks :func:`map_chunks` uses for a batch of ``n``.

    ``workers=None``: on the CPU backend, one per core with at least ``min_chunk`` elements
    each; 1 on accelerators. An explicit ``workers`` (int >= 1) is used as given (at most n).
    """
    if workers is None:
        if jax.default_backend() != "cpu":
            return 1
        return max(1, min(cpu_cores(), n // min_chunk))
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise ValueError(f"workers must be an int >= 1 or None, got workers={workers!r}")
    k = max(1, min(int(workers), n))
    return -(-n // -(-n // k))  # no chunk of pure padding: n=5, k=4 -> 3 chunks of 2


def map_chunks(
    fn: Callable[..., Any], *batched: Any, workers: int | None = None, min_chunk: int = 32
) -> Any:
    """``fn(*batched)`` computed chunk by chunk on a thread pool; same result, in order.

    Args:
        fn: a jitted function of arrays that share a leading batch axis; every leaf of its
            output must have that batch axis first. Compiled once (all chunks share a shape).
        batched: the batched inputs (NumPy or JAX arrays, same leading length n).
        workers: number of chunks, see :func:`n_chunks` (default: the CPU cores).
        min_chunk: fewest elements per chunk when ``workers`` is None.

    Returns:
        ``fn``'s output pytree with leaves of leading length n (JAX arrays).
    """
    n = len(batched[0])
    if any(len(b) != n for b in batched):
        lengths = [len(b) for b in batched]
        raise ValueError(f"batched inputs must share their length, got lengths {lengths}")
    k = n_chunks(n, workers, min_chunk)
    if k == 1:
        return fn(*batched)
    size = -(-n // k)
    pad = size * k - n

    def padded(b):
        b = np.asarray(b)
        return np.concatenate([b, np.repeat(b[-1:], pad, axis=0)])

    batched = [padded(b) for b in batched]

    # JAX configuration contexts are thread-local: carry the caller's precision into the pool
    # (other thread-local settings, e.g. a default-device context, are not carried).
    x64 = bool(jax.config.jax_enable_x64)

    def run(i):
        part = slice(i * size, (i + 1) * size)
        with jax.enable_x64(x64):
            return jax.block_until_ready(fn(*(b[part] for b in batched)))

    with ThreadPoolExecutor(k) as pool:
        parts = list(pool.map(run, range(k)))
    # NumPy concatenation: an eager jnp operation would compile a small program per leaf.
    return jax.tree.map(
        lambda *xs: jnp.asarray(np.concatenate([np.asarray(x) for x in xs])[:n]), *parts
    )

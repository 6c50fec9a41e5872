"""map_chunks: chunked, thread-parallel evaluation of a batched function equals one call."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.batching import map_chunks, n_chunks


def test_chunks_equal_one_call_with_padding_and_pytrees():
    calls = []

    @jax.jit
    def f(x, y):
        calls.append(x.shape)  # runs at trace time only: one entry per compilation
        return {"sum": x + y[:, 0], "pair": jnp.stack([x, 2 * x], axis=1)}

    x = np.linspace(0.0, 1.0, 7)
    y = np.arange(14.0).reshape(7, 2)
    whole = f(x, y)
    for workers in (1, 2, 3, 7):
        out = map_chunks(f, x, y, workers=workers)
        for key in whole:
            np.testing.assert_array_equal(np.asarray(out[key]), np.asarray(whole[key]))
    # 7 in 3 chunks of 3 (padded with the last element): one compile per distinct chunk size
    assert calls.count((3,)) == 1


def test_chunk_counts_and_errors():
    assert n_chunks(10, workers=4) == 4 and n_chunks(3, workers=8) == 3
    assert n_chunks(5, workers=4) == 3  # chunks of 2: a 4th chunk would be pure padding
    assert n_chunks(10, workers=np.int64(2)) == 2
    if jax.default_backend() == "cpu":
        assert 1 <= n_chunks(1000) <= 1000 // 32 and n_chunks(40, min_chunk=32) == 1
    with pytest.raises(ValueError, match="workers must be an int >= 1"):
        n_chunks(10, workers=0)
    with pytest.raises(ValueError, match="share their length"):
        map_chunks(lambda a, b: a, np.zeros(3), np.zeros(4), workers=2)


def test_worker_threads_inherit_the_callers_precision():
    f = jax.jit(jax.vmap(lambda x: x * 1.0))
    x = np.ones(4, dtype=np.float32)
    with jax.enable_x64(False):
        assert map_chunks(f, x, workers=2).dtype == jnp.float32
    with jax.enable_x64(True):
        assert map_chunks(f, x.astype(np.float64), workers=2).dtype == jnp.float64

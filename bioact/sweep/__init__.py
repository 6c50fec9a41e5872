"""Sweeps at scale: one pure function over a parameter grid, on any number of devices.

:func:`sweep` evaluates ``fn(**row)`` for every row of a :class:`Grid` -- a Cartesian
product of named axes or an explicit table of rows -- in chunks. Each chunk is one
``jax.vmap`` call split across ``jax.devices()`` (a ``NamedSharding`` over a 1-D mesh and
``jax.shard_map``),
so the same code runs on a laptop CPU, one GPU, several GPUs, or several hosts after
``jax.distributed.initialize()``. Finished chunks are written atomically to a checkpoint
directory and a rerun resumes from them; a tqdm bar shows progress; rows whose solve
failed are flagged in a ``failed`` column instead of aborting the sweep.

>>> import bioact.sweep as bs
>>> res = bs.sweep(lambda k, n: k**n / (1 + k**n), {"k": [0.5, 2.0], "n": [1.0, 2.0]},
...                progress=False)
>>> res["value"].round(3).tolist()
[0.333, 0.2, 0.667, 0.8]
"""

from bioact.sweep._grid import Grid
from bioact.sweep._run import ChunkInfo, sweep
from bioact.sweep._table import SweepResult

__all__ = ["ChunkInfo", "Grid", "SweepResult", "sweep"]

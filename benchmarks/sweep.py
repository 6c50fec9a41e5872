"""Throughput of ``bioact.sweep.sweep`` vs the bare vmapped function, and 1 vs 2 devices.

    PYTHONPATH=$PWD python benchmarks/sweep.py [--model hill3] [--n 10000] [--repeats 5]

Prints medians (over ``--repeats`` runs, after one warm-up run that compiles) of:

* ``bare``: ``jax.jit(jax.vmap(fn))`` over the whole grid in one call (the baseline);
* ``bare-chunked``: the same jitted function called on the same padded chunks, in a plain loop
  (isolates the sweep machinery: sharding, bookkeeping, progress, checkpoint I/O);
* ``sweep``: chunked (``--chunk``) and sharded, no checkpoint;
* ``sweep+ckpt``: the same, writing every chunk to a fresh checkpoint directory;
* ``resume``: rerunning on the finished checkpoint (everything loaded, nothing computed);
* 1 vs 2 forced host devices (``XLA_FLAGS=--xla_force_host_platform_device_count=2``, in a
  subprocess), both measured in that subprocess.

and the ratios (sweep / bare-chunked - 1 is the machinery's overhead; the target is < 10%).
Timings on a shared machine are noisy: compare ratios of figures measured in the same run.

The model is a parameter (``--model``): ``MODELS`` maps a name to ``(fn, grid)``. ``hill3``
is a 3-state Hill-kinetics cascade (an incoherent feed-forward loop: X activates Y and Z,
Y represses Z), swept over the repression threshold K_yz x Hill coefficient n; the
quantity is the pulse amplitude max_t z(t). Add the neuron/circuit presets here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

import bioact
from bioact.activations import hill, hill_repression
from bioact.sweep import Grid, sweep


class Hill3(bioact.AbstractModel):
    """dx/dt = s(t) - x; dy/dt = hill(x; K_xy, n) - y; dz/dt = hill(x) hill_rep(y; K_yz, n) - z."""

    k_xy: jax.Array = eqx.field(converter=jnp.asarray, default=0.5)
    k_yz: jax.Array = eqx.field(converter=jnp.asarray, default=0.5)
    n: jax.Array = eqx.field(converter=jnp.asarray, default=2.0)
    state_names = ("x", "y", "z")

    def vector_field(self, t, y, stimulus):
        x, yy, z = y
        ax = hill(x, self.k_xy, self.n)
        return jnp.stack(
            [stimulus(t) - x, ax - yy, ax * hill_repression(yy, self.k_yz, self.n) - z]
        )

    def initial_state(self):
        return jnp.zeros(3)


def hill3_pulse(k_yz, n):
    """Pulse amplitude max_t z(t) after a unit step of input at t = 0 (30 time units)."""
    traj = bioact.simulate(
        Hill3(k_yz=k_yz, n=n),
        30.0,
        stimulus=1.0,
        ts=jnp.linspace(0.0, 30.0, 301),
        rtol=1e-6,
        atol=1e-8,
        throw=False,
    )
    return {"pulse": jnp.max(traj["z"]), "success": traj.success}


def hill3_grid(n_points: int) -> Grid:
    side = max(1, round(n_points**0.5))
    return Grid.product(k_yz=np.geomspace(0.05, 2.0, side), n=np.linspace(1.0, 4.0, side))


MODELS = {"hill3": (hill3_pulse, hill3_grid)}


def timed(f, repeats: int) -> tuple[float, list[float]]:
    f()  # warm-up: compiles
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def interleaved(variants: dict, repeats: int) -> dict[str, float]:
    """Median time of each variant; one warm-up each, then repeats interleaved (less drift)."""
    for f in variants.values():
        f()
    times: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(repeats):
        for key, f in variants.items():
            t0 = time.perf_counter()
            f()
            times[key].append(time.perf_counter() - t0)
    out = {k: statistics.median(v) for k, v in times.items()}
    if "bare-chunked" in times:  # paired ratios, repeat by repeat: robust to slow drift
        for key in times:
            pairs = zip(times[key], times["bare-chunked"], strict=True)
            out[f"{key}/chunked"] = statistics.median(a / b for a, b in pairs)
    return out


def measure(model: str, n: int, chunk: int, repeats: int) -> dict[str, float]:
    fn, make_grid = MODELS[model]
    grid = make_grid(n)
    n_rows = len(grid)
    cols = {k: jnp.asarray(v) for k, v in grid.columns(0, n_rows).items()}
    bare_fn = jax.jit(jax.vmap(fn))
    chunk = min(chunk, n_rows)

    def bare_chunked():  # the same chunks, padded alike, with no sweep machinery
        for a in range(0, n_rows, chunk):
            part = grid.columns(a, min(a + chunk, n_rows))
            pad = chunk - len(next(iter(part.values())))
            part = {k: np.concatenate([v, np.repeat(v[-1:], pad)]) for k, v in part.items()}
            jax.tree.map(np.asarray, bare_fn(**part))

    tmp = tempfile.TemporaryDirectory()
    runs = iter(range(10**6))
    variants = {
        "bare": lambda: jax.block_until_ready(bare_fn(**cols)),
        "bare-chunked": bare_chunked,
        "sweep": lambda: sweep(fn, grid, chunk_size=chunk, progress=False),
        "sweep+ckpt": lambda: sweep(
            fn, grid, chunk_size=chunk, checkpoint=Path(tmp.name) / str(next(runs)), progress=False
        ),
        "resume": lambda: sweep(
            fn, grid, chunk_size=chunk, checkpoint=Path(tmp.name) / "0", progress=False
        ),
    }
    with tmp:
        out = interleaved(variants, repeats)
    return {"n_rows": n_rows, **out}


DEVICES_SCRIPT = """
import sys, jax
sys.path.insert(0, {root!r})
from benchmarks.sweep import MODELS, timed
from bioact.sweep import sweep
fn, make_grid = MODELS[{model!r}]
grid = make_grid({n})
for k in (1, 2):
    t, _ = timed(lambda: sweep(fn, grid, chunk_size={chunk}, devices=jax.devices()[:k],
                               progress=False), {repeats})
    print(f"DEVICES {{k}} {{t}}")
"""


def measure_devices(model: str, n: int, chunk: int, repeats: int) -> dict[int, float]:
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": root,
        "JAX_PLATFORMS": "cpu",
        "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
    }
    code = DEVICES_SCRIPT.format(root=root, model=model, n=n, chunk=chunk, repeats=repeats)
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    lines = [ln.split() for ln in proc.stdout.splitlines() if ln.startswith("DEVICES")]
    return {int(k): float(t) for _, k, t in lines}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="hill3")
    parser.add_argument("--n", type=int, default=10_000, help="grid points (default 10000)")
    parser.add_argument("--chunk", type=int, default=1024, help="sweep chunk size")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-devices", action="store_true", help="skip the 1 vs 2 devices run")
    args = parser.parse_args(argv)

    r = measure(args.model, args.n, args.chunk, args.repeats)
    n = r["n_rows"]
    print(f"model={args.model} rows={n} chunk={args.chunk} repeats={args.repeats} "
          f"backend={jax.default_backend()} devices={len(jax.devices())}")  # fmt: skip
    print(f"{'variant':<12} {'median s':>10} {'sims/s':>12} {'/ bare':>8}")
    for key in ("bare", "bare-chunked", "sweep", "sweep+ckpt", "resume"):
        print(f"{key:<12} {r[key]:>10.4f} {n / r[key]:>12.0f} {r[key] / r['bare']:>8.3f}")
    print(f"sweep vs one bare vmap over all rows: {100 * (r['sweep'] / r['bare'] - 1):+.1f}%")
    print("median of paired (same-repeat) ratios to bare-chunked, i.e. the machinery overhead:")
    print(f"  sweep                {100 * (r['sweep/chunked'] - 1):+.1f}%")
    print(f"  sweep + checkpoint   {100 * (r['sweep+ckpt/chunked'] - 1):+.1f}%")
    if not args.no_devices:
        d = measure_devices(args.model, args.n, args.chunk, args.repeats)
        print("forced host devices (subprocess, sweep without checkpoint):")
        for k, t in sorted(d.items()):
            print(f"  {k} device(s): {t:.4f} s  {n / t:.0f} sims/s")
        print(
            f"  speed-up 2 vs 1 device: {d[1] / d[2]:.2f}x (CPU cores available: {os.cpu_count()})"
        )


if __name__ == "__main__":
    main()

"""Benchmark: Hodgkin-Huxley f-I curve, 201 currents x 1000 ms (0-20 uA/cm^2), in one run.

Compares, on the same machine in the same process:
  * bioact.neuron.fi_curve (defaults: unrolled Bosh3, rtol = atol = 3e-4, on-the-fly spike
    observer, vmapped, chunks on all cores), and with workers=1 (one core, like the scan);
  * a plain hand-written jax.lax.scan fixed-step RK4 (dt = 0.01 ms) with the same spike protocol;
  * scipy.integrate.solve_ivp (LSODA, rtol 1e-6) one current at a time (a subset, extrapolated);
and prints time ratios (medians of --repeats runs), accuracy (max |rate - reference| over all
currents; reference = bioact with rtol = atol = 1e-10, unrolled Tsit5), first-call time
including compilation (median over fresh subprocesses), and peak memory for 1000 currents
(fresh subprocess, ru_maxrss).

    PYTHONPATH=. python benchmarks/fi_curve.py [--repeats 3] [--scipy-subset 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

import bioact.neuron as bn
from bioact.stimuli import Constant

DURATION, TRANSIENT, DT = 1000.0, 200.0, 0.01


def rk4_fi(model, currents):
    """Plain fixed-step RK4 in lax.scan, vmapped over currents; same spike protocol."""
    y0 = model.initial_state()
    nsteps = int(round(DURATION / DT))
    f = jax.vmap(lambda y, i: model.vector_field(0.0, y, Constant(i)))

    @jax.jit
    def run(currents):
        n = currents.shape[0]
        carry = (
            jnp.broadcast_to(y0, (n, y0.size)),
            jnp.zeros(n),
            jnp.ones(n),
            -jnp.ones(n),
            -jnp.ones(n),
        )

        def body(c, k):
            y, cnt, armed, tf, tl = c
            k1 = f(y, currents)
            k2 = f(y + DT / 2 * k1, currents)
            k3 = f(y + DT / 2 * k2, currents)
            k4 = f(y + DT * k3, currents)
            y1 = y + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            t0 = k * DT
            v0, v1 = y[:, 0], y1[:, 0]
            cross = (armed > 0.5) & (v0 < 0) & (v1 >= 0)
            ts = t0 - v0 * DT / jnp.where(cross, v1 - v0, 1.0)
            win = cross & (ts >= TRANSIENT)
            tf = jnp.where(win & (cnt == 0), ts, tf)
            tl = jnp.where(win, ts, tl)
            cnt = cnt + win
            armed = jnp.where(cross, 0.0, jnp.where(v1 < -10.0, 1.0, armed))
            return (y1, cnt, armed, tf, tl), None

        (y, cnt, _, tf, tl), _ = jax.lax.scan(body, carry, jnp.arange(nsteps))
        return jnp.where(cnt >= 2, 1000.0 * (cnt - 1) / jnp.where(cnt >= 2, tl - tf, 1.0), 0.0)

    return run


def scipy_fi(model, current):
    from scipy.integrate import solve_ivp

    f = jax.jit(lambda y: model.vector_field(0.0, y, Constant(current)))

    def up(t, y):
        return y[0]

    up.direction = 1.0
    sol = solve_ivp(
        lambda t, y: np.asarray(f(jnp.asarray(y))),
        (0.0, DURATION),
        np.asarray(model.initial_state()),
        method="LSODA",
        rtol=1e-6,
        atol=1e-6,
        events=up,
    )
    st = sol.t_events[0]
    st = st[st >= TRANSIENT]
    return 1000.0 * (st.size - 1) / (st[-1] - st[0]) if st.size >= 2 else 0.0


def timed(fn, repeats):
    out, times = None, []
    for _ in range(repeats):
        t = time.perf_counter()
        out = jax.block_until_ready(fn())
        times.append(time.perf_counter() - t)
    return out, statistics.median(times)


def child(mode: str, n: int) -> None:
    """Fresh-process measurements: first call incl. compile, or peak memory for n currents."""
    model = bn.HodgkinHuxley()
    currents = np.linspace(0.0, 20.0, n)
    t = time.perf_counter()
    res = bn.fi_curve(model, currents)
    jax.block_until_ready(res.rate_hz)
    wall = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall_s": wall, "peak_rss_mb": rss_mb, "ok": bool(res.success.all())}))


def fresh(mode: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--n", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--scipy-subset", type=int, default=5)
    p.add_argument("--child", default=None)
    p.add_argument("--n", type=int, default=201)
    args = p.parse_args()
    if args.child:
        child(args.child, args.n)
        return
    model = bn.HodgkinHuxley()
    currents = jnp.linspace(0.0, 20.0, 201)
    ref = np.asarray(bn.fi_curve(model, currents, rtol=1e-10, atol=1e-10, max_steps=10**6).rate_hz)

    bn.fi_curve(model, currents)  # compile
    res, t_bio = timed(lambda: bn.fi_curve(model, currents).rate_hz, args.repeats)
    # like for like with the single-threaded RK4 scan: one vmapped batch on one core
    _, t_bio1 = timed(lambda: bn.fi_curve(model, currents, workers=1).rate_hz, args.repeats)
    rk4 = rk4_fi(model, currents)
    rk4(currents)  # compile
    rates_rk4, t_rk4 = timed(lambda: rk4(currents), args.repeats)

    sub = np.linspace(0.0, 20.0, args.scipy_subset)
    t = time.perf_counter()
    rates_sp = np.array([scipy_fi(model, float(c)) for c in sub])
    t_sp = (time.perf_counter() - t) / sub.size * currents.size
    ref_sub = np.interp(sub, np.asarray(currents), ref)

    firsts = sorted(fresh("first", 201)["wall_s"] for _ in range(args.repeats))
    mem = fresh("memory", 1000)
    err_bio = float(np.max(np.abs(np.asarray(res) - ref)))
    err_rk4 = float(np.max(np.abs(np.asarray(rates_rk4) - ref)))
    err_sp = float(np.max(np.abs(rates_sp - ref_sub)))
    print(f"HH f-I, 201 currents x {DURATION:.0f} ms, medians of {args.repeats} runs")
    print(f"  bioact fi_curve (defaults)         : {t_bio:8.2f} s   max |err| {err_bio:.3f} Hz")
    print(f"  bioact fi_curve (workers=1)        : {t_bio1:8.2f} s   (one core, like the scan)")
    print(f"  lax.scan RK4 dt=0.01 ms            : {t_rk4:8.2f} s   max |err| {err_rk4:.3f} Hz")
    print(f"  scipy LSODA loop (from {sub.size}): {t_sp:8.2f} s   max |err| {err_sp:.3f} Hz")
    print(
        f"  ratio bioact / RK4 scan   : {t_bio / t_rk4:.3f} (workers=1: {t_bio1 / t_rk4:.3f}; "
        "target <= 0.5)"
    )
    print(f"  speed-up vs scipy loop    : {t_sp / t_bio:.0f}x  (target >= 100x)")
    print(
        f"  first call incl. compile  : {statistics.median(firsts):.2f} s (median of "
        f"{len(firsts)} fresh processes, range {firsts[0]:.2f}-{firsts[-1]:.2f}; target < 3 s)"
    )
    print(f"  1000 currents: {mem['wall_s']:.2f} s, peak RSS {mem['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()

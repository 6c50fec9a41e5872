"""Throughput of a 10,000-point I1-FFL parameter sweep: bioact (vmap) vs scipy vs libroadrunner.

Workload (issue 5): I1-FFL, AND logic, K_xy, K_xz, K_yz log-uniform in [0.05, 1], n uniform in
[1, 4] (one n for all three edges), x_total = beta = alpha = 1; step ON at t = 0 from Y = Z = 0;
t in [0, 20], 201 saved points, rtol 1e-6 (atol 1e-9) for every tool.

* bioact: one ``jax.jit(jax.vmap(...))`` over all parameter sets (Tsit5 + PID), compile time
  reported separately; throughput = median of ``--repeats`` runs.
* scipy: ``solve_ivp(method="LSODA")`` in a Python loop over a subset, extrapolated.
* libroadrunner (``pip install 'bioact[bench]'``): bioact's own SBML export loaded once,
  then the usual loop -- reset, set the 4 parameters, simulate(0, 20, 201) -- over a subset.

Prints simulations/s, the ratios, and the max |Z| difference of each tool against bioact on
the shared subset. Timings on a shared machine are noisy: compare the ratios.

    python benchmarks/ffl_sweep.py [--n 10000] [--n-loop 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import solve_ivp

import bioact  # noqa: F401  (float64)
from bioact.circuits import FFL, run_protocol, step_on
from bioact.circuits.sbml import to_sbml

T_END, N_SAVE, RTOL, ATOL = 20.0, 201, 1e-6, 1e-9


def draw(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    logu = lambda: np.exp(rng.uniform(np.log(0.05), np.log(1.0), n))  # noqa: E731
    return {"k_xy": logu(), "k_xz": logu(), "k_yz": logu(), "n": rng.uniform(1.0, 4.0, n)}


SOLVERS = {"tsit5": diffrax.Tsit5, "dopri5": diffrax.Dopri5}


def bioact_sweep(solver: str):
    def z_of(k_xy, k_xz, k_yz, n):
        model = FFL("i1", "and", k_xy=k_xy, k_xz=k_xz, k_yz=k_yz, n_xy=n, n_xz=n, n_yz=n)
        res = run_protocol(model, "on", t_end=T_END, n_points=N_SAVE, rtol=RTOL, atol=ATOL,
                           solver=SOLVERS[solver]())  # fmt: skip
        return res.traj["z"], res.traj.success

    return jax.jit(jax.vmap(z_of))


def scipy_one(k_xy, k_xz, k_yz, n, ts):
    def rhs(t, s):
        y, z = s
        fy = 1.0 / (1.0 + (k_xy / 1.0) ** n)
        fxz = 1.0 / (1.0 + (k_xz / 1.0) ** n)
        fyz = 1.0 / (1.0 + (max(y, 0.0) / k_yz) ** n)
        return [fy - y, fxz * fyz - z]

    sol = solve_ivp(rhs, (0.0, T_END), [0.0, 0.0], method="LSODA", t_eval=ts, rtol=RTOL, atol=ATOL)
    return sol.y[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--n-loop", type=int, default=300, help="subset size for the Python loops")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--solver", choices=tuple(SOLVERS), default="tsit5",
                    help="bioact's RK solver (tsit5 = the library default)")  # fmt: skip
    args = ap.parse_args()
    p = draw(args.n)
    ts = np.linspace(0.0, T_END, N_SAVE)
    cols = [jnp.asarray(p[k]) for k in ("k_xy", "k_xz", "k_yz", "n")]
    sub = np.arange(min(args.n_loop, args.n))

    fn = bioact_sweep(args.solver)
    t0 = time.perf_counter()
    z_b, ok = fn(*cols)
    z_b.block_until_ready()
    first = time.perf_counter() - t0
    runs = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        z_b, ok = fn(*cols)
        z_b.block_until_ready()
        runs.append(time.perf_counter() - t0)
    t_b = statistics.median(runs)
    z_b = np.asarray(z_b)
    rate_b = args.n / t_b
    print(f"jax backend: {jax.default_backend()}, devices: {jax.devices()}")
    n_fail = int((~np.asarray(ok)).sum())
    print(f"bioact vmap ({args.solver}): {args.n} sims in {t_b:.3f} s (median of {args.repeats}) "
          f"-> {rate_b:,.0f} sims/s; compile {first - t_b:.2f} s; failures {n_fail}")  # fmt: skip

    rates_s, z_s = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        z_s = [scipy_one(*(float(p[k][i]) for k in ("k_xy", "k_xz", "k_yz", "n")), ts) for i in sub]
        rates_s.append(len(sub) / (time.perf_counter() - t0))
    rate_s = statistics.median(rates_s)
    dz_s = float(np.max(np.abs(np.array(z_s) - z_b[sub])))
    print(f"scipy LSODA : {rate_s:,.0f} sims/s (loop over {len(sub)}, extrapolated); "
          f"max |Z - Z_bioact| = {dz_s:.2e}")  # fmt: skip

    try:
        import roadrunner
    except ImportError:
        roadrunner = None
        print("libroadrunner: not installed (pip install 'bioact[bench]'); skipped")
    if roadrunner is not None:
        rr = roadrunner.RoadRunner(to_sbml(FFL("i1", "and"), stimulus=step_on()))
        integ = rr.getIntegrator()
        integ.setValue("relative_tolerance", RTOL)
        integ.setValue("absolute_tolerance", ATOL)
        rr.timeCourseSelections = ["time", "Z"]
        rates_r, z_r = [], []
        for _ in range(args.repeats):
            z_r = []
            t0 = time.perf_counter()
            for i in sub:
                rr.reset()
                rr["k_xy"], rr["k_xz"], rr["k_yz"] = p["k_xy"][i], p["k_xz"][i], p["k_yz"][i]
                rr["n_xy"] = rr["n_xz"] = rr["n_yz"] = p["n"][i]
                z_r.append(rr.simulate(0.0, T_END, N_SAVE)[:, 1])
            rates_r.append(len(sub) / (time.perf_counter() - t0))
        rate_r = statistics.median(rates_r)
        dz_r = float(np.max(np.abs(np.array(z_r) - z_b[sub])))
        print(f"roadrunner  : {rate_r:,.0f} sims/s (loop over {len(sub)}, extrapolated); "
              f"max |Z - Z_bioact| = {dz_r:.2e}; version {roadrunner.__version__}")  # fmt: skip
        print(f"ratio bioact/roadrunner: {rate_b / rate_r:.1f}x (target >= 30x at max dZ <= 1e-5)")
    print(f"ratio bioact/scipy LSODA: {rate_b / rate_s:.1f}x")


if __name__ == "__main__":
    main()

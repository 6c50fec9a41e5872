"""Throughput of a 10,000-point I1-FFL parameter sweep: bioact (vmap) vs scipy vs libroadrunner.

Workload (issue 5): I1-FFL, AND logic, K_xy, K_xz, K_yz log-uniform in [0.05, 1], n uniform in
[1, 4] (one n for all three edges), x_total = beta = alpha = 1; step ON at t = 0 from Y = Z = 0;
t in [0, 20], 201 saved points, rtol 1e-6 (atol 1e-9) for every tool.

* bioact: one ``jax.jit(jax.vmap(run_protocol))`` over all parameter sets (library defaults:
  Tsit5 with unrolled stages + I controller, step capped at span / 40), run in equal chunks
  on a thread pool (``bioact.batching.map_chunks``, one chunk per core; "one core" is the
  single vmapped batch), in float64 and in float32 (traced under
  ``jax.enable_x64(False)``), at rtol 1e-6 and 5e-7; float64 without the step cap
  (``dtmax=inf``) shows what the cap buys; "Z(t_end) only" (the same solves saving one point)
  is the ceiling if saving 201 points were free; "PI rtol 3e-6" uses a PI controller
  (``pid={"pcoeff": 0.3, "icoeff": 0.3}``), 4x more accurate per step than the default.
  Compile time = first call minus the median.
* scipy: ``solve_ivp(method="LSODA")`` in a Python loop over a subset, extrapolated.
* libroadrunner (``pip install 'bioact[bench]'``): bioact's own SBML export loaded once,
  then the usual loop -- reset, set the 4 parameters, simulate(0, 20, 201) -- over a subset.
* reference: bioact ``Dopri8`` at rtol 1e-12, atol 1e-14 over all parameter sets, checked
  against scipy ``DOP853`` (same tolerances, independent code) on the subset; every tool's
  max |Z - Z_ref| is printed, and each tool's max |Z| difference to roadrunner.

All timings are interleaved round-robin (``--repeats`` rounds) and reported as medians; on a
shared machine compare the RATIOS, which are measured under the same load. Throughput is
given per wall second and per CPU second (XLA may use both cores; roadrunner uses one).

    python benchmarks/ffl_sweep.py [--n 10000] [--n-loop 300] [--repeats 5]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
from scipy.integrate import solve_ivp

import bioact  # (float64)
from bioact.batching import map_chunks
from bioact.circuits import FFL, run_protocol, step_on
from bioact.circuits.protocols import MIN_STEPS
from bioact.circuits.sbml import to_sbml
from bioact.solve import make_controller

T_END, N_SAVE, RTOL, ATOL = 20.0, 201, 1e-6, 1e-9
KEYS = ("k_xy", "k_xz", "k_yz", "n")
PI = {"pcoeff": 0.3, "icoeff": 0.3}  # run_protocol(pid=...): a PI step-size controller


def draw(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    logu = lambda: np.exp(rng.uniform(np.log(0.05), np.log(1.0), n))  # noqa: E731
    return {"k_xy": logu(), "k_xz": logu(), "k_yz": logu(), "n": rng.uniform(1.0, 4.0, n)}


def bioact_sweep(p: dict[str, np.ndarray], x64: bool = True, workers=None, **options):
    """A no-argument callable running the whole sweep; returns Z, shape (n, 201), as numpy.

    ``options`` go to :func:`run_protocol` (default rtol/atol: the benchmark's). The vmapped,
    jitted sweep runs through :func:`bioact.batching.map_chunks`: ``workers`` equal chunks
    on a thread pool (default: one per CPU core; ``workers=1`` is one batch).
    """
    options = {"rtol": RTOL, "atol": ATOL, **options}

    def z_of(k_xy, k_xz, k_yz, n):
        model = FFL("i1", "and", k_xy=k_xy, k_xz=k_xz, k_yz=k_yz, n_xy=n, n_xz=n, n_yz=n)
        res = run_protocol(model, "on", t_end=T_END, n_points=N_SAVE, **options)
        return res.traj["z"], res.traj.success

    fn = jax.jit(jax.vmap(z_of))
    cols = [p[k].astype(np.float64 if x64 else np.float32) for k in KEYS]

    def run():
        with jax.enable_x64(x64):
            z, ok = map_chunks(fn, *cols, workers=workers)
        if not bool(np.all(np.asarray(ok))):
            raise RuntimeError(f"{int((~np.asarray(ok)).sum())} bioact solves failed")
        return np.asarray(z, dtype=np.float64)

    return run


def bioact_final_only(p: dict[str, np.ndarray]):
    """The same solves (f64, capped) saving only Z(t_end): the ceiling when saving is free."""

    def z_of(k_xy, k_xz, k_yz, n):
        model = FFL("i1", "and", k_xy=k_xy, k_xz=k_xz, k_yz=k_yz, n_xy=n, n_xz=n, n_yz=n)
        ctrl = make_controller(RTOL, ATOL, dtmax=T_END / MIN_STEPS)
        traj = bioact.simulate(
            model, T_END, stimulus=step_on(), saveat=diffrax.SaveAt(t1=True),
            stepsize_controller=ctrl,
        )  # fmt: skip
        return jnp.broadcast_to(traj["z"][-1], (N_SAVE,)), traj.success

    fn = jax.jit(jax.vmap(z_of))
    cols = [p[k] for k in KEYS]

    def run():
        z, ok = map_chunks(fn, *cols)
        return np.asarray(z)

    return run


def rhs_of(k_xy, k_xz, k_yz, n):
    """I1-FFL AND at X* = 1 in plain Python: X activates Y and Z, Y represses Z."""
    fy = 1.0 / (1.0 + k_xy**n)  # 1^n / (K^n + 1^n)
    fxz = 1.0 / (1.0 + k_xz**n)

    def rhs(t, s):
        y, z = s
        fyz = 1.0 / (1.0 + (max(y, 0.0) / k_yz) ** n)
        return [fy - y, fxz * fyz - z]

    return rhs


def scipy_z(pars, ts, method="LSODA", rtol=RTOL, atol=ATOL):
    sol = solve_ivp(rhs_of(*pars), (0.0, T_END), [0.0, 0.0], method=method, t_eval=ts,
                    rtol=rtol, atol=atol)  # fmt: skip
    return sol.y[1]


def roadrunner_loop():
    """A callable(param subset) -> Z via libroadrunner, or None when it is not installed."""
    try:
        import roadrunner
    except ImportError:
        return None, None
    rr = roadrunner.RoadRunner(to_sbml(FFL("i1", "and"), stimulus=step_on()))
    integ = rr.getIntegrator()
    integ.setValue("relative_tolerance", RTOL)
    integ.setValue("absolute_tolerance", ATOL)
    rr.timeCourseSelections = ["time", "Z"]

    def run(rows):
        z = []
        for k_xy, k_xz, k_yz, n in rows:
            rr.reset()
            rr["k_xy"], rr["k_xz"], rr["k_yz"] = k_xy, k_xz, k_yz
            rr["n_xy"] = rr["n_xz"] = rr["n_yz"] = n
            z.append(rr.simulate(0.0, T_END, N_SAVE)[:, 1])
        return np.array(z)

    return run, roadrunner.__version__


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--n-loop", type=int, default=300, help="subset size for the Python loops")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    p = draw(args.n)
    ts = np.linspace(0.0, T_END, N_SAVE)
    sub = np.arange(min(args.n_loop, args.n))
    rows = [tuple(float(p[k][i]) for k in KEYS) for i in sub]
    print(f"jax {jax.__version__}, backend {jax.default_backend()}; n = {args.n}, "
          f"loops over {len(sub)} (extrapolated), {args.repeats} interleaved rounds")  # fmt: skip

    # reference for all n: bioact Dopri8 at rtol 1e-12, itself checked against scipy DOP853
    z_ref = bioact_sweep(p, rtol=1e-12, atol=1e-14, solver=diffrax.Dopri8())()
    z_dop = np.array([scipy_z(r, ts, "DOP853", 1e-12, 1e-14) for r in rows])
    print(f"reference: bioact Dopri8 rtol 1e-12 over all {args.n}; vs scipy DOP853 rtol 1e-12 "
          f"on the subset: max |dZ| = {np.max(np.abs(z_ref[sub] - z_dop)):.1e}")  # fmt: skip
    tools = {
        "bioact f64": bioact_sweep(p, x64=True),
        "bioact f64 one core": bioact_sweep(p, x64=True, workers=1),
        "bioact f32": bioact_sweep(p, x64=False),
        "bioact f64 uncapped": bioact_sweep(p, x64=True, dtmax=math.inf),
        f"bioact f64 rtol {RTOL / 2:g}": bioact_sweep(p, x64=True, rtol=RTOL / 2),
        "bioact f64 PI rtol 3e-6": bioact_sweep(p, x64=True, rtol=3e-6, pid=PI),
        "bioact f32 PI rtol 3e-6": bioact_sweep(p, x64=False, rtol=3e-6, pid=PI),
        "bioact f64 Z(t_end) only": bioact_final_only(p),
    }
    sizes = dict.fromkeys(tools, args.n)
    compile_s, z = {}, {}
    for name, run in tools.items():
        t0 = time.perf_counter()
        z[name] = run()
        compile_s[name] = time.perf_counter() - t0
    tools["scipy LSODA"] = lambda: np.array([scipy_z(r, ts) for r in rows])
    sizes["scipy LSODA"] = len(sub)
    rr_run, rr_version = roadrunner_loop()
    if rr_run is None:
        print("libroadrunner: not installed (pip install 'bioact[bench]'); skipped")
    else:
        tools[f"roadrunner {rr_version}"] = lambda: rr_run(rows)
        sizes[f"roadrunner {rr_version}"] = len(sub)

    times = {name: [] for name in tools}
    cpu = {name: [] for name in tools}
    for _ in range(args.repeats):
        for name, run in tools.items():
            t0, c0 = time.perf_counter(), time.process_time()
            out = run()
            times[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            z.setdefault(name, out)
    rate = {name: sizes[name] / statistics.median(t) for name, t in times.items()}
    rate_cpu = {name: sizes[name] / statistics.median(t) for name, t in cpu.items()}
    for name in tools:
        comp = compile_s.get(name)
        extra = f"; compile {comp - sizes[name] / rate[name]:.2f} s" if comp is not None else ""
        full = len(z[name]) == args.n
        err = float(np.max(np.abs(z[name] - (z_ref if full else z_ref[sub]))))
        err_s = "n/a" if "only" in name else f"{err:.2e} (over {'all' if full else 'subset'})"
        print(f"{name:26s} {rate[name]:>8,.0f} sims/s ({rate_cpu[name]:>7,.0f} per CPU-s)"
              f"{extra}; max |Z - Z_ref| = {err_s}")  # fmt: skip

    def on_sub(a):
        return a[sub] if len(a) == args.n else a

    base = next((n for n in tools if n.startswith("roadrunner")), "scipy LSODA")
    print(f"ratios vs {base}, wall (CPU time) (target: bioact >= 30x roadrunner, dZ <= 1e-5):")
    for name in tools:
        ratio = f"{rate[name] / rate[base]:6.1f}x ({rate_cpu[name] / rate_cpu[base]:5.1f}x)"
        if name != base and "only" not in name:
            dz = float(np.max(np.abs(on_sub(z[name]) - on_sub(z[base]))))
            print(f"  {name:26s} {ratio}   max |Z - Z_{base.split()[0]}| = {dz:.2e}")  # fmt: skip
        elif name != base:
            print(f"  {name:26s} {ratio}   (f64 ceiling: saving costs nothing)")


if __name__ == "__main__":
    main()

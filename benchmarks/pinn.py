"""PINN accuracy and speed: poisson_sin cold-start target, every preset vs its reference,
ReLU vs tanh.

    PYTHONPATH=$PWD python benchmarks/pinn.py            # everything (~3-5 min on 2 cores)
    PYTHONPATH=$PWD python benchmarks/pinn.py --quick    # skip the multi-scale preset

1. ``poisson_sin`` with default settings in ``--repeats`` fresh processes (cold: import,
   reference, JIT compile, training, dense evaluation all counted): median total wall time
   and rel L2 against the targets (rel L2 <= 1e-6, total < 10 s), compile vs run split.
2. Every preset with its preset settings: time-to-accuracy (compile + run until rel L2 first
   reaches 1e-3 ... 1e-6), compile and run time, final error, next to the Chebyshev
   (linear) or solve_bvp (nonlinear) reference's error against the exact solution and time.
3. ReLU (allow_nonsmooth) vs tanh on poisson_sin, same seed.

Timings on a shared machine are noisy: the load average is printed, and the speed claims are
given as ratios measured in the same run (PINN / Chebyshev time, compile / run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_COLD = """
import time
t0 = time.perf_counter()
import json, bioact
from bioact.pinn import load_problem, train
t1 = time.perf_counter()
r = train(load_problem("poisson_sin")[0])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "train_s": t2 - t1, "total_s": t2 - t0, **r.metrics,
                  "tta": {str(k): v for k, v in r.time_to_accuracy().items()}}))
"""


def cold_poisson(repeats: int) -> None:
    rows = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _COLD],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["process_s"] = time.perf_counter() - start
        row["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        rows.append(row)
    med = {
        k: statistics.median(r[k] for r in rows)
        for k in ("process_s", "cpu_s", "total_s", "import_s", "compile_s", "run_s", "rel_l2")
    }
    print(f"\n[1] poisson_sin, default settings, {repeats} cold processes (medians)")
    print(
        f"    process wall {med['process_s']:.2f} s = import {med['import_s']:.2f} s + "
        f"compile {med['compile_s']:.2f} s + run {med['run_s']:.2f} s + rest"
    )
    print(
        f"    process CPU time (user + sys) {med['cpu_s']:.2f} s: what the wall time would be "
        "on an otherwise idle machine if nothing ran in parallel (an upper bound there)"
    )
    print(
        f"    in-process total (import..metrics) {med['total_s']:.2f} s; "
        f"compile/run ratio {med['compile_s'] / med['run_s']:.1f}"
    )
    print(
        f"    rel L2 {med['rel_l2']:.2e} (each run: "
        + ", ".join(f"{r['rel_l2']:.1e}" for r in rows)
        + ")"
    )
    print(
        "    time to 1e-6 (compile + run share): "
        + ", ".join(f"{r['tta']['1e-06']:.2f} s" if r["tta"]["1e-06"] else "never" for r in rows)
    )
    ok_acc = med["rel_l2"] <= 1e-6
    ok_time = med["process_s"] < 10.0
    ok_cpu = med["cpu_s"] < 10.0
    print(
        f"    target rel L2 <= 1e-6: {'PASS' if ok_acc else 'FAIL'}; "
        f"target total < 10 s: wall {'PASS' if ok_time else 'FAIL'}, "
        f"CPU time {'PASS' if ok_cpu else 'FAIL'} "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


def presets(names: list[str]) -> None:
    import numpy as np

    from bioact.pinn import bvp_solve, chebyshev_solve, error_metrics, load_problem, train
    from bioact.pinn.network import bubble

    print("\n[2] presets (preset settings; time-to-accuracy = compile + run until rel L2 <= thr)")
    head = (
        f"    {'preset':<12} {'rel_l2':>8} {'max_err':>8} {'compile':>8} {'run':>7} "
        f"{'t(1e-3)':>8} {'t(1e-4)':>8} {'t(1e-5)':>8} {'t(1e-6)':>8} | "
        f"{'reference':>9} {'ref err':>8} {'ref s':>7} {'PINN/ref time':>13}"
    )
    print(head)
    for name in names:
        problem, settings = load_problem(name)
        r = train(problem, **settings)
        m = r.metrics
        tta = r.time_to_accuracy()
        x = r.x
        exact = problem.exact_solution(x)
        if problem.is_linear:
            kind = "chebyshev"
            n_cheb = 192 if name == "multiscale" else 64

            def solve(problem=problem, n_cheb=n_cheb):
                return chebyshev_solve(problem, n=n_cheb)(x)
        else:
            kind = "solve_bvp"
            off = settings.get("offset", 0.0)
            guess = (lambda s, off=off: off * np.asarray(bubble(problem, s))) if off else None

            def solve(problem=problem, guess=guess):
                return bvp_solve(problem, guess=guess)(x)

        u_ref = solve()  # warm-up (imports), then the median of 3 timed solves
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            u_ref = solve()
            times.append(time.perf_counter() - t0)
        ref_s = statistics.median(times)
        ref_err = error_metrics(u_ref, exact)["rel_l2"]
        cells = " ".join(
            f"{tta[t]:8.2f}" if tta[t] is not None else f"{'-':>8}"
            for t in (1e-3, 1e-4, 1e-5, 1e-6)
        )
        pinn_s = m["compile_s"] + m["run_s"]
        print(
            f"    {name:<12} {m['rel_l2']:8.1e} {m['max_err']:8.1e} {m['compile_s']:8.2f} "
            f"{m['run_s']:7.2f} {cells} | {kind:>9} {ref_err:8.1e} {ref_s:7.3f} "
            f"{pinn_s / ref_s:13.0f}"
        )
        if name == "multiscale":
            verdict = "PASS" if m["rel_l2"] <= 1e-3 else "FAIL"
            print(f"    multiscale target rel L2 <= 1e-3: {verdict}")


def relu_vs_tanh() -> None:
    from bioact.pinn import load_problem, train

    problem, _ = load_problem("poisson_sin")
    print("\n[3] poisson_sin, seed 0, default settings: activation comparison")
    for act in ("tanh", "sin", "softplus", "gelu", "swish", "relu"):
        r = train(problem, activation=act, allow_nonsmooth=True)
        m = r.metrics
        print(
            f"    {act:<9} rel L2 {m['rel_l2']:8.1e}  residual RMS {m['residual']:8.1e}  "
            f"compile {m['compile_s']:5.2f} s  run {m['run_s']:5.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the multi-scale preset")
    parser.add_argument("--repeats", type=int, default=3, help="cold poisson_sin runs")
    parser.add_argument(
        "--part",
        choices=("all", "cold", "presets", "activations"),
        default="all",
        help="run only one section",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"load average {os.getloadavg()} on {os.cpu_count()} cores")
    if args.part in ("all", "cold"):
        cold_poisson(args.repeats)
    names = ["poisson_sin", "robin_cos", "bratu_lower", "bratu_upper"]
    if not args.quick:
        names.append("multiscale")
    if args.part in ("all", "presets"):
        presets(names)
    if args.part in ("all", "activations"):
        relu_vs_tanh()


if __name__ == "__main__":
    main()

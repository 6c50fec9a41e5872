"""Gradient-based fitting (bioact.fit: Levenberg-Marquardt, forward-mode autodiff Jacobians
through diffrax) vs scipy.optimize.least_squares with finite-difference Jacobians ("2-point")
on the SAME jitted residual function and starting point.

Run from the repository root:  python benchmarks/fit.py [--repeats 5] [--case logistic_growth]

Prints, per case, medians over repeats of the wall time to converge (bioact warm = after its
one-off compilation, which is printed separately), the final cost 0.5*RSS, residual
evaluations, and the ratios scipy/bioact. Timings on a shared machine are noisy: only ratios
measured in the same run are meaningful. Cases: logistic_growth (an ODE through
bioact.simulate), ffl_i1 (beta_z, alpha_z, k_yz of an I1-FFL from a noisy step-ON pulse,
data/ffl_i1_pulse.csv), hh_trace (g_na, g_k, g_l of Hodgkin-Huxley from a noisy 30 ms
voltage trace under I = 10 uA/cm^2, data/hh_voltage_trace.csv). Other cases are added by
writing a function returning a Case (initial model, fitted names, predict, data, truth) and
adding it to CASES.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import least_squares

import bioact  # noqa: F401  (float64)
from bioact.fit import LogisticGrowth, fit, get_param, predict_logistic, set_params
from bioact.fit.transforms import default_kind, resolve_transform
from bioact.io import read_csv

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Case:
    name: str
    model: object  # initial guess
    params: list[str]
    predict: Callable
    x: np.ndarray
    y: np.ndarray
    truth: dict[str, float]


def _gen():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "data" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def logistic_case() -> Case:
    d = read_csv(ROOT / "data" / "logistic_growth.csv")
    return Case(
        "logistic_growth",
        LogisticGrowth(r=0.5, capacity=1.0, x0=0.1),
        ["r", "capacity", "x0"],
        predict_logistic,
        d["time"],
        d["x"],
        _gen().LOGISTIC_TRUTH,
    )


def ffl_i1_case() -> Case:
    from bioact.circuits import FFL
    from bioact.fit.ffl import ffl_predictor

    gen = _gen()
    d = read_csv(ROOT / "data" / "ffl_i1_pulse.csv")
    guess = FFL("i1", "and", **{**gen.FFL_FIXED, "beta_z": 1.0, "alpha_z": 0.5, "k_yz": 0.5})
    return Case(
        "ffl_i1",
        guess,
        ["beta_z", "alpha_z", "k_yz"],
        ffl_predictor("on"),
        d["time"],
        d["z"],
        gen.FFL_TRUTH,
    )


def hh_trace_case() -> Case:
    import bioact.neuron as bn
    from bioact.fit.neuron import voltage_trace_predictor

    gen = _gen()
    d = read_csv(ROOT / "data" / "hh_voltage_trace.csv")
    return Case(
        "hh_trace",
        bn.load_model("hh1952"),  # start at the preset (120, 36, 0.3); truth (110, 33, 0.25)
        ["g_na", "g_k", "g_l"],
        voltage_trace_predictor(gen.HH_CURRENT),
        d["time"],
        d["v"],
        gen.HH_TRUTH,
    )


CASES: dict[str, Callable[[], Case]] = {
    "logistic_growth": logistic_case,
    "ffl_i1": ffl_i1_case,
    "hh_trace": hh_trace_case,
}


def run_case(case: Case, repeats: int) -> dict:
    x, y = jnp.asarray(case.x), jnp.asarray(case.y)

    # scipy gets the same residual bioact minimises, in the same unconstrained variables u
    declared = dict(getattr(type(case.model), "fit_transforms", {}) or {})
    p0 = [float(get_param(case.model, n)) for n in case.params]
    tfs = [
        resolve_transform(n, v, declared.get(n, default_kind(n, v)))
        for n, v in zip(case.params, p0, strict=True)
    ]

    @jax.jit
    def residual_u(u):
        values = {n: t.forward(u[i]) for i, (n, t) in enumerate(zip(case.params, tfs))}
        return case.predict(set_params(case.model, values), x) - y

    u0 = np.array([float(t.inverse(v)) for t, v in zip(tfs, p0, strict=True)])
    t = time.perf_counter()
    first = fit(case.model, (x, y), case.params, predict=case.predict)
    t_first = time.perf_counter() - t
    residual_u(jnp.asarray(u0)).block_until_ready()  # compile scipy's residual too

    calls = [0]

    def residual_np(u):  # counts every call, incl. finite differences (scipy's nfev does not)
        calls[0] += 1
        return np.asarray(residual_u(jnp.asarray(u)))

    times_b, times_s = [], []
    for _ in range(repeats):
        calls[0] = 0
        t = time.perf_counter()
        res = fit(case.model, (x, y), case.params, predict=case.predict)
        times_b.append(time.perf_counter() - t)
        t = time.perf_counter()
        sp = least_squares(
            residual_np,
            u0,
            jac="2-point",
            method="lm",
            xtol=1e-10,
            ftol=1e-10,
            gtol=1e-10,
        )
        times_s.append(time.perf_counter() - t)
    est_s = {n: float(t.forward(sp.x[i])) for i, (n, t) in enumerate(zip(case.params, tfs))}
    return {
        "case": case.name,
        "bioact_first_call_s": t_first,
        "bioact_s": statistics.median(times_b),
        "scipy_s": statistics.median(times_s),
        "bioact_cost": 0.5 * res.rss,
        "scipy_cost": float(sp.cost),
        "bioact_evals": res.n_evaluations,
        "scipy_nfev": int(sp.nfev),
        "scipy_calls": calls[0],
        "bioact_converged": res.converged,
        "scipy_status": int(sp.status),
        "max_rel_param_diff": max(
            abs(res.estimates[p] - est_s[p]) / abs(est_s[p]) for p in case.params
        ),
        "first_same_as_warm": first.estimates == res.estimates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    for name in args.case or sorted(CASES):
        r = run_case(CASES[name](), args.repeats)
        print(f"== {r['case']} (median of {args.repeats} repeats, {jax.default_backend()})")
        print(
            f"  bioact LM, autodiff Jacobian : {r['bioact_s'] * 1e3:9.1f} ms  cost "
            f"{r['bioact_cost']:.10g}  evals {r['bioact_evals']}  converged {r['bioact_converged']}"
        )
        print(
            f"  scipy LM, 2-point FD Jacobian: {r['scipy_s'] * 1e3:9.1f} ms  cost "
            f"{r['scipy_cost']:.10g}  nfev {r['scipy_nfev']} (residual calls incl. FD "
            f"{r['scipy_calls']})  status {r['scipy_status']}"
        )
        print(f"  bioact first call incl. compile: {r['bioact_first_call_s']:.1f} s")
        print(
            f"  ratio time scipy/bioact = {r['scipy_s'] / r['bioact_s']:.2f}   "
            f"ratio cost scipy/bioact = {r['scipy_cost'] / r['bioact_cost']:.8f}   "
            f"max rel param diff = {r['max_rel_param_diff']:.1e}"
        )


if __name__ == "__main__":
    main()

"""Fit a registered model to a CSV data set: DIR/fit.json, fit.png, fitted_model.toml.

MODEL is a name from the fit registry (hill_dose_response: columns x,y; boltzmann_gate:
v,y; logistic_growth: time,x; feed-forward loops c1..c4, i1..i4: time,z and optionally y,
then both are fitted, with --logic, --protocol and --width as in `bioact ffl`; neuron presets
hh1952, wang_buzsaki, connor_stevens, morris_lecar_type1/2: a voltage trace time,v (ms, mV)
from rest under --current I, or an f-I curve current,rate_hz, chosen by the columns). An optional
`sigma` column gives per-point standard deviations (weighted least squares, covariance not
rescaled). fit.json holds `estimates` and `stderr` ({name: value}), `interval_2sigma`,
`correlation`, `covariance` and `diagnostics` (rss, convergence, steps, starts, rank).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="registered model name, e.g. boltzmann_gate")
    parser.add_argument("data", metavar="DATA.csv", type=Path, help="CSV with the model's columns")
    parser.add_argument(
        "--params", default=None, help="comma-separated fields to fit (default: the model's set)"
    )
    parser.add_argument("--method", choices=("lm", "adam"), default="lm", help="optimiser")
    parser.add_argument("--starts", type=int, default=8, help="number of multi-starts (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the multi-start draws")
    parser.add_argument(
        "--init", type=Path, default=None, help="start from a model TOML (e.g. a fitted_model.toml)"
    )
    parser.add_argument("--svg", action="store_true", help="also write fit.svg")
    parser.add_argument(
        "--logic", choices=("and", "or"), default=None, help="FFL Z input logic (default and)"
    )
    parser.add_argument(
        "--protocol",
        choices=("on", "off", "pulse", "foldchange"),
        default=None,
        help="FFL input protocol, switch at t = 0 (default on)",
    )
    parser.add_argument("--width", type=float, default=None, help="FFL pulse width (default 1)")
    parser.add_argument(
        "--current",
        type=float,
        default=None,
        help="neuron voltage trace: constant injected current from t = 0 (uA/cm^2)",
    )


def run(args: argparse.Namespace) -> dict:
    import warnings

    import numpy as np

    from bioact.fit import fit, get_spec, load_model
    from bioact.io import read_csv, write_json
    from bioact.plot import plot_fit, savefig

    cols = read_csv(args.data)
    spec = get_spec(args.model).for_columns(cols)
    ycols = (*(c for c in spec.optional_y if c in cols), *spec.y)
    missing = [c for c in (spec.x, *spec.y) if c not in cols]
    if missing:
        raise ValueError(
            f"DATA {str(args.data)!r} lacks column(s) {missing} needed by MODEL={spec.name!r} "
            f"(expects {spec.x},{','.join(spec.y)}[,sigma]); it has {list(cols)}"
        )
    for c in (spec.x, *ycols, *(["sigma"] if "sigma" in cols else [])):
        if cols[c].dtype.kind not in "fiu":
            raise ValueError(f"DATA column {c!r} must be numeric")
    x = cols[spec.x]
    y = cols[ycols[0]] if len(ycols) == 1 else np.stack([cols[c] for c in ycols], axis=1)
    sigma = cols.get("sigma")
    if sigma is not None and y.ndim == 2:
        sigma = np.repeat(sigma[:, None], y.shape[1], axis=1)
    if args.starts < 1:
        raise ValueError(f"--starts must be >= 1, got {args.starts}")
    options = {k: v for k, v in vars(args).items() if not k.startswith("_")}
    options["observed"] = ycols
    if args.init is not None:
        model = load_model(args.init, options)
    else:
        guess = spec.initial_guess(x, y) if spec.initial_guess is not None else {}
        model = spec.make_model(guess, options)
    params = args.params.split(",") if args.params else list(spec.default_params)
    params = [p.strip() for p in params if p.strip()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(
            model,
            (x, y, sigma),
            params,
            predict=spec.get_predict(options),
            transforms={n: t for n, t in spec.transforms.items() if n in params},
            method=args.method,
            n_starts=args.starts,
            seed=args.seed,
            model_name=spec.name,
            **spec.fit_options,
        )
    messages = [str(w.message) for w in caught]
    for m in messages:
        print(f"bioact fit: warning: {m}")
    summary = result.to_dict()
    summary.update({"model": spec.name, "data": str(args.data), "warnings": messages})
    write_json(args.out / "fit.json", summary)
    result.to_toml(args.out / "fitted_model.toml")
    units = dict(spec.units)
    fig = plot_fit(
        result,
        xlabel=f"{spec.x} ({units[spec.x]})" if spec.x in units else spec.x,
        ylabel=", ".join(ycols),
        logx=spec.logx,
    )
    savefig(fig, args.out / "fit.png", svg=args.svg)
    return {
        "estimates": result.estimates,
        "stderr": result.stderr,
        "rss": result.rss,
        "converged": result.converged,
        "files": ["fit.json", "fit.png", "fitted_model.toml"] + (["fit.svg"] if args.svg else []),
    }

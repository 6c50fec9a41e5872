"""Feed-forward loop: simulate one FFL type under an input protocol, write data, metrics, plot.

TYPE is c1..c4, i1..i4 or a preset TOML path (models/ffl_*.toml). Writes DIR/trajectory.csv
(columns time,x,y,z; x = X* = x_total Sx), DIR/metrics.json (steady states, t50, delay vs
simple regulation, peak, pulse amplitude and width, adaptation precision), DIR/pulse.png and
DIR/meta.json; with --sbml PATH also an SBML Level 3 export of the model.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _param(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--param must be name=value, got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--param {name.strip()} must be a number, got {value!r}"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("type", metavar="TYPE", help="c1..c4, i1..i4, or a preset TOML path")
    parser.add_argument("--logic", choices=("and", "or"), default=None,
                        help="Z input function (default: the preset's, else and)")  # fmt: skip
    parser.add_argument("--protocol", choices=("on", "off", "pulse", "foldchange"), default=None,
                        help="input protocol (default: the preset's, else on)")  # fmt: skip
    parser.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
                        help="set a parameter (repeatable; n=V sets n_xy, n_xz, n_yz)")  # fmt: skip
    parser.add_argument("--t-end", type=float, default=None, help="end time (1/alpha units)")
    parser.add_argument("--t-start", type=float, default=None,
                        help="start time <= 0 (default 0 for on, else -1: shows the pre-switch "
                             "steady state)")  # fmt: skip
    parser.add_argument("--points", type=int, default=None, help="saved points (default 201)")
    parser.add_argument("--width", type=float, default=None, help="pulse width (default 1)")
    parser.add_argument("--a", type=float, default=None, help="fold-change base level a")
    parser.add_argument("--fold", type=float, default=None, help="fold change F (default 2)")
    parser.add_argument("--sbml", type=Path, default=None, metavar="PATH",
                        help="also export the model as SBML Level 3 to PATH")  # fmt: skip
    parser.add_argument("--svg", action="store_true", help="also write pulse.svg")


def run(args: argparse.Namespace) -> dict:
    import numpy as np

    from bioact.circuits import FFL, TYPES, expand_params, ffl_metrics, run_protocol
    from bioact.circuits.presets import load_preset
    from bioact.io import write_csv, write_json
    from bioact.plot import plot_pulse, savefig

    overrides = expand_params(dict(args.param))
    if args.type.lower() in TYPES:
        model = FFL(args.type, args.logic or "and", **overrides)
        protocol: dict = {}
    elif args.type.endswith(".toml"):
        model, protocol = load_preset(args.type, **overrides)
        if args.logic is not None:
            model = FFL(model.ffl_type, args.logic, **model.params())
    else:
        raise ValueError(f"TYPE must be one of {TYPES} or a .toml preset path, got {args.type!r}")
    name = args.protocol or protocol.get("name", "on")
    kwargs = {}
    for key, cli in (("t_end", args.t_end), ("width", args.width), ("a", args.a),
                     ("fold", args.fold), ("level", None), ("t_start", args.t_start)):  # fmt: skip
        value = cli if cli is not None else protocol.get(key)
        if value is not None:
            kwargs[key] = float(value)
    if "t_start" not in kwargs and name != "on":
        kwargs["t_start"] = -1.0
    points = args.points if args.points is not None else int(protocol.get("points", 201))
    result = run_protocol(model, name, n_points=points, **kwargs)
    metrics = ffl_metrics(result)
    ts = np.asarray(result.traj.ts)
    x_star = float(model.x_total) * np.asarray(result.stimulus(result.traj.ts))
    write_csv(
        args.out / "trajectory.csv",
        {"time": ts, "x": x_star, "y": np.asarray(result.traj["y"]), "z": result.traj["z"]},
        comments=[
            f"{model.ffl_type.upper()}-FFL, {model.logic.upper()} logic, protocol {name}",
            "time in units of 1/alpha; x = X* = x_total * Sx(t); concentrations in threshold units",
        ],
    )
    write_json(args.out / "metrics.json", metrics)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.0), layout="constrained")
    plot_pulse(result, metrics, ax=ax)
    savefig(fig, args.out / "pulse.png", svg=args.svg)
    files = ["trajectory.csv", "metrics.json", "pulse.png"] + (["pulse.svg"] if args.svg else [])
    extra = {
        "model": {
            "type": model.ffl_type,
            "logic": model.logic,
            "parameters": {k: float(v) for k, v in model.params().items()},
        },  # fmt: skip
        "protocol": {"name": name, "points": points, **kwargs},
        "files": files,
    }
    if args.sbml is not None:
        from bioact.circuits.sbml import write_sbml

        write_sbml(model, args.sbml, stimulus=result.stimulus, y0=tuple(map(float, result.y0)))
        extra["sbml"] = str(args.sbml)
    return extra

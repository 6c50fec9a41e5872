"""Run a parameter sweep from an experiment TOML: DIR/results.csv, DIR/sweep.png, DIR/meta.json.

EXPERIMENT names the quantity (e.g. ffl_pulse_amplitude, firing_rate), the model preset and
the grid (see models/sweep_*.toml). Finished chunks are checkpointed in DIR/checkpoint/, so
re-running the same command resumes instead of recomputing.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("experiment", type=Path, help="experiment TOML (models/sweep_*.toml)")
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="rows per vmapped chunk (default: the file's [sweep] chunk_size)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--no-checkpoint", action="store_true", help="do not write or resume from DIR/checkpoint/"
    )


def run(args: argparse.Namespace) -> dict:
    import numpy as np

    from bioact.plot import plot_sweep, savefig
    from bioact.sweep import sweep
    from bioact.sweep.experiments import load_experiment

    exp = load_experiment(args.experiment)
    chunk = exp.chunk_size if args.chunk_size is None else args.chunk_size
    if chunk < 1:
        raise ValueError(f"--chunk-size must be >= 1, got {chunk}")
    res = sweep(
        exp.fn,
        exp.grid,
        chunk_size=chunk,
        checkpoint=None if args.no_checkpoint else args.out / "checkpoint",
        progress=not args.no_progress,
    )
    res.to_csv(args.out / "results.csv", comments=[f"bioact sweep {exp.name}: {exp.label}"])
    style = exp.spec.get("plot", {})
    ax = plot_sweep(
        res,
        exp.column,
        log=(bool(style.get("log_x", False)), bool(style.get("log_y", False))),
        log_color=bool(style.get("log_color", False)),
    )
    ax.set_title(exp.description or exp.name, fontsize=9)
    savefig(ax.figure, args.out / "sweep.png")
    values = np.asarray(res[exp.column], dtype=float)
    ok = ~np.asarray(res.failed)
    return {
        "experiment": str(args.experiment),
        "quantity": exp.quantity,
        "rows": len(res),
        "n_failed": int((~ok).sum()),
        f"{exp.column}_min": float(values[ok].min()) if ok.any() else None,
        f"{exp.column}_max": float(values[ok].max()) if ok.any() else None,
        "sweep": res.info,
    }

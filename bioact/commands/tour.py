"""Run every domain end to end on built-in defaults and write DIR/index.html.

Stages: activation gallery, Type I vs Type II f-I curves, feed-forward-loop pulse plots, PINN
solution with activation comparison, one fit, one small sweep. Each stage writes into
DIR/<stage>/; DIR/index.html shows every figure with its key numbers and DIR/summary.json
holds the same numbers. --quick runs the same pipeline on reduced sizes (about a minute).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="reduced sizes (CI, first look)")
    parser.add_argument(
        "--stages", default=None, help="comma-separated subset of stages to run (default: all)"
    )


def run(args: argparse.Namespace) -> dict:
    from bioact.tour import run_tour

    stages = None if args.stages is None else [s.strip() for s in args.stages.split(",") if s]
    results = run_tour(args.out, quick=args.quick, stages=stages)
    return {
        "stages": {r.name: {"wall_time_s": r.wall_time_s, **r.numbers} for r in results},
        "index": "index.html",
    }

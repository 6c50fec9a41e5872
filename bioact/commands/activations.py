"""Activation gallery and registry table: DIR/activations.png and DIR/activations.csv.

Writes one CSV row per registered primitive (columns name, smoothness, lipschitz,
output_range, monotone, saturation; parametrised primitives at their defaults) and a
figure of every primitive with its derivative, Hill curves for several n, and
Boltzmann gating curves.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--svg", action="store_true", help="also write activations.svg")


def run(args: argparse.Namespace) -> dict:
    from bioact import activations, identities
    from bioact.io import write_csv
    from bioact.plot import activation_gallery, savefig

    rows = activations.properties_table()
    columns = {key: [row[key] for row in rows] for key in rows[0]}
    write_csv(
        args.out / "activations.csv",
        columns,
        comments=["bioact activation registry; parametrised primitives at their defaults"],
    )
    fig = activation_gallery()
    savefig(fig, args.out / "activations.png", svg=args.svg)
    dev, z_at = identities.gelu_sigmoid_max_deviation()
    return {
        "n_primitives": len(rows),
        "gelu_sigmoid_max_abs_deviation": dev,
        "gelu_sigmoid_max_at_z": z_at,
        "files": ["activations.csv", "activations.png"] + (["activations.svg"] if args.svg else []),
    }

"""f-I curve of a neuron model: DIR/fi_curve.csv, DIR/fi_curve.png, meta.json with the class.

MODEL is a preset name (hh1952, wang_buzsaki, connor_stevens, morris_lecar_type1,
morris_lecar_type2) or a TOML file in models/'s format. Protocol: rest at zero current, the
current steps on at t = 0, spikes = upward 0 mV crossings in [transient, duration), rate =
mean-ISI rate. meta.json adds the rheobase, excitability class and bifurcation.
"""

from __future__ import annotations

import argparse


def parse_range(text: str) -> tuple[float, float, int]:
    """``START:STOP:N`` -> (start, stop, n) with n >= 1."""
    parts = text.split(":")
    try:
        start, stop, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3 or n < 1:
            raise ValueError
    except (ValueError, IndexError):
        raise ValueError(
            f"--currents must be START:STOP:N with N >= 1 (e.g. 0:20:201), got {text!r}"
        ) from None
    return start, stop, n


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="preset name or path to a model TOML file")
    parser.add_argument("--currents", default=None, help="START:STOP:N in uA/cm^2")
    parser.add_argument("--duration", type=float, default=None, help="ms (default 1000)")
    parser.add_argument("--transient", type=float, default=None, help="ms (default 200)")
    parser.add_argument("--no-classify", action="store_true", help="skip rheobase/class")


def run(args: argparse.Namespace) -> dict:
    import jax.numpy as jnp
    import numpy as np

    import bioact.neuron as bn
    from bioact.io import write_csv
    from bioact.plot import plot_fi_curves, savefig

    spec = bn.load_preset(args.model)
    model = bn.presets.model_from_dict(spec, source=args.model)
    proto = spec.get("protocol", {})
    if args.currents is not None:
        start, stop, n = parse_range(args.currents)
    else:
        start, stop, n = proto.get("currents", [0.0, 20.0, 201])
    duration = args.duration if args.duration is not None else proto.get("duration", 1000.0)
    transient = args.transient if args.transient is not None else proto.get("transient", 200.0)
    if duration <= 0:
        raise ValueError(f"--duration must be > 0, got {duration}")
    transient = min(transient, 0.2 * duration) if args.transient is None else transient
    currents = jnp.linspace(start, stop, int(n))
    res = bn.fi_curve(model, currents, duration=duration, transient=transient)
    write_csv(
        args.out / "fi_curve.csv",
        {"current_uA_cm2": np.asarray(currents), "rate_hz": np.asarray(res.rate_hz)},
        comments=[
            f"f-I curve of {args.model}: mean-ISI rate in [{transient}, {duration}) ms",
            "current in uA/cm^2, rate in Hz",
        ],
    )
    ax = plot_fi_curves({args.model: (currents, res.rate_hz)})
    extra = {
        "model": args.model,
        "duration_ms": duration,
        "transient_ms": transient,
        "n_currents": int(n),
        "max_rate_hz": float(np.max(np.asarray(res.rate_hz))),
    }
    if not args.no_classify:
        cls = bn.classify_excitability(model, duration=duration, transient=transient)
        extra.update(cls.as_dict())
        ax.axvline(cls.rheobase, color="grey", lw=0.6, ls=":")
        ax.set_title(f"{args.model}: Type {cls.kind} ({cls.bifurcation.kind})", fontsize=9)
    savefig(ax.figure, args.out / "fi_curve.png")
    extra["files"] = ["fi_curve.csv", "fi_curve.png"]
    return extra

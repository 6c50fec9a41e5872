"""Voltage trace of a neuron model at a constant current: DIR/trace.csv and DIR/trace.png.

MODEL is a preset name or a model TOML file. The current steps on at t = 0 from rest; the
trace is saved every 0.05 ms (rtol 1e-8) and spikes (upward 0 mV crossings) are marked.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="preset name or path to a model TOML file")
    parser.add_argument("--current", type=float, required=True, help="uA/cm^2")
    parser.add_argument("--duration", type=float, default=200.0, help="ms (default 200)")


def run(args: argparse.Namespace) -> dict:
    import jax.numpy as jnp
    import numpy as np

    import bioact
    import bioact.neuron as bn
    from bioact.io import write_csv
    from bioact.plot import plot_trace, savefig
    from bioact.solve import make_controller

    if not args.duration > 0:
        raise ValueError(f"--duration must be > 0, got {args.duration}")
    model = bn.load_model(args.model)
    n = int(round(args.duration / 0.05)) + 1
    ts = jnp.linspace(0.0, args.duration, n)
    traj = bioact.simulate(
        model,
        args.duration,
        stimulus=args.current,
        ts=ts,
        stepsize_controller=make_controller(1e-8, 1e-8, dtmax=1.0),
        max_steps=10_000_000,
    )
    spikes = bn.fi_curve(
        model,
        [args.current],
        duration=args.duration,
        transient=0.0,
        max_spikes=max(1, int(args.duration)),
        rtol=1e-8,
        atol=1e-8,
        max_steps=10_000_000,
    )
    st = np.asarray(spikes.spike_times_ms[0])
    st = st[np.isfinite(st)]
    cols = {"t_ms": np.asarray(ts)}
    cols.update({name: np.asarray(traj[name]) for name in model.state_names})
    write_csv(
        args.out / "trace.csv",
        cols,
        comments=[f"{args.model} at I = {args.current} uA/cm^2", "V in mV"],
    )
    ax = plot_trace(ts, traj["V"], st)
    ax.set_title(f"{args.model}, I = {args.current:g} µA/cm²", fontsize=9)
    savefig(ax.figure, args.out / "trace.png")
    return {
        "model": args.model,
        "current_uA_cm2": args.current,
        "n_spikes": int(st.size),
        "spike_times_ms": st.tolist(),
        "files": ["trace.csv", "trace.png"],
    }

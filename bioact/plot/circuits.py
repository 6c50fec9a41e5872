"""Feed-forward loop figures: pulse plot, 8-type x 2-logic gallery, delay comparison, heat map."""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bioact.plot._common import get_ax

__all__ = ["ffl_gallery", "plot_delay_comparison", "plot_pulse", "plot_pulse_heatmap"]

_COLORS = {"x": "0.35", "y": "tab:orange", "z": "tab:blue", "simple": "tab:green"}


def _shade_input(ax: Axes, ts: np.ndarray, sx: np.ndarray) -> None:
    top = max(float(np.max(sx)), 1e-12)
    ax.fill_between(ts, 0, 1, where=sx > 0.5 * top, step="post", color="0.9",
                    transform=ax.get_xaxis_transform(), label="input Sx on")  # fmt: skip


def plot_pulse(result, metrics: Mapping[str, float] | None = None, ax: Axes | None = None) -> Axes:
    """X*, Y and Z of a :class:`bioact.circuits.ProtocolResult` vs time, the input Sx shaded,
    the steady state dashed and the metrics (t50, delay, peak, pulse width) annotated.

    >>> from bioact.circuits import FFL, run_protocol, ffl_metrics
    >>> res = run_protocol(FFL("i1"), "on")
    >>> ax = plot_pulse(res, ffl_metrics(res))
    """
    ax = get_ax(ax, (6.0, 3.8))
    ts = np.asarray(result.traj.ts)
    sx = np.asarray(result.stimulus(result.traj.ts))
    _shade_input(ax, ts, sx)
    x_star = float(result.model.x_total) * sx
    ax.plot(ts, x_star, color=_COLORS["x"], lw=1.2, ls=":", label="X*")
    ax.plot(ts, np.asarray(result.traj["y"]), color=_COLORS["y"], lw=1.5, label="Y")
    ax.plot(ts, np.asarray(result.traj["z"]), color=_COLORS["z"], lw=2.2, label="Z")
    name = f"{result.model.ffl_type.upper()}-FFL ({result.model.logic.upper()}), {result.protocol}"
    ax.set(xlabel="time (1/alpha)", ylabel="concentration", title=name)
    if metrics:
        z_ss = metrics.get("z_ss", math.nan)
        if math.isfinite(z_ss):
            ax.axhline(z_ss, color=_COLORS["z"], ls="--", lw=0.8)
        if math.isfinite(metrics.get("t_peak", math.nan)):
            ax.plot([metrics["t_peak"]], [metrics["z_peak"]], "o", color=_COLORS["z"], ms=4)
        lines = [
            f"{label} = {metrics[key]:.3g}"
            for key, label in (
                ("t50", "t50"),
                ("delay", "delay"),
                ("z_peak", "Z peak"),
                ("pulse_amplitude", "pulse amp."),
                ("pulse_width", "width"),
            )  # fmt: skip
            if key in metrics and metrics[key] is not None and math.isfinite(metrics[key])
        ]
        ax.text(0.99, 0.97, "\n".join(lines), transform=ax.transAxes, ha="right", va="top",
                fontsize=8, bbox={"fc": "white", "ec": "0.7", "alpha": 0.85})  # fmt: skip
    ax.legend(loc="center right", fontsize=8, frameon=False)
    return ax


def ffl_gallery(results: Mapping[tuple[str, str], object], fig: Figure | None = None) -> Figure:
    """Z (and Y) responses of all FFL types x logics: ``results[(type, logic)]`` are
    :class:`ProtocolResult`s; rows are the 8 types, columns the logics (one line each)."""
    types = sorted({t for t, _ in results})
    logics = sorted({lg for _, lg in results})
    if fig is None:
        fig = plt.figure(figsize=(3.2 * len(logics), 1.6 * len(types)), layout="constrained")
    axes = fig.subplots(len(types), len(logics), sharex=True, squeeze=False)
    for i, t in enumerate(types):
        for j, lg in enumerate(logics):
            ax, res = axes[i, j], results[(t, lg)]
            ts = np.asarray(res.traj.ts)
            _shade_input(ax, ts, np.asarray(res.stimulus(res.traj.ts)))
            ax.plot(ts, np.asarray(res.traj["y"]), color=_COLORS["y"], lw=1.0)
            ax.plot(ts, np.asarray(res.traj["z"]), color=_COLORS["z"], lw=1.8)
            ax.set_title(f"{t.upper()} {lg.upper()}", fontsize=8, pad=2)
            ax.tick_params(labelsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("time (1/alpha)", fontsize=8)
    return fig


def plot_delay_comparison(ffl_result, simple_result, metrics=None, ax: Axes | None = None) -> Axes:
    """C1-FFL Z vs simple regulation with the same steady state, both normalised to Z*; the
    t50 of each and the delay between them marked."""
    ax = get_ax(ax, (5.5, 3.5))
    ts = np.asarray(ffl_result.traj.ts)
    _shade_input(ax, ts, np.asarray(ffl_result.stimulus(ffl_result.traj.ts)))
    z_ref = float(ffl_result.model.steady_state(ffl_result.s_on)[1])
    zf = np.asarray(ffl_result.traj["z"]) / z_ref
    zs = np.asarray(simple_result.traj["z"]) / z_ref
    label = f"{ffl_result.model.ffl_type.upper()}-FFL ({ffl_result.model.logic.upper()})"
    ax.plot(ts, zf, color=_COLORS["z"], lw=2.0, label=label)
    ax.plot(ts, zs, color=_COLORS["simple"], lw=1.5, ls="--", label="simple regulation")
    ax.axhline(0.5, color="0.6", lw=0.6)
    if metrics and math.isfinite(metrics.get("delay", math.nan)):
        t50, t50s = metrics["t50"], metrics["t50_simple"]
        ax.annotate("", xy=(t50, 0.5), xytext=(t50s, 0.5),
                    arrowprops={"arrowstyle": "<->", "color": "k"})  # fmt: skip
        ax.text(0.5 * (t50 + t50s), 0.55, f"delay {metrics['delay']:.2f}", ha="center", fontsize=8)
    ax.set(xlabel="time (1/alpha)", ylabel="Z / Z*", title=f"{ffl_result.protocol} response")
    ax.legend(fontsize=8, frameon=False)
    return ax


def plot_pulse_heatmap(k_yz, n, amplitude, ax: Axes | None = None) -> Axes:
    """Heat map of pulse amplitude ``amplitude[i, j]`` at (k_yz[i], n[j]) (from
    :func:`bioact.circuits.grid.pulse_amplitude_grid`)."""
    ax = get_ax(ax, (5.0, 3.8))
    amp = np.asarray(amplitude)
    mesh = ax.pcolormesh(np.asarray(n), np.asarray(k_yz), amp, shading="nearest", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label="(Z peak - Z*) / Z*")
    ax.set(xlabel="Hill coefficient n", ylabel="K_yz", yscale="log")
    return ax

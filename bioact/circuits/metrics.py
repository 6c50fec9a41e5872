"""Response metrics of feed-forward loops (Alon, *An Introduction to Systems Biology*, ch. 4).

Pure functions of sampled trajectories (numpy arrays; times in units of 1/alpha). Crossing
times are linearly interpolated between samples, so their accuracy is about the sample
spacing squared times the curvature -- use enough points (the CLI default 201 over 10 time
units resolves t50 to ~1e-3).

>>> import numpy as np
>>> ts = np.linspace(0.0, 10.0, 2001)
>>> round(response_time(ts, 1 - np.exp(-ts), 0.0, 1.0), 3)  # ln 2
0.693
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bioact.circuits.protocols import ProtocolResult, run_protocol

__all__ = [
    "adaptation_precision",
    "crossing_time",
    "ffl_metrics",
    "half_height_width",
    "peak",
    "response_time",
]


def crossing_time(ts: np.ndarray, x: np.ndarray, level: float, t_from: float = -np.inf) -> float:
    """First time ``t >= t_from`` at which ``x`` crosses ``level`` (either direction); NaN if never.

    Linear interpolation between the bracketing samples.
    """
    ts, x = np.asarray(ts, float), np.asarray(x, float)
    keep = ts >= t_from
    ts, x = ts[keep], x[keep]
    d = x - level
    if d.size == 0:
        return math.nan
    if d[0] == 0.0:
        return float(ts[0])
    idx = np.nonzero(np.sign(d[1:]) != np.sign(d[:-1]))[0]
    if idx.size == 0:
        return math.nan
    i = int(idx[0])
    frac = d[i] / (d[i] - d[i + 1])
    return float(ts[i] + frac * (ts[i + 1] - ts[i]))


def response_time(
    ts: np.ndarray, x: np.ndarray, x_start: float, x_end: float, t_switch: float = 0.0
) -> float:
    """t50: time after ``t_switch`` to reach half-way between ``x_start`` and ``x_end``."""
    return crossing_time(ts, x, 0.5 * (x_start + x_end), t_switch) - t_switch


def peak(ts: np.ndarray, x: np.ndarray, t_from: float = -np.inf) -> tuple[float, float]:
    """``(max value, time of max)`` of ``x`` over ``t >= t_from``."""
    ts, x = np.asarray(ts, float), np.asarray(x, float)
    keep = ts >= t_from
    i = int(np.argmax(x[keep]))
    return float(x[keep][i]), float(ts[keep][i])


def half_height_width(
    ts: np.ndarray, x: np.ndarray, baseline: float, t_from: float = -np.inf
) -> float:
    """Width of the pulse of ``x`` at half height: the time between the up- and down-crossings
    of ``baseline + (peak - baseline)/2`` around the peak; NaN if ``x`` has not come back down.
    """
    ts, x = np.asarray(ts, float), np.asarray(x, float)
    keep = ts >= t_from
    ts, x = ts[keep], x[keep]
    ip = int(np.argmax(x))
    half = baseline + 0.5 * (x[ip] - baseline)
    if not x[ip] > baseline:
        return math.nan
    above = x >= half
    i = ip
    while i > 0 and above[i - 1]:
        i -= 1
    if i == 0:  # no rising edge after t_from: not a pulse
        return math.nan
    t_up = _interp_cross(ts, x, i - 1, half)
    j = ip
    while j < len(x) - 1 and above[j + 1]:
        j += 1
    if j == len(x) - 1:
        return math.nan
    return _interp_cross(ts, x, j, half) - t_up


def _interp_cross(ts: np.ndarray, x: np.ndarray, i: int, level: float) -> float:
    frac = (level - x[i]) / (x[i + 1] - x[i])
    return float(ts[i] + frac * (ts[i + 1] - ts[i]))


def adaptation_precision(z_initial: float, z_final: float) -> float:
    """``|Z_final - Z_initial| / Z_initial`` (0 = perfect adaptation); NaN if Z_initial = 0."""
    return abs(z_final - z_initial) / z_initial if z_initial != 0 else math.nan


def ffl_metrics(result: ProtocolResult, *, with_delay: bool = True) -> dict[str, Any]:
    """All metrics of a protocol run (see :func:`bioact.circuits.run_protocol`), as a dict.

    Keys: ``y_ss``, ``z_ss`` (closed-form steady state after the switch), ``y_ss_before``,
    ``z_ss_before``, ``z_ss_on`` (at the "on" level ``s_on``), ``z_initial``, ``z_final``,
    ``t50`` (Z half-way from its value at the switch to ``z_target``: ``z_ss_on`` for a pulse,
    ``z_ss`` otherwise), ``t50_simple`` and ``delay = t50 - t50_simple`` (simple regulation
    with the FFL's steady state at ``s_on``, same protocol), ``z_peak``, ``t_peak``,
    ``pulse_amplitude = (z_peak - z_ss)/z_ss`` (peak above the adapted baseline),
    ``peak_fraction = z_peak / z_ss_on``, ``adaptation_precision`` and ``pulse_width``
    (at half height above ``z_ss``; NaN without a rising edge). Undefined values are NaN.
    """
    model, traj = result.model, result.traj
    ts = np.asarray(traj.ts)
    z = np.asarray(traj["z"])
    y_ss, z_ss = _y_z(model.steady_state(result.s_after))
    y_b, z_b = _y_z(model.steady_state(result.s_before))
    z_ss_on = _y_z(model.steady_state(result.s_on))[1]
    z_at_switch = _at_switch(ts, z, result.t_on)
    z_target = z_ss_on if result.protocol == "pulse" else z_ss
    t50 = response_time(ts, z, z_at_switch, z_target, result.t_on)
    z_peak, t_peak = peak(ts, z, result.t_on)
    out: dict[str, Any] = {
        "y_ss": y_ss,
        "z_ss": z_ss,
        "y_ss_before": y_b,
        "z_ss_before": z_b,
        "z_ss_on": z_ss_on,
        "z_initial": float(z[0]),
        "z_final": float(z[-1]),
        "t50": t50,
        "z_peak": z_peak,
        "t_peak": t_peak,
        "pulse_amplitude": (z_peak - z_ss) / z_ss if z_ss > 0 else math.nan,
        "peak_fraction": z_peak / z_ss_on if z_ss_on > 0 else math.nan,
        "adaptation_precision": adaptation_precision(float(z[0]), float(z[-1])),
        "pulse_width": half_height_width(ts, z, z_ss, result.t_on),
    }
    if with_delay and hasattr(model, "simple_regulation"):
        simple = model.simple_regulation(result.s_on)
        ref = run_protocol(
            simple,
            result.protocol,
            t_end=float(ts[-1]),
            n_points=len(ts),
            t_start=float(ts[0]),
            **_protocol_kwargs(result),
        )
        zs = np.asarray(ref.traj["z"])
        zs_target = float(
            simple.steady_state(result.s_on if result.protocol == "pulse" else result.s_after)[0]
        )
        t50_s = response_time(ts, zs, _at_switch(ts, zs, result.t_on), zs_target, result.t_on)
        out["t50_simple"] = t50_s
        out["delay"] = t50 - t50_s
    return out


def _at_switch(ts: np.ndarray, x: np.ndarray, t_on: float) -> float:
    """Value at the switch: the last sample at or before ``t_on`` (the state is at rest there;
    interpolating across the kink would mix in post-switch samples)."""
    before = np.nonzero(ts <= t_on)[0]
    return float(x[before[-1]] if before.size else x[0])


def _y_z(ss) -> tuple[float, float]:
    """(Y*, Z*) from an FFL steady state, (NaN, Z*) from simple regulation's."""
    ss = np.asarray(ss, dtype=float)
    return (float(ss[0]) if ss.size == 2 else math.nan), float(ss[-1])


def _protocol_kwargs(result: ProtocolResult) -> dict[str, float]:
    """Recover the protocol's keyword arguments from its stimulus levels."""
    if result.protocol == "foldchange":
        return {"a": result.s_before, "fold": result.s_after / result.s_before}
    if result.protocol == "pulse":
        return {"level": result.s_on, "width": float(result.stimulus.width)}
    return {"level": result.s_on}

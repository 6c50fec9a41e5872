"""Neuron plots: f-I curves, voltage traces, gating curves vs activation primitives, Morris--Lecar
phase plane, eigenvalues along the resting branch. Each takes an optional Axes and returns it."""

from __future__ import annotations

from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np
from matplotlib.axes import Axes

from bioact.activations import sigmoid
from bioact.plot._common import get_ax

__all__ = ["plot_bifurcation", "plot_fi_curves", "plot_gating", "plot_phase_plane", "plot_trace"]


def plot_fi_curves(curves: Mapping[str, tuple], ax: Axes | None = None) -> Axes:
    """f-I curves on one axes: ``{label: (currents_uA_cm2, rates_hz)}``."""
    ax = get_ax(ax)
    for label, (currents, rates) in curves.items():
        ax.plot(np.asarray(currents), np.asarray(rates), ".-", ms=3, label=label)
    ax.set_xlabel("injected current (µA/cm²)")
    ax.set_ylabel("firing rate (Hz)")
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_trace(ts, v, spike_times=None, ax: Axes | None = None, threshold: float = 0.0) -> Axes:
    """Voltage trace (ms, mV) with detected spikes marked at the threshold."""
    ax = get_ax(ax, (7.0, 3.0))
    ax.plot(np.asarray(ts), np.asarray(v), lw=0.8, color="k")
    if spike_times is not None:
        st = np.asarray(spike_times)
        st = st[np.isfinite(st)]
        ax.plot(st, np.full(st.shape, threshold), "rv", ms=4, label=f"spikes ({st.size})")
        ax.legend(frameon=False, fontsize=8, loc="upper right")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("V (mV)")
    return ax


def plot_gating(model, ax: Axes | None = None, v_range=(-100.0, 40.0)) -> Axes:
    """Steady-state gating curves x_inf(V) with the logistic ``sigmoid`` fitted at each midpoint.

    For every curve the dashed line is ``sigmoid((V - V_half)/k)`` with V_half where x_inf = 1/2
    and k from the slope there (k = 1 / (4 x_inf'(V_half))): the activation function that a
    gate *is* (exactly for Boltzmann gates, approximately for HH-type rate ratios).
    """
    ax = get_ax(ax)
    v = jnp.linspace(*v_range, 561)
    for name, curve in model.gating_curves(v).items():
        c = np.asarray(curve)
        (line,) = ax.plot(np.asarray(v), c, label=name)
        i = int(np.argmin(np.abs(c - 0.5)))
        if 0 < i < c.size - 1 and abs(c[i] - 0.5) < 0.05:
            vh = float(v[i])
            slope = float(jax.grad(lambda x, n=name: model.gating_curves(x)[n])(vh))
            if slope != 0:
                k = 1.0 / (4.0 * slope)
                ax.plot(v, sigmoid((v - vh) / k), "--", color=line.get_color(), lw=0.8)
    ax.set_xlabel("V (mV)")
    ax.set_ylabel("steady state (dashed: sigmoid)")
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_phase_plane(model, current: float, trajectory=None, ax: Axes | None = None) -> Axes:
    """Morris--Lecar (V, w) phase plane: V- and w-nullclines, fixed points, a trajectory."""
    from bioact.neuron.fixed_points import eigenvalues, fixed_points

    ax = get_ax(ax)
    v = jnp.linspace(-70.0, 50.0, 600)
    w_v = (
        current - model.g_l * (v - model.v_l) - model.g_ca * model.m_inf(v) * (v - model.v_ca)
    ) / (model.g_k * (v - model.v_k))
    ax.plot(v, w_v, color="tab:blue", label="dV/dt = 0")
    ax.plot(v, model.w_inf(v), color="tab:orange", label="dw/dt = 0")
    for y in fixed_points(model, current):
        stable = bool(np.all(np.asarray(eigenvalues(model, y, current)).real < 0))
        ax.plot(y[0], y[1], "o", mfc="k" if stable else "w", mec="k", zorder=5)
    if trajectory is not None:
        ax.plot(np.asarray(trajectory["V"]), np.asarray(trajectory["w"]), "k", lw=0.8)
    ax.set_ylim(-0.05, 0.8)
    ax.set_xlabel("V (mV)")
    ax.set_ylabel("w")
    ax.set_title(f"I = {current:g} µA/cm²", fontsize=9)
    ax.legend(frameon=False, fontsize=8)
    return ax


def plot_bifurcation(model, currents, ax: Axes | None = None) -> Axes:
    """Real parts of the Jacobian eigenvalues along the resting branch vs current."""
    from bioact.neuron.fixed_points import resting_branch

    ax = get_ax(ax)
    _, eigs = resting_branch(model, currents)
    eigs = np.asarray(eigs)
    c = np.asarray(currents)
    order = np.argsort(-eigs.real, axis=-1)
    eigs = np.take_along_axis(eigs, order, axis=-1)
    for j in range(min(eigs.shape[-1], 3)):
        complex_ = np.abs(eigs[:, j].imag) > 1e-9
        ax.plot(c, eigs[:, j].real, lw=1, label=f"Re λ{j + 1}")
        ax.plot(c[complex_], eigs[complex_, j].real, "k.", ms=2)
    ax.axhline(0.0, color="grey", lw=0.6)
    ax.set_xlabel("injected current (µA/cm²)")
    ax.set_ylabel("Re λ of rest (1/ms); dots: complex")
    ax.set_ylim(-1.0, 0.5)
    ax.legend(frameon=False, fontsize=8)
    return ax

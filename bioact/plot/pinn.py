"""PINN figures: solution vs reference, pointwise error, residual, loss/error history, and the
activation comparison (error vs iteration for several activations on one problem and seed).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bioact.plot._common import get_ax

__all__ = ["plot_activation_comparison", "plot_error_history", "plot_pinn_result"]


def _positive(values) -> np.ndarray:
    """|values| with exact zeros (hard boundary ends) masked out of a log plot."""
    a = np.abs(np.asarray(values, dtype=float))
    return np.where(a > 0, a, np.nan)


def plot_pinn_result(result, fig: Figure | None = None) -> Figure:
    """Four panels for one :class:`~bioact.pinn.PINNResult`: u_pinn and u_ref, |error|
    (log), |residual| (log) on the dense grid, and loss + rel L2 error per evaluation
    (dotted line: start of L-BFGS). Returns the figure (10 x 7 in if ``fig`` is None).
    """
    if fig is None:
        fig = plt.figure(figsize=(10, 7), layout="constrained")
    axes = fig.subplots(2, 2)
    m, cfg = result.metrics, result.config
    ax = axes[0, 0]
    ax.plot(result.x, result.u_ref, "k-", lw=2.5, alpha=0.4, label=f"{m['reference']} reference")
    ax.plot(result.x, result.u, "C0--", lw=1.2, label=f"PINN ({cfg.activation})")
    ax.set(xlabel="x", ylabel="u", title=f"{result.problem.name}: rel L2 = {m['rel_l2']:.2e}")
    ax.legend(fontsize=8)
    ax = axes[0, 1]
    ax.semilogy(result.x, _positive(result.u - result.u_ref), "C3")
    ax.set(xlabel="x", ylabel="|u_pinn - u_ref|", title=f"max error {m['max_err']:.2e}")
    ax = axes[1, 0]
    ax.semilogy(result.x, _positive(result.residual), "C2")
    ax.set(xlabel="x", ylabel="|residual|", title=f"RMS residual {m['residual']:.2e}")
    ax = axes[1, 1]
    steps = np.arange(1, len(result.loss_history) + 1)
    ax.semilogy(steps, _positive(result.loss_history), "C0", label="loss")
    ax.semilogy(steps, result.error_history, "C3", label="rel L2 error")
    ax.axvline(cfg.adam_steps, color="0.5", ls=":", lw=1)
    ax.set(
        xlabel="loss evaluation (Adam | L-BFGS)",
        title=(f"compile {m['compile_s']:.1f} s, run {m['run_s']:.1f} s"),
    )
    ax.legend(fontsize=8)
    return fig


def plot_error_history(result, ax: Axes | None = None, label: str | None = None) -> Axes:
    """Rel L2 error per loss evaluation of one run (log scale) on ``ax``."""
    ax = get_ax(ax)
    steps = np.arange(1, len(result.error_history) + 1)
    ax.semilogy(steps, _positive(result.error_history), label=label or result.config.activation)
    ax.set(xlabel="loss evaluation", ylabel="rel L2 error")
    return ax


def plot_activation_comparison(results: Mapping[str, object], fig: Figure | None = None) -> Figure:
    """Two panels for ``{activation: PINNResult}`` on one problem and seed: rel L2 error vs
    loss evaluation (log) and the final pointwise error ``|u - u_ref|`` along x (log).
    """
    if fig is None:
        fig = plt.figure(figsize=(11, 4), layout="constrained")
    ax_hist, ax_err = fig.subplots(1, 2)
    first = next(iter(results.values()))
    for name, res in results.items():
        plot_error_history(res, ax_hist, f"{name} ({res.metrics['rel_l2']:.1e})")
        ax_err.semilogy(res.x, _positive(res.u - res.u_ref), label=name)
    ax_hist.axvline(first.config.adam_steps, color="0.5", ls=":", lw=1)
    ax_hist.set_title(f"{first.problem.name}, seed {first.config.seed}: Adam | L-BFGS")
    ax_hist.legend(fontsize=8)
    ax_err.set(xlabel="x", ylabel="|u_pinn - u_ref|", title="final pointwise error")
    ax_err.legend(fontsize=8)
    return fig

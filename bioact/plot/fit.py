"""Fit figure: data (with error bars when sigma is known), fitted curve, residuals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_fit"]


def plot_fit(
    result,
    fig: Figure | None = None,
    *,
    xlabel: str = "x",
    ylabel: str = "y",
    logx: bool = False,
    n_curve: int = 400,
) -> Figure:
    """Two panels for a :class:`bioact.fit.FitResult` made with ``predict=``: the data and the
    fitted curve (evaluated on ``n_curve`` points spanning the data), and the weighted
    residuals ``(y - fit)/sigma`` (raw residuals when no sigma was given).

    Returns the figure (created 6 x 5.5 in if ``fig`` is None).
    """
    x, y, sigma = result.data
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if fig is None:
        fig = plt.figure(figsize=(6, 5.5), layout="constrained")
    ax, axr = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.3))
    lo, hi = float(np.min(x)), float(np.max(x))
    grid = np.geomspace(lo, hi, n_curve) if logx and lo > 0 else np.linspace(lo, hi, n_curve)
    curve = np.asarray(result.curve(grid))
    y2 = y.reshape(len(x), -1)
    c2 = curve.reshape(len(grid), -1)
    s2 = None if sigma is None else np.asarray(sigma).reshape(y2.shape)
    r2 = -np.asarray(result.residuals).reshape(y2.shape)  # (y - fit) / sigma
    for j in range(y2.shape[1]):
        color = f"C{j}"
        if s2 is None:
            ax.plot(x, y2[:, j], "o", color=color, ms=4, label="data")
        else:
            ax.errorbar(x, y2[:, j], s2[:, j], fmt="o", color=color, ms=4, capsize=2, label="data")
        ax.plot(grid, c2[:, j], "-", color=color, lw=1.5, label="fit")
        axr.plot(x, r2[:, j], "o", color=color, ms=4)
    axr.axhline(0.0, color="0.4", lw=0.8)
    est = ", ".join(f"{n}={result.estimates[n]:.4g}±{result.stderr[n]:.2g}" for n in result.names)
    ax.set_title(est, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    axr.set_ylabel("(y - fit)/σ" if sigma is not None else "y - fit")
    axr.set_xlabel(xlabel)
    if logx and lo > 0:
        ax.set_xscale("log")
    return fig

"""Sweep results: a heat map over two product axes, or lines over one."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from bioact.plot._common import get_ax
from bioact.sweep import SweepResult

__all__ = ["plot_sweep"]


def plot_sweep(
    result: SweepResult,
    name: str,
    ax: Axes | None = None,
    x: str | None = None,
    y: str | None = None,
    log: tuple[bool, bool] = (False, False),
    log_color: bool = False,
) -> Axes:
    """Plot output ``name`` of a product-grid sweep; failed rows are left blank (NaN).

    Two axes: a ``pcolormesh`` heat map (``x`` along the horizontal, default the last axis)
    with a colour bar. One axis: a line. More axes: one line per value of the other axes is
    too many, so the first two are used and the rest must have length 1. ``log`` sets
    logarithmic x/y scales, ``log_color`` a logarithmic colour scale (positive values). Returns
    the Axes.

    >>> ax = plot_sweep(res, "rate")  # doctest: +SKIP
    """
    grid = result.grid
    if grid.kind != "product":
        raise ValueError(f"plot_sweep needs a Grid.product sweep, got kind={grid.kind!r}")
    values = np.where(result.failed, np.nan, result[name].astype(float))
    if values.ndim != 1:
        raise ValueError(f"plot_sweep plots scalar outputs, got {name!r} with shape {values.shape}")
    axes = {k: v for k, v in grid.axes.items()}
    varying = [k for k, v in axes.items() if len(v) > 1] or list(axes)[:1]
    if len(varying) > 2:
        raise ValueError(f"plot_sweep shows at most two varying axes, got {varying}")
    cube = values.reshape(grid.shape).squeeze()
    ax = get_ax(ax)
    if len(varying) == 1:
        (xname,) = varying
        ax.plot(axes[xname], cube.reshape(-1), "o-", ms=3)
        ax.set_xlabel(xname)
        ax.set_ylabel(name)
    else:
        order = list(grid.names)
        first, second = [k for k in order if k in varying]
        xname = x or second
        yname = y or (first if xname == second else second)
        if {xname, yname} != {first, second}:
            raise ValueError(f"x and y must be the varying axes {varying}, got x={x!r}, y={y!r}")
        image = cube if (yname, xname) == (first, second) else cube.T
        norm = None
        if log_color:
            from matplotlib.colors import LogNorm

            positive = image[np.isfinite(image) & (image > 0)]
            if positive.size:
                norm = LogNorm(vmin=positive.min(), vmax=positive.max())
        mesh = ax.pcolormesh(axes[xname], axes[yname], image, shading="nearest", norm=norm)
        ax.figure.colorbar(mesh, ax=ax, label=name)
        ax.set_xlabel(xname)
        ax.set_ylabel(yname)
    if log[0]:
        ax.set_xscale("log")
    if log[1]:
        ax.set_yscale("log")
    return ax

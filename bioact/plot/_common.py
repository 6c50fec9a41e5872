"""Shared plotting helpers."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def savefig(fig: Figure, path: str | Path, *, svg: bool = False, dpi: int = 150) -> Path:
    """Save ``fig`` as PNG at ``path`` (and an SVG beside it if ``svg``); closes the figure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    if svg:
        fig.savefig(path.with_suffix(".svg"), bbox_inches="tight")
    plt.close(fig)
    return path


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (5.0, 3.5)) -> Axes:
    """``ax`` itself, or the axes of a new figure."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax

"""Plots: every function takes an optional matplotlib ``Axes`` (or ``Figure`` for multi-panel
figures), draws on it and returns it. Nothing here calls ``plt.show()``; save with
:func:`savefig`. Importing this module imports matplotlib (``import bioact`` does not).
"""

from bioact.plot._common import savefig
from bioact.plot.activations import activation_gallery, plot_activation
from bioact.plot.neuron import (
    plot_bifurcation,
    plot_fi_curves,
    plot_gating,
    plot_phase_plane,
    plot_trace,
)

__all__ = [
    "activation_gallery",
    "plot_activation",
    "plot_bifurcation",
    "plot_fi_curves",
    "plot_gating",
    "plot_phase_plane",
    "plot_trace",
    "savefig",
]

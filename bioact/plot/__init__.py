"""Plots: every function takes an optional matplotlib ``Axes`` (or ``Figure`` for multi-panel
figures), draws on it and returns it. Nothing here calls ``plt.show()``; save with
:func:`savefig`. Importing this module imports matplotlib (``import bioact`` does not).
"""

from bioact.plot._common import savefig
from bioact.plot.activations import activation_gallery, plot_activation
from bioact.plot.circuits import ffl_gallery, plot_delay_comparison, plot_pulse, plot_pulse_heatmap
from bioact.plot.fit import plot_fit
from bioact.plot.neuron import (
    plot_bifurcation,
    plot_fi_curves,
    plot_gating,
    plot_phase_plane,
    plot_trace,
)
from bioact.plot.pinn import plot_activation_comparison, plot_error_history, plot_pinn_result
from bioact.plot.sweep import plot_sweep

__all__ = [
    "activation_gallery",
    "ffl_gallery",
    "plot_activation",
    "plot_activation_comparison",
    "plot_bifurcation",
    "plot_delay_comparison",
    "plot_error_history",
    "plot_fi_curves",
    "plot_fit",
    "plot_gating",
    "plot_phase_plane",
    "plot_pinn_result",
    "plot_pulse",
    "plot_pulse_heatmap",
    "plot_sweep",
    "plot_trace",
    "savefig",
]

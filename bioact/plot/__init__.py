"""Plots: every function takes an optional matplotlib ``Axes`` (or ``Figure`` for multi-panel
figures), draws on it and returns it. Nothing here calls ``plt.show()``; save with
:func:`savefig`. Importing this module imports matplotlib (``import bioact`` does not).
"""

from bioact.plot._common import savefig
from bioact.plot.activations import activation_gallery, plot_activation
from bioact.plot.circuits import ffl_gallery, plot_delay_comparison, plot_pulse, plot_pulse_heatmap

__all__ = [
    "activation_gallery",
    "ffl_gallery",
    "plot_activation",
    "plot_delay_comparison",
    "plot_pulse",
    "plot_pulse_heatmap",
    "savefig",
]

"""Plots: every function takes an optional matplotlib ``Axes`` (or ``Figure`` for multi-panel
figures), draws on it and returns it. Nothing here calls ``plt.show()``; save with
:func:`savefig`. Importing this module imports matplotlib (``import bioact`` does not).
"""

from bioact.plot._common import savefig
from bioact.plot.activations import activation_gallery, plot_activation
from bioact.plot.fit import plot_fit
from bioact.plot.pinn import plot_activation_comparison, plot_error_history, plot_pinn_result
from bioact.plot.sweep import plot_sweep

__all__ = [
    "activation_gallery",
    "plot_activation",
    "plot_activation_comparison",
    "plot_error_history",
    "plot_fit",
    "plot_pinn_result",
    "plot_sweep",
    "savefig",
]

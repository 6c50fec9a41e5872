"""Neuron excitability: conductance models, on-the-fly spike detection, f-I curves, rheobase,
fixed points and the bifurcation that makes a neuron Type I or Type II.

>>> import bioact.neuron as bn
>>> model = bn.load_model("hh1952")
>>> res = bn.fi_curve(model, [0.0, 10.0], duration=300.0)  # doctest: +SKIP
"""

from bioact.neuron.classify import Bistability, Excitability, bistability, classify_excitability
from bioact.neuron.fi import FICurve, fi_curve, rheobase
from bioact.neuron.fixed_points import (
    Bifurcation,
    eigenvalues,
    find_bifurcation,
    fixed_points,
    resting_branch,
    resting_state,
)
from bioact.neuron.models import (
    AbstractNeuron,
    ConnorStevens,
    HodgkinHuxley,
    MorrisLecar,
    WangBuzsaki,
)
from bioact.neuron.presets import PRESETS, load_model, load_preset

__all__ = [
    "PRESETS",
    "AbstractNeuron",
    "Bifurcation",
    "Bistability",
    "ConnorStevens",
    "Excitability",
    "FICurve",
    "HodgkinHuxley",
    "MorrisLecar",
    "WangBuzsaki",
    "bistability",
    "classify_excitability",
    "eigenvalues",
    "fi_curve",
    "find_bifurcation",
    "fixed_points",
    "load_model",
    "load_preset",
    "resting_branch",
    "resting_state",
    "rheobase",
]

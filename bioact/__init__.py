"""bioact: biological and physical analogues of neural-network activation functions.

Importing bioact enables JAX's float64 mode (``jax_enable_x64``) because the
stiff conductance models, tight-tolerance reference comparisons and PINN
training to 1e-6 relative error all need double precision. Set the
environment variable ``BIOACT_X64=0`` *before* importing bioact to keep JAX's
float32 default; every routine also runs in float32.

``import bioact`` does not import matplotlib: plotting lives in
:mod:`bioact.plot` and is imported only when used.
"""

import os as _os

import jax as _jax

if _os.environ.get("BIOACT_X64", "1").strip().lower() not in ("0", "false", "no", "off"):
    _jax.config.update("jax_enable_x64", True)

__version__ = "0.1.0"

from bioact import activations, gradflow, identities, stimuli  # noqa: E402
from bioact.errors import BioactError, SimulationError  # noqa: E402
from bioact.solve import (  # noqa: E402
    AbstractModel,
    Trajectory,
    UnrolledERK,
    default_solver,
    simulate,
)
from bioact.stimuli import Constant, Pulse, Ramp, Step  # noqa: E402

_LAZY_SUBMODULES = (
    "batching",
    "circuits",
    "cli",
    "fit",
    "io",
    "neuron",
    "pinn",
    "plot",
    "sweep",
)


def __getattr__(name: str):
    """Import domain subpackages on first use (``bioact.neuron``): ``import bioact`` stays light."""
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"bioact.{name}")
    raise AttributeError(f"module 'bioact' has no attribute {name!r}")


__all__ = [
    "AbstractModel",
    "BioactError",
    "Constant",
    "Pulse",
    "Ramp",
    "SimulationError",
    "Step",
    "Trajectory",
    "UnrolledERK",
    "__version__",
    "activations",
    "default_solver",
    "gradflow",
    "identities",
    "simulate",
    "stimuli",
]

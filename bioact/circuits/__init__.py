"""Gene circuits: Hill-function feed-forward loops, input protocols, pulse metrics, SBML export.

>>> from bioact.circuits import FFL, run_protocol
>>> res = run_protocol(FFL("c1", "and"), "on", t_end=10.0)
>>> res.traj["z"].shape
(201,)
"""

from bioact.circuits.ffl import (
    FFL,
    LOGICS,
    PARAM_NAMES,
    SIGNS,
    TYPES,
    SimpleRegulation,
    default_params,
    edge,
    expand_params,
)
from bioact.circuits.metrics import (
    adaptation_precision,
    crossing_time,
    ffl_metrics,
    half_height_width,
    peak,
    response_time,
)
from bioact.circuits.protocols import (
    PROTOCOLS,
    ProtocolResult,
    fold_change,
    input_pulse,
    make_protocol,
    run_protocol,
    step_off,
    step_on,
)

__all__ = [
    "FFL",
    "LOGICS",
    "PARAM_NAMES",
    "PROTOCOLS",
    "SIGNS",
    "TYPES",
    "ProtocolResult",
    "SimpleRegulation",
    "adaptation_precision",
    "crossing_time",
    "default_params",
    "edge",
    "expand_params",
    "ffl_metrics",
    "fold_change",
    "half_height_width",
    "input_pulse",
    "make_protocol",
    "peak",
    "response_time",
    "run_protocol",
    "step_off",
    "step_on",
]

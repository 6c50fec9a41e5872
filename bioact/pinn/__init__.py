"""Physics-informed neural networks for second-order boundary-value problems.

Declare a problem from parts (:class:`LinearBVP`, :class:`NonlinearBVP`,
:class:`BoundaryCondition`) or load a preset (:func:`load_problem`), train with
:func:`train` (Adam then L-BFGS, one compiled program) and compare with the exact,
Chebyshev or ``solve_bvp`` reference (:mod:`bioact.pinn.reference`). Activations come from
the :mod:`bioact.activations` registry by name; those below C^2 are refused unless
``allow_nonsmooth=True`` because ``u''`` of a ReLU network vanishes almost everywhere.

>>> from bioact.pinn import load_problem, train
>>> problem, settings = load_problem("poisson_sin")  # doctest: +SKIP
>>> train(problem, activation="tanh").metrics["rel_l2"]  # doctest: +SKIP
"""

from bioact.pinn.network import MLP, check_activation, derivatives, make_network, solution
from bioact.pinn.presets import load_problem, preset_names, problem_from_dict
from bioact.pinn.problem import (
    AbstractBVP,
    BoundaryCondition,
    LinearBVP,
    NonlinearBVP,
    bratu_theta,
)
from bioact.pinn.reference import (
    bvp_solve,
    chebyshev_solve,
    error_metrics,
    reference_solution,
)
from bioact.pinn.train import PINNConfig, PINNResult, train

__all__ = [
    "MLP",
    "AbstractBVP",
    "BoundaryCondition",
    "LinearBVP",
    "NonlinearBVP",
    "PINNConfig",
    "PINNResult",
    "bratu_theta",
    "bvp_solve",
    "check_activation",
    "chebyshev_solve",
    "derivatives",
    "error_metrics",
    "load_problem",
    "make_network",
    "preset_names",
    "problem_from_dict",
    "reference_solution",
    "solution",
    "train",
]

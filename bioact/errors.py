"""Exception classes for numerical failures.

Bad *arguments* raise :class:`ValueError` naming the argument and echoing its
value; numerical *failures* (a solver that hit ``max_steps``, a NaN state, an
optimiser that did not converge) raise a :class:`BioactError` subclass whose
message says what failed and what to try.
"""


class BioactError(RuntimeError):
    """Base class of bioact's numerical-failure errors."""


class SimulationError(BioactError):
    """An ODE solve failed (step-size collapse, ``max_steps`` reached, non-finite state).

    Attributes:
        failed: indices of the failing batch elements (empty tuple for an unbatched solve).
        reasons: one human-readable reason per failing element.
    """

    def __init__(self, message: str, failed: tuple = (), reasons: tuple = ()):
        super().__init__(message)
        self.failed = tuple(failed)
        self.reasons = tuple(reasons)


class ConvergenceError(BioactError):
    """An iterative method (root finder, optimiser, bisection) did not converge."""

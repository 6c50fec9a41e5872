"""Inputs as functions of continuous time: constant, step, pulse, ramp.

A stimulus is a small ``equinox.Module``: call it with a time ``t`` to get the input
(an injected current in µA/cm² for neurons, a signal level for gene circuits). Its
``jump_ts`` are the times where it is discontinuous (in value or slope);
:func:`bioact.simulate` hands them to the step-size controller so that the solver
steps exactly onto a jump instead of rejecting steps around it -- the continuous-time
replacement for ``int(t / dt)`` sample indices.

All numeric fields are arrays, so stimuli can be ``vmap``-ed over (e.g. one constant
current per batch element) and differentiated.

>>> from bioact.stimuli import Step
>>> s = Step(t_on=10.0, amplitude=5.0)
>>> float(s(9.0)), float(s(11.0))
(0.0, 5.0)
"""

from __future__ import annotations

import abc

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from bioact._checks import is_concrete, positive

__all__ = ["AbstractStimulus", "Constant", "Pulse", "Ramp", "Step", "as_stimulus"]


def _arr(x) -> Array:
    return jnp.asarray(x, dtype=jnp.result_type(float))


class AbstractStimulus(eqx.Module):
    """Base class: ``__call__(t)`` returns the input at time t; ``jump_ts`` its discontinuities."""

    @abc.abstractmethod
    def __call__(self, t: ArrayLike) -> Array: ...

    @property
    @abc.abstractmethod
    def jump_ts(self) -> Float[Array, " jumps"] | None: ...


class Constant(AbstractStimulus):
    """A constant input ``value`` for all t (no jumps)."""

    value: Array = eqx.field(converter=_arr)

    def __call__(self, t):
        return self.value + 0.0 * t

    @property
    def jump_ts(self):
        return None


class Step(AbstractStimulus):
    """``baseline`` before ``t_on``, ``baseline + amplitude`` from ``t_on`` on."""

    t_on: Array = eqx.field(converter=_arr)
    amplitude: Array = eqx.field(converter=_arr)
    baseline: Array = eqx.field(converter=_arr, default=0.0)

    def __call__(self, t):
        return jnp.where(t >= self.t_on, self.baseline + self.amplitude, self.baseline)

    @property
    def jump_ts(self):
        return jnp.atleast_1d(self.t_on)


class Pulse(AbstractStimulus):
    """``baseline + amplitude`` on ``[t_on, t_on + width)``, ``baseline`` elsewhere."""

    t_on: Array = eqx.field(converter=_arr)
    width: Array = eqx.field(converter=_arr)
    amplitude: Array = eqx.field(converter=_arr)
    baseline: Array = eqx.field(converter=_arr, default=0.0)

    def __check_init__(self):
        positive("width", self.width)

    def __call__(self, t):
        on = (t >= self.t_on) & (t < self.t_on + self.width)
        return jnp.where(on, self.baseline + self.amplitude, self.baseline)

    @property
    def jump_ts(self):
        return jnp.stack([self.t_on, self.t_on + self.width])


class Ramp(AbstractStimulus):
    """Linear ramp from ``start`` at ``t0`` to ``stop`` at ``t1``, constant outside (kinks)."""

    t0: Array = eqx.field(converter=_arr)
    t1: Array = eqx.field(converter=_arr)
    start: Array = eqx.field(converter=_arr)
    stop: Array = eqx.field(converter=_arr)

    def __check_init__(self):
        if is_concrete(self.t0) and is_concrete(self.t1) and bool(jnp.any(self.t1 <= self.t0)):
            raise ValueError(f"t1 must be > t0, got t0={self.t0}, t1={self.t1}")

    def __call__(self, t):
        frac = jnp.clip((t - self.t0) / (self.t1 - self.t0), 0.0, 1.0)
        return self.start + (self.stop - self.start) * frac

    @property
    def jump_ts(self):
        return jnp.stack([self.t0, self.t1])


def as_stimulus(x: AbstractStimulus | ArrayLike | None) -> AbstractStimulus:
    """``None`` -> ``Constant(0)``, a number/array -> ``Constant(x)``, a stimulus -> itself."""
    if x is None:
        return Constant(0.0)
    if isinstance(x, AbstractStimulus):
        return x
    if callable(x):
        raise ValueError(
            "stimulus must be a bioact.stimuli stimulus (Constant, Step, Pulse, Ramp) or a number, "
            f"got a plain callable {x!r}; wrap time-dependence in an AbstractStimulus subclass so "
            "its jump times are known"
        )
    return Constant(x)

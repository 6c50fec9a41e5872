"""Type I vs Type II excitability (Hodgkin 1948; Rinzel & Ermentrout 1989) and bistability.

* **Type I**: the resting state disappears in a saddle-node bifurcation *on* the limit cycle
  (SNIC); the f-I curve is continuous and starts at an arbitrarily low rate.
* **Type II**: rest loses stability in a Hopf bifurcation (or a saddle-node off the cycle);
  firing starts abruptly at a non-zero rate, often below the bifurcation current (stable
  rest and stable firing coexist -- a bistable window).

:func:`classify_excitability` combines the bifurcation of the resting branch
(:func:`bioact.neuron.find_bifurcation`) with the f-I rheobase: a saddle-node with no firing
below it is a SNIC (Type I); a Hopf point, or firing below the fold, is Type II.

>>> import bioact.neuron as bn
>>> bn.classify_excitability(bn.HodgkinHuxley()).kind  # doctest: +SKIP
'II'
"""

from __future__ import annotations

import dataclasses

import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike

from bioact.neuron.fi import fi_curve, rheobase
from bioact.neuron.fixed_points import Bifurcation, find_bifurcation, resting_branch

__all__ = ["Bistability", "Excitability", "bistability", "classify_excitability"]


@dataclasses.dataclass(frozen=True)
class Excitability:
    """Excitability class with its evidence.

    Attributes:
        kind: ``"I"`` or ``"II"``.
        bifurcation: the :class:`Bifurcation` of the resting branch; its ``kind`` is refined
            to ``"SNIC"`` when the saddle-node lies on the limit cycle.
        rheobase: smallest firing current in the f-I protocol (uA/cm^2), +-``tol``.
        rate_at_rheobase_hz: mean-ISI rate there (Hz): ~0 for Type I, clearly > 0 for II.
        evidence: one sentence saying why.
    """

    kind: str
    bifurcation: Bifurcation
    rheobase: float
    rate_at_rheobase_hz: float
    evidence: str

    def as_dict(self) -> dict:
        return {
            "excitability_class": f"Type {self.kind}",
            "bifurcation": self.bifurcation.kind,
            "bifurcation_current_uA_cm2": self.bifurcation.current,
            "bifurcation_voltage_mV": self.bifurcation.voltage,
            "rheobase_uA_cm2": self.rheobase,
            "rate_at_rheobase_hz": self.rate_at_rheobase_hz,
            "evidence": self.evidence,
        }


def classify_excitability(
    model, i_max: float = 200.0, *, tol: float = 0.01, **fi_kwargs
) -> Excitability:
    """Classify ``model`` as Type I or Type II excitable, with the evidence.

    Args:
        model: a neuron model.
        i_max: largest current searched for the bifurcation (uA/cm^2), default 200.
        tol: rheobase tolerance (uA/cm^2), default 0.01.
        **fi_kwargs: protocol options passed to :func:`fi_curve` (duration, transient, ...).
    """
    bif = find_bifurcation(model, i_max)
    if bif.kind == "none":
        raise ValueError(f"no bifurcation of the resting state for currents up to i_max={i_max}")
    top = bif.current * 1.25 + 1.0
    i_rh, f_rh = rheobase(model, 0.0, top, tol=tol, **fi_kwargs)
    if bif.kind == "saddle-node" and i_rh >= bif.current - 2 * tol:
        bif = dataclasses.replace(bif, kind="SNIC")
        kind = "I"
        why = (
            f"rest vanishes in a saddle-node at I = {bif.current:.3f} uA/cm^2 with no firing "
            f"below it (rheobase {i_rh:.2f}); onset rate {f_rh:.1f} Hz"
        )
    else:
        kind = "II"
        how = "a Hopf bifurcation" if bif.kind == "hopf" else "a saddle-node off the cycle"
        why = (
            f"rest loses stability in {how} at I = {bif.current:.3f} uA/cm^2; firing starts "
            f"abruptly at rheobase {i_rh:.2f} uA/cm^2 with {f_rh:.1f} Hz"
        )
        if i_rh < bif.current - 2 * tol:
            why += " (below the bifurcation: stable rest and firing coexist)"
    return Excitability(kind, bif, i_rh, f_rh, why)


@dataclasses.dataclass(frozen=True)
class Bistability:
    """Up- vs down-sweep rates and the bistable window (uA/cm^2), NaN window if none."""

    currents: np.ndarray
    rate_up_hz: np.ndarray
    rate_down_hz: np.ndarray
    window: tuple[float, float]


def bistability(
    model, currents: ArrayLike, *, i_kick: float | None = None, **fi_kwargs
) -> Bistability:
    """Compare an up-sweep (start at rest) with a down-sweep (start on the limit cycle).

    Up: each current starts from its own lowest fixed point, so it fires only if rest is
    unstable there. Down: each current starts from the state reached after firing at
    ``i_kick`` (default: the largest current), so it fires wherever a stable limit cycle
    exists. Bistable currents: the down-sweep fires while the resting fixed point is stable
    (all Jacobian eigenvalues with negative real part; just above a Hopf point the up-sweep
    may need longer than ``duration`` to leave the weakly unstable rest).

    >>> import bioact.neuron as bn, jax.numpy as jnp
    >>> b = bistability(bn.HodgkinHuxley(), jnp.linspace(4, 12, 33))  # doctest: +SKIP
    >>> b.window  # doctest: +SKIP
    (6.25, 9.75)
    """
    currents = jnp.asarray(currents, dtype=jnp.result_type(float))
    i_kick = float(currents[-1]) if i_kick is None else float(i_kick)
    rest, eigs = resting_branch(model, currents)
    stable_rest = np.asarray(jnp.max(jnp.real(eigs), axis=-1) < 0)
    up = fi_curve(model, currents, y0=rest, **fi_kwargs)
    firing = fi_curve(model, jnp.full(currents.shape, i_kick), **fi_kwargs).final_state
    down = fi_curve(model, currents, y0=firing, **fi_kwargs)
    both = np.asarray(down.rate_hz > 0) & stable_rest
    c = np.asarray(currents)
    window = (float(c[both].min()), float(c[both].max())) if both.any() else (np.nan, np.nan)
    return Bistability(c, np.asarray(up.rate_hz), np.asarray(down.rate_hz), window)

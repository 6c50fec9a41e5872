"""SBML Level 3 export of feed-forward loops (python-libsbml, the optional ``sbml`` extra).

The document opens in COPASI, Tellurium/libroadrunner and any L3V2 tool: species ``Y``, ``Z``
(amounts in a unit compartment, so amount = concentration), the 11 FFL parameters as global
constants (names as in :data:`bioact.circuits.PARAM_NAMES`), the input ``Sx`` as an
assignment rule of ``time`` (piecewise for steps and pulses), ``X_star = x_total * Sx``, and
four reactions (production and first-order loss of Y and Z) whose kinetic laws are the Hill
expressions of :class:`bioact.circuits.FFL`. Everything is dimensionless (time in 1/alpha).

>>> from bioact.circuits import FFL, step_on
>>> from bioact.circuits.sbml import to_sbml
>>> xml = to_sbml(FFL("i1", "and"), stimulus=step_on())  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bioact.circuits.ffl import FFL, PARAM_NAMES
from bioact.stimuli import AbstractStimulus, Constant, Pulse, Step

__all__ = ["stimulus_formula", "to_sbml", "write_sbml"]


def _libsbml():
    try:
        import libsbml
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise ImportError("SBML export needs python-libsbml: pip install 'bioact[sbml]'") from None
    return libsbml


def _num(x) -> str:
    return repr(float(np.asarray(x)))


def stimulus_formula(stimulus: AbstractStimulus | None) -> str:
    """SBML L3 formula of ``Sx(time)`` for a Constant, Step or Pulse stimulus."""
    if stimulus is None:
        return "0"
    if isinstance(stimulus, Constant):
        return _num(stimulus.value)
    if isinstance(stimulus, Step):
        on = _num(stimulus.baseline + stimulus.amplitude)
        return f"piecewise({on}, time >= {_num(stimulus.t_on)}, {_num(stimulus.baseline)})"
    if isinstance(stimulus, Pulse):
        t_on, t_off = _num(stimulus.t_on), _num(stimulus.t_on + stimulus.width)
        on = _num(stimulus.baseline + stimulus.amplitude)
        return f"piecewise({on}, (time >= {t_on}) && (time < {t_off}), {_num(stimulus.baseline)})"
    raise ValueError(
        f"stimulus must be a Constant, Step or Pulse for SBML export, got {type(stimulus).__name__}"
    )


def _hill(u: str, k: str, n: str, sign: int) -> str:
    num = f"pow({u}, {n})" if sign > 0 else f"pow({k}, {n})"
    return f"{num} / (pow({k}, {n}) + pow({u}, {n}))"


def _check(status: int, what: str) -> None:
    libsbml = _libsbml()
    if status != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise RuntimeError(
            f"libsbml failed to {what}: {libsbml.OperationReturnValue_toString(status)}"
        )


def to_sbml(
    model: FFL,
    stimulus: AbstractStimulus | None = None,
    y0: tuple[float, float] = (0.0, 0.0),
) -> str:
    """The FFL as an SBML Level 3 Version 2 document (a string); ``y0`` = initial (Y, Z).

    Parameters must be concrete (not traced). Raises ``ValueError`` for stimuli other than
    Constant/Step/Pulse.
    """
    libsbml = _libsbml()
    if not isinstance(model, FFL):
        raise ValueError(f"model must be a bioact.circuits.FFL, got {type(model).__name__}")
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId(f"ffl_{model.ffl_type}_{model.logic}")
    m.setName(f"{model.ffl_type.upper()}-FFL with {model.logic.upper()} logic (bioact)")
    for attr in ("TimeUnits", "SubstanceUnits", "ExtentUnits", "VolumeUnits"):
        _check(getattr(m, f"set{attr}")("dimensionless"), f"set {attr}")
    comp = m.createCompartment()
    comp.setId("cell"), comp.setSize(1.0), comp.setConstant(True), comp.setSpatialDimensions(3)
    comp.setUnits("dimensionless")
    for sid, value in zip(("Y", "Z"), y0, strict=True):
        sp = m.createSpecies()
        sp.setId(sid), sp.setCompartment("cell"), sp.setInitialAmount(float(value))
        sp.setHasOnlySubstanceUnits(True), sp.setBoundaryCondition(False), sp.setConstant(False)
        sp.setSubstanceUnits("dimensionless")
    for name in PARAM_NAMES:
        p = m.createParameter()
        p.setId(name), p.setValue(float(getattr(model, name))), p.setConstant(True)
        p.setUnits("dimensionless")
    for sid in ("Sx", "X_star"):
        p = m.createParameter()
        p.setId(sid), p.setValue(0.0), p.setConstant(False), p.setUnits("dimensionless")
    _rule(m, "Sx", stimulus_formula(stimulus))
    _rule(m, "X_star", "x_total * Sx")
    s_xy, s_xz, s_yz = model.signs
    a = _hill("X_star", "k_xz", "n_xz", s_xz)
    b = _hill("Y", "k_yz", "n_yz", s_yz)
    gate = f"({a}) * ({b})" if model.logic == "and" else f"({a}) + ({b}) - ({a}) * ({b})"
    _reaction(m, "Y_production", None, "Y", f"beta_y * {_hill('X_star', 'k_xy', 'n_xy', s_xy)}")
    _reaction(m, "Y_loss", "Y", None, "alpha_y * Y")
    _reaction(m, "Z_production", None, "Z", f"beta_z * ({gate})", modifiers=("Y",))
    _reaction(m, "Z_loss", "Z", None, "alpha_z * Z")
    return libsbml.writeSBMLToString(doc)


def _rule(m, variable: str, formula: str) -> None:
    libsbml = _libsbml()
    rule = m.createAssignmentRule()
    rule.setVariable(variable)
    math = libsbml.parseL3Formula(formula)
    if math is None:
        raise RuntimeError(f"libsbml could not parse {formula!r}: {libsbml.getLastParseL3Error()}")
    _check(rule.setMath(math), f"set the rule for {variable}")


def _reaction(m, rid, reactant, product, formula, modifiers=()) -> None:
    libsbml = _libsbml()
    r = m.createReaction()
    r.setId(rid), r.setReversible(False)
    for sid, make in ((reactant, r.createReactant), (product, r.createProduct)):
        if sid is not None:
            ref = make()
            ref.setSpecies(sid), ref.setStoichiometry(1.0), ref.setConstant(True)
    for sid in modifiers:
        r.createModifier().setSpecies(sid)
    law = r.createKineticLaw()
    math = libsbml.parseL3Formula(formula)
    if math is None:
        raise RuntimeError(f"libsbml could not parse {formula!r}: {libsbml.getLastParseL3Error()}")
    _check(law.setMath(math), f"set the kinetic law of {rid}")


def write_sbml(
    model: FFL,
    path: str | Path,
    stimulus: AbstractStimulus | None = None,
    y0: tuple[float, float] = (0.0, 0.0),
) -> Path:
    """Write :func:`to_sbml` to ``path`` (parent folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_sbml(model, stimulus, y0))
    return path

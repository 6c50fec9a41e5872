"""SBML export: libsbml consistency checks, and re-simulation of the equations read back.

The round trip does not use bioact's equations: it parses the exported kinetic laws and
assignment rules back to infix strings (libsbml.formulaToL3String), evaluates them in Python,
assembles dY/dt and dZ/dt from the reactions' stoichiometry and integrates with scipy.
"""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from bioact.circuits import FFL, run_protocol
from bioact.circuits.sbml import stimulus_formula, to_sbml, write_sbml

libsbml = pytest.importorskip("libsbml")


def _errors(doc):
    doc.checkConsistency()
    errs = [doc.getError(i) for i in range(doc.getNumErrors())]
    return [e.getMessage() for e in errs if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR]


def _py(formula: str) -> str:
    return formula.replace("^", "**").replace("&&", " and ").replace("||", " or ")


def rhs_from_sbml(xml: str):
    doc = libsbml.readSBMLFromString(xml)
    m = doc.getModel()
    consts = {p.getId(): p.getValue() for p in m.getListOfParameters() if p.getConstant()}
    rules = [
        (r.getVariable(), _py(libsbml.formulaToL3String(r.getMath()))) for r in m.getListOfRules()
    ]
    laws = []
    for r in m.getListOfReactions():
        stoich = {}
        for ref in r.getListOfReactants():
            stoich[ref.getSpecies()] = stoich.get(ref.getSpecies(), 0.0) - ref.getStoichiometry()
        for ref in r.getListOfProducts():
            stoich[ref.getSpecies()] = stoich.get(ref.getSpecies(), 0.0) + ref.getStoichiometry()
        laws.append((_py(libsbml.formulaToL3String(r.getKineticLaw().getMath())), stoich))
    species = [s.getId() for s in m.getListOfSpecies()]
    y0 = [s.getInitialAmount() for s in m.getListOfSpecies()]

    def piecewise(a, cond, b):
        return a if cond else b

    def rhs(t, state):
        env = {**consts, "time": t, "piecewise": piecewise, "pow": pow, **dict(zip(species, state))}
        for var, expr in rules:  # rules are written in dependency order
            env[var] = eval(expr, {"__builtins__": {}}, env)  # noqa: S307 - test-only, own file
        d = dict.fromkeys(species, 0.0)
        for expr, stoich in laws:
            v = eval(expr, {"__builtins__": {}}, env)  # noqa: S307
            for sid, s in stoich.items():
                d[sid] += s * v
        return [d[s] for s in species]

    return rhs, species, y0, len(rules)


@pytest.mark.parametrize(
    "ffl_type,logic,protocol", [("c1", "and", "on"), ("i1", "or", "pulse"), ("c4", "and", "on")]
)
def test_sbml_is_valid_and_resimulates(ffl_type, logic, protocol, tmp_path):
    model = FFL(ffl_type, logic, k_yz=0.4, n_xz=3.0, beta_z=1.3)
    res = run_protocol(model, protocol, t_end=6.0, width=1.0)
    y0 = tuple(float(v) for v in res.y0)
    path = write_sbml(model, tmp_path / "sub" / "model.xml", stimulus=res.stimulus, y0=y0)
    doc = libsbml.readSBMLFromFile(str(path))
    assert doc.getLevel() == 3 and doc.getNumErrors() == 0
    assert _errors(doc) == []
    rhs, species, y0, n_rules = rhs_from_sbml(path.read_text())
    assert species == ["Y", "Z"] and n_rules == 2
    ts = np.asarray(res.traj.ts)
    jumps = [0.0, 1.0, 6.0] if protocol == "pulse" else [0.0, 6.0]
    out, state = [], y0
    for t_a, t_b in zip(jumps[:-1], jumps[1:], strict=True):
        mask = (ts >= t_a) & ((ts < t_b) | (t_b == jumps[-1]))
        sol = solve_ivp(rhs, (t_a, t_b), state, method="DOP853", rtol=1e-10, atol=1e-12,
                        dense_output=True)  # fmt: skip
        out.append(sol.sol(ts[mask]).T)
        state = list(sol.y[:, -1])
    ref = np.concatenate(out)
    assert np.max(np.abs(np.asarray(res.traj.ys) - ref)) < 1e-6


def test_stimulus_formula_and_errors():
    from bioact.stimuli import Ramp

    assert stimulus_formula(None) == "0"
    assert "piecewise" in stimulus_formula(run_protocol.__globals__["step_on"]())
    with pytest.raises(ValueError, match="stimulus must be a Constant, Step or Pulse"):
        stimulus_formula(Ramp(t0=0.0, t1=1.0, start=0.0, stop=1.0))
    with pytest.raises(ValueError, match="model must be a bioact.circuits.FFL"):
        to_sbml(FFL("c1").simple_regulation(1.0))
    assert math.isfinite(float(FFL("c1").k_xy))

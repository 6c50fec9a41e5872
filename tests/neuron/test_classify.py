"""Fixed points, bifurcations and Type I / Type II classification against published values."""

import jax.numpy as jnp
import numpy as np
import pytest

import bioact.neuron as bn
from bioact.stimuli import Constant

QUICK = dict(duration=400.0, transient=100.0)


def _fd_eigs(model, current):
    """Eigenvalues from a central-difference Jacobian in numpy (independent of jax.jacfwd)."""
    y = np.asarray(bn.resting_state(model, current))
    f = lambda z: np.asarray(model.vector_field(0.0, jnp.asarray(z), Constant(current)))  # noqa: E731
    jac = np.empty((y.size, y.size))
    for j in range(y.size):
        h = 1e-6 * max(1.0, abs(y[j]))
        e = np.zeros_like(y)
        e[j] = h
        jac[:, j] = (f(y + e) - f(y - e)) / (2 * h)
    return np.linalg.eigvals(jac)


@pytest.mark.parametrize(
    "name,kind,lo,hi",
    [
        ("hh1952", "hopf", 9.7, 9.85),  # 9.78 uA/cm^2 (Rinzel & Miller 1980)
        ("morris_lecar_type1", "saddle-node", 39.9, 40.1),  # ~40 (Rinzel & Ermentrout 1989)
        ("morris_lecar_type2", "hopf", 85.0, 100.0),
        ("wang_buzsaki", "saddle-node", 0.1, 0.2),  # rheobase ~0.16 (Wang & Buzsaki 1996)
        ("connor_stevens", "saddle-node", 7.0, 9.0),
    ],
)
def test_bifurcation_of_rest(name, kind, lo, hi):
    model = bn.load_model(name)
    bif = bn.find_bifurcation(model)
    assert bif.kind == kind and lo < bif.current < hi
    if kind == "hopf":  # a complex pair crosses: stable just below, unstable just above
        below, above = _fd_eigs(model, bif.current - 0.02), _fd_eigs(model, bif.current + 0.02)
        assert below.real.max() < 0 < above.real.max()
        assert abs(above[np.argmax(above.real)].imag) > 1e-3
    else:  # the fold: two fixed points merge, none nearby above it
        n_below = len(bn.fixed_points(model, bif.current - 0.05))
        n_above = len(bn.fixed_points(model, bif.current + 0.05))
        assert n_below == n_above + 2


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,kind",
    [
        ("hh1952", "II"),
        ("wang_buzsaki", "I"),
        ("connor_stevens", "I"),
        ("morris_lecar_type1", "I"),
        ("morris_lecar_type2", "II"),
    ],
)
def test_classify_excitability(name, kind):
    result = bn.classify_excitability(bn.load_model(name), **QUICK)
    assert result.kind == kind, result.evidence
    if kind == "I":
        assert result.bifurcation.kind == "SNIC"
        assert result.rate_at_rheobase_hz < 20.0  # starts near 0 Hz
    else:
        assert result.rate_at_rheobase_hz > 5.0
        assert result.rheobase < result.bifurcation.current  # abrupt, below the Hopf point


@pytest.mark.slow
def test_hh_bistable_window():
    b = bn.bistability(bn.HodgkinHuxley(), jnp.linspace(5.0, 11.0, 13), **QUICK)
    lo, hi = b.window
    # stable rest until the Hopf point (9.78) coexists with firing from ~6.3 (Rinzel 1978)
    assert 6.0 <= lo <= 7.0 and 9.0 <= hi < 9.78
    assert b.rate_up_hz[-1] > 0 and b.rate_down_hz[0] == 0

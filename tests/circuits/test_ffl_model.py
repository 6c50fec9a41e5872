"""FFL models: closed-form steady states, trajectories vs scipy solve_ivp, parameter validation.

The reference right-hand side below is written independently from the textbook equations
(Mangan & Alon 2003, PNAS 100:11980, Eqs. 1-2 and Fig. 1 sign table; Alon, An Introduction to
Systems Biology, ch. 4) in plain numpy, not through bioact's Hill primitives.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import bioact
from bioact.circuits import FFL, PARAM_NAMES, TYPES, SimpleRegulation, run_protocol

# Sign table written out by hand: (X->Y, X->Z, Y->Z), + activation, - repression.
REF_SIGNS = {
    "c1": "+++",
    "c2": "--+",
    "c3": "+--",
    "c4": "-+-",
    "i1": "++-",
    "i2": "---",
    "i3": "+-+",
    "i4": "-++",
}


def ref_hill(u, k, n, sign):
    u = max(u, 0.0)
    act = u**n / (k**n + u**n)
    return act if sign == "+" else k**n / (k**n + u**n)


def ref_rhs(ffl_type, logic, p, s):
    sg = REF_SIGNS[ffl_type]

    def rhs(t, yz):
        y, z = yz
        x = p["x_total"] * s(t)
        a = ref_hill(x, p["k_xz"], p["n_xz"], sg[1])
        b = ref_hill(y, p["k_yz"], p["n_yz"], sg[2])
        g = a * b if logic == "and" else 1.0 - (1.0 - a) * (1.0 - b)
        return [
            p["beta_y"] * ref_hill(x, p["k_xy"], p["n_xy"], sg[0]) - p["alpha_y"] * y,
            p["beta_z"] * g - p["alpha_z"] * z,
        ]

    return rhs


def ref_steady(ffl_type, logic, p, s):
    sg = REF_SIGNS[ffl_type]
    x = p["x_total"] * s
    y = p["beta_y"] / p["alpha_y"] * ref_hill(x, p["k_xy"], p["n_xy"], sg[0])
    a = ref_hill(x, p["k_xz"], p["n_xz"], sg[1])
    b = ref_hill(y, p["k_yz"], p["n_yz"], sg[2])
    g = a * b if logic == "and" else a + b - a * b
    return y, p["beta_z"] / p["alpha_z"] * g


PARAMS = dict(
    x_total=1.3, beta_y=0.8, alpha_y=1.2, beta_z=1.5, alpha_z=0.7,
    k_xy=0.2, k_xz=0.4, k_yz=0.35, n_xy=1.5, n_xz=2.5, n_yz=3.0,
)  # fmt: skip


def test_defaults_are_the_textbook_set():
    c, i = FFL("c2"), FFL("I3", "OR")
    for m in (c, i):
        for name in ("x_total", "beta_y", "alpha_y", "beta_z", "alpha_z"):
            assert float(getattr(m, name)) == 1.0
        assert float(m.k_xy) == float(m.k_xz) == 0.1
        assert float(m.n_xy) == float(m.n_xz) == float(m.n_yz) == 2.0
    assert float(c.k_yz) == 0.5 and float(i.k_yz) == 0.3
    assert i.ffl_type == "i3" and i.logic == "or"


@pytest.mark.parametrize("logic", ["and", "or"])
@pytest.mark.parametrize("ffl_type", TYPES)
@pytest.mark.parametrize("s", [0.0, 0.05, 0.3, 1.0])
def test_closed_form_steady_state(ffl_type, logic, s):
    model = FFL(ffl_type, logic, **PARAMS)
    y, z = (float(v) for v in model.steady_state(s))
    y_ref, z_ref = ref_steady(ffl_type, logic, PARAMS, s)
    assert abs(y - y_ref) < 1e-12 and abs(z - z_ref) < 1e-12
    # and it is a fixed point of the vector field
    f = model.vector_field(0.0, jnp.array([y, z]), bioact.Constant(s))
    assert float(jnp.max(jnp.abs(f))) < 1e-12


@pytest.mark.parametrize("ffl_type,logic", [("c1", "and"), ("c2", "or"), ("i3", "or")])
def test_simulated_steady_state_matches_closed_form(ffl_type, logic):
    """Long ON run settles on the closed-form Hill steady state to 1e-8."""
    model = FFL(ffl_type, logic, **PARAMS)
    res = run_protocol(model, "on", t_end=60.0, n_points=3, rtol=1e-11, atol=1e-13)
    y_ref, z_ref = ref_steady(ffl_type, logic, PARAMS, 1.0)
    assert abs(float(res.traj["y"][-1]) - y_ref) < 1e-8
    assert abs(float(res.traj["z"][-1]) - z_ref) < 1e-8


# every type once and each logic four times (one compile per (type, logic); the closed-form
# steady-state test above covers all 16 combinations)
TYPE_LOGIC = list(zip(TYPES, ["and", "or"] * 2 + ["or", "and"] * 2, strict=True))


@pytest.mark.parametrize("ffl_type,logic", TYPE_LOGIC)
def test_trajectory_matches_solve_ivp(ffl_type, logic):
    """ON step from Y = Z = 0 vs scipy (DOP853, rtol 1e-10): max error < 1e-6 (201 points)."""
    model = FFL(ffl_type, logic, **PARAMS)
    res = run_protocol(model, "on", t_end=8.0)  # default rtol 1e-8, 201 points
    ts = np.asarray(res.traj.ts)
    ref = solve_ivp(
        ref_rhs(ffl_type, logic, PARAMS, lambda t: 1.0), (0.0, 8.0), [0.0, 0.0],
        method="DOP853", t_eval=ts, rtol=1e-10, atol=1e-12,
    )  # fmt: skip
    assert np.max(np.abs(np.asarray(res.traj.ys) - ref.y.T)) < 1e-6


@pytest.mark.parametrize("protocol", ["off", "pulse", "foldchange"])
def test_other_protocols_match_solve_ivp(protocol):
    """Piecewise-constant inputs: integrate each constant piece separately in scipy."""
    model = FFL("i1", "and", **PARAMS)
    res = run_protocol(model, protocol, t_end=6.0, width=1.5, a=0.2, fold=3.0)
    ts = np.asarray(res.traj.ts)
    levels = {"off": (1.0, 0.0, None), "pulse": (0.0, 1.0, 1.5), "foldchange": (0.2, 0.6, None)}
    before, after, width = levels[protocol]
    y0 = list(ref_steady("i1", "and", PARAMS, before))
    if width is None:
        pieces = [(0.0, 6.0, after)]
    else:
        pieces = [(0.0, width, after), (width, 6.0, 0.0)]
    out = np.zeros((len(ts), 2))
    for t_a, t_b, lvl in pieces:
        mask = (ts >= t_a) & (ts <= t_b)
        sol = solve_ivp(
            ref_rhs("i1", "and", PARAMS, lambda t, v=lvl: v), (t_a, t_b), y0,
            method="DOP853", t_eval=ts[mask], rtol=1e-10, atol=1e-12, dense_output=True,
        )  # fmt: skip
        out[mask] = sol.y.T
        y0 = list(sol.sol(t_b))
    assert np.max(np.abs(np.asarray(res.traj.ys) - out)) < 1e-6


def test_simple_regulation_matches_steady_state_and_exponential():
    model = FFL("c1", "and", **PARAMS)
    simple = model.simple_regulation(1.0)
    assert isinstance(simple, SimpleRegulation)
    assert abs(float(simple.steady_state(1.0)[0]) - float(model.steady_state(1.0)[1])) < 1e-12
    res = run_protocol(simple, "on", t_end=5.0)
    ts = np.asarray(res.traj.ts)
    z_ss = float(simple.steady_state(1.0)[0])
    exact = z_ss * (1.0 - np.exp(-PARAMS["alpha_z"] * ts))  # Alon eq. 2.4.7
    assert np.max(np.abs(np.asarray(res.traj["z"]) - exact)) < 1e-7


def test_n_shorthand_and_replace():
    m = FFL("c1").replace(n=3.0, k_yz=0.2)
    assert float(m.n_xy) == float(m.n_xz) == float(m.n_yz) == 3.0 and float(m.k_yz) == 0.2


@pytest.mark.parametrize("name", PARAM_NAMES)
def test_bad_parameter_names_itself(name):
    bad = -1.0
    with pytest.raises(ValueError, match=rf"{name} must be .*{name}=-1"):
        FFL("i1", "and", **{name: bad})


@pytest.mark.parametrize("name", ["k_xy", "k_yz", "n_xz", "alpha_y"])
def test_zero_threshold_or_rate_rejected(name):
    with pytest.raises(ValueError, match=name):
        FFL("c1", **{name: 0.0})


def test_unknown_type_logic_parameter():
    with pytest.raises(ValueError, match="ffl_type must be one of"):
        FFL("c5")
    with pytest.raises(ValueError, match="logic must be one of"):
        FFL("c1", "xor")
    with pytest.raises(ValueError, match="unknown FFL parameter"):
        FFL("c1", K=1.0)
    with pytest.raises(ValueError, match="protocol must be one of"):
        run_protocol(FFL("c1"), "ramp")


def test_vmap_over_parameters_single_compile():
    """k_yz and n are array fields: vmapping over them matches a loop."""
    ks = jnp.array([0.2, 0.4, 0.8])

    def z_end(k):
        m = FFL("i1", "and", k_yz=k)
        return run_protocol(m, "on", t_end=3.0).traj["z"][-1]

    batched = jax.jit(jax.vmap(z_end))(ks)
    looped = [float(z_end(k)) for k in ks]
    np.testing.assert_allclose(np.asarray(batched), looped, rtol=1e-10, atol=1e-12)


def test_float32_subprocess():
    import os
    import subprocess
    import sys

    code = (
        "import bioact, jax, numpy as np;"
        "from bioact.circuits import FFL, run_protocol;"
        "r = run_protocol(FFL('i1','and'), 'on', t_end=10.0, rtol=1e-5, atol=1e-7);"
        "assert r.traj.ys.dtype == np.float32, r.traj.ys.dtype;"
        "ss = FFL('i1','and').steady_state(1.0);"
        "print(abs(float(r.traj['z'][-1]) - float(ss[1])))"
    )
    env = {**os.environ, "BIOACT_X64": "0", "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.strip()) < 1e-4


def test_gradient_wrt_parameter_matches_finite_difference():
    """Parameters are differentiable fields: d Z(2) / d k_yz by autodiff vs central difference."""

    def z_at_2(k):
        return run_protocol(FFL("i1", "and", k_yz=k), "on", t_end=2.0).traj["z"][-1]

    g = float(jax.grad(z_at_2)(0.3))
    h = 1e-5
    fd = (float(z_at_2(0.3 + h)) - float(z_at_2(0.3 - h))) / (2 * h)
    assert g > 0 and abs(g - fd) < 1e-6 * max(1.0, abs(fd))


def test_dtmax_caps_steps_without_changing_the_answer():
    """The default step cap (span / 40) only adds steps; uncapped agrees to ~rtol."""
    model = FFL("i1", "and", **PARAMS)
    opts = dict(t_end=40.0, n_points=41, rtol=1e-6, atol=1e-9)  # cap: 1 time unit
    capped = run_protocol(model, "on", **opts)
    free = run_protocol(model, "on", dtmax=math.inf, **opts)
    assert int(capped.traj.num_steps) >= 40 > int(free.traj.num_steps)
    np.testing.assert_allclose(np.asarray(capped.traj.ys), np.asarray(free.traj.ys), atol=1e-5)
    with pytest.raises(ValueError, match="dtmax"):
        run_protocol(model, "on", dtmax=0.0)


def test_pi_controller_option_matches_solve_ivp():
    """pid= reaches the PID controller (PI coefficients change the steps, not the answer)."""
    model = FFL("i1", "and", **PARAMS)
    opts = dict(t_end=8.0, rtol=1e-6, atol=1e-9)
    plain = run_protocol(model, "on", **opts)
    pi = run_protocol(model, "on", pid={"pcoeff": 0.3, "icoeff": 0.3}, **opts)
    assert int(pi.traj.num_steps) != int(plain.traj.num_steps)
    ts = np.asarray(pi.traj.ts)
    ref = solve_ivp(
        ref_rhs("i1", "and", PARAMS, lambda t: 1.0), (0.0, 8.0), [0.0, 0.0],
        method="DOP853", t_eval=ts, rtol=1e-10, atol=1e-12,
    )  # fmt: skip
    assert np.max(np.abs(np.asarray(pi.traj.ys) - ref.y.T)) < 1e-5

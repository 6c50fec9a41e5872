"""Training: short runs whose thresholds fail if the optimiser, loss or derivatives break."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bioact.pinn import PINNConfig, load_problem, train

ROOT = Path(__file__).resolve().parents[2]
#: Short but real runs (a few seconds each once compiled); shared so the compile cache is hit.
QUICK = dict(width=16, adam_steps=200, lbfgs_steps=300, n_collocation=32, n_eval=201)


@pytest.fixture(scope="module")
def poisson_tanh():
    problem, _ = load_problem("poisson_sin")
    return train(problem, **QUICK)


def test_poisson_short_run_converges(poisson_tanh):
    r = poisson_tanh
    m = r.metrics
    assert m["reference"] == "exact"
    assert m["rel_l2"] < 1e-4, m  # an untrained / broken network sits at ~1
    assert m["max_err"] < 1e-3 and m["residual"] < 0.05
    assert r.error_history[0] > 100 * r.error_history[-1]
    assert r.loss_history[-1] < 1e-3 * r.loss_history[0]
    assert len(r.loss_history) == len(r.error_history) == 500
    assert 200 < m["iterations"] <= 500 and m["evaluations"] == 500
    # the dense residual equals the problem residual of the returned solution
    np.testing.assert_allclose(r(r.x), r.u, rtol=0, atol=1e-12)
    tta = r.time_to_accuracy((1e-1, 1e-3, 1e-12))
    assert tta[1e-1] <= tta[1e-3] and tta[1e-12] is None


def test_same_seed_same_result_and_no_recompile(poisson_tanh):
    problem, _ = load_problem("poisson_sin")
    again = train(problem, **QUICK)
    assert again.metrics["compile_s"] == 0.0  # cached program
    np.testing.assert_array_equal(again.u, poisson_tanh.u)
    other = train(problem, **{**QUICK, "seed": 1})
    assert other.metrics["compile_s"] == 0.0  # a new seed does not recompile
    assert not np.array_equal(other.u, poisson_tanh.u)
    assert other.metrics["rel_l2"] < 1e-3


def test_relu_fails_where_tanh_succeeds(poisson_tanh):
    problem, _ = load_problem("poisson_sin")
    with pytest.raises(ValueError, match="vanishes almost everywhere"):
        train(problem, activation="relu", **QUICK)
    relu = train(problem, activation="relu", allow_nonsmooth=True, **QUICK)
    assert relu.metrics["rel_l2"] > 0.1 > 1e3 * poisson_tanh.metrics["rel_l2"]


def test_robin_neumann_soft_conditions():
    problem, _ = load_problem("robin_cos")
    r = train(problem, **QUICK)
    assert r.metrics["rel_l2"] < 1e-3, r.metrics


def test_bratu_both_branches_and_new_parameter_value_no_recompile():
    lower, _ = load_problem("bratu_lower")
    upper, settings = load_problem("bratu_upper")
    r_lo = train(lower, **QUICK)
    r_up = train(upper, **{**QUICK, **settings})
    assert r_lo.metrics["rel_l2"] < 1e-3 and r_up.metrics["rel_l2"] < 1e-3
    assert r_lo.u.max() < 0.2 and r_up.u.max() > 4.0
    # without the continuation anchor the offset alone slides to the lower branch
    # (documented in models/pinn_bratu_upper.toml); a new lam reuses the compiled program
    import equinox as eqx

    half = eqx.tree_at(lambda p: p.parameters["lam"], lower, np.asarray(0.5))
    r_half = train(half, **QUICK)
    assert r_half.metrics["compile_s"] == 0.0
    assert r_half.metrics["rel_l2"] < 1e-3 and r_half.u.max() < r_lo.u.max()


def test_config_validation():
    with pytest.raises(ValueError, match="collocation"):
        PINNConfig(collocation="grid")
    with pytest.raises(ValueError, match="adam_lr"):
        PINNConfig(adam_lr=0.0)
    with pytest.raises(ValueError, match="unknown PINN setting"):
        PINNConfig().replace(learning_rate=1.0)


@pytest.mark.parametrize(
    "change", [{"collocation": "sobol"}, {"collocation": "random"}, {"hard_bc": False}]
)
def test_other_collocation_schemes_and_soft_dirichlet(change):
    problem, _ = load_problem("poisson_sin")
    r = train(problem, **{**QUICK, **change})
    assert r.metrics["rel_l2"] < 1e-3, r.metrics
    if change.get("hard_bc") is False:  # ends are only penalised, not exact
        assert 0.0 < abs(r.u[0]) < 1e-3


def test_float32_path_runs():
    code = (
        "import bioact, jax; from bioact.pinn import load_problem, train;"
        "assert not jax.config.jax_enable_x64;"
        "r = train(load_problem('poisson_sin')[0], width=16, adam_steps=300, lbfgs_steps=200,"
        " n_collocation=32, n_eval=201);"
        "assert r.u.dtype.name == 'float32', r.u.dtype; print(r.metrics['rel_l2'])"
    )
    env = {**os.environ, "BIOACT_X64": "0", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert float(out.stdout.strip().splitlines()[-1]) < 1e-2

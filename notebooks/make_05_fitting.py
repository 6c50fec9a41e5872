"""Write notebooks/05_fitting.ipynb (run from the repo root: python notebooks/make_05_fitting.py)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# 05 Fitting parameters through differentiable models\n\n"
        "`bioact.fit.fit(model, data, params, predict=...)` fits any subset of a model's fields "
        "(the rest frozen) by least squares. Residuals `(predict(model, x) - y)/sigma` are "
        "differentiated by JAX -- through `bioact.simulate` when the model is an ODE -- and "
        "minimised by Levenberg-Marquardt (optimistix) or Adam (optax). Positive parameters move "
        "in log space, bounded ones through a sigmoid. Standard errors come from the Jacobian at "
        "the optimum. Set `BIOACT_QUICK=1` for a fast run (fewer coverage draws)."
    ),
    new_code_cell(
        "import os, warnings\n"
        "from pathlib import Path\n"
        "import numpy as np, jax.numpy as jnp\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from scipy.optimize import curve_fit\n"
        "import bioact\n"
        "from bioact.fit import (BoltzmannGate, HillDoseResponse, LogisticGrowth, fit,\n"
        "                        logistic_analytic, predict_boltzmann, predict_hill, predict_logistic)\n"
        "from bioact.io import read_csv\n"
        "from bioact.plot import plot_fit\n"
        "QUICK = os.environ.get('BIOACT_QUICK', '0') == '1'\n"
        "ROOT = Path.cwd() if (Path.cwd() / 'data').is_dir() else Path.cwd().parent\n"
        "DATA = ROOT / 'data'"
    ),
    new_markdown_cell(
        "## 1. Hill dose response (weighted least squares)\n\n"
        "`data/hill_dose_response.csv` has columns `x` (uM), `y` and a per-point `sigma`, so "
        "the fit is weighted and the covariance is `(J^T J)^-1` (not rescaled). We compare "
        "with `scipy.optimize.curve_fit` on the same data."
    ),
    new_code_cell(
        "d = read_csv(DATA / 'hill_dose_response.csv')\n"
        "hill = fit(HillDoseResponse(k=1.0, n=1.0, vmax=0.8, baseline=0.0),\n"
        "           (d['x'], d['y'], d['sigma']), ['k', 'n', 'vmax', 'baseline'],\n"
        "           predict=predict_hill, n_starts=4)\n"
        "print(hill.summary())\n"
        "f = lambda x, k, n, vmax, b: b + vmax * x**n / (k**n + x**n)\n"
        "p, cov = curve_fit(f, d['x'], d['y'], p0=[1, 1, 0.8, 0], sigma=d['sigma'], absolute_sigma=True)\n"
        "print('curve_fit  :', np.round(p, 6), np.round(np.sqrt(np.diag(cov)), 6))\n"
        "print('truth      : k=2.0 n=1.8 vmax=1.0 baseline=0.05')\n"
        "assert np.allclose(list(hill.estimates.values()), p, rtol=1e-5)\n"
        "plot_fit(hill, xlabel='x (uM)', ylabel='response', logx=True);"
    ),
    new_markdown_cell(
        "## 2. Boltzmann gating curve (unknown noise level)\n\n"
        "Without a `sigma` column the covariance is scaled by `s^2 = RSS/(m - p)`. The slope "
        "`k` is fitted in log|k| so it can never cross zero."
    ),
    new_code_cell(
        "g = read_csv(DATA / 'boltzmann_gate.csv')\n"
        "gate = fit(BoltzmannGate(v_half=-50.0, k=3.0), (g['v'], g['y']), ['v_half', 'k'],\n"
        "           predict=predict_boltzmann)\n"
        "print(gate.summary())\n"
        "print('correlation(v_half, k) =', round(float(gate.correlation[0, 1]), 3))\n"
        "print('residual sd =', round(float(np.sqrt(gate.cov_info['residual_variance'])), 4), '(true 0.03)')\n"
        "plot_fit(gate, xlabel='V (mV)', ylabel='open probability');"
    ),
    new_markdown_cell(
        "## 3. An ODE through `bioact.simulate`: logistic growth\n\n"
        "`predict_logistic` integrates `dx/dt = r x (1 - x/K)` with diffrax (forward-mode "
        "adjoint, so LM's forward-mode Jacobian differentiates through the solver). The closed "
        "form is an independent check of the simulation and of the fit."
    ),
    new_code_cell(
        "L = read_csv(DATA / 'logistic_growth.csv')\n"
        "growth = fit(LogisticGrowth(r=0.5, capacity=1.0, x0=0.1), (L['time'], L['x']),\n"
        "             ['r', 'capacity', 'x0'], predict=predict_logistic)\n"
        "print(growth.summary())\n"
        "ts = jnp.asarray(L['time'])\n"
        "err = float(jnp.max(jnp.abs(predict_logistic(growth.model, ts) - logistic_analytic(growth.model, ts))))\n"
        "print(f'max |simulate - closed form| at the fit: {err:.2e}')\n"
        "plot_fit(growth, xlabel='time (h)', ylabel='OD600');"
    ),
    new_markdown_cell(
        "## 4. A feed-forward-loop time course: I1-FFL pulse\n\n"
        "`data/ffl_i1_pulse.csv` is a noisy Z pulse of an incoherent type-1 FFL (AND logic) after "
        "the input steps ON at t = 0 (time in units of 1/alpha_z, concentrations in units of K). "
        "`ffl_predictor('on')` runs the same protocol as `bioact.circuits.run_protocol` through "
        "`bioact.simulate` (forward-mode adjoint). We fit the production rate `beta_z`, the "
        "degradation rate `alpha_z` and the repression threshold `k_yz` (log space), the rest "
        "fixed: with a single step the input X* is constant, so `k_xz` only rescales `beta_z` and "
        "cannot be identified. The check is scipy's `curve_fit` on the scipy-integrated reference "
        "ODE in `data/generate.py`. CLI: `bioact fit i1 data/ffl_i1_pulse.csv --out DIR`."
    ),
    new_code_cell(
        "from bioact.circuits import FFL\n"
        "from bioact.fit.ffl import ffl_predictor\n"
        "import importlib.util\n"
        "spec = importlib.util.spec_from_file_location('gen', DATA / 'generate.py')\n"
        "gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)\n"
        "F = read_csv(DATA / 'ffl_i1_pulse.csv')\n"
        "names = ['beta_z', 'alpha_z', 'k_yz']\n"
        "guess = FFL('i1', 'and', **{**gen.FFL_FIXED, 'beta_z': 1.0, 'alpha_z': 0.5, 'k_yz': 0.5})\n"
        "ffl = fit(guess, (F['time'], F['z']), names, predict=ffl_predictor('on'),\n"
        "          transforms=dict.fromkeys(names, 'log'), n_starts=1 if QUICK else 8, model_name='i1')\n"
        "print(ffl.summary())\n"
        "print('correlation (beta_z, alpha_z, k_yz):')\n"
        "print(np.round(ffl.correlation, 3))\n"
        "p, cov = curve_fit(lambda t, *q: gen.ffl_i1_true(t, *q)[:, 1], F['time'], F['z'], p0=[1.0, 0.5, 0.5])\n"
        "print('curve_fit  :', np.round(p, 5), np.round(np.sqrt(np.diag(cov)), 5))\n"
        "print('truth      :', gen.FFL_TRUTH)\n"
        "inside = all(abs(ffl.estimates[n] - gen.FFL_TRUTH[n]) < 2 * ffl.stderr[n] for n in names)\n"
        "print(f'i1 truth inside 2-sigma intervals: {inside}')\n"
        "plot_fit(ffl, xlabel='time (1/alpha_z)', ylabel='Z (units of K)');"
    ),
    new_markdown_cell(
        "## 4b. Neuron conductances from a voltage trace and from an f-I curve\n\n"
        "`data/hh_voltage_trace.csv`: 30 ms of a Hodgkin-Huxley trace (two spikes) under "
        "I = 10 uA/cm^2 from rest, 1 mV noise. `voltage_trace_predictor(I)` runs `bioact.simulate` "
        "with `diffrax.ForwardMode()`, so LM's forward-mode Jacobian (3 columns) goes through the "
        "solver. For an f-I curve, spike counts are piecewise constant (zero gradient), so "
        "`fi_rate_predictor` uses the mean-ISI rate from crossing times located by interpolation: "
        "smooth in the conductances. Quick mode only checks the predictor against the data (residual "
        "sd at the truth ~ the 1 mV noise); the two fits run in the full mode (tests: "
        "`tests/fit/test_neuron.py`)."
    ),
    new_code_cell(
        "import bioact.neuron as bn\n"
        "from bioact.fit import set_params\n"
        "from bioact.fit.neuron import fi_rate_predictor, voltage_trace_predictor\n"
        "H = read_csv(DATA / 'hh_voltage_trace.csv')\n"
        "trace = voltage_trace_predictor(gen.HH_CURRENT)\n"
        "for label, m in [('preset', bn.load_model('hh1952')),\n"
        "                 ('truth', set_params(bn.load_model('hh1952'), gen.HH_TRUTH))]:\n"
        "    sd = float(np.std(np.asarray(trace(m, H['time'])) - H['v']))\n"
        "    print(f'hh1952 residual sd at the {label}: {sd:.2f} mV')\n"
        "if not QUICK:  # the fits compile diffrax's forward mode: ~15-25 s each\n"
        "    hh = fit(bn.load_model('hh1952'), (H['time'], H['v']), ['g_na', 'g_k', 'g_l'],\n"
        "             predict=trace, model_name='hh1952')\n"
        "    print(hh.summary()); print('truth      :', gen.HH_TRUTH)\n"
        "    plot_fit(hh, xlabel='time (ms)', ylabel='V (mV)')\n"
        "    M = read_csv(DATA / 'ml_fi_curve.csv')\n"
        "    ml = fit(bn.load_model('morris_lecar_type1'), (M['current'], M['rate_hz']), ['g_ca'],\n"
        "             predict=fi_rate_predictor(), rtol=1e-5, atol=1e-5)\n"
        "    print(ml.summary()); print('truth      :', gen.ML_TRUTH)\n"
        "    plot_fit(ml, xlabel='current (uA/cm^2)', ylabel='rate (Hz)');"
    ),
    new_markdown_cell(
        "## 5. Multi-start and identifiability\n\n"
        "Starts are drawn around the initial guess in the unconstrained variables (seeded) and run "
        "vmapped; the result reports how many reached the best residual. A model whose parameters "
        "enter only as a product cannot be identified: `fit` warns and names them."
    ),
    new_code_cell(
        "bad_start = fit(BoltzmannGate(v_half=200.0, k=5.0), (g['v'], g['y']), ['v_half', 'k'],\n"
        "                predict=predict_boltzmann, n_starts=16, start_spread=1.5)\n"
        "print('starts at best:', bad_start.n_starts_at_best, '/', bad_start.n_starts,\n"
        "      ' v_half =', round(bad_start.estimates['v_half'], 3))\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    prod = fit(HillDoseResponse(k=2.0, n=1.0, vmax=1.0), (d['x'], d['y'] * 0 + 1.0),\n"
        "               ['vmax', 'baseline'], predict=lambda m, x: (m.vmax + m.baseline) * jnp.ones_like(x))\n"
        "print([str(x.message)[:120] for x in w])\n"
        "print('non-identifiable:', prod.non_identifiable)"
    ),
    new_markdown_cell(
        "## 6. Are the error bars honest? Interval coverage\n\n"
        "Fresh noise draws from the generating model (`data/generate.py`); the nominal 95% "
        "interval `estimate +- 1.96 se` should contain the truth about 95% of the time "
        "(the test suite checks 200 draws; quick mode uses 40)."
    ),
    new_code_cell(
        "import importlib.util\n"
        "spec = importlib.util.spec_from_file_location('gen', DATA / 'generate.py')\n"
        "gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)\n"
        "n_draws = 40 if QUICK else 200\n"
        "hits = np.zeros(2)\n"
        "for s in range(n_draws):\n"
        "    dd = gen.draw_boltzmann(np.random.default_rng(20_000 + s))\n"
        "    r = fit(BoltzmannGate(v_half=-50.0, k=3.0), (dd['v'], dd['y']), ['v_half', 'k'],\n"
        "            predict=predict_boltzmann)\n"
        "    truth = np.array([gen.BOLTZMANN_TRUTH['v_half'], gen.BOLTZMANN_TRUTH['k']])\n"
        "    hits += np.abs(r.p_best - truth) <= 1.96 * r.cov_info['stderr']\n"
        "print(f'coverage over {n_draws} draws: v_half {hits[0]/n_draws:.3f}, k {hits[1]/n_draws:.3f}')"
    ),
    new_markdown_cell(
        "## Adding a model\n\n"
        "Any `eqx.Module` with scalar float fields works: write `predict(model, x)` returning "
        "an array shaped like `y` (call `bioact.simulate(..., adjoint=diffrax.ForwardMode())` "
        "inside for ODEs) and call `fit(model, (x, y, sigma), ['field', ...], predict=predict)`. "
        "To make it a `bioact fit MODEL` on the command line, `bioact.fit.register(FitSpec(...))` "
        "with its CSV column names (the feed-forward loops c1..i4 of section 4 are registered "
        "this way: `bioact fit i1 DATA.csv`, and so are the neuron presets of section 4b: "
        "`bioact fit hh1952 DATA.csv --current 10` for `time,v`, `bioact fit morris_lecar_type1 "
        "DATA.csv` for `current,rate_hz`)."
    ),
]

nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = Path(__file__).resolve().parent / "05_fitting.ipynb"
nbformat.write(nb, path)
print("wrote", path)

"""Generate 04_pinn_bvp.ipynb (run from the repository root: python notebooks/make_04_pinn_bvp.py)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# 04 · PINNs for second-order BVPs: activation smoothness decides success\n\n"
        "A physics-informed neural network (PINN) represents the solution of "
        "`a u'' + b u' + c u = f` (or `u'' = g(x, u, u')`) by a small MLP and minimises the "
        "equation residual at collocation points. The residual contains `u''`, so the "
        "activation must be at least C². With ReLU the network is piecewise linear and its "
        "second derivative vanishes almost everywhere: training cannot succeed.\n\n"
        "Set `BIOACT_QUICK=1` for the short version run by the test suite."
    ),
    new_code_cell(
        "import os\n"
        "import numpy as np\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "import bioact\n"
        "from bioact.pinn import load_problem, train, chebyshev_solve, error_metrics\n"
        "from bioact.plot import plot_pinn_result, plot_activation_comparison\n"
        "QUICK = os.environ.get('BIOACT_QUICK') == '1'\n"
        "SHORT = dict(width=16, adam_steps=200, lbfgs_steps=300, n_collocation=32, n_eval=201)\n"
        "RUN = SHORT if QUICK else {}\n"
        "print('quick mode' if QUICK else 'full mode')"
    ),
    new_markdown_cell(
        "## Poisson: `-u'' = π² sin(πx)`, `u(±1) = 0`\n\n"
        "The Dirichlet conditions are imposed exactly by the output transform "
        "`u = d(x) N(x)` with `d = 1 - x²`. Derivatives come from nested `jax.jvp` "
        "(forward over forward). Adam then L-BFGS run as one compiled `lax.scan`."
    ),
    new_code_cell(
        "problem, _ = load_problem('poisson_sin')\n"
        "x = np.linspace(-1, 1, 401)\n"
        "cheb = chebyshev_solve(problem, n=32)(x)\n"
        "print('Chebyshev (n=32) rel L2 vs exact:', error_metrics(cheb, problem.exact_solution(x))['rel_l2'])\n"
        "result = train(problem, activation='tanh', **RUN)\n"
        "m = result.metrics\n"
        "print({k: m[k] for k in ('rel_l2', 'max_err', 'residual', 'iterations', 'compile_s', 'run_s')})\n"
        "assert m['rel_l2'] < (1e-3 if QUICK else 1e-6)\n"
        "plot_pinn_result(result);"
    ),
    new_markdown_cell(
        "## Activation comparison (same problem, same seed)\n\n"
        "ReLU is refused unless `allow_nonsmooth=True`; here we force it to show the failure."
    ),
    new_code_cell(
        "names = ['tanh', 'relu'] if QUICK else ['tanh', 'sin', 'softplus', 'gelu', 'swish', 'relu']\n"
        "try:\n"
        "    train(problem, activation='relu', **RUN)\n"
        "except ValueError as err:\n"
        "    print('refused:', str(err)[:120], '...')\n"
        "results = {n: train(problem, activation=n, allow_nonsmooth=True, **RUN) for n in names}\n"
        "for n, r in results.items():\n"
        "    print(f\"{n:9s} rel L2 = {r.metrics['rel_l2']:.2e}\")\n"
        "assert results['relu'].metrics['rel_l2'] > 100 * results['tanh'].metrics['rel_l2']\n"
        "plot_activation_comparison(results);"
    ),
    new_markdown_cell(
        "## Bratu `u'' + e^u = 0`: two solutions\n\n"
        "Both branches are exact (`theta = sqrt(2) cosh(theta/4)` has two roots). The lower one "
        "is found from the default start; the upper one from the output offset `u = d (N + 4)` "
        "with an anchor that holds `u(1/2)` near 4 during Adam (a continuation step), then "
        "plain L-BFGS on the residual."
    ),
    new_code_cell(
        "fig, ax = plt.subplots(figsize=(5, 3.5))\n"
        "for name in ('bratu_lower', 'bratu_upper'):\n"
        "    p, settings = load_problem(name)\n"
        "    r = train(p, **{**settings, **RUN})\n"
        "    print(name, f\"rel L2 = {r.metrics['rel_l2']:.2e}, max u = {r.u.max():.3f}\")\n"
        "    assert r.metrics['rel_l2'] < 1e-3\n"
        "    ax.plot(r.x, r.u_ref, 'k-', lw=3, alpha=0.3)\n"
        "    ax.plot(r.x, r.u, '--', label=name)\n"
        "ax.set(xlabel='x', ylabel='u'); ax.legend();"
    ),
    new_markdown_cell(
        "## Multi-scale: `u = sin(2πx) + 0.1 sin(50πx)`\n\n"
        "Spectral bias makes a plain MLP learn the low frequency first; random Fourier features "
        "(48 features, σ = 3) reach rel L2 ~1e-4 (see `benchmarks/pinn.py`; about a minute of "
        "training, skipped in quick mode). The Chebyshev reference needs ~160 points."
    ),
    new_code_cell(
        "p, settings = load_problem('multiscale')\n"
        "xs = np.linspace(0, 1, 2001)\n"
        "for n in (64, 128, 160):\n"
        "    err = error_metrics(chebyshev_solve(p, n=n)(xs), p.exact_solution(xs))['rel_l2']\n"
        "    print(f'Chebyshev n={n}: rel L2 {err:.1e}')\n"
        "if not QUICK:\n"
        "    r = train(p, **settings)\n"
        "    print('PINN with Fourier features:', r.metrics['rel_l2'])\n"
        "    plot_pinn_result(r);"
    ),
]

nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"}})
Path(__file__).with_name("04_pinn_bvp.ipynb").write_text(nbformat.writes(nb))

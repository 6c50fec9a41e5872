"""Generate notebooks/02_excitability.ipynb (run: python notebooks/make_02_excitability.py)."""

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Type I vs Type II excitability\n\n"
        "A neuron's f-I curve either starts continuously from 0 Hz (Type I: rest vanishes in a "
        "saddle-node on the limit cycle, SNIC) or jumps to a finite rate (Type II: a Hopf "
        "bifurcation). `BIOACT_QUICK=1` uses fewer currents and shorter runs."
    ),
    nbf.v4.new_code_cell(
        "import os\n"
        "import jax.numpy as jnp\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "import bioact\n"
        "import bioact.neuron as bn\n"
        "from bioact import plot\n"
        "QUICK = os.environ.get('BIOACT_QUICK', '0') == '1'\n"
        "N = 11 if QUICK else 201\n"
        "DUR, TR = (300.0, 60.0) if QUICK else (1000.0, 200.0)"
    ),
    nbf.v4.new_markdown_cell(
        "## Gating curves are activation functions\n"
        "Dashed: the logistic `sigmoid((V - V_half)/k)` matched at each gate's midpoint."
    ),
    nbf.v4.new_code_cell(
        "fig, axs = plt.subplots(1, 2, figsize=(10, 3.5), layout='constrained')\n"
        "plot.plot_gating(bn.HodgkinHuxley(), ax=axs[0]); axs[0].set_title('HH 1952')\n"
        "plot.plot_gating(bn.MorrisLecar.type1(), ax=axs[1]); axs[1].set_title('Morris-Lecar')"
    ),
    nbf.v4.new_markdown_cell("## f-I curves (rest at 0 current, step on at t = 0, mean-ISI rate)"),
    nbf.v4.new_code_cell(
        "ranges = {'hh1952': (0, 20), 'wang_buzsaki': (0, 2), 'connor_stevens': (5, 20)}\n"
        "curves = {}\n"
        "for name, (a, b) in ranges.items():\n"
        "    I = jnp.linspace(a, b, N)\n"
        "    curves[name] = (I, bn.fi_curve(bn.load_model(name), I, duration=DUR, transient=TR).rate_hz)\n"
        "ax = plot.plot_fi_curves(curves)\n"
        "{k: float(v[1][v[1] > 0][0]) for k, v in curves.items()}  # first non-zero rate (Hz)"
    ),
    nbf.v4.new_markdown_cell("## Why: the bifurcation of the resting state"),
    nbf.v4.new_code_cell(
        "for name in bn.PRESETS:\n"
        "    print(f'{name:20s}', bn.find_bifurcation(bn.load_model(name)))\n"
        "ax = plot.plot_bifurcation(bn.HodgkinHuxley(), jnp.linspace(0, 15, 61))"
    ),
    nbf.v4.new_code_cell(
        "res = bn.classify_excitability(bn.HodgkinHuxley(), duration=DUR, transient=TR)\n"
        "print(res.kind, res.evidence)\n"
        "assert res.kind == 'II'"
    ),
    nbf.v4.new_markdown_cell("## Morris-Lecar phase planes: SNIC (Type I) vs Hopf (Type II)"),
    nbf.v4.new_code_cell(
        "fig, axs = plt.subplots(1, 2, figsize=(10, 3.8), layout='constrained')\n"
        "for ax, (model, I) in zip(axs, [(bn.MorrisLecar.type1(), 45.0), (bn.MorrisLecar.type2(), 100.0)]):\n"
        "    traj = bioact.simulate(model, 300.0, stimulus=I, ts=jnp.linspace(0, 300, 1201))\n"
        "    plot.plot_phase_plane(model, I, traj, ax=ax)"
    ),
    nbf.v4.new_markdown_cell(
        "## HH bistability: stable rest and stable firing coexist below the Hopf point"
    ),
    nbf.v4.new_code_cell(
        "b = bn.bistability(bn.HodgkinHuxley(), jnp.linspace(5, 11, 7 if QUICK else 61), duration=DUR, transient=TR)\n"
        "print('bistable window (uA/cm^2):', b.window)\n"
        "ax = plot.plot_fi_curves({'up (from rest)': (b.currents, b.rate_up_hz), 'down (from firing)': (b.currents, b.rate_down_hz)})"
    ),
]
nb = nbf.v4.new_notebook(
    cells=cells,
    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
)
nbf.write(nb, "notebooks/02_excitability.ipynb")

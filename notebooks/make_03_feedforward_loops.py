"""Generate notebooks/03_feedforward_loops.ipynb (run: python notebooks/make_03_feedforward_loops.py)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Feed-forward loops: delays, pulses and fold-change detection\n\n"
        "The feed-forward loop (FFL) X -> Y -> Z with X -> Z is the most over-represented "
        "three-gene motif in transcription networks (Mangan & Alon 2003, PNAS 100:11980; "
        "Alon, *An Introduction to Systems Biology*, ch. 4). Every edge is a Hill function -- "
        "the same logistic-in-log-concentration nonlinearity as `bioact.activations.hill`. "
        "This notebook reproduces the textbook behaviours with `bioact.circuits`.\n\n"
        "Set `BIOACT_QUICK=1` for a fast run (fewer panels and a coarser grid)."
    ),
    new_code_cell(
        "import os\n\n"
        "import jax.numpy as jnp\n"
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n\n"
        "import bioact\n"
        "from bioact.circuits import FFL, TYPES, ffl_metrics, run_protocol\n"
        "from bioact.circuits.grid import pulse_amplitude_grid\n"
        "from bioact.circuits.presets import load_preset\n"
        "from bioact.plot import ffl_gallery, plot_delay_comparison, plot_pulse, plot_pulse_heatmap\n\n"
        "QUICK = os.environ.get('BIOACT_QUICK', '0') == '1'"
    ),
    new_markdown_cell(
        "## C1-FFL with AND logic: a sign-sensitive delay\n\n"
        "Z needs both X* and Y, so after an ON step it waits for Y to cross K_yz; after an OFF "
        "step it falls at once. Compare with simple regulation X -> Z tuned to the same "
        "steady state (t50 = ln 2 / alpha)."
    ),
    new_code_cell(
        "c1 = FFL('c1', 'and')\n"
        "fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout='constrained')\n"
        "for ax, protocol in zip(axes, ['on', 'off']):\n"
        "    res = run_protocol(c1, protocol)\n"
        "    m = ffl_metrics(res)\n"
        "    simple = run_protocol(c1.simple_regulation(1.0), protocol)\n"
        "    plot_delay_comparison(res, simple, m, ax=ax)\n"
        "    print(f\"{protocol:>3}: t50 = {m['t50']:.3f}, simple = {m['t50_simple']:.3f}, delay = {m['delay']:.3f}\")"
    ),
    new_markdown_cell("## Pulse filtering: short input pulses do not reach Z"),
    new_code_cell(
        "widths = [0.25, 0.5, 1.0, 2.0, 4.0]\n"
        "for logic in ['and', 'or']:\n"
        "    model = FFL('c1', logic)\n"
        "    frac = [ffl_metrics(run_protocol(model, 'pulse', width=w), with_delay=False)['peak_fraction'] for w in widths]\n"
        "    print(logic.upper(), ' '.join(f'{f:.2f}' for f in frac))\n"
        "res = run_protocol(c1, 'pulse', width=0.5)\n"
        "plot_pulse(res, ffl_metrics(res));"
    ),
    new_markdown_cell(
        "## I1-FFL: pulse generation and response acceleration\n\n"
        "Y represses Z, so Z overshoots and then adapts; it reaches half its steady state "
        "much sooner than simple regulation with the same steady state."
    ),
    new_code_cell(
        "res = run_protocol(FFL('i1', 'and'), 'on')\n"
        "m = ffl_metrics(res)\n"
        "print({k: round(m[k], 3) for k in ['z_peak', 't_peak', 'pulse_amplitude', 'pulse_width', 't50', 't50_simple']})\n"
        "plot_pulse(res, m);"
    ),
    new_markdown_cell(
        "## Fold-change detection (Goentoro, Shoval, Kirschner & Alon 2009)\n\n"
        "With X << K_xz, Y linear in X and Y >> K_yz, Z depends on X/Y only: a step a -> F a "
        "gives the same Z response for every a. Preset: `models/ffl_i1_fcd.toml`."
    ),
    new_code_cell(
        "fcd, _ = load_preset('models/ffl_i1_fcd.toml')\n"
        "fig, ax = plt.subplots(figsize=(6, 3.5), layout='constrained')\n"
        "zs = {}\n"
        "for a in [0.01, 0.02, 0.04]:\n"
        "    for fold in [2.0, 4.0]:\n"
        "        r = run_protocol(fcd, 'foldchange', a=a, fold=fold, t_start=-1.0)\n"
        "        zs[a, fold] = np.asarray(r.traj['z'])\n"
        "        ax.plot(r.traj.ts, r.traj['z'], ls='-' if fold == 2 else '--', label=f'a={a}, F={fold:g}')\n"
        "ax.set(xlabel='time (1/alpha)', ylabel='Z'); ax.legend(fontsize=8)\n"
        "spread = max(np.max(np.abs(zs[a, 2.0] - zs[0.02, 2.0])) for a in [0.01, 0.04]) / zs[0.02, 2.0].max()\n"
        "print(f'same F=2, a over 4-fold: max |dZ| / Z_peak = {spread:.1e}')"
    ),
    new_markdown_cell("## All 8 types x 2 logics (pulse of width 3)"),
    new_code_cell(
        "types = ['c1', 'i1'] if QUICK else TYPES\n"
        "results = {(t, lg): run_protocol(FFL(t, lg), 'pulse', width=3.0, t_end=10.0, t_start=-1.0, n_points=111)\n"
        "           for t in types for lg in ['and', 'or']}\n"
        "ffl_gallery(results);"
    ),
    new_markdown_cell(
        "## Pulse amplitude over (K_yz, n), one vmapped solve\n\n"
        "`pulse_amplitude_grid` runs every grid point in a single `jax.vmap`-ed diffrax call."
    ),
    new_code_cell(
        "k = jnp.geomspace(0.05, 1.0, 4 if QUICK else 12)\n"
        "n = jnp.linspace(1.0, 4.0, 4 if QUICK else 12)\n"
        "amp = pulse_amplitude_grid('i1', 'and', k, n)\n"
        "plot_pulse_heatmap(k, n, amp);"
    ),
]
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = Path(__file__).with_name("03_feedforward_loops.ipynb")
nbformat.write(nb, path)
print(f"wrote {path}")

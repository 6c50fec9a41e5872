"""FFL figures are drawn on the given axes/figure and saved; the vmapped heat-map grid equals
a loop of single solves."""

import matplotlib

matplotlib.use("Agg")

import jax.numpy as jnp  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from bioact.circuits import FFL, ffl_metrics, run_protocol  # noqa: E402
from bioact.circuits.grid import pulse_amplitude_grid  # noqa: E402
from bioact.plot import (  # noqa: E402
    ffl_gallery,
    plot_delay_comparison,
    plot_pulse,
    plot_pulse_heatmap,
    savefig,
)


def test_pulse_and_delay_plots(tmp_path):
    res = run_protocol(FFL("c1", "and"), "on", t_end=8.0)
    m = ffl_metrics(res)
    fig, axes = plt.subplots(1, 2)
    assert plot_pulse(res, m, ax=axes[0]) is axes[0]
    assert len(axes[0].lines) >= 3 and "delay" in axes[0].texts[0].get_text()
    simple = run_protocol(res.model.simple_regulation(1.0), "on", t_end=8.0)
    assert plot_delay_comparison(res, simple, m, ax=axes[1]) is axes[1]
    assert savefig(fig, tmp_path / "p.png").stat().st_size > 10_000


def test_gallery_layout(tmp_path):
    """Rows = types, columns = logics (2 of the 16 panels: each (type, logic) costs a compile;
    the full 8 x 2 gallery is drawn in notebooks/03_feedforward_loops.ipynb)."""
    results = {
        (t, lg): run_protocol(FFL(t, lg), "on", t_end=8.0) for t in ("c1",) for lg in ("and", "or")
    }
    fig = ffl_gallery(results)
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "C1 OR"
    assert savefig(fig, tmp_path / "g.png").stat().st_size > 10_000


def test_heatmap_grid_matches_loop(tmp_path):
    k = jnp.array([0.1, 0.3, 0.9])
    n = jnp.array([1.0, 2.0, 4.0])
    amp = np.asarray(pulse_amplitude_grid("i1", "and", k, n, t_end=8.0, n_points=161))
    assert amp.shape == (3, 3)
    for i, j in [(0, 2), (2, 0)]:
        model = FFL("i1", "and", k_yz=float(k[i]), n_xy=float(n[j]), n_xz=float(n[j]),
                    n_yz=float(n[j]))  # fmt: skip
        z = np.asarray(run_protocol(model, "on", t_end=8.0, n_points=161, rtol=1e-6, atol=1e-9)
                       .traj["z"])  # fmt: skip
        z_ss = float(model.steady_state(1.0)[1])
        assert abs(amp[i, j] - (z.max() - z_ss) / z_ss) < 1e-6 * max(1.0, abs(amp[i, j]))
    # stronger repression (smaller K_yz) gives a larger pulse (Alon 4.7)
    assert np.all(np.diff(amp[:, 1]) < 0)
    ax = plot_pulse_heatmap(k, n, amp)
    assert savefig(ax.figure, tmp_path / "h.png").stat().st_size > 5_000

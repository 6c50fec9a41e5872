"""CLI commands `bioact fi` / `bioact trace` and the neuron plots (files really written)."""

import json

import jax.numpy as jnp
import matplotlib

matplotlib.use("Agg")

import bioact  # noqa: E402
import bioact.neuron as bn  # noqa: E402
from bioact.cli import main  # noqa: E402
from bioact.io import read_csv  # noqa: E402
from bioact.plot import (  # noqa: E402
    plot_bifurcation,
    plot_fi_curves,
    plot_gating,
    plot_phase_plane,
    plot_trace,
    savefig,
)


def test_fi_command(tmp_path):
    out = tmp_path / "fi"
    args = ["fi", "hh1952", "--currents", "0:12:7", "--duration", "400", "--out", str(out)]
    assert main(args) == 0
    data = read_csv(out / "fi_curve.csv")
    assert list(data) == ["current_uA_cm2", "rate_hz"] and data["rate_hz"].size == 7
    assert data["rate_hz"][0] == 0.0 and data["rate_hz"][-1] > 50.0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["excitability_class"] == "Type II" and meta["bifurcation"] == "hopf"
    assert 6.0 < meta["rheobase_uA_cm2"] < 7.0 and meta["wall_time_s"] > 0
    assert (out / "fi_curve.png").stat().st_size > 1000


def test_trace_command_and_bad_args(tmp_path, capsys):
    out = tmp_path / "tr"
    assert (
        main(
            [
                "trace",
                "morris_lecar_type1",
                "--current",
                "60",
                "--duration",
                "300",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = read_csv(out / "trace.csv")
    assert set(data) == {"t_ms", "V", "w"} and data["V"].max() > 0.0
    assert json.loads((out / "meta.json").read_text())["n_spikes"] >= 2
    assert main(["fi", "nope", "--out", str(out)]) == 2
    assert main(["fi", "hh1952", "--currents", "0:1", "--out", str(out)]) == 2
    assert "START:STOP:N" in capsys.readouterr().err


def test_plots_write_files(tmp_path):
    ml = bn.MorrisLecar.type1()
    traj = bioact.simulate(ml, 200.0, stimulus=60.0, ts=jnp.linspace(0, 200, 801))
    ax = plot_phase_plane(ml, 60.0, traj)
    assert len(ax.lines) >= 4
    savefig(ax.figure, tmp_path / "pp.png")
    hh = bn.HodgkinHuxley()
    savefig(plot_gating(hh).figure, tmp_path / "gates.png")
    savefig(plot_bifurcation(hh, jnp.linspace(0, 15, 61)).figure, tmp_path / "bif.png")
    ax = plot_fi_curves({"a": ([0, 1], [0, 5]), "b": ([0, 1], [0, 2])})
    savefig(ax.figure, tmp_path / "fi.png")
    ax = plot_trace(traj.ts, traj["V"], jnp.array([10.0, jnp.nan]))
    savefig(ax.figure, tmp_path / "tr.png")
    for name in ("pp", "gates", "bif", "fi", "tr"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000

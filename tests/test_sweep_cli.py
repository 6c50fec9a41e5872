"""`bioact sweep EXPERIMENT.toml`: outputs, resume, errors; values against scipy."""

import json

import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from bioact.circuits import FFL
from bioact.cli import main
from bioact.io import read_csv
from bioact.stimuli import Constant

EXPERIMENT = """
[experiment]
quantity = "ffl_pulse_amplitude"
description = "test"
[model]
type = "i1"
logic = "and"
[settings]
t_end = 10.0
n_points = 401
rtol = 1e-8
atol = 1e-11
[grid]
k_yz = [0.1, 0.3]
n = {start = 1.0, stop = 3.0, num = 3}
[sweep]
chunk_size = 4
[plot]
log_color = true
"""


def _scipy_amplitude(k_yz, n):
    model = FFL("i1", "and", k_yz=k_yz, n_xy=n, n_xz=n, n_yz=n)
    ts = np.linspace(0, 10, 401)
    sol = solve_ivp(
        lambda t, y: np.asarray(model.vector_field(t, jnp.asarray(y), Constant(1.0))),
        (0, 10),
        [0.0, 0.0],
        method="LSODA",
        t_eval=ts,
        rtol=1e-11,
        atol=1e-13,
    )
    z_ss = float(model.steady_state(1.0)[1])
    return (sol.y[1].max() - z_ss) / z_ss


def test_sweep_command_writes_table_plot_meta_and_resumes(tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(EXPERIMENT)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--no-progress"]) == 0
    table = read_csv(out / "results.csv")
    assert list(table) == ["k_yz", "n", "pulse_amplitude", "z_peak", "z_steady", "failed"]
    np.testing.assert_array_equal(table["k_yz"], [0.1, 0.1, 0.1, 0.3, 0.3, 0.3])
    for k, n, amp in zip(table["k_yz"], table["n"], table["pulse_amplitude"], strict=True):
        assert amp == pytest.approx(_scipy_amplitude(k, n), rel=1e-5)
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    meta = json.loads((out / "meta.json").read_text())
    assert meta["rows"] == 6 and meta["n_failed"] == 0
    assert meta["sweep"]["chunks_computed"] == 2
    # a second run resumes from the checkpoint: nothing recomputed, same table
    assert main(["sweep", str(exp), "--out", str(out), "--no-progress"]) == 0
    meta2 = json.loads((out / "meta.json").read_text())
    assert meta2["sweep"]["chunks_computed"] == 0 and meta2["sweep"]["chunks_loaded"] == 2
    np.testing.assert_array_equal(
        read_csv(out / "results.csv")["pulse_amplitude"], table["pulse_amplitude"]
    )


@pytest.mark.parametrize(
    "edit, message",
    [
        (('quantity = "ffl_pulse_amplitude"', 'quantity = "nope"'), "quantity must be one of"),
        (("k_yz = [0.1, 0.3]", "k_zz = [0.1, 0.3]"), "not FFL parameters"),
        (('type = "i1"', 'type = "i9"'), "i9"),
    ],
)
def test_bad_experiment_files_exit_2(tmp_path, capsys, edit, message):
    exp = tmp_path / "bad.toml"
    exp.write_text(EXPERIMENT.replace(*edit))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


HH_EXPERIMENT = """
[experiment]
quantity = "firing_rate"
[model]
preset = "hh1952"
[settings]
current = 10.0
duration = 300.0
transient = 50.0
[grid]
g_na = [80.0, 120.0]
g_k = [20.0, 45.0]
"""


def test_hh_conductance_sweep_matches_fi_curve_per_row(tmp_path):
    import bioact.neuron as bn

    exp = tmp_path / "hh.toml"
    exp.write_text(HH_EXPERIMENT)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--no-progress"]) == 0
    table = read_csv(out / "results.csv")
    assert list(table) == ["g_na", "g_k", "count_rate_hz", "n_spikes", "rate_hz", "failed"]
    for g_na, g_k, rate in zip(table["g_na"], table["g_k"], table["rate_hz"], strict=True):
        ref = bn.fi_curve(
            bn.HodgkinHuxley(g_na=g_na, g_k=g_k), [10.0], duration=300.0, transient=50.0
        )
        assert rate == pytest.approx(float(ref.rate_hz[0]), abs=1e-6)
    # default HH fires repetitively at 10 uA/cm^2; strong g_K with weak g_Na silences it
    by = {(a, b): r for a, b, r in zip(table["g_na"], table["g_k"], table["rate_hz"], strict=True)}
    assert by[(120.0, 20.0)] > 50.0 and by[(80.0, 45.0)] == 0.0


def test_firing_rate_rejects_unknown_axes(tmp_path, capsys):
    exp = tmp_path / "hh.toml"
    exp.write_text(HH_EXPERIMENT.replace("g_k = [20.0, 45.0]", "g_kk = [20.0]"))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    assert "not parameters of 'hh1952'" in capsys.readouterr().err

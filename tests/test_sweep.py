"""Tests of bioact.sweep: equality with loops/vmap, sharding, resume, corruption, failures."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.io import read_csv
from bioact.sweep import ChunkInfo, Grid, SweepResult, sweep

ROOT = Path(__file__).resolve().parents[1]

# A real diffrax ODE shared verbatim by this module and by the subprocess scripts below:
# dx/dt = amp - rate * x, x(0) = 1, so x(t) = amp/rate + (1 - amp/rate) exp(-rate t).
MODEL = textwrap.dedent(
    """
    import diffrax, equinox as eqx, jax, jax.numpy as jnp, numpy as np
    import bioact
    from bioact.sweep import Grid, sweep

    class Decay(bioact.AbstractModel):
        rate: jax.Array = eqx.field(converter=jnp.asarray, default=1.0)
        state_names = ("x",)

        def vector_field(self, t, y, stimulus):
            return stimulus(t) - self.rate * y

        def initial_state(self):
            return jnp.ones(1)

    def decay_final(rate, amp, max_steps=4096):
        traj = bioact.simulate(
            Decay(rate=rate), 1.0, stimulus=amp, saveat=diffrax.SaveAt(t1=True),
            rtol=1e-10, atol=1e-10, max_steps=max_steps, throw=False,
        )
        return {"x": traj.ys[-1, 0], "success": traj.success}

    def analytic(rate, amp, t=1.0):
        return amp / rate + (1.0 - amp / rate) * np.exp(-rate * t)

    GRID = Grid.product(rate=np.linspace(0.5, 3.0, 7), amp=np.array([0.0, 0.5, 2.0]))
    """
)
NS: dict = {}
exec(MODEL, NS)
Decay, decay_final, analytic, GRID = NS["Decay"], NS["decay_final"], NS["analytic"], NS["GRID"]


def run_script(tmp_path: Path, body: str, model: str = MODEL) -> Path:
    script = tmp_path / f"script_{len(list(tmp_path.glob('script_*.py')))}.py"
    script.write_text(model + textwrap.dedent(body))
    return script


def subprocess_env(**extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JAX_PLATFORMS": "cpu", **extra}
    return env


def hill_fn(k, n):
    return {"y": k**n / (1.0 + k**n), "dy": jnp.stack([k, n])}


# ---------------------------------------------------------------------------- correctness


def test_matches_analytic_loop_and_vmap():
    res = sweep(decay_final, GRID, chunk_size=5, progress=False)
    rate, amp = res["rate"], res["amp"]
    assert len(res) == 21 and res.info["n_chunks"] == 5
    np.testing.assert_allclose(res["x"], analytic(rate, amp), rtol=1e-8, atol=1e-10)
    assert not res.failed.any()
    # A plain Python loop over un-batched (jitted once) simulate calls.
    one = jax.jit(decay_final)
    loop = np.array([float(one(r, a)["x"]) for r, a in zip(rate, amp, strict=True)])
    np.testing.assert_allclose(res["x"], loop, rtol=1e-12, atol=1e-14)
    # A plain vmap over the whole grid at once.
    bare = jax.jit(jax.vmap(decay_final))(jnp.asarray(rate), jnp.asarray(amp))
    np.testing.assert_allclose(res["x"], np.asarray(bare["x"]), rtol=1e-12, atol=1e-14)


def test_product_order_as_grid_rows_and_dict_call():
    axes = {"k": np.array([0.5, 1.0, 2.0]), "n": np.array([1.0, 2.0, 4.0, 8.0])}
    res = sweep(hill_fn, axes, chunk_size=5, progress=False)
    kk, nn = np.meshgrid(axes["k"], axes["n"], indexing="ij")
    np.testing.assert_allclose(res.as_grid("y"), kk**nn / (1 + kk**nn), rtol=1e-14)
    assert res.as_grid("dy").shape == (3, 4, 2)
    np.testing.assert_array_equal(res.as_grid("k"), kk)
    assert res.columns.keys() == {"k", "n", "y", "dy", "failed"}
    # The same rows as an explicit table, with fn taking one dict argument.
    rows = Grid.rows(k=kk.ravel(), n=nn.ravel())
    res2 = sweep(lambda p: p["k"] ** p["n"] / (1 + p["k"] ** p["n"]), rows, progress=False)
    np.testing.assert_array_equal(res2["value"], res["y"])
    with pytest.raises(ValueError, match="as_grid needs a Grid.product"):
        res2.as_grid("value")


def test_compiles_once_for_all_chunks_and_reruns():
    traced = eqx.debug.assert_max_traces(hill_fn, max_traces=1)
    grid = {"k": np.linspace(0.1, 3.0, 23), "n": np.array([1.0, 3.0])}  # 46 rows, ragged chunks
    a = sweep(traced, grid, chunk_size=8, progress=False)
    b = sweep(traced, grid, chunk_size=8, progress=False)  # same shape: cache hit, no retrace
    assert a.info["n_chunks"] == 6
    np.testing.assert_array_equal(a["y"], b["y"])


class Scaled(eqx.Module):
    scale: jax.Array  # array field: the module is not hashable

    def __call__(self, k):
        return k * self.scale


def test_unhashable_callable_module():
    res = sweep(Scaled(jnp.array(2.0)), {"k": [1.0, 2.0, 3.0]}, chunk_size=2, progress=False)
    np.testing.assert_array_equal(res["value"], [2.0, 4.0, 6.0])


def test_csv_roundtrip(tmp_path):
    res = sweep(hill_fn, {"k": [0.5, 2.0], "n": [1.0, 3.0]}, progress=False)
    cols = read_csv(res.to_csv(tmp_path / "results.csv", comments=["y dimensionless"]))
    assert list(cols) == ["k", "n", "dy[0]", "dy[1]", "y", "failed"]  # outputs in key order
    np.testing.assert_allclose(cols["y"], res["y"], rtol=1e-15)
    np.testing.assert_allclose(np.load(res.to_npz(tmp_path / "r.npz"))["dy"], res["dy"])


# ---------------------------------------------------------------------------- failures


def test_per_row_failures_are_recorded_not_fatal():
    grid = Grid.rows(rate=[0.5, 1.0, 2.0, 2000.0, 5000.0, 1.5], amp=[1.0] * 6)

    def tight(rate, amp):  # explicit Tsit5 on a stiff decay runs out of steps for large rates
        return decay_final(rate, amp, max_steps=200)

    res = sweep(tight, grid, chunk_size=4, progress=False)
    one = jax.jit(tight)
    loop = [bool(one(r, a)["success"]) for r, a in zip(res["rate"], res["amp"], strict=True)]
    np.testing.assert_array_equal(res.failed, ~np.array(loop))
    np.testing.assert_array_equal(res.failed, res["rate"] > 100)
    ok = ~res.failed
    np.testing.assert_allclose(res["x"][ok], analytic(res["rate"][ok], 1.0), rtol=1e-8)
    np.testing.assert_array_equal(res.failures()["rate"], [2000.0, 5000.0])


def test_nan_output_marks_row_failed():
    res = sweep(lambda x: {"s": jnp.sqrt(x)}, {"x": [4.0, -1.0, 9.0]}, progress=False)
    np.testing.assert_array_equal(res.failed, [False, True, False])


# ---------------------------------------------------------------------------- checkpoints


def counting(fn_chunks: list):
    return lambda info: fn_chunks.append(info.index) if info.computed else None


def test_resume_loads_finished_chunks(tmp_path):
    computed: list = []
    first = sweep(decay_final, GRID, chunk_size=4, checkpoint=tmp_path, progress=False)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"chunk_{i:06d}.npz" for i in range(6)] + ["manifest.json"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["function"]["qualname"] == "decay_final" and manifest["chunk_size"] == 4
    again = sweep(
        decay_final, GRID, chunk_size=4, checkpoint=tmp_path, progress=False,
        on_chunk=counting(computed),
    )  # fmt: skip
    assert computed == [] and again.info["chunks_loaded"] == 6
    for name in first.columns:
        np.testing.assert_array_equal(again[name], first[name])


def test_corrupt_and_partial_chunks_are_recomputed(tmp_path):
    ref = sweep(decay_final, GRID, chunk_size=4, checkpoint=tmp_path, progress=False)
    path = tmp_path / "chunk_000001.npz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # truncated
    (tmp_path / "chunk_000002.npz").write_bytes(b"")  # empty
    # A well-formed NPZ whose data no longer matches its stored checksum.
    with np.load(tmp_path / "chunk_000003.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["x"] = arrays["x"] + 1e-3
    np.savez(tmp_path / "chunk_000003.npz", **arrays)
    # Another chunk's (valid) file in the wrong place.
    (tmp_path / "chunk_000004.npz").write_bytes((tmp_path / "chunk_000000.npz").read_bytes())
    # A stale temporary file from a killed writer is ignored.
    (tmp_path / ".chunk_000005.npz.abc.tmp").write_bytes(b"partial")
    computed: list = []
    with pytest.warns(RuntimeWarning, match="corrupt or partial") as record:
        res = sweep(
            decay_final, GRID, chunk_size=4, checkpoint=tmp_path, progress=False,
            on_chunk=counting(computed),
        )  # fmt: skip
    assert sorted(computed) == [1, 2, 3, 4] and len(record) == 4
    assert any("checksum" in str(w.message) for w in record)
    assert any("another chunk" in str(w.message) for w in record)
    for name in ref.columns:
        np.testing.assert_array_equal(res[name], ref[name])


def test_changed_grid_function_or_chunking_is_refused(tmp_path):
    sweep(decay_final, GRID, chunk_size=4, checkpoint=tmp_path, progress=False)
    other_grid = Grid.product(rate=np.linspace(0.5, 3.0, 8), amp=[0.0, 0.5, 2.0])
    with pytest.raises(ValueError, match="different sweep: the grid differs"):
        sweep(decay_final, other_grid, chunk_size=4, checkpoint=tmp_path, progress=False)
    with pytest.raises(ValueError, match="chunk_size was 4, now 5"):
        sweep(decay_final, GRID, chunk_size=5, checkpoint=tmp_path, progress=False)

    def decay_final_v2(rate, amp):
        return {"x": decay_final(rate, amp)["x"] * 2.0}

    with pytest.raises(ValueError, match="function's qualname differs"):
        sweep(decay_final_v2, GRID, chunk_size=4, checkpoint=tmp_path, progress=False)


def test_changed_closed_over_constant_is_refused(tmp_path):
    def make(scale):
        def scaled(k, n):
            return k**n * scale

        return scaled

    grid = {"k": [1.0, 2.0], "n": [1.0, 2.0]}
    sweep(make(jnp.array(2.0)), grid, checkpoint=tmp_path, progress=False)
    sweep(make(jnp.array(2.0)), grid, checkpoint=tmp_path, progress=False)  # same: resumes
    with pytest.raises(ValueError, match="function's jaxpr differs"):
        sweep(make(jnp.array(3.0)), grid, checkpoint=tmp_path, progress=False)


KILLABLE = """
import sys, time
from pathlib import Path
out, count, stop_after = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
done = []

def on_chunk(info):
    if info.computed:
        with count.open("a") as fh:
            fh.write(f"{info.index}\\n")
        done.append(info.index)
        if len(done) == stop_after:
            time.sleep(600)  # parked here until the parent sends SIGKILL

res = sweep(decay_final, GRID, chunk_size=3, checkpoint=out / "ckpt", progress=False,
            on_chunk=on_chunk)
np.savez(out / "final.npz", **res.columns)
"""


def test_killed_sweep_resumes_without_recomputing(tmp_path):
    script = run_script(tmp_path, KILLABLE)
    count = tmp_path / "count.txt"
    env = subprocess_env()
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), str(count), "3"], env=env, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 120
        while not (count.exists() and len(count.read_text().split()) >= 3):
            assert proc.poll() is None, "sweep subprocess exited before being killed"
            assert time.monotonic() < deadline, "sweep subprocess made no progress"
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not (tmp_path / "final.npz").exists()
    first_run = [int(i) for i in count.read_text().split()]
    assert first_run == [0, 1, 2]
    subprocess.run(
        [sys.executable, str(script), str(tmp_path), str(count), "0"],
        env=env, cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    computed = [int(i) for i in count.read_text().split()]
    assert sorted(computed) == list(range(7)), computed  # every chunk exactly once overall
    ref = sweep(decay_final, GRID, chunk_size=3, progress=False)
    with np.load(tmp_path / "final.npz") as final:
        for name in ref.columns:
            np.testing.assert_array_equal(final[name], ref[name])


# ---------------------------------------------------------------------------- devices


SHARDED = """
import sys
out = sys.argv[1]
assert len(jax.devices()) == 4, jax.devices()
four = sweep(decay_final, GRID, chunk_size=10, progress=False)
one = sweep(decay_final, GRID, chunk_size=10, devices=jax.devices()[:1], progress=False)
assert four.info["n_devices"] == 4 and four.info["batch_size"] == 12
np.savez(out, x4=four["x"], f4=four.failed, x1=one["x"], f1=one.failed)
"""


def test_four_forced_host_devices_match_one(tmp_path):
    script = run_script(tmp_path, SHARDED)
    env = subprocess_env(XLA_FLAGS="--xla_force_host_platform_device_count=4")
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out.npz")],
        env=env, cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    here = sweep(decay_final, GRID, chunk_size=10, progress=False)
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_array_equal(out["x4"], out["x1"])
        np.testing.assert_array_equal(out["x4"], here["x"])
        np.testing.assert_array_equal(out["f4"], here.failed)


def test_float32_mode(tmp_path):
    body = """
    import sys
    assert not jax.config.jax_enable_x64
    res = sweep(decay_final, GRID, chunk_size=8, checkpoint=sys.argv[1], progress=False)
    assert res["x"].dtype == np.float32 and res["rate"].dtype == np.float32
    np.testing.assert_allclose(res["x"], analytic(res["rate"], res["amp"]), rtol=1e-4)
    assert not res.failed.any()
    """
    model32 = MODEL.replace("rtol=1e-10, atol=1e-10", "rtol=1e-6, atol=1e-7")
    script = run_script(tmp_path, body, model=model32)
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "ckpt")],
        env=subprocess_env(BIOACT_X64="0"), cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    # A float64 rerun on the float32 checkpoint would mix precisions: refused.
    with pytest.raises(ValueError, match="different sweep"):
        sweep(decay_final, GRID, chunk_size=8, checkpoint=tmp_path / "ckpt", progress=False)


# ---------------------------------------------------------------------------- progress, args


def test_progress_bar_and_silence(capsys):
    sweep(hill_fn, {"k": [1.0, 2.0], "n": [1.0, 2.0, 3.0]}, chunk_size=2, progress=False)
    assert capsys.readouterr() == ("", "")
    sweep(hill_fn, {"k": [1.0, 2.0], "n": [1.0, 2.0, 3.0]}, chunk_size=2, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "sim/s" in captured.err and "chunks 3/3" in captured.err and "6/6" in captured.err


def test_on_chunk_reports_every_chunk():
    seen: list[ChunkInfo] = []
    res = sweep(hill_fn, {"k": np.arange(1.0, 8.0), "n": [1.0]}, chunk_size=3,
                progress=False, on_chunk=seen.append)  # fmt: skip
    assert isinstance(res, SweepResult)
    assert [(c.start, c.stop) for c in seen] == [(0, 3), (3, 6), (6, 7)]
    assert all(c.computed and c.n_chunks == 3 and c.n_failed == 0 for c in seen)


def test_grid_from_spec():
    g = Grid.from_spec(
        {"g_na": {"start": 60.0, "stop": 180.0, "num": 4}, "k": {"start": 0.1, "stop": 10.0,
         "num": 3, "scale": "log"}, "n": [1, 2], "i": 5.0}
    )  # fmt: skip
    assert g.shape == (4, 3, 2, 1) and g.names == ("g_na", "k", "n", "i")
    np.testing.assert_allclose(g.axes["g_na"], [60.0, 100.0, 140.0, 180.0])
    np.testing.assert_allclose(g.axes["k"], [0.1, 1.0, 10.0])
    rows = Grid.from_spec({"a": [1.0, 2.0], "b": [3.0, 4.0]}, kind="rows")
    assert rows.kind == "rows" and len(rows) == 2
    for spec, match in [
        ({"a": {"start": 0, "stop": 1}}, "keys start, stop, num"),
        ({"a": {"start": 0, "stop": 1, "num": 0}}, "num must be an int >= 1"),
        ({"a": {"start": 0, "stop": 1, "num": 3, "scale": "log"}}, "log scale needs start > 0"),
        ({"a": {"start": 1, "stop": 2, "num": 3, "scale": "cubic"}}, "scale must be"),
    ]:
        with pytest.raises(ValueError, match=match):
            Grid.from_spec(spec)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sweep(hill_fn, {"k": [1.0], "n": [1.0]}, chunk_size=0), "chunk_size must be"),
        (lambda: sweep(hill_fn, {"k": [], "n": [1.0]}), "axis 'k' must have at least one"),
        (lambda: sweep(hill_fn, {"k": ["a"], "n": [1.0]}), "axis 'k' must be numeric"),
        (lambda: sweep(hill_fn, {"k": [[1.0]], "n": [1.0]}), "axis 'k' must be 1-D"),
        (lambda: Grid.rows(k=[1.0, 2.0], n=[1.0]), "equal lengths"),
        (lambda: sweep(hill_fn, [1.0, 2.0]), "grid must be a bioact.sweep.Grid"),
        (lambda: sweep(lambda a, b: a, {"k": [1.0]}), "fn must accept the grid names"),
        (lambda: sweep(lambda k: {"k": k}, {"k": [1.0]}), "output names must differ"),
        (lambda: sweep(lambda k: "x", {"k": [1.0]}), "fn must return a number/array"),
        (lambda: sweep(hill_fn, {"k": [1.0], "n": [1.0]}, devices=[]), "devices must list"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()

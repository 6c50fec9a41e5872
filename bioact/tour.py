"""The tour: every domain end to end on built-in defaults, with an HTML index of the results.

``run_tour(out_dir, quick=False)`` runs the stages in order -- activation gallery, Type I vs
Type II f-I curves, feed-forward-loop pulse plots, PINN solution and activation comparison,
one fit, one small sweep -- each writing figures and data into its own sub-folder, then writes
``out_dir/index.html`` showing every figure with the stage's key numbers. ``quick=True`` runs
the same pipeline on reduced sizes (fewer currents, shorter runs and trainings).

A stage that fails is recorded in the index (and the returned summary) with its error
message instead of aborting the other stages; :func:`run_tour` raises at the end if any stage
failed, so the CLI exits non-zero.
"""

from __future__ import annotations

import html
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bioact.errors import BioactError
from bioact.io import write_json

__all__ = ["StageResult", "TourError", "run_tour", "STAGES"]


class TourError(BioactError):
    """One or more tour stages failed (the others still ran; see ``index.html``)."""


@dataclass
class StageResult:
    """What a stage produced: figure paths (relative to the tour folder) and key numbers."""

    name: str
    title: str
    figures: list[str] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    wall_time_s: float = 0.0
    error: str | None = None


_ROOT = Path(__file__).resolve().parents[1]  # the repository (models/, data/)


def _cli(*argv: str) -> dict:
    """Run one ``bioact`` command in-process; return its meta.json (raise if it failed)."""
    import json

    from bioact.cli import main

    code = main(list(argv))
    if code != 0:
        raise BioactError(f"`bioact {' '.join(argv)}` exited with code {code}")
    out = Path(argv[argv.index("--out") + 1])
    return json.loads((out / "meta.json").read_text())


def _stage_activations(out: Path, quick: bool) -> dict:
    meta = _cli("activations", "--out", str(out))
    return {
        "figures": ["activations.png"],
        "numbers": {
            "primitives": meta["n_primitives"],
            "max |GELU - z sigmoid(1.702 z)|": round(meta["gelu_sigmoid_max_abs_deviation"], 5),
        },
    }


def _stage_neuron(out: Path, quick: bool) -> dict:
    from bioact.io import read_csv
    from bioact.plot import plot_fi_curves, savefig

    n, duration, transient = (31, 500.0, 100.0) if quick else (121, 1000.0, 200.0)
    curves, numbers, figures = {}, {}, []
    for preset, label in (
        ("hh1952", "Hodgkin-Huxley (Type II)"),
        ("wang_buzsaki", "Wang-Buzsaki (Type I)"),
    ):
        extra = ["--no-classify"] if quick else []
        meta = _cli(
            "fi",
            preset,
            "--currents",
            f"0:15:{n}",
            "--duration",
            str(duration),
            "--transient",
            str(transient),
            *extra,
            "--out",
            str(out / preset),
        )
        table = read_csv(out / preset / "fi_curve.csv")
        curves[label] = (table["current_uA_cm2"], table["rate_hz"])
        firing = table["rate_hz"] > 0
        if firing.any():
            numbers[f"{preset}: first firing current (uA/cm2)"] = float(
                table["current_uA_cm2"][firing][0]
            )
            numbers[f"{preset}: rate there (Hz)"] = round(float(table["rate_hz"][firing][0]), 1)
        for key in (
            "excitability_class",
            "bifurcation",
            "bifurcation_current_uA_cm2",
            "rheobase_uA_cm2",
            "rate_at_rheobase_hz",
        ):
            if key in meta:
                numbers[f"{preset}: {key}"] = meta[key]
        figures.append(f"{preset}/fi_curve.png")
    ax = plot_fi_curves(curves)
    ax.set_title("Type I (continuous from 0 Hz) vs Type II (abrupt onset)")
    savefig(ax.figure, out / "fi_type1_vs_type2.png")
    return {"figures": ["fi_type1_vs_type2.png", *figures], "numbers": numbers}


def _stage_circuits(out: Path, quick: bool) -> dict:
    import json

    numbers = {}
    figures = []
    for ffl_type, logic, protocol in (
        ("c1", "and", "on"),
        ("c1", "and", "off"),
        ("i1", "and", "on"),
    ):
        name = f"{ffl_type}_{logic}_{protocol}"
        _cli("ffl", ffl_type, "--logic", logic, "--protocol", protocol, "--out", str(out / name))
        metrics = json.loads((out / name / "metrics.json").read_text())
        figures.append(f"{name}/pulse.png")
        for key in ("delay", "t50", "pulse_amplitude"):
            if metrics.get(key) is not None:
                numbers[f"{name}: {key}"] = round(float(metrics[key]), 4)
    return {"figures": figures, "numbers": numbers}


def _stage_pinn(out: Path, quick: bool) -> dict:
    steps = ["--adam-steps", "300", "--lbfgs-steps", "300"] if quick else []
    meta = _cli("pinn", "poisson_sin", "--activation", "tanh", *steps, "--out", str(out / "tanh"))
    compared = "tanh,relu" if quick else "tanh,sin,softplus,gelu,swish,relu"
    cmp = _cli(
        "pinn",
        "poisson_sin",
        "--compare",
        compared,
        "--allow-nonsmooth",
        *steps,
        "--out",
        str(out / "compare"),
    )
    numbers = {"tanh rel L2": f"{meta['metrics']['rel_l2']:.2e}"}
    numbers.update(
        {f"{k} rel L2 (same seed)": f"{v['rel_l2']:.2e}" for k, v in cmp["compare"].items()}
    )
    return {"figures": ["tanh/solution.png", "compare/compare.png"], "numbers": numbers}


def _stage_fit(out: Path, quick: bool) -> dict:
    meta = _cli(
        "fit",
        "boltzmann_gate",
        str(_ROOT / "data" / "boltzmann_gate.csv"),
        "--params",
        "v_half,k",
        "--out",
        str(out),
    )
    import json

    res = json.loads((out / "fit.json").read_text())
    numbers = {
        f"{k} (mV)": f"{v:.3f} +- {res['stderr'][k]:.3f}" for k, v in res["estimates"].items()
    }
    numbers["wall time (s)"] = round(meta["wall_time_s"], 2)
    return {"figures": ["fit.png"], "numbers": numbers}


def _stage_sweep(out: Path, quick: bool) -> dict:
    experiment = _ROOT / "models" / "sweep_i1_pulse.toml"
    if quick:  # same experiment on a 6 x 5 grid
        from bioact.io import read_toml

        spec = read_toml(experiment)
        spec["grid"]["k_yz"]["num"] = 6
        spec["grid"]["n"]["num"] = 5
        experiment = out / "sweep_i1_pulse_quick.toml"
        experiment.write_text(_to_toml(spec))
    meta = _cli("sweep", str(experiment), "--no-progress", "--out", str(out))
    return {
        "figures": ["sweep.png"],
        "numbers": {
            "grid points": meta["rows"],
            "failed": meta["n_failed"],
            "pulse amplitude range": f"{meta['pulse_amplitude_min']:.3g} .. "
            f"{meta['pulse_amplitude_max']:.3g}",
            "sweep wall time incl. compilation (s)": round(meta["sweep"]["compute_wall_s"], 2),
        },
    }


def _to_toml(spec: dict) -> str:
    """Minimal TOML writer for experiment specs (tables of scalars, lists and inline tables)."""

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return repr(v)

    lines = []
    for table, body in spec.items():
        lines.append(f"[{table}]")
        lines += [f"{k} = {value(v)}" for k, v in body.items()]
        lines.append("")
    return "\n".join(lines)


#: (name, title, function(out_dir, quick) -> {"figures": [...], "numbers": {...}})
STAGES: list[tuple[str, str, Callable[[Path, bool], dict]]] = [
    ("activations", "Activation primitives, Hill and Boltzmann curves", _stage_activations),
    ("neuron", "Neuron excitability: Type I vs Type II f-I curves", _stage_neuron),
    ("circuits", "Feed-forward loops: C1 sign-sensitive delay, I1 pulse", _stage_circuits),
    ("pinn", "PINN for -u'' = pi^2 sin(pi x): smooth activations vs ReLU", _stage_pinn),
    ("fit", "Fitting a Boltzmann gating curve (V_half, k) to data", _stage_fit),
    ("sweep", "Sweep: I1-FFL pulse amplitude over k_yz x n", _stage_sweep),
]


def _index_html(results: list[StageResult], quick: bool, total: float) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>bioact tour</title>",
        "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto}"
        "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        ".err{color:#b00;white-space:pre-wrap}</style></head><body>",
        f"<h1>bioact tour{' (quick)' if quick else ''}</h1>",
        f"<p>{len(results)} stages, total wall time {total:.1f} s.</p>",
    ]
    for r in results:
        parts.append(f"<h2 id='{r.name}'>{html.escape(r.title)}</h2>")
        parts.append(f"<p>stage <code>{r.name}</code>, {r.wall_time_s:.1f} s</p>")
        if r.error:
            parts.append(f"<p class='err'>FAILED: {html.escape(r.error)}</p>")
        if r.numbers:
            rows = "".join(
                f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                for k, v in r.numbers.items()
            )
            parts.append(f"<table><tr><th>quantity</th><th>value</th></tr>{rows}</table>")
        for fig in r.figures:
            parts.append(f"<div><img src='{html.escape(fig)}' alt='{html.escape(fig)}'></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def run_tour(
    out_dir: str | Path, quick: bool = False, stages: list[str] | None = None
) -> list[StageResult]:
    """Run the tour stages into ``out_dir`` and write ``out_dir/index.html`` + ``summary.json``.

    Args:
        out_dir: output folder (created); each stage writes into ``out_dir/<stage>/``.
        quick: reduced sizes (for CI and a first look).
        stages: subset of stage names to run (default: all, in order).

    Raises:
        ValueError: an unknown stage name.
        TourError: after all stages ran, if any failed.
    """
    out_dir = Path(out_dir)
    known = [s[0] for s in STAGES]
    selected = known if stages is None else list(stages)
    unknown = [s for s in selected if s not in known]
    if unknown:
        raise ValueError(f"unknown tour stage(s) {unknown}; valid stages are: {', '.join(known)}")
    results: list[StageResult] = []
    t_all = time.perf_counter()
    for name, title, fn in STAGES:
        if name not in selected:
            continue
        stage_dir = out_dir / name
        stage_dir.mkdir(parents=True, exist_ok=True)
        res = StageResult(name, title)
        t0 = time.perf_counter()
        try:
            produced = fn(stage_dir, quick)
            res.figures = [f"{name}/{f}" for f in produced.get("figures", [])]
            res.numbers = dict(produced.get("numbers", {}))
        except Exception as err:  # a failed stage is reported, the others still run
            res.error = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=3)}"
        res.wall_time_s = time.perf_counter() - t0
        results.append(res)
    total = time.perf_counter() - t_all
    (out_dir / "index.html").write_text(_index_html(results, quick, total))
    write_json(
        out_dir / "summary.json",
        {
            "quick": quick,
            "wall_time_s": total,
            "stages": [r.__dict__ for r in results],
        },
    )
    failed = [r.name for r in results if r.error]
    if failed:
        first = next(r for r in results if r.error)
        raise TourError(
            f"tour stage(s) {failed} failed (see {out_dir / 'index.html'}); first error: "
            f"{first.error.splitlines()[0]}"
        )
    return results

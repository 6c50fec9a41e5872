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


def _stage_activations(out: Path, quick: bool) -> dict:
    from bioact import activations, identities
    from bioact.io import write_csv
    from bioact.plot import activation_gallery, savefig

    rows = activations.properties_table()
    write_csv(out / "activations.csv", {k: [r[k] for r in rows] for k in rows[0]})
    savefig(activation_gallery(), out / "activations.png")
    dev, z_at = identities.gelu_sigmoid_max_deviation()
    return {
        "figures": ["activations.png"],
        "numbers": {
            "primitives": len(rows),
            "max |GELU - z sigmoid(1.702 z)|": round(dev, 5),
            "at z": round(z_at, 3),
        },
    }


#: (name, title, function(out_dir, quick) -> {"figures": [...], "numbers": {...}})
STAGES: list[tuple[str, str, Callable[[Path, bool], dict]]] = [
    ("activations", "Activation primitives, Hill and Boltzmann curves", _stage_activations),
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

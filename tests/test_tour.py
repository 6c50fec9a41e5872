"""`bioact tour --quick`: every stage runs and the index shows every figure."""

import json
from pathlib import Path

import pytest

from bioact.cli import main
from bioact.tour import STAGES


@pytest.mark.slow
def test_quick_tour_writes_every_stage_and_the_index(tmp_path):
    out = tmp_path / "tour"
    assert main(["tour", "--quick", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert [s["name"] for s in summary["stages"]] == [s[0] for s in STAGES]
    assert all(s["error"] is None for s in summary["stages"])
    html = (out / "index.html").read_text()
    for stage in summary["stages"]:
        assert stage["figures"], stage["name"]
        for fig in stage["figures"]:
            assert (out / fig).read_bytes()[:4] == b"\x89PNG"
            assert f"src='{fig}'" in html
    numbers = {s["name"]: s["numbers"] for s in summary["stages"]}
    # key scientific numbers survive the pipeline
    assert float(numbers["pinn"]["relu rel L2 (same seed)"]) > 0.1
    assert float(numbers["pinn"]["tanh rel L2"]) < 1e-3
    assert numbers["circuits"]["c1_and_on: delay"] > 0.5  # sign-sensitive delay
    assert abs(numbers["circuits"]["c1_and_off: delay"]) < 0.05
    # Type II onset is abrupt (HH starts near 50 Hz), Type I starts low (Wang-Buzsaki)
    assert numbers["neuron"]["hh1952: rate there (Hz)"] > 40.0
    assert numbers["neuron"]["wang_buzsaki: rate there (Hz)"] < 40.0


def test_unknown_stage_is_a_bad_argument(tmp_path, capsys):
    assert main(["tour", "--stages", "nope", "--out", str(tmp_path)]) == 2
    assert "valid stages are" in capsys.readouterr().err


def test_failing_stage_is_reported_in_the_index(tmp_path, monkeypatch):
    import bioact.tour as tour

    def broken(out: Path, quick: bool) -> dict:
        raise RuntimeError("deliberate failure")

    monkeypatch.setattr(tour, "STAGES", [("broken", "Broken", broken), *tour.STAGES[:1]])
    with pytest.raises(tour.TourError, match="broken"):
        tour.run_tour(tmp_path, quick=True)
    html = (tmp_path / "index.html").read_text()
    assert "FAILED: RuntimeError: deliberate failure" in html
    assert "activations/activations.png" in html  # the other stage still ran

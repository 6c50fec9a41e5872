"""CSV/JSON/TOML helpers."""

import json
import math

import numpy as np
import pytest

from bioact import io


def test_csv_roundtrip_with_comments(tmp_path):
    p = io.write_csv(
        tmp_path / "a.csv",
        {"time": np.linspace(0, 1, 5), "z": [1, 2, 3, 4, 5], "ok": [True] * 5},
        ["time in ms"],
    )
    text = p.read_text()
    assert text.startswith("# time in ms\ntime,z,ok\n")
    back = io.read_csv(p)
    np.testing.assert_array_equal(back["time"], np.linspace(0, 1, 5))  # repr(): exact floats
    np.testing.assert_array_equal(back["z"], [1, 2, 3, 4, 5])
    assert list(back["ok"]) == ["True"] * 5


def test_csv_rejects_unequal_columns_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match="columns must have equal lengths"):
        io.write_csv(tmp_path / "b.csv", {"a": [1, 2], "b": [1]})
    with pytest.raises(ValueError, match="path must be an existing CSV file"):
        io.read_csv(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("# only a comment\n")
    with pytest.raises(ValueError, match="is empty"):
        io.read_csv(tmp_path / "empty.csv")


def test_json_handles_numpy_and_non_finite(tmp_path):
    import jax.numpy as jnp

    p = io.write_json(
        tmp_path / "m.json", {"a": np.float64(1.5), "b": jnp.arange(3), "c": math.nan, "d": (1, 2)}
    )
    assert json.loads(p.read_text()) == {"a": 1.5, "b": [0, 1, 2], "c": None, "d": [1, 2]}
    assert not list(tmp_path.glob(".*tmp"))  # atomic write leaves no temp file


def test_toml_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("x = = 1")
    with pytest.raises(ValueError, match="bad.toml.*not valid TOML"):
        io.read_toml(bad)
    good = tmp_path / "good.toml"
    good.write_text('[model]\nname = "hh1952"\ng_na = 120.0\n')
    assert io.read_toml(good) == {"model": {"name": "hh1952", "g_na": 120.0}}

"""Tests of bioact.plot.sweep: the heat map shows as_grid's values, failed rows blank."""

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import pytest

from bioact.plot import plot_sweep, savefig
from bioact.sweep import Grid, sweep


def ratio(a, b):
    return {"r": jnp.log(a) / b}  # NaN for a < 0: those rows are flagged failed


def test_heat_map_matches_table(tmp_path):
    res = sweep(ratio, {"a": [-1.0, 1.0, 2.0, 4.0], "b": [1.0, 2.0, 3.0]}, progress=False)
    ax = plot_sweep(res, "r")
    shown = np.ma.filled(ax.collections[0].get_array(), np.nan).reshape(4, 3)
    expected = np.where(res.as_grid("failed"), np.nan, res.as_grid("r"))
    np.testing.assert_array_equal(np.isnan(shown), np.isnan(expected))
    np.testing.assert_allclose(shown[1:], expected[1:])
    assert ax.get_xlabel() == "b" and ax.get_ylabel() == "a"
    ax_t = plot_sweep(res, "r", x="a")
    assert ax_t.get_xlabel() == "a" and ax_t.get_ylabel() == "b"
    path = savefig(ax.figure, tmp_path / "sweep.png")
    assert path.stat().st_size > 1000
    plt.close("all")


def test_line_plot_and_refusals():
    res = sweep(ratio, {"a": [1.0, 2.0, 4.0], "b": [2.0]}, progress=False)
    ax = plot_sweep(res, "r", log=(True, False))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.log([1.0, 2.0, 4.0]) / 2.0)
    assert ax.get_xscale() == "log"
    rows = sweep(ratio, Grid.rows(a=[1.0, 2.0], b=[1.0, 1.0]), progress=False)
    with pytest.raises(ValueError, match="needs a Grid.product"):
        plot_sweep(rows, "r")
    square = sweep(ratio, {"a": [1.0, 2.0], "b": [1.0, 2.0]}, progress=False)
    with pytest.raises(ValueError, match="x and y must be the varying axes"):
        plot_sweep(square, "r", x="zz")
    cube = sweep(lambda a, b, c: a + b + c, dict.fromkeys("abc", [1.0, 2.0]), progress=False)
    with pytest.raises(ValueError, match="at most two varying axes"):
        plot_sweep(cube, "value")
    plt.close("all")

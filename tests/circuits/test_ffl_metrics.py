"""Metric functions against analytic curves (exponentials, a triangle pulse)."""

import math

import numpy as np

from bioact.circuits import (
    adaptation_precision,
    crossing_time,
    half_height_width,
    peak,
    response_time,
)


def test_response_time_exponential_rise_and_decay():
    ts = np.linspace(0.0, 10.0, 4001)
    assert abs(response_time(ts, 2.0 * (1 - np.exp(-0.5 * ts)), 0.0, 2.0) - 2 * math.log(2)) < 1e-5
    assert abs(response_time(ts, 3.0 * np.exp(-2 * ts), 3.0, 0.0) - math.log(2) / 2) < 1e-5
    assert math.isnan(crossing_time(ts, np.zeros_like(ts), 1.0))


def test_peak_and_half_height_width_of_a_triangle():
    ts = np.linspace(0.0, 10.0, 1001)
    x = 1.0 + np.maximum(0.0, 2.0 - np.abs(ts - 4.0))  # baseline 1, peak 3 at t = 4
    assert peak(ts, x) == (3.0, 4.0)
    assert abs(half_height_width(ts, x, 1.0) - 2.0) < 1e-9
    assert math.isnan(half_height_width(ts, np.exp(-ts), 0.0))  # no rising edge
    assert math.isnan(half_height_width(ts, 1 - np.exp(-ts), 0.0))  # never comes down


def test_adaptation_precision():
    assert (
        adaptation_precision(2.0, 2.1) == 0.05000000000000004
        or abs(adaptation_precision(2.0, 2.1) - 0.05) < 1e-12
    )
    assert math.isnan(adaptation_precision(0.0, 1.0))

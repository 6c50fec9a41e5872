"""Calibration: over 200 seeded noise draws the nominal 95% intervals (estimate +- 1.96 se)
contain the true parameters 90-99% of the time, for a scaled (s^2 = RSS/(m-p)) and an
absolute-sigma (weighted) case."""

import numpy as np
import pytest

from bioact.fit import BoltzmannGate, HillDoseResponse, fit, predict_boltzmann, predict_hill

N_DRAWS = 200


def _coverage(draw, make_guess, names, predict, truth):
    hits = {n: 0 for n in names}
    for seed in range(N_DRAWS):
        data = draw(np.random.default_rng(10_000 + seed))
        res = fit(make_guess(), data, names, predict=predict)
        assert res.converged, res.message
        for n in names:
            hits[n] += abs(res.estimates[n] - truth[n]) <= 1.96 * res.stderr[n]
    return {n: h / N_DRAWS for n, h in hits.items()}


@pytest.mark.slow
def test_coverage_boltzmann_scaled_covariance(gen):
    def draw(rng):
        d = gen.draw_boltzmann(rng)
        return d["v"], d["y"]

    cov = _coverage(
        draw,
        lambda: BoltzmannGate(v_half=-50.0, k=3.0),
        ["v_half", "k"],
        predict_boltzmann,
        gen.BOLTZMANN_TRUTH,
    )
    print("boltzmann coverage", cov)
    for n, c in cov.items():
        assert 0.90 <= c <= 0.99, (n, c)


@pytest.mark.slow
def test_coverage_hill_absolute_sigma(gen):
    def draw(rng):
        d = gen.draw_hill(rng)
        return d["x"], d["y"], d["sigma"]

    cov = _coverage(
        draw,
        lambda: HillDoseResponse(k=1.0, n=1.0, vmax=0.8, baseline=0.0),
        ["k", "n", "vmax", "baseline"],
        predict_hill,
        gen.HILL_TRUTH,
    )
    print("hill coverage", cov)
    for n, c in cov.items():
        assert 0.90 <= c <= 0.99, (n, c)

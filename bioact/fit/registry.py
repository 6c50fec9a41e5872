"""CLI/TOML edge of fitting: a registry mapping a MODEL name to how to build and fit it.

A :class:`FitSpec` says which CSV columns hold the inputs and observations, how to build the
model from initial parameter values (and CLI options such as ``--logic``/``--current``), the
``predict(model, x)`` function, which parameters are fitted by default and how to guess them
from the data. ``bioact fit MODEL DATA.csv`` looks MODEL up here; domain packages add their
presets with :func:`register` (e.g. the feed-forward loops c1..i4 or neuron presets).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bioact.fit import models
from bioact.io import read_toml

__all__ = ["FitSpec", "get_spec", "load_model", "register", "spec_names"]


@dataclasses.dataclass(frozen=True)
class FitSpec:
    """How to fit one MODEL from a CSV.

    Attributes:
        name: the MODEL name on the command line and in TOML files.
        make_model: ``(params: {name: float}, options: {cli option: value}) -> model``.
        predict: ``predict(model, x) -> y`` (shape ``(m,)``, or ``(m, len(y))`` for several
            observed columns).
        x: the input column name (e.g. "x", "v", "time", "current").
        y: the observed column names (all required).
        default_params: the fields fitted when ``--params`` is not given.
        initial_guess: ``(x, y) -> {name: float}`` data-driven initial values (may be partial).
        units: column name -> unit string (plot labels).
        logx: plot the input on a log axis.
        make_predict: optional ``options -> predict`` when the prediction depends on CLI
            options (a protocol, an injected current); overrides ``predict``. The command
            passes the observed columns it found as ``options["observed"]``.
        optional_y: observed columns used (before ``y``) when the CSV has them, e.g. an FFL's
            ``y`` next to its required ``z``.
        transforms: parameter name -> transform spec passed to :func:`fit` for fitted names
            (for models without a ``fit_transforms`` class attribute).
        fit_options: extra keyword arguments for :func:`fit` (e.g. looser ``rtol`` for a
            predictor whose output is only piecewise smooth).
        cases: alternative specs under the same MODEL name, chosen by the data's columns
            (:meth:`for_columns`), e.g. a neuron preset's voltage trace vs its f-I curve.
    """

    name: str
    make_model: Callable[[Mapping[str, float], Mapping[str, Any]], Any]
    predict: Callable[[Any, Any], Any]
    x: str
    y: tuple[str, ...]
    default_params: tuple[str, ...]
    initial_guess: Callable[[np.ndarray, np.ndarray], dict[str, float]] | None = None
    units: Mapping[str, str] = dataclasses.field(default_factory=dict)
    logx: bool = False
    make_predict: Callable[[Mapping[str, Any]], Callable] | None = None
    description: str = ""
    optional_y: tuple[str, ...] = ()
    transforms: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    fit_options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    cases: tuple[FitSpec, ...] = ()

    def for_columns(self, columns: Any) -> FitSpec:
        """The first of ``(self, *cases)`` whose input and observed columns are all present
        (``self`` if none matches, so the caller reports the missing columns)."""
        for spec in (self, *self.cases):
            if all(c in columns for c in (spec.x, *spec.y)):
                return spec
        return self

    def get_predict(self, options: Mapping[str, Any] | None = None) -> Callable:
        return self.make_predict(options or {}) if self.make_predict else self.predict


_REGISTRY: dict[str, FitSpec] = {}


def register(spec: FitSpec, *, overwrite: bool = False) -> FitSpec:
    """Add ``spec`` to the registry (ValueError if the name is taken, unless ``overwrite``)."""
    if spec.name in _REGISTRY and not overwrite:
        raise ValueError(f"a fit model named {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def spec_names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def get_spec(name: str) -> FitSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown MODEL={name!r}; choose one of {list(spec_names())}") from None


def load_model(path: str | Path, options: Mapping[str, Any] | None = None) -> Any:
    """Build the model stored in a TOML file written by :meth:`FitResult.to_toml`.

    Uses the registry entry named in ``[model].name`` if there is one, else imports
    ``[model].class`` and calls it with ``[parameters]`` as keyword arguments.
    """
    doc = read_toml(path)
    section, params = doc.get("model", {}), doc.get("parameters", {})
    if not isinstance(params, dict) or not params:
        raise ValueError(f"{str(path)!r} has no [parameters] table")
    if section.get("name") in _REGISTRY:
        return _REGISTRY[section["name"]].make_model(params, options or {})
    cls_path = section.get("class", "")
    module, _, qual = cls_path.rpartition(".")
    if not module.startswith("bioact."):
        raise ValueError(f"{str(path)!r}: [model] needs a registered name or a bioact class")
    cls = getattr(importlib.import_module(module), qual)
    return cls(**{k: v for k, v in params.items() if "." not in k})


def _hill_guess(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    lo, hi = float(np.min(y)), float(np.max(y))
    rising = np.corrcoef(x, y)[0, 1] >= 0 if len(x) > 1 else True
    half = x[np.argmin(np.abs(y - 0.5 * (lo + hi)))]
    positive_x = x[x > 0]
    k = float(half) if half > 0 else float(np.median(positive_x)) if positive_x.size else 1.0
    vmax = (hi - lo) if rising else (lo - hi)
    return {"k": k, "n": 1.0, "vmax": vmax if vmax != 0 else 1.0, "baseline": lo if rising else hi}


def _boltzmann_guess(v: np.ndarray, y: np.ndarray) -> dict[str, float]:
    order = np.argsort(v)
    v, y = v[order], y[order]
    slope = np.sign(y[-1] - y[0]) or 1.0
    span = float(v[-1] - v[0]) or 1.0
    return {"v_half": float(v[np.argmin(np.abs(y - 0.5))]), "k": slope * span / 10.0}


def _logistic_guess(t: np.ndarray, y: np.ndarray) -> dict[str, float]:
    span = float(np.max(t) - np.min(t)) or 1.0
    y0 = float(y[np.argmin(t)])
    return {"r": 5.0 / span, "capacity": float(np.max(y)), "x0": y0 if y0 > 0 else 1e-3}


def _simple(cls: type) -> Callable[[Mapping[str, float], Mapping[str, Any]], Any]:
    fields = {f.name for f in dataclasses.fields(cls)}
    return lambda params, options: cls(**{k: v for k, v in params.items() if k in fields})


register(
    FitSpec(
        name="hill_dose_response",
        make_model=_simple(models.HillDoseResponse),
        predict=models.predict_hill,
        x="x",
        y=("y",),
        default_params=("k", "n", "vmax", "baseline"),
        initial_guess=_hill_guess,
        logx=True,
        description="baseline + vmax x^n / (k^n + x^n)",
    )
)
register(
    FitSpec(
        name="boltzmann_gate",
        make_model=_simple(models.BoltzmannGate),
        predict=models.predict_boltzmann,
        x="v",
        y=("y",),
        default_params=("v_half", "k"),
        initial_guess=_boltzmann_guess,
        units={"v": "mV"},
        description="1 / (1 + exp(-(v - v_half)/k))",
    )
)
register(
    FitSpec(
        name="logistic_growth",
        make_model=_simple(models.LogisticGrowth),
        predict=models.predict_logistic,
        x="time",
        y=("x",),
        default_params=("r", "capacity", "x0"),
        initial_guess=_logistic_guess,
        description="dx/dt = r x (1 - x/capacity) through bioact.simulate",
    )
)


def _ffl_model(ffl_type: str) -> Callable[[Mapping[str, float], Mapping[str, Any]], Any]:
    def make(params: Mapping[str, float], options: Mapping[str, Any]) -> Any:
        from bioact.circuits import FFL, PARAM_NAMES

        logic = options.get("logic") or "and"
        return FFL(ffl_type, logic, **{k: v for k, v in params.items() if k in PARAM_NAMES})

    return make


def _ffl_predict(options: Mapping[str, Any]) -> Callable:
    from bioact.fit.ffl import ffl_predictor

    width = options.get("width")
    return ffl_predictor(
        options.get("protocol") or "on",
        tuple(options.get("observed") or ("z",)),
        width=1.0 if width is None else float(width),
    )


def _register_ffls() -> None:
    from bioact.circuits.ffl import PARAM_NAMES, TYPES  # light: no solver is built

    for ffl_type in TYPES:
        register(
            FitSpec(
                name=ffl_type,
                make_model=_ffl_model(ffl_type),
                predict=None,
                make_predict=_ffl_predict,
                x="time",
                y=("z",),
                optional_y=("y",),
                default_params=("beta_z", "alpha_z", "k_yz"),
                units={"time": "1/alpha_z"},
                transforms=dict.fromkeys(PARAM_NAMES, "log"),  # all positive: log space
                description=f"{ffl_type.upper()} feed-forward loop time course (--logic, "
                "--protocol, --width) through bioact.simulate",
            )
        )


_register_ffls()


#: Neuron presets (bioact.neuron.PRESETS) fitted by conductances: voltage trace, f-I curve.
_NEURON_TRACE_PARAMS = {
    "hh1952": ("g_na", "g_k", "g_l"),
    "wang_buzsaki": ("g_na", "g_k", "g_l"),
    "connor_stevens": ("g_na", "g_k", "g_l"),
    "morris_lecar_type1": ("g_ca", "g_k", "g_l"),
    "morris_lecar_type2": ("g_ca", "g_k", "g_l"),
}


def _neuron_model(preset: str) -> Callable[[Mapping[str, float], Mapping[str, Any]], Any]:
    def make(params: Mapping[str, float], options: Mapping[str, Any]) -> Any:
        from bioact.neuron.presets import load_preset, model_from_dict

        spec = load_preset(preset)
        fields = dict(spec.get("parameters", {}))
        fields.update({k: float(v) for k, v in params.items() if "." not in k})
        return model_from_dict({"model": spec["model"], "parameters": fields}, source=preset)

    return make


def _trace_predict(options: Mapping[str, Any]) -> Callable:
    from bioact.fit.neuron import voltage_trace_predictor

    current = options.get("current")
    if current is None:
        raise ValueError(
            "a voltage trace (columns time,v) needs --current I, the constant injected "
            "current in uA/cm^2"
        )
    return voltage_trace_predictor(float(current))


def _fi_predict(dt: float) -> Callable[[Mapping[str, Any]], Callable]:
    def make(options: Mapping[str, Any]) -> Callable:
        from bioact.fit.neuron import fi_rate_predictor

        return fi_rate_predictor(dt=dt)

    return make


def _register_neurons() -> None:
    for preset, trace_params in _NEURON_TRACE_PARAMS.items():
        ml = preset.startswith("morris")
        fi = FitSpec(
            name=preset,
            make_model=_neuron_model(preset),
            predict=None,
            # Morris-Lecar upstrokes last several ms; HH-type spikes need a finer grid
            make_predict=_fi_predict(0.25 if ml else 0.02),
            x="current",
            y=("rate_hz",),
            default_params=("g_ca",) if ml else ("g_na",),
            units={"current": "uA/cm^2", "rate_hz": "Hz"},
            fit_options={"rtol": 1e-5, "atol": 1e-5},
            description=f"{preset} f-I curve: smooth mean-ISI rate from interpolated 0 mV "
            "crossings in [200, 1000) ms (bioact.fit.neuron.fi_rate_predictor)",
        )
        register(
            FitSpec(
                name=preset,
                make_model=_neuron_model(preset),
                predict=None,
                make_predict=_trace_predict,
                x="time",
                y=("v",),
                default_params=trace_params,
                units={"time": "ms", "v": "mV"},
                description=f"{preset} voltage trace from rest under --current I (uA/cm^2) "
                "through bioact.simulate; or an f-I curve (columns current,rate_hz)",
                cases=(fi,),
            )
        )


_register_neurons()

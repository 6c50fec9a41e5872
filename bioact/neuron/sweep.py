"""Neuron quantities for :mod:`bioact.sweep` experiments (registers ``firing_rate``).

``firing_rate``: the mean-ISI rate (Hz) of a neuron preset at one constant current, as a
function of any of its parameters (e.g. ``g_na`` x ``g_k``). Each row starts from that row's
own resting state at zero current (the jit/vmap-safe fixed-point solve) and uses the same
on-the-fly spike observer as :func:`bioact.neuron.fi_curve`, so memory stays independent of
the number of solver steps.

Experiment file::

    [experiment]
    quantity = "firing_rate"
    [model]
    preset = "hh1952"            # or a path to a neuron TOML
    [settings]
    current = 10.0               # uA/cm^2
    duration = 500.0             # ms
    transient = 100.0            # ms
    [grid]
    g_na = {start = 60.0, stop = 180.0, num = 13}
    g_k = {start = 18.0, stop = 54.0, num = 13}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import equinox as eqx
import jax.numpy as jnp

from bioact.neuron.fi import _fi_impl, _Options
from bioact.neuron.fixed_points import resting_state
from bioact.neuron.presets import load_model
from bioact.sweep.experiments import register_quantity

__all__ = ["firing_rate"]


def firing_rate(
    base, current: float, duration: float, transient: float, max_steps: int, **row: Any
) -> dict[str, Any]:
    """Rate (Hz), count rate and spike count of ``base`` with the ``row`` parameters replaced."""
    names = tuple(row)
    model = eqx.tree_at(
        lambda m: tuple(getattr(m, n) for n in names),
        base,
        tuple(jnp.asarray(row[n], dtype=jnp.result_type(float)) for n in names),
    )
    y0 = resting_state(model, 0.0)
    dtype = jnp.result_type(float)
    opts = _Options(max_steps=max_steps)
    scalars = (jnp.asarray(x, dtype) for x in (duration, transient, 0.0, 10.0))
    fi = _fi_impl(model, y0, jnp.asarray([current], dtype), *scalars, opts)
    return {
        "rate_hz": fi.rate_hz[0],
        "count_rate_hz": fi.count_rate_hz[0],
        "n_spikes": fi.n_spikes[0],
        "success": fi.success[0] & jnp.all(jnp.isfinite(y0)),
    }


def _make_firing_rate(model: Mapping[str, Any], settings: Mapping[str, Any], axes: tuple[str, ...]):
    preset = model.get("preset")
    if preset is None:
        raise ValueError("[model] preset is required for quantity 'firing_rate' (e.g. 'hh1952')")
    base = load_model(preset)
    fields = [f for f in base.__dataclass_fields__ if not f.startswith("_")]
    unknown = [a for a in axes if a not in fields]
    if unknown:
        raise ValueError(
            f"grid axes {unknown} are not parameters of {preset!r}; allowed: {', '.join(fields)}"
        )
    duration = float(settings.get("duration", 500.0))
    transient = float(settings.get("transient", 100.0))
    if not 0 <= transient < duration:
        raise ValueError(
            f"[settings] transient must be in [0, duration={duration}), got transient={transient}"
        )
    return functools.partial(
        firing_rate,
        base,
        float(settings.get("current", 10.0)),
        duration,
        transient,
        int(settings.get("max_steps", 100_000)),
    )


register_quantity("firing_rate", _make_firing_rate, "rate_hz", "firing rate (Hz)")

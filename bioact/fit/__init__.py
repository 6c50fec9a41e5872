"""Parameter fitting through differentiable simulations (:func:`fit`, :class:`FitResult`).

>>> import jax.numpy as jnp
>>> from bioact.fit import BoltzmannGate, fit, predict_boltzmann
>>> v = jnp.linspace(-80.0, 0.0, 17)
>>> y = predict_boltzmann(BoltzmannGate(v_half=-35.0, k=6.0), v)
>>> guess = BoltzmannGate(v_half=-40.0, k=5.0)
>>> res = fit(guess, (v, y), ["v_half", "k"], predict=predict_boltzmann)
>>> round(res.estimates["v_half"], 6)
-35.0

To fit a new model: write ``predict(model, x) -> y`` (it may call :func:`bioact.simulate`
with ``adjoint=diffrax.ForwardMode()``) and call ``fit(model, (x, y, sigma), names,
predict=predict)``; to make it a CLI ``MODEL``, :func:`register` a :class:`FitSpec`.
"""

from bioact.fit.engine import fit, get_param, set_params
from bioact.fit.models import (
    BoltzmannGate,
    HillDoseResponse,
    LogisticGrowth,
    logistic_analytic,
    predict_boltzmann,
    predict_hill,
    predict_logistic,
)
from bioact.fit.registry import FitSpec, get_spec, load_model, register, spec_names
from bioact.fit.result import FitResult
from bioact.fit.transforms import Identity, Log, Sigmoid

__all__ = [
    "BoltzmannGate",
    "FitResult",
    "FitSpec",
    "HillDoseResponse",
    "Identity",
    "Log",
    "LogisticGrowth",
    "Sigmoid",
    "fit",
    "get_param",
    "get_spec",
    "load_model",
    "logistic_analytic",
    "predict_boltzmann",
    "predict_hill",
    "predict_logistic",
    "register",
    "set_params",
    "spec_names",
]

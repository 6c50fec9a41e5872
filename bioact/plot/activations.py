"""Activation gallery: values and derivatives of every primitive, Hill and Boltzmann families."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bioact import activations
from bioact.plot._common import get_ax

_ML = ("sigmoid", "tanh", "arctan", "relu", "leaky_relu", "elu", "softplus", "gelu", "swish")


def plot_activation(
    name: str,
    ax: Axes | None = None,
    z: np.ndarray | None = None,
    derivative: bool = True,
    **params,
) -> Axes:
    """Plot one registered primitive (solid) and its exact derivative (dashed) on ``ax``."""
    act = activations.get(name)
    ax = get_ax(ax)
    if z is None:
        z = np.linspace(0.0, 4.0, 801) if act.domain.startswith("[0") else np.linspace(-5, 5, 801)
    (line,) = ax.plot(z, np.asarray(act(z, **params)), label=name)
    if derivative:
        ax.plot(z, np.asarray(act.grad(z, **params)), "--", color=line.get_color(), lw=1)
    ax.set_xlabel("input")
    return ax


def activation_gallery(fig: Figure | None = None) -> Figure:
    """Six panels: ML activations, their derivatives, Hill activation/repression for n = 1, 2, 4, 8
    (log-x, where they are logistic curves), Boltzmann gates (activation k > 0, inactivation k < 0),
    algebraic vs exponential saturation, and the surrogate spike with its gradient.

    Returns the figure (created with size 13 x 8 in if ``fig`` is None).
    """
    if fig is None:
        fig = plt.figure(figsize=(13, 8), layout="constrained")
    axes = fig.subplots(2, 3)
    z = np.linspace(-5.0, 5.0, 801)

    ax = axes[0, 0]
    for name in _ML:
        ax.plot(z, np.asarray(activations.get(name)(z)), label=name, lw=1.3)
    ax.set(title="Neural-network activations", xlabel="z", ylabel="f(z)", ylim=(-1.7, 3.5))
    ax.legend(fontsize=7, ncol=2)

    ax = axes[0, 1]
    for name in _ML:
        act = activations.get(name)
        ax.plot(z, np.asarray(act.grad(z)), label=f"{name} (L={act.lipschitz:.3g})", lw=1.3)
    ax.set(title="Exact derivatives f'(z) and Lipschitz bounds", xlabel="z", ylabel="f'(z)")
    ax.legend(fontsize=7, ncol=2)

    ax = axes[0, 2]
    x = np.logspace(-2, 2, 801)
    for n in (1.0, 2.0, 4.0, 8.0):
        (line,) = ax.semilogx(x, np.asarray(activations.hill(x, 1.0, n)), label=f"n={n:g}")
        ax.semilogx(
            x,
            np.asarray(activations.hill_repression(x, 1.0, n)),
            "--",
            color=line.get_color(),
            lw=1,
        )
    ax.axvline(1.0, color="0.6", lw=0.8)
    ax.set(
        title="Hill activation (solid) / repression (dashed), K=1",
        xlabel="x / K (log scale: a logistic in ln x)",
        ylabel="fraction bound",
    )
    ax.legend(fontsize=8)

    ax = axes[1, 0]
    v = np.linspace(-100.0, 40.0, 801)
    for v_half, k, label in (
        (-40.0, 9.0, "m-like: V1/2=-40, k=9"),
        (-53.0, 15.0, "n-like: V1/2=-53, k=15"),
        (-62.0, -7.0, "h-like: V1/2=-62, k=-7"),
    ):
        ax.plot(v, np.asarray(activations.boltzmann(v, v_half, k)), label=label)
    ax.set(
        title="Boltzmann gating curves = logistic in voltage",
        xlabel="V (mV)",
        ylabel="open probability",
    )
    ax.legend(fontsize=8)

    ax = axes[1, 1]
    zz = np.linspace(0.5, 30.0, 400)
    # 1 - tanh z = 2 sigmoid(-2z) and 1 - sigmoid z = sigmoid(-z): no cancellation
    ax.semilogy(
        zz,
        2.0 * np.asarray(activations.sigmoid(-2.0 * zz)),
        label="1 - tanh z  (exponential, ~2e^{-2z})",
    )
    ax.semilogy(zz, np.pi / 2 - np.arctan(zz), label="pi/2 - arctan z  (algebraic, ~1/z)")
    ax.semilogy(zz, np.asarray(activations.sigmoid(-zz)), label="1 - sigmoid z (~e^{-z})")
    ax.set(title="Saturation: distance to the asymptote", xlabel="z", ylabel="gap", ylim=(1e-27, 2))
    ax.legend(fontsize=8)

    ax = axes[1, 2]
    import jax

    s = np.linspace(-1.0, 1.0, 801)
    for beta in (5.0, 10.0, 25.0):
        g = np.asarray(jax.vmap(jax.grad(lambda u, b=beta: activations.spike(u, b)))(s))
        ax.plot(s, g, label=f"surrogate grad, beta={beta:g}")
    ax.plot(s, np.asarray(activations.spike(s)), "k", lw=1.5, label="spike (Heaviside)")
    ax.set(title="Surrogate-gradient spike", xlabel="s = V - threshold", ylabel="value / gradient")
    ax.legend(fontsize=8)
    return fig

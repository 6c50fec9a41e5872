"""Conductance-based neuron models: Hodgkin--Huxley 1952, Wang--Buzsaki 1996, Connor--Stevens 1977
and Morris--Lecar (Rinzel--Ermentrout 1989 parameter sets).

Units: V in mV, t in ms, conductances in mS/cm^2, capacitance in uF/cm^2, currents in uA/cm^2
(so dV/dt is in mV/ms). The injected current is the stimulus, ``I(t) = stimulus(t)``:

    C dV/dt = I(t) - I_ion(V, gates)

Every rate function is finite (with a finite gradient) at every voltage: the Hodgkin--Huxley
form ``a (V - V0) / (1 - exp(-(V - V0)/k))`` is written ``a k / exprel(-(V - V0)/k)`` with the
shared :func:`bioact.activations.exprel`, and every logistic gate is the shared
:func:`bioact.activations.boltzmann` (the "gating curve = activation function" link).

>>> import bioact.neuron as bn
>>> hh = bn.HodgkinHuxley()
>>> round(float(hh.initial_state()[0]), 3)  # resting potential (mV) at zero current
-65.002
"""

from __future__ import annotations

import abc

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike

from bioact._checks import positive
from bioact.activations import boltzmann, exprel
from bioact.solve import AbstractModel, parameter
from bioact.stimuli import AbstractStimulus

__all__ = ["AbstractNeuron", "ConnorStevens", "HodgkinHuxley", "MorrisLecar", "WangBuzsaki"]

_f = eqx.field(converter=jnp.asarray)


def _linexp(v, v0: float, k: float, a: float):
    """``a (V - V0) / (1 - exp(-(V - V0)/k)) = a k / exprel(-(V - V0)/k)`` -- finite at V = V0."""
    return a * k / exprel(-(v - v0) / k)


class AbstractNeuron(AbstractModel):
    """A single-compartment conductance model with state ``(V, gates...)`` (V first).

    Concrete models define ``gate_steady_state(V)`` (the gates' fixed point at voltage V),
    ``ionic_current(y)`` (outward positive, uA/cm^2), ``gate_rates(y)`` (d gates/dt) and
    ``gating_curves(V)`` (named steady-state curves for plots). From those this class gives the
    vector field, the steady-state current-voltage curve and the resting state.
    """

    @property
    @abc.abstractmethod
    def capacitance(self) -> Array:
        """Membrane capacitance C (uF/cm^2)."""

    @abc.abstractmethod
    def gate_steady_state(self, v: ArrayLike) -> Array:
        """Steady-state gate values at voltage v, shape ``(n_states - 1,)``."""

    @abc.abstractmethod
    def gate_rates(self, y: Array) -> Array:
        """Time derivatives of the gates (1/ms) at state y."""

    @abc.abstractmethod
    def ionic_current(self, y: Array) -> Array:
        """Total ionic membrane current at state y (uA/cm^2, outward positive)."""

    @abc.abstractmethod
    def gating_curves(self, v: ArrayLike) -> dict[str, Array]:
        """Named steady-state activation/inactivation curves ``x_inf(V)`` for plotting."""

    def vector_field(self, t: ArrayLike, y: Array, stimulus: AbstractStimulus) -> Array:
        dv = (stimulus(t) - self.ionic_current(y)) / self.capacitance
        return jnp.concatenate([jnp.reshape(dv, (1,)), self.gate_rates(y)])

    def steady_state(self, v: ArrayLike) -> Array:
        """The state with every gate at its steady state for voltage v: ``(v, x_inf(v)...)``."""
        v = jnp.asarray(v, dtype=jnp.result_type(float))
        return jnp.concatenate([jnp.reshape(v, (1,)), self.gate_steady_state(v)])

    def steady_state_current(self, v: ArrayLike) -> Array:
        """``I_ss(V) = I_ion(V, x_inf(V))``: the injected current whose fixed point is at V.

        Fixed points at current I are the roots of ``I_ss(V) = I``; folds of this curve
        (``dI_ss/dV = 0``) are saddle-node bifurcations.
        """
        return self.ionic_current(self.steady_state(v))

    def initial_state(self) -> Array:
        """Resting fixed point at zero current (the lowest-voltage root of ``I_ss(V) = 0``)."""
        from bioact.neuron.fixed_points import resting_state

        return resting_state(self, 0.0)


class HodgkinHuxley(AbstractNeuron):
    """Hodgkin & Huxley (1952) squid giant axon, modern convention (rest near -65 mV).

    ``I_ion = gNa m^3 h (V - ENa) + gK n^4 (V - EK) + gL (V - EL)``, gates
    ``dx/dt = alpha_x(V) (1 - x) - beta_x(V) x`` with (V in mV, rates in 1/ms)::

        alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10)) = 1 / exprel(-(V+40)/10)
        beta_m  = 4 exp(-(V+65)/18)
        alpha_h = 0.07 exp(-(V+65)/20)
        beta_h  = 1 / (1 + exp(-(V+35)/10))     = boltzmann(V, -35, 10)
        alpha_n = 0.01 (V+55) / (1 - exp(-(V+55)/10)) = 0.1 / exprel(-(V+55)/10)
        beta_n  = 0.125 exp(-(V+65)/80)

    Defaults: C = 1 uF/cm^2; gNa = 120, gK = 36, gL = 0.3 mS/cm^2; ENa = 50, EK = -77,
    EL = -54.387 mV. State ``(V, m, h, n)``.

    >>> import bioact
    >>> traj = bioact.simulate(HodgkinHuxley(), 50.0, stimulus=10.0)
    """

    c: Array = parameter(1.0)
    g_na: Array = parameter(120.0)
    g_k: Array = parameter(36.0)
    g_l: Array = parameter(0.3)
    e_na: Array = parameter(50.0)
    e_k: Array = parameter(-77.0)
    e_l: Array = parameter(-54.387)
    state_names = ("V", "m", "h", "n")

    def __check_init__(self):
        positive("c", self.c)
        for name in ("g_na", "g_k", "g_l"):
            positive(name, getattr(self, name))

    @property
    def capacitance(self):
        return self.c

    @staticmethod
    def rates(v):
        """``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` at V (1/ms)."""
        return (
            _linexp(v, -40.0, 10.0, 0.1),
            4.0 * jnp.exp(-(v + 65.0) / 18.0),
            0.07 * jnp.exp(-(v + 65.0) / 20.0),
            boltzmann(v, -35.0, 10.0),
            _linexp(v, -55.0, 10.0, 0.01),
            0.125 * jnp.exp(-(v + 65.0) / 80.0),
        )

    def gate_steady_state(self, v):
        am, bm, ah, bh, an, bn = self.rates(v)
        return jnp.stack([am / (am + bm), ah / (ah + bh), an / (an + bn)])

    def gate_rates(self, y):
        v, gates = y[0], y[1:]
        am, bm, ah, bh, an, bn = self.rates(v)
        a = jnp.stack([am, ah, an])
        b = jnp.stack([bm, bh, bn])
        return a * (1.0 - gates) - b * gates

    def ionic_current(self, y):
        v, m, h, n = y[0], y[1], y[2], y[3]
        return (
            self.g_na * m**3 * h * (v - self.e_na)
            + self.g_k * n**4 * (v - self.e_k)
            + self.g_l * (v - self.e_l)
        )

    def gating_curves(self, v):
        m, h, n = self.gate_steady_state(jnp.asarray(v))
        return {"m_inf": m, "h_inf": h, "n_inf": n}


class WangBuzsaki(AbstractNeuron):
    """Wang & Buzsaki (1996) fast-spiking hippocampal interneuron (Type I).

    ``I_ion = gNa m_inf(V)^3 h (V - ENa) + gK n^4 (V - EK) + gL (V - EL)`` with instantaneous
    ``m_inf = alpha_m / (alpha_m + beta_m)`` and ``dx/dt = phi (alpha_x (1-x) - beta_x x)``::

        alpha_m = 0.1 (V+35) / (1 - exp(-(V+35)/10)),  beta_m = 4 exp(-(V+60)/18)
        alpha_h = 0.07 exp(-(V+58)/20),                beta_h = boltzmann(V, -28, 10)
        alpha_n = 0.01 (V+34) / (1 - exp(-(V+34)/10)), beta_n = 0.125 exp(-(V+44)/80)

    Defaults: C = 1, gNa = 35, gK = 9, gL = 0.1, ENa = 55, EK = -90, EL = -65, phi = 5.
    State ``(V, h, n)``.
    """

    c: Array = parameter(1.0)
    g_na: Array = parameter(35.0)
    g_k: Array = parameter(9.0)
    g_l: Array = parameter(0.1)
    e_na: Array = parameter(55.0)
    e_k: Array = parameter(-90.0)
    e_l: Array = parameter(-65.0)
    phi: Array = parameter(5.0)
    state_names = ("V", "h", "n")

    def __check_init__(self):
        for name in ("c", "g_na", "g_k", "g_l", "phi"):
            positive(name, getattr(self, name))

    @property
    def capacitance(self):
        return self.c

    @staticmethod
    def rates(v):
        """``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` at V (1/ms, before phi)."""
        return (
            _linexp(v, -35.0, 10.0, 0.1),
            4.0 * jnp.exp(-(v + 60.0) / 18.0),
            0.07 * jnp.exp(-(v + 58.0) / 20.0),
            boltzmann(v, -28.0, 10.0),
            _linexp(v, -34.0, 10.0, 0.01),
            0.125 * jnp.exp(-(v + 44.0) / 80.0),
        )

    def m_inf(self, v):
        am, bm, *_ = self.rates(v)
        return am / (am + bm)

    def gate_steady_state(self, v):
        _, _, ah, bh, an, bn = self.rates(v)
        return jnp.stack([ah / (ah + bh), an / (an + bn)])

    def gate_rates(self, y):
        v, h, n = y[0], y[1], y[2]
        _, _, ah, bh, an, bn = self.rates(v)
        return self.phi * jnp.stack([ah * (1.0 - h) - bh * h, an * (1.0 - n) - bn * n])

    def ionic_current(self, y):
        v, h, n = y[0], y[1], y[2]
        return (
            self.g_na * self.m_inf(v) ** 3 * h * (v - self.e_na)
            + self.g_k * n**4 * (v - self.e_k)
            + self.g_l * (v - self.e_l)
        )

    def gating_curves(self, v):
        v = jnp.asarray(v)
        h, n = self.gate_steady_state(v)
        return {"m_inf": self.m_inf(v), "h_inf": h, "n_inf": n}


class ConnorStevens(AbstractNeuron):
    """Connor & Stevens (1977) model with the transient A-type K+ current (Type I).

    Parameters and rates as in Dayan & Abbott (2001), Theoretical Neuroscience, ch. 6.2
    (their nF/mm^2 and mS/mm^2 converted to uF/cm^2 and mS/cm^2)::

        I_ion = gNa m^3 h (V-ENa) + gK n^4 (V-EK) + gA a^3 b (V-EA) + gL (V-EL)
        alpha_m = 0.38 (V+29.7)/(1-exp(-(V+29.7)/10)),  beta_m = 15.2 exp(-0.0556 (V+54.7))
        alpha_h = 0.266 exp(-0.05 (V+48)),              beta_h = 3.8 boltzmann(V, -18, 10)
        alpha_n = 0.02 (V+45.7)/(1-exp(-(V+45.7)/10)),  beta_n = 0.25 exp(-0.0125 (V+55.7))
        a_inf = (0.0761 exp(0.0314 (V+94.22)) boltzmann(V, -1.17, -1/0.0346))^(1/3)
        tau_a = 0.3632 + 1.158 boltzmann(V, -55.96, -1/0.0497)
        b_inf = boltzmann(V, -53.3, -1/0.0688)^4
        tau_b = 1.24 + 2.678 boltzmann(V, -50, -1/0.0624)

    Defaults: C = 1, gNa = 120, gK = 20, gA = 47.7, gL = 0.3; ENa = 55, EK = -72, EA = -75,
    EL = -17. State ``(V, m, h, n, a, b)``.
    """

    c: Array = parameter(1.0)
    g_na: Array = parameter(120.0)
    g_k: Array = parameter(20.0)
    g_a: Array = parameter(47.7)
    g_l: Array = parameter(0.3)
    e_na: Array = parameter(55.0)
    e_k: Array = parameter(-72.0)
    e_a: Array = parameter(-75.0)
    e_l: Array = parameter(-17.0)
    state_names = ("V", "m", "h", "n", "a", "b")

    def __check_init__(self):
        positive("c", self.c)
        for name in ("g_na", "g_k", "g_l"):
            positive(name, getattr(self, name))
        from bioact._checks import nonnegative

        nonnegative("g_a", self.g_a)

    @property
    def capacitance(self):
        return self.c

    @staticmethod
    def rates(v):
        """``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` at V (1/ms)."""
        return (
            _linexp(v, -29.7, 10.0, 0.38),
            15.2 * jnp.exp(-0.0556 * (v + 54.7)),
            0.266 * jnp.exp(-0.05 * (v + 48.0)),
            3.8 * boltzmann(v, -18.0, 10.0),
            _linexp(v, -45.7, 10.0, 0.02),
            0.25 * jnp.exp(-0.0125 * (v + 55.7)),
        )

    @staticmethod
    def a_current_gates(v):
        """``(a_inf, tau_a, b_inf, tau_b)`` of the A-current (tau in ms)."""
        a3 = 0.0761 * jnp.exp(0.0314 * (v + 94.22)) * boltzmann(v, -1.17, -1.0 / 0.0346)
        return (
            jnp.cbrt(a3),
            0.3632 + 1.158 * boltzmann(v, -55.96, -1.0 / 0.0497),
            boltzmann(v, -53.3, -1.0 / 0.0688) ** 4,
            1.24 + 2.678 * boltzmann(v, -50.0, -1.0 / 0.0624),
        )

    def gate_steady_state(self, v):
        am, bm, ah, bh, an, bn = self.rates(v)
        a_inf, _, b_inf, _ = self.a_current_gates(v)
        return jnp.stack([am / (am + bm), ah / (ah + bh), an / (an + bn), a_inf, b_inf])

    def gate_rates(self, y):
        v, gates = y[0], y[1:]
        am, bm, ah, bh, an, bn = self.rates(v)
        a_inf, tau_a, b_inf, tau_b = self.a_current_gates(v)
        hh = jnp.stack([am, ah, an]) * (1.0 - gates[:3]) - jnp.stack([bm, bh, bn]) * gates[:3]
        ab = (jnp.stack([a_inf, b_inf]) - gates[3:]) / jnp.stack([tau_a, tau_b])
        return jnp.concatenate([hh, ab])

    def ionic_current(self, y):
        v, m, h, n, a, b = (y[i] for i in range(6))
        return (
            self.g_na * m**3 * h * (v - self.e_na)
            + self.g_k * n**4 * (v - self.e_k)
            + self.g_a * a**3 * b * (v - self.e_a)
            + self.g_l * (v - self.e_l)
        )

    def gating_curves(self, v):
        m, h, n, a, b = self.gate_steady_state(jnp.asarray(v))
        return {"m_inf": m, "h_inf": h, "n_inf": n, "a_inf": a, "b_inf": b}


class MorrisLecar(AbstractNeuron):
    """Morris & Lecar (1981) barnacle muscle model, two variables (V, w).

    ``C dV/dt = I - gL (V-VL) - gCa m_inf(V) (V-VCa) - gK w (V-VK)``,
    ``dw/dt = phi (w_inf(V) - w) / tau_w(V)`` with::

        m_inf = (1 + tanh((V-V1)/V2)) / 2 = boltzmann(V, V1, V2/2)
        w_inf = (1 + tanh((V-V3)/V4)) / 2 = boltzmann(V, V3, V4/2)
        tau_w = 1 / cosh((V-V3)/(2 V4))

    Shared (Rinzel & Ermentrout 1989): C = 20, gL = 2, gK = 8, VL = -60, VCa = 120, VK = -84,
    V1 = -1.2, V2 = 18. The defaults are the Type II (Hopf) set: gCa = 4.4, V3 = 2, V4 = 30,
    phi = 0.04; :meth:`type1` gives the Type I (SNIC) set gCa = 4, V3 = 12, V4 = 17.4,
    phi = 1/15.
    """

    c: Array = parameter(20.0)
    g_l: Array = parameter(2.0)
    g_ca: Array = parameter(4.4)
    g_k: Array = parameter(8.0)
    v_l: Array = parameter(-60.0)
    v_ca: Array = parameter(120.0)
    v_k: Array = parameter(-84.0)
    v1: Array = parameter(-1.2)
    v2: Array = parameter(18.0)
    v3: Array = parameter(2.0)
    v4: Array = parameter(30.0)
    phi: Array = parameter(0.04)
    state_names = ("V", "w")

    def __check_init__(self):
        for name in ("c", "g_l", "g_ca", "g_k", "v2", "v4", "phi"):
            positive(name, getattr(self, name))

    @classmethod
    def type1(cls) -> MorrisLecar:
        """Rinzel--Ermentrout Type I (SNIC) parameter set."""
        return cls(g_ca=4.0, v3=12.0, v4=17.4, phi=1.0 / 15.0)

    @classmethod
    def type2(cls) -> MorrisLecar:
        """Rinzel--Ermentrout Type II (Hopf) parameter set (the defaults)."""
        return cls()

    @property
    def capacitance(self):
        return self.c

    def m_inf(self, v):
        return boltzmann(v, self.v1, self.v2 / 2.0)

    def w_inf(self, v):
        return boltzmann(v, self.v3, self.v4 / 2.0)

    def gate_steady_state(self, v):
        return jnp.reshape(self.w_inf(v), (1,))

    def gate_rates(self, y):
        v, w = y[0], y[1]
        rate = self.phi * jnp.cosh((v - self.v3) / (2.0 * self.v4))
        return jnp.reshape(rate * (self.w_inf(v) - w), (1,))

    def ionic_current(self, y):
        v, w = y[0], y[1]
        return (
            self.g_l * (v - self.v_l)
            + self.g_ca * self.m_inf(v) * (v - self.v_ca)
            + self.g_k * w * (v - self.v_k)
        )

    def gating_curves(self, v):
        v = jnp.asarray(v)
        return {"m_inf": self.m_inf(v), "w_inf": self.w_inf(v)}

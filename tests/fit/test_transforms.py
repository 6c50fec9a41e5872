import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bioact.fit.transforms import Identity, Log, Sigmoid, default_kind, resolve_transform


@pytest.mark.parametrize(
    "spec,value",
    [(None, -40.0), (None, 0.0), ("log", 3.0), ("log", -2.5), (("sigmoid", 0.0, 1.0), 0.3)],
)
def test_round_trip(spec, value):
    t = resolve_transform("p", value, spec)
    assert float(t.forward(t.inverse(value))) == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_kinds():
    assert isinstance(resolve_transform("v", -40.0, None), Identity)
    assert isinstance(resolve_transform("k", 2.0, "log"), Log)
    assert isinstance(resolve_transform("p", 0.5, ("sigmoid", 0, 1)), Sigmoid)


def test_sigmoid_never_leaves_bounds_and_keeps_gradient():
    t = Sigmoid(2.0, 5.0)
    u = jnp.linspace(-30.0, 30.0, 61)
    p = jax.vmap(t.forward)(u)
    assert bool(jnp.all((p >= 2.0) & (p <= 5.0)))
    grads = jax.vmap(jax.grad(t.forward))(jnp.linspace(-5, 5, 11))
    assert bool(jnp.all(grads > 0))  # no clipping: gradient never zero in the working range


def test_log_keeps_sign():
    t = resolve_transform("k", -5.0, "log")
    assert np.all(np.asarray(jax.vmap(t.forward)(jnp.linspace(-20, 20, 9))) < 0)


def test_default_kind():
    assert default_kind("gNa", 120.0) == "log"
    assert default_kind("tau_m", 1.0) == "log"
    assert default_kind("channel.g_k", 36.0) == "log"
    assert default_kind("v_half", -40.0) is None
    assert default_kind("e_na", 50.0) is None
    assert default_kind("k", -3.0) is None


def test_errors():
    with pytest.raises(ValueError, match="nonzero initial value"):
        resolve_transform("k", 0.0, "log")
    with pytest.raises(ValueError, match="strictly inside"):
        resolve_transform("p", 1.5, ("sigmoid", 0.0, 1.0))
    with pytest.raises(ValueError, match="lo < hi"):
        resolve_transform("p", 0.5, ("sigmoid", 1.0, 0.0))
    with pytest.raises(ValueError, match="must be None"):
        resolve_transform("p", 0.5, "softplus")

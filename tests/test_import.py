"""Import-time behaviour: float64 on by default, opt-out, no matplotlib."""

import os
import subprocess
import sys


def _run(code, **env):
    res = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def test_import_enables_x64_and_does_not_import_matplotlib():
    out = _run(
        "import sys, jax, bioact; import jax.numpy as jnp; "
        "print(jax.config.jax_enable_x64, jnp.ones(1).dtype, 'matplotlib' in sys.modules)"
    )
    assert out == "True float64 False"


def test_bioact_x64_zero_keeps_float32():
    out = _run(
        "import jax, bioact; import jax.numpy as jnp; print(jnp.ones(1).dtype, "
        "bioact.activations.hill(2.0, 1.0, 2.0).dtype)",
        BIOACT_X64="0",
    )
    assert out == "float32 float32"

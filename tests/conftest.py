import os

os.environ.setdefault("MPLBACKEND", "Agg")

import jax  # noqa: E402

import bioact  # noqa: E402,F401  (enables float64 once for the whole suite)

assert jax.config.jax_enable_x64, "tests expect bioact's float64 default"

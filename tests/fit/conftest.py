import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gen():
    """The committed data generator data/generate.py (true parameters, noise models)."""
    spec = importlib.util.spec_from_file_location(
        "bioact_data_generate", ROOT / "data" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def root():
    return ROOT

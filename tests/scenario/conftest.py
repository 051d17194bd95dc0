"""One small scenario generated per test session (scale 0.001, a few seconds)."""

from __future__ import annotations

import pytest

from epianalysis.scenario import generate

SMALL_SCALE = 0.001
SEED = 20200117


@pytest.fixture(scope="session")
def scenario_dir(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("scenario") / "sample", seed=SEED, scale=SMALL_SCALE, progress=False)

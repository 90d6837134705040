"""Fixtures: an engine on a memory store whose model is the canned Python provider. The library
comes from $OPSGRAPH_C_LIBRARY (ctest sets it to the build's libopsgraph_c.so)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import opsgraph  # noqa: E402
from canned import CannedModel  # noqa: E402

MEMORY = {"store": {"kind": "memory"}}


@pytest.fixture
def model() -> CannedModel:
    return CannedModel()


@pytest.fixture
def engine(model: CannedModel):
    with opsgraph.Engine(MEMORY, provider=opsgraph.Provider(model, name="canned-py")) as e:
        yield e

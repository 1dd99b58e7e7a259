"""Fixtures shared by the geo tests: the place index (built once per session and cached on disk) and its resolver."""

from __future__ import annotations

import pytest

from marsad.geo.gazetteer import load_gazetteer
from marsad.geo.resolve import Resolver


@pytest.fixture(scope="session")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="session")
def res(gaz):
    return Resolver(gaz)

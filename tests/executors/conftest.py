"""Fixtures for the executor tests; the corpus is built by exec_helpers.make_corpus."""

from __future__ import annotations

import pytest
from exec_helpers import make_corpus


@pytest.fixture(scope="session")
def corpus_paths(tmp_path_factory) -> list[str]:
    return make_corpus(tmp_path_factory.mktemp("corpus"))

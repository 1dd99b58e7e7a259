"""Shared fixtures. Tests that need ../shared find it via MARSAD_SHARED or ../shared and skip clearly without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    env = os.environ.get("MARSAD_SHARED")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if cand.is_dir():
            return cand
    return None


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared not found (set MARSAD_SHARED to the shared data folder)")
    return d


@pytest.fixture(scope="session")
def non_gold_ant_texts(shared: Path):
    """A function giving the text of every unlabelled ANT article outside the gold sets, in corpus order: the
    tests that check a phrase is ordinary vocabulary count in these."""
    from marsad.gold.data import non_gold_records

    corpus = shared / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    if not corpus.is_file():
        pytest.skip(f"{corpus} not found")

    def texts():
        for rec in non_gold_records(corpus, shared / "gold"):
            yield rec.get("text") or ""

    return texts


@pytest.fixture(scope="session")
def seed_text(shared: Path) -> str:
    return (shared / "examples" / "seed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium under Playwright, one for the whole session: Playwright's sync API cannot run two
    instances at once, so the web and the map tests share it."""
    import sys

    sys.path.insert(0, str(REPO / "tests" / "web"))
    from web_helpers import chromium

    with chromium() as b:
        yield b

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
def gold_keys(shared: Path) -> tuple[set[str], set[str]]:
    """The ids and source URLs of every gold article: the tests that count how ordinary a phrase is leave them out."""
    import json

    ids, urls = set(), set()
    for p in (shared / "gold").glob("*/*.json"):
        g = json.loads(p.read_text(encoding="utf-8"))
        ids.add(str(g["id"]))
        url = (g.get("input_meta") or {}).get("url")
        if url:
            urls.add(url)
    return ids, urls


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

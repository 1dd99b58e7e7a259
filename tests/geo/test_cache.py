"""The place index is built once and cached on disk; a broken cache file is rebuilt, never trusted."""

from __future__ import annotations

import shutil

import pytest

from marsad.geo import gazetteer as G


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    G.load_gazetteer()  # the shared cache exists (built by the first test that needed it)
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    monkeypatch.setattr(G, "_loaded", {})
    return tmp_path


def _name(pop: int = G.CITY_FILE_POP) -> str:
    return f"geo-index-{G._fingerprint(pop)}.pickle"


def test_cached_index_is_read_back(cache_dir, monkeypatch):
    # copy the shared cache file in: a load must then read it, not build
    shared = list((G.Path.home() / ".cache" / "marsad").glob(_name()))
    if not shared:
        pytest.skip("no shared cache file under ~/.cache/marsad (MARSAD_CACHE set elsewhere)")
    shutil.copy(shared[0], cache_dir / _name())
    monkeypatch.setattr(G, "build_gazetteer", lambda **kw: pytest.fail("built although a cache file exists"))
    g = G.load_gazetteer()
    assert len(g.places) > 30_000 and g.country("SYR").name == "Syria"
    assert G.load_gazetteer() is g  # once per process


@pytest.mark.slow
def test_broken_cache_is_rebuilt(cache_dir):
    (cache_dir / _name()).write_bytes(b"not a pickle")
    g = G.load_gazetteer()
    assert g.country("EGY").feature_code == "PCLI"
    assert (cache_dir / _name()).stat().st_size > 1_000_000  # rewritten whole
    assert not list(cache_dir.glob("*.tmp"))

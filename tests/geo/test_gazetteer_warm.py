"""The gazetteer's derived tables: built by ``warm()`` (so that pool workers inherit them), and the country keys read
from the cache's rows are those of the Place-by-Place definition."""

from __future__ import annotations


def test_country_keys_from_rows_are_the_definition(gaz):
    ref = {}
    for k, idx in gaz.by_ar.items():
        iso = next((gaz.places[j].country_iso3 for j in idx if gaz.places[j].is_country), None)
        if iso and not any(gaz.places[j].country_iso3 != iso and gaz.places[j].population >= 100_000 for j in idx):
            ref[k] = iso
    assert len(ref) > 300
    assert list(gaz.country_keys().items()) == list(ref.items())  # same keys, same order


def test_warm_builds_the_derived_tables(gaz):
    gaz.warm()
    for name in ("_country_keys", "_country_first", "_kingdoms", "_curated_names"):
        assert name in gaz.__dict__

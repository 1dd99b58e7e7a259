"""Acceptance floor (issue 18): ≥ 90 % of the dev and of the train gold GPE/LOC entities resolve to a place with the
gold country and a GeoNames name matching the gold English name (``marsad eval geo ../shared/gold/dev`` and
``…/train``)."""

from __future__ import annotations

import pytest

from marsad.geo.evaluate import evaluate_mentions, evaluate_pipeline, name_matches

FLOOR = 0.90


def test_name_matching_rules():
    from marsad.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    sanaa = next(p for p in gaz.lookup_ar("صنعاء") if p.country_iso3 == "YEM")
    assert name_matches("Sana'a", sanaa) and name_matches("Sanaa", sanaa)
    assert not name_matches("Aden", sanaa)
    syria = gaz.country("SYR")
    assert name_matches("Syria", syria) and name_matches("Syria (country)", syria)
    assert name_matches("Sanaa, Yemen", sanaa)  # a trailing qualifier is tried without it


def test_dev_floor_mentions(shared):
    rep = evaluate_mentions([shared / "gold" / "dev"])
    assert rep.total > 100
    assert rep.rate >= FLOOR, f"{rep.correct}/{rep.total}; misses: {rep.misses[:20]}"


def test_train_floor_mentions(shared):
    rep = evaluate_mentions([shared / "gold" / "train"])
    assert rep.total > 1000
    assert rep.rate >= FLOOR, f"{rep.correct}/{rep.total}; misses: {rep.misses[:20]}"


@pytest.mark.slow
def test_dev_floor_pipeline(shared):
    rep = evaluate_pipeline([shared / "gold" / "dev"])
    assert rep.rate >= FLOOR, f"{rep.correct}/{rep.total}; misses: {rep.misses[:20]}"


def test_cli_lists_misses(shared):
    from click.testing import CliRunner

    from marsad.cli import main

    r = CliRunner().invoke(main, ["eval", "geo", str(shared / "gold" / "dev"), "--misses"])
    assert r.exit_code == 0, r.output
    assert "mentions:" in r.output and "resolved correctly" in r.output and "  miss " in r.output


def test_cli_bad_folder_is_one_line(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    r = CliRunner().invoke(main, ["eval", "geo", str(tmp_path)])
    assert r.exit_code != 0 and "no gold" in r.output and "Traceback" not in r.output

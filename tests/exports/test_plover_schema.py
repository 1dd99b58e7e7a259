"""PLOVER export against the JSON Schema that ships with the package (written from the manual's Data Fields tables
and lists): 0 failing records on an ANT sample; the schema rejects what the old export wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.events import export as ex
from marsad.events import plover

jsonschema = pytest.importorskip("jsonschema")


def _validator():  # noqa: ANN202
    return jsonschema.Draft202012Validator(ex.plover_schema())


def test_shipped_schema_is_the_one_built_from_the_manual_lists() -> None:
    assert ex.plover_schema() == json.loads(json.dumps(ex.build_plover_schema()))
    jsonschema.Draft202012Validator.check_schema(ex.plover_schema())


def test_schema_refuses_old_shapes() -> None:
    v = _validator()
    old = {"id": "x", "date": "2018-03-01", "actor": [{"code": "RUS"}], "event": ["DISAPPROVE"]}
    assert list(v.iter_errors(old))
    bad_mode = {"id": "x", "date": "2018-03-01", "actor": [{"code": "RUS"}], "event": ["ASSAULT"],
                "mode": ["airstrike"]}  # fmt: skip
    assert list(v.iter_errors(bad_mode))
    bad_scale = {"id": "x", "date": "2018-03-01", "actor": [{"code": "RUS"}], "event": ["SANCTION"],
                 "event_scale": -4.0, "quad_code": 4}  # fmt: skip
    assert list(v.iter_errors(bad_scale))
    loc_as_code = {"id": "x", "date": "2018-03-01", "actor": [{"code": "RUS", "sector_code": "GOV"}],
                   "event": ["ACCUSE"], "event_loc": {"name": "London", "entity_id": "e1"}}  # fmt: skip
    assert list(v.iter_errors(loc_as_code))
    good = {"id": "x", "date": "2018-03-01", "actor": [{"code": "RUS", "sector": "GOV"}], "event": ["ASSAULT"],
            "mode": ["aerial"], "quad_code": 4, "event_scale": plover.scale("ASSAULT", "aerial"),
            "context": ["military", "future"], "cite_info": {"language": "ar", "url": "http://x"}}  # fmt: skip
    assert not list(v.iter_errors(good))


def test_ant_sample_has_no_failing_record(ant_store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main

    out = tmp_path / "plover.jsonl"
    res = CliRunner().invoke(main, ["export", "--db", str(ant_store), "--format", "plover", "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) > 50
    v = _validator()
    failing = [(r["id"], e.message) for r in recs for e in v.iter_errors(r)]
    assert failing == [], failing[:10]
    assert {r["event"][0] for r in recs} <= set(plover.CATEGORIES)
    assert any(r["mode"] for r in recs)
    assert all(r["cite_info"]["language"] == "ar" and r["coder"] for r in recs)


def test_records_from_hand_built_articles_are_valid() -> None:
    from marsad.data import Article, Entity, Event, Span

    text = "طالبت الأمم المتحدة بوقف الغارات الجوية على المدينة ونفت الحكومة ذلك"
    un = Entity("e1", "ORG", "United Nations", (Span(6, 19),), actor_id="org:un", sector="IGO")
    evs = (
        Event("v1", "DEMAND", Span(0, 5), ("e1",), (), mode="airstrike"),  # retired name, foreign mode
        Event("v2", "FIGHT", Span(20, 40), (), (), mode="airstrike", negated=True, modality="hope"),
        Event("v3", "CRIME", Span(20, 40), ("e1",), ()),
    )
    dated = Article.new(text, source="t", published="2018-03-01").evolve(entities=(un,), events=evs)
    recs = ex.plover_records(dated)
    v = _validator()
    assert [e.message for r in recs for e in v.iter_errors(r)] == []
    assert [r["event"] for r in recs] == [["REQUEST"], ["ASSAULT"], ["ASSAULT"]]
    assert recs[0]["actor"][0]["code"] == "UNO" and recs[0]["mode"] == []
    assert recs[1]["mode"] == ["aerial"] and {"negation", "hypothetical"} <= set(recs[1]["context"])
    assert recs[1]["actor"] == [{"sector": "UNK"}]
    assert "crime" in recs[2]["context"]
    undated = Article.new(text, source="t").evolve(entities=(un,), events=evs)
    assert ex.plover_records(undated) == []

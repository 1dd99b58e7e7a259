"""Evaluation gate (trafilatura's tests/eval_gate.py): the shipped models, run as a user runs them, must not fall
below the floors in ``eval_floors.json`` on the dev gold set. Floors only go up; lowering one needs a commit that
says why. The seed article must still come out right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.events.model import shipped_model as shipped_events
from marsad.gold import load_gold, score_docs
from marsad.quotes.speakers import shipped_model as shipped_speakers

FLOORS = json.loads((Path(__file__).with_name("eval_floors.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_scores(shared):
    from marsad.stages import default_pipeline

    assert shipped_events() is not None and shipped_speakers() is not None, "the learned models must ship"
    pipe = default_pipeline()
    docs = load_gold(shared / "gold" / "dev")
    outs = {}
    for d in docs:
        res = pipe.process(d.input_article())
        assert not hasattr(res, "code"), f"{d.id} rejected: {res}"
        outs[d.id] = res.to_dict()
    return score_docs([d.raw for d in docs], outs).summary()


@pytest.mark.parametrize("key", sorted(FLOORS["dev"]))
def test_dev_floor(dev_scores, key):
    got = dev_scores[key]["f1"] if isinstance(dev_scores[key], dict) else dev_scores[key]
    assert got >= FLOORS["dev"][key], f"{key} {got:.3f} fell below its floor {FLOORS['dev'][key]}"


def test_no_retired_plover_names(dev_scores):
    assert dev_scores["events_not_current_plover"] == 0


def test_seed_comes_out_right(seed_text):
    import marsad

    art = marsad.analyze(seed_text)
    names = {e.id: e.name for e in art.entities}

    def who(ids):
        return {names[i] for i in ids}

    consult = [e for e in art.events if e.type == "CONSULT" and who(e.source) | who(e.target) >= {"Wang Yi", "Sergey Lavrov"}]
    assert consult and consult[0].date == "2020-12-23" and consult[0].symmetric
    first = min(art.quotes, key=lambda q: q.content.start)
    assert who(first.speaker) == {"Wang Yi", "Sergey Lavrov"}  # a dual title: a joint statement
    for e in art.events:  # every decision keeps its evidence: the proposing rules and a confidence in (0, 1)
        assert e.attrs.get("rules") and 0.0 < e.confidence < 1.0


def test_seed_lavrov_accuses_the_united_states(seed_text):
    import marsad

    art = marsad.analyze(seed_text)
    names = {e.id: e.name for e in art.entities}
    assert any(e.type == "ACCUSE" and "Sergey Lavrov" in {names[i] for i in e.source}
               and "United States" in {names[i] for i in e.target} for e in art.events)  # fmt: skip


@pytest.mark.xfail(strict=True, reason="known miss of the learned event model: it codes Wang Yi's criticism of the "
                   "United States as ACCUSE with p 0.005 only (the model of the seventh landing); strict, so a "
                   "model that gets it right turns this into a failure to remove the mark")  # fmt: skip
def test_seed_wang_yi_accuses_the_united_states(seed_text):
    import marsad

    art = marsad.analyze(seed_text)
    names = {e.id: e.name for e in art.entities}
    assert any(e.type == "ACCUSE" and "Wang Yi" in {names[i] for i in e.source}
               and "United States" in {names[i] for i in e.target} for e in art.events)  # fmt: skip

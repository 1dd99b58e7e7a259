"""A floor on the events' calibrated confidence, wherever events are listed or counted: the events API and its CSV,
relations and the interaction graph, the relations page, and the GDELT / PLOVER exports. An event stored without a
confidence never passes a floor; a floor outside 0-1 is a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.data import Article, Entity, Event, Span
from marsad.store import Store

pytest.importorskip("fastapi")

# (sentence, PLOVER type, quad class, confidence): written for this test
SENTENCES = (
    ("فرضت الولايات المتحدة عقوبات جديدة على إيران اليوم.", "SANCTION", 4, 0.62),
    ("وهددت إيران بالرد على الولايات المتحدة في بيان.", "THREATEN", 3, 0.21),
    ("وانتقدت إيران الولايات المتحدة مرة أخرى.", "ACCUSE", 3, None),
)


def _article() -> Article:
    text = " ".join(s for s, *_ in SENTENCES)
    usa, irn = "الولايات المتحدة", "إيران"

    def spans(word: str) -> tuple[Span, ...]:
        out, k = [], text.find(word)
        while k >= 0:
            out.append(Span(k, k + len(word), "GPE"))
            k = text.find(word, k + 1)
        return tuple(out)

    ents = (Entity("e1", "GPE", "United States", spans(usa), actor_id="USA", country="USA"),
            Entity("e2", "GPE", "Iran", spans(irn), actor_id="IRN", country="IRN"))
    events = []
    for n, (sent, typ, quad, conf) in enumerate(SENTENCES):
        a = text.index(sent)
        src, tgt = (("e1",), ("e2",)) if n == 0 else (("e2",), ("e1",))
        events.append(Event(f"v{n}", typ, Span(a, a + len(sent)), src, tgt, date="2020-03-01", quad_class=quad,
                            goldstein=-4.0, confidence=conf))
    art = Article.new(text, source="t", title="عقوبات وتهديدات", published="2020-03-01")
    return art.evolve(body=text, entities=ents, events=tuple(events))


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    path = tmp_path / "conf.db"
    with Store(path, hooks=[]) as s:
        s.add([_article()])
    return path


def test_api_events_relations_and_graph_take_a_floor(store: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        assert {e["type"] for e in c.get("/api/events").json()["items"]} == {"SANCTION", "THREATEN", "ACCUSE"}
        sure = c.get("/api/events", params={"min_confidence": 0.5}).json()
        assert sure["total"] == 1 and [e["type"] for e in sure["items"]] == ["SANCTION"]
        # a floor of 0.2 keeps 0.21; an event with no confidence never passes
        assert {e["type"] for e in c.get("/api/events", params={"min_confidence": 0.2}).json()["items"]} == {
            "SANCTION", "THREATEN"}
        # a floor of 0 still asks for a confidence: the event stored without one is left out, as by the exports
        assert c.get("/api/events", params={"min_confidence": 0}).json()["total"] == 2
        csv_rows = c.get("/api/events", params={"min_confidence": 0.5, "format": "csv"}).text.strip().splitlines()
        assert len(csv_rows) == 2  # the header and the one event
        for bad in ("1.5", "-0.1", "x"):
            r = c.get("/api/events", params={"min_confidence": bad})
            assert r.status_code == 422 and "min_confidence" in r.text
        rel = c.get("/api/relations", params={"a": "USA", "b": "IRN"}).json()
        rel_sure = c.get("/api/relations", params={"a": "USA", "b": "IRN", "min_confidence": 0.5}).json()
        assert rel["totals"]["events"] == 3 and rel_sure["totals"]["events"] == 1
        assert rel_sure["totals"]["conflict"] == 1 and rel_sure["min_confidence"] == 0.5
        edges = c.get("/api/graph").json()["edges"]
        edges_sure = c.get("/api/graph", params={"min_confidence": 0.5}).json()["edges"]
        assert [e["events"] for e in edges] == [3] and [e["events"] for e in edges_sure] == [1]


def test_relations_page_offers_the_floor(store: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        every = c.get("/relations", params={"a": "USA", "b": "IRN"}).text
        sure = c.get("/relations", params={"a": "USA", "b": "IRN", "conf": "0.5"}).text
        assert every.count('class="quad-') == 3 and sure.count('class="quad-') == 1
        assert 'value="0.5" selected' in sure and "min_confidence=0.5" in sure  # the chart reads the same cut
        # each event shows how sure it is; one without a confidence says so
        assert '<td class="certainty">0.62</td>' in sure and '<td class="certainty">—</td>' in every
        # a value the form does not offer is no cut (and no error page)
        odd = c.get("/relations", params={"a": "USA", "b": "IRN", "conf": "0.37"})
        assert odd.status_code == 200 and odd.text.count('class="quad-') == 3


def _export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad", "export", *args], capture_output=True, text=True,
                          timeout=120)


def test_event_exports_leave_out_unsure_events_and_say_so(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    p = _export("--db", str(store), "--format", "plover", "--min-confidence", "0.5", "-o", str(out))
    assert p.returncode == 0, p.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["event"][0] for r in recs] == ["SANCTION"]
    assert "left out: 2 events, confidence under 0.5" in p.stderr
    every = _export("--db", str(store), "--format", "plover", "-o", str(tmp_path / "all.jsonl"))
    assert every.returncode == 0 and len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_floor_on_a_whole_record_export_is_a_usage_error(store: Path) -> None:
    p = _export("--db", str(store), "--format", "jsonl", "--min-confidence", "0.5")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "--min-confidence" in p.stderr
    p = _export("--db", str(store), "--format", "plover", "--min-confidence", "2")
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_stance_takes_the_floor(store: Path) -> None:
    def rows(*extra: str) -> list[dict]:
        p = subprocess.run([sys.executable, "-m", "marsad", "stance", "--db", str(store), "--format", "jsonl",
                            *extra], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        return [json.loads(line) for line in p.stdout.splitlines()]

    every = {(r["source"], r["target"]): r["events"] for r in rows()}
    sure = {(r["source"], r["target"]): r["events"] for r in rows("--min-confidence", "0.5")}
    assert every == {("USA", "IRN"): 1, ("IRN", "USA"): 2} and sure == {("USA", "IRN"): 1}


def test_article_and_actor_pages_show_each_events_confidence(store: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        aid = c.get("/api/events").json()["items"][0]["article_id"]
        page = c.get(f"/articles/{aid}").text
        cells = [page.count(f'<td class="certainty">{v}</td>') for v in ("0.62", "0.21", "—")]
        assert cells == [1, 1, 1], cells
        actor = c.get("/actors/IRN").text
        assert '<td class="certainty">0.62</td>' in actor and "الثقة" in actor

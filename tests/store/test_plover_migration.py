"""Store migration 6: stored events under retired PLOVER names take the current ones."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from marsad.data import Article, Entity, Event, Span
from marsad.store import Store, schema
from marsad.store.core import pack_record

TEXT = "اتهمت روسيا بريطانيا بالتصعيد واشتبكت القوات قرب الحدود وطالبت الصين بالحوار."


def _article() -> Article:
    a = Article.new(TEXT, source="mig", title="t", published="2018-03-14")
    rus = Entity("e1", "GPE", "Russia", (Span(6, 11),), actor_id="RUS", country="RUS")
    gbr = Entity("e2", "GPE", "United Kingdom", (Span(12, 20),), actor_id="GBR", country="GBR")
    evs = (
        Event("v1", "DISAPPROVE", Span(0, 5), ("e1",), ("e2",), mode="allege", cameo="11", quad_class=3),
        Event("v2", "FIGHT", Span(31, 38), ("e1",), (), mode="shelling", cameo="19", quad_class=4),
        Event("v3", "CRIME", Span(31, 38), ("e2",), (), cameo="18", quad_class=4),
        Event("v4", "CONSULT", Span(0, 5), ("e1",), ("e2",), mode="phone", cameo="04", quad_class=1),
        Event("v5", "DEMAND", Span(58, 64), ("e1",), (), cameo="10", quad_class=3),
    )
    return a.evolve(body=TEXT, entities=(rus, gbr), events=evs)


def test_old_names_renamed_in_tables_filters_and_record(tmp_path: Path) -> None:
    p = tmp_path / "old.db"
    art = _article()
    with Store(p, hooks=[]) as s:
        s.add([art])
        # make it a database written before migration 6, when the store kept the names it was given
        s.conn.execute("UPDATE articles SET record = ? WHERE id = ?", (pack_record(art), art.id))
        for ev in art.events:
            s.conn.execute("UPDATE events SET type = ?, mode = ?, quad_class = ? WHERE event_id = ?",
                           (ev.type, ev.mode, ev.quad_class, ev.id))
        s.conn.execute("DELETE FROM article_event_types")
        s.conn.execute("INSERT INTO article_event_types(type, article_rowid, published) "
                       "SELECT DISTINCT v.type, f.rowid, f.published FROM events v JOIN article_filters f "
                       "ON f.id = v.article_id")
        s.conn.execute("DELETE FROM migrations WHERE version >= 6")
    with Store(p, hooks=[]) as s:
        assert s.version == schema.LATEST >= 6
        rows = dict(
            (r[0], (r[1], r[2], r[3]))
            for r in s.conn.execute("SELECT event_id, type, mode, quad_class FROM events")
        )
        assert rows["v1"] == ("ACCUSE", "allege", 3)
        assert rows["v2"] == ("ASSAULT", "heavy-weapons", 4)
        assert rows["v3"][0] == "ASSAULT"
        assert rows["v4"] == ("CONSULT", "phone", 1)  # current names untouched
        assert rows["v5"] == ("REQUEST", None, 3)
        types = {r[0] for r in s.conn.execute("SELECT type FROM article_event_types")}
        assert types == {"ACCUSE", "ASSAULT", "CONSULT", "REQUEST"}
        got = s.get(art.id)
        by_id = {e.id: e for e in got.events}
        assert by_id["v1"].type == "ACCUSE" and by_id["v1"].attrs["plover_folded_from"] == "DISAPPROVE"
        assert by_id["v3"].attrs["contexts"] == ["crime"]
        # everything else in the record is as stored
        assert [dataclasses.replace(e, type="X", mode=None, quad_class=None, attrs={}) for e in got.events] == [
            dataclasses.replace(e, type="X", mode=None, quad_class=None, attrs={}) for e in art.events
        ]
        assert got.entities == art.entities and got.text == art.text


def test_store_keeps_current_names_for_what_it_is_given(tmp_path: Path) -> None:
    art = _article()
    with Store(tmp_path / "new.db", hooks=[]) as s:
        s.add([art])
        types = {r[0] for r in s.conn.execute("SELECT type FROM events")}
        assert types == {"ACCUSE", "ASSAULT", "CONSULT", "REQUEST"}
        assert {e.type for e in s.get(art.id).events} == types
        assert {r[0] for r in s.conn.execute("SELECT type FROM article_event_types")} == types

"""Schema v5: the actor / event-type filter tables (kept by triggers) and the search filters that use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from marsad.data import Article, Entity, Event, Span
from marsad.store import Store, schema
from marsad.store.search import count

BODY = "قال وزير الخارجية الصيني إن الصين وروسيا تتعاونان في مجلس الأمن."


def article(i: int, actors: tuple[str, ...], ev_type: str | None, published: str) -> Article:
    a = Article.new(f"{BODY} رقم {i}", source=f"s{i % 2}", title=f"خبر {i}", published=published, id=f"a{i}")
    ents = tuple(
        Entity(f"e{k}", "GPE", actor, (Span(0, 3),), actor_id=actor, country=actor[:3])
        for k, actor in enumerate(actors)
    )
    evs = (Event("v1", ev_type, Span(0, 10), ("e0",), ("e1",) if len(ents) > 1 else ()),) if ev_type else ()
    return a.evolve(body=a.text, entities=ents, events=evs)


ARTS = [
    article(0, ("CHN", "RUS"), "CONSULT", "2020-01-05"),
    article(1, ("CHN",), "SANCTION", "2020-02-05"),
    article(2, ("RUS", "RUS-x"), "CONSULT", "2021-03-01"),
    article(3, (), None, "2021-04-01"),
    article(4, ("CHN", "USA"), "CONSULT", "2022-05-01"),
]


def test_triggers_keep_filter_tables_with_dates(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db", hooks=[]) as s:
        s.add(ARTS)
        c = s.conn
        rows = c.execute(
            "SELECT f.id, x.published FROM article_actors x JOIN article_filters f ON f.rowid = x.article_rowid "
            "WHERE x.actor_id = 'CHN' ORDER BY x.published"
        ).fetchall()
        assert [tuple(r) for r in rows] == [("a0", "2020-01-05"), ("a1", "2020-02-05"), ("a4", "2022-05-01")]
        types = c.execute("SELECT type, count(*) FROM article_event_types GROUP BY type ORDER BY type").fetchall()
        assert [tuple(r) for r in types] == [("CONSULT", 3), ("SANCTION", 1)]
        # removing one of two entities with the same actor keeps the row; removing the last drops it
        c.execute("INSERT INTO entities(article_id, entity_id, actor_id, name, type) VALUES ('a0','e9','CHN','x','GPE')")
        c.execute("DELETE FROM entities WHERE article_id = 'a0' AND entity_id = 'e9'")
        assert c.execute("SELECT count(*) FROM article_actors WHERE actor_id = 'CHN'").fetchone()[0] == 3
        c.execute("DELETE FROM entities WHERE article_id = 'a0' AND actor_id = 'CHN'")
        assert c.execute("SELECT count(*) FROM article_actors WHERE actor_id = 'CHN'").fetchone()[0] == 2
        c.execute("DELETE FROM events WHERE article_id = 'a1'")
        assert c.execute("SELECT count(*) FROM article_event_types WHERE type = 'SANCTION'").fetchone()[0] == 0


def test_v4_database_is_backfilled_on_upgrade(tmp_path: Path) -> None:
    # rows written by a v4 store, before the tables existed, are backfilled by the migration
    p2 = tmp_path / "v4b.db"
    conn = sqlite3.connect(p2, isolation_level=None)
    schema.migrate(conn, upto=4)
    conn.execute("INSERT INTO articles(id, content_hash, source, published, body, ingested_at, record) "
                 "VALUES ('k1','h','s','2020-01-02','b','t',x'00')")
    conn.execute("INSERT INTO article_filters(rowid, id, source, published) SELECT rowid, id, source, published "
                 "FROM articles")
    conn.execute("INSERT INTO entities(article_id, entity_id, actor_id, name, type) VALUES ('k1','e1','IRN','x','GPE')")
    conn.execute("INSERT INTO events(article_id, event_id, type) VALUES ('k1','v1','THREATEN')")
    conn.close()
    with Store(p2, hooks=[]) as s:
        assert s.version == schema.LATEST
        assert tuple(s.conn.execute("SELECT actor_id, published FROM article_actors").fetchone()) == (
            "IRN", "2020-01-02")
        assert [h.id for h in s.search("", actor="IRN")] == ["k1"]
        assert [h.id for h in s.search("", event_type="threaten")] == ["k1"]


def test_search_filters_by_actor_name_and_event_type(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db", hooks=[]) as s:
        s.add(ARTS)
        assert {h.id for h in s.search("الصين", actor="CHN")} == {"a0", "a1", "a4"}
        assert {h.id for h in s.search("الصين", actor="CHN", event_type="CONSULT")} == {"a0", "a4"}
        assert {h.id for h in s.search("الصين", actor="RUS", date_from="2021-01-01")} == {"a2"}
        assert {h.id for h in s.search("", actor="USA")} == {"a4"}
        assert count(s.conn, "الصين", actor="CHN", event_type="CONSULT") == 2
        assert s.search("الصين", actor="nobody") == []

"""The SQLite store on disk: round-trips, idempotence, rejects, migrations, hooks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.data import Article, Entity, Event, Quote, Rejection, Span
from marsad.errors import InputError
from marsad.store import Store, schema

TEXT = (
    "أجرى وزير الخارجية الصيني وانغ يي اتصالا هاتفيا مع نظيره الروسي سيرغي لافروف.\n"
    'وقال وانغ إن "العلاقات بين الصين وروسيا قوية" وأكد أن البلدين سيواصلان التعاون.'
)


def analysed() -> Article:
    a = Article.new(TEXT, source="seed", title="اتصال", published="2020-12-23")
    wang = Entity(
        "e1", "PER", "Wang Yi", (Span(20, 27),), actor_id="CHN-wang-yi", country="CHN", sector="GOV"
    )
    lav = Entity(
        "e2", "PER", "Sergey Lavrov", (Span(62, 73),), actor_id="RUS-lavrov", country="RUS", sector="GOV"
    )
    q_start = TEXT.index("العلاقات")
    q = Quote("q1", "direct", Span(q_start, q_start + 30), ("e1",), cue=Span(q_start - 8, q_start - 5))
    ev = Event(
        "v1",
        "CONSULT",
        Span(0, 40),
        ("e1",),
        ("e2",),
        mode="phone",
        date="2020-12-23",
        symmetric=True,
        cameo="04",
        quad_class=1,
        goldstein=1.0,
        confidence=0.9,
    )
    return a.evolve(body=TEXT, entities=(wang, lav), quotes=(q,), events=(ev,))


def test_round_trip_and_query_tables(tmp_path: Path) -> None:
    art = analysed()
    with Store(tmp_path / "m.db", hooks=[]) as s:
        summ = s.add([art])
        assert (summ.read, summ.stored, summ.duplicate, summ.rejected) == (1, 1, 0, 0)
        assert s.get(art.id).to_dict() == art.to_dict()
        assert s.get(art.id[:8]).id == art.id  # unique prefix
        c = s.conn
        assert tuple(
            c.execute("SELECT actor_id, n_mentions FROM entities WHERE entity_id='e1'").fetchone()
        ) == ("CHN-wang-yi", 1)
        row = c.execute("SELECT speaker_actors, kind, text FROM quotes").fetchone()
        assert (
            row[0] == '["CHN-wang-yi"]'
            and row[1] == "direct"
            and row[2] == TEXT[TEXT.index("العلاقات") :][:30]
        )
        ev = c.execute("SELECT type, source_countries, target_actors, date, symmetric FROM events").fetchone()
        assert tuple(ev) == ("CONSULT", '["CHN"]', '["RUS-lavrov"]', "2020-12-23", 1)
        assert tuple(c.execute("SELECT n_entities, n_quotes, n_events FROM articles").fetchone()) == (2, 1, 1)
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(InputError):
            s.get("nope")


def test_idempotent_and_counts_add_up(tmp_path: Path) -> None:
    arts = [Article.new(f"خبر رقم {i} عن الصين والهند", source="s") for i in range(10)]
    rej = Rejection("read", "E_JSON", "malformed JSON", "f.jsonl:3", b"{oops")
    with Store(tmp_path / "m.db", hooks=[]) as s:
        first = s.add([*arts, arts[0], rej], batch_size=4)
        assert (first.read, first.stored, first.duplicate, first.rejected) == (12, 10, 1, 1)
        again = s.add([*arts, rej])
        assert (again.read, again.stored, again.duplicate, again.rejected) == (11, 0, 10, 1)
        assert s.stats()["articles"] == 10
        (r,) = s.rejects(with_raw=True)  # the same refusal is kept once
        assert (r["stage"], r["code"], r["source"], bytes(r["raw"])) == (
            "read",
            "E_JSON",
            "f.jsonl:3",
            b"{oops",
        )


def test_created_on_first_use_and_missing_db_for_readers(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "new.db"
    with pytest.raises(InputError):
        Store(p, create=False)
    with Store(p, hooks=[]) as s:
        assert s.version == schema.LATEST
    notdb = tmp_path / "x.db"
    notdb.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError):
        Store(notdb, hooks=[])


def test_old_database_is_upgraded(tmp_path: Path) -> None:
    p = tmp_path / "old.db"
    conn = sqlite3.connect(p, isolation_level=None)
    schema.migrate(conn, upto=1)  # a database written by the first release
    conn.execute(
        "INSERT INTO articles(id, content_hash, source, body, ingested_at, record) VALUES ('a1','h','s','b','t',x'00')"
    )
    conn.close()
    with Store(p, hooks=[]) as s:
        versions = [r[0] for r in s.conn.execute("SELECT version FROM migrations ORDER BY version")]
        assert versions == list(range(1, schema.LATEST + 1))
        assert tuple(s.conn.execute("SELECT id, n_events FROM articles").fetchone()) == ("a1", 0)
        s.add([analysed()])
        assert s.stats()["events"] == 1


class RecordingHook:
    name = "recording"

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on = fail_on

    def migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS seen (article_id TEXT PRIMARY KEY)")

    def on_insert(self, conn: sqlite3.Connection, article: Article) -> None:
        conn.execute("INSERT INTO seen VALUES (?)", (article.id,))
        if self.fail_on and self.fail_on in article.text:
            raise ValueError("hook refuses this one")


def test_hooks_run_in_the_batch_and_a_failing_hook_rejects_one_article(tmp_path: Path) -> None:
    arts = [Article.new(f"نص {w} طويل بما يكفي", source="s") for w in ("أول", "ثان", "سيء", "رابع")]
    with Store(tmp_path / "m.db", hooks=[RecordingHook(fail_on="سيء")]) as s:
        summ = s.add(arts)
        assert (summ.stored, summ.rejected) == (3, 1)
        seen = {r[0] for r in s.conn.execute("SELECT article_id FROM seen")}
        stored = {r[0] for r in s.conn.execute("SELECT id FROM articles")}
        assert seen == stored and arts[2].id not in stored  # the failed article's rows were rolled back
        (r,) = s.rejects()
        assert (r["stage"], r["code"], r["article_id"]) == ("store", "E_STORE", arts[2].id)


def test_default_hooks_load_when_installed(tmp_path: Path) -> None:
    try:
        import marsad.dedup.hook  # noqa: F401
    except ImportError:
        pytest.skip("dedup hook not installed")
    with Store(tmp_path / "m.db") as s:
        assert [h.name for h in s.hooks]


def test_iter_articles_filters(tmp_path: Path) -> None:
    arts = [
        Article.new(f"خبر {i}", source="a" if i % 2 else "b", published=f"2020-01-{i + 1:02d}")
        for i in range(9)
    ]
    with Store(tmp_path / "m.db", hooks=[]) as s:
        s.add(arts, batch_size=3)
        assert [a.id for a in s.iter_articles()] == [a.id for a in arts]
        got = [a.published for a in s.iter_articles(source="a", date_from="2020-01-03", date_to="2020-01-08")]
        assert got == ["2020-01-04", "2020-01-06", "2020-01-08"]


arabic = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة") + list("ًٌٍَُِّْـ،؟؛ \n") + list("abc123")),
    min_size=1,
    max_size=200,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=arabic, title=st.one_of(st.none(), arabic))
def test_storage_round_trips(tmp_path_factory: pytest.TempPathFactory, text: str, title: str | None) -> None:
    art = Article.new(text, source="h", title=title)
    with Store(tmp_path_factory.mktemp("h") / "h.db", hooks=[]) as s:
        assert s.add([art]).stored == 1
        assert s.get(art.id) == art
        assert s.add([art]).duplicate == 1


class NoOpHook:
    name = "noop"

    def migrate(self, conn: sqlite3.Connection) -> None:
        pass

    def on_insert(self, conn: sqlite3.Connection, article: Article) -> None:
        pass


def test_without_hooks_a_failing_article_leaves_what_a_savepoint_rollback_leaves(tmp_path: Path) -> None:
    """Without hooks there is no savepoint per article: the rows of an article that fails after its first write
    (here its event cannot be bound, after its entities and their article_actors rows were written) are deleted.
    Every table ends as with a hook (the savepoint path), the next article taking the same rowid."""
    import dataclasses

    from marsad.store.index import fts_query

    good = analysed()
    bad = Article.new(TEXT + "\nنسخة ثانية.", source="seed", title="اتصال", published="2020-12-24")
    ev = dataclasses.replace(good.events[0], goldstein=object())  # not a value SQLite can bind
    bad = bad.evolve(body=bad.text, entities=good.entities, quotes=good.quotes, events=(ev,))
    last = Article.new(TEXT + "\nنسخة ثالثة.", source="other", published="2020-12-25")
    last = last.evolve(body=last.text, entities=good.entities, events=good.events)
    tables = ("articles", "article_filters", "entities", "quotes", "events", "article_actors",
              "article_event_types")
    dumps = []
    for name, hooks in (("plain", []), ("hooked", [NoOpHook()])):
        with Store(tmp_path / f"{name}.db", hooks=hooks) as s:
            summ = s.add([good, bad, last])
            assert (summ.stored, summ.rejected) == (2, 1)
            (r,) = s.rejects()
            assert (r["code"], r["article_id"]) == ("E_STORE", bad.id)
            assert not s.conn.execute("SELECT 1 FROM entities WHERE article_id = ?", (bad.id,)).fetchall()
            dumps.append({t: sorted(tuple(x) for x in s.conn.execute(
                f"SELECT * FROM {t}" if t != "articles" else f"SELECT rowid, id, source, text FROM {t}"))
                for t in tables})
            fts = [[r[0] for r in s.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                                  (fts_query(w),))] for w in ("نسخة", "ثانية")]
            assert fts == [[2], []]  # the failed article was never indexed
    assert dumps[0] == dumps[1]
    assert [r[0] for r in dumps[0]["articles"]] == [1, 2] and len(dumps[0]["article_actors"]) == 4

"""The dedup tables' layout: undated articles in the posting table; files of layout 1 (candidate indexes keyed by
the text id, in either of its two shapes) brought up to date by ``DedupHook.migrate`` with the same rows and the same
links afterwards; a file of a newer layout refused with ``E_DEDUP_LAYOUT``, and a layout-1 writer stopped by the
guard tables."""

from __future__ import annotations

import random
import sqlite3

import pytest

from marsad.dedup.hook import LAYOUT, NO_DAY, DedupHook
from marsad.errors import ConfigError

from .synth import VOCAB, art, corpus, dump, ingest, text

# layout 1 as marsad wrote it: the first shape (day NULL when unknown, a (term, day) index) and the second
LAYOUT1 = {
    "first": """
CREATE TABLE dedup_lsh (key INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id)) WITHOUT ROWID;
CREATE TABLE dedup_terms (term INTEGER NOT NULL, day INTEGER, article_id TEXT NOT NULL,
    PRIMARY KEY (term, article_id)) WITHOUT ROWID;
CREATE INDEX dedup_terms_day ON dedup_terms(term, day);
""",
    "second": """
CREATE TABLE dedup_lsh (key INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id)) WITHOUT ROWID;
CREATE TABLE dedup_terms (term INTEGER NOT NULL, day INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (term, day, article_id)) WITHOUT ROWID;
""",
}


def _undated_story(seed: int) -> list:
    """Two write-ups of one topic (shared topic words, no shared text), the second without a date."""
    rng = random.Random(seed)
    topic = rng.sample(VOCAB, 20)
    return [
        art("d-dated", text(rng, 60, topic), source="x", published="2015-08-20"),
        art("d-undated", text(rng, 60, topic), source="y", published=None),
    ]


def _story_links(conn):
    return {frozenset(r) for r in conn.execute("SELECT a, b FROM dedup_links WHERE kind = 'story'")}


def test_undated_article_is_a_candidate_of_any_day():
    conn = ingest(_undated_story(5))
    assert frozenset({"d-dated", "d-undated"}) in _story_links(conn)
    days = {r[0] for r in conn.execute(
        "SELECT day FROM dedup_postings p JOIN dedup_vecs v ON v.num = p.num WHERE v.article_id = 'd-undated'")}
    assert days == {NO_DAY}
    # and the other way round: the undated article stored first, the dated one finds it
    conn2 = ingest(list(reversed(_undated_story(5))))
    assert dump(conn2) == dump(conn)


def _undated_flag(conn) -> str:
    return conn.execute("SELECT value FROM dedup_meta WHERE key = 'undated_terms'").fetchone()[0]


def test_lookup_skips_undated_postings_only_while_there_are_none():
    """The lookup leaves out the undated postings' ranges while ``dedup_meta.undated_terms`` is '0'; the first
    undated article sets it in its own transaction (a rollback takes it back), so a dated article stored after it
    still finds it."""
    dated, undated = _undated_story(5)
    conn = ingest([art("other", text(random.Random(9), 80), published="2015-08-20")])
    assert _undated_flag(conn) == "0"
    conn.execute("BEGIN")
    h = DedupHook()
    h.on_insert(conn, undated)
    assert _undated_flag(conn) == "1"
    conn.execute("ROLLBACK")
    assert _undated_flag(conn) == "0"
    ingest([undated, dated], conn)
    assert _undated_flag(conn) == "1"
    assert frozenset({"d-dated", "d-undated"}) in _story_links(conn)
    DedupHook().migrate(conn)  # reopening keeps what the file says
    assert _undated_flag(conn) == "1"


def _to_layout1(conn: sqlite3.Connection, shape: str) -> None:
    """Rewrite a file of the current layout as marsad wrote layout 1 (the vectors in dedup_docs.terms_bin)."""
    bands = conn.execute("SELECT b.key, v.article_id FROM dedup_bands b JOIN dedup_vecs v USING (num)").fetchall()
    posts = conn.execute("SELECT p.term, p.day, v.article_id FROM dedup_postings p JOIN dedup_vecs v USING (num)").fetchall()
    conn.execute("UPDATE dedup_docs SET terms_bin = (SELECT tvec FROM dedup_vecs v WHERE v.article_id = dedup_docs.article_id)")
    for t in ("dedup_lsh", "dedup_terms", "dedup_vecs", "dedup_bands", "dedup_postings"):
        conn.execute(f"DROP TABLE {t}")
    conn.execute("DELETE FROM dedup_meta WHERE key = 'layout'")
    conn.executescript(LAYOUT1[shape])
    conn.executemany("INSERT INTO dedup_lsh VALUES (?,?)", bands)
    if shape == "first":
        posts = [(t, None if d == NO_DAY else d, a) for t, d, a in posts]
        conn.execute("DELETE FROM dedup_meta WHERE key = 'undated_terms'")  # (that shape had no such row)
    conn.executemany("INSERT INTO dedup_terms VALUES (?,?,?)", posts)


def _layout(conn) -> str:
    return conn.execute("SELECT value FROM dedup_meta WHERE key = 'layout'").fetchone()[0]


@pytest.mark.parametrize("shape", ["first", "second"])
def test_layout1_file_is_migrated_with_the_same_rows_and_links(shape):
    arts, _ = corpus()
    first, later = arts[: len(arts) // 2] + _undated_story(5)[1:], arts[len(arts) // 2 :] + _undated_story(5)[:1]
    new = ingest(first)
    assert _layout(new) == str(LAYOUT)
    old = sqlite3.connect(":memory:", isolation_level=None)
    new.backup(old)
    _to_layout1(old, shape)
    assert old.execute("SELECT COUNT(*) FROM dedup_terms").fetchone()[0] > 0
    assert old.execute("SELECT COUNT(*) FROM dedup_docs WHERE terms_bin IS NULL").fetchone()[0] == 0

    DedupHook().migrate(old)
    assert _layout(old) == str(LAYOUT)
    assert _undated_flag(old) == "1"
    assert old.execute("SELECT name FROM sqlite_master WHERE name = 'dedup_terms_day'").fetchone() is None
    assert old.execute("SELECT COUNT(*) FROM dedup_lsh").fetchone()[0] == 0  # (the guard tables, empty)
    assert old.execute("SELECT COUNT(*) FROM dedup_docs WHERE terms_bin IS NOT NULL").fetchone()[0] == 0
    assert dump(old) == dump(new)
    DedupHook().migrate(old)  # a second open changes nothing
    assert dump(old) == dump(new)

    # storing more articles into the migrated file gives what storing them into a file of the new layout gives
    ingest(later, old)
    ingest(later, new)
    assert dump(old) == dump(new)
    assert frozenset({"d-dated", "d-undated"}) in _story_links(old)


def test_newer_layout_is_refused_with_its_code(tmp_path):
    from marsad.store import Store

    path = tmp_path / "s.db"
    with Store(path) as st:
        st.conn.execute("UPDATE dedup_meta SET value = ? WHERE key = 'layout'", (str(LAYOUT + 1),))
    with pytest.raises(ConfigError) as e:
        Store(path)
    assert e.value.code == "E_DEDUP_LAYOUT" and "newer" in str(e.value)
    # a hook that opened the file before another process rewrote it refuses to write too
    conn = ingest([])
    hook = DedupHook()
    hook.migrate(conn)
    conn.execute("UPDATE dedup_meta SET value = 'x' WHERE key = 'layout'")
    with pytest.raises(ConfigError) as e2:
        hook.on_insert(conn, art("a1", text(random.Random(1), 40)))
    assert e2.value.code == "E_DEDUP_LAYOUT"


@pytest.mark.parametrize("table", ["dedup_lsh", "dedup_terms"])
def test_layout1_writer_is_stopped_with_a_clear_message(table):
    """A marsad of layout 1 (no layout check) writes its index rows into dedup_lsh / dedup_terms: the guard tables
    refuse them with E_DEDUP_LAYOUT, so the store rejects the article with that message instead of indexing it where
    this layout never looks."""
    conn = ingest(corpus()[0][:3])
    row = (1, "x") if table == "dedup_lsh" else (1, 2, "x")
    for verb in ("INSERT", "INSERT OR IGNORE", "INSERT OR REPLACE"):
        with pytest.raises(sqlite3.IntegrityError, match="E_DEDUP_LAYOUT"):
            conn.execute(f"{verb} INTO {table} VALUES ({','.join('?' * len(row))})", row)

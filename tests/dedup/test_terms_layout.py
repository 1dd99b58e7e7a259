"""The story-candidate posting table (``dedup_terms``): undated articles, and files of the earlier layout brought up
to date by ``DedupHook.migrate`` with the same postings and the same links afterwards."""

from __future__ import annotations

import random
import sqlite3

from marsad.dedup.hook import NO_DAY, DedupHook

from .synth import VOCAB, art, corpus, dump, ingest, text

OLD_TERMS = """
CREATE TABLE dedup_terms (
    term       INTEGER NOT NULL,
    day        INTEGER,
    article_id TEXT NOT NULL,
    PRIMARY KEY (term, article_id)
) WITHOUT ROWID;
CREATE INDEX dedup_terms_day ON dedup_terms(term, day);
"""


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
    days = {r[0] for r in conn.execute("SELECT day FROM dedup_terms WHERE article_id = 'd-undated'")}
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


def _to_old_layout(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT term, day, article_id FROM dedup_terms").fetchall()
    conn.execute("DROP TABLE dedup_terms")
    conn.executescript(OLD_TERMS)
    conn.executemany(
        "INSERT INTO dedup_terms VALUES (?,?,?)", [(t, None if d == NO_DAY else d, a) for t, d, a in rows]
    )


def test_old_posting_layout_is_migrated_with_the_same_rows_and_links():
    arts, _ = corpus()
    first, later = arts[: len(arts) // 2] + _undated_story(5)[1:], arts[len(arts) // 2 :] + _undated_story(5)[:1]
    new = ingest(first)
    old = sqlite3.connect(":memory:", isolation_level=None)
    new.backup(old)
    _to_old_layout(old)
    assert old.execute("SELECT COUNT(*) FROM dedup_terms WHERE day IS NULL").fetchone()[0] > 0

    old.execute("DELETE FROM dedup_meta WHERE key = 'undated_terms'")  # (the earlier layout had no such row)
    DedupHook().migrate(old)
    assert _undated_flag(old) == "1"
    pk = [r[1] for r in sorted(old.execute("PRAGMA table_info(dedup_terms)"), key=lambda r: r[5]) if r[5]]
    assert pk == ["term", "day", "article_id"]
    assert old.execute("SELECT name FROM sqlite_master WHERE name = 'dedup_terms_day'").fetchone() is None
    assert dump(old) == dump(new)
    DedupHook().migrate(old)  # a second open changes nothing
    assert dump(old) == dump(new)

    # storing more articles into the migrated file gives what storing them into a file of the new layout gives
    ingest(later, old)
    ingest(later, new)
    assert dump(old) == dump(new)
    assert frozenset({"d-dated", "d-undated"}) in _story_links(old)

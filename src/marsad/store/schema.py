"""The store's schema as numbered migrations. Each applied migration is recorded in ``migrations`` (version,
name, applied_at), so opening an older database applies only what it lacks, in order, each in a transaction.

Never edit a released migration: add a new one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

V1_CORE = """
CREATE TABLE IF NOT EXISTS articles (
    rowid          INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    content_hash   TEXT NOT NULL,
    source         TEXT NOT NULL DEFAULT '',
    url            TEXT,
    title          TEXT,
    published      TEXT,            -- YYYY-MM-DD
    published_time TEXT,            -- HH:MM
    body           TEXT NOT NULL DEFAULT '',
    n_chars        INTEGER NOT NULL DEFAULT 0,
    ingested_at    TEXT NOT NULL,
    record         BLOB NOT NULL    -- zlib(Article.to_dict() as JSON): the full record, restored by Store.get
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source, published);

-- Contentless FTS5: the index holds normalised title/body and clitic-stripped stems, not a second copy of the text.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, stems, content='', tokenize='unicode61 remove_diacritics 2'
);

CREATE TABLE IF NOT EXISTS rejects (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,  -- hash of stage/code/source/raw: the same refusal is kept once
    stage       TEXT NOT NULL,
    code        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    article_id  TEXT,
    raw         BLOB,                  -- raw input (bytes as read; text as UTF-8), or its first MAX_RAW bytes
    raw_is_text INTEGER NOT NULL DEFAULT 0,
    raw_pointer TEXT,                  -- where the whole input is, when raw is absent or cut
    attrs       TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejects_stage ON rejects(stage, code);
"""

V2_ANALYSIS = """
CREATE TABLE IF NOT EXISTS entities (
    article_id  TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    actor_id    TEXT,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    country     TEXT,
    sector      TEXT,
    n_mentions  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_actor ON entities(actor_id);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);
CREATE INDEX IF NOT EXISTS entities_country ON entities(country);

CREATE TABLE IF NOT EXISTS quotes (
    article_id       TEXT NOT NULL,
    quote_id         TEXT NOT NULL,
    kind             TEXT NOT NULL,
    speaker_ids      TEXT NOT NULL DEFAULT '[]',  -- JSON list of entity ids
    speaker_actors   TEXT NOT NULL DEFAULT '[]',  -- JSON list of actor ids (null where the entity has none)
    speaker_names    TEXT NOT NULL DEFAULT '[]',
    text             TEXT NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    cue              TEXT,
    PRIMARY KEY (article_id, quote_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
    article_id        TEXT NOT NULL,
    event_id          TEXT NOT NULL,
    type              TEXT NOT NULL,
    source_ids        TEXT NOT NULL DEFAULT '[]',
    target_ids        TEXT NOT NULL DEFAULT '[]',
    source_actors     TEXT NOT NULL DEFAULT '[]',
    target_actors     TEXT NOT NULL DEFAULT '[]',
    source_countries  TEXT NOT NULL DEFAULT '[]',
    target_countries  TEXT NOT NULL DEFAULT '[]',
    date              TEXT,
    mode              TEXT,
    negated           INTEGER NOT NULL DEFAULT 0,
    modality          TEXT,
    symmetric         INTEGER NOT NULL DEFAULT 0,
    quad_class        INTEGER,
    goldstein         REAL,
    cameo             TEXT,
    confidence        REAL,
    evidence_start    INTEGER,
    evidence_end      INTEGER,
    evidence_text     TEXT,
    PRIMARY KEY (article_id, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_type ON events(type, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
"""

V3_COUNTS = """
ALTER TABLE articles ADD COLUMN n_entities INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN n_quotes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN n_events INTEGER NOT NULL DEFAULT 0;
"""

# A narrow copy of the filter columns: search joins every FTS match to it when filtering, and a row read from
# this table is ~5x cheaper than from ``articles`` with its large body and record columns.
V4_FILTER_KEYS = """
CREATE TABLE IF NOT EXISTS article_filters (
    rowid     INTEGER PRIMARY KEY,  -- = articles.rowid = articles_fts.rowid
    id        TEXT NOT NULL,
    source    TEXT NOT NULL DEFAULT '',
    published TEXT
);
INSERT OR IGNORE INTO article_filters(rowid, id, source, published) SELECT rowid, id, source, published FROM articles
"""


# Search filters by actor and by event type, answered from narrow tables keyed the way the filters ask
# (value, article rowid) with the article's date copied in: "USA articles, newest first" walks one index range,
# and "does this FTS match mention USA" is one primary-key probe instead of a join through entities(article_id
# TEXT) to articles. Kept by triggers, so every writer of entities/events (the store, hooks, other rooms) keeps
# them right without knowing they exist. Dates are copied from articles at insert time (articles are never
# re-dated in place: a changed text is a new id).
V5_FILTER_INDEXES = """
CREATE TABLE IF NOT EXISTS article_actors (
    actor_id      TEXT NOT NULL,
    article_rowid INTEGER NOT NULL,
    published     TEXT,
    PRIMARY KEY (actor_id, article_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_actors_published ON article_actors(actor_id, published, article_rowid);
CREATE TABLE IF NOT EXISTS article_event_types (
    type          TEXT NOT NULL,
    article_rowid INTEGER NOT NULL,
    published     TEXT,
    PRIMARY KEY (type, article_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_event_types_published ON article_event_types(type, published, article_rowid);
CREATE INDEX IF NOT EXISTS article_filters_published ON article_filters(published);
CREATE INDEX IF NOT EXISTS article_filters_source ON article_filters(source, published);
CREATE TRIGGER IF NOT EXISTS entities_actor_ins AFTER INSERT ON entities WHEN NEW.actor_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO article_actors(actor_id, article_rowid, published)
    SELECT NEW.actor_id, f.rowid, f.published FROM article_filters f WHERE f.id = NEW.article_id;
END;
CREATE TRIGGER IF NOT EXISTS entities_actor_del AFTER DELETE ON entities WHEN OLD.actor_id IS NOT NULL BEGIN
    DELETE FROM article_actors WHERE actor_id = OLD.actor_id
      AND article_rowid IN (SELECT rowid FROM article_filters WHERE id = OLD.article_id)
      AND NOT EXISTS (SELECT 1 FROM entities WHERE article_id = OLD.article_id AND actor_id = OLD.actor_id);
END;
CREATE TRIGGER IF NOT EXISTS events_type_ins AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO article_event_types(type, article_rowid, published)
    SELECT NEW.type, f.rowid, f.published FROM article_filters f WHERE f.id = NEW.article_id;
END;
CREATE TRIGGER IF NOT EXISTS events_type_del AFTER DELETE ON events BEGIN
    DELETE FROM article_event_types WHERE type = OLD.type
      AND article_rowid IN (SELECT rowid FROM article_filters WHERE id = OLD.article_id)
      AND NOT EXISTS (SELECT 1 FROM events WHERE article_id = OLD.article_id AND type = OLD.type);
END;
CREATE INDEX IF NOT EXISTS article_filters_id ON article_filters(id);
INSERT OR IGNORE INTO article_actors(actor_id, article_rowid, published)
SELECT e.actor_id, f.rowid, f.published FROM entities e JOIN article_filters f ON f.id = e.article_id
WHERE e.actor_id IS NOT NULL;
INSERT OR IGNORE INTO article_event_types(type, article_rowid, published)
SELECT v.type, f.rowid, f.published FROM events v JOIN article_filters f ON f.id = v.article_id;
ANALYZE
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for stmt in sql.split(";\n"):
            if stmt.strip():
                conn.execute(stmt)

    return run


def _statements(sql: str) -> Callable[[sqlite3.Connection], None]:
    """Like :func:`_script`, but splits where SQLite says a statement is complete (trigger bodies hold ';')."""

    def run(conn: sqlite3.Connection) -> None:
        buf = ""
        for line in sql.splitlines(keepends=True):
            buf += line
            if sqlite3.complete_statement(buf):
                conn.execute(buf)
                buf = ""
        if buf.strip():
            conn.execute(buf)

    return run


def _plover_current(conn: sqlite3.Connection) -> None:
    """Migration 6: stored events with PLOVER names the manual has retired take the current ones (DISAPPROVE and
    INVESTIGATE -> ACCUSE, DEMAND -> REQUEST, FIGHT -> ASSAULT, CRIME -> ASSAULT with context ``crime``), in the
    query table, the filter table and the kept record, with the mode and quad class of the folded pair
    (:func:`marsad.events.plover.fold`). Nothing else in a record changes."""
    import zlib

    from marsad.events import plover

    old = tuple(plover.LEGACY)
    marks = ",".join("?" * len(old))
    rows = conn.execute(
        f"SELECT article_id, event_id, type, mode FROM events WHERE upper(type) IN ({marks})", old
    ).fetchall()
    if not rows:
        return
    articles = sorted({r[0] for r in rows})
    new = sorted({plover.LEGACY[str(r[2]).upper()] for r in rows})
    for article_id, event_id, typ, mode in rows:
        f = plover.fold(typ, mode)
        conn.execute(
            "UPDATE events SET type = ?, mode = ?, quad_class = ? WHERE article_id = ? AND event_id = ?",
            (f.category, f.mode, plover.quad(f.category), article_id, event_id),
        )
    for article_id in articles:
        row = conn.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            continue
        rec = json.loads(zlib.decompress(row[0]).decode("utf-8"))
        rec["events"] = [plover.fold_event_dict(ev) for ev in rec.get("events") or ()]
        blob = zlib.compress(json.dumps(rec, ensure_ascii=False, default=str).encode("utf-8"), 6)
        conn.execute("UPDATE articles SET record = ? WHERE id = ?", (blob, article_id))
    # the event-type filter table is kept by insert/delete triggers only: rebuild the rows of the renamed types
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_event_types'").fetchone():
        conn.execute(f"DELETE FROM article_event_types WHERE type IN ({marks})", old)
        conn.execute(
            "INSERT OR IGNORE INTO article_event_types(type, article_rowid, published) "
            "SELECT v.type, f.rowid, f.published FROM events v JOIN article_filters f ON f.id = v.article_id "
            f"WHERE v.type IN ({','.join('?' * len(new))})",
            new,
        )


# Searches an analyst keeps (web UI / POST /api/saved-searches), each with an Atom feed: the search parameters
# as JSON in the names the API takes (q, from, to, source, actor, event_type).
V7_SAVED_SEARCHES = """
CREATE TABLE IF NOT EXISTS saved_searches (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


def _geo_places(conn: sqlite3.Connection) -> None:
    """Migration 8: ``places`` (resolved GPE/LOC entities) and ``event_locations``, backfilled from the records."""
    from marsad.geo.store import migrate_v8

    migrate_v8(conn)


def _texts_once(conn: sqlite3.Connection) -> None:
    """Migration 9: each text written once. Until now a row held the body in ``body`` and again, with the input
    text, inside the compressed record. The input text moves to its own column ``text``; the record keeps the rest
    of ``Article.to_dict()``; ``body`` is '' where ``body_spans`` can rebuild it from the text (``"="``: the body is
    the text; ``"s:e s:e"``: the body layer's spans joined by blank lines), else it stays as it was. Nothing is
    lost: a row is rewritten only when its rebuilt body and text equal the old ones, else it is left as it was
    (records that still carry their text are read as before). Idempotent: rows that have a text are skipped."""
    import zlib

    import orjson

    cols = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    for col in ("text", "body_spans"):
        if col not in cols:
            conn.execute(f"ALTER TABLE articles ADD COLUMN {col} TEXT")
    from marsad.store.core import _NOT_IN_RECORD, body_of, unpack_record

    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, record, body FROM articles WHERE rowid > ? AND text IS NULL ORDER BY rowid LIMIT 1000",
            (last,),
        ).fetchall()
        if not rows:
            return
        for rowid, blob, body in rows:
            last = rowid
            try:
                rec = unpack_record(blob)
            except (zlib.error, ValueError, TypeError):
                continue  # not a record this code can read: left untouched
            text = rec.get("text")
            if not isinstance(text, str):
                continue
            body = body or ""
            spans: str | None = None
            if body and body == text:
                spans = "="
            elif body:
                lay = (rec.get("layers") or {}).get("body") or []
                cand = " ".join(f"{int(x['start'])}:{int(x['end'])}" for x in lay)
                if cand and body_of(text, "", cand) == body:
                    spans = cand
            keep_body = rec.get("body") not in (None, body)  # a record whose body is not the column's keeps it
            for k in _NOT_IN_RECORD:
                if not (k == "body" and keep_body):
                    rec.pop(k, None)
            new = zlib.compress(orjson.dumps(rec, default=str, option=orjson.OPT_NON_STR_KEYS), 1)
            conn.execute(
                "UPDATE articles SET text = ?, body = ?, body_spans = ?, record = ? WHERE rowid = ?",
                (text, "" if spans is not None else body, spans, new, rowid),
            )


# (version, name, apply). apply runs inside the migration's transaction.
MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "core: articles, fts, rejects", _script(V1_CORE)),
    (2, "analysis: entities, quotes, events", _script(V2_ANALYSIS)),
    (3, "article counters", _script(V3_COUNTS)),
    (4, "narrow filter table for search", _script(V4_FILTER_KEYS)),
    (5, "actor / event-type filter indexes with dates", _statements(V5_FILTER_INDEXES)),
    (6, "PLOVER current category names for stored events", _plover_current),
    (7, "saved searches", _script(V7_SAVED_SEARCHES)),
    (8, "geo: places and event locations (marsad.geo.store)", _geo_places),
    (9, "each text written once: articles.text, body rebuilt from body_spans, record without texts", _texts_once),
)
LATEST = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT max(version) FROM migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, *, upto: int | None = None) -> list[int]:
    """Apply pending migrations (each in its own transaction) and return the versions applied."""
    applied = []
    have = current_version(conn)
    for version, name, apply in MIGRATIONS:
        if version <= have or (upto is not None and version > upto):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the write lock
            if conn.execute("SELECT 1 FROM migrations WHERE version = ?", (version,)).fetchone():
                conn.execute("COMMIT")
                continue
            apply(conn)
            conn.execute(
                "INSERT INTO migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied

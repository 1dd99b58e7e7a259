"""The SQLite store: one file, WAL mode, one transaction per batch, idempotent by content-hash id.

Every article is kept whole (``Article.to_dict()`` JSON, zlib-compressed) so :meth:`Store.get` restores the same
record, plus query tables (``articles``, ``articles_fts``, ``entities``, ``quotes``, ``events``, ``rejects``) that
the CLI, the HTTP API and hooks read with plain SQL. A crash mid-ingest loses at most the open batch: re-running
the same ingest skips what is stored (before running the pipeline on it) and stores the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from marsad.data import Article, Rejection
from marsad.errors import InputError
from marsad.store import schema
from marsad.store.hooks import StoreHook, load_default_hooks
from marsad.store.index import index_fields

MAX_RAW = 1024 * 1024  # bytes of a rejected input kept inline; beyond that a prefix and a pointer
DEFAULT_BATCH = 200


@dataclass
class IngestSummary:
    """``read == stored + duplicate + rejected`` always holds."""

    read: int = 0
    stored: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejected_by: Counter[str] = field(default_factory=Counter)  # "stage/code" -> n

    def __add__(self, other: IngestSummary) -> IngestSummary:
        return IngestSummary(
            self.read + other.read, self.stored + other.stored, self.duplicate + other.duplicate,
            self.rejected + other.rejected, self.rejected_by + other.rejected_by,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "rejected_by": dict(self.rejected_by),
        }


def default_db_path() -> str:
    return os.environ.get("MARSAD_DB") or "marsad.db"


# Page cache of a writing connection, in KiB (SQLite's default is 2 MiB). The dedup hook's tables take random
# inserts and probes (LSH band keys, term postings: 48 rows per article at random places of large B-trees); with
# 2 MiB most of them read their page back from the OS (a system call and a copy each), which cost the hook ~20% of
# its CPU at 10k stored articles (bench/bench_dedup.py). At 100k stored (a 660 MB file) 256 MiB hold the hook's
# index pages that 64 MiB kept reading back: hook CPU 2.88 -> 2.65 ms an article, lower in each of 4 interleaved
# rounds (connections to one 100k bench file, 500 articles a round, load 6). Pages are allocated as used, up to
# this bound.
WRITER_CACHE_KIB = 262144


def tune_writer(conn: sqlite3.Connection) -> None:
    """The settings of a connection that writes a store (``Store`` and the benches that stand in for it)."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # durable across process crashes in WAL mode
    conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")


_NOW: tuple[int, str] = (-1, "")  # (whole second, its ISO string): the last one made, swapped whole


def _now() -> str:
    """The current UTC time to the second, ISO 8601. The string is made once per second (``Store.add`` asks for
    it once per article: ~3 µs each, 1 % of storing one)."""
    global _NOW
    sec = int(time.time())
    last = _NOW
    if sec != last[0]:
        last = _NOW = (sec, datetime.fromtimestamp(sec, UTC).isoformat(timespec="seconds"))
    return last[1]


# What ``articles.record`` holds: ``Article.to_dict()`` less the texts, which are written once, in their own
# columns: ``text`` (the input as received) and ``body`` (the clean body). The body is most often the body layer's
# spans of the text joined by blank lines (what the cleaner makes) or the text itself; then ``body`` is '' and
# ``body_spans`` says how to rebuild it ("=": the text; "s:e s:e ...": those spans). ``body_spans`` NULL: ``body``
# holds the body as it is. Records written before migration 9 still carry "text" and "body" and are read as such.
_NOT_IN_RECORD = ("text", "body", "boilerplate")
RECORD_COLUMNS = "a.record AS record, a.text AS text, a.body AS body, a.body_spans AS body_spans"
BODY_COLUMNS = "a.text AS text, a.body AS body, a.body_spans AS body_spans"


def pack_record(article: Article) -> bytes:
    """The record blob: zlib (level 1: it is written for every article, and read rarely) of the JSON of
    ``Article.to_dict()`` without the text, the body and the boilerplate strings (see ``_NOT_IN_RECORD``).

    A 16 KiB window and memLevel 5 (zlib's defaults: 32 KiB, 8): a record is ~1 KB (at most a few), and setting up
    the default state (~256 KB, part of it zeroed) was most of the time of compressing one: 35 -> 19 us per record
    on 1,990 ANT records, the same mean size (411 bytes). Any zlib reader takes it (the window is in the header)."""
    d = article.to_dict()
    for k in _NOT_IN_RECORD:
        d.pop(k, None)
    c = zlib.compressobj(1, zlib.DEFLATED, 14, 5)
    return c.compress(orjson.dumps(d, default=str, option=orjson.OPT_NON_STR_KEYS)) + c.flush()


def body_spans(article: Article) -> str | None:
    """How ``body`` is rebuilt from ``text`` ("=" or "s:e s:e ..."), or None when it cannot be (then it is stored)."""
    body, text = article.body, article.text
    if not body:
        return None
    if body == text:
        return "="
    spans = article.layers.get("body") or ()
    if spans and "\n\n".join([text[s.start : s.end] for s in spans]) == body:
        return " ".join([f"{s.start}:{s.end}" for s in spans])
    return None


def body_of(text: str | None, body: str | None, spans: str | None) -> str:
    """The body from the ``text``, ``body`` and ``body_spans`` columns (see ``pack_record``)."""
    if spans is None or text is None:
        return body or ""
    if spans == "=":
        return text
    parts = []
    for se in spans.split():
        s, _, e = se.partition(":")
        parts.append(text[int(s) : int(e)])
    return "\n\n".join(parts)


def unpack_record(blob: bytes | str, text: str | None = None, body: str | None = None,
                  spans: str | None = None) -> dict[str, Any]:
    """``Article.to_dict()`` of a stored article from its record blob and its text columns (pass them: a record
    written since migration 9 holds no text). Plain-JSON records (not compressed) are read too."""
    raw = blob.encode("utf-8") if isinstance(blob, str) else bytes(blob)
    try:
        raw = zlib.decompress(raw)
    except zlib.error:
        pass
    try:
        d: dict[str, Any] = orjson.loads(raw)
    except orjson.JSONDecodeError:  # json.dumps wrote NaN / Infinity, which orjson does not read
        d = json.loads(raw)
    if text is not None and "text" not in d:
        d["text"] = text
        if "body" not in d:
            d["body"] = body_of(text, body, spans)
        d["boilerplate"] = [text[s["start"] : s["end"]] for s in (d.get("layers") or {}).get("boilerplate") or ()]
    return d


def record_of(row: Any) -> dict[str, Any]:
    """``unpack_record`` of a row selected with ``RECORD_COLUMNS``."""
    return unpack_record(row["record"], row["text"], row["body"], row["body_spans"])


class Store:
    """``Store(path)`` opens (or creates) a marsad database. Use as a context manager or call :meth:`close`.

    ``hooks=None`` loads the default hooks (dedup, when installed); pass ``hooks=[]`` for none.
    ``create=False`` refuses a missing file instead of creating it (read-only commands use this).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        hooks: Sequence[StoreHook] | None = None,
        create: bool = True,
        readonly: bool = False,
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if not self.path.exists() and (not create or readonly):
            raise InputError(
                f"no database at {self.path} (create one with: marsad ingest PATH --db {self.path})",
                code="E_NO_DB",
            )
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"{self.path} is a directory, not a database file", code="E_NO_DB")
        if create and not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else str(self.path)
        # autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), one per batch
        self.conn = sqlite3.connect(
            uri, uri=readonly, isolation_level=None, check_same_thread=False, timeout=30
        )
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                tune_writer(self.conn)
                schema.migrate(self.conn)
            elif schema.current_version(self.conn) == 0:
                raise InputError(f"{self.path} is not a marsad database", code="E_NO_DB")
        except sqlite3.DatabaseError as e:
            self.conn.close()
            raise InputError(f"{self.path} is not a marsad database ({e})", code="E_NO_DB") from e
        self.hooks: list[StoreHook] = list(load_default_hooks() if hooks is None else hooks)
        if not readonly:
            for h in self.hooks:
                h.migrate(self.conn)

    # -- life cycle ------------------------------------------------------------------------------------------
    def close(self) -> None:
        if not self.readonly:
            # refreshes planner statistics for tables this connection's queries used and whose sizes moved a lot
            # (a big ingest); cheap when nothing changed (sqlite.org/pragma.html#pragma_optimize)
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return schema.current_version(self.conn)

    # -- writing ---------------------------------------------------------------------------------------------
    def contains(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def add(self, items: Iterable[Article | Rejection], *, batch_size: int = DEFAULT_BATCH) -> IngestSummary:
        """Store articles and rejections, ``batch_size`` per transaction. Articles whose id is already stored
        count as duplicates and change nothing."""
        total = IngestSummary()
        batch: list[Article | Rejection] = []
        for it in items:
            batch.append(it)
            if len(batch) >= batch_size:
                total += self._write_batch(batch)
                batch = []
        if batch:
            total += self._write_batch(batch)
        return total

    def ingest(
        self,
        items: Iterable[Article | Rejection],
        *,
        pipeline: Any = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[IngestSummary], None] | None = None,
    ) -> IngestSummary:
        """Run ``pipeline`` (a :class:`marsad.pipeline.Pipeline`, or None) over reader output and store it.

        An article whose reader id is already stored is counted as a duplicate *before* the pipeline runs, which
        is what makes an interrupted ingest cheap to resume."""
        total = IngestSummary()
        batch: list[Article | Rejection] = []
        skipped = IngestSummary()
        for it in items:
            seen = self._same_id(it) if isinstance(it, Article) else None
            if seen == "duplicate":
                skipped.read += 1
                skipped.duplicate += 1
            elif isinstance(seen, Rejection):  # the id is taken by a different text: kept as a rejection
                batch.append(seen)
            else:
                batch.append(pipeline.process(it) if pipeline is not None and isinstance(it, Article) else it)
            if len(batch) >= batch_size or skipped.read >= batch_size:
                total += self._write_batch(batch) + skipped
                batch, skipped = [], IngestSummary()
                if progress:
                    progress(total)
        total += self._write_batch(batch) + skipped
        if progress:
            progress(total)
        return total

    def _write_batch(self, batch: Sequence[Article | Rejection]) -> IngestSummary:
        s = IngestSummary()
        if not batch:
            return s
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        self._fts_rows: list[tuple[int, str, str, str]] = []
        try:
            articles = [it for it in batch if isinstance(it, Article)]
            for h in self.hooks:  # optional per-batch step (the dedup hook computes the batch's features there)
                prepare = getattr(h, "prepare", None)
                if prepare is not None and articles:
                    prepare(conn, articles)
            for it in batch:
                s.read += 1
                if isinstance(it, Rejection):
                    self._insert_reject(it)
                    s.rejected += 1
                    s.rejected_by[f"{it.stage}/{it.code}"] += 1
                    continue
                outcome = self._insert_article(it)
                if outcome is None:
                    s.stored += 1
                elif isinstance(outcome, str):  # "duplicate"
                    s.duplicate += 1
                else:
                    s.rejected += 1
                    s.rejected_by[f"store/{outcome.code}"] += 1
            # The index rows of the batch's stored articles, after the last per-article savepoint: FTS5 flushes
            # its pending terms to a new segment at every savepoint, so indexing inside each article's savepoint
            # wrote one segment per article (and merged them); here the batch is one segment, as a bulk insert.
            conn.executemany("INSERT INTO articles_fts(rowid, title, body, stems) VALUES (?,?,?,?)", self._fts_rows)
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (disk full, I/O error): a second ROLLBACK would fail with "no
            # transaction is active" and hide the real cause, which is what must reach the user
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        return s

    def _same_id(self, article: Article) -> str | Rejection | None:
        """None when ``article.id`` is not stored; "duplicate" when it is, with the same text; a rejection
        (``E_ID_CONFLICT``) when the id is stored with a different text: a repeated id never silently drops a
        different article (the second text is kept in the rejects table)."""
        row = self.conn.execute("SELECT content_hash, source, text, record FROM articles WHERE id = ?",
                                (article.id,)).fetchone()
        if row is None:
            return None
        if row["content_hash"] == article.content_hash:
            return "duplicate"
        try:  # (stores written before ids stopped hashing the file path have another hash for the same text)
            if (row["text"] if row["text"] is not None else unpack_record(row["record"]).get("text")) == article.text:
                return "duplicate"
        except (zlib.error, ValueError, TypeError):
            pass
        return Rejection(
            "store", "E_ID_CONFLICT",
            f"id {article.id!r} is already stored with a different text (from {row['source'] or '?'}); this "
            "record was not stored: give it its own id",
            article.source, article.text, article.id,
        )  # fmt: skip

    def _insert_article(self, article: Article) -> str | Rejection | None:
        """Insert one article and its analysis rows; None when stored, "duplicate", or the Rejection kept
        when a hook failed on it (its rows are rolled back, the batch goes on)."""
        from marsad.events.plover import current_article

        article = current_article(article)  # events under retired PLOVER names are stored under the current ones
        conn = self.conn
        # A savepoint per article undoes whatever a hook wrote when it fails. Without hooks the rows written here
        # are known, and a failure deletes them (_undo_article): opening and releasing a savepoint per article
        # (each page it touches copied to the statement journal) was ~5% of Store.add (issue 20).
        guarded = bool(self.hooks)
        if guarded:
            conn.execute("SAVEPOINT art")
        rowid: int | None = None
        try:
            spans = body_spans(article)
            cur = conn.execute(
                "INSERT OR IGNORE INTO articles(id, content_hash, source, url, title, published, published_time, "
                "body, n_chars, ingested_at, record, n_entities, n_quotes, n_events, text, body_spans) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id,
                    article.content_hash,
                    article.source or "",
                    article.url,
                    article.title,
                    article.published,
                    article.published_time,
                    "" if spans is not None else article.body,
                    len(article.text),
                    _now(),
                    pack_record(article),
                    len(article.entities),
                    len(article.quotes),
                    len(article.events),
                    article.text,
                    spans,
                ),
            )
            if cur.rowcount == 0:
                if guarded:
                    conn.execute("RELEASE art")
                seen = self._same_id(article)
                if isinstance(seen, Rejection):
                    self._insert_reject(seen)
                    return seen
                return "duplicate"
            rowid = cur.lastrowid
            conn.execute(
                "INSERT INTO article_filters(rowid, id, source, published) VALUES (?,?,?,?)",
                (rowid, article.id, article.source or "", article.published),
            )
            fts = (int(rowid or 0), *index_fields(article.title, article.body or article.text))
            self._insert_analysis(article)
            for h in self.hooks:
                h.on_insert(conn, article)
            if guarded:
                conn.execute("RELEASE art")
            self._fts_rows.append(fts)
            return None
        except sqlite3.OperationalError:
            raise  # disk full, locked ...: not the article's fault, abort the batch
        except Exception as e:  # a hook or a malformed layer: a rejection, not a lost batch
            if guarded:
                conn.execute("ROLLBACK TO art")
                conn.execute("RELEASE art")
            elif rowid is not None:
                self._undo_article(rowid, article.id)
            rej = Rejection(
                "store", "E_STORE", f"{type(e).__name__}: {e}", article.source, article.text, article.id
            )
            self._insert_reject(rej)
            return rej

    def _undo_article(self, rowid: int, article_id: str) -> None:
        """Delete the rows :meth:`_insert_article` wrote for one article (no hooks, so no savepoint): what a
        rollback to the article's savepoint leaves. Events and entities first, while the ``article_filters`` row
        their delete triggers read is still there (they remove the article's ``article_actors`` and
        ``article_event_types`` rows); the next article then takes the same rowid, as after a rollback."""
        conn = self.conn
        for table in ("events", "entities", "quotes"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM article_filters WHERE rowid = ?", (rowid,))
        conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))

    def _insert_analysis(self, article: Article) -> None:
        conn, aid = self.conn, article.id
        by_id = {e.id: e for e in article.entities}
        if article.entities:
            conn.executemany(
                "INSERT OR REPLACE INTO entities(article_id, entity_id, actor_id, name, type, country, sector, "
                "n_mentions) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (aid, e.id, e.actor_id, e.name, e.type, e.country, e.sector, len(e.mentions))
                    for e in article.entities
                ],
            )

        def actors(ids: Iterable[str]) -> str:
            return _j([by_id[i].actor_id if i in by_id else None for i in ids])

        def names(ids: Iterable[str]) -> str:
            return _j([by_id[i].name if i in by_id else None for i in ids])

        def countries(ids: Iterable[str]) -> str:
            return _j([by_id[i].country if i in by_id else None for i in ids])

        text = article.text
        if article.quotes:
            conn.executemany(
                "INSERT OR REPLACE INTO quotes(article_id, quote_id, kind, speaker_ids, speaker_actors, "
                'speaker_names, text, start, "end", cue) VALUES (?,?,?,?,?,?,?,?,?,?)',
                [
                    (
                        aid,
                        q.id,
                        q.kind,
                        _j(list(q.speaker)),
                        actors(q.speaker),
                        names(q.speaker),
                        q.content.slice(text),
                        q.content.start,
                        q.content.end,
                        q.cue.slice(text) if q.cue else None,
                    )
                    for q in article.quotes
                ],
            )
        if article.events:
            conn.executemany(
                "INSERT OR REPLACE INTO events(article_id, event_id, type, source_ids, target_ids, source_actors, "
                "target_actors, source_countries, target_countries, date, mode, negated, modality, symmetric, "
                "quad_class, goldstein, cameo, confidence, evidence_start, evidence_end, evidence_text) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        aid,
                        ev.id,
                        ev.type,
                        _j(list(ev.source)),
                        _j(list(ev.target)),
                        actors(ev.source),
                        actors(ev.target),
                        countries(ev.source),
                        countries(ev.target),
                        ev.date,
                        ev.mode,
                        int(ev.negated),
                        ev.modality,
                        int(ev.symmetric),
                        ev.quad_class,
                        ev.goldstein,
                        ev.cameo,
                        ev.confidence,
                        ev.evidence.start,
                        ev.evidence.end,
                        ev.evidence.slice(text),
                    )
                    for ev in article.events
                ],
            )

    def _insert_reject(self, rej: Rejection) -> None:
        raw = rej.raw
        is_text = isinstance(raw, str)
        blob: bytes | None = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        pointer = rej.attrs.get("pointer") or rej.attrs.get("path")
        if blob is not None and len(blob) > MAX_RAW:
            blob = blob[:MAX_RAW]
            pointer = pointer or rej.source
        h = hashlib.blake2b(digest_size=16)
        for part in (rej.stage, rej.code, rej.source, rej.id or ""):
            h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
        h.update(blob or b"")
        self.conn.execute(
            "INSERT OR IGNORE INTO rejects(key, stage, code, reason, source, article_id, raw, raw_is_text, "
            "raw_pointer, attrs, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                h.hexdigest(),
                rej.stage,
                rej.code,
                rej.reason,
                rej.source or "",
                rej.id,
                blob,
                int(is_text),
                str(pointer) if pointer else None,
                json.dumps(dict(rej.attrs), ensure_ascii=False, default=str),
                _now(),
            ),
        )

    # -- reading ---------------------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article:
        """The stored record; an unknown id raises InputError. A unique id prefix (≥ 6 characters) works too."""
        cols = RECORD_COLUMNS
        row = self.conn.execute(f"SELECT {cols} FROM articles a WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self.conn.execute(
                f"SELECT {cols} FROM articles a WHERE id >= ? AND id < ? LIMIT 2",
                (article_id, article_id + "\uffff"),
            ).fetchall()
            if len(rows) == 1:
                row = rows[0]
            elif len(rows) > 1:
                raise InputError(f"id prefix {article_id!r} is ambiguous", code="E_AMBIGUOUS")
        if row is None:
            raise InputError(f"no article with id {article_id!r} in {self.path}", code="E_NOT_FOUND")
        return Article.from_dict(record_of(row))

    def iter_articles(
        self,
        *,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        ids: Iterable[str] | None = None,
    ) -> Iterator[Article]:
        """Stored articles in insertion order, optionally filtered."""
        where, args = _article_filter(source, date_from, date_to)
        if ids is not None:
            for i in ids:
                yield self.get(i)
            return
        sql = f"SELECT a.rowid AS r, {RECORD_COLUMNS} FROM articles a WHERE " + " AND ".join([*where, "a.rowid > ?"])
        last = 0
        # page by rowid so a long export does not hold one read transaction open on a growing WAL
        while True:
            page = self.conn.execute(sql + " ORDER BY a.rowid LIMIT 500", (*args, last)).fetchall()
            if not page:
                return
            for row in page:
                yield Article.from_dict(record_of(row))
            last = page[-1]["r"]

    def count_articles(
        self, *, source: str | None = None, date_from: str | None = None, date_to: str | None = None
    ) -> int:
        """How many articles :meth:`iter_articles` yields for the same filters."""
        where, args = _article_filter(source, date_from, date_to)
        sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self.conn.execute(sql, args).fetchone()[0])

    def search(self, query: str = "", **kw: Any) -> list[Any]:
        """Full-text search; see :func:`marsad.store.search.search` for the options."""
        from marsad.store.search import search

        return search(self.conn, query, **kw)

    def rejects(
        self,
        *,
        stage: str | None = None,
        code: str | None = None,
        limit: int = 100,
        offset: int = 0,
        with_raw: bool = False,
    ) -> list[dict[str, Any]]:
        where, args = [], []
        if stage:
            where.append("stage = ?")
            args.append(stage)
        if code:
            where.append("code = ?")
            args.append(code)
        cols = "id, stage, code, reason, source, article_id, raw_is_text, raw_pointer, attrs, created_at, length(raw) AS raw_bytes"
        if with_raw:
            cols += ", raw"
        sql = f"SELECT {cols} FROM rejects" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.conn.execute(sql + " ORDER BY id LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["attrs"] = json.loads(d["attrs"] or "{}")
            if with_raw and d.get("raw") is not None and d["raw_is_text"]:
                d["raw"] = bytes(d["raw"]).decode("utf-8", "replace")
            out.append(d)
        return out

    def stats(self) -> dict[str, Any]:
        c = self.conn
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        first, last = c.execute("SELECT min(published), max(published) FROM articles").fetchone()
        return {
            "path": str(self.path),
            "schema_version": self.version,
            "articles": one("SELECT count(*) FROM articles"),
            "published_from": first,
            "published_to": last,
            "sources": {
                r[0]: r[1]
                for r in c.execute(
                    "SELECT source, count(*) n FROM articles GROUP BY source ORDER BY n DESC, source LIMIT 20"
                )
            },
            "entities": one("SELECT count(*) FROM entities"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "events": one("SELECT count(*) FROM events"),
            "rejects": one("SELECT count(*) FROM rejects"),
            "rejects_by": {
                f"{r[0]}/{r[1]}": r[2]
                for r in c.execute(
                    "SELECT stage, code, count(*) n FROM rejects GROUP BY stage, code ORDER BY n DESC"
                )
            },
            "hooks": [h.name for h in self.hooks],
            "bytes": self.path.stat().st_size if self.path.exists() else 0,
        }


def _article_filter(source: str | None, date_from: str | None, date_to: str | None) -> tuple[list[str], list[Any]]:
    """The conditions on ``articles a`` of :meth:`Store.iter_articles` / :meth:`Store.count_articles` (one
    builder for every search and listing: :func:`marsad.store.search.filter_sql`)."""
    from marsad.store.search import filter_sql

    return filter_sql(sources=(source,) if source else (), date_from=date_from, date_to=date_to)


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)

"""Full-text search over the store: FTS5 + bm25, Arabic normalisation on both sides, filters on metadata and on
what the analysis stages found (actors, event types)."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from marsad.errors import QueryError
from marsad.lang.ar.normalize import normalize_with_map
from marsad.store.core import _filters
from marsad.store.index import fts_query, query_terms

# bm25 column weights: title, body, stems (a stem hit is a weaker signal than the surface form)
WEIGHTS = (3.0, 1.0, 0.6)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    title: str | None
    source: str
    url: str | None
    published: str | None
    score: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _match_sql(query: str, syntax: str) -> str:
    q = fts_query(query, syntax=syntax)
    if not q.strip():
        raise QueryError(f"query {query!r} has no searchable words", code="E401")
    return q


def search(
    conn: sqlite3.Connection,
    query: str = "",
    *,
    source: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    limit: int = 20,
    offset: int = 0,
    syntax: str = "auto",
    snippet_chars: int = 160,
) -> list[SearchHit]:
    """Best matches first (bm25). An empty query lists the filtered articles, newest first.

    ``query`` uses FTS5 syntax when it contains any of its operators (``"phrase"``, ``OR``, ``NOT``, ``word*``,
    ``title: word``, parentheses); otherwise every word is required. A query FTS5 cannot parse raises
    :class:`~marsad.errors.QueryError` with SQLite's reason."""
    where, args = _filters(
        source=source, date_from=date_from, date_to=date_to, actor=actor, event_type=event_type
    )
    if query.strip():
        match = _match_sql(query, syntax)
        sql = (
            f"SELECT a.id, a.title, a.source, a.url, a.published, a.body, bm25(articles_fts, {', '.join(map(str, WEIGHTS))}) AS score "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ?"
            + "".join(f" AND {w}" for w in where)
            + " ORDER BY score LIMIT ? OFFSET ?"
        )
        params: list[Any] = [match, *args, limit, offset]
    else:
        sql = (
            "SELECT a.id, a.title, a.source, a.url, a.published, a.body, 0.0 AS score FROM articles a"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?"
        )
        params = [*args, limit, offset]
    rows = _run(conn, sql, params, query)
    terms = query_terms(query)
    return [
        SearchHit(
            r["id"],
            r["title"],
            r["source"],
            r["url"],
            r["published"],
            round(-float(r["score"]), 4),
            snippet(r["body"] or r["title"] or "", terms, width=snippet_chars),
        )
        for r in rows
    ]


def count(conn: sqlite3.Connection, query: str = "", *, syntax: str = "auto", **filters: Any) -> int:
    """How many articles :func:`search` would find without ``limit``."""
    where, args = _filters(**filters)
    if query.strip():
        sql = (
            "SELECT count(*) FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ?" + "".join(f" AND {w}" for w in where)
        )
        params: list[Any] = [_match_sql(query, syntax), *args]
    else:
        sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
        params = list(args)
    return int(_run(conn, sql, params, query)[0][0])


def _run(conn: sqlite3.Connection, sql: str, params: list[Any], query: str) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        msg = str(e)
        if any(
            k in msg
            for k in ("fts5", "syntax error", "no such column", "unterminated", "unknown special query")
        ):
            raise QueryError(
                f"cannot parse search query {query!r}: {msg}. Put phrases in double quotes; operators are "
                "AND, OR, NOT (upper case), word* for prefixes, title: for the title only.",
                code="E400",
            ) from e
        raise


def snippet(body: str, terms: list[str], *, width: int = 160) -> str:
    """A window of ``body`` around the first query word (matched on normalised text, cut on the original)."""
    if not body:
        return ""
    if not terms:
        return _cut(body, 0, width)
    norm = normalize_with_map(body)
    best = -1
    for t in terms:
        i = norm.text.find(t)
        if i >= 0 and (best < 0 or i < best):
            best = i
    if best < 0:
        return _cut(body, 0, width)
    start = norm.offsets[best]
    return _cut(body, max(0, start - width // 3), width)


def _cut(body: str, start: int, width: int) -> str:
    # widen to word boundaries so the snippet does not begin or end mid-word
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    end = min(len(body), start + width)
    while end < len(body) and not body[end].isspace():
        end += 1
    s = " ".join(body[start:end].split())
    return ("… " if start > 0 else "") + s + (" …" if end < len(body) else "")

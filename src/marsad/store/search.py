"""Full-text search over the store: FTS5 + bm25, Arabic normalisation on both sides, filters on metadata and on
what the analysis stages found (actors, event types).

Ranking is done on the FTS index alone, then only the page of hits is joined to ``articles`` (joining every match
first costs a row read per match). A query matching more than ``RANK_WINDOW`` articles (a very common word) is
ranked by bm25 among its ``RANK_WINDOW`` most recently stored matches: ranking all of them costs time linear in
their number (~2 µs each) and a news user asking for one ubiquitous word wants recent best matches, not the best
of ten years. ``count`` still reports every match.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from marsad.errors import QueryError
from marsad.store.core import _filters
from marsad.store.index import fts_query, query_terms

# bm25 column weights: title, body, stems (a stem hit is a weaker signal than the surface form)
WEIGHTS = (3.0, 1.0, 0.6)
RANK_WINDOW = 5000
_BM25 = f"bm25(articles_fts, {', '.join(map(str, WEIGHTS))})"


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
    rank_window: int = RANK_WINDOW,
) -> list[SearchHit]:
    """Best matches first (bm25). An empty query lists the filtered articles, newest first.

    ``query`` uses FTS5 syntax when it contains any of its operators (``"phrase"``, ``OR``, ``NOT``, ``word*``,
    ``title: word``, parentheses); otherwise every word is required. A query FTS5 cannot parse raises
    :class:`~marsad.errors.QueryError` with SQLite's reason."""
    where, args = _filters(
        source=source, date_from=date_from, date_to=date_to, actor=actor, event_type=event_type
    )
    cols = "a.id, a.title, a.source, a.url, a.published, a.body"
    if not query.strip():
        sql = (
            f"SELECT {cols}, 0.0 AS score FROM articles a"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?"
        )
        rows: list[Any] = _run(conn, sql, [*args, limit, offset], query)
    else:
        match = _match_sql(query, syntax)
        top = _ranked(conn, query, match, where, args, limit + offset, rank_window)[offset:]
        if not top:
            return []
        # phase 2: display columns for this page only
        by_rowid = {
            r["rowid"]: r
            for r in conn.execute(
                f"SELECT a.rowid AS rowid, {cols} FROM articles a WHERE a.rowid IN ({','.join('?' * len(top))})",
                [t["r"] for t in top],
            )
        }
        rows = [{**dict(by_rowid[t["r"]]), "score": t["score"]} for t in top if t["r"] in by_rowid]
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


def _ranked(
    conn: sqlite3.Connection, query: str, match: str, where: list[str], args: list[Any], n: int, window: int
) -> list[sqlite3.Row]:
    """The ``n`` best (rowid, score) pairs, from the index plus the narrow filter table only.

    Ranked within the ``window`` most recent matches of the query; when filters leave fewer than ``n`` hits there,
    the window widens (x8) until it covers every match."""
    src = "articles_fts" + (" JOIN article_filters a ON a.rowid = articles_fts.rowid" if where else "")
    cond = "articles_fts MATCH ?" + "".join(f" AND {w}" for w in where)
    while True:
        cut = _run(
            conn,
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            [match, window - 1],
            query,
        )
        c, params = (
            (cond + " AND articles_fts.rowid >= ?", [match, *args, cut[0][0]])
            if cut
            else (cond, [match, *args])
        )
        top = _run(
            conn,
            f"SELECT articles_fts.rowid AS r, {_BM25} AS score FROM {src} WHERE {c} "
            "ORDER BY score, articles_fts.rowid DESC LIMIT ?",
            [*params, n],
            query,
        )
        if not cut or len(top) >= n:
            return top
        window *= 8


def count(conn: sqlite3.Connection, query: str = "", *, syntax: str = "auto", **filters: Any) -> int:
    """How many articles :func:`search` would find without ``limit``."""
    where, args = _filters(**filters)
    if query.strip():
        sql = (
            "SELECT count(*) FROM articles_fts"
            + (" JOIN article_filters a ON a.rowid = articles_fts.rowid" if where else "")
            + " WHERE articles_fts MATCH ?"
            + "".join(f" AND {w}" for w in where)
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


# Original characters that normalise to each folded letter (see marsad.lang.ar.normalize), so a snippet can find
# a normalised query word in the original body with one regex instead of normalising the whole body.
_VARIANTS = {"ا": "اأإآٱٲٳ", "ي": "يىیېئ", "ه": "هةۀە", "و": "وؤ", "ك": "كکڪ"}
_MARKS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]*"


@lru_cache(maxsize=1024)
def _term_regex(term: str) -> re.Pattern[str]:
    parts = []
    for ch in term:
        alts = _VARIANTS.get(ch)
        parts.append(f"[{alts}]" if alts else re.escape(ch))
    return re.compile(_MARKS.join(parts), re.IGNORECASE)


def snippet(body: str, terms: list[str], *, width: int = 160) -> str:
    """A window of ``body`` around the first query word (any spelling variant), cut at word boundaries."""
    if not body:
        return ""
    best = -1
    for t in terms:
        m = _term_regex(t).search(body)
        if m and (best < 0 or m.start() < best):
            best = m.start()
    if best < 0:
        return _cut(body, 0, width)
    return _cut(body, max(0, best - width // 3), width)


def _cut(body: str, start: int, width: int) -> str:
    # widen to word boundaries so the snippet does not begin or end mid-word
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    end = min(len(body), start + width)
    while end < len(body) and not body[end].isspace():
        end += 1
    s = " ".join(body[start:end].split())
    return ("… " if start > 0 else "") + s + (" …" if end < len(body) else "")

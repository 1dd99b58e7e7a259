"""Read-only SQL for the HTTP API and the web UI (parameterised only: user values never reach SQL text).

The tables are the store's (``marsad.store.schema``) and the dedup room's stories tables; a table that is not
there yet (an older store, a room not landed) gives empty answers rather than errors.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

import numpy as np

from marsad.api.db import Database, decode_record
from marsad.errors import QueryError
from marsad.lang.ar.normalize import normalize

# PLOVER categories → GDELT-style quad class (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material
# conflict), used only when the events stage left quad_class empty.
PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "INVESTIGATE": 3, "DEMAND": 3, "DISAPPROVE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4, "FIGHT": 4, "CRIME": 4,
}  # fmt: skip
PLOVER_TYPES = tuple(PLOVER_QUAD)
FACET_SAMPLE = 5_000  # facets are computed over at most this many matching articles
_COUNTRY = re.compile(r"^[A-Z]{3}$")


def quad_of(ev_type: str | None, quad: int | None) -> int | None:
    return int(quad) if quad else PLOVER_QUAD.get((ev_type or "").upper())


# --- full-text search ----------------------------------------------------------------------------------------
def fts_match(query: str) -> str:
    """The MATCH expression for a user query (the store's own translation when it has one)."""
    try:
        from marsad.store.index import fts_query
    except ImportError:  # pragma: no cover - store room absent
        words = re.findall(r"[^\W_]+", normalize(query))
        return " ".join(f'"{w}"' for w in words)
    return fts_query(query)


def query_terms(query: str) -> list[str]:
    try:
        from marsad.store.index import query_terms as qt
    except ImportError:  # pragma: no cover
        return re.findall(r"[^\W_]+", normalize(query))
    return qt(query)


def _article_filters(*, date_from: str | None, date_to: str | None, source: str | None, actor: str | None,
                     event_type: str | None, indexed: bool = False) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``a`` (``articles`` or its narrow copy ``article_filters``: same rowids, same columns).

    ``indexed``: the store has the actor / event-type tables of schema v5, so those filters are one primary-key
    probe per candidate row (``EXISTS``) instead of a set built from ``entities`` by article id on every query."""
    where: list[str] = []
    args: list[Any] = []
    if date_from:
        where.append("a.published >= ?")
        args.append(date_from)
    if date_to:
        where.append("a.published <= ?")
        args.append(date_to)
    if source:
        where.append("a.source = ?")
        args.append(source)
    if actor:
        where.append("EXISTS (SELECT 1 FROM article_actors x WHERE x.actor_id = ? AND x.article_rowid = a.rowid)"
                     if indexed else "a.id IN (SELECT article_id FROM entities WHERE actor_id = ?)")
        args.append(actor)
    if event_type:
        where.append("EXISTS (SELECT 1 FROM article_event_types y WHERE y.type = ? AND y.article_rowid = a.rowid)"
                     if indexed else "a.id IN (SELECT article_id FROM events WHERE type = ?)")
        args.append(event_type.upper())
    return where, args


def _indexed(db: Database) -> bool:
    return db.has("article_filters", "article_actors", "article_event_types")


def _driven_listing(actor: str | None, event_type: str | None, date_from: str | None, date_to: str | None,
                    source: str | None, direction: str, n: int, offset: int) -> tuple[str, list[Any]]:
    """Rowids of the newest/oldest articles with an actor and/or event type, walking the event type's (else the
    actor's) (value, published) index in date order and probing the other filters per row: stops after ``n`` rows
    instead of collecting and sorting every article the filters match. (A rare combination of two common values
    walks far; still index-only, ~1 µs a row.)"""
    value: str | None
    if event_type:
        table, col, value = "article_event_types", "type", event_type.upper()
    else:
        table, col, value = "article_actors", "actor_id", actor
    where = [f"d.{col} = ?"]
    args: list[Any] = [value]
    if date_from:
        where.append("d.published >= ?")
        args.append(date_from)
    if date_to:
        where.append("d.published <= ?")
        args.append(date_to)
    if event_type and actor:
        where.append("EXISTS (SELECT 1 FROM article_actors x WHERE x.actor_id = ? AND x.article_rowid = d.article_rowid)")
        args.append(actor)
    if source:
        where.append("EXISTS (SELECT 1 FROM article_filters s WHERE s.rowid = d.article_rowid AND s.source = ?)")
        args.append(source)
    sql = (f"SELECT d.article_rowid AS r FROM {table} d WHERE {' AND '.join(where)} "
           f"ORDER BY d.published {direction}, d.article_rowid {direction} LIMIT ? OFFSET ?")
    return sql, [*args, n, offset]


def _page_rows(conn: sqlite3.Connection, cols: str, rowids: list[int]) -> list[sqlite3.Row]:
    """Display columns for one page of rowids, in the given order (only the shown rows touch ``articles``)."""
    if not rowids:
        return []
    got = {r["rowid_"]: r for r in conn.execute(
        f"SELECT a.rowid AS rowid_, {cols} FROM articles a WHERE a.rowid IN ({','.join('?' * len(rowids))})",
        rowids)}
    return [got[r] for r in rowids if r in got]


RANK_WINDOW = 1_000  # bm25 is computed over at most this many matches (the most recently stored ones)
FILTERED_WINDOW = 500  # with filters every match in the window costs a join, so the window is smaller


def _page_total(rows: list[sqlite3.Row], limit: int, offset: int) -> tuple[int, bool, list[sqlite3.Row]]:
    """Total for a filtered query without counting every match (a count through joins costs more than the
    page): exact when this is the last page, else a lower bound saying there is at least one more."""
    if len(rows) > limit:
        return offset + limit + 1, True, rows[:limit]
    return offset + len(rows), False, rows


def search_articles(db: Database, *, q: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, source: str | None = None, actor: str | None = None,
                    event_type: str | None = None, sort: str = "auto", limit: int = 20, offset: int = 0,
                    facets: bool = False) -> dict[str, Any]:
    """Articles matching ``q`` (FTS5 over normalised text) and filters, ``limit`` from ``offset``.

    Bounded cost whatever the query, so that a word found in half the archive answers as fast as a rare one:
    relevance (bm25) ranks the ``RANK_WINDOW`` most recently stored matches (all of them when there are fewer,
    and ``ranked_window`` says so when there are more); totals are exact from the FTS index for an unfiltered
    query, and for a filtered one exact on its last page, else a lower bound (``total_is_lower_bound``)."""
    key = ("search", q, date_from, date_to, source, actor, event_type, sort, limit, offset, facets)
    return db.memo(key, lambda: _search_articles(db, q=q, date_from=date_from, date_to=date_to, source=source,
                                                 actor=actor, event_type=event_type, sort=sort, limit=limit,
                                                 offset=offset, facets=facets))


def _search_articles(db: Database, *, q: str | None, date_from: str | None, date_to: str | None,
                     source: str | None, actor: str | None, event_type: str | None, sort: str, limit: int,
                     offset: int, facets: bool) -> dict[str, Any]:
    conn = db.conn()
    indexed = _indexed(db)
    where, args = _article_filters(date_from=date_from, date_to=date_to, source=source, actor=actor,
                                   event_type=event_type, indexed=indexed)
    match = fts_match(q) if q and q.strip() else ""
    if q and q.strip() and not match.strip():
        raise QueryError("the query has no searchable words", code="E401")
    if sort == "auto":
        sort = "relevance" if match else "newest"
    if sort == "relevance" and not match:
        sort = "newest"
    cols = ("a.id, a.title, a.source, a.url, a.published, a.published_time, a.body, "
            + ", ".join(f"a.{c}" for c in _count_cols(db)))
    # Phase 1 finds the page's rowids from the FTS index and the narrow filter tables only; phase 2 reads the
    # display columns (body for the snippet) of those <= limit + 1 rows from the wide ``articles`` table.
    narrow = "article_filters" if indexed else "articles"
    window = False
    if match:
        filt = "".join(f" AND {w}" for w in where)
        # date/source conditions need the filter row; actor/type probes only need the rowid
        needs_row = bool(date_from or date_to or source) or not indexed
        src = f"articles_fts f JOIN {narrow} a ON a.rowid = f.rowid" if needs_row else "articles_fts f"
        if not needs_row:
            filt = filt.replace("a.rowid", "f.rowid")
        if sort == "relevance":
            # the window: matches in descending rowid order (FTS5 walks its doclist backwards and stops early),
            # ranked by bm25 inside it
            if where:
                inner = (f"SELECT f.rowid AS r, bm25(articles_fts, {_weights()}) AS s FROM {src} "
                         f"WHERE articles_fts MATCH ?{filt} ORDER BY f.rowid DESC LIMIT {FILTERED_WINDOW}")
            else:
                inner = (f"SELECT rowid AS r, bm25(articles_fts, {_weights()}) AS s FROM articles_fts "
                         f"WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT {RANK_WINDOW}")
            sql = f"SELECT r FROM ({inner}) ORDER BY s LIMIT ? OFFSET ?"
        else:
            direction = "DESC" if sort == "newest" else "ASC"
            sql = (f"SELECT a.rowid AS r FROM {narrow} a WHERE a.rowid IN (SELECT rowid FROM articles_fts WHERE "
                   f"articles_fts MATCH ?){''.join(f' AND {w}' for w in where)} "
                   f"ORDER BY a.published {direction}, a.rowid {direction} LIMIT ? OFFSET ?")
        rowids = [r[0] for r in _run(conn, sql, [match, *args, limit + 1, offset])]
        rows = _page_rows(conn, cols, rowids)
        if where:
            total, capped, rows = _page_total(rows, limit, offset)
        else:
            total = _run(conn, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [match])[0][0]
            capped, rows = False, rows[:limit]
        cap = FILTERED_WINDOW if where else RANK_WINDOW
        window = sort == "relevance" and (total > cap or capped)
    else:
        direction = "ASC" if sort == "oldest" else "DESC"
        if indexed and (actor or event_type):
            sql, largs = _driven_listing(actor, event_type, date_from, date_to, source, direction, limit + 1,
                                         offset)
        else:
            where_sql = (" WHERE " + " AND ".join(where)) if where else ""
            sql = (f"SELECT a.rowid AS r FROM {narrow} a{where_sql} ORDER BY a.published {direction}, "
                   f"a.rowid {direction} LIMIT ? OFFSET ?")
            largs = [*args, limit + 1, offset]
        rows = _page_rows(conn, cols, [r[0] for r in _run(conn, sql, largs)])
        if where:
            total, capped, rows = _page_total(rows, limit, offset)
        else:
            total, capped = conn.execute("SELECT count(*) FROM articles").fetchone()[0], False
            rows = rows[:limit]
    terms = query_terms(q) if q and match else []
    items = [_article_item(r, terms) for r in rows]
    out: dict[str, Any] = {"total": total, "total_is_lower_bound": capped, "limit": limit, "offset": offset,
                           "sort": sort, "ranked_window": (FILTERED_WINDOW if where else RANK_WINDOW) if window else None, "items": items}
    if facets:
        base_from = f"{narrow} a"
        fargs = list(args)
        fwhere = list(where)
        if match:
            fwhere.insert(0, "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            fargs.insert(0, match)
        out["facets"] = search_facets(db, base_from, (" WHERE " + " AND ".join(fwhere)) if fwhere else "", fargs)
    return out


def _weights() -> str:
    try:
        from marsad.store.search import WEIGHTS
    except ImportError:  # pragma: no cover
        WEIGHTS = (3.0, 1.0, 0.6)
    return ", ".join(str(float(w)) for w in WEIGHTS)


def _count_cols(db: Database) -> list[str]:
    def compute() -> list[str]:
        have = {r[1] for r in db.conn().execute("PRAGMA table_info(articles)")}
        return [c for c in ("n_entities", "n_quotes", "n_events") if c in have]

    return db.cached("article_count_cols", compute, ttl=60)


def _run(conn: sqlite3.Connection, sql: str, args: list[Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:
        msg = str(e)
        if any(k in msg for k in ("fts5", "syntax error", "no such column", "unterminated", "unknown special query")):
            # FTS5 reports query syntax problems as OperationalError; they are the user's to fix → 400.
            raise QueryError(
                f"cannot parse the search query: {msg}. Put phrases in double quotes; operators are AND, OR, NOT "
                "(upper case), word* for prefixes, title: for the title only.", code="E402") from e
        raise


def _article_item(r: sqlite3.Row, terms: list[str]) -> dict[str, Any]:
    keys = r.keys()
    snippet, marks = make_snippet(r["body"] or "", terms)
    item = {
        "id": r["id"], "title": r["title"], "source": r["source"], "url": r["url"], "published": r["published"],
        "published_time": r["published_time"], "snippet": snippet, "snippet_marks": marks,
    }
    for c in ("n_entities", "n_quotes", "n_events"):
        if c in keys:
            item[c] = r[c]
    return item


def make_snippet(body: str, terms: list[str], *, width: int = 220) -> tuple[str, list[list[int]]]:
    """A plain-text window of ``body`` around the first query term, and [start, end) ranges of the terms in it.

    The store's FTS index is contentless (no snippet()), so the window is found here: the body is folded with
    one ``str.translate`` (a table derived from :func:`marsad.lang.ar.normalize` itself, so both sides agree)
    and hits are mapped back to the original characters through the positions of the dropped marks."""
    if not body:
        return "", []
    # Most first hits are early: fold a prefix, and the whole body only when the prefix has none.
    head = body[:PREFIX] if len(body) > PREFIX * 1.5 else body
    snippet = _snippet(head, body, terms, width)
    if snippet is None and head is not body:
        snippet = _snippet(body, body, terms, width)
    if snippet is None:
        cut = body[:width]
        return (cut + "…" if len(body) > width else cut), []
    return snippet


PREFIX = 1500


def _snippet(part: str, body: str, terms: list[str], width: int) -> tuple[str, list[list[int]]] | None:
    if _expand_regex().search(part):  # a ligature that folds to several letters: the exact (slower) map
        hits = _hits_folded(part, terms)
    else:
        hits = _hits_fast(part, terms, width)
    if not hits:
        return None
    hits.sort()
    first = hits[0][0]
    start = max(0, first - width // 3)
    while start > 0 and not body[start - 1].isspace() and first - start < width // 2:  # snap to a word start
        start -= 1
    end = min(len(body), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    marks: list[list[int]] = []
    for hs, he in hits:
        ms, me = hs - start + len(prefix), he - start + len(prefix)
        if hs >= start and he <= end and (not marks or ms >= marks[-1][1]):  # in the window, no overlap
            marks.append([ms, me])
    return prefix + body[start:end] + suffix, marks


def _hits_folded(part: str, terms: list[str]) -> list[tuple[int, int]]:
    folded, back = _fold_with_offsets(part)
    hits: list[tuple[int, int]] = []
    for t in dict.fromkeys(terms):
        t = t.lower()
        if not t:
            continue
        pos = folded.find(t)
        while pos >= 0 and len(hits) <= 100:
            hits.append(back(pos, pos + len(t)))
            pos = folded.find(t, pos + len(t))
    return hits


def _hits_fast(part: str, terms: list[str], width: int) -> list[tuple[int, int]]:
    """The same hits as :func:`_hits_folded` (fold, then find), with the fold done by numpy over code points:
    ``str.translate`` with a dict table costs ~0.1 µs per character on Arabic text (most of a search's snippet
    time), a table lookup over an array ~1 ns. Only hits that can fall in the snippet window are mapped back."""
    lut = _fold_lut()
    cps = np.frombuffer(part.encode("utf-32-le"), dtype=np.uint32)
    mapped = lut[cps]
    keep = np.flatnonzero(mapped != _DROP)
    folded = mapped[keep].tobytes().decode("utf-32-le")
    low = folded.lower()
    if len(low) == len(folded):
        folded = low
    n = len(part)
    hits: list[tuple[int, int]] = []
    for t in dict.fromkeys(terms):
        t = t.lower()
        if not t:
            continue
        pos = folded.find(t)
        while pos >= 0 and len(hits) <= 100:
            s, e = int(keep[pos]), int(keep[pos + len(t) - 1]) + 1
            while e < n and mapped[e] == _DROP:  # trailing harakat belong to the word
                e += 1
            hits.append((s, e))
            if hits[0][0] + width < s:
                break
            pos = folded.find(t, pos + len(t))
    return hits


_DROP = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _fold_lut() -> np.ndarray:
    """Code point -> folded code point (``_DROP`` for removed marks), from the same table as the exact path."""
    table, _ = _fold_table()
    lut = np.arange(0x110000, dtype=np.uint32)
    for cp, to in table.items():
        if to is None:
            lut[cp] = _DROP
        elif len(to) == 1:
            lut[cp] = ord(to)
    return lut


@lru_cache(maxsize=1)
def _expand_regex() -> re.Pattern[str]:
    table, _ = _fold_table()
    chars = [chr(cp) for cp, to in table.items() if to and len(to) > 1]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]" if chars else "(?!)")


@lru_cache(maxsize=1)
def _fold_table() -> tuple[dict[int, str | None], frozenset[str]]:
    """``str.translate`` table doing what normalize does character by character (Arabic blocks, presentation
    forms, format marks), and the set of characters it drops (harakat, tatweel, marks)."""
    table: dict[int, str | None] = {}
    drop = set()
    for cp in [*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900), *range(0xFB50, 0xFE00),
               *range(0xFE70, 0xFF00), 0x200C, 0x200D, 0x200E, 0x200F]:
        c = chr(cp)
        n = normalize(c)
        if n == "":
            table[cp] = None
            drop.add(c)
        elif n != c:
            table[cp] = n
    return table, frozenset(drop)


@lru_cache(maxsize=1)
def _drop_regex() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_fold_table()[1])) + "]")


def _fold_with_offsets(body: str) -> tuple[str, Any]:
    """(folded lower-case text, back(start, end) -> original (start, end))."""
    table, drop = _fold_table()
    folded = body.translate(table)
    low = folded.lower()
    if len(low) == len(folded):
        folded = low
    n = len(body)

    def extend(e: int) -> int:  # trailing harakat belong to the word
        while e < n and body[e] in drop:
            e += 1
        return e

    dels = [m.start() for m in _drop_regex().finditer(body)]
    if not dels and len(folded) == n:
        return folded, lambda s, e: (s, extend(e))
    if len(folded) + len(dels) != n:  # a fold that expands (ligatures): take the exact, slower map
        from marsad.lang.ar.normalize import normalize_with_map

        norm = normalize_with_map(body)
        text = norm.text.lower() if len(norm.text.lower()) == len(norm.text) else norm.text

        def back_map(s: int, e: int) -> tuple[int, int]:
            a, b = norm.to_original(s, e)
            return a, extend(b)

        return text, back_map
    shifted = [d - k for k, d in enumerate(dels)]  # deletion k sits just before this folded index

    def orig(i: int) -> int:
        return i + bisect_right(shifted, i)

    return folded, lambda s, e: (orig(s), extend(orig(e - 1) + 1) if e > s else orig(s))


def search_facets(db: Database, base_from: str, where_sql: str, args: list[Any]) -> dict[str, Any]:
    conn = db.conn()
    sub = f"SELECT a.id, a.source, a.published FROM {base_from}{where_sql} LIMIT {FACET_SAMPLE}"
    rows = _run(conn, sub, args)
    sources = Counter(r["source"] for r in rows)
    months = Counter((r["published"] or "")[:7] for r in rows if r["published"])
    ids = [r["id"] for r in rows]
    actors: list[dict[str, Any]] = []
    types: list[dict[str, Any]] = []
    if ids and db.has("entities"):
        marks = ",".join("?" * len(ids))
        ent = conn.execute(
            f"SELECT actor_id, max(name) AS name, max(type) AS type, count(DISTINCT article_id) AS n FROM entities "
            f"WHERE article_id IN ({marks}) AND actor_id IS NOT NULL GROUP BY actor_id ORDER BY n DESC LIMIT 15",
            ids).fetchall()
        shown = actor_names(db)
        actors = [{"value": r["actor_id"], "name": shown.get(r["actor_id"], r["name"]), "type": r["type"],
                   "count": r["n"]} for r in ent]
    if ids and db.has("events"):
        marks = ",".join("?" * len(ids))
        ev = conn.execute(
            f"SELECT type, count(DISTINCT article_id) AS n FROM events WHERE article_id IN ({marks}) "
            "GROUP BY type ORDER BY n DESC", ids).fetchall()
        types = [{"value": r["type"], "count": r["n"]} for r in ev]
    return {
        "sample": len(rows), "sampled": len(rows) >= FACET_SAMPLE,
        "sources": [{"value": k, "count": v} for k, v in sources.most_common(20)],
        "months": [{"value": k, "count": v} for k, v in sorted(months.items())],
        "actors": actors,
        "event_types": types,
    }


# --- one article ---------------------------------------------------------------------------------------------
def get_article(db: Database, article_id: str) -> dict[str, Any] | None:
    row = db.conn().execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    rec = decode_record(row["record"])
    story = story_of_article(db, article_id)
    if story:
        rec["story"] = story
    return rec


# --- actors --------------------------------------------------------------------------------------------------
def actor_index(db: Database) -> list[dict[str, Any]]:
    """Every actor key in the store with its names, normalised for spelling-insensitive lookup (cached)."""

    def compute() -> list[dict[str, Any]]:
        rows = db.conn().execute(
            "SELECT actor_id, name, type, country, count(*) AS n FROM entities WHERE actor_id IS NOT NULL "
            "GROUP BY actor_id, name").fetchall()
        by: dict[str, dict[str, Any]] = {}
        for r in rows:
            a = by.setdefault(r["actor_id"], {"id": r["actor_id"], "names": Counter(), "types": Counter(),
                                               "countries": Counter(), "n": 0})
            a["names"][r["name"]] += r["n"]
            a["types"][r["type"]] += r["n"]
            if r["country"]:
                a["countries"][r["country"]] += r["n"]
            a["n"] += r["n"]
        reg = _registry()
        out = []
        for a in by.values():
            names = [n for n, _ in a["names"].most_common()]
            spellings = list(names)
            ractor = reg.get(a["id"]) if reg is not None else None
            if ractor is not None:
                spellings += list(ractor.ar) + list(ractor.en) + [ractor.name]
            keys = {normalize(n).casefold() for n in spellings} | {normalize(a["id"].lstrip("~")).casefold()}
            arabic = [n for n in (list(ractor.ar) if ractor is not None else []) + names if _has_arabic(n)]
            out.append({"id": a["id"], "name": ractor.name if ractor is not None else names[0],
                        "name_ar": arabic[0] if arabic else names[0],
                        "names": list(dict.fromkeys(names + (list(ractor.ar[:5]) if ractor is not None else [])))[:10],
                        "type": a["types"].most_common(1)[0][0],
                        "country": a["countries"].most_common(1)[0][0] if a["countries"] else None,
                        "n_articles": a["n"], "_keys": keys,
                        "_name_keys": {k for k in (_name_key(n) for n in spellings) if k}})
        out.sort(key=lambda a: -a["n_articles"])
        return out

    if not db.has("entities"):
        return []
    return db.cached("actor_index", compute, ttl=10)


def _has_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


def _registry() -> Any:
    """The entities room's actor registry (canonical names, Arabic and English spellings), when installed."""
    try:
        from marsad.entities.registry import load_registry

        return load_registry()
    except (ImportError, OSError, ValueError):
        return None


def _name_key(name: str) -> str:
    """Transliteration-aware key (سيرغي لافروف = سيرجي لافروف) from the registry module, when present."""
    try:
        from marsad.entities.registry import name_key
    except ImportError:  # pragma: no cover
        return ""
    return name_key(name)


def search_actors(db: Database, q: str | None, *, type_: str | None = None, country: str | None = None,
                  limit: int = 20, offset: int = 0) -> dict[str, Any]:
    idx = actor_index(db)
    nq = normalize(q or "").casefold().strip()
    nk = _name_key(q) if q else ""
    hits = []
    for a in idx:
        if type_ and a["type"] != type_:
            continue
        if country and a["country"] != country:
            continue
        if nq:
            exact = nq in a["_keys"] or (nk and nk in a["_name_keys"])
            if not (exact or any(nq in k for k in a["_keys"])):
                continue
            score = 0 if exact else 1
        else:
            score = 0
        hits.append((score, -a["n_articles"], a))
    hits.sort(key=lambda t: (t[0], t[1]))
    items = [{k: v for k, v in a.items() if not k.startswith("_")} for _, _, a in hits[offset:offset + limit]]
    return {"total": len(hits), "limit": limit, "offset": offset, "items": items}


def get_actor(db: Database, actor_id: str) -> dict[str, Any] | None:
    if not db.has("entities"):
        return None
    conn = db.conn()
    rows = conn.execute(
        "SELECT e.name, e.type, e.country, e.sector, count(*) AS n, min(a.published) AS first, "
        "max(a.published) AS last FROM entities e JOIN articles a ON a.id = e.article_id "
        "WHERE e.actor_id = ? GROUP BY e.name, e.type, e.country, e.sector ORDER BY n DESC", (actor_id,)).fetchall()
    if not rows:
        return None
    n = sum(r["n"] for r in rows)
    firsts = [r["first"] for r in rows if r["first"]]
    lasts = [r["last"] for r in rows if r["last"]]
    types: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    sectors: Counter[str] = Counter()
    for r in rows:
        types[r["type"]] += r["n"]
        if r["country"]:
            countries[r["country"]] += r["n"]
        if r["sector"]:
            sectors[r["sector"]] += r["n"]
    counts = {"quotes": 0, "events": 0}
    if db.has("quotes"):
        counts["quotes"] = len(actor_quotes(db, actor_id, limit=1000)["items"])
    if db.has("events"):
        counts["events"] = len(actor_events(db, actor_id, limit=1000)["items"])
    reg = _registry()
    ractor = reg.get(actor_id) if reg is not None else None
    names = [r["name"] for r in rows] + (list(ractor.ar) if ractor is not None else [])
    return {
        "id": actor_id,
        "name": ractor.name if ractor is not None else rows[0]["name"],
        "name_ar": next((n for n in names if _has_arabic(n)), rows[0]["name"]),
        "names": list(dict.fromkeys(names))[:20],
        "type": types.most_common(1)[0][0],
        "country": countries.most_common(1)[0][0] if countries else None,
        "sector": sectors.most_common(1)[0][0] if sectors else None,
        "n_articles": n,
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
        "n_quotes": counts["quotes"],
        "n_events": counts["events"],
    }


def _json_has(col: str) -> str:
    return f"EXISTS (SELECT 1 FROM json_each({col}) WHERE value = ?)"


def actor_quotes(db: Database, actor_id: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    if not db.has("quotes"):
        return {"items": [], "limit": limit, "offset": offset}
    rows = db.conn().execute(
        "SELECT q.article_id, q.quote_id, q.kind, q.text, q.start, q.\"end\", q.cue, q.speaker_names, "
        "a.title, a.published, a.source FROM quotes q JOIN articles a ON a.id = q.article_id "
        "WHERE q.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?) AND "
        + _json_has("q.speaker_actors") +
        " ORDER BY a.published DESC, q.start LIMIT ? OFFSET ?", (actor_id, actor_id, limit, offset)).fetchall()
    return {"items": [_quote_item(r) for r in rows], "limit": limit, "offset": offset}


def _quote_item(r: sqlite3.Row) -> dict[str, Any]:
    import json

    return {
        "article_id": r["article_id"], "id": r["quote_id"], "kind": r["kind"], "text": r["text"],
        "start": r["start"], "end": r["end"], "cue": r["cue"], "speakers": json.loads(r["speaker_names"] or "[]"),
        "article_title": r["title"], "published": r["published"], "source": r["source"],
    }


EVENT_COLS = ("article_id", "event_id", "type", "date", "mode", "negated", "modality", "symmetric", "quad_class",
              "goldstein", "cameo", "confidence", "source_actors", "target_actors", "source_countries",
              "target_countries", "evidence_start", "evidence_end", "evidence_text")


def _event_item(r: sqlite3.Row, names: dict[str, str] | None = None) -> dict[str, Any]:
    import json

    d: dict[str, Any] = {c: r[c] for c in EVENT_COLS}
    d["id"] = d.pop("event_id")
    for c in ("source_actors", "target_actors", "source_countries", "target_countries"):
        d[c] = [x for x in json.loads(d[c] or "[]")]
    d["negated"] = bool(d["negated"])
    d["symmetric"] = bool(d["symmetric"])
    d["quad_class"] = quad_of(d["type"], d["quad_class"])
    if "published" in r.keys():
        d["published"] = r["published"]
        d["article_title"] = r["title"]
    if names is not None:
        d["source_names"] = [names.get(x, x) if x else None for x in d["source_actors"]]
        d["target_names"] = [names.get(x, x) if x else None for x in d["target_actors"]]
    return d


def actor_names(db: Database) -> dict[str, str]:
    """Display names, Arabic first (the registry's first Arabic spelling, else the most frequent stored one)."""
    return {a["id"]: a["name_ar"] for a in actor_index(db)}


def actor_events(db: Database, actor_id: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    if not db.has("events"):
        return {"items": [], "limit": limit, "offset": offset}
    rows = db.conn().execute(
        "SELECT ev.*, a.published, a.title FROM events ev JOIN articles a ON a.id = ev.article_id "
        "WHERE ev.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?) AND ("
        + _json_has("ev.source_actors") + " OR " + _json_has("ev.target_actors") +
        ") ORDER BY coalesce(ev.date, a.published) DESC LIMIT ? OFFSET ?",
        (actor_id, actor_id, actor_id, limit, offset)).fetchall()
    names = actor_names(db)
    return {"items": [_event_item(r, names) for r in rows], "limit": limit, "offset": offset}


def cooccurring(db: Database, actor_id: str, *, limit: int = 20) -> list[dict[str, Any]]:
    if not db.has("entities"):
        return []
    rows = db.conn().execute(
        "SELECT e2.actor_id, max(e2.name) AS name, max(e2.type) AS type, count(DISTINCT e2.article_id) AS n "
        "FROM entities e1 JOIN entities e2 ON e2.article_id = e1.article_id "
        "WHERE e1.actor_id = ? AND e2.actor_id IS NOT NULL AND e2.actor_id != e1.actor_id "
        "GROUP BY e2.actor_id ORDER BY n DESC, e2.actor_id LIMIT ?", (actor_id, limit)).fetchall()
    names = actor_names(db)
    return [{"id": r["actor_id"], "name": names.get(r["actor_id"], r["name"]), "type": r["type"],
             "n_articles": r["n"]} for r in rows]


def actor_timeline(db: Database, actor_id: str, *, by: str = "month") -> list[dict[str, Any]]:
    if not db.has("entities"):
        return []
    width = 7 if by == "month" else 10
    rows = db.conn().execute(
        "SELECT substr(a.published, 1, ?) AS bucket, count(DISTINCT a.id) AS n FROM entities e "
        "JOIN articles a ON a.id = e.article_id WHERE e.actor_id = ? AND a.published IS NOT NULL "
        "GROUP BY bucket ORDER BY bucket", (width, actor_id)).fetchall()
    return [{"bucket": r["bucket"], "articles": r["n"]} for r in rows]


# --- events --------------------------------------------------------------------------------------------------
def list_events(db: Database, *, type_: str | None = None, actor: str | None = None, country: str | None = None,
                date_from: str | None = None, date_to: str | None = None, quad_class: int | None = None,
                article_id: str | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    if not db.has("events"):
        return {"items": [], "limit": limit, "offset": offset}
    where: list[str] = []
    args: list[Any] = []
    if type_:
        where.append("ev.type = ?")
        args.append(type_.upper())
    if actor:
        where.append("ev.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?) AND ("
                     + _json_has("ev.source_actors") + " OR " + _json_has("ev.target_actors") + ")")
        args += [actor, actor, actor]
    if country:
        where.append("(" + _json_has("ev.source_countries") + " OR " + _json_has("ev.target_countries") + ")")
        args += [country, country]
    if date_from:
        where.append("coalesce(ev.date, a.published) >= ?")
        args.append(date_from)
    if date_to:
        where.append("coalesce(ev.date, a.published) <= ?")
        args.append(date_to)
    if quad_class:
        types = [t for t, qc in PLOVER_QUAD.items() if qc == quad_class]
        where.append(f"(ev.quad_class = ? OR (ev.quad_class IS NULL AND ev.type IN ({','.join('?' * len(types))})))")
        args += [quad_class, *types]
    if article_id:
        where.append("ev.article_id = ?")
        args.append(article_id)
    where_sql = (" WHERE " + " AND ".join(where)) if where else ""
    rows = db.conn().execute(
        f"SELECT ev.*, a.published, a.title FROM events ev JOIN articles a ON a.id = ev.article_id{where_sql} "
        "ORDER BY coalesce(ev.date, a.published) DESC, ev.article_id, ev.event_id LIMIT ? OFFSET ?",
        args + [limit, offset]).fetchall()
    names = actor_names(db)
    return {"items": [_event_item(r, names) for r in rows], "limit": limit, "offset": offset}


# --- relations -----------------------------------------------------------------------------------------------
def side(value: str) -> tuple[str, str]:
    """("country", "CHN") for an ISO3 code or ``country:CHN``; ("actor", key) otherwise."""
    if value.startswith("country:"):
        return "country", value.split(":", 1)[1].upper()
    if value.startswith("actor:"):
        return "actor", value.split(":", 1)[1]
    if _COUNTRY.match(value):
        return "country", value
    return "actor", value


def _side_sql(kind: str, role: str) -> str:
    col = f"ev.{role}_{'countries' if kind == 'country' else 'actors'}"
    return _json_has(col)


def _prefilter(kind: str) -> str:
    col = "country" if kind == "country" else "actor_id"
    return f"ev.article_id IN (SELECT article_id FROM entities WHERE {col} = ?)"


def relation_events(db: Database, a: str, b: str, *, limit: int = 5000) -> list[dict[str, Any]]:
    if not db.has("events", "entities"):
        return []
    ka, va = side(a)
    kb, vb = side(b)
    sql = (
        "SELECT ev.*, a.published, a.title FROM events ev JOIN articles a ON a.id = ev.article_id WHERE "
        f"{_prefilter(ka)} AND {_prefilter(kb)} AND (({_side_sql(ka, 'source')} AND {_side_sql(kb, 'target')}) "
        f"OR ({_side_sql(kb, 'source')} AND {_side_sql(ka, 'target')})) "
        "ORDER BY coalesce(ev.date, a.published) LIMIT ?"
    )
    rows = db.conn().execute(sql, (va, vb, va, vb, vb, va, limit)).fetchall()
    names = actor_names(db)
    return [_event_item(r, names) for r in rows]


def relations(db: Database, a: str, b: str, *, by: str = "month") -> dict[str, Any]:
    """Cooperation vs conflict between two actors or countries over time (both directions)."""
    evs = relation_events(db, a, b)
    width = 7 if by == "month" else 10
    buckets: dict[str, dict[str, Any]] = defaultdict(lambda: {"cooperation": 0, "conflict": 0, "goldstein": 0.0,
                                                             "n": 0, "quad": [0, 0, 0, 0]})
    ka, va = side(a)
    by_dir: Counter[str] = Counter()
    for ev in evs:
        day = ev["date"] or ev.get("published")
        if not day:
            continue
        bk = buckets[day[:width]]
        qc = ev["quad_class"]
        if qc in (1, 2):
            bk["cooperation"] += 1
        elif qc in (3, 4):
            bk["conflict"] += 1
        if qc:
            bk["quad"][qc - 1] += 1
        if ev["goldstein"] is not None:
            bk["goldstein"] += float(ev["goldstein"])
        bk["n"] += 1
        src = ev["source_countries"] if ka == "country" else ev["source_actors"]
        by_dir["a_to_b" if va in src else "b_to_a"] += 1
    series = []
    for k in sorted(buckets):
        v = buckets[k]
        series.append({"bucket": k, "cooperation": v["cooperation"], "conflict": v["conflict"],
                       "verbal_cooperation": v["quad"][0], "material_cooperation": v["quad"][1],
                       "verbal_conflict": v["quad"][2], "material_conflict": v["quad"][3],
                       "goldstein_mean": round(v["goldstein"] / v["n"], 2) if v["n"] else None, "events": v["n"]})
    names = actor_names(db)
    return {
        "a": {"kind": ka, "id": va, "name": names.get(va, va)},
        "b": {"kind": side(b)[0], "id": side(b)[1], "name": names.get(side(b)[1], side(b)[1])},
        "by": by, "series": series, "directions": dict(by_dir),
        "totals": {"events": len(evs), "cooperation": sum(s["cooperation"] for s in series),
                   "conflict": sum(s["conflict"] for s in series)},
        "events": evs[-50:][::-1],
    }


def interaction_graph(db: Database, *, actor: str | None = None, limit: int = 60,
                      min_events: int = 1) -> dict[str, Any]:
    """Who interacts with whom: nodes are actors, edges count events between them (either direction) with the
    share that is cooperation. Around one actor when ``actor`` is given, else the busiest pairs overall."""
    if not db.has("events"):
        return {"nodes": [], "edges": []}

    def compute() -> dict[str, Any]:
        import json

        conn = db.conn()
        if actor:
            rows = conn.execute(
                "SELECT ev.type, ev.quad_class, ev.source_actors, ev.target_actors FROM events ev WHERE "
                "ev.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?)", (actor,)).fetchall()
        else:
            rows = conn.execute("SELECT type, quad_class, source_actors, target_actors FROM events").fetchall()
        edges: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for r in rows:
            qc = quad_of(r["type"], r["quad_class"])
            for s in json.loads(r["source_actors"] or "[]"):
                for t in json.loads(r["target_actors"] or "[]"):
                    if not s or not t or s == t:
                        continue
                    if actor and actor not in (s, t):
                        continue
                    key = (s, t) if s < t else (t, s)
                    e = edges[key]
                    e[0] += 1
                    if qc in (1, 2):
                        e[1] += 1
                    elif qc in (3, 4):
                        e[2] += 1
        top = sorted(((k, v) for k, v in edges.items() if v[0] >= min_events), key=lambda kv: -kv[1][0])[:limit]
        names = actor_names(db)
        idx = {a["id"]: a for a in actor_index(db)}
        deg: Counter[str] = Counter()
        for (s, t), v in top:
            deg[s] += v[0]
            deg[t] += v[0]
        nodes = [{"id": n, "name": names.get(n, n), "type": idx.get(n, {}).get("type"),
                  "country": idx.get(n, {}).get("country"), "weight": w} for n, w in deg.most_common()]
        return {"nodes": nodes, "edges": [{"source": s, "target": t, "events": v[0], "cooperation": v[1],
                                           "conflict": v[2]} for (s, t), v in top]}

    return db.cached(f"graph:{actor}:{limit}:{min_events}", compute, ttl=30)


# --- stories (the dedup room's tables, read through marsad.dedup) ---------------------------------------------
def _dedup() -> Any:
    try:
        import marsad.dedup as dedup
    except ImportError:  # pragma: no cover - dedup room absent
        return None
    return dedup


def story_of_article(db: Database, article_id: str) -> dict[str, Any] | None:
    """The article's copies and story (``marsad.dedup.describe``), or None when dedup has not indexed it."""
    dedup = _dedup()
    if dedup is None:
        return None
    d = dedup.describe(db.conn(), article_id)
    if not d.get("indexed"):
        return None
    return d


def list_stories(db: Database, *, limit: int = 50, offset: int = 0, min_size: int = 2) -> dict[str, Any]:
    dedup = _dedup()
    items = dedup.list_stories(db.conn(), min_articles=min_size, limit=limit, offset=offset) if dedup else []
    return {"items": items, "limit": limit, "offset": offset}


def get_story(db: Database, story_id: str) -> dict[str, Any] | None:
    dedup = _dedup()
    if dedup is None:
        return None
    s = dedup.story(db.conn(), story_id)
    if s is None:
        return None
    names = actor_names(db)
    for ev in s.get("events") or ():
        for k in ("source", "target"):
            ev[f"{k}_name"] = names.get(ev.get(k) or "", ev.get(k))
    return s


# --- stats ---------------------------------------------------------------------------------------------------
def stats(db: Database) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        conn = db.conn()
        out: dict[str, Any] = {}
        row = conn.execute("SELECT count(*), min(published), max(published) FROM articles").fetchone()
        out["articles"] = row[0]
        out["first_published"], out["last_published"] = row[1], row[2]
        out["sources"] = [{"value": r[0], "count": r[1]} for r in conn.execute(
            "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY n DESC LIMIT 50")]
        for t in ("entities", "quotes", "events", "rejects"):
            out[t] = conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if db.has(t) else 0
        out["actors"] = len(actor_index(db))
        out["event_types"] = [{"value": r[0], "count": r[1]} for r in conn.execute(
            "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC")] if db.has("events") else []
        if db.has("rejects"):
            out["rejects_by_code"] = [{"stage": r[0], "code": r[1], "count": r[2]} for r in conn.execute(
                "SELECT stage, code, count(*) FROM rejects GROUP BY stage, code ORDER BY 3 DESC")]
        out["stories"] = (conn.execute("SELECT count(*) FROM stories WHERE n_articles >= 2").fetchone()[0]
                          if db.has("stories") else 0)
        return out

    return db.cached("stats", compute, ttl=10)

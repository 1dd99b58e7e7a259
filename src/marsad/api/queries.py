"""Read-only SQL for the HTTP API and the web UI (parameterised only: user values never reach SQL text).

The tables are the store's (``marsad.store.schema``) and the dedup room's stories tables; a table that is not
there yet (an older store, a room not landed) gives empty answers rather than errors.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import sqlite3
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import numpy as np

from marsad.api.db import Database
from marsad.entities.names import has_arabic, latin_name
from marsad.events import plover
from marsad.lang.ar.normalize import normalize
from marsad.store import search as S
from marsad.store.core import body_of, record_of

# PLOVER categories → GDELT-style quad class (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material
# conflict), used only when the events stage left quad_class empty; from the one PLOVER table (marsad.events.plover),
# with the retired names (DISAPPROVE, FIGHT …) a store written before migration 6 may still hold.
PLOVER_QUAD = {**{t: plover.quad(t) for t in plover.LEGACY}, **{t: plover.quad(t) for t in plover.CATEGORIES}}
PLOVER_TYPES = plover.CATEGORIES


def type_names(event_type: str | list[str], conn: sqlite3.Connection | None = None) -> list[str]:
    """The stored names an event-type filter matches: the current name, and the retired names folded into it that
    the store still holds (a store written before migration 6; with ``conn`` None: all of them)."""
    if isinstance(event_type, list):
        return event_type
    cur = plover.current(event_type) or ""
    old = [o for o, new in plover.LEGACY.items() if new == cur]
    if old and conn is not None:
        marks = ",".join("?" * len(old))
        table = "article_event_types" if conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'article_event_types'").fetchone() else "events"
        old = [r[0] for r in conn.execute(f"SELECT DISTINCT type FROM {table} WHERE type IN ({marks})", old)]
    return [cur, *old]
FACET_SAMPLE = 5_000  # facets are computed over at most this many matching articles
_COUNTRY = re.compile(r"^[A-Z]{3}$")


def quad_of(ev_type: str | None, quad: int | None) -> int | None:
    return int(quad) if quad else PLOVER_QUAD.get((ev_type or "").upper())


# --- full-text search (built by marsad.store.search, the one query builder of the CLI, API and UI) -------------
def _indexed(db: Database) -> bool:
    return db.has("article_filters", "article_actors", "article_event_types")


def source_values(db: Database) -> list[str]:
    """Stored outlet names (cached): the source filter matches them case-insensitively."""
    return db.cached("source_values", lambda: S.source_values(db.conn()), ttl=30)


def make_query(*, q: str | None = None, date_from: str | None = None, date_to: str | None = None,
               source: str | None = None, actor: str | None = None, event_type: str | None = None,
               place_country: str | None = None,
               bbox: tuple[float, float, float, float] | None = None) -> S.Query:
    return S.Query(q=q or "", date_from=date_from, date_to=date_to, source=source, actor=actor,
                   event_type=event_type, place_country=place_country, bbox=bbox)


def plan(db: Database, query: S.Query) -> S.Plan:
    return S.plan(db.conn(), query, indexed=_indexed(db), sources=source_values(db) if query.source else ())


def search_articles(db: Database, *, q: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, source: str | None = None, actor: str | None = None,
                    event_type: str | None = None, sort: str = "auto", limit: int = 20, offset: int = 0,
                    facets: bool = False, collapse: bool = False, exact_total: bool = False,
                    place_country: str | None = None,
                    bbox: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    """Articles matching ``q`` (FTS5 over normalised text) and filters, ``limit`` from ``offset``.

    Bounded cost whatever the query (see :func:`marsad.store.search.page`): relevance ranks the most recently
    stored matches (``ranked_window`` says when there were more); totals are exact from the FTS index for an
    unfiltered query, and for a filtered one exact on its last page, else a lower bound (``total_is_lower_bound``).
    ``exact_total``: count every match even through joins (the web page; costs more on big filtered sets).
    ``collapse``: one item per copy group (the dedup room's), with its ``copies``; ``total`` then counts groups
    (among the first ``COLLAPSE_WINDOW`` matches) and ``unique`` counts articles, copy groups, copies and stories
    over all matches."""
    query = make_query(q=q, date_from=date_from, date_to=date_to, source=source, actor=actor,
                       event_type=event_type, place_country=place_country, bbox=bbox)
    key = ("search", query, sort, limit, offset, facets, collapse, exact_total)
    return db.memo(key, lambda: _search_articles(db, query, sort=sort, limit=limit, offset=offset, facets=facets,
                                                 collapse=collapse, exact_total=exact_total))


def _search_articles(db: Database, query: S.Query, *, sort: str, limit: int, offset: int, facets: bool,
                     collapse: bool, exact_total: bool) -> dict[str, Any]:
    conn = db.conn()
    p = plan(db, query)
    cols = ("a.id, a.title, a.source, a.url, a.published, a.published_time, " + _body_only_cols(db) + ", "
            + ", ".join(f"a.{c}" for c in _count_cols(db)))
    if collapse:
        # page through copy groups, not articles: the first COLLAPSE_WINDOW matches in the asked order are
        # grouped (each group shown at its first member), and a page is a slice of those groups
        pg = S.page(conn, p, sort=sort, limit=COLLAPSE_WINDOW, offset=0, exact_total=exact_total)
        heads = _group_heads(db, pg.rowids)
        rows = S.display_rows(conn, cols, heads[offset:offset + limit])
        # groups among the matches grouped (the relevance window or COLLAPSE_WINDOW): a lower bound when there
        # were more matches than that
        groups_total, lower = len(heads), pg.total_is_lower_bound or pg.total > len(pg.rowids)
    else:
        pg = S.page(conn, p, sort=sort, limit=limit, offset=offset, exact_total=exact_total)
        rows = S.display_rows(conn, cols, pg.rowids)
    bodies = [body_of(r["text"], r["body"], r["body_spans"]) for r in rows]
    items = [_article_item(r, sn) for r, sn in zip(rows, make_snippets(bodies, p.terms), strict=True)]
    out: dict[str, Any] = {"total": pg.total, "total_is_lower_bound": pg.total_is_lower_bound, "limit": limit,
                           "offset": offset, "sort": pg.sort, "ranked_window": pg.ranked_window, "items": items}
    if p.variants:
        out["variants"] = p.variants
    if collapse:
        out["items"] = collapse_copies(db, items)
        out["unique"] = unique_counts(db, p)
        out["total"], out["total_is_lower_bound"] = groups_total, lower  # copy groups
        out["collapsed_window"] = len(pg.rowids) if pg.total > len(pg.rowids) else None
    if facets:
        sql, args = S.matching_sql(p, cols="a.id, a.source, a.published")
        out["facets"] = search_facets(db, sql, args)
    return out


def _body_cols(db: Database) -> str:
    """Select list for an article's body (``store.core.body_of``), for this store's schema version."""
    return str(db.cached("body_cols", lambda: S.body_columns(db.conn()), ttl=3600))


def _body_only_cols(db: Database) -> str:
    """:func:`_body_cols` for rows whose text is not shown, only their body (see ``body_columns(body_only=True)``)."""
    return str(db.cached("body_only_cols", lambda: S.body_columns(db.conn(), body_only=True), ttl=3600))


def _record_cols(db: Database) -> str:
    return "a.record AS record, " + _body_cols(db)


def _count_cols(db: Database) -> list[str]:
    def compute() -> list[str]:
        have = {r[1] for r in db.conn().execute("PRAGMA table_info(articles)")}
        return [c for c in ("n_entities", "n_quotes", "n_events") if c in have]

    return db.cached("article_count_cols", compute, ttl=60)


def _run(conn: sqlite3.Connection, sql: str, args: list[Any]) -> list[sqlite3.Row]:
    return S.run(conn, sql, args)


def _article_item(r: sqlite3.Row, snippet_marks: tuple[str, list[list[int]]]) -> dict[str, Any]:
    keys = r.keys()
    snippet, marks = snippet_marks
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
    return make_snippets([body], terms, width=width)[0]


def make_snippets(bodies: list[str], terms: list[str], *, width: int = 220) -> list[tuple[str, list[list[int]]]]:
    """:func:`make_snippet` of each body, the prefixes of all folded in one numpy pass (a page of results: the
    per-call overhead of the fold was most of a snippet's time)."""
    # Most first hits are early: fold a prefix, and the whole body only when the prefix has none.
    heads = [body[:PREFIX] if len(body) > PREFIX * 1.5 else body for body in bodies]
    folds, ligatures, lowered = _fold_page(heads)
    return [_make_snippet(body, head, terms, width, fold, ligatures, lowered)
            for body, head, fold in zip(bodies, heads, folds, strict=True)]


def _fold_page(heads: list[str]) -> tuple[list[tuple[str, np.ndarray, np.ndarray]], bool, bool]:
    """:func:`_fold_many` of a page's prefixes, already lower-cased where that is exact, and whether any holds a
    ligature that folds to several letters (then each prefix is checked again, and the exact map is used).

    ``_hits_fast`` lower-cases each folded prefix with ``str.lower`` (about a third of a page's snippet time). Alone,
    every character but İ (U+0130, two characters in lower case) lowers to one character, and only Σ (U+03A3)
    lowers by context (final sigma): a page without either is lowered by a table lookup in the same pass as the
    fold (:func:`_fold_lut_lower`), equal to ``str.lower`` of each folded prefix. A page with either is folded as
    before and lowered by ``str.lower``. The ligature check reads the same code points (it was a regex scan of
    the joined prefixes for the same characters)."""
    if not heads:
        return [], False, False
    cps = np.frombuffer("".join(heads).encode("utf-32-le"), dtype=np.uint32)
    # both checks from one table lookup and one OR over the page (np.isin sorted the page's code points)
    flags = int(np.bitwise_or.reduce(_page_flags()[cps]))
    ligatures = bool(flags & _LIGATURE)
    if flags & _CASE_CONTEXT:
        return _fold_many(heads, cps), ligatures, False
    return _fold_many(heads, cps, _fold_lut_lower()), ligatures, True


_LIGATURE, _CASE_CONTEXT = 1, 2


@lru_cache(maxsize=1)
def _page_flags() -> np.ndarray:
    """Per code point: ``_LIGATURE`` where :func:`_expand_mask` is set, ``_CASE_CONTEXT`` for the code points of
    :func:`_folding_to_case_by_context`."""
    flags = _expand_mask().astype(np.uint8) * np.uint8(_LIGATURE)
    flags[_folding_to_case_by_context()] |= np.uint8(_CASE_CONTEXT)
    return flags


_CASE_BY_CONTEXT = np.array([0x130, 0x3A3], dtype=np.uint32)  # İ, Σ: see _fold_page


@lru_cache(maxsize=1)
def _folding_to_case_by_context() -> np.ndarray:
    """The code points the fold maps to İ or Σ (those two themselves: the fold table touches neither)."""
    return np.flatnonzero(np.isin(_fold_lut(), _CASE_BY_CONTEXT)).astype(np.uint32)


@lru_cache(maxsize=1)
def _fold_lut_lower() -> np.ndarray:
    """:func:`_fold_lut` with each folded character lower-cased as ``str.lower`` lowers it alone (İ and Σ kept:
    texts holding them are lowered by ``str.lower``, see :func:`_fold_page`)."""
    every = np.arange(0x110000, dtype=np.uint32)
    every = every[~np.isin(every, _CASE_BY_CONTEXT)]
    text = every.tobytes().decode("utf-32-le", "surrogatepass")
    low = np.frombuffer(text.lower().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # one char each
    lower = np.arange(0x110000, dtype=np.uint32)
    lower[every] = low
    lut = _fold_lut()
    return np.where(lut == _DROP, _DROP, lower[np.minimum(lut, 0x10FFFF)]).astype(np.uint32)


@lru_cache(maxsize=1)
def _expand_mask() -> np.ndarray:
    """The characters of :func:`_expand_regex` as a mask over code points."""
    table, _ = _fold_table()
    mask = np.zeros(0x110000, dtype=bool)
    mask[[cp for cp, to in table.items() if to and len(to) > 1]] = True
    return mask


def _make_snippet(body: str, head: str, terms: list[str], width: int, fold: Any,
                  ligatures: bool = True, lowered: bool = False) -> tuple[str, list[list[int]]]:
    if not body:
        return "", []
    snippet = _snippet(head, body, terms, width, fold, ligatures, lowered)
    if snippet is None and head is not body:
        snippet = _snippet(body, body, terms, width)
    if snippet is None:
        cut = body[:width]
        return (cut + "…" if len(body) > width else cut), []
    return snippet


PREFIX = 1500


def _snippet(part: str, body: str, terms: list[str], width: int, fold: Any = None,
             ligatures: bool = True, lowered: bool = False) -> tuple[str, list[list[int]]] | None:
    # a ligature that folds to several letters: the exact (slower) map
    if ligatures and _expand_regex().search(part):
        hits = _hits_folded(part, terms)
    else:
        hits = _hits_fast(part, terms, width, fold, lowered)
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


def _fold_many(parts: list[str], cps: np.ndarray | None = None,
               lut: np.ndarray | None = None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(folded text, kept positions, mapped code points) of each part, as :func:`_hits_fast` computes them for one,
    from one pass over all the parts joined (``cps``: their code points, when the caller has them; ``lut``: the
    fold table, :func:`_fold_lut` unless given)."""
    if not parts:
        return []
    if cps is None:
        cps = np.frombuffer("".join(parts).encode("utf-32-le"), dtype=np.uint32)
    mapped = (_fold_lut() if lut is None else lut)[cps]
    keep = np.flatnonzero(mapped != _DROP)
    folded = mapped[keep].tobytes().decode("utf-32-le")
    starts = np.cumsum([0, *map(len, parts)])
    at = np.searchsorted(keep, starts).tolist()
    bounds = starts.tolist()
    return [(folded[at[i]:at[i + 1]], keep[at[i]:at[i + 1]] - bounds[i], mapped[bounds[i]:bounds[i + 1]])
            for i in range(len(parts))]


def _hits_fast(part: str, terms: list[str], width: int,
               fold: tuple[str, np.ndarray, np.ndarray] | None = None, lowered: bool = False) -> list[tuple[int, int]]:
    """The same hits as :func:`_hits_folded` (fold, then find), with the fold done by numpy over code points:
    ``str.translate`` with a dict table costs ~0.1 µs per character on Arabic text (most of a search's snippet
    time), a table lookup over an array ~1 ns. Only hits that can fall in the snippet window are mapped back.
    ``lowered``: ``fold`` is already lower-cased (:func:`_fold_page`)."""
    if fold is None:
        fold = _fold_many([part])[0]
    folded, keep, mapped = fold
    if not lowered:
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


def search_facets(db: Database, matching: str, args: list[Any]) -> dict[str, Any]:
    conn = db.conn()
    sub = f"{matching} LIMIT {FACET_SAMPLE}"
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
        types = [{"value": plover.current(r["type"]), "count": r["n"]} for r in ev]
    return {
        "sample": len(rows), "sampled": len(rows) >= FACET_SAMPLE,
        "sources": [{"value": k, "count": v} for k, v in sources.most_common(20)],
        "months": [{"value": k, "count": v} for k, v in sorted(months.items())],
        "actors": actors,
        "event_types": types,
    }


# --- copies collapsed ---------------------------------------------------------------------------------------
COLLAPSE_WINDOW = 5_000  # matches grouped into copy groups when results are collapsed


def _group_heads(db: Database, rowids: list[int]) -> list[int]:
    """The first rowid of each copy group, in the given order (articles dedup has not indexed are their own
    group)."""
    if not rowids:
        return []
    if not db.has("dedup_docs"):
        return list(rowids)
    table = "article_filters" if db.has("article_filters") else "articles"
    group = dict(db.conn().execute(
        f"SELECT f.rowid, coalesce(d.dup_group, f.id) FROM {table} f LEFT JOIN dedup_docs d ON d.article_id = f.id "
        "WHERE f.rowid IN (SELECT value FROM json_each(?))", (json.dumps(rowids),)).fetchall())
    seen: set[str] = set()
    heads = []
    for r in rowids:
        g = group.get(r, str(r))
        if g not in seen:
            seen.add(g)
            heads.append(r)
    return heads

def collapse_copies(db: Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per copy group (the dedup room's ``dedup_docs.dup_group``): the first item of a group on the page
    stands for it and lists every copy in the store (``copies``: id, source, published, title, ``on_page``) and
    the group's ``sources``; later items of the same group on the page are folded into it (``folded``)."""
    for it in items:
        it.update(copy_group=None, story=None, copies=[], sources=[it["source"]], folded=[])
    if not items or not db.has("dedup_docs"):
        return items
    conn = db.conn()
    ids = [it["id"] for it in items]
    marks = ",".join("?" * len(ids))
    of = {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT article_id, dup_group, story FROM dedup_docs WHERE article_id IN ({marks})", ids)}
    groups = sorted({g for g, _ in of.values() if g})
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if groups:
        for r in conn.execute(
                "SELECT dup_group, article_id, source, published, title FROM dedup_docs WHERE dup_group IN "
                f"({','.join('?' * len(groups))}) ORDER BY rank_key", groups):
            members[r[0]].append({"id": r[1], "source": r[2], "published": r[3], "title": r[4],
                                  "original": r[1] == r[0]})
    on_page = set(ids)
    out: list[dict[str, Any]] = []
    head: dict[str, dict[str, Any]] = {}
    for it in items:
        g, story = of.get(it["id"], (None, None))
        if g and g in head:
            head[g]["folded"].append(it["id"])
            continue
        it["copy_group"], it["story"] = g, story
        if g:
            head[g] = it
            copies = [{**m, "on_page": m["id"] in on_page} for m in members.get(g, ()) if m["id"] != it["id"]]
            it["copies"] = copies
            it["sources"] = list(dict.fromkeys([it["source"], *(c["source"] for c in copies)]))
        out.append(it)
    return out


def unique_counts(db: Database, p: S.Plan) -> dict[str, Any]:
    """Over every match: articles, distinct copy groups (unique texts), distinct stories, and copies (articles
    beyond the first of their group). Articles dedup has not indexed count as their own group."""
    sql, args = S.matching_sql(p, cols="a.id")
    if not db.has("dedup_docs"):
        n = _run(db.conn(), f"SELECT count(*) FROM ({sql})", args)[0][0]
        return {"articles": n, "copy_groups": n, "stories": n, "copies": 0, "indexed": False}
    r = _run(db.conn(), "SELECT count(*), count(DISTINCT coalesce(d.dup_group, m.id)), "
             f"count(DISTINCT coalesce(d.story, m.id)) FROM ({sql}) m LEFT JOIN dedup_docs d ON d.article_id = m.id",
             args)[0]
    return {"articles": r[0], "copy_groups": r[1], "stories": r[2], "copies": r[0] - r[1], "indexed": True}


# --- one article ---------------------------------------------------------------------------------------------
def get_article(db: Database, article_id: str) -> dict[str, Any] | None:
    row = db.conn().execute(f"SELECT {_record_cols(db)} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    rec = record_of(row)
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
        # articles per actor (an article naming it as two entities counts once), from the v5 table when it exists
        n_sql = ("SELECT actor_id, count(*) FROM article_actors GROUP BY actor_id" if db.has("article_actors") else
                 "SELECT actor_id, count(DISTINCT article_id) FROM entities WHERE actor_id IS NOT NULL "
                 "GROUP BY actor_id")
        for aid, n in db.conn().execute(n_sql):
            if aid in by:
                by[aid]["n"] = n
        reg = _registry()
        out = []
        for a in by.values():
            names = [n for n, _ in a["names"].most_common()]
            spellings = list(names)
            ractor = reg.get(a["id"]) if reg is not None else None
            if ractor is not None:
                spellings += list(ractor.ar) + list(ractor.en) + [ractor.name]
            keys = {normalize(n).casefold() for n in spellings} | {normalize(a["id"].lstrip("~")).casefold()}
            arabic = [n for n in (list(ractor.ar) if ractor is not None else []) + names if has_arabic(n)]
            typ = a["types"].most_common(1)[0][0]
            out.append({"id": a["id"], "name": ractor.name if ractor is not None else names[0],
                        "name_ar": arabic[0] if arabic else names[0],
                        "_latin": ractor.name if ractor is not None else None,
                        "names": list(dict.fromkeys(names + (list(ractor.ar[:5]) if ractor is not None else [])))[:10],
                        "type": typ,
                        "country": a["countries"].most_common(1)[0][0] if a["countries"] else None,
                        "n_articles": a["n"], "_keys": keys,
                        "_name_keys": {k for k in (_name_key(n) for n in spellings) if k}})
        out.sort(key=lambda a: -a["n_articles"])
        return out

    if not db.has("entities"):
        return []
    return db.cached("actor_index", compute, ttl=10)



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
    # the transliteration key (سيرغي لافروف = سيرجي لافروف) only for a full name: one word's key is a few
    # consonants, and unrelated words share it (السعودية and سعيد are both س-ع-د)
    nk = _name_key(q) if q and len(q.split()) >= 2 else ""
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
    # the Latin names of the page's unknown actors only: spelling every actor of a large store (tens of thousands)
    # on each rebuild of the cached index would cost seconds
    items = [{**{k: v for k, v in a.items() if not k.startswith("_")},
              "name_latin": a["_latin"] or latin_name(a["name"], a["type"])} for _, _, a in hits[offset:offset + limit]]
    return {"total": len(hits), "limit": limit, "offset": offset, "items": items}


def get_actor(db: Database, actor_id: str) -> dict[str, Any] | None:
    if not db.has("entities"):
        return None
    conn = db.conn()
    narrow = "article_filters" if db.has("article_filters") else "articles"  # dates only: the narrow copy
    rows = conn.execute(
        "SELECT e.name, e.type, e.country, e.sector, count(*) AS n, min(a.published) AS first, "
        f"max(a.published) AS last FROM entities e JOIN {narrow} a ON a.id = e.article_id "
        "WHERE e.actor_id = ? GROUP BY e.name, e.type, e.country, e.sector ORDER BY n DESC", (actor_id,)).fetchall()
    if not rows:
        return None
    # articles, not entity rows (an article naming the actor twice, as two entities, counts once)
    n = conn.execute("SELECT count(DISTINCT article_id) FROM entities WHERE actor_id = ?", (actor_id,)).fetchone()[0]
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
        counts["quotes"] = actor_quotes(db, actor_id, limit=1)["total"]
    if db.has("events"):
        counts["events"] = actor_events(db, actor_id, limit=1)["total"]
    reg = _registry()
    ractor = reg.get(actor_id) if reg is not None else None
    names = [r["name"] for r in rows] + (list(ractor.ar) if ractor is not None else [])
    typ = types.most_common(1)[0][0]
    return {
        "id": actor_id,
        "name": ractor.name if ractor is not None else rows[0]["name"],
        "name_ar": next((n for n in names if has_arabic(n)), rows[0]["name"]),
        "name_latin": ractor.name if ractor is not None else latin_name(rows[0]["name"], typ),
        "names": list(dict.fromkeys(names))[:20],
        "type": typ,
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
    """What the actor said, newest first, with the exact ``total``."""
    if not db.has("quotes"):
        return {"total": 0, "items": [], "limit": limit, "offset": offset}
    cond = ("FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id IN (SELECT article_id FROM "
            "entities WHERE actor_id = ?) AND " + _json_has("q.speaker_actors"))
    conn = db.conn()
    total = db.memo(("actor_quotes_n", actor_id), lambda: conn.execute(
        f"SELECT count(*) {cond}", (actor_id, actor_id)).fetchone()[0])
    rows = conn.execute(
        "SELECT q.article_id, q.quote_id, q.kind, q.text, q.start, q.\"end\", q.cue, q.speaker_names, "
        f"a.title, a.published, a.source {cond} ORDER BY a.published DESC, q.article_id, q.start LIMIT ? OFFSET ?",
        (actor_id, actor_id, limit, offset)).fetchall()
    return {"total": total, "items": [_quote_item(r) for r in rows], "limit": limit, "offset": offset}


QUOTES_ABOUT_SCAN = 1_000  # articles with quotes (newest first) read to find quotes about an actor


def quotes_about(db: Database, actor_id: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Quotes by others that name the actor: a mention of the actor's entity lies inside the quote's span and the
    actor is not among its speakers (offsets from the stored records, so no name matching). Reads the newest
    ``QUOTES_ABOUT_SCAN`` articles naming the actor; ``scanned_all`` says whether that was all of them."""
    def compute() -> tuple[list[dict[str, Any]], bool]:
        conn = db.conn()
        # only articles with quotes are decoded (the n_quotes counter of schema v3)
        has_quotes = " AND a.n_quotes > 0" if "n_quotes" in _count_cols(db) else ""
        rows = conn.execute(
            f"SELECT {_record_cols(db)}, a.title, a.published, a.source FROM articles a WHERE a.id IN (SELECT article_id FROM "
            f"entities WHERE actor_id = ?){has_quotes} ORDER BY a.published DESC, a.rowid DESC LIMIT ?",
            (actor_id, QUOTES_ABOUT_SCAN + 1)).fetchall()
        out: list[dict[str, Any]] = []
        for r in rows[:QUOTES_ABOUT_SCAN]:
            rec = record_of(r)
            ents = {e["id"]: e for e in rec.get("entities") or ()}
            mine = {i for i, e in ents.items() if e.get("actor_id") == actor_id}
            spans = [(m["start"], m["end"]) for i in mine for m in ents[i].get("mentions") or ()]
            for q in rec.get("quotes") or ():
                if q.get("start") is None or mine & set(q.get("speaker") or ()):
                    continue
                if any(q["start"] <= s and e <= q["end"] for s, e in spans):
                    out.append({"article_id": rec["id"], "id": q.get("id"), "kind": q.get("kind"),
                                "text": q.get("text") or rec["text"][q["start"]:q["end"]], "start": q["start"],
                                "end": q["end"], "cue": (q.get("cue") or {}).get("text"),
                                "speakers": [ents[i].get("name") for i in q.get("speaker") or () if i in ents],
                                "article_title": r["title"], "published": r["published"], "source": r["source"]})
        return out, len(rows) <= QUOTES_ABOUT_SCAN

    if not db.has("quotes"):
        return {"total": 0, "items": [], "limit": limit, "offset": offset, "scanned_all": True}
    found, complete = db.memo(("quotes_about", actor_id), compute)
    return {"total": len(found), "items": found[offset:offset + limit], "limit": limit, "offset": offset,
            "scanned_all": complete}


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
    d["type"] = plover.current(d["type"])
    keys = r.keys()
    if "published" in keys:
        d["published"] = r["published"]
        d["article_title"] = r["title"]
    if "outlet" in keys:
        d["source"] = r["outlet"]
        d["url"] = r["url"]
    if names is not None:
        d["source_names"] = [names.get(x, x) if x else None for x in d["source_actors"]]
        d["target_names"] = [names.get(x, x) if x else None for x in d["target_actors"]]
    return d


def actor_names(db: Database) -> dict[str, str]:
    """Display names, Arabic first (the registry's first Arabic spelling, else the most frequent stored one)."""
    return {a["id"]: a["name_ar"] for a in actor_index(db)}


def actor_events(db: Database, actor_id: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Events the actor is source or target of, newest first, with the exact ``total``."""
    if not db.has("events"):
        return {"total": 0, "items": [], "limit": limit, "offset": offset}
    cond = ("FROM events ev JOIN articles a ON a.id = ev.article_id WHERE ev.article_id IN (SELECT article_id FROM "
            "entities WHERE actor_id = ?) AND (" + _json_has("ev.source_actors") + " OR "
            + _json_has("ev.target_actors") + ")")
    conn = db.conn()
    total = db.memo(("actor_events_n", actor_id), lambda: conn.execute(
        f"SELECT count(*) {cond}", (actor_id, actor_id, actor_id)).fetchone()[0])
    rows = conn.execute(
        f"SELECT ev.*, a.published, a.title, a.source AS outlet, a.url {cond} "
        "ORDER BY coalesce(ev.date, a.published) DESC, ev.article_id, ev.event_id LIMIT ? OFFSET ?",
        (actor_id, actor_id, actor_id, limit, offset)).fetchall()
    names = actor_names(db)
    return {"total": total, "items": [_event_item(r, names) for r in rows], "limit": limit, "offset": offset}


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


def cooccurring_page(db: Database, actor_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    every = db.memo(("cooc", actor_id), lambda: cooccurring(db, actor_id, limit=100_000))
    return {"total": len(every), "items": every[offset:offset + limit], "limit": limit, "offset": offset}


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
def confidence_sql(alias: str = "ev") -> str:
    """The condition "the event's confidence is at least ?". An event's confidence is the event model's
    probability after Platt scaling on out-of-fold candidates; what a cut buys is measured on the train gold
    (README, "How sure an event is"). An event stored without a confidence never passes a cut. (Events of a
    pipeline run without the event model, the rules alone, carry the rule's own fixed figure, not a calibrated
    one: a floor reads it as it is.)"""
    return f"{alias}.confidence >= ?"


def list_events(db: Database, query: S.Query | None = None, *, type_: str | None = None,
                country: str | None = None, quad_class: int | None = None, article_id: str | None = None,
                min_confidence: float | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Events with filters, newest first, with the exact ``total``. ``query`` is the article search's: its words
    and source select the articles (the one builder), its actor is the event's source or target and its dates
    bound the event's date (the article's when the event has none). ``min_confidence``: only events whose
    calibrated confidence is at least that (:func:`confidence_sql`)."""
    query = query or S.Query()
    if not db.has("events"):
        return {"total": 0, "items": [], "limit": limit, "offset": offset}
    where: list[str] = []
    args: list[Any] = []
    if query.q or query.source:
        sub, sargs = S.matching_sql(plan(db, S.Query(q=query.q, source=query.source)), cols="a.id")
        where.append(f"ev.article_id IN ({sub})")
        args += sargs
    if query.place_country or query.bbox:
        # where the event happened (marsad.geo: event.attrs["location"], stored by migration 8)
        from marsad.geo.store import bbox_sql

        if db.has("event_locations"):
            cond, cargs = ["l.article_id = ev.article_id", "l.event_id = ev.event_id"], []
            if query.place_country:
                cond.append("l.country = ?")
                cargs.append(query.place_country)
            if query.bbox:
                b, ba = bbox_sql("l", query.bbox)
                cond.append(b)
                cargs += ba
            where.append(f"EXISTS (SELECT 1 FROM event_locations l WHERE {' AND '.join(cond)})")
            args += cargs
        else:
            where.append("0")
    if type_:
        stored = type_names(type_)
        where.append(f"ev.type IN ({','.join('?' * len(stored))})")
        args.extend(stored)
    if query.actor:
        actor = query.actor
        where.append("ev.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?) AND ("
                     + _json_has("ev.source_actors") + " OR " + _json_has("ev.target_actors") + ")")
        args += [actor, actor, actor]
    if country:
        where.append("(" + _json_has("ev.source_countries") + " OR " + _json_has("ev.target_countries") + ")")
        args += [country, country]
    if query.date_from:
        where.append("coalesce(ev.date, a.published) >= ?")
        args.append(query.date_from)
    if query.date_to:
        where.append("coalesce(ev.date, a.published) <= ?")
        args.append(query.date_to)
    if quad_class:
        types = [t for t, qc in PLOVER_QUAD.items() if qc == quad_class]
        where.append(f"(ev.quad_class = ? OR (ev.quad_class IS NULL AND ev.type IN ({','.join('?' * len(types))})))")
        args += [quad_class, *types]
    if article_id:
        where.append("ev.article_id = ?")
        args.append(article_id)
    if min_confidence is not None:
        where.append(confidence_sql())
        args.append(min_confidence)
    where_sql = (" WHERE " + " AND ".join(where)) if where else ""
    conn = db.conn()
    frm = f"FROM events ev JOIN articles a ON a.id = ev.article_id{where_sql}"
    total = db.memo(("events_n", frm, tuple(args)), lambda: _run(conn, f"SELECT count(*) {frm}", args)[0][0])
    rows = _run(conn, f"SELECT ev.*, a.published, a.title, a.source AS outlet, a.url {frm} "
                "ORDER BY coalesce(ev.date, a.published) DESC, ev.article_id, ev.event_id LIMIT ? OFFSET ?",
                [*args, limit, offset])
    names = actor_names(db)
    return {"total": total, "items": [_event_item(r, names) for r in rows], "limit": limit, "offset": offset}


CSV_COLS = ("article_id", "id", "type", "date", "published", "source", "url", "quad_class", "goldstein", "cameo",
            "negated", "symmetric", "mode", "modality", "confidence", "source_actors", "source_names",
            "source_countries", "target_actors", "target_names", "target_countries", "evidence_text")


def events_csv(items: list[dict[str, Any]]) -> Iterator[str]:
    """Events as CSV (lists joined by ``;``), with the outlet (``source``) and the article's URL."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLS)
    for it in items:
        w.writerow([csv_safe(";".join("" if x is None else str(x) for x in v) if isinstance(v, list) else v)
                    for v in (it.get(c) for c in CSV_COLS)])
        if buf.tell() > 64_000:
            yield _drain(buf)
    yield _drain(buf)


def _drain(buf: io.StringIO) -> str:
    out = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return out


def csv_safe(v: Any) -> Any:
    # Spreadsheet formula injection: a cell from article text must not start with = + - @.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


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


def relation_events(db: Database, a: str, b: str, *, min_confidence: float | None = None,
                    limit: int = 5000) -> list[dict[str, Any]]:
    if not db.has("events", "entities"):
        return []
    ka, va = side(a)
    kb, vb = side(b)
    sure = f" AND {confidence_sql()}" if min_confidence is not None else ""
    sql = (
        "SELECT ev.*, a.published, a.title FROM events ev JOIN articles a ON a.id = ev.article_id WHERE "
        f"{_prefilter(ka)} AND {_prefilter(kb)} AND (({_side_sql(ka, 'source')} AND {_side_sql(kb, 'target')}) "
        f"OR ({_side_sql(kb, 'source')} AND {_side_sql(ka, 'target')})){sure} "
        "ORDER BY coalesce(ev.date, a.published) LIMIT ?"
    )
    args: list[Any] = [va, vb, va, vb, vb, va, *([] if min_confidence is None else [min_confidence]), limit]
    rows = db.conn().execute(sql, args).fetchall()
    names = actor_names(db)
    return [_event_item(r, names) for r in rows]


def relations(db: Database, a: str, b: str, *, by: str = "month", min_confidence: float | None = None,
              ) -> dict[str, Any]:
    """Cooperation vs conflict between two actors or countries over time (both directions); with
    ``min_confidence``, from the events at least that sure only."""
    evs = relation_events(db, a, b, min_confidence=min_confidence)
    buckets: dict[str, dict[str, Any]] = defaultdict(lambda: {"cooperation": 0, "conflict": 0, "goldstein": 0.0,
                                                             "n": 0, "quad": [0, 0, 0, 0]})
    ka, va = side(a)
    by_dir: Counter[str] = Counter()
    for ev in evs:
        day = ev["date"] or ev.get("published")
        if not day:
            continue
        bk = buckets[bucket_of(day, by)]
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
        "by": by, "min_confidence": min_confidence, "series": series, "directions": dict(by_dir),
        "totals": {"events": len(evs), "cooperation": sum(s["cooperation"] for s in series),
                   "conflict": sum(s["conflict"] for s in series)},
        "events": evs[-50:][::-1],
    }


def interaction_graph(db: Database, *, actor: str | None = None, limit: int = 60,
                      min_events: int = 1, min_confidence: float | None = None) -> dict[str, Any]:
    """Who interacts with whom: nodes are actors, edges count events between them (either direction) with the
    share that is cooperation. Around one actor when ``actor`` is given, else the busiest pairs overall; with
    ``min_confidence``, from the events at least that sure only."""
    if not db.has("events"):
        return {"nodes": [], "edges": []}

    def compute() -> dict[str, Any]:
        import json

        conn = db.conn()
        where: list[str] = []
        args: list[Any] = []
        if actor:
            where.append("ev.article_id IN (SELECT article_id FROM entities WHERE actor_id = ?)")
            args.append(actor)
        if min_confidence is not None:
            where.append(confidence_sql())
            args.append(min_confidence)
        rows = conn.execute("SELECT ev.type, ev.quad_class, ev.source_actors, ev.target_actors FROM events ev"
                            + (" WHERE " + " AND ".join(where) if where else ""), args).fetchall()
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

    return db.cached(f"graph:{actor}:{limit}:{min_events}:{min_confidence}", compute, ttl=30)


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
    total = (db.conn().execute("SELECT count(*) FROM stories WHERE n_articles >= ?", (min_size,)).fetchone()[0]
             if db.has("stories") else 0)
    return {"total": total, "items": items, "limit": limit, "offset": offset}


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


# --- attention over time -------------------------------------------------------------------------------------
MAX_BUCKETS = 4_000


def bucket_sql(col: str, by: str) -> str:
    """SQL for the day/week/month bucket of a YYYY-MM-DD column (a week is named by its Monday)."""
    if by == "month":
        return f"substr({col}, 1, 7)"
    if by == "week":
        return f"date({col}, '-6 days', 'weekday 1')"
    return f"substr({col}, 1, 10)"


def bucket_of(day: str, by: str) -> str:
    if by == "month":
        return day[:7]
    if by == "week":
        try:
            d = dt.date.fromisoformat(day[:10])
        except ValueError:
            return day[:10]
        return (d - dt.timedelta(days=d.weekday())).isoformat()
    return day[:10]


def _all_buckets(first: str, last: str, by: str) -> list[str]:
    """Every bucket from ``first`` to ``last`` (so a chart shows the days with nothing as zeros)."""
    out: list[str] = []
    try:
        if by == "month":
            y, m = int(first[:4]), int(first[5:7])
            while f"{y:04d}-{m:02d}" <= last and len(out) < MAX_BUCKETS:
                out.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return out
        d, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return sorted({first, last})
    step = dt.timedelta(days=7 if by == "week" else 1)
    while d <= end and len(out) < MAX_BUCKETS:
        out.append(d.isoformat())
        d += step
    return out


def _volume(db: Database, by: str) -> dict[tuple[str, str], int]:
    """Articles per (bucket, source) in the whole store: the denominator of the normalised series."""
    def compute() -> dict[tuple[str, str], int]:
        table = "article_filters" if db.has("article_filters") else "articles"
        rows = db.conn().execute(f"SELECT {bucket_sql('published', by)} AS b, source, count(*) FROM {table} "
                                 "WHERE published IS NOT NULL GROUP BY b, source").fetchall()
        return {(r[0], r[1]): r[2] for r in rows if r[0]}

    return db.cached(f"volume:{by}", compute, ttl=60)


def attention(db: Database, query: S.Query, *, by: str = "day", top_sources: int = 8) -> dict[str, Any]:
    """Articles a search finds per day/week/month, overall and for its ``top_sources`` outlets, raw and as a share
    of everything that outlet (or the store) published in that bucket. Undated matches are counted apart
    (``undated``), never dropped silently; ``total`` = dated + undated. ``series`` has one object per bucket;
    each of ``sources`` has ``articles`` / ``all_articles`` / ``share`` lists aligned with ``buckets``."""
    key = ("attention", query, by, top_sources)
    return db.memo(key, lambda: _attention(db, query, by=by, top_sources=top_sources))


def _attention(db: Database, query: S.Query, *, by: str, top_sources: int) -> dict[str, Any]:
    p = plan(db, query)
    sql, args = S.matching_sql(p, cols=f"{bucket_sql('a.published', by)} AS b, a.source AS s")
    rows = _run(db.conn(), f"SELECT b, s, count(*) FROM ({sql}) GROUP BY b, s", args)
    per: dict[tuple[str, str], int] = {}
    undated: Counter[str] = Counter()
    for b, src, n in rows:
        if b:
            per[(b, src)] = n
        else:
            undated[src] += n
    vol = _volume(db, by)
    by_bucket: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    for (b, src), n in per.items():
        by_bucket[b] += n
        by_source[src] += n
    for src, n in undated.items():
        by_source[src] += n
    vol_bucket: Counter[str] = Counter()
    for (b, _src), n in vol.items():
        vol_bucket[b] += n
    buckets = _all_buckets(min(by_bucket), max(by_bucket), by) if by_bucket else []

    def share(n: int, d: int) -> float | None:
        return round(n / d, 5) if d else None

    series = [{"bucket": b, "articles": by_bucket.get(b, 0), "all_articles": vol_bucket.get(b, 0),
               "share": share(by_bucket.get(b, 0), vol_bucket.get(b, 0))} for b in buckets]
    sources = []
    for src, n in by_source.most_common(top_sources):
        # per source, columns aligned with ``buckets`` (a day series over years is thousands of points: lists
        # of numbers, not one object per point)
        got = [per.get((b, src), 0) for b in buckets]
        out_of = [vol.get((b, src), 0) for b in buckets]
        sources.append({"source": src, "total": n, "undated": undated.get(src, 0), "articles": got,
                        "all_articles": out_of, "share": [share(x, y) for x, y in zip(got, out_of, strict=True)]})
    total = sum(by_bucket.values()) + sum(undated.values())
    return {"by": by, "total": total, "undated": sum(undated.values()), "n_sources": len(by_source),
            "buckets": buckets, "series": series, "sources": sources}


# --- names → ids ---------------------------------------------------------------------------------------------
def _known_actor(db: Database, actor_id: str) -> bool:
    conn = db.conn()
    if db.has("article_actors"):
        return conn.execute("SELECT 1 FROM article_actors WHERE actor_id = ? LIMIT 1", (actor_id,)).fetchone() is not None
    return db.has("entities") and conn.execute(
        "SELECT 1 FROM entities WHERE actor_id = ? LIMIT 1", (actor_id,)).fetchone() is not None


def exact_actor(db: Database, name: str) -> str | None:
    """The best-known actor one of whose names is ``name`` (any script, Arabic spelling folded), else None."""
    nq = normalize(name).casefold().strip()
    if not nq:
        return None
    for a in actor_index(db):  # most frequent first
        if nq in a["_keys"]:
            return a["id"]
    return None


def resolve_actor(db: Database, value: str) -> str:
    """An actor filter's value: an actor id as is, else a name (روسيا, Russia, بوتين) resolved to its id; a value
    that is neither stays as given (and finds nothing)."""
    if _known_actor(db, value):
        return value
    return exact_actor(db, value) or value


def resolved(db: Database, query: S.Query) -> S.Query:
    """The query with its actor filter resolved from a name to an id (see :func:`resolve_actor`)."""
    if not query.actor:
        return query
    actor = resolve_actor(db, query.actor)
    return query if actor == query.actor else dataclasses.replace(query, actor=actor)


def resolve_side(db: Database, value: str) -> str | None:
    """A relation side: ISO3 / country:ISO3 / an actor id when the store knows it, else a name; None if unknown."""
    kind, key = side(value)
    conn = db.conn()
    if kind == "country" and db.has("entities") and conn.execute(
            "SELECT 1 FROM entities WHERE country = ? LIMIT 1", (key,)).fetchone():
        return value
    if kind == "actor" and _known_actor(db, key):
        return value
    return exact_actor(db, value)


# --- export --------------------------------------------------------------------------------------------------
EXPORT_MAX = 100_000
EXPORT_FORMATS = (("articles", "csv"), ("articles", "jsonl"), ("events", "csv"), ("events", "gdelt"),
                  ("events", "plover"), ("quotes", "csv"), ("quotes", "jsonl"))
EXPORT_MEDIA = {"csv": ("text/csv; charset=utf-8", "csv"), "jsonl": ("application/x-ndjson", "jsonl"),
                "gdelt": ("text/tab-separated-values; charset=utf-8", "tsv"),
                "plover": ("application/x-ndjson", "plover.jsonl")}
ARTICLE_CSV = ("id", "published", "source", "url", "title", "n_entities", "n_quotes", "n_events", "body")
QUOTE_CSV = ("article_id", "id", "kind", "speakers", "text", "cue", "published", "source", "url")
_CHUNK = 200


def export_rowids(db: Database, query: S.Query, max_articles: int) -> list[int]:
    p = plan(db, query)
    sql, args = S.matching_sql(p, cols="a.rowid")
    return [r[0] for r in _run(db.conn(), f"{sql} ORDER BY a.published DESC, a.rowid DESC LIMIT ?",
                               [*args, max_articles])]


def export_stream(db: Database, rowids: list[int], *, what: str, fmt: str) -> Iterator[str]:
    """The articles (``export_rowids``: every match of a search, newest first) or their events / quotes, in
    chunks; GDELT and PLOVER rows come from the events room's writers (marsad.store.export)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if fmt == "csv":
        w.writerow({"articles": ARTICLE_CSV, "events": CSV_COLS, "quotes": QUOTE_CSV}[what])
    for i in range(0, len(rowids), _CHUNK):
        chunk = rowids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        conn = db.conn()
        if what == "articles" and fmt == "csv":
            cols = ", ".join(f"a.{c}" for c in ARTICLE_CSV if c != "body") + ", " + _body_cols(db)
            for r in S.display_rows(conn, cols, chunk):
                body = body_of(r["text"], r["body"], r["body_spans"])
                w.writerow([csv_safe(body if c == "body" else r[c]) for c in ARTICLE_CSV])
        elif what == "articles" or fmt in ("gdelt", "plover"):
            recs = [record_of(r) for r in S.display_rows(conn, _record_cols(db), chunk)]
            if what == "articles":
                for rec in recs:
                    buf.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                from marsad.data import Article
                from marsad.store import export as store_export

                # copy groups from the dedup tables: GDELT counts copies (NumArticles, mentions) as one event
                arts = list(store_export.with_dedup_ids(conn, [Article.from_dict(rec) for rec in recs]))
                if fmt == "gdelt":
                    store_export.write_gdelt(arts, buf)
                else:
                    store_export.write_plover(arts, buf)
        elif what == "events":
            names = actor_names(db)
            rows = conn.execute(
                "SELECT ev.*, a.published, a.title, a.source AS outlet, a.url FROM events ev JOIN articles a ON "
                f"a.id = ev.article_id WHERE a.rowid IN ({marks}) ORDER BY a.published DESC, ev.article_id, "
                "ev.event_id", chunk).fetchall() if db.has("events") else []
            for r in rows:
                it = _event_item(r, names)
                w.writerow([csv_safe(";".join("" if x is None else str(x) for x in v) if isinstance(v, list) else v)
                            for v in (it.get(c) for c in CSV_COLS)])
        else:  # quotes
            rows = conn.execute(
                "SELECT q.article_id, q.quote_id, q.kind, q.text, q.start, q.\"end\", q.cue, q.speaker_names, "
                "a.title, a.published, a.source, a.url FROM quotes q JOIN articles a ON a.id = q.article_id "
                f"WHERE a.rowid IN ({marks}) ORDER BY a.published DESC, q.article_id, q.start", chunk).fetchall() \
                if db.has("quotes") else []
            for r in rows:
                it = {**_quote_item(r), "url": r["url"]}
                if fmt == "jsonl":
                    buf.write(json.dumps(it, ensure_ascii=False) + "\n")
                else:
                    it["speakers"] = ";".join(str(x) for x in it["speakers"] if x)
                    w.writerow([csv_safe(it.get(c)) for c in QUOTE_CSV])
        yield _drain(buf)
    yield _drain(buf)


# --- saved searches and their Atom feeds --------------------------------------------------------------------
MAX_SAVED = 1_000


def save_search(db: Database, name: str, query: S.Query) -> dict[str, Any]:
    """Store a search (table ``saved_searches``, store migration 7) through the store's one writer."""
    from marsad.store import Store

    params = json.dumps(query.to_params(), ensure_ascii=False, sort_keys=True)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with db.write_lock, Store(db.path) as store:
        n = store.conn.execute("SELECT count(*) FROM saved_searches").fetchone()[0]
        if n >= MAX_SAVED:
            from marsad.api.errors import ApiError

            raise ApiError(409, f"there are already {MAX_SAVED} saved searches", code="too_many_saved")
        cur = store.conn.execute("INSERT INTO saved_searches(name, params, created_at) VALUES (?, ?, ?)",
                                 (name, params, now))
        new_id = int(cur.lastrowid or 0)
    db.invalidate()
    out = get_saved(db, new_id)
    assert out is not None
    return out


def _saved_item(r: sqlite3.Row) -> dict[str, Any]:
    params = json.loads(r["params"])
    return {"id": r["id"], "name": r["name"], "params": params, "created_at": r["created_at"],
            "url": "/?" + urlencode(params), "feed": f"/api/saved-searches/{r['id']}/feed"}


def list_saved(db: Database, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    if not db.has("saved_searches"):
        return {"total": 0, "items": [], "limit": limit, "offset": offset}
    conn = db.conn()
    total = conn.execute("SELECT count(*) FROM saved_searches").fetchone()[0]
    rows = conn.execute("SELECT * FROM saved_searches ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
    return {"total": total, "items": [_saved_item(r) for r in rows], "limit": limit, "offset": offset}


def get_saved(db: Database, saved_id: int) -> dict[str, Any] | None:
    if not db.has("saved_searches"):
        return None
    r = db.conn().execute("SELECT * FROM saved_searches WHERE id = ?", (saved_id,)).fetchone()
    if r is None:
        return None
    item = _saved_item(r)
    q = S.Query.from_params(item["params"])
    res = search_articles(db, q=q.q, date_from=q.date_from, date_to=q.date_to, source=q.source, actor=q.actor,
                          event_type=q.event_type, sort="newest", limit=1, exact_total=True)
    item["total"] = res["total"]
    return item


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(db: Database, saved: dict[str, Any], base: str, *, n: int = 50) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of a saved search's newest ``n`` matches, built with ElementTree (escaping
    is the serialiser's, so article text cannot break the XML)."""
    import xml.etree.ElementTree as ET

    q = S.Query.from_params(saved["params"])
    res = search_articles(db, q=q.q, date_from=q.date_from, date_to=q.date_to, source=q.source, actor=q.actor,
                          event_type=q.event_type, sort="newest", limit=n)
    ET.register_namespace("", ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            e.text = text
        return e

    def stamp(day: str | None, time: str | None = None) -> str:
        if not day:
            return saved["created_at"].replace("+00:00", "Z")
        return f"{day[:10]}T{(time or '00:00')[:5]}:00Z"

    feed = ET.Element(f"{{{ATOM}}}feed")
    feed_url = f"{base}/api/saved-searches/{saved['id']}/feed"
    el(feed, "id", feed_url)
    el(feed, "title", f"marsad: {saved['name']}")
    el(feed, "subtitle", f"{res['total']} articles match")
    items = res["items"]
    el(feed, "updated", max((stamp(i["published"], i.get("published_time")) for i in items),
                            default=stamp(None)))
    el(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    el(feed, "link", rel="alternate", href=base + saved["url"], type="text/html")
    el(feed, "generator", "marsad")
    for it in items:
        entry = el(feed, "entry")
        el(entry, "id", f"{base}/articles/{quote(it['id'], safe='')}")
        el(entry, "title", it["title"] or "(بلا عنوان)")
        el(entry, "link", rel="alternate", href=f"{base}/articles/{quote(it['id'], safe='')}", type="text/html")
        if it.get("url") and str(it["url"]).lower().startswith(("http://", "https://")):
            el(entry, "link", rel="via", href=it["url"])
        el(entry, "updated", stamp(it["published"], it.get("published_time")))
        author = el(entry, "author")
        el(author, "name", it["source"] or "?")
        el(entry, "summary", it["snippet"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

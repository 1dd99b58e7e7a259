"""The one search/query builder: full-text search (FTS5 + bm25, Arabic normalisation on both sides) and filters on
metadata and on what the analysis stages found (actors, event types). ``marsad search`` (CLI), the HTTP API
(:mod:`marsad.api.queries`: search, attention, export, events, feeds) and the web UI all build their SQL here.

A query is a :class:`Query` (words + filters). :func:`plan` binds it to a connection: the FTS5 MATCH expression
(with spelling variants of known actors, see :func:`match_expression`), the filter conditions
(:func:`filter_sql`), and which tables answer them. :func:`page` finds one page of rowids; :func:`matching_sql`
gives every matching rowid as a subquery for aggregates (attention over time, facets, exports, events).

Ranking is done on the FTS index alone, then only the page of hits is joined to ``articles`` (joining every match
first costs a row read per match). A query matching more than the rank window (a very common word) is ranked by
bm25 among its most recently stored matches: ranking all of them costs time linear in their number (~2 µs each)
and a news user asking for one ubiquitous word wants recent best matches, not the best of ten years. The CLI
widens the window until the page is full (``widen=True``); the HTTP API keeps it fixed and says so.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from marsad.errors import QueryError
from marsad.lang.ar.normalize import normalize
from marsad.store.core import BODY_COLUMNS, body_of
from marsad.store.index import _SYNTAX, fts_query, query_terms

# bm25 column weights: title, body, stems (a stem hit is a weaker signal than the surface form)
WEIGHTS = (3.0, 1.0, 0.6)
RANK_WINDOW = 5000  # CLI: the window widens from here until the page is full
API_RANK_WINDOW = 1_000  # HTTP API: bm25 over at most this many matches (the most recently stored ones)
FILTERED_WINDOW = 500  # with filters every match in the window costs a join, so the window is smaller
_BM25 = f"bm25(articles_fts, {', '.join(map(str, WEIGHTS))})"
SORTS = ("auto", "relevance", "newest", "oldest")


@dataclass(frozen=True, slots=True)
class Query:
    """What a user asks: words and filters. The same object serves a page of results, counts, attention over
    time, exports and saved searches (``to_params`` / ``from_params`` are the names the API and UI use)."""

    q: str = ""
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    source: str | None = None  # matched case-insensitively against the stored outlet names
    actor: str | None = None  # actor id
    event_type: str | None = None  # PLOVER type
    syntax: str = "auto"  # auto | fts | plain (see marsad.store.index.fts_query)
    variants: bool = True  # also match spelling variants of known actors (ترامب / ترمب)
    # where (marsad.geo): articles naming a place, or locating an event, in this country (ISO3) / inside this box
    place_country: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    def has_filters(self) -> bool:
        return bool(self.date_from or self.date_to or self.source or self.actor or self.event_type
                    or self.place_country or self.bbox)

    def to_params(self) -> dict[str, str]:
        """The query as URL parameters (API/UI names: ``from``/``to``), empty values left out."""
        p = {"q": self.q, "from": self.date_from, "to": self.date_to, "source": self.source, "actor": self.actor,
             "event_type": self.event_type, "place_country": self.place_country,
             "bbox": ",".join(f"{x:g}" for x in self.bbox) if self.bbox else None}
        return {k: v for k, v in p.items() if v}

    @classmethod
    def from_params(cls, p: dict[str, Any]) -> Query:
        bbox = None
        if p.get("bbox"):
            from marsad.geo.store import parse_bbox

            bbox = parse_bbox(str(p["bbox"]))
        return cls(q=p.get("q") or "", date_from=p.get("from") or None, date_to=p.get("to") or None,
                   source=p.get("source") or None, actor=p.get("actor") or None,
                   event_type=(p.get("event_type") or "").upper() or None,
                   place_country=(p.get("place_country") or "").upper() or None, bbox=bbox)


@dataclass(slots=True)
class Plan:
    """A query bound to one store: the MATCH expression, the filter conditions on ``a`` and the table they read."""

    query: Query
    match: str
    terms: list[str]
    where: list[str]
    args: list[Any]
    narrow: str  # article_filters (schema >= 4) or articles
    indexed: bool  # the actor / event-type tables of schema v5 exist
    variants: dict[str, list[str]] = field(default_factory=dict)  # query words -> spelling variants used


@dataclass(slots=True)
class Page:
    rowids: list[int]
    scores: dict[int, float]
    total: int
    total_is_lower_bound: bool
    sort: str
    ranked_window: int | None


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


# --- filters -------------------------------------------------------------------------------------------------
def filter_sql(
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    sources: Sequence[str] = (),
    actor: str | None = None,
    event_type: str | None = None,
    indexed: bool = True,
    alias: str = "a",
) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``a`` (``articles`` or its narrow copy ``article_filters``: same rowids, same columns),
    or on ``alias`` (any table with ``published`` / ``source`` columns: the dates of the actor and event-type
    tables).

    ``sources``: the stored outlet names to accept (see :func:`resolve_source`). ``indexed``: the store has the
    actor / event-type tables of schema v5, so those filters are one primary-key probe per candidate row
    (``EXISTS``) instead of a set built from ``entities`` by article id."""
    where: list[str] = []
    args: list[Any] = []
    if date_from:
        where.append(f"{alias}.published >= ?")
        args.append(date_from)
    if date_to:
        where.append(f"{alias}.published <= ?")
        args.append(date_to)
    if sources:
        if len(sources) == 1:
            where.append(f"{alias}.source = ?")
        else:
            where.append(f"{alias}.source IN ({','.join('?' * len(sources))})")
        args += list(sources)
    if actor:
        where.append(
            f"EXISTS (SELECT 1 FROM article_actors x WHERE x.actor_id = ? AND x.article_rowid = {alias}.rowid)"
            if indexed
            else f"{alias}.id IN (SELECT article_id FROM entities WHERE actor_id = ?)"
        )
        args.append(actor)
    if event_type:
        stored = event_type_names(event_type)
        marks = ",".join("?" * len(stored))
        where.append(
            f"EXISTS (SELECT 1 FROM article_event_types y WHERE y.type IN ({marks}) AND y.article_rowid = {alias}.rowid)"
            if indexed
            else f"{alias}.id IN (SELECT article_id FROM events WHERE type IN ({marks}))"
        )
        args += stored
    return where, args


def event_type_names(event_type: str) -> list[str]:
    """The stored names an event-type filter matches: the current PLOVER name and the retired names folded into
    it (a store written before migration 6 may hold DISAPPROVE for ACCUSE); see :mod:`marsad.events.plover`."""
    from marsad.events import plover

    cur = plover.current(event_type) or event_type.upper()
    return [cur, *(old for old, new in plover.LEGACY.items() if new == cur and old != cur)]


def source_values(conn: sqlite3.Connection) -> list[str]:
    """Every stored outlet name (the (source, published) index answers it without reading rows)."""
    table = "article_filters" if _has(conn, "article_filters") else "articles"
    return [r[0] for r in conn.execute(f"SELECT DISTINCT source FROM {table}")]


def resolve_source(value: str | None, known: Sequence[str]) -> tuple[str, ...]:
    """The stored spellings of an outlet name, compared case-insensitively (``bbc`` finds ``BBC``); the value
    itself when nothing matches (the search then finds nothing, as it should)."""
    if not value:
        return ()
    folded = value.strip().casefold()
    hits = tuple(s for s in known if s.casefold() == folded)
    return hits or (value,)


def _has(conn: sqlite3.Connection, *tables: str) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    return all(t in names for t in tables)


def is_indexed(conn: sqlite3.Connection) -> bool:
    return _has(conn, "article_filters", "article_actors", "article_event_types")


def resolve_actor(conn: sqlite3.Connection, value: str) -> str:
    """An actor filter's value: an actor id the store knows as is; else a name in any script resolved through
    the registry's aliases (روسيا → RUS) or a stored entity name (Russia → RUS); else the value unchanged."""
    table = "article_actors" if _has(conn, "article_actors") else "entities"
    if conn.execute(f"SELECT 1 FROM {table} WHERE actor_id = ? LIMIT 1", (value,)).fetchone():
        return value
    reg, _ = _alias_index()
    if reg is not None:
        toks = tuple(normalize(value).split())
        aid = reg.aliases.get(toks) or (getattr(reg, "nisba_names", {}).get(toks[0]) if len(toks) == 1 else None)
        if aid:
            return str(aid)
    row = conn.execute("SELECT actor_id FROM entities WHERE name = ? AND actor_id IS NOT NULL "
                       "GROUP BY actor_id ORDER BY count(*) DESC LIMIT 1", (value,)).fetchone()
    return str(row[0]) if row else value


# --- the MATCH expression, with spelling variants of known actors ---------------------------------------------
@lru_cache(maxsize=1)
def _alias_index() -> tuple[Any, dict[str, list[tuple[str, ...]]]]:
    """The entities room's registry and, per actor, the token sequences it indexes as that actor's names
    (``aliases`` plus the country names spelled like adjectives, ``nisba_names``). None when not installed."""
    try:
        from marsad.entities.registry import load_registry

        reg = load_registry()
    except (ImportError, OSError, ValueError):
        return None, {}
    by_actor: dict[str, list[tuple[str, ...]]] = {}
    for toks, aid in reg.aliases.items():
        by_actor.setdefault(aid, []).append(toks)
    for word, aid in getattr(reg, "nisba_names", {}).items():
        by_actor.setdefault(aid, []).append((word,))
    return reg, by_actor


def _key(toks: Sequence[str]) -> str:
    from marsad.entities.registry import name_key

    return name_key(" ".join(toks))


@lru_cache(maxsize=4096)
def spelling_variants(words: tuple[str, ...]) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """Spans of ``words`` (normalised query words) that name a known actor, with that actor's other spellings:
    ``(start, end, (variant phrase, ...))``. A variant is one of the registry's names for the same actor with the
    same transliteration key (:func:`marsad.entities.registry.name_key`): ترامب ↔ ترمب, أمريكا ↔ أميركا; not
    its other names (أمريكا does not become الولايات المتحدة) and nothing that is not a name of that actor (the
    key of السعودية equals that of سعيد, but سعيد is not a name of Saudi Arabia)."""
    reg, by_actor = _alias_index()
    if reg is None:
        return ()
    out: list[tuple[int, int, tuple[str, ...]]] = []
    i = 0
    nisba_names = getattr(reg, "nisba_names", {})
    while i < len(words):
        found = None
        for n in range(min(reg.max_len, len(words) - i), 0, -1):
            toks = tuple(words[i:i + n])
            aid = reg.aliases.get(toks) or (nisba_names.get(toks[0]) if n == 1 else None)
            if aid:
                found = (n, toks, aid)
                break
        if found is None:
            i += 1
            continue
        n, toks, aid = found
        key = _key(toks)
        alts = sorted({" ".join(t) for t in by_actor.get(aid, ()) if t != toks and _key(t) == key})
        if alts and key:
            out.append((i, i + n, (" ".join(toks), *alts)))
        i += n
    return tuple(out)


_PLAIN_WORD = re.compile(r"[^\W_]+")


def match_expression(query: str, *, syntax: str = "auto", variants: bool = True) -> tuple[str, dict[str, list[str]]]:
    """The FTS5 MATCH expression for a user query and the spelling variants it added (``{words: [variants]}``).
    Variants are added to plain-word queries only; a query in FTS5 syntax is the user's own expression."""
    base = fts_query(query, syntax=syntax)
    if not variants or not base.strip():
        return base, {}
    norm = normalize(query.strip())
    if syntax == "fts" or (syntax == "auto" and _SYNTAX.search(norm)):  # FTS5 syntax: left as written
        return base, {}
    words = _PLAIN_WORD.findall(norm)
    spans = spelling_variants(tuple(words))
    if not spans:
        return base, {}
    parts: list[str] = []
    used: dict[str, list[str]] = {}
    i = 0
    for s, e, alts in spans:
        parts += [f'"{w}"' for w in words[i:s]]
        parts.append("(" + " OR ".join(f'"{a}"' for a in alts) + ")")
        used[alts[0]] = list(alts[1:])
        i = e
    parts += [f'"{w}"' for w in words[i:]]
    return " AND ".join(parts), used


# --- plans and pages -----------------------------------------------------------------------------------------
def plan(
    conn: sqlite3.Connection,
    query: Query,
    *,
    indexed: bool | None = None,
    sources: Sequence[str] | None = None,
) -> Plan:
    """Bind ``query`` to a store. ``indexed`` and ``sources`` (the stored outlet names) may be passed by a
    caller that caches them (the HTTP server); otherwise they are read from the store."""
    if indexed is None:
        indexed = is_indexed(conn)
    narrow = "article_filters" if indexed else "articles"  # a pre-v5 store: the old joins, same answers
    match, used = "", dict[str, list[str]]()
    if query.q and query.q.strip():
        match, used = match_expression(query.q, syntax=query.syntax, variants=query.variants)
        if not match.strip():
            raise QueryError(f"the query {query.q[:100]!r} has no searchable words", code="E401")
    if query.actor:  # a name in any script (روسيا, Russia) → its id; an id is one index probe
        actor = resolve_actor(conn, query.actor)
        if actor != query.actor:
            query = replace(query, actor=actor)
    srcs = resolve_source(query.source, source_values(conn) if sources is None else sources) if query.source else ()
    where, args = filter_sql(date_from=query.date_from, date_to=query.date_to, sources=srcs, actor=query.actor,
                             event_type=query.event_type, indexed=indexed)
    if query.place_country or query.bbox:
        if _has(conn, "places", "event_locations"):
            from marsad.geo.store import article_filter_sql

            cond, cargs = article_filter_sql(query.place_country, query.bbox)
            where.append(cond.replace("{id}", "a.id"))
            args += cargs
        else:
            where.append("0")  # a store from before migration 8 knows no places
    terms = query_terms(query.q) if match else []
    for alts in used.values():
        for a in alts:
            terms += a.split()
    return Plan(query, match, terms, where, args, narrow, indexed, used)


def matching_sql(p: Plan, *, cols: str = "a.rowid", order: str | None = None) -> tuple[str, list[Any]]:
    """``SELECT <cols> FROM <narrow> a WHERE ...``: every article the query matches (for aggregates), or with
    ``order`` (``DESC``/``ASC``) one page of them by date: ``... ORDER BY published, rowid LIMIT ? OFFSET ?``
    (the caller appends the limit and offset to the arguments)."""
    where, args = list(p.where), list(p.args)
    if p.match:
        where.insert(0, "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        args.insert(0, p.match)
    sql = f"SELECT {cols} FROM {p.narrow} a" + (" WHERE " + " AND ".join(where) if where else "")
    if order:
        sql += f" ORDER BY a.published {order}, a.rowid {order} LIMIT ? OFFSET ?"
    return sql, args


def count(conn: sqlite3.Connection, query: str | Query = "", *, syntax: str = "auto", **filters: Any) -> int:
    """How many articles the query matches (exact)."""
    if filters.get("actor"):
        filters["actor"] = resolve_actor(conn, filters["actor"])
    q = query if isinstance(query, Query) else Query(q=query, syntax=syntax, **filters)
    p = plan(conn, q)
    return _count(conn, p)


def _count(conn: sqlite3.Connection, p: Plan) -> int:
    if p.match and not p.where:
        return int(run(conn, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [p.match],
                       p.query.q)[0][0])
    if not p.match and not p.where:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    sql, args = matching_sql(p, cols="count(*)")
    return int(run(conn, sql, args, p.query.q)[0][0])


def page(
    conn: sqlite3.Connection,
    p: Plan,
    *,
    sort: str = "auto",
    limit: int = 20,
    offset: int = 0,
    window: int | None = None,
    widen: bool = False,
    exact_total: bool = False,
) -> Page:
    """One page of rowids, best first (``relevance``) or by date.

    Bounded cost whatever the query: relevance ranks the ``window`` most recently stored matches (``widen``: the
    window grows x8 until the page is full); totals are exact from the FTS index for an unfiltered query, and for
    a filtered one exact on its last page, else a lower bound (``total_is_lower_bound``) unless ``exact_total``."""
    q = p.query
    if sort == "auto":
        sort = "relevance" if p.match else "newest"
    if sort == "relevance" and not p.match:
        sort = "newest"
    where = p.where
    scores: dict[int, float] = {}
    window_used = False
    cap = window or (FILTERED_WINDOW if where else API_RANK_WINDOW)
    if p.match and sort == "relevance":
        if widen:
            top = _ranked_widening(conn, p, offset + limit + 1, cap)[offset:]
        else:
            top = _ranked_window(conn, p, cap, limit + 1, offset)
        rowids = [r[0] for r in top]
        scores = {r[0]: float(r[1]) for r in top}
    else:  # by date: the FTS match (if any) and the filters, newest or oldest first
        direction = "ASC" if sort == "oldest" else "DESC"
        if not p.match and p.indexed and (q.actor or q.event_type):
            sql, largs = _driven_listing(conn, p, direction, limit + 1, offset)
        else:
            sql, largs = matching_sql(p, cols="a.rowid AS r", order=direction)
            largs += [limit + 1, offset]
        rowids = [r[0] for r in run(conn, sql, largs, q.q)]
    more = len(rowids) > limit
    rowids = rowids[:limit]
    if exact_total or not where:
        total, lower = _count(conn, p), False
    elif more:
        total, lower = offset + limit + 1, True  # a count through joins costs more than the page
    else:
        total, lower = offset + len(rowids), False
    if p.match and sort == "relevance" and not widen:
        window_used = total > cap or lower
    return Page(rowids, scores, total, lower, sort, cap if window_used else None)


def _ranked_window(conn: sqlite3.Connection, p: Plan, cap: int, n: int, offset: int) -> list[Any]:
    """bm25 over the ``cap`` most recent matches (FTS5 walks its doclist backwards and stops early)."""
    if p.where:
        needs_row = bool(p.query.date_from or p.query.date_to or p.query.source) or not p.indexed
        src = f"articles_fts f JOIN {p.narrow} a ON a.rowid = f.rowid" if needs_row else "articles_fts f"
        filt = "".join(f" AND {w}" for w in p.where)
        if not needs_row:  # actor/type probes only need the rowid
            filt = filt.replace("a.rowid", "f.rowid")
        inner = (f"SELECT f.rowid AS r, {_BM25} AS s FROM {src} WHERE articles_fts MATCH ?{filt} "
                 f"ORDER BY f.rowid DESC LIMIT {int(cap)}")
    else:
        inner = (f"SELECT rowid AS r, {_BM25} AS s FROM articles_fts WHERE articles_fts MATCH ? "
                 f"ORDER BY rowid DESC LIMIT {int(cap)}")
    return run(conn, f"SELECT r, s FROM ({inner}) ORDER BY s LIMIT ? OFFSET ?", [p.match, *p.args, n, offset],
               p.query.q)


def _ranked_widening(conn: sqlite3.Connection, p: Plan, n: int, window: int) -> list[Any]:
    """The ``n`` best (rowid, score) pairs, ranked within the ``window`` most recent matches; when filters leave
    fewer than ``n`` hits there, the window widens (x8) until it covers every match."""
    src = "articles_fts" + (f" JOIN {p.narrow} a ON a.rowid = articles_fts.rowid" if p.where else "")
    cond = "articles_fts MATCH ?" + "".join(f" AND {w}" for w in p.where)
    while True:
        cut = run(conn, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 "
                  "OFFSET ?", [p.match, window - 1], p.query.q)
        c, params = ((cond + " AND articles_fts.rowid >= ?", [p.match, *p.args, cut[0][0]]) if cut
                     else (cond, [p.match, *p.args]))
        top = run(conn, f"SELECT articles_fts.rowid AS r, {_BM25} AS score FROM {src} WHERE {c} "
                  "ORDER BY score, articles_fts.rowid DESC LIMIT ?", [*params, n], p.query.q)
        if not cut or len(top) >= n:
            return top
        window *= 8


def _driven_listing(conn: sqlite3.Connection, p: Plan, direction: str, n: int, offset: int) -> tuple[str, list[Any]]:
    """Rowids of the newest/oldest articles with an actor and/or event type, walking the event type's (else the
    actor's) (value, published) index in date order and probing the other filters per row: stops after ``n`` rows
    instead of collecting and sorting every article the filters match."""
    q = p.query
    if q.event_type:
        names = event_type_names(q.event_type)
        if len(names) > 1:  # retired names only where a store still holds them (one index probe each)
            names = names[:1] + [n for n in names[1:] if conn.execute(
                "SELECT 1 FROM article_event_types WHERE type = ? LIMIT 1", (n,)).fetchone()]
        table, col, values = "article_event_types", "type", names
    else:
        table, col, values = "article_actors", "actor_id", [q.actor or ""]
    where = [f"d.{col} = ?" if len(values) == 1 else f"d.{col} IN ({','.join('?' * len(values))})"]
    args: list[Any] = list(values)
    dates, dargs = filter_sql(date_from=q.date_from, date_to=q.date_to, alias="d")
    where += dates
    args += dargs
    if q.event_type and q.actor:
        where.append("EXISTS (SELECT 1 FROM article_actors x WHERE x.actor_id = ? AND x.article_rowid = d.article_rowid)")
        args.append(q.actor)
    # the source condition as the plan resolved it (stored spellings)
    for w, a in zip(p.where, _args_per_condition(p), strict=True):
        if w.startswith("a.source"):
            where.append("EXISTS (SELECT 1 FROM article_filters s WHERE s.rowid = d.article_rowid AND s."
                         + w[2:] + ")")
            args += a
    sql = (f"SELECT d.article_rowid AS r FROM {table} d WHERE {' AND '.join(where)} "
           f"ORDER BY d.published {direction}, d.article_rowid {direction} LIMIT ? OFFSET ?")
    return sql, [*args, n, offset]


def _args_per_condition(p: Plan) -> list[list[Any]]:
    out, i = [], 0
    for w in p.where:
        k = w.count("?")
        out.append(p.args[i:i + k])
        i += k
    return out


def run(conn: sqlite3.Connection, sql: str, params: Sequence[Any], query: str = "") -> list[Any]:
    try:
        return conn.execute(sql, list(params)).fetchall()
    except sqlite3.OperationalError as e:
        msg = str(e)
        if any(k in msg for k in ("fts5", "syntax error", "no such column", "unterminated", "unknown special query")):
            # FTS5 reports query syntax problems as OperationalError; they are the user's to fix.
            raise QueryError(
                f"cannot parse search query {query[:200]!r}: {msg}. Put phrases in double quotes; operators are "
                "AND, OR, NOT (upper case), word* for prefixes, title: for the title only.",
                code="E400",
            ) from e
        raise


def body_columns(conn: sqlite3.Connection, *, body_only: bool = False) -> str:
    """The select list :func:`marsad.store.core.body_of` rebuilds a body from (a store not yet at migration 9, as a
    read-only server may open, has the body column only).

    ``body_only``: for callers that need the body and not the text (a page of search results): ``text`` is read
    only where the body is rebuilt from it (``body_spans`` set); an article stored before migration 9 keeps its
    body in ``body`` and ``body_of`` ignores its text, which SQLite then does not load (its overflow pages: ~30%
    of reading a page of results on such a store)."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    if "body_spans" not in have:
        return "NULL AS text, a.body AS body, NULL AS body_spans"
    if body_only:
        return "CASE WHEN a.body_spans IS NULL THEN NULL ELSE a.text END AS text, a.body AS body, " \
               "a.body_spans AS body_spans"
    return BODY_COLUMNS


def display_rows(conn: sqlite3.Connection, cols: str, rowids: Sequence[int]) -> list[Any]:
    """Display columns for one page of rowids, in the given order (only the shown rows touch ``articles``)."""
    if not rowids:
        return []
    got = {r[0]: r for r in conn.execute(
        f"SELECT a.rowid AS rowid_, {cols} FROM articles a WHERE a.rowid IN ({','.join('?' * len(rowids))})",
        list(rowids))}
    return [got[r] for r in rowids if r in got]


# --- the CLI's entry point -----------------------------------------------------------------------------------
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
    variants: bool = True,
) -> list[SearchHit]:
    """Best matches first (bm25). An empty query lists the filtered articles, newest first.

    ``query`` uses FTS5 syntax when it contains any of its operators (``"phrase"``, ``OR``, ``NOT``, ``word*``,
    ``title: word``, parentheses); otherwise every word is required (a word naming a known actor also matches
    its other spellings). A query FTS5 cannot parse raises :class:`~marsad.errors.QueryError`."""
    q = Query(q=query, date_from=date_from, date_to=date_to, source=source,
              actor=resolve_actor(conn, actor) if actor else None, event_type=event_type, syntax=syntax,
              variants=variants)
    p = plan(conn, q)
    pg = page(conn, p, sort="auto", limit=limit, offset=offset, window=rank_window, widen=True)
    rows = display_rows(conn, "a.id, a.title, a.source, a.url, a.published, " + body_columns(conn, body_only=True),
                        pg.rowids)
    return [
        SearchHit(r["id"], r["title"], r["source"], r["url"], r["published"],
                  round(-pg.scores.get(r["rowid_"], 0.0), 4) if pg.scores else 0.0,
                  snippet(body_of(r["text"], r["body"], r["body_spans"]) or r["title"] or "", p.terms,
                          width=snippet_chars))
        for r in rows
    ]


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

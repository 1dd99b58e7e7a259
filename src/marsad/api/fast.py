"""The search route's hot path as plain ASGI: ``GET /api/articles`` without FastAPI's routing, dependency
resolution and parameter models, answered with orjson bytes kept per query (a kept answer without the thread-pool
hop too).

Why by hand: at 32 clients on 2 cores the web stack, not SQLite, was most of a search's server CPU (issue 20:
FastAPI routing ≈1.5 ms and uvicorn's thread pool ≈2.3 ms a request, SQLite ≈22% of the total). This path takes
only requests whose parameters are all well-formed (the same names, patterns and bounds the FastAPI route declares,
checked by ``tests/api/test_api_fast.py`` against the route itself) and hands every other request — an unknown or
repeated parameter, a bad value, a query FTS5 cannot parse, ``bbox`` — to the FastAPI app unchanged, so errors
keep their one shape and their codes. The answer is the same dict the route builds (:func:`queries.search_articles`),
serialised once and kept as bytes in the store's answer cache (:meth:`Database.memo`, emptied on any write) under
the parsed query: a repeated search costs the parse, one cache lookup and the send.

A search whose cost the rank window bounds (:func:`bounded`: a page by relevance, or a listing by filters: most
searches) runs on the event loop, not in a worker thread: the server runs one process per core and a search is CPU
work (SQLite and Python), so a thread adds no CPU, only the hop (anyio's pool, futures, the loop's wake-up) and,
with a dozen searches in threads of one process, their wait for the GIL. Measured on the 100k bench store at 32
clients (issue 20): 11% less server CPU per request and a shorter tail (p99 100-122 ms against 299-329 ms in the
same minutes). The others (a page by date of a word's matches, facets, collapse: tens of ms for a common word)
still go to a thread.

It sits inside the security middleware (headers, guard, host check), so its answers carry the same headers.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import anyio.to_thread
import orjson

from marsad.api import queries as Q
from marsad.api.db import MISS, Database
from marsad.api.security import ASGIApp, Receive, Scope, Send
from marsad.errors import QueryError

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_EVENT_TYPE = re.compile(r"[A-Za-z_]{1,30}")
_INT = re.compile(r"\d{1,6}")
_SORTS = frozenset({"auto", "relevance", "newest", "oldest"})
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
# name -> longest value (characters), as the route declares them (marsad.api.app.search_query / articles)
_TEXT = {"q": 500, "source": 200, "actor": 300}
_NAMES = frozenset({*_TEXT, "from", "to", "event_type", "sort", "facets", "collapse", "limit", "offset"})
_DEFER = object()


def parse(query_string: bytes) -> dict[str, Any] | None:
    """The search parameters when every one of them is well-formed and known, else None (the FastAPI route
    then answers, with its error when there is one). Decoded as Starlette decodes a query string."""
    got: dict[str, Any] = {}
    for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if k not in _NAMES or k in got:
            return None
        got[k] = v
    out: dict[str, Any] = {"sort": "auto", "facets": False, "collapse": False, "limit": 20, "offset": 0}
    for k, v in got.items():
        if k in _TEXT:
            if len(v) > _TEXT[k]:
                return None
            out[k] = v
        elif k in ("from", "to"):
            if not _DATE.fullmatch(v) or not _calendar(v):
                return None
            out[k] = v
        elif k == "event_type":
            if not _EVENT_TYPE.fullmatch(v):
                return None
            out[k] = v
        elif k == "sort":
            if v not in _SORTS:
                return None
            out[k] = v
        elif k in ("facets", "collapse"):
            if v not in _BOOLS:
                return None
            out[k] = _BOOLS[v]
        else:  # limit, offset
            if not _INT.fullmatch(v):
                return None
            n = int(v)
            if (k == "limit" and not 1 <= n <= 200) or (k == "offset" and n > 100_000):
                return None
            out[k] = n
    return out


def _calendar(value: str) -> bool:
    from marsad.api.app import calendar_date

    try:
        calendar_date(value)
    except ValueError:
        return False
    return True


def key_of(p: dict[str, Any]) -> tuple[Any, ...]:
    return ("fast-articles", tuple(sorted(p.items())))


def answer(db: Database, p: dict[str, Any]) -> bytes | None:
    """The route's JSON for parsed parameters ``p``, from the answer cache or computed; None when the route
    must answer (it raises the error: from after to, an FTS5 syntax error, an unknown actor name ...)."""
    key = key_of(p)

    def compute() -> Any:
        from marsad.api.app import make_search_query
        from marsad.api.errors import ApiError

        try:
            query = make_search_query(db, q=p.get("q"), date_from=p.get("from"), date_to=p.get("to"),
                                      source=p.get("source"), actor=p.get("actor"), event_type=p.get("event_type"))
            # the route's computation without its own answer cache: the bytes below are what is kept (one entry
            # per search in the LRU instead of two)
            res = Q._search_articles(
                db, Q.resolved(db, query), sort=p["sort"], limit=p["limit"], offset=p["offset"],
                facets=p["facets"], collapse=p["collapse"], exact_total=False)  # fmt: skip
        except (ApiError, QueryError):
            return _DEFER
        return orjson.dumps(res, option=orjson.OPT_NON_STR_KEYS)

    out = db.memo(key, compute)
    return None if out is _DEFER else out


def bounded(p: dict[str, Any]) -> bool:
    """Whether a search's cost is bounded by the rank window, so it runs on the event loop itself: a page by
    relevance (bm25 over the 1,000 most recent matches, 500 with filters, and the count: ~2 ms, ~7 ms for the
    commonest word on a 100k store; a common word with a filter few of its matches pass walks them until 500 do:
    20-40 ms at worst) or a listing by filters without words (one page along an index). A page by date of a word's
    matches sorts all of them, and facets and collapse read every match: those go to a worker thread, as FastAPI's
    sync routes do, so they do not hold up other requests.

    Words with filters were tried in a thread too (they are the bench mix's slower tenth): p95 62.8-69.8 ms
    against 42.2-44.2 on the loop, server CPU 1.89-1.94 against 1.81-1.87 ms per request (three interleaved pairs,
    load 0.7-1.3)."""
    if p["facets"] or p["collapse"]:
        return False
    return not (p.get("q") or "").strip() or p["sort"] in ("auto", "relevance")


class FastSearch:
    """ASGI middleware: answers ``GET /api/articles`` itself when it can (see the module docstring)."""

    PATH = "/api/articles"

    def __init__(self, app: ASGIApp, *, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.PATH:
            p = parse(scope.get("query_string", b""))
            body = None
            if p is not None:
                # A kept answer is sent from here; a bounded search is computed here too (see the module
                # docstring), a longer one in a worker thread as FastAPI's sync routes do.
                hit = self.db.memo_peek(key_of(p))
                if hit is MISS and bounded(p):
                    body = answer(self.db, p)
                elif hit is MISS:
                    body = await anyio.to_thread.run_sync(answer, self.db, p)
                elif hit is not _DEFER:
                    body = hit
            if body is not None:
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

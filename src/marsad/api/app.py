"""The HTTP API (FastAPI) and the web UI, one process: ``create_app(db_path)``; run it with ``marsad serve``.

Read routes use :mod:`marsad.api.queries` over a query-only connection; the one write route, POST /api/ingest,
needs the token given to ``marsad serve --token`` (or MARSAD_TOKEN) and is disabled when none is configured.
Every error is ``{"error": {"code", "message", "status"}}`` (see :mod:`marsad.api.errors`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from marsad.api import queries as Q
from marsad.api.db import Database
from marsad.api.errors import ApiError, install_error_handlers, invalid
from marsad.api.fast import FastSearch
from marsad.api.security import BodyLimit, Guard, SecurityHeaders, WriteAuth, token_ok
from marsad.store import search as S

log = logging.getLogger("marsad.api")

DEFAULT_MAX_BODY = 5 * 1024 * 1024
MAX_INGEST_ARTICLES = 100
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


# Parameter types shared by the routes (module level: FastAPI resolves annotations by name here).
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=100_000)]


def calendar_date(value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD that names a real month/day (2018-13-45 is an error, not an empty answer)."""
    if value is None:
        return None
    parts = [int(x) for x in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as e:
        raise ValueError(f"{value} is not a calendar date ({e})") from None
    return value


DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE, description="YYYY[-MM[-DD]], inclusive"),
                     AfterValidator(calendar_date)]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE, description="YYYY[-MM[-DD]], inclusive"),
                   AfterValidator(calendar_date)]
Key = Annotated[str, PathParam(min_length=1, max_length=300)]
ActorQ = Annotated[str | None, Query(max_length=300, description="actor id (see /api/actors) or a name in any script")]
EvType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,30}$", description="PLOVER type, e.g. CONSULT")]
MinConfidence = Annotated[float | None, Query(
    ge=0.0, le=1.0, description="only events whose calibrated confidence is at least this (0-1); the precision each "
    "cut gives on the annotated train articles is in the README (How sure an event is)")]



def make_search_query(db: Database, *, q: str | None, date_from: str | None, date_to: str | None,
                      source: str | None, actor: str | None, event_type: str | None,
                      place_country: str | None = None, bbox: str | None = None) -> S.Query:
    lo, hi = _day(date_from, False), _day(date_to, True)
    if lo and hi and lo > hi:
        raise invalid("from", f"{date_from} is after to={date_to}")
    box = None
    if bbox:
        from marsad.errors import InputError
        from marsad.geo.store import parse_bbox

        try:
            box = parse_bbox(bbox)
        except InputError as e:
            raise invalid("bbox", str(e).split("] ", 1)[-1]) from e
    # the actor's name → id lookup reads the store: done by the route (worker thread), see Q.resolved
    return Q.make_query(q=q, date_from=lo, date_to=hi, source=source, actor=actor, event_type=event_type,
                        place_country=place_country, bbox=box)


async def search_query(  # async: pure parsing, no hop to a worker thread on the hot path
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="words; FTS5 syntax when it uses operators")] = None,
    date_from: DateFrom = None, date_to: DateTo = None,
    source: Annotated[str | None, Query(max_length=200, description="outlet (any letter case)")] = None,
    actor: ActorQ = None, event_type: EvType = None,
    place_country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description=(
        "ISO3: articles naming a place there or locating an event there; events that happened there"))] = None,
    bbox: Annotated[str | None, Query(max_length=100, pattern=r"^[-0-9., ]+$", description=(
        "west,south,east,north in degrees: the same, inside the box"))] = None,
) -> S.Query:
    """The search parameters every search-based route takes (one builder: marsad.store.search)."""
    return make_search_query(request.app.state.db, q=q, date_from=date_from, date_to=date_to, source=source,
                             actor=actor, event_type=event_type, place_country=place_country, bbox=bbox)


SearchQ = Annotated[S.Query, Depends(search_query)]


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    status: int


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody, "description": d} for s, d in (
        (400, "Bad request (e.g. a search query FTS5 cannot parse)"), (404, "Not found"),
        (413, "Request body too large"), (422, "Invalid parameter"), (500, "Internal error"))
}


class SavedSearchIn(BaseModel):
    """A search to keep: its name and the parameters /api/articles takes."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: str = Field(min_length=1, max_length=200)
    q: str | None = Field(None, max_length=500)
    from_: Annotated[str | None, AfterValidator(calendar_date)] = Field(None, alias="from", pattern=DATE)
    to: Annotated[str | None, AfterValidator(calendar_date)] = Field(None, pattern=DATE)
    source: str | None = Field(None, max_length=200)
    actor: str | None = Field(None, max_length=300)
    event_type: str | None = Field(None, pattern=r"^[A-Za-z_]{1,30}$")


class IngestArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000_000, description="The article as received (page text)")
    source: str = Field("", max_length=200)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    id: str | None = Field(None, max_length=200)


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[IngestArticle] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


class IngestResult(BaseModel):
    stored: list[str]
    duplicates: list[str]
    rejected: list[dict[str, Any]]


def create_app(db_path: str | Path, *, token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               pipeline: Any = None, cache_size: int = 2048) -> FastAPI:
    """The ASGI app for one store. ``token`` (or MARSAD_TOKEN) enables POST /api/ingest; ``pipeline``
    overrides the default pipeline used by ingest (tests); ``cache_size`` search answers are kept while the
    store is unchanged (0: none)."""
    db = Database(db_path, memo_size=cache_size)
    token = token or os.environ.get("MARSAD_TOKEN") or None
    app = FastAPI(
        title="marsad",
        summary="Arabic news analysis: articles, actors, quotes, PLOVER events, relations, stories.",
        version=_version(),
        docs_url=None,  # /api/docs is the web UI's page with the vendored Swagger UI (marsad.web.pages)
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    app.state.token = token
    app.state.pipeline = pipeline
    app.state.pipeline_lock = threading.Lock()
    install_error_handlers(app)
    # add_middleware wraps outside-in in reverse order: Guard ends up outermost, FastSearch innermost (the search
    # route's hot path without the framework, inside the security layers: marsad.api.fast).
    if os.environ.get("MARSAD_FAST_SEARCH", "1") != "0":  # 0: every search through FastAPI (to compare)
        app.add_middleware(FastSearch, db=db)
    app.add_middleware(WriteAuth, token=token)  # the token before the body is read or validated
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Guard)
    app.include_router(api_router(db))
    from marsad.web.pages import mount_web

    mount_web(app, db)
    return app


def _version() -> str:
    try:
        from marsad import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"


def api_router(db: Database) -> APIRouter:
    r = APIRouter(prefix="/api", responses=ERRORS, dependencies=[Depends(reject_unknown_params)])

    @r.get("/articles", summary="Search articles (full text + filters)", response_model=None)
    def articles(
        query: SearchQ,
        sort: Literal["auto", "relevance", "newest", "oldest"] = "auto",
        facets: bool = False, collapse: Annotated[bool, Query(description="one item per copy group")] = False,
        limit: Limit = 20, offset: Offset = 0,
    ) -> JSONResponse:
        # The hot path: a JSONResponse skips FastAPI's generic encoder walk over every value.
        query = Q.resolved(db, query)
        return JSONResponse(Q.search_articles(
            db, q=query.q, date_from=query.date_from, date_to=query.date_to, source=query.source,
            actor=query.actor, event_type=query.event_type, sort=sort, limit=limit, offset=offset, facets=facets,
            collapse=collapse, place_country=query.place_country, bbox=query.bbox))

    @r.get("/attention", summary="Attention over time for a search: articles per day/week/month, per source, "
                                 "raw and as a share of each outlet's volume", response_model=None)
    def attention(query: SearchQ, by: Literal["day", "week", "month"] = "day",
                  top_sources: Annotated[int, Query(ge=1, le=50)] = 8) -> JSONResponse:
        # thousands of numbers for a day series: JSONResponse skips FastAPI's per-value encoder walk
        return JSONResponse(Q.attention(db, Q.resolved(db, query), by=by, top_sources=top_sources))

    @r.get("/export", summary="Export every article a search finds: articles (csv, jsonl), their events (csv, "
                              "gdelt, plover) or quotes (csv, jsonl)", response_model=None)
    def export(query: SearchQ,
               what: Literal["articles", "events", "quotes"] = "articles",
               format: Literal["csv", "jsonl", "gdelt", "plover"] = "csv",  # noqa: A002
               max: Annotated[int, Query(ge=1, le=Q.EXPORT_MAX)] = 10_000,  # noqa: A002
               ) -> StreamingResponse:
        if (what, format) not in Q.EXPORT_FORMATS:
            ok = ", ".join(f for w, f in Q.EXPORT_FORMATS if w == what)
            raise invalid("format", f"{what} export comes as {ok}, not {format}")
        rowids = Q.export_rowids(db, Q.resolved(db, query), max)  # a query FTS5 cannot parse is a 400 before the stream starts
        media, ext = Q.EXPORT_MEDIA[format]
        name = f"marsad-{what}.{ext}"
        return StreamingResponse(Q.export_stream(db, rowids, what=what, fmt=format),
                                 media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})

    @r.get("/articles/{article_id}", summary="One article with all its layers and offsets")
    def article(article_id: Key) -> dict[str, Any]:
        rec = Q.get_article(db, article_id)
        if rec is None:
            raise ApiError(404, f"no article with id {article_id[:100]!r}")
        return rec

    @r.get("/actors", summary="Find actors by any spelling (Arabic normalised, or English name)")
    def actors(
        q: Annotated[str | None, Query(max_length=200)] = None,
        type: Annotated[str | None, Query(pattern=r"^[A-Z]{2,5}$")] = None,  # noqa: A002 - API parameter name
        country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
        limit: Limit = 20, offset: Offset = 0,
    ) -> dict[str, Any]:
        return Q.search_actors(db, q, type_=type, country=country, limit=limit, offset=offset)

    def actor_or_404(actor_id: str) -> dict[str, Any]:
        a = Q.get_actor(db, actor_id)
        if a is None:
            raise ApiError(404, f"no actor with id {actor_id[:100]!r} (find ids with /api/actors?q=NAME)")
        return a

    @r.get("/actors/{actor_id}", summary="One actor: names, type, country, counts")
    def actor(actor_id: Key) -> dict[str, Any]:
        return actor_or_404(actor_id)

    @r.get("/actors/{actor_id}/quotes", summary="What an actor said, or (about=true) what others said about it")
    def actor_quotes(actor_id: Key, limit: Limit = 50, offset: Offset = 0,
                     about: Annotated[bool, Query(description="quotes by others that name the actor")] = False,
                     ) -> dict[str, Any]:
        actor_or_404(actor_id)
        if about:
            return Q.quotes_about(db, actor_id, limit=limit, offset=offset)
        return Q.actor_quotes(db, actor_id, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}/events", summary="Events an actor is source or target of")
    def actor_events(actor_id: Key, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        actor_or_404(actor_id)
        return Q.actor_events(db, actor_id, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}/cooccurring", summary="Actors named in the same articles")
    def actor_cooccurring(actor_id: Key, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        actor_or_404(actor_id)
        return Q.cooccurring_page(db, actor_id, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}/timeline", summary="Articles naming the actor per day, week or month")
    def actor_timeline(actor_id: Key, by: Literal["month", "week", "day"] = "month") -> dict[str, Any]:
        actor_or_404(actor_id)
        return Q.attention(db, Q.make_query(actor=actor_id), by=by, top_sources=5)

    @r.get("/events", summary="Events with filters (the article search's too); format=csv exports",
           response_model=None)
    def events(
        query: SearchQ,
        type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,30}$", deprecated=True,  # noqa: A002
                                          description="old name of event_type")] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
        article: Annotated[str | None, Query(max_length=300)] = None,
        min_confidence: MinConfidence = None,
        format: Literal["json", "csv"] = "json",  # noqa: A002
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100, offset: Offset = 0,
    ) -> Any:
        query = Q.resolved(db, query)
        res = Q.list_events(db, query, type_=query.event_type or type, country=country, quad_class=quad_class,
                            article_id=article, min_confidence=min_confidence, limit=limit, offset=offset)
        if format == "csv":
            return StreamingResponse(Q.events_csv(res["items"]), media_type="text/csv; charset=utf-8",
                                     headers={"content-disposition": 'attachment; filename="marsad-events.csv"'})
        return res

    @r.get("/relations", summary="Cooperation vs conflict between two actors or countries over time")
    def relations(
        a: Annotated[str, Query(min_length=1, max_length=300,
                                description="actor id, ISO3 / country:ISO3, or a name in any script")],
        b: Annotated[str, Query(min_length=1, max_length=300)],
        by: Literal["month", "week", "day"] = "month",
        min_confidence: MinConfidence = None,
    ) -> dict[str, Any]:
        return Q.relations(db, _side(db, "a", a), _side(db, "b", b), by=by, min_confidence=min_confidence)

    @r.get("/graph", summary="Who interacts with whom (event counts between actors)")
    def graph(actor: ActorQ = None, limit: Annotated[int, Query(ge=1, le=500)] = 60,
              min_events: Annotated[int, Query(ge=1, le=1000)] = 1,
              min_confidence: MinConfidence = None) -> dict[str, Any]:
        return Q.interaction_graph(db, actor=Q.resolve_actor(db, actor) if actor else None, limit=limit,
                                   min_events=min_events, min_confidence=min_confidence)

    @r.get("/stories", summary="Stories (clusters of copies and rewrites), biggest first")
    def stories(limit: Limit = 50, offset: Offset = 0,
                min_size: Annotated[int, Query(ge=1, le=1000)] = 2) -> dict[str, Any]:
        return Q.list_stories(db, limit=limit, offset=offset, min_size=min_size)

    @r.get("/stories/{story_id}", summary="One story: its articles and sources")
    def story(story_id: Key) -> dict[str, Any]:
        s = Q.get_story(db, story_id)
        if s is None:
            raise ApiError(404, f"no story with id {story_id[:100]!r}")
        return s

    @r.get("/saved-searches", summary="Saved searches (stored in the database), newest first")
    def saved_searches(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return Q.list_saved(db, limit=limit, offset=offset)

    @r.post("/saved-searches", summary="Save a search (name + search parameters); JSON body only",
            status_code=201)
    def save_search(body: SavedSearchIn) -> dict[str, Any]:
        query = Q.resolved(db, make_search_query(db, q=body.q, date_from=body.from_, date_to=body.to,
                                                 source=body.source, actor=body.actor, event_type=body.event_type))
        Q.search_articles(db, q=query.q, source=query.source, limit=1)  # refuse what cannot run (400)
        return Q.save_search(db, body.name, query)

    @r.get("/saved-searches/{saved_id}", summary="One saved search with its current total")
    def saved_search(saved_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> dict[str, Any]:
        s = Q.get_saved(db, saved_id)
        if s is None:
            raise ApiError(404, f"no saved search {saved_id}")
        return s

    @r.get("/saved-searches/{saved_id}/feed", summary="Atom feed of a saved search (newest 50 matches)",
           response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
    def saved_feed(request: Request, saved_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> Response:
        s = Q.get_saved(db, saved_id)
        if s is None:
            raise ApiError(404, f"no saved search {saved_id}")
        base = str(request.base_url).rstrip("/")
        return Response(Q.atom_feed(db, s, base), media_type="application/atom+xml; charset=utf-8")

    @r.get("/stats", summary="Counts: articles, sources, entities, quotes, events, rejects")
    def stats() -> dict[str, Any]:
        return Q.stats(db)

    @r.post("/ingest", summary="Analyse and store articles (needs the server token)", status_code=200,
            responses={401: {"model": ErrorBody, "description": "Missing or wrong token"},
                       403: {"model": ErrorBody, "description": "Writes are disabled (no token configured)"}})
    def ingest(request: Request, body: IngestRequest,
               _: None = Depends(require_token)) -> IngestResult:
        return _ingest(request.app, db, body)

    return r


def _side(db: Database, param: str, value: str) -> str:
    """A relation side: a known actor id or country code as is, else a name in any script (روسيا, Russia) through
    the actor index; 404 with a hint when nothing answers to it."""
    got = Q.resolve_side(db, value)
    if got is None:
        raise ApiError(404, f"{param}: no actor or country {value[:100]!r} in this store (find one with "
                       "/api/actors?q=NAME)", code="unknown_actor")
    return got


_ALLOWED: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> set[str]:
    """Query parameter names (aliases) a route and its dependencies declare."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_params(request: Request) -> None:
    """A query parameter the route does not take is an error (422), not silently ignored: ``date_from`` for
    ``from``, or a misspelt filter, would otherwise return everything."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _ALLOWED.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_names(route.dependant))
        _ALLOWED[id(route)] = allowed
    for name in request.query_params:
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "no parameters"
            raise ApiError(422, f"unknown parameter {name[:50]!r} (this route takes: {takes})",
                           code="invalid_parameter",
                           details=[{"loc": ["query", name[:50]], "message": "unknown parameter",
                                     "type": "extra_forbidden"}])


def require_token(request: Request,
                  authorization: Annotated[str | None, Header(max_length=1000)] = None,
                  x_marsad_token: Annotated[str | None, Header(max_length=1000)] = None) -> None:
    expected = request.app.state.token
    if not expected:
        raise ApiError(403, "writes are disabled: start the server with --token or MARSAD_TOKEN",
                       code="writes_disabled")
    given = x_marsad_token
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not token_ok(given, expected):
        raise ApiError(401, "missing or wrong token (send Authorization: Bearer TOKEN)",
                       headers={"www-authenticate": "Bearer"})


def _ingest(app: FastAPI, db: Database, body: IngestRequest) -> IngestResult:
    from marsad.data import Article, Rejection, replace_lone_surrogates
    from marsad.store import Store

    with app.state.pipeline_lock:
        if app.state.pipeline is None:
            from marsad.stages import default_pipeline

            app.state.pipeline = default_pipeline()
        pipe = app.state.pipeline
    stored: list[str] = []
    dups: list[str] = []
    rejected: list[dict[str, Any]] = []
    results: list[Article | Rejection] = []
    from marsad.readers.base import bad_id_reason

    for a in body.articles:
        text, lossy = replace_lone_surrogates(a.text)
        bad = bad_id_reason(a.id) if a.id is not None else None
        if bad:  # an id with "/" would be stored but unreachable at /api/articles/ID and /article/ID
            results.append(Rejection("read", "E_BAD_ID", bad, a.source or "", text))
            continue
        art = Article.new(text, id=a.id, source=a.source, url=a.url, title=a.title, published=a.published,
                          meta={"lossy_decode": True} if lossy else None)
        results.append(pipe.process(art))
    with db.write_lock, Store(db.path) as store:
        for res in results:
            if isinstance(res, Rejection):
                store.add([res])
                rejected.append({"id": res.id, "stage": res.stage, "code": res.code, "reason": res.reason})
                continue
            summary = store.add([res])
            if summary.stored:
                stored.append(res.id)
            elif summary.duplicate:
                dups.append(res.id)
            else:
                # e.g. E_ID_CONFLICT: the id is stored with another text (kept in the rejects table)
                code = next(iter(summary.rejected_by), "store/E_STORE").split("/", 1)[-1]
                rejected.append({"id": res.id, "stage": "store", "code": code,
                                 "reason": "not stored (the record is kept in the rejects table)"})
    db.invalidate()
    return IngestResult(stored=stored, duplicates=dups, rejected=rejected)


def _day(value: str | None, end: bool) -> str | None:
    """Widen YYYY or YYYY-MM to the first/last day so string comparison on YYYY-MM-DD works."""
    if not value:
        return None
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value
